"""Count the pathway events already there into `PathwayCount` (its triggers count the
writes from the previous migration on): by mission locale, stage and month, the events
and those flagged `first_in_year` and `first_in_month`.

Run by slices, one month of events each, each committed on its own (the migration is
not atomic): a slice replaces its month's counts with those counted from the month's
events, while the writers of events wait (PostgreSQL: a share lock, held for one month's
count, about 170,000 events at 1,000,000 youths, instead of the ten million at once), so
that an event written in between is counted once, by the triggers or by the slice. Safe
to run twice and to resume after an interruption: each slice replaces, never adds.
Backwards: the counts are emptied."""

import datetime

from django.db import migrations, transaction

MONTH = {
    "postgresql": "date_trunc('month', occurred_on)::date",
    "sqlite": "date(occurred_on, 'start of month')",
}


def _next_month(day: datetime.date) -> datetime.date:
    return datetime.date(day.year + day.month // 12, day.month % 12 + 1, 1)


def _recount(cursor, vendor: str, month: datetime.date) -> None:
    """Replace the counts of `month` with those of its events (the caller holds the lock)."""
    cursor.execute("DELETE FROM candidates_pathwaycount WHERE month = %s", [month])
    cursor.execute(
        "INSERT INTO candidates_pathwaycount "
        "(mission_locale_id, stage, month, events, year_entries, month_entries) "
        f"SELECT mission_locale_id, stage, {MONTH[vendor]}, count(*), "
        "sum(CASE WHEN first_in_year THEN 1 ELSE 0 END), "
        "sum(CASE WHEN first_in_month THEN 1 ELSE 0 END) "
        "FROM candidates_pathwayevent "
        "WHERE occurred_on >= %s AND occurred_on < %s "
        "GROUP BY 1, 2, 3",
        [month, _next_month(month)],
    )


def count_events(apps, schema_editor):
    from django.db.models import Max, Min

    connection = schema_editor.connection
    vendor = connection.vendor

    events = apps.get_model("candidates", "PathwayEvent")._base_manager.using(connection.alias)
    bounds = events.aggregate(low=Min("occurred_on"), high=Max("occurred_on"))
    first = bounds["low"].replace(day=1) if bounds["low"] else datetime.date.max
    last = bounds["high"].replace(day=1) if bounds["high"] else datetime.date.min
    month = first
    while month <= last:
        with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
            if vendor == "postgresql":
                cursor.execute("LOCK TABLE candidates_pathwayevent IN SHARE MODE")
            _recount(cursor, vendor, month)
        month = _next_month(month)
    # the months outside those bounds that have counts (events written, or deleted,
    # since the triggers were installed): counted again too, in one last slice
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        if vendor == "postgresql":
            cursor.execute("LOCK TABLE candidates_pathwayevent IN SHARE MODE")
        cursor.execute(
            "SELECT DISTINCT month FROM candidates_pathwaycount WHERE month < %s OR month > %s",
            [first, last],
        )
        for (other,) in cursor.fetchall():
            if isinstance(other, str):  # SQLite
                other = datetime.date.fromisoformat(other)
            _recount(cursor, vendor, other)


def empty_counts(apps, schema_editor):
    schema_editor.execute("DELETE FROM candidates_pathwaycount")


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("candidates", "0028_dashyear_pathway_counts"),
    ]

    operations = [
        migrations.RunPython(count_events, empty_counts),
    ]
