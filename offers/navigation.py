"""Navigation entries of the offers app, per role."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from accounts.navigation import NavItem, Section


def nav_items(user, scope) -> list[NavItem]:
    items = []
    if scope.company_ids:
        items.append(
            NavItem(
                _("Mes offres"),
                "offers:my_offers",
                _("Publier une offre, suivre les candidatures proposées et embaucher."),
                20,
                Section.OFFERS,
            )
        )
    if scope.lead_region_ids:
        items.append(
            NavItem(
                _("Offres de la région"),
                "offers:region_offers",
                _("Valider et publier les offres soumises, accompagner les gros recrutements."),
                21,
                Section.OFFERS,
            )
        )
    if scope.mission_locale_ids:
        items.append(
            NavItem(
                _("Offres d'emploi"),
                "offers:browse_offers",
                _("Parcourir les offres publiées de la région et proposer vos jeunes."),
                22,
                Section.OFFERS,
            )
        )
        items.append(
            NavItem(
                _("Nouvelles offres"),
                "offers:new_offers",
                _("Les offres publiées dans votre région, les non lues d'abord."),
                23,
                Section.OFFERS,
            )
        )
    if scope.company_ids or scope.mission_locale_ids:
        items.append(
            NavItem(
                _("Candidatures"),
                "offers:proposal_list",
                _("Suivre les candidatures, leur état et ce qui a changé cette semaine."),
                25,
                Section.OFFERS,
            )
        )
    if scope.company_ids or scope.lead_region_ids or scope.is_national:
        items.append(
            NavItem(
                _("Satisfaction des offres"),
                "offers:figures",
                _("Postes offerts et pourvus, délais de première candidature et de recrutement."),
                24,
                Section.FIGURES,
            )
        )
    return items
