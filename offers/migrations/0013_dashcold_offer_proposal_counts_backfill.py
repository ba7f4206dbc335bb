"""Count the proposals already there into `OfferProposals` (its triggers count the
writes from the previous migration on). Safe to run twice: the counts are replaced,
not added to; on PostgreSQL the writers of proposals wait meanwhile (a share lock), so
that a proposal written in between is counted once. Backwards: the counts are
emptied."""

from django.db import migrations


def count_proposals(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("LOCK TABLE offers_proposal IN SHARE MODE")
    schema_editor.execute("DELETE FROM offers_offerproposals")
    schema_editor.execute(
        "INSERT INTO offers_offerproposals (offer_id, proposals, first_proposal_at) "
        "SELECT offer_id, count(*), min(created_at) FROM offers_proposal GROUP BY offer_id"
    )


def empty_counts(apps, schema_editor):
    schema_editor.execute("DELETE FROM offers_offerproposals")


class Migration(migrations.Migration):
    dependencies = [
        ("offers", "0012_dashcold_offer_proposal_counts"),
    ]

    operations = [
        migrations.RunPython(count_proposals, empty_counts),
    ]
