# The reporting selects and groups offers by their local day of submission
# (`submitted_at__date`, which PostgreSQL runs as
# `(submitted_at AT TIME ZONE '<TIME_ZONE>')::date`): the same expression, indexed.
# PostgreSQL only: on SQLite the expression is a function Django registers on its own
# connections, and an index on it would make every other client (dbshell, sqlite3)
# fail on writes to the offers. The index follows settings.TIME_ZONE at migration time.

from django.conf import settings
from django.db import migrations

INDEX = "offer_submitted_local_day"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    zone = schema_editor.quote_value(settings.TIME_ZONE)
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON offers_offer "
        f"(((submitted_at AT TIME ZONE {zone})::date))"
    )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("offers", "0003_notice_kind_proposed"),
    ]

    operations = [migrations.RunPython(create_index, drop_index)]
