"""The event's mission locale required (every writer sets it), and the reporting
indexes include it, so that counts by region or mission locale read the index alone."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("candidates", "0018_pathway_event_mission_locale_backfill"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="pathwayevent",
            name="pathway_stage_date_idx",
        ),
        migrations.RemoveIndex(
            model_name="pathwayevent",
            name="pathway_date_stage_idx",
        ),
        migrations.RemoveIndex(
            model_name="pathwayevent",
            name="pathway_first_in_year_idx",
        ),
        migrations.AlterField(
            model_name="pathwayevent",
            name="mission_locale",
            field=models.ForeignKey(
                db_index=False,
                editable=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="accounts.organisation",
                verbose_name="mission locale",
            ),
        ),
        migrations.AddIndex(
            model_name="pathwayevent",
            index=models.Index(
                fields=["stage", "occurred_on"],
                include=("youth", "mission_locale"),
                name="pathway_stage_date_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="pathwayevent",
            index=models.Index(
                fields=["occurred_on", "stage"],
                include=("youth", "mission_locale"),
                name="pathway_date_stage_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="pathwayevent",
            index=models.Index(
                condition=models.Q(("first_in_year", True)),
                fields=["occurred_on", "stage"],
                include=("youth", "mission_locale"),
                name="pathway_first_in_year_idx",
            ),
        ),
    ]
