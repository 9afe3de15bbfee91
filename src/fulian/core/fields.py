"""Sealed model fields: notes about a woman, a case or a child, encrypted at rest (core.crypto) and read as plain
text by everything above the database — pages, the API, exports — without a line of their own.

A sealed value is never searched: its ciphertext is random for equal texts, so the only lookups allowed are
`isnull` and equality with the blank value (`notes=""`: blank stays blank in the database). Any other lookup
(`icontains`, `startswith`, ordering by it is pointless too) raises FieldError at once rather than quietly
finding nothing. Stored as `text` whatever the plain length: a token is ~1.4× the UTF-8 bytes plus ~100; the
`max_length` of SealedCharField is the plain text's, checked by forms and full_clean as before.
"""

from django.core.exceptions import FieldError
from django.db import models
from django.db.models import Case, F, Value, When
from django.db.models.functions import Cast
from django.db.models.lookups import Exact, IsNull
from django.db.models.query_utils import DeferredAttribute

from fulian.core.crypto import decrypt_strict, is_token, open_text, seal_text


class SealedBlankExact(Exact):
    """`sealed_field=""` only: equality with any other text cannot be asked of a sealed value."""

    def get_prep_lookup(self):
        if self.rhs not in ("", None) and not hasattr(self.rhs, "resolve_expression"):
            raise FieldError("a sealed field can be compared with the blank value only")
        return super().get_prep_lookup()


class Unreadable(str):
    """What a sealed field reads when no configured key opens its stored token (a key dropped before keys_rotate
    finished): blank to every reader, but the token is kept, so that saving the record writes it back unchanged
    and the note opens again once the key is restored. Writing "" over the ciphertext would erase it for good."""

    token: str

    def __new__(cls, token: str = ""):
        text = super().__new__(cls, "")
        text.token = token
        return text


class _SealedAttribute(DeferredAttribute):
    """A blank assigned over an unreadable value keeps it (an edit form sends back the blank it was shown);
    a text assigned replaces it."""

    def __set__(self, instance, value):
        held = instance.__dict__.get(self.field.attname)
        if isinstance(held, Unreadable) and not value and not isinstance(value, Unreadable):
            return
        instance.__dict__[self.field.attname] = value


class _Sealed:
    sealed = True
    descriptor_class = _SealedAttribute

    def get_internal_type(self):
        return "TextField"

    def from_db_value(self, value, expression, connection):
        if value is None:
            return None
        text = open_text(value)
        return Unreadable(value) if not text and is_token(value) else text

    def get_prep_value(self, value):
        if isinstance(value, Unreadable):
            return value.token or ""
        value = super().get_prep_value(value)
        return seal_text(value) if value else value

    def get_lookup(self, lookup_name):
        return {"exact": SealedBlankExact, "isnull": IsNull}.get(lookup_name)

    def get_transform(self, lookup_name):
        return None


class SealedTextField(_Sealed, models.TextField):
    """A long sealed note (a textarea in forms)."""


class SealedCharField(_Sealed, models.CharField):
    """A short sealed note: a one-line input of at most `max_length` characters, stored as text."""

    def db_type(self, connection):
        return connection.data_types["TextField"] % self.db_type_parameters(connection)

    def cast_db_type(self, connection):
        return self.db_type(connection)


def sealed_fields(model) -> list:
    """The sealed fields of a model (keys_rotate re-encrypts them)."""
    return [f for f in model._meta.concrete_fields if getattr(f, "sealed", False)]


def write_raw(model, values: dict[int, dict[str, str]]) -> int:
    """Store these exact column values ({pk: {field name: stored value}}), past the sealed fields' encryption: one
    UPDATE per batch. For keys_rotate (values already tokens) and for unsealing in a reversed migration."""
    if not values:
        return 0
    names = sorted({name for row in values.values() for name in row})
    updates = {}
    for name in names:
        whens = [When(pk=pk, then=Value(row[name], output_field=models.TextField()))
                 for pk, row in values.items() if name in row]
        updates[name] = Case(*whens, default=F(name), output_field=models.TextField())
    return model._base_manager.filter(pk__in=list(values)).update(**updates)


def raw_values(model, names: list[str]):
    """(pk, stored value, …) of every row, as the database holds them (no decryption), in pk order."""
    casts = {f"raw_{name}": Cast(name, models.TextField()) for name in names}
    return model._base_manager.order_by("pk").annotate(**casts).values_list("pk", *casts)


def seal_existing(model, names: list[str], batch: int = 500) -> int:
    """Encrypt the plain values a field held before it was sealed (a data migration): blank stays blank, a value
    already sealed is left as it is."""
    done = 0
    last = 0
    while True:
        rows = list(raw_values(model, names).filter(pk__gt=last)[:batch])
        if not rows:
            return done
        last = rows[-1][0]
        values = {row[0]: {name: seal_text(value) for name, value in zip(names, row[1:], strict=True)
                           if value and not is_token(value)} for row in rows}
        done += write_raw(model, {pk: v for pk, v in values.items() if v})


def open_existing(model, names: list[str], batch: int = 500) -> int:
    """The reverse: decrypt every sealed value back to plain text (a reversed migration). A value no configured key
    opens stops it (Undecryptable, the migration rolls back): restore the key first, never write "" over it."""
    done = 0
    last = 0
    while True:
        rows = list(raw_values(model, names).filter(pk__gt=last)[:batch])
        if not rows:
            return done
        last = rows[-1][0]
        values = {row[0]: {name: decrypt_strict(value) for name, value in zip(names, row[1:], strict=True)
                           if is_token(value)} for row in rows}
        done += write_raw(model, {pk: v for pk, v in values.items() if v})
