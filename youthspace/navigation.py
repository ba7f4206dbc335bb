"""Navigation entry of the youth's space for advisors and managers (the youths
themselves have their own tabs, `templates/youthspace/base.html`)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from accounts.navigation import NavItem, Section


def nav_items(user, scope) -> list[NavItem]:
    if not scope.mission_locale_ids:
        return []
    return [
        NavItem(
            _("Réponses des jeunes"),
            "youthspace:answers",
            _("Ce que les jeunes ont répondu depuis hier à leurs rendez-vous, dans leur espace."),
            13,
            Section.YOUTHS,
        )
    ]
