"""Indicators over the offers app (Art. 1, 7, 20): offers registered, positions offered
and filled, satisfaction rate and time to fill (the offers app's own
`figures_for_offers`, reused), recruitment needs by job role.

Offers belong to a region, not to a mission locale: for a mission locale the offers are
those of its region (the offers published to it), while positions filled count the
hires of its own youths.
"""

from __future__ import annotations

import datetime

from django.db.models import Count, F, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from offers.figures import (
    figures_for_offer_sets,
    figures_for_offers,
    kept_figures_for_sets,
    offer_counts_kept,
)
from offers.models import Employment, Offer, OfferCount

from ..periods import Period
from ..scopes import Population
from ..tables import Group, Rate, Table
from .base import Paths, aggregate

OFFER_PATHS = Paths(date="submitted_at__date", region="region_id", mission_locale="region_id")
EMPLOYMENT_PATHS = Paths(
    date="start_date",
    region="proposal__offer__region_id",
    mission_locale="youth__mission_locale_id",
)


def _regional(scope: Population) -> Population:
    """Offers are regional: a mission locale reads its region's."""
    return (
        Population(region_id=scope.region_id, label=scope.label)
        if scope.mission_locale_id
        else scope
    )


def _of_scope(scope, rows):
    """`rows` (offers, or their kept counts) of the scope's region, or of the nation."""
    return _regional(scope).filter(rows, region="region_id", mission_locale="region_id")


def _in_scope(scope):
    return _of_scope(scope, Offer.objects.registered())


def _counts(scope):
    """The offers' figures the database keeps (`OfferCount`), for the scope's offers."""
    return _of_scope(scope, OfferCount.objects.all())


def _months_of(period) -> Q:
    """The kept figures of the offers submitted in the period (its months)."""
    return Q(month__gte=period.start, month__lte=period.end)


def _local_midnight(day: datetime.date) -> datetime.datetime:
    """The instant a local day starts (the current time zone's, as `__date` reads it)."""
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=timezone.get_current_timezone())


def _submitted_in(period) -> Q:
    """Offers submitted on a local day of the period: the same offers as
    `submitted_at__date` between its ends, written as a range of instants (from its
    first day's midnight to the midnight after its last), so that the database compares
    timestamps instead of converting each offer's to a local date, once per figure (a
    year's 75,000 offers at the largest scale)."""
    return Q(
        submitted_at__gte=_local_midnight(period.start),
        submitted_at__lt=_local_midnight(period.end + datetime.timedelta(days=1)),
    )


def _registered(scope, period):
    return _in_scope(scope).filter(_submitted_in(period))


def offers_registered(*, scope: Population, period: Period, by: str | None = None):
    """Offers registered: offers submitted (left the company's drafts) in the period."""
    if by == "mission_locale":
        raise ValueError("offers have no mission locale")
    return aggregate(
        Offer.objects.registered(),
        paths=OFFER_PATHS,
        scope=_regional(scope),
        period=period,
        value=Count("pk"),
        by=by,
    )


def positions_offered(*, scope: Population, period: Period, by: str | None = None):
    """Positions offered: the positions of the offers registered in the period."""
    if by == "mission_locale":
        raise ValueError("offers have no mission locale")
    return aggregate(
        Offer.objects.registered(),
        paths=OFFER_PATHS,
        scope=_regional(scope),
        period=period,
        value=Sum("positions"),
        by=by,
    )


def positions_offered_by_month(*, scope: Population, year: int) -> dict[datetime.date, int]:
    """`positions_offered(by="month")` over a calendar year ({first day of the month:
    positions}, the months with offers): from the figures the database keeps, or in one
    pass of timestamp comparisons over the offers (each month a range of instants, as
    `_submitted_in`) instead of a local date computed for each offer (tested equal)."""
    if offer_counts_kept():
        rows = (
            _counts(scope)
            .filter(_months_of(Period(year)))
            .values("month")
            .annotate(n=Sum("positions_offered"))
            .order_by()
        )
        return {row["month"]: row["n"] for row in rows if row["n"]}
    months = Period(year).months()
    row = (
        _in_scope(scope)
        .filter(_submitted_in(Period(year)))
        .aggregate(
            **{f"m{month.month}": Sum("positions", filter=_submitted_in(month)) for month in months}
        )
    )
    return {month.start: row[f"m{month.month}"] for month in months if row[f"m{month.month}"]}


def positions_filled(*, scope: Population, period: Period, by: str | None = None):
    """Positions filled: employments (hires through an offer's proposal) starting in the
    period; for a mission locale, those of its youths."""
    return aggregate(
        Employment.objects.all(),
        paths=EMPLOYMENT_PATHS,
        scope=scope,
        period=period,
        value=Count("pk"),
        by=by,
    )


def satisfaction_rate(*, scope: Population, period: Period) -> float | None:
    """Art. 20 satisfaction: positions filled / positions offered (%) over the offers
    registered in the period (the offers app's `figures_for_offers`)."""
    return figures_for_offers(_registered(scope, period)).fill_rate


def time_to_fill(*, scope: Population, period: Period) -> float | None:
    """Average days from publication to the last position filled, over the offers
    registered in the period and filled (the offers app's `figures_for_offers`)."""
    return figures_for_offers(_registered(scope, period)).days_to_fill


def recruitment_needs_by_role(*, scope: Population, period: Period) -> dict[str, int]:
    """Positions offered by job role in the offers registered in the period, most first."""
    if offer_counts_kept():
        rows = (
            _counts(scope)
            .filter(_months_of(period))
            .values(role=F("job_role__name"))
            .annotate(n=Sum("positions_offered"))
            .filter(n__gt=0)
        )
    else:
        rows = (
            _registered(scope, period).values(role=F("job_role__name")).annotate(n=Sum("positions"))
        )
    return {row["role"] or _("Non précisé"): row["n"] for row in rows.order_by("-n", "role")}


def kpis(*, scope, period, previous, today=None) -> list:
    """The offers' key figures, (key, label, now, before), counts with their keys."""
    from ..dashboard import counted

    # both periods in one query; each equals figures_for_offers(_registered(...)) (tested)
    if offer_counts_kept():
        now, before = kept_figures_for_sets(
            _counts(scope), [_months_of(period), _months_of(previous)]
        )
    else:
        now, before = figures_for_offer_sets(
            _in_scope(scope), [_submitted_in(period), _submitted_in(previous)]
        )
    offered_now = counted("positions_offered", period, now.positions_offered)
    offered_before = counted("positions_offered", previous, before.positions_offered)
    filled_now = counted("offer_positions_filled", period, now.positions_filled)
    filled_before = counted("offer_positions_filled", previous, before.positions_filled)
    return [
        (
            "offers",
            _("Offres enregistrées"),
            counted("offers", period, now.offers),
            counted("offers", previous, before.offers),
        ),
        ("positions_offered", _("Postes offerts"), offered_now, offered_before),
        ("positions_filled", _("Postes pourvus (offres de la période)"), filled_now, filled_before),
        (
            "satisfaction",
            _("Taux de satisfaction des offres"),
            # the offers app's fill_rate, on counts disclosure control can follow
            Rate(filled_now, offered_now),
            Rate(filled_before, offered_before),
        ),
        (
            "fill_days",
            _("Délai moyen pour pourvoir (jours)"),
            now.days_to_fill,
            before.days_to_fill,
        ),
    ]


def tables(*, scope, period, today=None) -> list[Table]:
    """Positions offered and filled per month of the year (the positions offered add up
    to the year's key figure), and the recruitment needs by role (adding up to the
    period's positions offered)."""
    from ..dashboard import counted, month_labels

    year = Period(period.year)
    offered = positions_offered_by_month(scope=scope, year=period.year)
    filled = positions_filled(scope=scope, period=year, by="month")
    labels = month_labels(period.year)
    rows = []
    for m in range(1, 13):
        key, month = datetime.date(period.year, m, 1), Period(period.year, m)
        rows.append(
            [
                labels[m - 1],
                counted("positions_offered", month, offered.get(key, 0)),
                counted("employments", month, filled.get(key, 0)),
            ]
        )
    monthly = Table(
        key="offers",
        title=_("Postes offerts et pourvus par mois (%(year)s)") % {"year": period.year},
        columns=[_("Mois"), _("Postes offerts"), _("Postes pourvus")],
        rows=rows,
        groups=[Group(("positions_offered", year.key), tuple(row[1].key for row in rows))],
    )
    monthly.chart_kind = "offers"
    monthly.chart_columns = {"registered": 1, "filled": 2}
    monthly.chart_data = {
        "labels": labels,
        "title": _("Offres : postes offerts et pourvus · %(year)s") % {"year": period.year},
    }
    needs = recruitment_needs_by_role(scope=scope, period=period)
    role_rows = [
        [role, counted("positions_offered", period, n, "role", str(role))]
        for role, n in needs.items()
    ]
    roles = Table(
        key="needs",
        title=_("Besoins de recrutement par métier"),
        columns=[_("Métier"), _("Postes offerts")],
        rows=role_rows,
        groups=[Group(("positions_offered", period.key), tuple(row[1].key for row in role_rows))],
    )
    return [monthly, roles]
