"""The youths counted by the database (issue 18, the national dashboard cold at
1,000,000 youths): `YouthCount`, one row of deltas per (mission locale, stage,
anonymised, month of registration) a write changes, written by triggers on the youths'
table so that every writer counts (services, bulk writes, cascades, raw SQL).
PostgreSQL: statement-level triggers reading the transition tables (one grouped
INSERT per statement, an import of thousands of youths included); SQLite: row-level
triggers. Filled by the next migration."""

import django.db.models.deletion
from django.db import migrations, models

POSTGRESQL = """
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

CREATE OR REPLACE FUNCTION candidates_youth_counts_truncated() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM candidates_youthcount;
    RETURN NULL;
END
$$;

CREATE TRIGGER candidates_youth_counts_insert AFTER INSERT ON candidates_youth
    REFERENCING NEW TABLE AS youth_new
    FOR EACH STATEMENT EXECUTE FUNCTION candidates_youth_counts();
CREATE TRIGGER candidates_youth_counts_update AFTER UPDATE ON candidates_youth
    REFERENCING OLD TABLE AS youth_old NEW TABLE AS youth_new
    FOR EACH STATEMENT EXECUTE FUNCTION candidates_youth_counts();
CREATE TRIGGER candidates_youth_counts_delete AFTER DELETE ON candidates_youth
    REFERENCING OLD TABLE AS youth_old
    FOR EACH STATEMENT EXECUTE FUNCTION candidates_youth_counts();
CREATE TRIGGER candidates_youth_counts_truncate AFTER TRUNCATE ON candidates_youth
    FOR EACH STATEMENT EXECUTE FUNCTION candidates_youth_counts_truncated();
"""

POSTGRESQL_REVERSE = """
DROP TRIGGER IF EXISTS candidates_youth_counts_insert ON candidates_youth;
DROP TRIGGER IF EXISTS candidates_youth_counts_update ON candidates_youth;
DROP TRIGGER IF EXISTS candidates_youth_counts_delete ON candidates_youth;
DROP TRIGGER IF EXISTS candidates_youth_counts_truncate ON candidates_youth;
DROP FUNCTION IF EXISTS candidates_youth_counts();
DROP FUNCTION IF EXISTS candidates_youth_counts_truncated();
"""

_SQLITE_GROUP = (
    "{row}.mission_locale_id, {row}.current_stage, {row}.status = 'anonymised', "
    "date({row}.registered_on, 'start of month')"
)
_SQLITE_INSERT = (
    "INSERT INTO candidates_youthcount "
    "(mission_locale_id, stage, anonymised, registered_month, youths) VALUES "
)
SQLITE = [
    "CREATE TRIGGER candidates_youth_counts_insert AFTER INSERT ON candidates_youth "
    f"BEGIN {_SQLITE_INSERT} ({_SQLITE_GROUP.format(row='NEW')}, 1); END",
    "CREATE TRIGGER candidates_youth_counts_delete AFTER DELETE ON candidates_youth "
    f"BEGIN {_SQLITE_INSERT} ({_SQLITE_GROUP.format(row='OLD')}, -1); END",
    "CREATE TRIGGER candidates_youth_counts_update AFTER UPDATE ON candidates_youth "
    "WHEN OLD.mission_locale_id IS NOT NEW.mission_locale_id "
    "OR OLD.current_stage IS NOT NEW.current_stage "
    "OR (OLD.status = 'anonymised') IS NOT (NEW.status = 'anonymised') "
    "OR date(OLD.registered_on, 'start of month') IS NOT date(NEW.registered_on, 'start of month') "
    f"BEGIN {_SQLITE_INSERT} ({_SQLITE_GROUP.format(row='OLD')}, -1), "
    f"({_SQLITE_GROUP.format(row='NEW')}, 1); END",
]
SQLITE_REVERSE = [
    f"DROP TRIGGER IF EXISTS candidates_youth_counts_{event}"
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
        raise NotImplementedError(f"no youth count triggers for {vendor}")


def drop_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRESQL_REVERSE)
    else:
        for statement in SQLITE_REVERSE:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_information_notice"),
        ("candidates", "0019_pathway_event_mission_locale_required"),
    ]

    operations = [
        migrations.CreateModel(
            name="YouthCount",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("stage", models.CharField(max_length=16, verbose_name="étape")),
                ("anonymised", models.BooleanField(verbose_name="anonymisé")),
                ("registered_month", models.DateField(verbose_name="mois d'inscription")),
                ("youths", models.IntegerField(verbose_name="jeunes")),
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
                "verbose_name": "décompte de jeunes",
                "verbose_name_plural": "décomptes de jeunes",
            },
        ),
        migrations.RunPython(install_triggers, drop_triggers),
    ]
