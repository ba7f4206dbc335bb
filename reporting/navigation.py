"""Navigation entries of the reporting app, per role."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from accounts.navigation import NavItem, Section

from .permissions import can_receive_digest, can_view_reviews
from .scopes import dashboards_for


def nav_items(user, scope) -> list[NavItem]:
    """Indicators for whoever has a dashboard (with the digest); the annual reviews for
    national staff and project leads; the failed digests for admins."""
    items = []
    if dashboards_for(user):
        items.append(
            NavItem(
                _("Indicateurs"),
                "reporting:home",
                _("Suivre les chiffres de votre périmètre par mois et par année, et les exporter."),
                # Before "Satisfaction des offres" (24): the section's link opens the dashboards.
                19,
                Section.FIGURES,
            )
        )
    if can_receive_digest(user):
        items.append(
            NavItem(
                _("Synthèse mensuelle"),
                "reporting:digest_preview",
                _("Voir la synthèse mensuelle envoyée par e-mail et gérer votre abonnement."),
                71,
                Section.FIGURES,
                on_profile=True,
            )
        )
    if can_view_reviews(user):
        items.append(
            NavItem(
                _("Bilans annuels"),
                "reporting:review_list",
                _("Rédiger le bilan annuel et en générer le PDF."),
                72,
                Section.FIGURES,
            )
        )
    return items
