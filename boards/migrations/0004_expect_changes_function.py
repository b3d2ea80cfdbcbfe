"""The function the write path's last query checks its row counts with on PostgreSQL, before
the COMMIT it carries (boards.rows.run_together). Nothing on other databases."""

from django.db import migrations

FUNCTION = """
CREATE OR REPLACE FUNCTION journeymap_expect_changes(expected integer, changed bigint)
RETURNS integer LANGUAGE plpgsql AS $$
BEGIN
    IF changed <> expected THEN
        -- The ORM's words for an UPDATE of a row that is gone.
        RAISE EXCEPTION 'Save with update_fields did not affect any rows.'
            USING ERRCODE = 'no_data_found';
    END IF;
    RETURN changed;
END
$$
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FUNCTION)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP FUNCTION IF EXISTS journeymap_expect_changes(integer, bigint)")


class Migration(migrations.Migration):
    dependencies = [("boards", "0003_sharing")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
