"""Copy each youth's mission locale onto their pathway events (one UPDATE). Backwards:
nothing to undo (the column goes with the previous migration's reversal)."""

from django.db import migrations
from django.db.models import OuterRef, Subquery


def copy_mission_locales(apps, schema_editor):
    PathwayEvent = apps.get_model("candidates", "PathwayEvent")
    Youth = apps.get_model("candidates", "Youth")
    PathwayEvent.objects.filter(mission_locale__isnull=True).update(
        mission_locale_id=Subquery(
            Youth.objects.filter(pk=OuterRef("youth_id")).values("mission_locale_id")[:1]
        )
    )


class Migration(migrations.Migration):
    dependencies = [
        ("candidates", "0017_pathway_event_mission_locale"),
    ]

    operations = [
        migrations.RunPython(copy_mission_locales, migrations.RunPython.noop),
    ]
