"""Deal search terms are compared by byte on PostgreSQL, as on SQLite.

The same reason as contacts/migrations/0002: the prefix range scans of the search rely on
byte order. SQLite compares bytes already, so this runs on PostgreSQL only.
"""

from django.db import migrations

TABLES = ["sales_dealsearchterm"]


def to_c_collation(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        schema_editor.execute(f'ALTER TABLE {table} ALTER COLUMN term TYPE varchar(60) COLLATE "C"')


def to_default_collation(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        schema_editor.execute(f"ALTER TABLE {table} ALTER COLUMN term TYPE varchar(60)")


class Migration(migrations.Migration):
    dependencies = [("sales", "0001_initial")]

    operations = [migrations.RunPython(to_c_collation, to_default_collation)]
