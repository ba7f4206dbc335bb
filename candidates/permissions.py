"""Predicates of the candidate pool; each states its rule. Seeing a youth at all is
decided by `Youth.objects.visible_to(user)` (404 otherwise); these decide actions (403)."""

from __future__ import annotations

from accounts.scope import get_scope


def can_use_candidate_pool(user) -> bool:
    """Advisors and managers of a mission locale (and admins) open the pool pages;
    recruiters, project leads, partners and national staff never do."""
    scope = get_scope(user)
    return scope.is_admin or bool(scope.mission_locale_ids)


def can_edit_youth(user, youth) -> bool:
    """The advisors and managers of the youth's mission locale follow the youth: they
    edit the file, record the pathway, assessments, notes, mentoring and VAE. An
    anonymised file is frozen."""
    if youth.is_anonymised:
        return False
    scope = get_scope(user)
    return scope.is_admin or youth.mission_locale_id in scope.mission_locale_ids


def can_export_youth_data(user, youth) -> bool:
    """A youth's data-access request is answered by their mission locale's advisors
    and managers."""
    scope = get_scope(user)
    return scope.is_admin or youth.mission_locale_id in scope.mission_locale_ids


def can_anonymise_youth(user, youth) -> bool:
    """Anonymising cannot be undone: only a manager of the youth's mission locale (or
    an admin) does it."""
    if youth.is_anonymised:
        return False
    scope = get_scope(user)
    return scope.is_admin or youth.mission_locale_id in scope.managed_mission_locale_ids


def can_move_youth(user, youth) -> bool:
    """A youth who moves house is handed to another mission locale by a manager of the
    current one (or an admin)."""
    if youth.is_anonymised:
        return False
    scope = get_scope(user)
    return scope.is_admin or youth.mission_locale_id in scope.managed_mission_locale_ids


def can_import_into(user, mission_locale_id: int) -> bool:
    """Advisors and managers import spreadsheets into their own mission locale only."""
    scope = get_scope(user)
    return scope.is_admin or mission_locale_id in scope.mission_locale_ids


def can_manage_mentors(user, mission_locale_id: int) -> bool:
    """Mentors are recruited by a mission locale: its advisors and managers keep them."""
    scope = get_scope(user)
    return scope.is_admin or mission_locale_id in scope.mission_locale_ids
