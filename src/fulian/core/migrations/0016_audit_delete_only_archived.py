"""PostgreSQL: the audit rows' DELETE trigger lets through only rows of links already archived.

0015 let a DELETE through whenever the transaction had set `fulian.audit_archive` to 'on' — but a custom setting
can be set by any session, the application role included, so a compromised application could delete rows, among
them the newest, not yet sealed ones, which nothing would then name. Now the row must also lie within a link that an
archive record covers (core.sealing.audit_archive writes that record first, in the same transaction). A forged
archive record is named by `audit_verify` (archives must tile the chain from link 1 and be older than 180 days).
SQLite is unchanged: its archive drops and recreates the trigger (only the tables' owner can).
"""

from django.db import migrations

ROWS = {"core_auditevent": "audit_to", "core_readlog": "read_to"}


def _function(table: str, column: str | None) -> str:
    archived = (
        f"AND OLD.id <= (SELECT coalesce(max(s.{column}), 0) FROM core_auditarchive a "
        f"JOIN core_auditseal s ON s.number = a.seal_to) " if column else ""  # noqa: S608 (our column names)
    )
    return (
        f"CREATE OR REPLACE FUNCTION {table}_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ "
        f"BEGIN IF TG_OP = 'DELETE' AND current_setting('fulian.audit_archive', true) = 'on' {archived}THEN "
        f"RETURN OLD; END IF; RAISE EXCEPTION '{table} is append-only'; END; $$;"
    )


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for table, column in ROWS.items():
            schema_editor.execute(_function(table, column))


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for table in ROWS:
            schema_editor.execute(_function(table, None))


class Migration(migrations.Migration):

    dependencies = [
        ("core", "0015_audit_seal"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards),
    ]
