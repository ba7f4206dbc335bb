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
from ..scopes import Population
from ..tables import Count as Figure
from ..tables import Group, Rate, Table
from .base import ratio


def _sessions(scope: Population, period: Period):
    qs = Session.objects.filter(
        status=SessionStatus.HELD,
        starts_at__date__gte=period.start,
        starts_at__date__lte=period.end,
    )
    if scope.region_id:
        qs = qs.filter(region_id=scope.region_id)
    return qs


def sessions_held(*, scope: Population, period: Period, by: str | None = None):
    """Sessions held (status "held") starting in the period; `by="kind"` per programme."""
    qs = _sessions(scope, period)
    if by is None:
        return qs.count()
    if by != "kind":
        raise ValueError(f"sessions_held has no {by!r} breakdown")
    return dict(qs.values_list("kind").annotate(n=Count("pk")).order_by("kind"))


def attendance_by_kind(*, scope: Population, period: Period) -> dict[str, dict]:
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


def _contracts(scope: Population):
    qs = CaeContract.objects.all()
    if scope.mission_locale_id:
        return qs.filter(youth__mission_locale_id=scope.mission_locale_id)
    if scope.region_id:
        return qs.filter(cohort__region_id=scope.region_id)
    return qs


def platform_capacity(*, scope: Population, year: int) -> int:
    """Contracts the platform may hold in the year: the sizes of the scope's cohorts
    (a mission locale reads its region's)."""
    qs = Cohort.objects.filter(year=year)
    if scope.region_id:
        qs = qs.filter(region_id=scope.region_id)
    return qs.aggregate(n=Sum("size"))["n"] or 0


def platform_occupancy(*, scope: Population, day: datetime.date) -> int:
    """CAE contracts of the immersion platform running on `day`."""
    return _contracts(scope).filter(start_on__lte=day, end_on__gte=day).count()


def measured_on(period: Period, today: datetime.date) -> datetime.date:
    """The day a snapshot of the period is taken: its last day, or today while it runs
    (a contract "running" on a day still to come is a plan, not a figure)."""
    return min(period.end, today)


def platform_occupancy_by_month(
    *, scope: Population, year: int, today: datetime.date | None = None
) -> dict[int, int | None]:
    """{month: contracts running on its last day}, the twelve months in one query. With
    `today`, the running month is measured today and the months still to come are None."""
    ends = {}
    for m in range(1, 13):
        month = Period(year, m)
        if today is None:
            ends[m] = month.end
        elif month.start <= today:
            ends[m] = measured_on(month, today)
    row = (
        _contracts(scope).aggregate(
            **{
                f"m{m}": Count("pk", filter=Q(start_on__lte=end, end_on__gte=end))
                for m, end in ends.items()
            }
        )
        if ends
        else {}
    )
    return {m: (row[f"m{m}"] if m in ends else None) for m in range(1, 13)}


def contracts_signed(*, scope: Population, years: tuple[int, ...]) -> dict[int, int]:
    """{year: CAE contracts of the year's platform cohorts}, the count the cohort pages
    show ("42 / 50"): every contract signed, whatever its dates. One query."""
    row = _contracts(scope).aggregate(
        **{f"y{year}": Count("pk", filter=Q(cohort__year=year)) for year in years}
    )
    return {year: row[f"y{year}"] for year in years}


def kpis(*, scope, period, previous, today=None) -> list:
    """(key, label, now, before) rows of the key figures. The platform is measured on the
    period's last day, or today while the period runs (the label says which)."""
    from django.utils.formats import date_format

    from ..dashboard import counted

    today = today or datetime.date.today()
    day_now, day_before = measured_on(period, today), measured_on(previous, today)
    if day_now < period.end:
        label = _("Jeunes sur la plateforme d'immersion (au %(date)s)") % {
            "date": date_format(day_now, "SHORT_DATE_FORMAT")
        }
    else:
        label = _("Jeunes sur la plateforme d'immersion (fin de période)")
    signed = contracts_signed(scope=scope, years=tuple({period.year, previous.year}))
    return [
        (
            "sessions",
            _("Sessions réalisées"),
            counted("sessions", period, sessions_held(scope=scope, period=period)),
            counted("sessions", previous, sessions_held(scope=scope, period=previous)),
        ),
        (
            "occupancy",
            label,
            Figure(
                platform_occupancy(scope=scope, day=day_now), ("occupancy", day_now.isoformat())
            ),
            Figure(
                platform_occupancy(scope=scope, day=day_before),
                ("occupancy", day_before.isoformat()),
            ),
        ),
        (
            "contracts",
            _("Contrats CAE signés (promotion de l'année)"),
            Figure(signed[period.year], ("contracts", period.year)),
            Figure(signed[previous.year], ("contracts", previous.year)),
        ),
    ]


def tables(*, scope, period, today=None) -> list[Table]:
    """Sessions and attendance per programme (the sessions add up to the key figure),
    and the platform's occupancy per month against its capacity."""
    from ..dashboard import counted, month_labels

    today = today or datetime.date.today()
    held = sessions_held(scope=scope, period=period, by="kind")
    attendance = attendance_by_kind(scope=scope, period=period)
    rows = []
    for kind in ProgrammeKind:
        if kind.value not in held and kind.value not in attendance:
            continue
        figures = attendance.get(kind.value, {"enrolled": 0, "attended": 0, "rate": None})
        enrolled = counted("enrolled", period, figures["enrolled"], "kind", kind.value)
        attended = counted("attended", period, figures["attended"], "kind", kind.value)
        rows.append(
            [
                str(kind.label),
                counted("sessions", period, held.get(kind.value, 0), "kind", kind.value),
                enrolled,
                attended,
                Rate(attended, enrolled),
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
        groups=[Group(("sessions", period.key), tuple(row[1].key for row in rows))],
    )
    capacity = platform_capacity(scope=scope, year=period.year)
    by_month = platform_occupancy_by_month(scope=scope, year=period.year, today=today)
    labels = month_labels(period.year)
    occupancy_rows = []
    for m in range(1, 13):
        value = by_month[m]
        day = measured_on(Period(period.year, m), today)
        occupancy_rows.append(
            [
                labels[m - 1],
                None if value is None else Figure(value, ("occupancy", day.isoformat())),
                capacity,
            ]
        )
    occupancy = Table(
        key="occupancy",
        title=_("Occupation de la plateforme d'immersion (%(year)s)") % {"year": period.year},
        columns=[_("Mois"), _("Contrats CAE en cours"), _("Capacité")],
        rows=occupancy_rows,
        note=_(
            "Article 12 : une promotion de %(n)s contrats CAE de six mois au plus. Contrats "
            "en cours le dernier jour du mois ; le mois en cours est mesuré aujourd'hui, "
            "les mois à venir ne le sont pas."
        )
        % {"n": 50},
    )
    occupancy.chart_kind = "occupancy"
    occupancy.chart_columns = {"values": 1}
    occupancy.chart_data = {
        "labels": labels,
        "capacity": capacity or 50,
        "title": _("Plateforme d'immersion · %(year)s") % {"year": period.year},
    }
    return [sessions, occupancy]
