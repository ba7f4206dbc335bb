"""One test per indicator, on a world whose every figure is known (see conftest)."""

from __future__ import annotations

import datetime

import pytest

from candidates.enums import PathwayStage as S
from reporting import indicators as ind
from reporting.periods import Period, last_complete_month, parse_month
from reporting.scopes import Population, national_population

d = datetime.date
Y2025 = Period(2025)
NATIONAL = Population()


def region(world, name="a"):
    return Population(region_id=getattr(world, f"region_{name}").pk)


def ml(world, key):
    org = getattr(world, key)
    return Population(region_id=org.region_id, mission_locale_id=org.pk)


def test_youths_registered(world):
    assert ind.youths_registered(scope=NATIONAL, period=Y2025) == 3
    assert ind.youths_registered(scope=NATIONAL, period=Period(2024)) == 1
    assert ind.youths_registered(scope=region(world, "a"), period=Y2025) == 3
    assert ind.youths_registered(scope=ml(world, "ml1"), period=Y2025) == 2
    assert ind.youths_registered(scope=NATIONAL, period=Period(2025, 2)) == 1
    assert ind.youths_registered(scope=NATIONAL, period=Y2025, by="month") == {
        d(2025, 1, 1): 1,
        d(2025, 2, 1): 1,
        d(2025, 6, 1): 1,
    }
    assert ind.youths_registered(scope=NATIONAL, period=Y2025, by="region") == {
        world.region_a.pk: 3
    }
    assert ind.youths_registered(scope=region(world), period=Y2025, by="mission_locale") == {
        world.ml1.pk: 2,
        world.ml2.pk: 1,
    }


def test_youths_entering_stage_and_funnel(world):
    assert ind.youths_entering_stage(scope=NATIONAL, period=Y2025, stage=S.DISCOVERY) == 2
    assert ind.funnel(scope=NATIONAL, period=Y2025) == {
        "information": 3,
        "discovery": 2,
        "immersion": 0,
        "training": 0,
        "hired": 2,
        "stabilised": 1,
    }
    assert ind.funnel(scope=ml(world, "ml3"), period=Period(2024))["hired"] == 1


def test_youths_entering_stage_counts_each_youth_once(world):
    youth = world.youths[2]
    # a second hire in the same period does not make two youths
    from .factories import PathwayEventFactory

    PathwayEventFactory(youth=youth, stage=S.HIRED, occurred_on=d(2025, 7, 1))
    assert ind.youths_entering_stage(scope=NATIONAL, period=Y2025, stage=S.HIRED) == 2
    assert ind.hires(scope=NATIONAL, period=Y2025) == 3


def test_youths_at_stage(world):
    assert ind.youths_at_stage(scope=NATIONAL) == {
        "exit": 1,
        "hired": 1,
        "information": 1,
        "stabilised": 1,
    }
    assert ind.youths_at_stage(scope=region(world, "b")) == {"hired": 1}


def test_hires(world):
    assert ind.hires(scope=NATIONAL, period=Y2025) == 2
    assert ind.hires(scope=NATIONAL, period=Period(2024)) == 1
    assert ind.hires(scope=region(world, "a"), period=Y2025) == 1
    assert ind.hires(scope=ml(world, "ml3"), period=Y2025) == 1
    assert ind.hires(scope=NATIONAL, period=Y2025, by="month") == {d(2025, 3, 1): 2}
    assert ind.hires(scope=NATIONAL, period=Y2025, by="region") == {
        world.region_a.pk: 1,
        world.region_b.pk: 1,
    }
    assert ind.hires(scope=NATIONAL, period=Period(2025, 4)) == 0


def test_events_by_stage_matches_the_single_indicators(world):
    events = ind.pathway.events_by_stage(scope=NATIONAL, period=Y2025)
    assert events[S.HIRED] == ind.hires(scope=NATIONAL, period=Y2025)
    assert events[S.STABILISED] == ind.stabilised_jobs(scope=NATIONAL, period=Y2025)
    assert events[S.EXIT] == ind.exits(scope=NATIONAL, period=Y2025)


def test_events_by_stage_counts_only_the_key_figures_stages(world):
    assert set(ind.pathway.events_by_stage(scope=NATIONAL, period=Y2025)) <= {
        S.HIRED,
        S.STABILISED,
        S.EXIT,
    }


@pytest.mark.parametrize("by", ["month", "year", "region", "mission_locale"])
@pytest.mark.parametrize("period", [Y2025, Period(2024), Period(2025, 3), Period(2025, 9)])
def test_hires_and_stabilised_jobs_in_one_pass_match_the_single_indicators(world, by, period):
    for scope in (NATIONAL, region(world, "a"), region(world, "b"), ml(world, "ml1")):
        hired, stabilised = ind.pathway.hires_and_stabilised_jobs(scope=scope, period=period, by=by)
        assert hired == ind.hires(scope=scope, period=period, by=by)
        assert stabilised == ind.stabilised_jobs(scope=scope, period=period, by=by)


def assert_youth_pass_matches(scope, periods, by):
    """The one pass's key figures and stages equal the single indicators'; returns it."""
    got = ind.pathway.youth_pass(scope=scope, periods=periods, by=by)
    assert got.kpis == [
        (ind.youths_registered(scope=scope, period=p), ind.civis_share(scope=scope, period=p))
        for p in periods
    ]
    assert got.at_stage == ind.youths_at_stage(scope=scope)
    return got


@pytest.mark.parametrize("by", [None, "region", "mission_locale"])
@pytest.mark.parametrize(
    "periods", [(Y2025, Period(2024)), (Period(2025, 2), Period(2025, 1)), (Period(2023),)]
)
def test_the_youth_pass_matches_the_single_indicators(world, periods, by):
    """The dashboard's one pass over the youths gives what the key figures, the funnel's
    "now" column and the breakdown would each have counted on their own."""
    for scope in (NATIONAL, region(world, "a"), region(world, "b"), ml(world, "ml1")):
        got = assert_youth_pass_matches(scope, periods, by)
        expected = (
            {} if by is None else ind.youths_registered(scope=scope, period=periods[0], by=by)
        )
        assert got.registered_by == expected
    national = ind.pathway.youth_pass(scope=NATIONAL, periods=(Y2025,), by=by)
    assert national.at_stage and (by is None or national.registered_by)  # not vacuous


@pytest.mark.parametrize("by", [None, "region", "mission_locale"])
def test_the_youth_pass_counts_the_pool_without_the_files_anonymised_before(world, by):
    """The pool of a period is read as the youths registered by its end less the files
    anonymised before it started (local day: 00:30 in Paris on 1 January is 2025): it
    matches the single indicators whatever the day each file was anonymised."""
    from django.utils import timezone

    from candidates.enums import YouthStatus
    from candidates.models import Youth

    from .factories import YouthFactory

    paris = timezone.get_current_timezone()
    days = (
        datetime.datetime(2024, 6, 1, 12, tzinfo=paris),
        datetime.datetime(2025, 1, 1, 0, 30, tzinfo=paris),
        datetime.datetime(2025, 2, 10, 9, tzinfo=paris),
        datetime.datetime(2026, 3, 1, 9, tzinfo=paris),
    )
    for i, day in enumerate(days):
        youth = YouthFactory(
            mission_locale=world.ml1 if i % 2 else world.ml3,
            registered_on=d(2024, 1, 15),
            in_civis=bool(i % 2),
        )
        Youth.objects.filter(pk=youth.pk).update(status=YouthStatus.ANONYMISED, anonymised_at=day)
    periods = (Y2025, Period(2024), Period(2025, 2), Period(2025, 1), Period(2026))
    for scope in (NATIONAL, region(world, "a"), region(world, "b"), ml(world, "ml1")):
        assert_youth_pass_matches(scope, periods, by)


def test_a_youth_s_events_count_where_the_youth_is_followed_after_a_move(world):
    """Events carry their youth's mission locale (the dashboards read it from the events'
    indexes): a youth handed to another mission locale takes every past event along,
    as when the figures joined each event to its youth."""
    from accounts.enums import Role
    from candidates.models import PathwayEvent
    from candidates.services import move_youth_to_mission_locale
    from tests.accounts.factories import make_member

    youth = world.youths[0]  # ml1 (region a): hired in March, stabilised in September
    assert ind.hires(scope=region(world, "b"), period=Y2025) == 1
    manager = make_member(Role.ML_MANAGER, organisation=youth.mission_locale)
    move_youth_to_mission_locale(youth=youth, mission_locale=world.ml3, actor=manager)

    events = PathwayEvent.objects.filter(youth=youth)
    assert events.count() == 4
    assert set(events.values_list("mission_locale_id", flat=True)) == {world.ml3.pk}
    assert ind.hires(scope=region(world, "a"), period=Y2025) == 0
    assert ind.hires(scope=region(world, "b"), period=Y2025) == 2
    assert ind.hires(scope=ml(world, "ml3"), period=Y2025) == 2
    assert ind.stabilised_jobs(scope=NATIONAL, period=Y2025, by="mission_locale") == {
        world.ml3.pk: 1
    }
    hired, _stabilised = ind.pathway.hires_and_stabilised_jobs(
        scope=NATIONAL, period=Y2025, by="region"
    )
    assert hired == {world.region_b.pk: 2}


def test_every_event_carries_its_youth_s_mission_locale(world):
    from django.db.models import F

    from candidates.models import PathwayEvent

    assert PathwayEvent.objects.count() > 4
    assert not PathwayEvent.objects.exclude(mission_locale_id=F("youth__mission_locale_id"))


def test_the_youth_pass_refuses_an_unknown_breakdown(world):
    with pytest.raises(ValueError):
        ind.pathway.youth_pass(scope=NATIONAL, periods=(Y2025,), by="month")


def test_hires_and_stabilised_jobs_refuse_an_unknown_breakdown(world):
    with pytest.raises(ValueError):
        ind.pathway.hires_and_stabilised_jobs(scope=NATIONAL, period=Y2025, by="stage")


def test_stabilised_jobs(world):
    assert ind.stabilised_jobs(scope=NATIONAL, period=Y2025) == 1
    assert ind.stabilised_jobs(scope=NATIONAL, period=Period(2025, 9)) == 1
    assert ind.stabilised_jobs(scope=region(world, "b"), period=Y2025) == 0
    assert ind.stabilised_jobs(scope=NATIONAL, period=Y2025, by="mission_locale") == {
        world.ml1.pk: 1
    }


def test_exits(world):
    assert ind.exits(scope=NATIONAL, period=Y2025) == 1
    assert ind.exits(scope=ml(world, "ml1"), period=Y2025) == 0


def test_hires_target(world):
    assert ind.hires_target(scope=NATIONAL, period=Y2025) == 1000
    assert ind.hires_target(scope=NATIONAL, period=Period(2025, 3)) == 83
    assert ind.hires_target(scope=region(world, "a"), period=Y2025) == 120
    assert ind.hires_target(scope=region(world, "a"), period=Period(2025, 3)) == 10
    assert ind.hires_target(scope=region(world, "b"), period=Y2025) is None
    assert ind.hires_target(scope=ml(world, "ml1"), period=Y2025) is None


def test_mentoring_pairs(world):
    assert ind.mentoring_pairs_started(scope=NATIONAL, period=Y2025) == 1
    assert ind.mentoring_pairs_started(scope=region(world, "b"), period=Y2025) == 0
    assert ind.mentoring_pairs_active(scope=NATIONAL, period=Period(2025, 4)) == 1
    assert ind.mentoring_pairs_active(scope=NATIONAL, period=Period(2025, 6)) == 0
    assert ind.mentoring_pairs_active(scope=NATIONAL, period=Period(2025, 5)) == 1


def test_civis_share(world):
    assert ind.civis_share(scope=NATIONAL, period=Y2025) == 25.0
    assert ind.civis_share(scope=region(world, "b"), period=Y2025) == 0.0
    assert ind.civis_share(scope=NATIONAL, period=Period(2024)) == 0.0
    assert ind.civis_share(scope=NATIONAL, period=Period(2020)) is None
    assert ind.civis_share(scope=NATIONAL, period=Y2025, by="region") == {
        world.region_a.pk: pytest.approx(33.3),
        world.region_b.pk: 0.0,
    }
    with pytest.raises(ValueError):
        ind.civis_share(scope=NATIONAL, period=Y2025, by="month")


def test_action_plan_progress(world):
    # 2 done out of 3 (the dropped item does not count)
    assert ind.action_plan_progress(scope=region(world, "a"), year=2025) == 66.7
    assert ind.action_plan_progress(scope=ml(world, "ml1"), year=2025) == 66.7
    assert ind.action_plan_progress(scope=NATIONAL, year=2025) == 66.7
    assert ind.action_plan_progress(scope=region(world, "b"), year=2025) is None
    assert ind.action_plan_progress(scope=region(world, "a"), year=2025, by="section") == {
        "immersion": 100.0,
        "offers": 50.0,
    }
    table = ind.action_plan_items_by_status(scope=region(world, "a"), year=2025)
    assert table["offers"] == {"planned": 1, "in_progress": 0, "done": 1, "dropped": 1}


def test_commitments_by_status(world):
    assert ind.commitments_by_status(scope=NATIONAL) == {
        "not_started": 0,
        "in_progress": 1,
        "met": 1,
        "not_met": 1,
    }
    assert ind.commitments_by_status(scope=region(world, "a"))["not_met"] == 0
    assert ind.commitments_by_status(scope=region(world, "b"))["not_met"] == 1


def test_unknown_breakdown_is_refused(world):
    with pytest.raises(ValueError):
        ind.hires(scope=NATIONAL, period=Y2025, by="colour")


def test_periods():
    assert Period(2025, 1).previous() == Period(2024, 12)
    assert Period(2025).previous() == Period(2024)
    assert Period(2024, 2).end == d(2024, 2, 29)
    assert parse_month("2026-03") == Period(2026, 3)
    assert last_complete_month(d(2026, 1, 1)) == Period(2025, 12)
    for bad in ("2026-13", "26-03", "", "2001-01", "mars"):
        with pytest.raises(ValueError, match="AAAA-MM"):
            parse_month(bad)
    assert national_population().level == "national"
