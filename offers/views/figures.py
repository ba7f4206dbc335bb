"""The offers' figures of a region or of the nation."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils.translation import gettext as _

from accounts.models import Region
from accounts.scope import get_scope

from ..figures import (
    NO_FIGURES,
    figures_by_company,
    figures_for_offers,
    figures_grouped_by,
)
from ..models import Offer
from ..permissions import (
    can_see_offer_figures,
)

# --- Figures -------------------------------------------------------------------------------


def figures(request):
    """Satisfaction of offers: a recruiter's companies, a project lead's region by
    company, national staff and admins by region (aggregates only, no youth)."""
    if not can_see_offer_figures(request.user):
        raise PermissionDenied(_("Ces chiffres ne vous sont pas ouverts."))
    # Which sections the page shows follows the user's roles; each section counts
    # offers the user may see as a whole (aggregates only).
    scope = get_scope(request.user)
    rows = []
    if scope.company_ids:
        rows = [
            {"name": name, "figures": figures}
            for _pk, name, figures in figures_by_company(
                Offer.objects.of_user_companies(request.user)
            )
        ]
    by_company = []
    if scope.lead_region_ids:
        by_company = [
            {"name": name, "figures": figures}
            for _pk, name, figures in figures_by_company(
                Offer.objects.filter(region_id__in=scope.lead_region_ids)
            )
        ]
    by_region = []
    if scope.is_national or scope.is_admin:
        grouped = figures_grouped_by(Offer.objects.all(), "region_id")
        by_region = [
            {"name": region.name, "figures": grouped.get(region.pk, NO_FIGURES)}
            for region in Region.objects.order_by("name")
        ]
        by_region.append(
            {"name": _("France entière"), "figures": figures_for_offers(Offer.objects.all())}
        )
    return render(
        request,
        "offers/figures.html",
        {
            "own": rows,
            "by_company": by_company,
            "by_region": by_region,
            "show_own": bool(scope.company_ids),
            "show_region": bool(scope.lead_region_ids),
        },
    )
