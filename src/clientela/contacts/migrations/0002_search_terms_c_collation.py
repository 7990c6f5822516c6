"""Search terms are compared by byte on PostgreSQL, as on SQLite.

The prefix range scans in contacts.search rely on byte order; a locale collation could sort
digits and letters of a term differently. SQLite compares bytes already, so this runs on
PostgreSQL only.
"""

from django.db import migrations

TABLES = ["contacts_contactsearchterm", "contacts_companysearchterm"]


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
    dependencies = [("contacts", "0001_initial")]

    operations = [migrations.RunPython(to_c_collation, to_default_collation)]
