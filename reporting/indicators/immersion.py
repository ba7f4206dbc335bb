"""Indicators over the immersion app (Art. 12, Axes III-V): sessions held and attendance
per kind of programme, and the immersion platform's occupancy (CAE contracts running
against the cohort's size, 50 by default).

Sessions belong to a region: a mission locale reads its region's sessions, but its
attendance counts its own youths only.
"""

from __future__ import annotations

import datetime

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext as _

from immersion.enums import Attendance, EnrolmentStatus, ProgrammeKind, SessionStatus
from immersion.models import CaeContract, Cohort, Enrolment, Session

from ..periods import Period
from ..scopes import ReportScope
from ..tables import Table, chart_value, count_cell
from .base import ratio


def _sessions(scope: ReportScope, period: Period):
    qs = Session.objects.filter(
        status=SessionStatus.HELD,
        starts_at__date__gte=period.start,
        starts_at__date__lte=period.end,
    )
    if scope.region_id:
        qs = qs.filter(region_id=scope.region_id)
    return qs


def sessions_held(*, scope: ReportScope, period: Period, by: str | None = None):
    """Sessions held (status "held") starting in the period; `by="kind"` per programme."""
    qs = _sessions(scope, period)
    if by is None:
        return qs.count()
    if by != "kind":
        raise ValueError(f"sessions_held has no {by!r} breakdown")
    return dict(qs.values_list("kind").annotate(n=Count("pk")).order_by("kind"))


def attendance_by_kind(*, scope: ReportScope, period: Period) -> dict[str, dict]:
    """{kind: {"enrolled", "attended", "rate"}} over the confirmed enrolments of the
    sessions held in the period (for a mission locale, its youths' enrolments)."""
    qs = Enrolment.objects.filter(
        session__in=_sessions(scope, period), status=EnrolmentStatus.CONFIRMED
    )
    if scope.mission_locale_id:
        qs = qs.filter(youth__mission_locale_id=scope.mission_locale_id)
    rows = (
        qs.values("session__kind")
        .annotate(
            enrolled=Count("pk"), attended=Count("pk", filter=Q(attendance=Attendance.ATTENDED))
        )
        .order_by("session__kind")
    )
    return {
        row["session__kind"]: {
            "enrolled": row["enrolled"],
            "attended": row["attended"],
            "rate": ratio(row["attended"], row["enrolled"]),
        }
        for row in rows
    }


def _contracts(scope: ReportScope):
    qs = CaeContract.objects.all()
    if scope.mission_locale_id:
        return qs.filter(youth__mission_locale_id=scope.mission_locale_id)
    if scope.region_id:
        return qs.filter(cohort__region_id=scope.region_id)
    return qs


def platform_capacity(*, scope: ReportScope, year: int) -> int:
    """Contracts the platform may hold in the year: the sizes of the scope's cohorts
    (a mission locale reads its region's)."""
    qs = Cohort.objects.filter(year=year)
    if scope.region_id:
        qs = qs.filter(region_id=scope.region_id)
    return qs.aggregate(n=Sum("size"))["n"] or 0


def platform_occupancy(*, scope: ReportScope, day: datetime.date) -> int:
    """CAE contracts of the immersion platform running on `day`."""
    return _contracts(scope).filter(start_on__lte=day, end_on__gte=day).count()


def platform_occupancy_by_month(*, scope: ReportScope, year: int) -> dict[int, int]:
    """{month: contracts running on its last day}, the twelve months in one query."""
    ends = {m: Period(year, m).end for m in range(1, 13)}
    row = _contracts(scope).aggregate(
        **{
            f"m{m}": Count("pk", filter=Q(start_on__lte=end, end_on__gte=end))
            for m, end in ends.items()
        }
    )
    return {m: row[f"m{m}"] for m in ends}


def kpis(*, scope, period, previous) -> list:
    return [
        (
            _("Sessions réalisées"),
            "count",
            sessions_held(scope=scope, period=period),
            sessions_held(scope=scope, period=previous),
        ),
        (
            _("Jeunes sur la plateforme d'immersion (fin de période)"),
            "count",
            platform_occupancy(scope=scope, day=period.end),
            platform_occupancy(scope=scope, day=previous.end),
        ),
    ]


def tables(*, scope, period, masked) -> list[Table]:
    from ..dashboard import month_labels

    held = sessions_held(scope=scope, period=period, by="kind")
    attendance = attendance_by_kind(scope=scope, period=period)
    rows = []
    for kind in ProgrammeKind:
        if kind.value not in held and kind.value not in attendance:
            continue
        figures = attendance.get(kind.value, {"enrolled": 0, "attended": 0, "rate": None})
        rows.append(
            [
                str(kind.label),
                count_cell(held.get(kind.value, 0), masked=masked),
                count_cell(figures["enrolled"], masked=masked),
                count_cell(figures["attended"], masked=masked),
                figures["rate"],
            ]
        )
    sessions = Table(
        key="sessions",
        title=_("Sessions réalisées et présence par programme"),
        columns=[
            _("Programme"),
            _("Sessions"),
            _("Inscrits"),
            _("Présents"),
            _("Taux de présence"),
        ],
        rows=rows,
    )
    capacity = platform_capacity(scope=scope, year=period.year)
    by_month = platform_occupancy_by_month(scope=scope, year=period.year)
    labels = month_labels(period.year)
    occupancy = Table(
        key="occupancy",
        title=_("Occupation de la plateforme d'immersion (%(year)s)") % {"year": period.year},
        columns=[_("Mois"), _("Contrats CAE en cours"), _("Capacité")],
        rows=[
            [labels[m - 1], count_cell(by_month[m], masked=masked), capacity] for m in range(1, 13)
        ],
        note=_("Article 12 : une promotion de %(n)s contrats CAE de six mois au plus.") % {"n": 50},
    )
    values = [chart_value(v, masked=masked) for v in by_month.values()]
    occupancy.chart_kind = "occupancy"
    occupancy.chart_data = {
        "labels": labels,
        "values": values,
        "capacity": capacity or 50,
        "title": _("Plateforme d'immersion · %(year)s") % {"year": period.year},
    }
    return [sessions, occupancy]
