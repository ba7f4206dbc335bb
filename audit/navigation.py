"""Navigation entry of the audit trail: the managers of a mission locale."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from accounts.navigation import NavItem


def nav_items(user, scope) -> list[NavItem]:
    if not scope.managed_mission_locale_ids:
        return []
    return [
        NavItem(
            _("Piste d'audit"),
            "audit:audit_trail",
            _("Qui a modifié quoi, quand et comment, dans les dossiers de la mission locale."),
            82,
        )
    ]
