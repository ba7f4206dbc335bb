"""The pathway events counted by the database (issue 18, a year's funnel, hires and exits
on the national dashboard cold at 1,000,000 youths): `PathwayCount`, one row of deltas
per (mission locale, stage, month) a write changes, counting the events and those
flagged `first_in_year` and `first_in_month`, written by triggers on the events' table
so that every writer counts (`save()` and the refresh of the flags, bulk writes, cascades from a
youth, transfers, raw SQL). PostgreSQL: statement-level triggers reading the transition
tables (one grouped INSERT per statement); SQLite: row-level triggers. Filled by the
next migration."""

import django.db.models.deletion
from django.db import migrations, models

_PG_GROUP = "mission_locale_id, stage, date_trunc('month', occurred_on)::date"

POSTGRESQL = f"""
CREATE OR REPLACE FUNCTION candidates_pathway_counts() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO candidates_pathwaycount
            (mission_locale_id, stage, month, events, year_entries, month_entries)
        SELECT {_PG_GROUP}, count(*),
            count(*) FILTER (WHERE first_in_year), count(*) FILTER (WHERE first_in_month)
        FROM event_new GROUP BY 1, 2, 3;
    ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO candidates_pathwaycount
            (mission_locale_id, stage, month, events, year_entries, month_entries)
        SELECT {_PG_GROUP}, -count(*),
            -count(*) FILTER (WHERE first_in_year), -count(*) FILTER (WHERE first_in_month)
        FROM event_old GROUP BY 1, 2, 3;
    ELSE
        INSERT INTO candidates_pathwaycount
            (mission_locale_id, stage, month, events, year_entries, month_entries)
        SELECT ml, stage, month, sum(delta), sum(year_delta), sum(month_delta)
        FROM (
            SELECT {_PG_GROUP}, 1, first_in_year::int, first_in_month::int
            FROM event_new
            UNION ALL
            SELECT {_PG_GROUP}, -1, -(first_in_year::int), -(first_in_month::int)
            FROM event_old
        ) AS moved (ml, stage, month, delta, year_delta, month_delta)
        GROUP BY 1, 2, 3
        HAVING sum(delta) <> 0 OR sum(year_delta) <> 0 OR sum(month_delta) <> 0;
    END IF;
    RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION candidates_pathway_counts_truncated() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM candidates_pathwaycount;
    RETURN NULL;
END
$$;

CREATE TRIGGER candidates_pathway_counts_insert AFTER INSERT ON candidates_pathwayevent
    REFERENCING NEW TABLE AS event_new
    FOR EACH STATEMENT EXECUTE FUNCTION candidates_pathway_counts();
CREATE TRIGGER candidates_pathway_counts_update AFTER UPDATE ON candidates_pathwayevent
    REFERENCING OLD TABLE AS event_old NEW TABLE AS event_new
    FOR EACH STATEMENT EXECUTE FUNCTION candidates_pathway_counts();
CREATE TRIGGER candidates_pathway_counts_delete AFTER DELETE ON candidates_pathwayevent
    REFERENCING OLD TABLE AS event_old
    FOR EACH STATEMENT EXECUTE FUNCTION candidates_pathway_counts();
CREATE TRIGGER candidates_pathway_counts_truncate AFTER TRUNCATE ON candidates_pathwayevent
    FOR EACH STATEMENT EXECUTE FUNCTION candidates_pathway_counts_truncated();
"""

POSTGRESQL_REVERSE = """
DROP TRIGGER IF EXISTS candidates_pathway_counts_insert ON candidates_pathwayevent;
DROP TRIGGER IF EXISTS candidates_pathway_counts_update ON candidates_pathwayevent;
DROP TRIGGER IF EXISTS candidates_pathway_counts_delete ON candidates_pathwayevent;
DROP TRIGGER IF EXISTS candidates_pathway_counts_truncate ON candidates_pathwayevent;
DROP FUNCTION IF EXISTS candidates_pathway_counts();
DROP FUNCTION IF EXISTS candidates_pathway_counts_truncated();
"""


def _sqlite_delta(row: str, sign: str) -> str:
    """One row's event added (sign "") or taken out (sign "-")."""
    return (
        "INSERT INTO candidates_pathwaycount "
        "(mission_locale_id, stage, month, events, year_entries, month_entries) VALUES "
        f"({row}.mission_locale_id, {row}.stage, date({row}.occurred_on, 'start of month'), "
        f"{sign}1, {sign}({row}.first_in_year <> 0), {sign}({row}.first_in_month <> 0));"
    )


SQLITE = [
    "CREATE TRIGGER candidates_pathway_counts_insert AFTER INSERT ON candidates_pathwayevent "
    f"BEGIN {_sqlite_delta('NEW', '')} END",
    "CREATE TRIGGER candidates_pathway_counts_delete AFTER DELETE ON candidates_pathwayevent "
    f"BEGIN {_sqlite_delta('OLD', '-')} END",
    "CREATE TRIGGER candidates_pathway_counts_update AFTER UPDATE ON candidates_pathwayevent "
    "WHEN OLD.mission_locale_id IS NOT NEW.mission_locale_id "
    "OR OLD.stage IS NOT NEW.stage "
    "OR date(OLD.occurred_on, 'start of month') IS NOT date(NEW.occurred_on, 'start of month') "
    "OR (OLD.first_in_year <> 0) IS NOT (NEW.first_in_year <> 0) "
    "OR (OLD.first_in_month <> 0) IS NOT (NEW.first_in_month <> 0) "
    f"BEGIN {_sqlite_delta('OLD', '-')} {_sqlite_delta('NEW', '')} END",
]
SQLITE_REVERSE = [
    f"DROP TRIGGER IF EXISTS candidates_pathway_counts_{event}"
    for event in ("insert", "delete", "update")
]


def install_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRESQL)
    elif vendor == "sqlite":
        for statement in SQLITE:
            schema_editor.execute(statement)
    else:
        raise NotImplementedError(f"no stage entry count triggers for {vendor}")


def drop_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRESQL_REVERSE)
    else:
        for statement in SQLITE_REVERSE:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_information_notice"),
        ("candidates", "0025_matching_pool_stamp"),
    ]

    operations = [
        migrations.CreateModel(
            name="PathwayCount",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("stage", models.CharField(max_length=16, verbose_name="étape")),
                ("month", models.DateField(verbose_name="mois")),
                ("events", models.IntegerField(verbose_name="événements")),
                ("year_entries", models.IntegerField(verbose_name="entrées de l'année")),
                ("month_entries", models.IntegerField(verbose_name="entrées du mois")),
                (
                    "mission_locale",
                    models.ForeignKey(
                        db_constraint=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="accounts.organisation",
                        verbose_name="mission locale",
                    ),
                ),
            ],
            options={
                "verbose_name": "décompte des événements du parcours",
                "verbose_name_plural": "décomptes des événements du parcours",
            },
        ),
        migrations.RunPython(install_triggers, drop_triggers),
    ]
