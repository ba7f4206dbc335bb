"""Flag each youth's first event at a stage in a calendar month (earliest date, then
lowest id): this migration's own copy of the month's half of
`candidates.models.refresh_first_in_year`, so that later changes to that function leave
this step as it was run. Safe to run twice: the flags are set where they belong and
cleared elsewhere. Before the partial index (next migration), so that the UPDATE does
not maintain it row by row. Backwards: nothing to undo (the column goes with the
previous migration's reversal)."""

from django.db import migrations


def flag_first_events_of_each_month(apps, schema_editor):
    from django.db.models import F, Window
    from django.db.models.functions import ExtractMonth, ExtractYear, RowNumber

    events = apps.get_model("candidates", "PathwayEvent")._base_manager.all()
    firsts = (
        events.annotate(
            rank=Window(
                RowNumber(),
                partition_by=[
                    F("youth_id"),
                    F("stage"),
                    ExtractYear("occurred_on"),
                    ExtractMonth("occurred_on"),
                ],
                order_by=[F("occurred_on").asc(), F("pk").asc()],
            )
        )
        .filter(rank=1)
        .values("pk")
    )
    events.filter(first_in_month=True).exclude(pk__in=firsts).update(first_in_month=False)
    events.filter(first_in_month=False, pk__in=firsts).update(first_in_month=True)


class Migration(migrations.Migration):
    dependencies = [
        ("candidates", "0022_dashcold_pathway_first_in_month"),
    ]

    operations = [
        migrations.RunPython(flag_first_events_of_each_month, migrations.RunPython.noop),
    ]
