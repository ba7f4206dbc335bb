"""A trigram index on the youths' normalised name, on PostgreSQL only.

The name search is `search_name LIKE '%word%'` for each word typed: without this index
PostgreSQL reads every youth of the mission locale (50,000 to 200,000 rows). A GIN
index with `gin_trgm_ops` (pg_trgm, a trusted extension the database's owner may
create) answers LIKE '%…%' from the trigrams of the word. SQLite, the embedded default,
keeps its plain scan: the operation does nothing there. The model's state does not
change (the index is not in `Meta.indexes`, which would be created on SQLite too).
"""

from django.db import migrations

INDEX = "candidates_youth_search_name_trgm"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON candidates_youth "
        "USING gin (search_name gin_trgm_ops)"
    )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("candidates", "0010_import_column_mapping")]

    operations = [migrations.RunPython(create_index, drop_index, elidable=False)]
