"""Flag each youth's first event at a stage in a calendar month (earliest date, then
lowest id): this migration's own copy of the month's half of
`candidates.models.refresh_first_in_year`, so that later changes to that function leave
this step as it was run. Before the partial index (next migration), so that the UPDATE does
not maintain it row by row. Backwards: nothing to undo (the column goes with the
previous migration's reversal).

Run by slices of youths, each committed on its own (the migration is not atomic): in one
statement, ten million events (a million youths over five years) kept the table's rows
locked for more than ten minutes. Safe to run twice and to resume after an interruption:
each slice sets the flags where they belong and clears them elsewhere, whatever an
earlier run left."""

from django.db import migrations, transaction

#: Youths a slice: about 10 events each, so some 200,000 events per statement.
YOUTHS_A_SLICE = 20_000


def flag_first_events_of_each_month(apps, schema_editor):
    from django.db.models import F, Max, Min, Window
    from django.db.models.functions import ExtractMonth, ExtractYear, RowNumber

    events = apps.get_model("candidates", "PathwayEvent")._base_manager.all()
    bounds = events.aggregate(low=Min("youth_id"), high=Max("youth_id"))
    if bounds["low"] is None:
        return
    for start in range(bounds["low"], bounds["high"] + 1, YOUTHS_A_SLICE):
        in_slice = events.filter(youth_id__gte=start, youth_id__lt=start + YOUTHS_A_SLICE)
        firsts = (
            in_slice.annotate(
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
        with transaction.atomic(using=schema_editor.connection.alias):
            in_slice.filter(first_in_month=True).exclude(pk__in=firsts).update(first_in_month=False)
            in_slice.filter(first_in_month=False, pk__in=firsts).update(first_in_month=True)


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("candidates", "0022_dashcold_pathway_first_in_month"),
    ]

    operations = [
        migrations.RunPython(flag_first_events_of_each_month, migrations.RunPython.noop),
    ]
