"""The offers' figures counted by the database (issue 18, the cold national dashboard at
1,000,000 youths): `OfferCount`, deltas by region, job role and local month of
submission, kept by triggers on the offers and on their proposals' counts
(`OfferProposals`, kept by 0012's triggers) so that every writer counts. The
dashboards read a year's figures from them instead of the year's offers joined to
their proposals' counts (136 of a cold dashboard's 153 ms of SQL at 100,000 offers).

An offer counts once it has left the drafts and was submitted: in the group of its
region, job role and local month of submission, with its positions, whether it is
filled, its proposals and its times from publication (to the first proposal, to
filled) in microseconds. A write of the offers moves each changed offer's share
between its old and new groups, with its proposals as they are; a write of the
proposals' counts moves the proposals' share of its offers. A truncation counts again.

PostgreSQL only: the local month is `submitted_at` in settings.TIME_ZONE at migration
time (as 0004's index), which SQLite cannot convert; there the reporting counts the
offers themselves. After a change of TIME_ZONE, run this migration back and forth.
`offers_offer_counts_rebuild()` counts every offer again (the migration fills the
table with it; `figures.rebuild_offer_counts` locks the writers first)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

# The SQL below is written from this migration's own names and constants (S608).
KEYS = "region_id, job_role_id, month"
FIGURES = (
    "offers, offers_filled, positions_offered, positions_filled, proposals, "
    "to_first_us, to_first_offers, to_fill_us, to_fill_offers"
)
SUMS = ", ".join(f"sum({column})" for column in FIGURES.split(", "))
NONZERO = " OR ".join(f"sum({column}) <> 0" for column in FIGURES.split(", "))
# The columns that move an offer's share (the proposals' count is another table's).
COUNTED = (
    "status, submitted_at, region_id, job_role_id, positions, positions_filled, "
    "published_at, filled_at"
)


def share(offers: str, proposals: str, sign: str, zone: str) -> str:
    """Each registered offer of `offers` with its row of `proposals` (or none): its
    group, and its figures times `sign`."""
    return f"""
        SELECT o.region_id, o.job_role_id,
            date_trunc('month', o.submitted_at AT TIME ZONE {zone})::date,
            {sign}, {sign} * (o.status = 'filled')::int, {sign} * o.positions,
            {sign} * o.positions_filled, {sign} * coalesce(p.proposals, 0),
            {sign} * coalesce(round(extract(epoch FROM p.first_proposal_at - o.published_at)
                * 1000000), 0)::bigint,
            {sign} * (p.first_proposal_at IS NOT NULL AND o.published_at IS NOT NULL)::int,
            {sign} * coalesce(round(extract(epoch FROM o.filled_at - o.published_at)
                * 1000000), 0)::bigint,
            {sign} * (o.filled_at IS NOT NULL AND o.published_at IS NOT NULL)::int
        FROM {offers} o LEFT JOIN {proposals} p ON p.offer_id = o.id
        WHERE o.status <> 'draft' AND o.submitted_at IS NOT NULL"""  # noqa: S608


def moved(*shares: str) -> str:
    """The deltas of the shares, one row per group that changed."""
    union = " UNION ALL ".join(shares)
    return f"""
        INSERT INTO offers_offercount ({KEYS}, {FIGURES})
        SELECT {KEYS}, {SUMS} FROM ({union}) AS moved ({KEYS}, {FIGURES})
        GROUP BY {KEYS} HAVING {NONZERO}"""  # noqa: S608


# An offer without proposals has no row of counts.
NO_COUNTS = "(SELECT * FROM offers_offerproposals WHERE false)"


def offers_of(counts: str) -> str:
    """The offers whose proposals' counts are in `counts`."""
    return f"(SELECT o.* FROM offers_offer o JOIN {counts} c ON c.offer_id = o.id)"  # noqa: S608


def postgresql(zone: str) -> str:
    differs = (
        f"({', '.join('o.' + c for c in COUNTED.split(', '))}) "
        f"IS DISTINCT FROM ({', '.join('n.' + c for c in COUNTED.split(', '))})"
    )
    # the offers whose share moved, as they are now and as they were
    changed = f"(SELECT n.* FROM offer_new n JOIN offer_old o USING (id) WHERE {differs})"  # noqa: S608
    changed_old = f"(SELECT o.* FROM offer_old o JOIN offer_new n USING (id) WHERE {differs})"  # noqa: S608
    current = "offers_offerproposals"
    return f"""
CREATE OR REPLACE FUNCTION offers_offer_counts() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        {moved(share("offer_new", current, "1", zone))};
    ELSIF TG_OP = 'DELETE' THEN
        {moved(share("offer_old", current, "-1", zone))};
    ELSE
        {moved(share(changed, current, "1", zone), share(changed_old, current, "-1", zone))};
    END IF;
    RETURN NULL;
END
$$;

-- A change of offers' proposals' counts: each offer's share with its new count, less
-- its share with its old one (no row: no proposal).
CREATE OR REPLACE FUNCTION offers_offer_proposal_counts() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        {moved(share(offers_of("counts_new"), "counts_new", "1", zone), share(offers_of("counts_new"), NO_COUNTS, "-1", zone))};
    ELSIF TG_OP = 'DELETE' THEN
        {moved(share(offers_of("counts_old"), NO_COUNTS, "1", zone), share(offers_of("counts_old"), "counts_old", "-1", zone))};
    ELSE
        {moved(share(offers_of("counts_new"), "counts_new", "1", zone), share(offers_of("counts_old"), "counts_old", "-1", zone))};
    END IF;
    RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION offers_offer_counts_rebuild() RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM offers_offercount;
    {moved(share("offers_offer", current, "1", zone))};
END
$$;

CREATE OR REPLACE FUNCTION offers_offer_counts_truncated() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM offers_offer_counts_rebuild();
    RETURN NULL;
END
$$;

CREATE TRIGGER offers_offer_counts_insert AFTER INSERT ON offers_offer
    REFERENCING NEW TABLE AS offer_new
    FOR EACH STATEMENT EXECUTE FUNCTION offers_offer_counts();
CREATE TRIGGER offers_offer_counts_update AFTER UPDATE ON offers_offer
    REFERENCING OLD TABLE AS offer_old NEW TABLE AS offer_new
    FOR EACH STATEMENT EXECUTE FUNCTION offers_offer_counts();
CREATE TRIGGER offers_offer_counts_delete AFTER DELETE ON offers_offer
    REFERENCING OLD TABLE AS offer_old
    FOR EACH STATEMENT EXECUTE FUNCTION offers_offer_counts();
CREATE TRIGGER offers_offer_counts_truncate AFTER TRUNCATE ON offers_offer
    FOR EACH STATEMENT EXECUTE FUNCTION offers_offer_counts_truncated();
CREATE TRIGGER offers_offer_proposal_counts_insert AFTER INSERT ON offers_offerproposals
    REFERENCING NEW TABLE AS counts_new
    FOR EACH STATEMENT EXECUTE FUNCTION offers_offer_proposal_counts();
CREATE TRIGGER offers_offer_proposal_counts_update AFTER UPDATE ON offers_offerproposals
    REFERENCING OLD TABLE AS counts_old NEW TABLE AS counts_new
    FOR EACH STATEMENT EXECUTE FUNCTION offers_offer_proposal_counts();
CREATE TRIGGER offers_offer_proposal_counts_delete AFTER DELETE ON offers_offerproposals
    REFERENCING OLD TABLE AS counts_old
    FOR EACH STATEMENT EXECUTE FUNCTION offers_offer_proposal_counts();
CREATE TRIGGER offers_offer_proposal_counts_truncate AFTER TRUNCATE ON offers_offerproposals
    FOR EACH STATEMENT EXECUTE FUNCTION offers_offer_counts_truncated();
"""  # noqa: S608


POSTGRESQL_REVERSE = """
DROP TRIGGER IF EXISTS offers_offer_counts_insert ON offers_offer;
DROP TRIGGER IF EXISTS offers_offer_counts_update ON offers_offer;
DROP TRIGGER IF EXISTS offers_offer_counts_delete ON offers_offer;
DROP TRIGGER IF EXISTS offers_offer_counts_truncate ON offers_offer;
DROP TRIGGER IF EXISTS offers_offer_proposal_counts_insert ON offers_offerproposals;
DROP TRIGGER IF EXISTS offers_offer_proposal_counts_update ON offers_offerproposals;
DROP TRIGGER IF EXISTS offers_offer_proposal_counts_delete ON offers_offerproposals;
DROP TRIGGER IF EXISTS offers_offer_proposal_counts_truncate ON offers_offerproposals;
DROP FUNCTION IF EXISTS offers_offer_counts();
DROP FUNCTION IF EXISTS offers_offer_proposal_counts();
DROP FUNCTION IF EXISTS offers_offer_counts_truncated();
DROP FUNCTION IF EXISTS offers_offer_counts_rebuild();
"""


def install_triggers(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(postgresql(schema_editor.quote_value(settings.TIME_ZONE)))
    # the offers already there; the writers of offers and proposals wait meanwhile
    schema_editor.execute(
        "LOCK TABLE offers_offer, offers_offerproposals IN SHARE ROW EXCLUSIVE MODE"
    )
    schema_editor.execute("SELECT offers_offer_counts_rebuild()")


def drop_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRESQL_REVERSE)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_information_notice"),
        ("offers", "0014_dashyear_offer_submitted_figures_index"),
    ]

    operations = [
        migrations.CreateModel(
            name="OfferCount",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("month", models.DateField(verbose_name="mois de soumission")),
                ("offers", models.IntegerField(verbose_name="offres enregistrées")),
                ("offers_filled", models.IntegerField(verbose_name="offres pourvues")),
                ("positions_offered", models.IntegerField(verbose_name="postes offerts")),
                ("positions_filled", models.IntegerField(verbose_name="postes pourvus")),
                ("proposals", models.IntegerField(verbose_name="candidatures")),
                (
                    "to_first_us",
                    models.BigIntegerField(
                        verbose_name="durées jusqu'à la première candidature (µs)"
                    ),
                ),
                (
                    "to_first_offers",
                    models.IntegerField(verbose_name="offres avec une première candidature"),
                ),
                ("to_fill_us", models.BigIntegerField(verbose_name="durées jusqu'à pourvue (µs)")),
                (
                    "to_fill_offers",
                    models.IntegerField(verbose_name="offres pourvues depuis leur publication"),
                ),
                (
                    "job_role",
                    models.ForeignKey(
                        db_constraint=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="offers.jobrole",
                        verbose_name="métier",
                    ),
                ),
                (
                    "region",
                    models.ForeignKey(
                        db_constraint=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="accounts.region",
                        verbose_name="région",
                    ),
                ),
            ],
            options={
                "verbose_name": "décompte des chiffres des offres",
                "verbose_name_plural": "décomptes des chiffres des offres",
                "indexes": [models.Index(fields=["month"], name="offer_count_month_idx")],
            },
        ),
        migrations.RunPython(install_triggers, drop_triggers),
    ]
