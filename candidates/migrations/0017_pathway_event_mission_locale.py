"""Each pathway event carries its youth's mission locale (issue 18: hires by region
without joining each event to a million youths). Nullable here, filled by the next
migration, required by the one after."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_information_notice"),
        ("candidates", "0016_youth_reporting_counts_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="pathwayevent",
            name="mission_locale",
            field=models.ForeignKey(
                db_index=False,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="accounts.organisation",
                verbose_name="mission locale",
            ),
        ),
    ]
