"""The youths' counts by status too (`YouthCount.status`: active, closed, anonymised),
so that the youth list reads how many youths it holds from them: the list of a mission
locale of 50,000 followed youths counted its first 10,001 rows on every request (1 ms
of PostgreSQL's time, the page's largest statement) and said "plus de 10 000"; the
counts answer exactly, from a few hundred rows.

The triggers of 0020 write the status with the other keys of a group (PostgreSQL: the
function again, the status added; SQLite: the triggers again). The counts already
there are replaced by the youths counted again, by the new groups (the writers of
youths wait meanwhile). Backwards: 0020's triggers, and the counts again by its groups.
`anonymised` stays: the dashboards read it."""

from django.db import migrations, models

GROUP_COLUMNS = "mission_locale_id, stage, anonymised, status, registered_month"

POSTGRESQL = f"""
CREATE OR REPLACE FUNCTION candidates_youth_counts() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO candidates_youthcount ({GROUP_COLUMNS}, youths)
        SELECT mission_locale_id, current_stage, status = 'anonymised', status,
            date_trunc('month', registered_on)::date, count(*)
        FROM youth_new GROUP BY 1, 2, 3, 4, 5;
    ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO candidates_youthcount ({GROUP_COLUMNS}, youths)
        SELECT mission_locale_id, current_stage, status = 'anonymised', status,
            date_trunc('month', registered_on)::date, -count(*)
        FROM youth_old GROUP BY 1, 2, 3, 4, 5;
    ELSE
        INSERT INTO candidates_youthcount ({GROUP_COLUMNS}, youths)
        SELECT ml, stage, anonymised, status, month, sum(delta)
        FROM (
            SELECT mission_locale_id, current_stage, status = 'anonymised', status,
                date_trunc('month', registered_on)::date, 1
            FROM youth_new
            UNION ALL
            SELECT mission_locale_id, current_stage, status = 'anonymised', status,
                date_trunc('month', registered_on)::date, -1
            FROM youth_old
        ) AS moved (ml, stage, anonymised, status, month, delta)
        GROUP BY 1, 2, 3, 4, 5
        HAVING sum(delta) <> 0;
    END IF;
    RETURN NULL;
END
$$;
"""

# 0020's function, for the way back.
POSTGRESQL_REVERSE = """
CREATE OR REPLACE FUNCTION candidates_youth_counts() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO candidates_youthcount
            (mission_locale_id, stage, anonymised, registered_month, youths)
        SELECT mission_locale_id, current_stage, status = 'anonymised',
            date_trunc('month', registered_on)::date, count(*)
        FROM youth_new GROUP BY 1, 2, 3, 4;
    ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO candidates_youthcount
            (mission_locale_id, stage, anonymised, registered_month, youths)
        SELECT mission_locale_id, current_stage, status = 'anonymised',
            date_trunc('month', registered_on)::date, -count(*)
        FROM youth_old GROUP BY 1, 2, 3, 4;
    ELSE
        INSERT INTO candidates_youthcount
            (mission_locale_id, stage, anonymised, registered_month, youths)
        SELECT ml, stage, anonymised, month, sum(delta)
        FROM (
            SELECT mission_locale_id, current_stage, status = 'anonymised',
                date_trunc('month', registered_on)::date, 1
            FROM youth_new
            UNION ALL
            SELECT mission_locale_id, current_stage, status = 'anonymised',
                date_trunc('month', registered_on)::date, -1
            FROM youth_old
        ) AS moved (ml, stage, anonymised, month, delta)
        GROUP BY 1, 2, 3, 4
        HAVING sum(delta) <> 0;
    END IF;
    RETURN NULL;
END
$$;
"""


def _sqlite_triggers(columns: str, group: str, changed: str) -> list[str]:
    insert = f"INSERT INTO candidates_youthcount ({columns}, youths) VALUES "
    return [
        "CREATE TRIGGER candidates_youth_counts_insert AFTER INSERT ON candidates_youth "
        f"BEGIN {insert} ({group.format(row='NEW')}, 1); END",
        "CREATE TRIGGER candidates_youth_counts_delete AFTER DELETE ON candidates_youth "
        f"BEGIN {insert} ({group.format(row='OLD')}, -1); END",
        "CREATE TRIGGER candidates_youth_counts_update AFTER UPDATE ON candidates_youth "
        "WHEN OLD.mission_locale_id IS NOT NEW.mission_locale_id "
        "OR OLD.current_stage IS NOT NEW.current_stage "
        f"OR {changed} "
        "OR date(OLD.registered_on, 'start of month') IS NOT date(NEW.registered_on, 'start of month') "
        f"BEGIN {insert} ({group.format(row='OLD')}, -1), ({group.format(row='NEW')}, 1); END",
    ]


SQLITE = _sqlite_triggers(
    GROUP_COLUMNS,
    "{row}.mission_locale_id, {row}.current_stage, {row}.status = 'anonymised', {row}.status, "
    "date({row}.registered_on, 'start of month')",
    "OLD.status IS NOT NEW.status",
)
# 0020's triggers, for the way back.
SQLITE_REVERSE = _sqlite_triggers(
    "mission_locale_id, stage, anonymised, registered_month",
    "{row}.mission_locale_id, {row}.current_stage, {row}.status = 'anonymised', "
    "date({row}.registered_on, 'start of month')",
    "(OLD.status = 'anonymised') IS NOT (NEW.status = 'anonymised')",
)
SQLITE_DROP = [
    f"DROP TRIGGER IF EXISTS candidates_youth_counts_{event}"
    for event in ("insert", "delete", "update")
]

MONTH = {
    "postgresql": "date_trunc('month', registered_on)::date",
    "sqlite": "date(registered_on, 'start of month')",
}


def _count_again(schema_editor, columns: str, groups: str) -> None:
    """The counts replaced by the youths counted by `groups`, one expression for each
    of `columns` (safe to run twice)."""
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("LOCK TABLE candidates_youth IN SHARE MODE")
    schema_editor.execute("DELETE FROM candidates_youthcount")
    keys = ", ".join(str(n) for n in range(1, columns.count(",") + 2))
    schema_editor.execute(
        f"INSERT INTO candidates_youthcount ({columns}, youths) "  # noqa: S608
        f"SELECT {groups}, count(*) FROM candidates_youth GROUP BY {keys}"
    )


def _vendor(schema_editor) -> str:
    vendor = schema_editor.connection.vendor
    if vendor not in ("postgresql", "sqlite"):
        raise NotImplementedError(f"no youth count triggers for {vendor}")
    return vendor


def _run(schema_editor, statements) -> None:
    for statement in statements:
        schema_editor.execute(statement)


def drop_sqlite_triggers(apps, schema_editor):
    """SQLite writes the table again to add or drop a column, and refuses to while
    triggers name it: they go first. PostgreSQL keeps its triggers meanwhile."""
    if _vendor(schema_editor) == "sqlite":
        _run(schema_editor, SQLITE_DROP)


def count_by_status(apps, schema_editor):
    vendor = _vendor(schema_editor)
    _run(schema_editor, [POSTGRESQL] if vendor == "postgresql" else SQLITE)
    _count_again(
        schema_editor,
        GROUP_COLUMNS,
        f"mission_locale_id, current_stage, status = 'anonymised', status, {MONTH[vendor]}",
    )


def count_without_status(apps, schema_editor):
    """The way back, once the column is gone: 0020's function (PostgreSQL) or triggers
    (SQLite), and the counts again by its groups."""
    vendor = _vendor(schema_editor)
    _run(schema_editor, [POSTGRESQL_REVERSE] if vendor == "postgresql" else SQLITE_REVERSE)
    _count_again(
        schema_editor,
        "mission_locale_id, stage, anonymised, registered_month",
        f"mission_locale_id, current_stage, status = 'anonymised', {MONTH[vendor]}",
    )


class Migration(migrations.Migration):
    dependencies = [
        ("candidates", "0032_name_word_before"),
    ]

    operations = [
        migrations.RunPython(drop_sqlite_triggers, count_without_status),
        migrations.AddField(
            model_name="youthcount",
            name="status",
            # a writer still running 0020's function (a deploy under way) writes none
            field=models.CharField(db_default="", max_length=16, verbose_name="statut"),
        ),
        migrations.RunPython(count_by_status, drop_sqlite_triggers),
    ]
