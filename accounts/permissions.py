"""Predicates of the accounts app: each says its rule in its docstring."""

from __future__ import annotations

from .enums import (
    LEAD_INVITES_KINDS,
    ROLES_BY_KIND,
    ROLES_REQUIRING_MFA,
    OrganisationKind,
    Role,
)
from .scope import get_scope


def can_invite_member(user, organisation, role: str) -> bool:
    """A mission locale manager invites advisors and managers into their own mission
    locale; a project lead invites recruiters into the companies of their region and
    partner staff into its training bodies and partners; admins invite anyone. The
    role must fit the organisation's kind."""
    if role not in ROLES_BY_KIND.get(organisation.kind, ()):
        return False
    scope = get_scope(user)
    if scope.is_admin:
        return True
    if organisation.kind == OrganisationKind.MISSION_LOCALE:
        return organisation.pk in scope.managed_mission_locale_ids
    if organisation.kind in LEAD_INVITES_KINDS:
        return organisation.region_id in scope.lead_region_ids
    return False


def can_invite_anyone(user) -> bool:
    """Whoever may invite into at least one organisation sees the invitations page."""
    scope = get_scope(user)
    return scope.is_admin or scope.has_role(Role.ML_MANAGER, Role.PROJECT_LEAD)


def can_review_access_requests(user) -> bool:
    """Project leads review the company access requests of their region (admins too)."""
    scope = get_scope(user)
    return scope.is_admin or bool(scope.lead_region_ids)


def can_decide_access_request(user, access_request) -> bool:
    """Only a project lead of the request's region (or an admin) approves or rejects it."""
    scope = get_scope(user)
    return scope.is_admin or access_request.region_id in scope.lead_region_ids


def can_see_team(user) -> bool:
    """A mission locale's manager sees its team and turns members' access on and off."""
    return bool(get_scope(user).managed_mission_locale_ids)


def can_manage_outgoing_emails(user) -> bool:
    """Admins follow the emails the relay refused (for good, or after the last retry) and
    send them again: the list shows addresses of every organisation, so nobody else."""
    return get_scope(user).is_admin


def requires_two_factor(user) -> bool:
    """Project leads, national staff and admins must sign in with a second factor:
    they see a whole region's or the whole country's data."""
    if not user.is_authenticated:
        return False
    if user.is_superuser or user.is_staff:
        return True
    return get_scope(user).has_role(*ROLES_REQUIRING_MFA)
