import json

from django.core.management.base import BaseCommand, CommandError

from fulian.core.sealing import seal_verify


class Command(BaseCommand):
    help = ("Verify the audit chain from its first link: each link's hash, the links between them and every sealed "
            "row; names the first broken link and row. --archives also checks the archive files; --digest FILE "
            "checks links against daily digests kept off-site (JSON from audit_digest, one or many). Exit status 1 "
            "when broken, 2 when intact but rows have waited over 10 minutes for a seal (the sealer stopped or held "
            "up by an open transaction).")

    def add_arguments(self, parser):
        parser.add_argument("--archives", action="store_true")
        parser.add_argument("--digest", action="append", default=[], metavar="FILE")

    def handle(self, *args, archives, digest, **options):
        digests = []
        for name in digest:
            try:
                with open(name, encoding="utf-8") as file:
                    loaded = json.load(file)
            except (OSError, ValueError) as exc:
                raise CommandError(f"cannot read digest {name}: {exc}") from exc
            for entry in loaded if isinstance(loaded, list) else [loaded]:
                digests += _digest_entry(name, entry)
        verdict = seal_verify(archives=archives, digests=digests)
        if verdict.ok:
            self.stdout.write(f"audit chain intact: {verdict.links} link(s), {verdict.rows} row(s) checked, "
                              f"{verdict.archived_links} link(s) archived")
            for note in verdict.notes:
                self.stderr.write(f"WARNING: {note}")
            if verdict.notes:
                raise SystemExit(2)  # intact, but not keeping up: monitoring tells it from a break (1)
            return
        where = f", row {verdict.row}" if verdict.row else ""
        self.stderr.write(f"audit chain BROKEN at link {verdict.seal_number}{where}: {verdict.problem} "
                          f"({verdict.links} link(s) before it are intact)")
        raise SystemExit(1)


def _digest_entry(name: str, entry) -> list[dict]:
    """One digest as audit_digest wrote it ([] for a day before the first link); CommandError for anything else."""
    if not isinstance(entry, dict):
        raise CommandError(f"digest {name}: expected the JSON object audit_digest writes")
    if entry.get("number") is None:
        return []
    number, digest = entry.get("number"), entry.get("hash")
    if not isinstance(number, int) or isinstance(number, bool) or number < 1 or not isinstance(digest, str):
        raise CommandError(f"digest {name}: 'number' must be a link number and 'hash' its hash")
    return [{"number": number, "hash": digest}]
