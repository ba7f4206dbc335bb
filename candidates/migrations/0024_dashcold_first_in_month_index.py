"""Reporting: the youths entering each stage in a month (the funnel of a month), read
from the flagged events' index alone, for a region or a mission locale too."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("candidates", "0023_dashcold_first_in_month_backfill"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="pathwayevent",
            index=models.Index(
                condition=models.Q(("first_in_month", True)),
                fields=["occurred_on", "stage"],
                include=("youth", "mission_locale"),
                name="pathway_first_in_month_idx",
            ),
        ),
    ]
