"""Each offer's proposals counted by the database (issue 18, the offers' figures of a
year on the national dashboard): `OfferProposals`, one row per offer with proposals
(how many, the first one's time), kept by triggers on the proposals' table so that
every writer counts (services, bulk writes, cascades, raw SQL). A proposal added adds
to its offer's row; a proposal removed, or moved to another offer or in time, has its
offers counted again from their proposals (the first may have gone). PostgreSQL:
statement-level triggers reading the transition tables; SQLite: row-level triggers.
Filled by the next migration."""

import django.db.models.deletion
from django.db import migrations, models

POSTGRESQL = """
CREATE OR REPLACE FUNCTION offers_proposal_counts() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    recount bigint[];
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO offers_offerproposals AS counted (offer_id, proposals, first_proposal_at)
        SELECT offer_id, count(*), min(created_at) FROM proposal_new
        GROUP BY offer_id ORDER BY offer_id
        ON CONFLICT (offer_id) DO UPDATE SET
            proposals = counted.proposals + excluded.proposals,
            first_proposal_at = LEAST(counted.first_proposal_at, excluded.first_proposal_at);
        RETURN NULL;
    ELSIF TG_OP = 'DELETE' THEN
        SELECT array_agg(DISTINCT offer_id) INTO recount FROM proposal_old;
    ELSE
        SELECT array_agg(DISTINCT offer_id) INTO recount FROM (
            SELECT o.offer_id FROM proposal_old o JOIN proposal_new n USING (id)
            WHERE o.offer_id IS DISTINCT FROM n.offer_id
                OR o.created_at IS DISTINCT FROM n.created_at
            UNION ALL
            SELECT n.offer_id FROM proposal_old o JOIN proposal_new n USING (id)
            WHERE o.offer_id IS DISTINCT FROM n.offer_id
                OR o.created_at IS DISTINCT FROM n.created_at
        ) AS moved;
    END IF;
    IF recount IS NOT NULL THEN
        DELETE FROM offers_offerproposals WHERE offer_id = ANY (recount);
        INSERT INTO offers_offerproposals (offer_id, proposals, first_proposal_at)
        SELECT offer_id, count(*), min(created_at) FROM offers_proposal
        WHERE offer_id = ANY (recount) GROUP BY offer_id;
    END IF;
    RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION offers_proposal_counts_truncated() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM offers_offerproposals;
    RETURN NULL;
END
$$;

CREATE TRIGGER offers_proposal_counts_insert AFTER INSERT ON offers_proposal
    REFERENCING NEW TABLE AS proposal_new
    FOR EACH STATEMENT EXECUTE FUNCTION offers_proposal_counts();
CREATE TRIGGER offers_proposal_counts_update AFTER UPDATE ON offers_proposal
    REFERENCING OLD TABLE AS proposal_old NEW TABLE AS proposal_new
    FOR EACH STATEMENT EXECUTE FUNCTION offers_proposal_counts();
CREATE TRIGGER offers_proposal_counts_delete AFTER DELETE ON offers_proposal
    REFERENCING OLD TABLE AS proposal_old
    FOR EACH STATEMENT EXECUTE FUNCTION offers_proposal_counts();
CREATE TRIGGER offers_proposal_counts_truncate AFTER TRUNCATE ON offers_proposal
    FOR EACH STATEMENT EXECUTE FUNCTION offers_proposal_counts_truncated();
"""

POSTGRESQL_REVERSE = """
DROP TRIGGER IF EXISTS offers_proposal_counts_insert ON offers_proposal;
DROP TRIGGER IF EXISTS offers_proposal_counts_update ON offers_proposal;
DROP TRIGGER IF EXISTS offers_proposal_counts_delete ON offers_proposal;
DROP TRIGGER IF EXISTS offers_proposal_counts_truncate ON offers_proposal;
DROP FUNCTION IF EXISTS offers_proposal_counts();
DROP FUNCTION IF EXISTS offers_proposal_counts_truncated();
"""

_SQLITE_RECOUNT = (
    "DELETE FROM offers_offerproposals WHERE offer_id = {offer}; "
    "INSERT INTO offers_offerproposals (offer_id, proposals, first_proposal_at) "
    "SELECT offer_id, count(*), min(created_at) FROM offers_proposal "
    "WHERE offer_id = {offer} GROUP BY offer_id;"
)
SQLITE = [
    "CREATE TRIGGER offers_proposal_counts_insert AFTER INSERT ON offers_proposal BEGIN "
    "INSERT INTO offers_offerproposals (offer_id, proposals, first_proposal_at) "
    "VALUES (NEW.offer_id, 1, NEW.created_at) ON CONFLICT (offer_id) DO UPDATE SET "
    "proposals = proposals + 1, "
    "first_proposal_at = min(first_proposal_at, excluded.first_proposal_at); END",
    "CREATE TRIGGER offers_proposal_counts_delete AFTER DELETE ON offers_proposal BEGIN "
    f"{_SQLITE_RECOUNT.format(offer='OLD.offer_id')} END",
    "CREATE TRIGGER offers_proposal_counts_update AFTER UPDATE ON offers_proposal "
    "WHEN OLD.offer_id IS NOT NEW.offer_id OR OLD.created_at IS NOT NEW.created_at BEGIN "
    f"{_SQLITE_RECOUNT.format(offer='OLD.offer_id')} "
    f"{_SQLITE_RECOUNT.format(offer='NEW.offer_id')} END",
]
SQLITE_REVERSE = [
    f"DROP TRIGGER IF EXISTS offers_proposal_counts_{event}"
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
        raise NotImplementedError(f"no proposal count triggers for {vendor}")


def drop_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRESQL_REVERSE)
    else:
        for statement in SQLITE_REVERSE:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("offers", "0011_proposal_offer_created_index"),
    ]

    operations = [
        migrations.CreateModel(
            name="OfferProposals",
            fields=[
                (
                    "offer",
                    models.OneToOneField(
                        db_constraint=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        primary_key=True,
                        related_name="proposal_counts",
                        serialize=False,
                        to="offers.offer",
                        verbose_name="offre",
                    ),
                ),
                ("proposals", models.IntegerField(verbose_name="candidatures")),
                (
                    "first_proposal_at",
                    models.DateTimeField(verbose_name="première candidature le"),
                ),
            ],
            options={
                "verbose_name": "décompte des candidatures d'une offre",
                "verbose_name_plural": "décomptes des candidatures des offres",
            },
        ),
        migrations.RunPython(install_triggers, drop_triggers),
    ]
