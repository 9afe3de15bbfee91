"""Re-encrypt every encrypted value under the newest key of the chosen cipher (settings.FIELD_CIPHER).

    manage.py keys_rotate            # rotate, in batches, printing counts per column
    manage.py keys_rotate --check    # count what is not under the newest key; exit status 1 if anything is

Rotation within a cipher: put the new key first (FIELD_ENCRYPTION_KEYS or SM4_KEYS), keep the old ones after it,
deploy, run keys_rotate, run `keys_rotate --check` (nothing left), then drop the old keys. Moving from Fernet to
SM4 is the same with FIELD_CIPHER=sm4 and SM4_KEYS set while FIELD_ENCRYPTION_KEYS are still there to read with.

The columns: every sealed field of every model (core.fields, found by the app registry) and the token columns
below, which hold a token in a plain text column. Each batch is its own transaction and a value already under the
newest key is not written again, so the command is idempotent and an interrupted run resumes by running it again
(`--only people.Woman --after <id>` skips the rows of a very large table already done). A value no configured key
opens is counted as unreadable and left as it is: never replaced.
"""

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from fulian.core import crypto
from fulian.core.fields import raw_values, sealed_fields, write_raw

# Plain text columns that hold one token each (written with crypto.encrypt by their app's services).
TOKEN_COLUMNS = {
    "people.Woman": ["id_encrypted"],
    "cases.Case": ["sealed"],
}


def encrypted_columns() -> list[tuple[type, list[str], bool]]:
    """(model, field names, sealed?) for every encrypted column of the project."""
    found = []
    for model in apps.get_models():
        if model._meta.proxy or not model._meta.managed:
            continue
        sealed = [f.name for f in sealed_fields(model)]
        if sealed:
            found.append((model, sealed, True))
        tokens = TOKEN_COLUMNS.get(model._meta.label, [])
        if tokens:
            found.append((model, tokens, False))
    return found


class Command(BaseCommand):
    help = "Re-encrypt every encrypted or sealed value under the newest key (--check: count those that are not)."

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true", help="count only; exit 1 if a value is not current")
        parser.add_argument("--batch", type=int, default=500, help="rows per transaction (default 500)")
        parser.add_argument("--only", default="", help="one model, e.g. people.Woman (with --after)")
        parser.add_argument("--after", type=int, default=0, help="with --only: start after this primary key")

    def handle(self, *args, check=False, batch=500, only="", after=0, **options):
        if batch < 1:
            raise CommandError("--batch must be at least 1")
        if after and not only:
            raise CommandError("--after needs --only: primary keys are per table")
        columns = [c for c in encrypted_columns() if not only or c[0]._meta.label_lower == only.lower()]
        if only and not columns:
            raise CommandError(f"{only}: no encrypted column (expected e.g. people.Woman, contacts.ContactLog)")
        active = crypto.active_cipher()
        self.stdout.write(f"cipher {active.name}, newest key {active.newest_key_id()}")
        totals = {"current": 0, "rotated": 0, "stale": 0, "plain": 0, "unreadable": 0}
        for model, names, sealed in columns:
            counts = self._column(model, names, sealed, check=check, batch=batch, after=after)
            for key, n in counts.items():
                totals[key] += n
            label = f"{model._meta.label}.{'/'.join(names)}"
            self.stdout.write(f"{label}: " + ", ".join(f"{k} {v}" for k, v in counts.items() if v or k == "current"))
        summary = ", ".join(f"{k} {v}" for k, v in totals.items())
        self.stdout.write(("check: " if check else "done: ") + summary)
        if totals["unreadable"]:
            self.stderr.write(f"{totals['unreadable']} values no configured key opens: restore the key that made them "
                              "before dropping any")
        if check and (totals["stale"] or totals["plain"] or totals["unreadable"]):
            raise SystemExit(1)

    def _column(self, model, names, sealed, *, check, batch, after) -> dict[str, int]:
        counts = {"current": 0, "rotated": 0, "stale": 0, "plain": 0, "unreadable": 0}
        last = after
        while True:
            # the batch's rows are locked from the read to the write: a cadre saving a note meanwhile waits for the
            # batch rather than having her new text overwritten by the old one re-encrypted
            with transaction.atomic():
                query = raw_values(model, names).filter(pk__gt=last)[:batch]
                rows = list(query if check else query.select_for_update())
                if not rows:
                    return counts
                last = rows[-1][0]
                changes: dict[int, dict[str, str]] = {}
                for pk, *values in rows:
                    for name, value in zip(names, values, strict=True):
                        new = self._value(value, sealed, counts, check)
                        if new is not None:
                            changes.setdefault(pk, {})[name] = new
                if changes and not check:
                    write_raw(model, changes)

    @staticmethod
    def _value(value, sealed, counts, check) -> str | None:
        """The new stored value, or None to leave it; counts what it was."""
        if not value:
            return None
        if not crypto.is_token(value):
            if not sealed:  # a token column holding something else: nothing to decrypt it with
                counts["unreadable"] += 1
                return None
            counts["plain" if check else "rotated"] += 1  # written before its field was sealed
            return None if check else crypto.seal_text(value)
        if crypto.is_current(value):
            counts["current"] += 1
            return None
        if crypto.key_of(value) is None:
            counts["unreadable"] += 1
            return None
        counts["stale" if check else "rotated"] += 1
        return None if check else crypto.rotate(value)
