"""Helpers shared by the committees views."""

from __future__ import annotations

from accounts.models import Region
from accounts.scope import get_scope

from ..permissions import can_create_regional_convention


def lead_regions(user):
    """Regions whose committees and plans the user runs (every region for admins)."""
    scope = get_scope(user)
    if scope.is_admin:
        return Region.objects.all()
    return Region.objects.filter(pk__in=scope.lead_region_ids)


def regional_convention_regions(user):
    """Regions offered in the regional-convention form: those for which
    `can_create_regional_convention` holds, so the page never offers what the service
    would refuse. Regions are a short list (one row each), read once."""
    allowed = [r.pk for r in Region.objects.all() if can_create_regional_convention(user, r)]
    return Region.objects.filter(pk__in=allowed)
