"""The write path every service takes: `with write_path():` where it would open `transaction.atomic()`.

A counted write is a record plus its traces: dependent rows (a timeline entry: `write_later`), an audit row
(`audit_record`), messages (`outbox_put`) and figure deltas (`figures_add`). Inside a write path these calls
collect their rows instead of writing them one by one; when the block ends they are written together and the
transaction commits. On PostgreSQL "together" is one statement (each INSERT a data-modifying CTE of the next:
one round trip however many tables); on SQLite, which has no round trips, one INSERT per table. The tally upsert
comes last: the rows at the top of the tree (province, country) are shared by every writer in the province, and
are then locked only from that statement to the COMMIT.

Outside a write path the same calls write at once, as before. A nested write path joins the outer one; a nested
block that fails (and is caught) drops what it collected, as its savepoint drops its rows. Rows written later
get no primary key back: nothing may need it before the commit.
"""

from contextlib import contextmanager
from contextvars import ContextVar

from django.db import connection, transaction
from django.db.models import AutoField
from django.db.models.sql import InsertQuery

Statement = tuple[str, list]


class Pending:
    def __init__(self):
        self.rows: list = []  # model instances, inserted in order (audit rows and messages among them)
        self.figures: list = []

    def take(self, other: "Pending") -> None:
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


def insert_statements(objs: list) -> list[Statement]:
    """One multi-row INSERT per model (no RETURNING) for new instances, in first-seen model order."""
    by_model: dict = {}
    for obj in objs:
        by_model.setdefault(type(obj), []).append(obj)
    statements = []
    for model, group in by_model.items():
        for obj in group:
            if not obj._is_pk_set():
                obj.pk = obj._meta.pk.get_pk_value_on_save(obj)
            obj._prepare_related_fields_for_save(operation_name="write_later")
        fields = [f for f in model._meta.concrete_fields if not f.generated and not isinstance(f, AutoField)]
        query = InsertQuery(model)
        query.insert_values(fields, group)
        statements += [(sql, list(params)) for sql, params in query.get_compiler(connection=connection).as_sql()]
    return statements


def execute_statements(statements: list[Statement]) -> None:
    """Run the statements in order: on PostgreSQL as one, the first ones as data-modifying CTEs of the last."""
    if not statements:
        return
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql" and len(statements) > 1:
            head = ", ".join(f"w{i} AS ({sql})" for i, (sql, _params) in enumerate(statements[:-1]))
            params = [p for _sql, ps in statements for p in ps]
            cursor.execute(f"WITH {head} {statements[-1][0]}", params)
        else:
            for sql, params in statements:
                cursor.execute(sql, params)


def _flush(collected: Pending) -> None:
    from .figures import figures_statements

    execute_statements(insert_statements(collected.rows) + figures_statements(collected.figures))


@contextmanager
def write_path():
    outer = _pending.get()
    mine = Pending()
    token = _pending.set(mine)
    try:
        with transaction.atomic():
            yield
            if outer is None:
                _pending.set(None)
                _flush(mine)
    finally:
        _pending.reset(token)
    if outer is not None:
        outer.take(mine)
