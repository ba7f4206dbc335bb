"""The navigation per role: each app says, in its own `navigation.py`, which entries a
user sees (`nav_items(user, scope) -> list[NavItem]`). Home pages show the same entries
with their description, as what the user can do next."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .discovery import app_modules
from .enums import Role
from .permissions import (
    can_invite_anyone,
    can_manage_outgoing_emails,
    can_review_access_requests,
)
from .scope import get_scope


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    description: str = ""
    order: int = 100
    #: Also listed on the user's profile page, among the emails the portal sends them.
    on_profile: bool = False

    @property
    def url(self) -> str:
        return reverse(self.url_name)


def nav_items(user, scope) -> list[NavItem]:
    items = []
    if scope.has_role(Role.ML_MANAGER):
        items.append(
            NavItem(
                _("Mon équipe"),
                "accounts:team",
                _("Voir les conseillers de votre mission locale et les inviter."),
                80,
            )
        )
    if can_invite_anyone(user):
        items.append(
            NavItem(
                _("Invitations"),
                "accounts:invitations",
                _("Inviter une personne et suivre les invitations envoyées."),
                85,
            )
        )
    if can_review_access_requests(user):
        items.append(
            NavItem(
                _("Demandes d'entreprises"),
                "accounts:access_requests",
                _("Examiner les demandes d'accès des entreprises de votre région."),
                86,
            )
        )
    if can_manage_outgoing_emails(user):
        items.append(
            NavItem(
                _("Courriels en échec"),
                "accounts:outgoing_emails",
                _(
                    "Surveiller les courriels que le serveur de messagerie a refusés et les renvoyer."
                ),
                73,
            )
        )
    return items


def build_navigation(user) -> list[NavItem]:
    if not user.is_authenticated:
        return []
    scope = get_scope(user)
    items = [item for module in app_modules("navigation") for item in module.nav_items(user, scope)]
    return sorted(items, key=lambda item: item.order)
