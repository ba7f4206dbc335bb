"""Predicates of the reporting app, each with its rule. Which dashboards and scopes a user
may open is in scopes.py (dashboards_for, allowed_regions, allowed_mission_locales)."""

from __future__ import annotations

from accounts.scope import get_scope

from .scopes import dashboards_for


def can_view_dashboard(user, dashboard: str) -> bool:
    """National dashboard: national staff; regional: project leads; local: mission locale
    staff; admins all three."""
    return dashboard in dashboards_for(user)


def can_receive_digest(user) -> bool:
    """Whoever has a dashboard may receive its monthly digest."""
    return bool(dashboards_for(user))


def can_view_reviews(user) -> bool:
    """National staff, project leads and admins read the annual reviews."""
    scope = get_scope(user)
    return scope.is_admin or scope.is_national or bool(scope.lead_region_ids)


def can_edit_review(user, review) -> bool:
    """National staff write the national review; the project lead of a region writes its
    review (Art. 20: the review is drawn up by the signatories); admins both."""
    scope = get_scope(user)
    if scope.is_admin:
        return True
    if review.region_id is None:
        return scope.is_national
    return review.region_id in scope.lead_region_ids


def can_generate_review(user, review) -> bool:
    """Whoever may write a review may generate its PDF."""
    return can_edit_review(user, review)
