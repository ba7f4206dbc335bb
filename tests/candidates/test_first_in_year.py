"""`PathwayEvent.first_in_year` and `first_in_month`: each youth's first event at a stage
in a calendar year (month), kept after every save, delete and bulk write, so that the
reporting counts the youths entering a stage in a year (month) without a
COUNT(DISTINCT)."""

from __future__ import annotations

import datetime
import random
from importlib import import_module

import pytest
from django.apps import apps
from django.db import connection
from django.db.models import Count

from candidates import services
from candidates.enums import PathwayStage as S
from candidates.models import PathwayEvent, refresh_first_in_year
from reporting import indicators as ind
from reporting.periods import Period
from reporting.scopes import Population, national_population
from tests.accounts.factories import OrganisationFactory, RegionFactory
from tests.candidates.factories import YouthFactory
from tests.reporting.factories import PathwayEventFactory

pytestmark = pytest.mark.django_db

d = datetime.date


def flagged(flag="first_in_year"):
    return set(PathwayEvent.objects.filter(**{flag: True}).values_list("pk", flat=True))


def expected_firsts(month=False):
    """The first event (earliest date, then lowest id) of each (youth, stage, year), or
    of each (youth, stage, month) with `month`."""
    firsts = {}
    for event in PathwayEvent.objects.order_by("occurred_on", "pk"):
        day = event.occurred_on
        key = (event.youth_id, event.stage, day.year, day.month if month else 0)
        firsts.setdefault(key, event.pk)
    return set(firsts.values())


def assert_both_flags_right():
    assert flagged() == expected_firsts()
    assert flagged("first_in_month") == expected_firsts(month=True)


def test_an_earlier_event_recorded_later_takes_the_flag_and_a_delete_gives_it_back():
    youth = YouthFactory()
    june = PathwayEventFactory(youth=youth, stage=S.HIRED, occurred_on=d(2025, 6, 1))
    assert june.first_in_year
    march = PathwayEventFactory(youth=youth, stage=S.HIRED, occurred_on=d(2025, 3, 1))
    june.refresh_from_db()
    assert march.first_in_year and not june.first_in_year
    same_day = PathwayEventFactory(youth=youth, stage=S.HIRED, occurred_on=d(2025, 3, 1))
    assert not same_day.first_in_year  # recorded after: March's first stays first
    next_year = PathwayEventFactory(youth=youth, stage=S.HIRED, occurred_on=d(2026, 1, 5))
    other_stage = PathwayEventFactory(youth=youth, stage=S.TRAINING, occurred_on=d(2025, 9, 1))
    assert next_year.first_in_year and other_stage.first_in_year
    march.delete()
    assert_both_flags_right()
    assert {same_day.pk, next_year.pk, other_stage.pk} <= flagged()
    assert june.pk not in flagged()


def test_random_histories_flag_exactly_the_first_events():
    rng = random.Random(2006)
    youths = [YouthFactory() for _ in range(6)]
    stages = [S.INFORMATION, S.DISCOVERY, S.HIRED]
    events = []
    for _ in range(60):
        events.append(
            PathwayEventFactory(
                youth=rng.choice(youths),
                stage=rng.choice(stages),
                occurred_on=d(2024, 1, 1) + datetime.timedelta(days=rng.randint(0, 700)),
            )
        )
    for event in rng.sample(events, 10):
        event.delete()
    assert_both_flags_right()
    # some events are the first of their month, not of their year
    assert flagged("first_in_month") - flagged()
    # every (youth, stage, year) with events has exactly one flag
    per_group = (
        PathwayEvent.objects.filter(first_in_year=True)
        .values("youth_id", "stage", "occurred_on__year")
        .annotate(n=Count("pk"))
    )
    assert {row["n"] for row in per_group} == {1}


def test_bulk_writes_are_flagged_by_a_refresh():
    youth = YouthFactory()
    PathwayEvent.objects.bulk_create(
        [
            PathwayEvent(
                youth=youth,
                mission_locale_id=youth.mission_locale_id,
                stage=S.DISCOVERY,
                occurred_on=d(2025, 5, day),
            )
            for day in (20, 3, 11)
        ]
    )
    assert (
        PathwayEvent.objects.filter(youth=youth, stage=S.DISCOVERY, first_in_year=True).count() == 0
    )
    refresh_first_in_year([youth.pk])
    assert_both_flags_right()
    first = PathwayEvent.objects.get(youth=youth, stage=S.DISCOVERY, first_in_year=True)
    assert first.occurred_on == d(2025, 5, 3)
    first = PathwayEvent.objects.get(youth=youth, stage=S.DISCOVERY, first_in_month=True)
    assert first.occurred_on == d(2025, 5, 3)
    refresh_first_in_year()  # all youths, as the migration and the benchmark do: idempotent
    assert_both_flags_right()


def test_an_import_flags_its_registration_events():
    from accounts.enums import Role
    from tests.accounts.factories import make_member

    ml = OrganisationFactory(mission_locale=True)
    advisor = make_member(Role.ADVISOR, organisation=ml)
    rows = [
        {"first_name": f"Jeune{i}", "last_name": "Import", "birth_date": d(2006, 1, i + 1)}
        for i in range(3)
    ]
    youths = services.register_youths(actor=advisor, mission_locale=ml, rows=rows)
    events = PathwayEvent.objects.filter(youth__in=youths)
    assert events.count() == 3
    assert all(event.first_in_year and event.first_in_month for event in events)


@pytest.mark.parametrize(
    "period",
    [Period(2024), Period(2025), Period(2026), Period(2024, 12), Period(2025, 1), Period(2025, 2)],
    ids=lambda period: period.key,
)
def test_the_funnel_from_the_flags_equals_the_distinct_count(period):
    """The reporting's funnel of a year or a month (from the flags) against
    COUNT(DISTINCT youth) over the period's events, nationally, for a region and for a
    mission locale."""
    rng = random.Random(period.key)
    # a month's events close together: youths enter a stage several times in a month
    start, days = (d(2024, 11, 20), 120) if period.is_month else (d(2024, 1, 1), 1000)
    region_a, region_b = RegionFactory(code="93"), RegionFactory(code="84")
    mls = [
        OrganisationFactory(mission_locale=True, region=region)
        for region in (region_a, region_a, region_b)
    ]
    youths = [YouthFactory(mission_locale=rng.choice(mls)) for _ in range(12)]
    for _ in range(120):
        PathwayEventFactory(
            youth=rng.choice(youths),
            stage=rng.choice([S.INFORMATION, S.DISCOVERY, S.IMMERSION, S.HIRED]),
            occurred_on=start + datetime.timedelta(days=rng.randint(0, days)),
        )
    scopes = [
        national_population(),
        Population(region_id=region_a.pk, label="A"),
        Population(region_id=region_b.pk, label="B"),
        Population(region_id=region_a.pk, mission_locale_id=mls[0].pk, label="ML"),
    ]
    for scope in scopes:
        events = scope.filter(
            PathwayEvent.objects.filter(occurred_on__gte=period.start, occurred_on__lte=period.end),
            region="youth__mission_locale__region_id",
            mission_locale="youth__mission_locale_id",
        )
        distinct = {
            row["stage"]: row["n"]
            for row in events.values("stage").annotate(n=Count("youth_id", distinct=True))
        }
        assert ind.youths_entering_stage(scope=scope, period=period, by="stage") == distinct
        by_region = {
            row["youth__mission_locale__region_id"]: row["n"]
            for row in events.filter(stage=S.HIRED)
            .values("youth__mission_locale__region_id")
            .annotate(n=Count("youth_id", distinct=True))
        }
        assert (
            ind.youths_entering_stage(scope=scope, period=period, stage=S.HIRED, by="region")
            == by_region
        )
        # without a stage, a youth entering two stages in the year is one youth
        youths = events.values("youth_id").distinct().count()
        assert ind.youths_entering_stage(scope=scope, period=period) == youths
        per_region = {
            row["youth__mission_locale__region_id"]: row["n"]
            for row in events.values("youth__mission_locale__region_id").annotate(
                n=Count("youth_id", distinct=True)
            )
        }
        assert ind.youths_entering_stage(scope=scope, period=period, by="region") == per_region
    assert ind.youths_entering_stage(scope=national_population(), period=period, by="stage")


# --- The backfill of first_in_month (candidates 0023), slice by slice ----------------------

BACKFILL = import_module("candidates.migrations.0023_dashcold_first_in_month_backfill")


class _Editor:
    """What the migration reads of its schema editor: the connection it writes through."""

    connection = connection


def test_the_backfill_flags_each_month_slice_by_slice_and_twice(monkeypatch):
    """Run with slices of two youths over seven youths (a slice with no youth included)
    on flags left wrong everywhere: every first of a month flagged, nothing else; a
    second run (a resumed deploy) changes nothing."""
    rng = random.Random(18)
    youths = [YouthFactory() for _ in range(7)]
    for _ in range(70):
        PathwayEventFactory(
            youth=rng.choice(youths[:3] + youths[4:]),
            stage=rng.choice([S.INFORMATION, S.DISCOVERY, S.HIRED]),
            occurred_on=d(2024, 1, 1) + datetime.timedelta(days=rng.randint(0, 500)),
        )
    events = list(PathwayEvent.objects.values_list("pk", flat=True))
    PathwayEvent.objects.filter(pk__in=events[::2]).update(first_in_month=True)
    PathwayEvent.objects.filter(pk__in=events[1::2]).update(first_in_month=False)
    assert flagged("first_in_month") != expected_firsts(month=True)
    monkeypatch.setattr(BACKFILL, "YOUTHS_A_SLICE", 2)

    BACKFILL.flag_first_events_of_each_month(apps, _Editor())
    assert flagged("first_in_month") == expected_firsts(month=True)
    BACKFILL.flag_first_events_of_each_month(apps, _Editor())
    assert flagged("first_in_month") == expected_firsts(month=True)
    assert BACKFILL.Migration.atomic is False  # each slice commits on its own
