"""`PathwayCount`: the pathway events counted by the database's triggers by mission
locale, stage and month (all of them, and those flagged `first_in_year` and
`first_in_month`) equal the events counted from their table, after every kind of write:
events recorded one by one (and the flag moving to an earlier one), deleted, written
in bulk then refreshed, an import's registration events, a transfer, anonymisation,
a youth deleted with its events, bulk `update()` moving events between dates, stages
and missions locales, raw SQL; folding the deltas, counting again and the sliced
backfill (candidates 0029) change no sum. The dashboards read these counts (the funnel,
hires, stabilised jobs and exits of `reporting.indicators.pathway`), compared here with
the events themselves and with `COUNT(DISTINCT)`."""

from __future__ import annotations

import datetime
import random
from collections import Counter
from importlib import import_module

import pytest
from django.apps import apps
from django.db import connection
from django.db.models import Count, F, Sum
from django.utils import timezone

from accounts.enums import Role
from candidates import services
from candidates.enums import PathwayStage as S
from candidates.models import (
    PathwayCount,
    PathwayEvent,
    Youth,
    compact_pathway_counts,
    rebuild_pathway_counts,
    refresh_first_in_year,
)
from reporting.indicators import pathway
from reporting.indicators.base import aggregate
from reporting.periods import Period
from reporting.scopes import Population, national_population
from tests.accounts.factories import OrganisationFactory, RegionFactory, make_member
from tests.candidates.factories import YouthFactory
from tests.reporting.factories import PathwayEventFactory

pytestmark = pytest.mark.django_db


# The references `PathwayCount`'s figures are compared with: the same figures counted
# from the events themselves, through the indicators' own `aggregate`.


def youths_entering_stage_from_events(
    *, scope: Population, period: Period, stage: str | None = None, by: str | None = None
):
    """`youths_entering_stage` for a stage (or by stage) counted from the flagged events."""
    qs = PathwayEvent.objects.filter(
        **{"first_in_month" if period.is_month else "first_in_year": True}
    )
    if stage is not None:
        qs = qs.filter(stage=stage)
    return aggregate(
        qs,
        paths=pathway.EVENT_PATHS,
        scope=scope,
        period=period,
        value=pathway.EVENTS,
        by=by,
        extra_groups={"stage": F("stage")},
    )


def events_from_table(*, stage, scope: Population, period: Period, by: str | None = None):
    """`pathway._events_counted` counted from the events themselves."""
    return aggregate(
        PathwayEvent.objects.filter(stage__in=stage if isinstance(stage, tuple) else (stage,)),
        paths=pathway.EVENT_PATHS,
        scope=scope,
        period=period,
        value=pathway.EVENTS,
        by=by,
        extra_groups={"stage": F("stage")},
    )


d = datetime.date
STAGES = [S.INFORMATION, S.DISCOVERY, S.IMMERSION, S.HIRED, S.STABILISED, S.EXIT]


def counted() -> dict:
    """{(mission locale, stage, month): (events, year entries, month entries)} from the
    triggers' deltas (groups summing to nothing left out)."""
    rows = PathwayCount.objects.values("mission_locale_id", "stage", "month").annotate(
        n=Sum("events"), y=Sum("year_entries"), m=Sum("month_entries")
    )
    return {
        (row["mission_locale_id"], row["stage"], row["month"]): (row["n"], row["y"], row["m"])
        for row in rows
        if row["n"] or row["y"] or row["m"]
    }


def expected() -> dict:
    """The same, counted from the events in Python."""
    counts = Counter()
    for event in PathwayEvent.objects.all():
        key = (event.mission_locale_id, event.stage, event.occurred_on.replace(day=1))
        n, y, m = counts.get(key, (0, 0, 0))
        counts[key] = (n + 1, y + event.first_in_year, m + event.first_in_month)
    return dict(counts)


def assert_counts_match():
    assert counted() == expected()
    assert expected()  # never trivially: there are events


@pytest.fixture
def place():
    """Two regions, three missions locales, a manager of the first."""
    region_a, region_b = RegionFactory(code="93"), RegionFactory(code="84")
    mls = [
        OrganisationFactory(mission_locale=True, region=region)
        for region in (region_a, region_a, region_b)
    ]
    manager = make_member(Role.ML_MANAGER, organisation=mls[0])
    return mls, manager


def test_events_recorded_deleted_and_written_in_bulk_are_counted(place):
    mls, _manager = place
    youth = YouthFactory(mission_locale=mls[0])
    june = PathwayEventFactory(youth=youth, stage=S.HIRED, occurred_on=d(2025, 6, 10))
    assert_counts_match()
    # an earlier event takes the year's flag from June's: June's month keeps its own
    march = PathwayEventFactory(youth=youth, stage=S.HIRED, occurred_on=d(2025, 3, 1))
    assert_counts_match()
    PathwayEventFactory(youth=youth, stage=S.HIRED, occurred_on=d(2025, 3, 20))
    march.delete()  # the flags go back to the next ones
    assert_counts_match()
    june.delete()
    assert_counts_match()
    other = YouthFactory(mission_locale=mls[2])
    PathwayEvent.objects.bulk_create(
        [
            PathwayEvent(
                youth=other,
                mission_locale_id=other.mission_locale_id,
                stage=S.DISCOVERY,
                occurred_on=d(2025, 5, day),
            )
            for day in (20, 3, 11)
        ]
    )
    refresh_first_in_year([other.pk])  # as every bulk writer does
    assert_counts_match()


def test_services_imports_transfers_and_anonymisation_are_counted(place):
    mls, manager = place
    rows = [
        {
            "first_name": f"Jeune{i}",
            "last_name": "Import",
            "birth_date": d(2006, 1, i + 1),
            "registered_on": d(2025, 1 + i % 12, 1 + i % 28),
        }
        for i in range(12)
    ]
    youths = services.register_youths(actor=manager, mission_locale=mls[0], rows=rows)
    assert_counts_match()
    services.record_pathway_event(
        youth=youths[0], stage=S.DISCOVERY, actor=manager, occurred_on=timezone.localdate()
    )
    assert_counts_match()
    services.move_youth_to_mission_locale(youth=youths[0], mission_locale=mls[2], actor=manager)
    assert PathwayEvent.objects.filter(youth=youths[0], mission_locale=mls[2]).exists()
    assert_counts_match()
    services.anonymise_youth(youth=youths[1], actor=manager)
    assert_counts_match()


def test_deletions_bulk_updates_and_raw_sql_are_counted(place):
    mls, _manager = place
    rng = random.Random(28)
    youths = [YouthFactory(mission_locale=mls[i % 3]) for i in range(6)]
    for _ in range(40):
        PathwayEventFactory(
            youth=rng.choice(youths),
            stage=rng.choice(STAGES),
            occurred_on=d(2024, 6, 1) + datetime.timedelta(days=rng.randint(0, 400)),
        )
    assert_counts_match()
    youths[0].delete()  # its events with it (a cascade)
    assert_counts_match()
    Youth.objects.filter(pk__in=[youths[1].pk]).delete()
    assert_counts_match()
    # events moved between dates and stages in bulk, then their flags refreshed
    moved = PathwayEvent.objects.filter(youth=youths[2])
    moved.update(occurred_on=d(2023, 12, 31), stage=S.IMMERSION)
    assert_counts_match()  # the flags moved with their events
    refresh_first_in_year([youths[2].pk])
    assert_counts_match()
    # a mission locale's events handed to another one, and raw SQL
    PathwayEvent.objects.filter(mission_locale=mls[1]).update(mission_locale=mls[2])
    assert_counts_match()
    event = PathwayEvent.objects.filter(youth=youths[3]).first()
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {PathwayEvent._meta.db_table} SET occurred_on = %s, stage = %s "  # noqa: S608
            "WHERE id = %s",
            [d(2026, 2, 28), S.HIRED, event.pk],
        )
        cursor.execute(
            f"DELETE FROM {PathwayEvent._meta.db_table} WHERE youth_id = %s",  # noqa: S608
            [youths[4].pk],
        )
    assert_counts_match()
    PathwayEvent.objects.filter(youth=youths[3]).update(first_in_year=True, first_in_month=False)
    assert_counts_match()


def test_random_writes_then_folding_and_counting_again_keep_every_sum(place):
    rng = random.Random(1807)
    mls, _manager = place
    youths = [YouthFactory(mission_locale=rng.choice(mls)) for _ in range(8)]
    events = [
        PathwayEventFactory(
            youth=rng.choice(youths),
            stage=rng.choice(STAGES),
            occurred_on=d(2024, 1, 1) + datetime.timedelta(days=rng.randint(0, 700)),
        )
        for _ in range(40)
    ]
    for event in rng.sample(events, 8):
        event.delete()
    assert_counts_match()
    rows_before = PathwayCount.objects.count()
    left = compact_pathway_counts()
    assert left == len(counted()) < rows_before
    assert_counts_match()
    compact_pathway_counts()  # twice: nothing moves
    assert PathwayCount.objects.count() == left
    rebuild_pathway_counts()
    assert PathwayCount.objects.count() == left
    assert_counts_match()


def test_counting_again_after_the_triggers_were_bypassed(place):
    """A repair: rows written behind the triggers' back (PostgreSQL's replica role, as
    the benchmark's loader writes) are counted by `rebuild_pathway_counts`."""
    mls, _manager = place
    PathwayEventFactory(youth=YouthFactory(mission_locale=mls[0]))
    PathwayCount.objects.all().delete()
    assert counted() != expected()
    rebuild_pathway_counts()
    rebuild_pathway_counts()  # twice: the same counts
    assert_counts_match()


def test_the_daily_job_folds_the_counts(place, settings):
    from candidates.tasks import fold_pathway_counts

    mls, _manager = place
    youth = YouthFactory(mission_locale=mls[0])
    for day in (20, 10, 5):  # each earlier event takes the flags: deltas to fold
        PathwayEventFactory(youth=youth, stage=S.HIRED, occurred_on=d(2025, 5, day))
    assert PathwayCount.objects.count() > len(expected())
    assert fold_pathway_counts() == {"rows": len(expected())}
    assert_counts_match()
    jobs = {job["task"] for job in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "candidates.tasks.fold_pathway_counts" in jobs


# --- The funnels read the counts ----------------------------------------------------------


@pytest.mark.parametrize(
    "period",
    [Period(2024), Period(2025), Period(2024, 12), Period(2025, 1), Period(2025, 3)],
    ids=lambda period: period.key,
)
def test_the_funnel_from_the_counts_equals_the_flagged_events_and_distinct_youths(place, period):
    """Nationally, for a region and for a mission locale: by stage, for one stage, by
    region and by mission locale, against the flagged events and COUNT(DISTINCT), after
    writes that moved events between dates, stages and missions locales."""
    rng = random.Random(period.key)
    mls, _manager = place
    start, days = (d(2024, 11, 20), 130) if period.is_month else (d(2023, 12, 1), 800)
    youths = [YouthFactory(mission_locale=rng.choice(mls)) for _ in range(10)]
    events = [
        PathwayEventFactory(
            youth=rng.choice(youths),
            stage=rng.choice(STAGES),
            occurred_on=start + datetime.timedelta(days=rng.randint(0, days)),
        )
        for _ in range(80)
    ]
    for event in rng.sample(events, 10):
        event.delete()
    for event in rng.sample([e for e in events if e.pk], 10):
        PathwayEvent.objects.filter(pk=event.pk).update(
            occurred_on=start + datetime.timedelta(days=rng.randint(0, days)),
            stage=rng.choice(STAGES[:-1]),  # an exit needs its reason
        )
    refresh_first_in_year()
    youth = rng.choice(youths)
    Youth.objects.filter(pk=youth.pk).update(mission_locale=mls[2])
    PathwayEvent.objects.filter(youth=youth).update(mission_locale=mls[2])
    scopes = [
        national_population(),
        Population(region_id=mls[0].region_id, label="A"),
        Population(region_id=mls[2].region_id, label="B"),
        Population(region_id=mls[0].region_id, mission_locale_id=mls[0].pk, label="ML"),
    ]
    for scope in scopes:
        in_period = scope.filter(
            PathwayEvent.objects.filter(occurred_on__gte=period.start, occurred_on__lte=period.end),
            region="youth__mission_locale__region_id",
            mission_locale="youth__mission_locale_id",
        )
        distinct = {
            row["stage"]: row["n"]
            for row in in_period.values("stage").annotate(n=Count("youth_id", distinct=True))
        }
        assert pathway.youths_entering_stage(scope=scope, period=period, by="stage") == distinct
        for by in (None, "stage", "region", "mission_locale"):
            for stage in (None, S.HIRED, S.DISCOVERY):
                if stage is None and by != "stage":
                    continue
                got = pathway.youths_entering_stage(scope=scope, period=period, stage=stage, by=by)
                flagged = youths_entering_stage_from_events(
                    scope=scope, period=period, stage=stage, by=by
                )
                assert got == flagged, (scope.label, by, stage)
        assert pathway.funnel(scope=scope, period=period) == {
            stage.value: distinct.get(stage.value, 0) for stage in pathway.FUNNEL_STAGES
        }
        # the events' figures: hires, stabilised jobs, exits, by stage, by group
        per_stage = dict(in_period.values_list("stage").annotate(n=Count("pk")))
        kpi = {s: per_stage[s] for s in pathway.KPI_EVENT_STAGES if s in per_stage}
        assert pathway.events_by_stage(scope=scope, period=period) == kpi
        assert pathway.hires(scope=scope, period=period) == per_stage.get(S.HIRED, 0)
        assert pathway.stabilised_jobs(scope=scope, period=period) == per_stage.get(S.STABILISED, 0)
        assert pathway.exits(scope=scope, period=period) == per_stage.get(S.EXIT, 0)
        for by in ("month", "year", "region", "mission_locale"):
            hired = events_from_table(stage=S.HIRED, scope=scope, period=period, by=by)
            stabilised = events_from_table(stage=S.STABILISED, scope=scope, period=period, by=by)
            assert pathway.hires(scope=scope, period=period, by=by) == hired
            assert pathway.stabilised_jobs(scope=scope, period=period, by=by) == stabilised
            assert pathway.hires_and_stabilised_jobs(scope=scope, period=period, by=by) == (
                hired,
                stabilised,
            )
    assert pathway.youths_entering_stage(scope=national_population(), period=period, by="stage")


def test_a_funnel_reads_the_counts_not_the_events(place, django_assert_num_queries):
    mls, _manager = place
    PathwayEventFactory(youth=YouthFactory(mission_locale=mls[0]), occurred_on=d(2025, 4, 2))
    with django_assert_num_queries(1) as queries:
        assert pathway.funnel(scope=national_population(), period=Period(2025))[S.INFORMATION] == 1
    sql = queries.captured_queries[0]["sql"]
    assert PathwayCount._meta.db_table in sql
    assert PathwayEvent._meta.db_table not in sql


# --- The backfill (candidates 0029), month by month ---------------------------------------

BACKFILL = import_module("candidates.migrations.0029_dashyear_pathway_counts_backfill")


class _Editor:
    """What the migration reads of its schema editor: the connection it writes through."""

    connection = connection

    def execute(self, sql, params=()):
        with connection.cursor() as cursor:
            cursor.execute(sql, params)


def test_the_backfill_counts_month_by_month_and_twice(place):
    """On counts left wrong everywhere (some months missing, some doubled, a month
    without events that sums to something): every month counted from its events; a
    second run (a resumed deploy) changes nothing; backwards, the counts are emptied."""
    rng = random.Random(29)
    mls, _manager = place
    youths = [YouthFactory(mission_locale=rng.choice(mls)) for _ in range(6)]
    for _ in range(50):
        PathwayEventFactory(
            youth=rng.choice(youths),
            stage=rng.choice(STAGES),
            occurred_on=d(2024, 3, 1) + datetime.timedelta(days=rng.randint(0, 500)),
        )
    PathwayCount.objects.filter(month__lt=d(2024, 9, 1)).delete()
    PathwayCount.objects.filter(month__gte=d(2025, 1, 1)).update(year_entries=7, events=0)
    PathwayCount.objects.create(
        mission_locale=mls[0],
        stage=S.HIRED,
        month=d(2019, 1, 1),
        events=3,
        year_entries=-1,
        month_entries=2,
    )
    assert counted() != expected()

    BACKFILL.count_events(apps, _Editor())
    assert_counts_match()
    BACKFILL.count_events(apps, _Editor())
    assert_counts_match()
    assert BACKFILL.Migration.atomic is False  # each month commits on its own
    BACKFILL.empty_counts(apps, _Editor())
    assert not PathwayCount.objects.exists()
