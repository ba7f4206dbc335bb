"""Each offer's first proposal and number of proposals through its own proposals,
read from an (offer, created_at) index alone: the dashboards' offers figures no longer
scan every proposal (a million at the largest scale, issue 18)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("offers", "0010_transition_logs"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="proposal",
            index=models.Index(fields=["offer", "created_at"], name="proposal_offer_created"),
        ),
    ]
