"""The write path every service takes: `with write_path():` where it would open `transaction.atomic()`.

A counted write is a record plus its traces: dependent rows (a timeline entry: `write_later`), an audit row
(`audit_record`), messages (`outbox_put`) and figure deltas (`figures_add`). Inside a write path these calls
collect their rows instead of writing them one by one; when the block ends they are written together and the
transaction commits. On PostgreSQL "together" is one statement (each INSERT a data-modifying CTE of the next:
one round trip however many tables); on SQLite, which has no round trips, one INSERT per table. The tally upsert
comes last: the rows at the top of the tree (province, country) are shared by every writer in the province, and
are then locked only from that statement to the COMMIT.

The record itself can join that statement too (`write_first`): it is inserted first and its key comes back, so the
rows that point at it (a ForeignKey to the unsaved instance, or text made with `key_text`) take it inside the
statement (PostgreSQL) or right after its INSERT (SQLite). Its key is known only when the path ends.

Outside a write path the same calls write at once, as before. A nested write path joins the outer one; a nested
block that fails (and is caught) drops what it collected, as its savepoint drops its rows. Rows written later
get no primary key back: nothing may need it before the commit.

The INSERTs are built from the models' fields without Django's query compiler (they are plain multi-row VALUES;
a field or value that needs more falls back to the compiler): on a small request the compiler cost more than the
database. On PostgreSQL a small statement is sent as a prepared statement (`prepared_cursor`): planning the same
statement again on every write cost more than running it (a check-in's facts: 0.5 ms planned, 0.14 ms run).

`write_path(collect_only=True)` is for a block that only collects (it runs no query itself): on PostgreSQL its
one statement then runs in autocommit — a statement is its own transaction — so the write is one round trip
instead of BEGIN, the statement and COMMIT. A query inside such a block is refused.
"""

import datetime as dt
import logging
from contextlib import contextmanager, nullcontext
from contextvars import ContextVar

from django.db import DEFAULT_DB_ALIAS, connection, connections, models, transaction
from django.db.models import AutoField
from django.db.models.sql import InsertQuery

Statement = tuple[str, list]
logger = logging.getLogger(__name__)


class Pending:
    def __init__(self):
        self.first: list = []  # records whose key the other rows may use, inserted one by one before them
        self.rows: list = []  # model instances, inserted in order (audit rows and messages among them)
        self.figures: list = []

    def take(self, other: "Pending") -> None:
        self.first += other.first
        self.rows += other.rows
        self.figures += other.figures


_pending: ContextVar[Pending | None] = ContextVar("fulian_write_path", default=None)


def pending() -> Pending | None:
    """What the open write path has collected, or None outside one (then write at once)."""
    return _pending.get()


def write_later(obj) -> None:
    """Insert this new row with the write path's others (at once outside a write path)."""
    rows = pending()
    if rows is None:
        obj.save(force_insert=True)
    else:
        rows.rows.append(obj)


def write_first(obj) -> None:
    """Insert this new record with the write path's rows, before them, and set its key when the path ends (at once
    outside a write path). Rows collected in the same path may point at it while it has no key yet."""
    rows = pending()
    if rows is None:
        obj.save(force_insert=True)
    else:
        rows.first.append(obj)


class KeyText:
    """Text holding the key of a record that `write_first` has not written yet ("/cases/{}/"): it becomes the text
    with the key in the same statement. Only for rows of the same write path."""

    def __init__(self, obj, template: str):
        self.obj, self.template = obj, template

    def __str__(self) -> str:
        return self.template.format(self.obj.pk)


def key_text(obj, template: str = "{}") -> "str | KeyText":
    """`template` with the record's key: the text at once when it has one, else filled in when the path writes."""
    if obj.pk is None:
        rows = pending()
        if rows is not None and any(first is obj for first in rows.first):
            return KeyText(obj, template)
    return template.format(obj.pk)


_fields_of: dict = {}
_PLAIN = {  # fields whose value of this type is its own database value (what get_db_prep_save would return)
    models.CharField: str, models.TextField: str, models.BooleanField: bool, models.IntegerField: int,
    models.PositiveIntegerField: int, models.PositiveSmallIntegerField: int, models.SmallIntegerField: int,
    models.BigIntegerField: int,
}


def _plain_type(field, vendor: str):
    """The type of this field's values that are their own database value: a key for a foreign key to an integer key,
    an aware datetime on PostgreSQL (its driver takes it as it is), else what _PLAIN says."""
    if field.is_relation:
        return int if isinstance(field.target_field, models.IntegerField) else None
    if isinstance(field, models.DateTimeField):
        plain = vendor == "postgresql" and not field.auto_now and not field.auto_now_add
        return dt.datetime if plain else None
    return _PLAIN.get(type(field))


def _bare_null(field) -> bool:
    """Whether None in this field is NULL without asking the field (its pre_save only reads the attribute)."""
    if field.is_relation:
        return False  # unless no related object is cached: asked per row
    if isinstance(field, models.DateField):
        return not field.auto_now and not field.auto_now_add
    return type(field).pre_save is models.Field.pre_save


def _insert_fields(model) -> tuple[list, str, bool]:
    """([(field, the type of its plain values or None, whether None is plain NULL)], "INSERT INTO table (columns)",
    whether every field takes a plain %s), once per model."""
    known = _fields_of.get(model)
    if known is None:
        qn = connection.ops.quote_name
        fields = [f for f in model._meta.concrete_fields if not f.generated and not isinstance(f, AutoField)]
        head = f"INSERT INTO {qn(model._meta.db_table)} ({', '.join(qn(f.column) for f in fields)})"
        plain = not any(hasattr(f, "get_placeholder") for f in fields)
        vendor = connection.vendor
        known = _fields_of[model] = ([(f, _plain_type(f, vendor), _bare_null(f)) for f in fields], head, plain)
    return known


class _Keys:
    """The records of `write_first` in this statement: the CTE that returns the key of each, until it is known."""

    def __init__(self):
        self.names: dict[int, str] = {}

    def sql(self, obj) -> str | None:
        name = self.names.get(id(obj))
        if name is None or obj.pk is not None:
            return None
        return f"(SELECT {connection.ops.quote_name(obj._meta.pk.column)} FROM {name})"  # noqa: S608  (names, no data)


class _NeedsCompiler(Exception):
    pass


def _row(obj, fields, keys: _Keys) -> tuple[str, list]:
    """One VALUES row: its placeholders and parameters, as the query compiler would make them. NULL and '' are
    written in the statement, not as parameters: a statement of the same shape is then parsed once by the driver
    (psycopg keeps the parse of one with at most 50 parameters)."""
    placeholders, params = [], []
    for field, plain, bare_null in fields:
        value = getattr(obj, field.attname)
        if type(value) is plain and (plain is not dt.datetime or value.tzinfo is not None):
            pass
        elif value is None and (bare_null or (field.is_relation and not field.is_cached(obj))):
            placeholders.append("NULL")
            continue
        else:
            if field.is_relation and field.is_cached(obj):
                target = field.get_cached_value(obj)
                if target is not None:
                    ref = keys.sql(target) if field.target_field.primary_key else None
                    if ref is not None:
                        placeholders.append(ref)
                        continue
                    if target.pk is None:
                        raise _NeedsCompiler  # an unsaved related object: the compiler's checks say so
                    if getattr(obj, field.attname) is None:
                        setattr(obj, field.attname, getattr(target, field.target_field.attname))
            value = field.pre_save(obj, True)
            if isinstance(value, KeyText):
                ref = keys.sql(value.obj)
                if ref is not None:
                    prefix, _sep, suffix = value.template.partition("{}")
                    placeholders.append(f"(%s || CAST({ref} AS TEXT) || %s)")
                    params += [prefix, suffix]
                    continue
                value = str(value)
            if hasattr(value, "resolve_expression"):
                raise _NeedsCompiler
            value = field.get_db_prep_save(value, connection=connection)
        if value is None:
            placeholders.append("NULL")
        elif type(value) is str and value == "":
            placeholders.append("''")
        else:
            placeholders.append("%s")
            params.append(value)
    return f"({', '.join(placeholders)})", params


def _compiled(model, fields, group) -> list[Statement]:
    for obj in group:
        obj._prepare_related_fields_for_save(operation_name="write_later")
        if any(isinstance(getattr(obj, f.attname), KeyText) for f, _plain, _null in fields):
            raise TypeError(f"{model.__name__}: a key that is not written yet in a row that needs the query compiler")
    query = InsertQuery(model)
    query.insert_values([f for f, _plain, _null in fields], group)
    return [(sql, list(params)) for sql, params in query.get_compiler(connection=connection).as_sql()]


def insert_statements(objs: list, keys: _Keys | None = None) -> list[Statement]:
    """One multi-row INSERT per model (no RETURNING) for new instances, in first-seen model order."""
    keys = keys or _Keys()
    by_model: dict = {}
    for obj in objs:
        by_model.setdefault(type(obj), []).append(obj)
    statements = []
    for model, group in by_model.items():
        for obj in group:
            if not obj._is_pk_set():
                obj.pk = obj._meta.pk.get_pk_value_on_save(obj)
        fields, head, plain = _insert_fields(model)
        try:
            if not plain:
                raise _NeedsCompiler
            rows = [_row(obj, fields, keys) for obj in group]
        except _NeedsCompiler:
            statements += _compiled(model, fields, group)
        else:
            statements.append((f"{head} VALUES {', '.join(sql for sql, _ps in rows)}",
                               [p for _sql, ps in rows for p in ps]))
    return statements


PREPARED_PARAMS = 64  # a statement with more parameters is seldom the same twice: planned each time, not kept


def prepared_cursor(params: int = 0):
    """A cursor whose statements PostgreSQL plans once per connection and keeps (server-side binding, psycopg's
    prepared statements), for a statement a hot path sends again and again with other values; Django's cursor
    elsewhere (and for a statement of over PREPARED_PARAMS parameters). Errors and query logging as Django's."""
    db = connections[DEFAULT_DB_ALIAS]  # once: each attribute of the `connection` proxy is a context-local lookup
    if db.vendor != "postgresql" or params > PREPARED_PARAMS:
        return db.cursor()
    db.ensure_connection()
    db.validate_thread_sharing()
    if db.connection.prepare_threshold is None:  # Django turns preparing off: on, for the statements asked
        db.connection.prepare_threshold = 2**31 - 1
    raw = _Prepared(db.connection)
    return db.make_debug_cursor(raw) if db.queries_logged else db.make_cursor(raw)


def _prepared_class():
    from django.db.backends.postgresql.base import ServerBindingCursor

    class Sent:  # what Django's query log reads of a statement (psycopg keeps none for a prepared one)
        def __init__(self, query: str):
            self.query = query.encode()

    class Prepared(ServerBindingCursor):
        def execute(self, query, params=None, *, prepare=None, binary=None):
            super().execute(query, params, prepare=True, binary=binary)
            if self._query is None:
                self._query = Sent(query)
            return self

    return Prepared


class _LazyPrepared:
    cls = None

    def __call__(self, conn):
        if self.cls is None:
            self.cls = _prepared_class()
        return self.cls(conn)


_Prepared = _LazyPrepared()


def execute_statements(statements: list[Statement], *, returning: int = 0) -> tuple:
    """Run the statements in order: on PostgreSQL as one, the first ones as data-modifying CTEs of the last.
    `returning` (PostgreSQL only): the first that many statements end in RETURNING; all of them are then CTEs, and
    the one row of what they returned comes back."""
    if not statements:
        return ()
    params = sum(len(ps) for _sql, ps in statements) if connection.vendor == "postgresql" else 0
    with prepared_cursor(params) as cursor:
        if returning:
            head = ", ".join(f"w{i} AS ({sql})" for i, (sql, _params) in enumerate(statements))
            returned = ", ".join(f"(SELECT * FROM w{i})" for i in range(returning))  # noqa: S608
            cursor.execute(f"WITH {head} SELECT {returned}", [p for _sql, ps in statements for p in ps])
            return cursor.fetchone()
        if connection.vendor == "postgresql" and len(statements) > 1:
            head = ", ".join(f"w{i} AS ({sql})" for i, (sql, _params) in enumerate(statements[:-1]))
            params = [p for _sql, ps in statements for p in ps]
            cursor.execute(f"WITH {head} {statements[-1][0]}", params)
        else:
            for sql, params in statements:
                cursor.execute(sql, params)
    return ()


def _saved(obj, pk) -> None:
    obj.pk = pk
    obj._state.adding = False
    obj._state.db = connection.alias


def _flush(collected: Pending) -> None:
    from .figures import figures_statements

    keys = _Keys()
    if connection.vendor == "postgresql" and collected.first:
        heads = []
        for i, obj in enumerate(collected.first):  # each may point at the ones before it
            (sql, params), = insert_statements([obj], keys)
            heads.append((f"{sql} RETURNING {connection.ops.quote_name(obj._meta.pk.column)}", params))
            keys.names[id(obj)] = f"w{i}"
        rest = insert_statements(collected.rows, keys) + figures_statements(collected.figures)
        for obj, pk in zip(collected.first, execute_statements(heads + rest, returning=len(heads)), strict=True):
            _saved(obj, pk)
        return
    for obj in collected.first:
        (sql, params), = insert_statements([obj], keys)
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            _saved(obj, cursor.lastrowid)
    execute_statements(insert_statements(collected.rows, keys) + figures_statements(collected.figures))


_autocommit_flush: ContextVar[list | None] = ContextVar("fulian_autocommit_flush", default=None)


def after_write(fn) -> None:
    """Run `fn` once what is being written is committed: on the transaction's commit, or right after the one
    statement of a write path in autocommit. Its failure is logged, never the writer's."""
    waiting = _autocommit_flush.get()
    if waiting is not None:
        waiting.append(fn)
    else:
        transaction.on_commit(fn, robust=True)


def _run_after(waiting: list) -> None:
    for fn in waiting:
        try:
            fn()
        except Exception:  # as on_commit(robust=True): the write is done, its follower's failure is only logged
            logger.exception("after_write %r failed", fn)


def _no_query(execute, sql, params, many, context):
    raise RuntimeError("a write_path(collect_only=True) block ran a query: it must only collect")


@contextmanager
def write_path(*, collect_only: bool = False):
    """Collect the block's rows and write them together when it ends, atomically. `collect_only`: the block runs
    no query itself; on PostgreSQL outside a transaction its rows are then one statement in autocommit."""
    outer = _pending.get()
    mine = Pending()
    token = _pending.set(mine)
    alone = collect_only and outer is None and connection.vendor == "postgresql" and not connection.in_atomic_block
    waiting: list = []
    try:
        with nullcontext() if alone else transaction.atomic():
            with connection.execute_wrapper(_no_query) if collect_only else nullcontext():
                yield
            if outer is None:
                _pending.set(None)
                flushing = _autocommit_flush.set(waiting if alone else None)
                try:
                    _flush(mine)
                finally:
                    _autocommit_flush.reset(flushing)
    finally:
        _pending.reset(token)
    _run_after(waiting)
    if outer is not None:
        outer.take(mine)
