"""Indicators over the candidate pool (candidates app): registrations, the pathway
stages, hires and stabilised jobs, mentoring pairs and the CIVIS share.

Every function aggregates in the database; see docs/indicators.md for the definitions.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, F, Q, Sum

from accounts.models import Organisation
from candidates.enums import PathwayStage, YouthStatus
from candidates.models import MentoringPair, PathwayCount, PathwayEvent, Youth, YouthCount

from ..periods import Period
from ..scopes import Population
from .base import Paths, aggregate, breakdown, ratio

YOUTH_PATHS = Paths(
    date="registered_on", region="mission_locale__region_id", mission_locale="mission_locale_id"
)
# An event's mission locale is its youth's, copied onto the event (kept with the youth's
# by the candidates services): read from the events' indexes, never joined to the youths.
EVENT_PATHS = Paths(
    date="occurred_on",
    region="mission_locale__region_id",
    mission_locale="mission_locale_id",
)
# The events counted by the database: a month of events each (candidates.PathwayCount).
COUNT_PATHS = Paths(
    date="month", region="mission_locale__region_id", mission_locale="mission_locale_id"
)
PAIR_PATHS = Paths(
    date="started_on",
    region="youth__mission_locale__region_id",
    mission_locale="youth__mission_locale_id",
)

# The funnel, in pathway order (the exit is not a step of the funnel).
FUNNEL_STAGES = PathwayStage.forward()
# Events counted with COUNT(*), not COUNT(id) (the same number: id is never null), so that
# PostgreSQL answers from the (stage, occurred_on) INCLUDE (youth_id) indexes alone.
EVENTS = Count("*")
# The stages the key figures count events of.
# Youths counted by their registration day, never null and in each of the youth indexes
# the dashboard reads (COUNT(*) takes no FILTER in Django; id is not in those indexes).
ONE_EACH = "registered_on"
KPI_EVENT_STAGES = (PathwayStage.HIRED, PathwayStage.STABILISED, PathwayStage.EXIT)
ANNUAL_HIRES_TARGET = 1000  # Art. 1: the AFRC's members recruit 1,000 young people a year


def youths_registered(*, scope: Population, period: Period, by: str | None = None):
    """Youths registered in the pool during the period (by their registration date)."""
    return aggregate(
        Youth.objects.all(), paths=YOUTH_PATHS, scope=scope, period=period, value=Count("pk"), by=by
    )


def youths_entering_stage(
    *, scope: Population, period: Period, stage: str | None = None, by: str | None = None
):
    """Distinct youths with a pathway event to `stage` dated in the period. Without a
    stage, `by="stage"` gives {stage: youths} (the funnel).

    Each youth's first event at a stage in a calendar year carries `first_in_year`, in
    a calendar month `first_in_month`: the database counts those events by mission
    locale, stage and month (`candidates.PathwayCount`), and a year's or a month's
    youths at a stage are the sum of its months' counts, a few thousand rows however
    many events (tests compare it with `COUNT(DISTINCT)` and with the flagged events)."""
    # the flags mark one event per youth, stage and year (month): they count youths for
    # one stage at a time (a stage given, or by stage), over the period as a whole
    if (stage is not None or by == "stage") and by not in ("month", "year"):
        return _entries_counted(scope=scope, period=period, stage=stage, by=by)
    qs = PathwayEvent.objects.all()
    if stage is not None:
        qs = qs.filter(stage=stage)
    return aggregate(
        qs,
        paths=EVENT_PATHS,
        scope=scope,
        period=period,
        value=Count("youth_id", distinct=True),
        by=by,
        extra_groups={"stage": F("stage")},
    )


def _entries_counted(*, scope: Population, period: Period, stage: str | None, by: str | None):
    """`youths_entering_stage` for a stage (or by stage) over a calendar month or year,
    summed from the entries the database counts (`PathwayCount`); the groups whose
    counts sum to nothing are left out, as they have no flagged event."""
    qs = PathwayCount.objects.all()
    if stage is not None:
        qs = qs.filter(stage=stage)
    value = Sum("month_entries" if period.is_month else "year_entries")
    counts = aggregate(
        qs,
        paths=COUNT_PATHS,
        scope=scope,
        period=period,
        value=value,
        by=by,
        extra_groups={"stage": F("stage")},
    )
    if by is None:
        return counts
    return {group: n for group, n in counts.items() if n}


def funnel(*, scope: Population, period: Period) -> dict[str, int]:
    """{stage: youths entering it in the period} for every funnel stage (zeros kept)."""
    counts = youths_entering_stage(scope=scope, period=period, by="stage")
    return {stage.value: counts.get(stage.value, 0) for stage in FUNNEL_STAGES}


def youths_at_stage(*, scope: Population, by: str | None = "stage"):
    """Youths currently at each stage (followed youths, anonymised ones left out); the
    stage is the copy the candidates services keep from the latest pathway event."""
    qs = Youth.objects.exclude(status=YouthStatus.ANONYMISED)
    return aggregate(
        qs,
        paths=YOUTH_PATHS,
        scope=scope,
        period=None,
        value=Count("pk"),
        by=by,
        extra_groups={"stage": F("current_stage")},
    )


def hires(*, scope: Population, period: Period, by: str | None = None):
    """Hires: pathway events to "hired" dated in the period (a youth hired twice in the
    period counts twice: each is a recruitment)."""
    return _events_counted(stage=PathwayStage.HIRED, scope=scope, period=period, by=by)


def stabilised_jobs(*, scope: Population, period: Period, by: str | None = None):
    """Stabilised jobs: pathway events to "stabilised" dated in the period."""
    return _events_counted(stage=PathwayStage.STABILISED, scope=scope, period=period, by=by)


def exits(*, scope: Population, period: Period, by: str | None = None):
    """Exits from the pathway dated in the period, whatever the reason."""
    return _events_counted(stage=PathwayStage.EXIT, scope=scope, period=period, by=by)


def hires_target(*, scope: Population, period: Period) -> int | None:
    """The hires target for the scope and period: 1,000 a year nationally (Art. 1), pro rata
    for a month; for a region the sum of its action plan's "hires" targets for the year
    (none when the plan sets none); none for a mission locale."""
    from django.db.models import Sum

    from committees.enums import IndicatorKey
    from committees.models import PlanItem

    if scope.mission_locale_id:
        return None
    if scope.region_id:
        total = PlanItem.objects.filter(
            plan__region_id=scope.region_id,
            plan__year=period.year,
            indicator_key=IndicatorKey.HIRES,
        ).aggregate(t=Sum("indicator_target"))["t"]
        if not total:
            return None
    else:
        total = ANNUAL_HIRES_TARGET
    return monthly_target(total) if period.is_month else total


def monthly_target(annual: int | None) -> int | None:
    """A month's share of an annual target: a twelfth, rounded (83 of 1,000)."""
    return None if annual is None else round(annual / 12)


def mentoring_pairs_started(*, scope: Population, period: Period, by: str | None = None):
    """Mentoring pairs (Art. 14) whose mentoring started in the period."""
    return aggregate(
        MentoringPair.objects.all(),
        paths=PAIR_PATHS,
        scope=scope,
        period=period,
        value=Count("pk"),
        by=by,
    )


def mentoring_pairs_active(*, scope: Population, period: Period, by: str | None = None):
    """Mentoring pairs running at some point of the period: started on or before its end,
    not ended before its start."""
    qs = MentoringPair.objects.filter(started_on__lte=period.end).filter(
        Q(ended_on__isnull=True) | Q(ended_on__gte=period.start)
    )
    return aggregate(qs, paths=PAIR_PATHS, scope=scope, period=None, value=Count("pk"), by=by)


def in_pool_during(period: Period) -> Q:
    """The youths in the pool at some point of the period: registered on or before its end
    and not anonymised before it started. A youth anonymised later still counts for the
    periods they were followed in, so anonymising never moves a past figure."""
    return Q(registered_on__lte=period.end) & (
        Q(anonymised_at__isnull=True) | Q(anonymised_at__date__gte=period.start)
    )


def civis_share(*, scope: Population, period: Period, by: str | None = None):
    """Share (%) of the youths in the pool during the period (`in_pool_during`) who had a
    CIVIS contract running at some point of the period. None when the pool is empty."""
    qs = Youth.objects.filter(in_pool_during(period))
    in_civis = Q(civis_start__isnull=False, civis_start__lte=period.end) & (
        Q(civis_end__isnull=True) | Q(civis_end__gte=period.start)
    )
    value = Count("pk", filter=in_civis)
    total = Count("pk")
    scoped = YOUTH_PATHS
    if by is None:
        qs = scope.filter(qs, region=scoped.region, mission_locale=scoped.mission_locale)
        row = qs.aggregate(n=value, d=total)
        return ratio(row["n"], row["d"])
    if by not in ("region", "mission_locale"):
        raise ValueError(f"civis_share has no {by!r} breakdown")
    qs = scope.filter(qs, region=scoped.region, mission_locale=scoped.mission_locale)
    path = scoped.region if by == "region" else scoped.mission_locale
    rows = qs.values(path).annotate(n=value, d=total).order_by(path)
    return {row[path]: ratio(row["n"], row["d"]) for row in rows}


def events_by_stage(*, scope: Population, period: Period) -> dict[str, int]:
    """{stage: pathway events dated in the period} for the stages of the key figures
    (hires, stabilised jobs and exits) in one query (each equals its own indicator
    function); the other stages are not counted (they are the funnel's, in youths)."""
    return _events_counted(stage=KPI_EVENT_STAGES, scope=scope, period=period, by="stage")


def hires_and_stabilised_jobs(*, scope: Population, period: Period, by: str) -> tuple[dict, dict]:
    """(hires, stabilised jobs) broken down `by` a group, in one query over the events'
    counts (conditional aggregation): each equals `hires(...)` and
    `stabilised_jobs(...)`."""
    qs = scope.filter(
        PathwayCount.objects.filter(stage__in=(PathwayStage.HIRED, PathwayStage.STABILISED)),
        region=COUNT_PATHS.region,
        mission_locale=COUNT_PATHS.mission_locale,
    ).filter(month__gte=period.start, month__lte=period.end)
    rows = (
        qs.annotate(group=breakdown(COUNT_PATHS, by))
        .values("group")
        .annotate(
            hired=Sum("events", filter=Q(stage=PathwayStage.HIRED), default=0),
            stabilised=Sum("events", filter=Q(stage=PathwayStage.STABILISED), default=0),
        )
        .order_by("group")
    )
    hired, stabilised = {}, {}
    for row in rows:
        if row["hired"]:
            hired[row["group"]] = row["hired"]
        if row["stabilised"]:
            stabilised[row["group"]] = row["stabilised"]
    return hired, stabilised


def _events_counted(*, stage, scope: Population, period: Period, by: str | None):
    """The pathway events to `stage` (or to any of these stages) dated in the period
    (a calendar month or year), summed from the events the database counts by mission
    locale, stage and month (`candidates.PathwayCount`), a few thousand rows however
    many events; the groups whose counts sum to nothing are left out, as they have no
    event. Equal to counting the events (tests/candidates/test_pathway_counts.py)."""
    qs = PathwayCount.objects.filter(stage__in=stage if isinstance(stage, tuple) else (stage,))
    counts = aggregate(
        qs,
        paths=COUNT_PATHS,
        scope=scope,
        period=period,
        value=Sum("events"),
        by=by,
        extra_groups={"stage": F("stage")},
    )
    if by is None:
        return counts
    return {group: n for group, n in counts.items() if n}


@dataclass(frozen=True)
class YouthPass:
    """What the dashboard reads of the youths, from one pass over them:
    - `kpis`: [(youths registered, CIVIS share)] for each period given;
    - `at_stage`: {stage: youths there now} (as `youths_at_stage`);
    - `registered_by`: {region or mission locale: youths registered in the first period}
      (as `youths_registered(by=...)`), empty without a breakdown;
    - `civis`: [(youths with a CIVIS contract, youths in the pool)] for each period: the
      counts the CIVIS share divides (disclosure control withholds a share built on a
      small count)."""

    kpis: list[tuple[int, float | None]]
    at_stage: dict[str, int]
    registered_by: dict[int, int]
    civis: list[tuple[int, int]] = ()


def youth_pass(
    *, scope: Population, periods: tuple[Period, ...], by: str | None = None
) -> YouthPass:
    """The youths' figures of the dashboard for the scope, from the youths' counts and
    indexes, never from the table (a million youths nationally): each figure equals
    its own indicator function's (tested).

    - The youths counted by the database (`candidates.YouthCount`, a few thousand
      rows whatever the number of youths), grouped by mission locale and stage: the
      youths at each stage now, those registered in each period (and by region or
      mission locale when `by` says so), those registered by each period's end.
    - The anonymised files that left the pool before a period started (a partial
      index): taken from those registered by its end, they give the pool
      (`in_pool_during`).
    - The CIVIS contracts running in a period among the pool (a partial index).
    Three small queries rather than one that evaluates every condition on every youth
    (three times slower at 1,000,000 youths, even from a covering index); the first
    no longer reads the youths at all (it counted a million index entries)."""
    if by is not None and by not in ("region", "mission_locale"):
        raise ValueError(f"unknown breakdown {by!r}")
    youths = scope.filter(
        Youth.objects.all(), region=YOUTH_PATHS.region, mission_locale=YOUTH_PATHS.mission_locale
    )
    rows = _youth_counts(scope=scope, periods=periods)
    gone = youths.filter(anonymised_at__isnull=False).aggregate(
        **{
            f"a{i}": Count(
                ONE_EACH,
                filter=Q(registered_on__lte=period.end, anonymised_at__date__lt=period.start),
            )
            for i, period in enumerate(periods)
        }
    )
    civis = youths.filter(
        civis_start__isnull=False, civis_start__lte=max(period.end for period in periods)
    ).aggregate(
        **{
            f"n{i}": Count(
                ONE_EACH,
                filter=in_pool_during(period)
                & Q(civis_start__lte=period.end)
                & (Q(civis_end__isnull=True) | Q(civis_end__gte=period.start)),
            )
            for i, period in enumerate(periods)
        }
    )
    totals = {
        name: sum(row[name] for row in rows)
        for name in ("now", *(f"{kind}{i}" for i in range(len(periods)) for kind in "re"))
    }
    at_stage, registered_by = {}, {}
    for row in rows:
        if row["now"]:
            stage = row["current_stage"]
            at_stage[stage] = at_stage.get(stage, 0) + row["now"]
    if by is not None:
        groups = {row["mission_locale_id"]: row["mission_locale_id"] for row in rows}
        if by == "region":
            groups = dict(Organisation.objects.filter(pk__in=groups).values_list("pk", "region_id"))
        for row in rows:
            if row["r0"]:
                group = groups[row["mission_locale_id"]]
                registered_by[group] = registered_by.get(group, 0) + row["r0"]
    pools = [totals[f"e{i}"] - gone[f"a{i}"] for i in range(len(periods))]
    return YouthPass(
        kpis=[(totals[f"r{i}"], ratio(civis[f"n{i}"], pools[i])) for i in range(len(periods))],
        at_stage=at_stage,
        registered_by=registered_by,
        civis=[(civis[f"n{i}"], pools[i]) for i in range(len(periods))],
    )


def _youth_counts(*, scope: Population, periods: tuple[Period, ...]) -> list[dict]:
    """[{mission_locale_id, current_stage, now, r0, e0, r1, e1, ...}] from the youths
    counted by the database: `now` the youths not anonymised, `r<i>` those registered
    in period i, `e<i>` those registered by its end. The periods are calendar months
    and years, so that a month of registration is wholly in a period or wholly out.
    Equal to counting the youths themselves (`youth_counts_from_youths`, tested after
    every kind of write)."""
    counts = scope.filter(
        YouthCount.objects.all(),
        region="mission_locale__region_id",
        mission_locale="mission_locale_id",
    )
    values = {"now": Sum("youths", filter=Q(anonymised=False), default=0)}
    for i, period in enumerate(periods):
        values[f"r{i}"] = Sum(
            "youths",
            filter=Q(registered_month__gte=period.start, registered_month__lte=period.end),
            default=0,
        )
        values[f"e{i}"] = Sum("youths", filter=Q(registered_month__lte=period.end), default=0)
    return list(
        counts.values("mission_locale_id", current_stage=F("stage")).annotate(**values).order_by()
    )


def youth_counts_from_youths(*, scope: Population, periods: tuple[Period, ...]) -> list[dict]:
    """`_youth_counts`, counted from the youths' table (the reference the tests compare
    `candidates.YouthCount` with)."""
    youths = scope.filter(
        Youth.objects.all(), region=YOUTH_PATHS.region, mission_locale=YOUTH_PATHS.mission_locale
    )
    values = {"now": Count(ONE_EACH, filter=~Q(status=YouthStatus.ANONYMISED))}
    for i, period in enumerate(periods):
        values[f"r{i}"] = Count(
            ONE_EACH, filter=Q(registered_on__gte=period.start, registered_on__lte=period.end)
        )
        values[f"e{i}"] = Count(ONE_EACH, filter=Q(registered_on__lte=period.end))
    return list(youths.values("mission_locale_id", "current_stage").annotate(**values).order_by())
