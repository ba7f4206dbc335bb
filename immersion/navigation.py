"""Navigation entries of the immersion app, per role."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from accounts.enums import Role
from accounts.navigation import NavItem, Section

from .models import HOSTING_ROLES, ML_ROLES


def nav_items(user, scope) -> list[NavItem]:
    """Sessions for whoever sees some (region staff and hosts); the platform for the
    region's missions locales and project lead; the pool for recruiters; counts for
    national staff."""
    items = []
    in_region = scope.region_ids(*ML_ROLES, Role.PROJECT_LEAD)
    if scope.is_admin or in_region or scope.organisation_ids(*HOSTING_ROLES):
        items.append(
            NavItem(
                _("Sessions"),
                "immersion:session_list",
                _(
                    "Immersions, découvertes des métiers et formations : inscrire des jeunes, "
                    "suivre les places et les présences."
                ),
                40,
                Section.IMMERSION,
            )
        )
    if scope.is_admin or in_region:
        items.append(
            NavItem(
                _("Plateforme d'immersion"),
                "immersion:cohort_list",
                _("Les contrats CAE de la promotion de l'année et son taux d'occupation."),
                41,
                Section.IMMERSION,
            )
        )
    if scope.is_admin or scope.mission_locale_ids or scope.has_role(Role.RECRUITER):
        items.append(
            NavItem(
                _("Demandes de la bourse"),
                "immersion:pool_requests",
                _("Les demandes des recruteurs pour proposer un jeune de la bourse."),
                43,
                Section.IMMERSION,
            )
        )
    if scope.has_role(Role.RECRUITER):
        items.append(
            NavItem(
                _("Bourse de candidats"),
                "immersion:pool_list",
                _("Parcourir les profils partagés des jeunes de la plateforme d'immersion."),
                42,
                Section.IMMERSION,
            )
        )
    if scope.is_admin or scope.is_national:
        items.append(
            NavItem(
                _("Sessions : chiffres"),
                "immersion:national_counts",
                _("Sessions, présences et occupation de la plateforme, par région."),
                44,
                Section.FIGURES,
            )
        )
    return items
