"""Count the youths already there into `YouthCount` (its triggers count the writes
from the previous migration on). Safe to run twice: the counts are replaced, not added
to; on PostgreSQL the writers of youths wait meanwhile (a share lock), so that a youth
written in between is counted once. Backwards: the counts are emptied."""

from django.db import migrations

GROUPS = {
    "postgresql": (
        "mission_locale_id, current_stage, status = 'anonymised', "
        "date_trunc('month', registered_on)::date"
    ),
    "sqlite": (
        "mission_locale_id, current_stage, status = 'anonymised', "
        "date(registered_on, 'start of month')"
    ),
}


def count_youths(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute("LOCK TABLE candidates_youth IN SHARE MODE")
    schema_editor.execute("DELETE FROM candidates_youthcount")
    schema_editor.execute(
        "INSERT INTO candidates_youthcount "
        "(mission_locale_id, stage, anonymised, registered_month, youths) "
        f"SELECT {GROUPS[vendor]}, count(*) FROM candidates_youth GROUP BY 1, 2, 3, 4"
    )


def empty_counts(apps, schema_editor):
    schema_editor.execute("DELETE FROM candidates_youthcount")


class Migration(migrations.Migration):
    dependencies = [
        ("candidates", "0020_dashcold_youth_counts"),
    ]

    operations = [
        migrations.RunPython(count_youths, empty_counts),
    ]
