"""Navigation entries of the candidate pool: advisors and managers of a mission locale."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from accounts.navigation import NavItem, Section


def nav_items(user, scope) -> list[NavItem]:
    if not scope.mission_locale_ids:
        return []
    items = [
        NavItem(
            _("Jeunes"),
            "candidates:youth_list",
            _("Retrouver un jeune, filtrer le vivier, inscrire un nouveau jeune."),
            10,
            Section.YOUTHS,
        ),
        NavItem(
            _("Mes suivis"),
            "candidates:due_this_week",
            _("Les rendez-vous et suivis en entreprise de la semaine."),
            11,
            Section.YOUTHS,
        ),
        NavItem(
            _("Parrains"),
            "candidates:mentor_list",
            _("Les parrains et marraines bénévoles et leurs filleuls."),
            12,
            Section.YOUTHS,
        ),
        *(
            [
                NavItem(
                    _("Journal des accès"),
                    "candidates:access_log",
                    _("Qui a consulté ou exporté les données des jeunes de la mission locale."),
                    81,
                    Section.ADMINISTRATION,
                )
            ]
            if scope.managed_mission_locale_ids
            else []
        ),
    ]
    if scope.managed_mission_locale_ids:
        items.append(
            NavItem(
                _("Demandes RGPD"),
                "candidates:subject_request_list",
                _("Les demandes des jeunes sur leurs données, leur échéance et leur réponse."),
                82,
                Section.ADMINISTRATION,
            )
        )
    return items
