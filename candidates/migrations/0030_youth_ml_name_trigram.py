"""The name search's trigram index led by the mission locale, on PostgreSQL only.

A search is `mission_locale_id IN (…) AND search_name LIKE '%word%'`. The trigram index
of 0011 (`search_name` alone) returns the matches of every mission locale, which are
then read from the table and dropped: "lefevre" among 1,000,000 youths finds ~30,000
rows for ~7,700 in the largest mission locale. A GIN index on (mission locale, name
trigrams) answers both conditions in the index: only the mission locale's matches are
read. GIN indexes a plain bigint column through `btree_gin` (a trusted extension, as
pg_trgm: the database's owner may create it). It also serves a search without a mission
locale (an admin's), so it replaces 0011's index.

Before PostgreSQL 18, btree_gin only matches a comparison of the column's own type:
`mission_locale_id = 1` (an integer) cannot use it, `= 1::bigint` can; `visible_to`
writes the ids as bigint for this reason.

SQLite, the embedded default, keeps its plain scan: the extension and the index are
skipped there, and the model's state does not change (an index in `Meta.indexes` would
be created on SQLite too)."""

from django.contrib.postgres.operations import BtreeGinExtension
from django.db import migrations

INDEX = "youth_ml_name_trgm"
FORMER = "candidates_youth_search_name_trgm"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON candidates_youth "
        "USING gin (mission_locale_id, search_name gin_trgm_ops)"
    )
    schema_editor.execute(f"DROP INDEX IF EXISTS {FORMER}")


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {FORMER} ON candidates_youth "
        "USING gin (search_name gin_trgm_ops)"
    )
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("candidates", "0029_dashyear_pathway_counts_backfill")]

    operations = [
        BtreeGinExtension(),
        migrations.RunPython(create_index, drop_index, elidable=False),
    ]
