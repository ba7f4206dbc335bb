"""Each mission locale's pool stamp (`PoolStamp`), changed by database triggers whenever
a youth of it is added, removed or changed in what the matching suggestions read, so
that their ranking can be kept under it. Triggers rather than the services: the import,
the transfers, anonymisation, the admin and bulk updates all write youths, and none of
them can forget it. The columns are `candidates.models.pool.POOL_COLUMNS` as they stand
at this migration (copied, so that a later change of the tuple needs a new migration).

A change appends a row (a new random token); no row is ever updated, so two
transactions writing youths of the same mission locale never wait for each other (an
import's confirmation holds its transaction for its whole file)."""

import django.db.models.deletion
from django.db import migrations, models

COLUMNS = (
    "mission_locale_id",
    "status",
    "consent_shared_at",
    "consent_withdrawn_at",
    "current_stage",
    "last_assessment_outcome",
    "skills",
    "previous_sector",
    "availability",
    "mobility",
    "postcode",
    "contract_wishes",
    "first_name",
    "last_name",
)

# PostgreSQL: one run per statement, whatever the number of rows (an import of 10,000
# youths stamps its mission locale once).
PG_FUNCTION = """
CREATE OR REPLACE FUNCTION candidates_youth_pool_stamp() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO candidates_poolstamp AS s (mission_locale_id, stamp)
        SELECT ml, gen_random_uuid()::text
        FROM (SELECT DISTINCT mission_locale_id AS ml FROM new_rows) changed;
    ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO candidates_poolstamp AS s (mission_locale_id, stamp)
        SELECT ml, gen_random_uuid()::text
        FROM (SELECT DISTINCT mission_locale_id AS ml FROM old_rows) changed;
    ELSE
        INSERT INTO candidates_poolstamp AS s (mission_locale_id, stamp)
        SELECT ml, gen_random_uuid()::text FROM (
            SELECT o.mission_locale_id AS ml
            FROM old_rows o JOIN new_rows n ON n.id = o.id
            WHERE ROW(%(old)s) IS DISTINCT FROM ROW(%(new)s)
            UNION
            SELECT n.mission_locale_id
            FROM old_rows o JOIN new_rows n ON n.id = o.id
            WHERE ROW(%(old)s) IS DISTINCT FROM ROW(%(new)s)
        ) changed;
    END IF;
    RETURN NULL;
END
$$;
""" % {
    "old": ", ".join(f"o.{column}" for column in COLUMNS),
    "new": ", ".join(f"n.{column}" for column in COLUMNS),
}
PG_TRIGGERS = [
    PG_FUNCTION,
    "CREATE TRIGGER candidates_youth_pool_insert AFTER INSERT ON candidates_youth "
    "REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT "
    "EXECUTE FUNCTION candidates_youth_pool_stamp()",
    "CREATE TRIGGER candidates_youth_pool_update AFTER UPDATE ON candidates_youth "
    "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT "
    "EXECUTE FUNCTION candidates_youth_pool_stamp()",
    "CREATE TRIGGER candidates_youth_pool_delete AFTER DELETE ON candidates_youth "
    "REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT "
    "EXECUTE FUNCTION candidates_youth_pool_stamp()",
]
PG_DROP = [
    "DROP TRIGGER IF EXISTS candidates_youth_pool_insert ON candidates_youth",
    "DROP TRIGGER IF EXISTS candidates_youth_pool_update ON candidates_youth",
    "DROP TRIGGER IF EXISTS candidates_youth_pool_delete ON candidates_youth",
    "DROP FUNCTION IF EXISTS candidates_youth_pool_stamp()",
]
PG_SEED = (
    "INSERT INTO candidates_poolstamp (mission_locale_id, stamp) "
    "SELECT ml, gen_random_uuid()::text "
    "FROM (SELECT DISTINCT mission_locale_id AS ml FROM candidates_youth) pools"
)


def _sqlite_stamp(ref: str) -> str:
    return (
        "INSERT INTO candidates_poolstamp (mission_locale_id, stamp) "
        f"SELECT {ref}.mission_locale_id, lower(hex(randomblob(16))) "
        f"WHERE EXISTS (SELECT 1 FROM accounts_organisation WHERE id = {ref}.mission_locale_id);"
    )


# SQLite (development and the tests): one run per row. A mission locale already deleted
# gets no stamp: emptying the database (the tests' flush) deletes the organisations
# before the youths, its foreign keys checked at the end.
SQLITE_TRIGGERS = [
    "CREATE TRIGGER candidates_youth_pool_insert AFTER INSERT ON candidates_youth "
    f"FOR EACH ROW BEGIN {_sqlite_stamp('NEW')} END",
    "CREATE TRIGGER candidates_youth_pool_delete AFTER DELETE ON candidates_youth "
    f"FOR EACH ROW BEGIN {_sqlite_stamp('OLD')} END",
    "CREATE TRIGGER candidates_youth_pool_update AFTER UPDATE ON candidates_youth "
    "FOR EACH ROW WHEN "
    + " OR ".join(f"OLD.{column} IS NOT NEW.{column}" for column in COLUMNS)
    + f" BEGIN {_sqlite_stamp('OLD')} {_sqlite_stamp('NEW')} END",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS candidates_youth_pool_insert",
    "DROP TRIGGER IF EXISTS candidates_youth_pool_update",
    "DROP TRIGGER IF EXISTS candidates_youth_pool_delete",
]
SQLITE_SEED = (
    "INSERT INTO candidates_poolstamp (mission_locale_id, stamp) "
    "SELECT ml, lower(hex(randomblob(16))) "
    "FROM (SELECT DISTINCT mission_locale_id AS ml FROM candidates_youth) pools"
)


def install_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        statements = [*PG_TRIGGERS, PG_SEED]
    elif vendor == "sqlite":
        statements = [*SQLITE_TRIGGERS, SQLITE_SEED]
    else:
        raise NotImplementedError(f"No pool stamp triggers for {vendor}.")
    for statement in statements:
        schema_editor.execute(statement, params=None)


def drop_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for statement in PG_DROP if vendor == "postgresql" else SQLITE_DROP:
        schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_information_notice"),
        ("candidates", "0024_dashcold_first_in_month_index"),
    ]

    operations = [
        migrations.CreateModel(
            name="PoolStamp",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("stamp", models.CharField(max_length=36, verbose_name="empreinte")),
                (
                    "mission_locale",
                    models.ForeignKey(
                        db_constraint=False,
                        db_index=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="accounts.organisation",
                        verbose_name="mission locale",
                    ),
                ),
            ],
            options={
                "verbose_name": "empreinte du vivier",
                "verbose_name_plural": "empreintes des viviers",
                "indexes": [
                    models.Index(fields=["mission_locale", "id"], name="pool_stamp_latest")
                ],
            },
        ),
        migrations.RunPython(install_triggers, drop_triggers),
    ]
