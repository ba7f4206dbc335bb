"""Who reads the audit trail; each predicate states its rule."""

from __future__ import annotations

from accounts.scope import get_scope


def can_see_youth_history(user, youth) -> bool:
    """A youth's history of changes (who changed what, when, through which path) is
    part of the file: the advisors and managers of the youth's mission locale, and
    admins. Other missions locales, companies and national staff never see it (they do
    not see the file; DOMAIN.md: a national user never sees a name)."""
    scope = get_scope(user)
    return scope.is_admin or youth.mission_locale_id in scope.mission_locale_ids


def can_read_audit_trail(user) -> bool:
    """The mission locale's whole trail, filtered by youth, user and days: its managers
    (their mission locale's entries only, `AuditEntry.objects.visible_to`) and admins.
    It watches the team's changes: a supervision tool, like the access journal."""
    scope = get_scope(user)
    return scope.is_admin or bool(scope.managed_mission_locale_ids)
