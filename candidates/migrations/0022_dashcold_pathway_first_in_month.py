"""`PathwayEvent.first_in_month`: each youth's first event at a stage in a calendar
month, so that a month's funnel counts flagged events (a partial index, next
migrations) instead of distinct youths over the month's events. False until the next
migration fills it."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("candidates", "0021_dashcold_youth_counts_backfill"),
    ]

    operations = [
        migrations.AddField(
            model_name="pathwayevent",
            name="first_in_month",
            field=models.BooleanField(
                default=False, editable=False, verbose_name="première du mois à cette étape"
            ),
        ),
    ]
