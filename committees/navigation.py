"""Navigation entries of the committees app, per role."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from accounts.navigation import NavItem, Section


def nav_items(user, scope) -> list[NavItem]:
    """Everyone has "my action items"; committees for whoever may sit on or run one; the
    plan and the commitments for project leads and national staff."""
    items = [
        NavItem(
            _("Mes actions"),
            "committees:my_action_items",
            _("Suivre les actions qui vous sont confiées par les comités, les retards d'abord."),
            60,
            Section.STEERING,
        )
    ]
    runs_committees = scope.is_admin or scope.is_national or bool(scope.lead_region_ids)
    if scope.memberships or scope.is_admin:
        items.append(
            NavItem(
                _("Comités"),
                "committees:committee_list",
                _("Réunir les comités, tenir les comptes rendus, décisions et actions.")
                if runs_committees
                else _(
                    "Consulter les comités dont vous êtes membre, leurs réunions et comptes rendus."
                ),
                61,
                Section.STEERING,
            )
        )
    if runs_committees:
        items.append(
            NavItem(
                _("Plan d'action"),
                "committees:plan_list",
                _("Suivre l'avancement du plan d'action de chaque région.")
                if scope.is_national or scope.is_admin
                else _(
                    "Mettre à jour le plan d'action de votre région et le renouveler chaque année."
                ),
                62,
                Section.STEERING,
            )
        )
        items.append(
            NavItem(
                _("Engagements"),
                "committees:convention",
                _("La convention, ses signataires et l'état des engagements de chacun."),
                63,
                Section.STEERING,
            )
        )
    return items
