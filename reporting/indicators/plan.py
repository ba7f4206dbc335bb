"""Indicators over the committees app: the action plan's progress (Art. 16) and the
status of the signatories' commitments."""

from __future__ import annotations

from django.db.models import Count, Q

from committees.enums import CommitmentStatus, PlanItemStatus, PlanSection
from committees.models import Commitment, PlanItem

from ..scopes import Population
from .base import ratio


def _plan_items(scope: Population, year: int):
    qs = PlanItem.objects.filter(plan__year=year)
    if scope.region_id:
        qs = qs.filter(plan__region_id=scope.region_id)
    return qs


def action_plan_progress(*, scope: Population, year: int, by: str | None = None):
    """Share (%) of the action plan items of the year that are done, dropped items left
    out; a mission locale reads its region's plan; nationally, every region's plans
    together. `by="section"` or `by="region"` gives one share per group. None when the
    plan has no item."""
    qs = _plan_items(scope, year).exclude(status=PlanItemStatus.DROPPED)
    done = Count("pk", filter=Q(status=PlanItemStatus.DONE))
    if by is None:
        row = qs.aggregate(done=done, total=Count("pk"))
        return ratio(row["done"], row["total"])
    paths = {"section": "section", "region": "plan__region_id"}
    if by not in paths:
        raise ValueError(f"action_plan_progress has no {by!r} breakdown")
    rows = qs.values(paths[by]).annotate(done=done, total=Count("pk")).order_by(paths[by])
    return {row[paths[by]]: ratio(row["done"], row["total"]) for row in rows}


def action_plan_items_by_status(*, scope: Population, year: int) -> dict[str, dict[str, int]]:
    """{section: {status: items}} for the action plans of the year in the scope."""
    rows = (
        _plan_items(scope, year)
        .values("section", "status")
        .annotate(n=Count("pk"))
        .order_by("section", "status")
    )
    table = {
        section.value: {status.value: 0 for status in PlanItemStatus} for section in PlanSection
    }
    for row in rows:
        table[row["section"]][row["status"]] = row["n"]
    return table


def commitments_by_status(*, scope: Population) -> dict[str, int]:
    """Commitments (Art. 1-8, 19) by status: the national convention's, plus the regional
    convention's for a region or a mission locale (nationally, every convention)."""
    qs = Commitment.objects.all()
    if scope.region_id:
        qs = qs.filter(
            Q(convention__region__isnull=True) | Q(convention__region_id=scope.region_id)
        )
    counts = dict(qs.values_list("status").annotate(n=Count("pk")).order_by())
    return {status.value: counts.get(status.value, 0) for status in CommitmentStatus}
