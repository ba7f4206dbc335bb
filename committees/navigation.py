"""Navigation entries of the committees app, per role."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from accounts.navigation import NavItem


def nav_items(user, scope) -> list[NavItem]:
    """Everyone has "my action items"; committees for whoever may sit on or run one; the
    plan and the convention for project leads and national staff."""
    items = [
        NavItem(
            _("Mes actions"),
            "committees:my_action_items",
            _("Suivre les actions qui vous sont confiées par les comités, les retards d'abord."),
            60,
        )
    ]
    if scope.memberships or scope.is_admin:
        items.append(
            NavItem(
                _("Comités"),
                "committees:committee_list",
                _("Consulter les comités dont vous êtes membre, leurs réunions et comptes rendus."),
                61,
            )
        )
    if scope.is_admin or scope.is_national or scope.lead_region_ids:
        items.append(
            NavItem(
                _("Plan d'action"),
                "committees:plan_list",
                _("Suivre l'avancement du plan d'action opérationnel de chaque région."),
                62,
            )
        )
        items.append(
            NavItem(
                _("Convention et engagements"),
                "committees:convention",
                _("Voir les signataires, les engagements de chacun et leur état."),
                63,
            )
        )
    return items
