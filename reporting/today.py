"""National staff's counter on the home page (accounts/today.py): the month's hires
against the monthly share of the 1,000-a-year target (Art. 1), computed by the
indicators the national dashboard shows, and linking to that dashboard for the month."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.today import TodayItem, list_url

from .indicators import hires, hires_target, youths_registered
from .indicators.offers import offers_registered, positions_offered
from .periods import Period
from .scopes import NATIONAL, dashboards_for, national_population


def today_items(user, scope) -> list[TodayItem]:
    if not scope.is_national or NATIONAL not in dashboards_for(user):
        return []
    today = timezone.localdate()
    period = Period(today.year, today.month)
    scope_ = national_population()
    url = list_url(
        "reporting:dashboard", {"year": period.year, "month": period.month}, args=(NATIONAL,)
    )
    n = hires(scope=scope_, period=period)
    target = hires_target(scope=scope_, period=period)
    youths = youths_registered(scope=scope_, period=period)
    offers = offers_registered(scope=scope_, period=period)
    positions = positions_offered(scope=scope_, period=period)
    return [
        TodayItem(
            ngettext("%(n)s embauche ce mois-ci", "%(n)s embauches ce mois-ci", n) % {"n": n},
            n,
            url,
            70,
            is_figure=True,
            detail=_("objectif du mois : %(target)s (1 000 par an, article 1)")
            % {"target": target},
        ),
        TodayItem(
            ngettext("%(n)s jeune inscrit ce mois-ci", "%(n)s jeunes inscrits ce mois-ci", youths)
            % {"n": youths},
            youths,
            url,
            71,
            is_figure=True,
        ),
        TodayItem(
            ngettext(
                "%(n)s offre enregistrée ce mois-ci", "%(n)s offres enregistrées ce mois-ci", offers
            )
            % {"n": offers},
            offers,
            url,
            72,
            is_figure=True,
            detail=ngettext("%(n)s poste offert", "%(n)s postes offerts", positions)
            % {"n": positions},
        ),
    ]
