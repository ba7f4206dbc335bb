"""Helpers shared by the committees views."""

from __future__ import annotations

from accounts.models import Region
from accounts.scope import get_scope


def lead_regions(user):
    """Regions whose committees, plans and regional conventions the user runs (every
    region for admins): the regions for which `can_create_plan` and
    `can_create_regional_convention` hold."""
    scope = get_scope(user)
    if scope.is_admin:
        return Region.objects.all()
    return Region.objects.filter(pk__in=scope.lead_region_ids)
