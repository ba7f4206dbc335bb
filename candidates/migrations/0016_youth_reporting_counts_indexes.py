"""The dashboards' pass over the youths, from indexes instead of the table (issue 18,
the national dashboard cold at 1,000,000 youths): (mission locale, stage, status,
registration day) for the youths at each stage now and those registered in a period,
deduplicated, so that the count of a million youths reads a few MB; partial indexes of
the anonymised files and of the CIVIS contracts for the pool and the CIVIS share. The
first replaces the (mission locale, stage) index (the same leading columns)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("candidates", "0015_import_confirming_status"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="youth",
            index=models.Index(
                fields=["mission_locale", "current_stage", "status", "registered_on"],
                name="youth_ml_stage_counts",
            ),
        ),
        migrations.AddIndex(
            model_name="youth",
            index=models.Index(
                condition=models.Q(("anonymised_at__isnull", False)),
                fields=["anonymised_at"],
                include=("registered_on", "mission_locale"),
                name="youth_anonymised_pool",
            ),
        ),
        migrations.AddIndex(
            model_name="youth",
            index=models.Index(
                condition=models.Q(("civis_start__isnull", False)),
                fields=["civis_start"],
                include=("civis_end", "registered_on", "anonymised_at", "mission_locale"),
                name="youth_civis_pool",
            ),
        ),
        migrations.RemoveIndex(model_name="youth", name="candidates__mission_6624cc_idx"),
    ]
