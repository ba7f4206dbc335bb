"""Reporting (issue 18, the offers' figures of a year at 1,000,000 youths): a period's
offers selected by a range of instants of submission, with every column the dashboard's
figures read of them included, so that PostgreSQL answers from the index alone (SQLite
ignores the included columns)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("offers", "0013_dashcold_offer_proposal_counts_backfill"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="offer",
            index=models.Index(
                fields=["submitted_at"],
                include=(
                    "status",
                    "region",
                    "job_role",
                    "positions",
                    "positions_filled",
                    "published_at",
                    "filled_at",
                ),
                name="offer_submitted_figures_idx",
            ),
        ),
    ]
