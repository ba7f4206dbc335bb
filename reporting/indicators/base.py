"""The grouping every indicator shares: one aggregate, in the database, for a scope and
a period, optionally broken down by month, year, region or mission locale."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import F
from django.db.models.functions import TruncMonth, TruncYear

from ..periods import Period
from ..scopes import Population


@dataclass(frozen=True)
class Paths:
    """Where the date, the region and the mission locale of a row are."""

    date: str
    region: str
    mission_locale: str


def breakdown(paths: Paths, by: str, extra_groups: dict | None = None):
    """The expression rows are grouped by for `by`: month, year, region, mission locale
    (or one of `extra_groups`); a ValueError for any other."""
    groups = {
        "month": TruncMonth(paths.date),
        "year": TruncYear(paths.date),
        "region": F(paths.region),
        "mission_locale": F(paths.mission_locale),
        **(extra_groups or {}),
    }
    if by not in groups:
        raise ValueError(f"unknown breakdown {by!r}")
    return groups[by]


def aggregate(
    qs,
    *,
    paths: Paths,
    scope: Population,
    period: Period | None,
    value,
    by=None,
    extra_groups: dict | None = None,
):
    """Apply scope and period to `qs`, then compute `value` (an aggregate expression):
    a number when `by` is None, else {group: number} for each group that has rows."""
    qs = scope.filter(qs, region=paths.region, mission_locale=paths.mission_locale)
    if period is not None:
        qs = qs.filter(**{f"{paths.date}__gte": period.start, f"{paths.date}__lte": period.end})
    if by is None:
        return qs.aggregate(v=value)["v"] or 0
    group = breakdown(paths, by, extra_groups)
    rows = qs.annotate(group=group).values("group").annotate(v=value).order_by("group")
    return {row["group"]: row["v"] or 0 for row in rows}


def ratio(numerator: int, denominator: int) -> float | None:
    """A percentage with one decimal, None when there is nothing to divide by."""
    if not denominator:
        return None
    return round(100 * numerator / denominator, 1)
