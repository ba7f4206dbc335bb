"""The navigation per role: each app says, in its own `navigation.py`, which entries a
user sees (`nav_items(user, scope) -> list[NavItem]`), each in a section of the portal
(a task: youths, offers, immersion, steering, figures, administration). The header shows
the user's sections on a top row and the current section's pages on a second row
(`build_menu`); the home page lists the same entries with their description.

The current section is the one holding the entry whose address is the longest prefix of
the page's path: a youth's page (/jeunes/12/) belongs to "Jeunes" (/jeunes/), the
national session counts (/sessions/chiffres/) to "Indicateurs", not to "Immersion".
Without such an entry, the first entry under the same first path segment decides (a
recruiter's offer, /offres/12/, is in "Offres"). A section's link opens its entry of
lowest order: the order puts each section's main page first."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from django.conf import settings
from django.db import models
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.functional import LazyObject
from django.utils.translation import gettext_lazy as _

from .discovery import app_modules
from .enums import Role
from .permissions import (
    can_invite_anyone,
    can_manage_outgoing_emails,
    can_review_access_requests,
)
from .scope import get_scope


class Section(models.TextChoices):
    """The portal's sections, in the order of the top row."""

    YOUTHS = "youths", _("Jeunes")
    OFFERS = "offers", _("Offres")
    IMMERSION = "immersion", _("Immersion")
    STEERING = "steering", _("Pilotage")
    FIGURES = "figures", _("Indicateurs")
    ADMINISTRATION = "administration", _("Administration")


SECTION_ORDER = {section: index for index, section in enumerate(Section.values)}


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    description: str = ""
    order: int = 100
    section: str = Section.ADMINISTRATION
    #: Also listed on the user's profile page, among the emails the portal sends them.
    on_profile: bool = False

    @property
    def url(self) -> str:
        return _address(_urlconf(), get_script_prefix(), self.url_name)


def _urlconf():
    return get_urlconf() or settings.ROOT_URLCONF


@lru_cache(maxsize=512)
def _address(urlconf, script_prefix: str, url_name: str) -> str:
    """A navigation entry's address: the same for every request of a process served
    under one prefix and URL configuration (the key), so reversed once rather than for
    each entry of each page."""
    return reverse(url_name, urlconf=urlconf)


@dataclass(frozen=True)
class MenuEntry:
    """A link of the header's menu: `current` marks the page itself (aria-current="page")
    on the second row, the current section on the top row."""

    label: str
    url: str
    current: bool = False


@dataclass(frozen=True)
class Menu:
    sections: tuple[MenuEntry, ...]
    pages: tuple[MenuEntry, ...]
    section_label: str = ""
    home_current: bool = False


def nav_items(user, scope) -> list[NavItem]:
    items = []
    if scope.has_role(Role.ML_MANAGER):
        items.append(
            NavItem(
                _("Mon équipe"),
                "accounts:team",
                _("Voir les conseillers de votre mission locale et les inviter."),
                80,
                Section.ADMINISTRATION,
            )
        )
    if can_invite_anyone(user):
        items.append(
            NavItem(
                _("Invitations"),
                "accounts:invitations",
                _("Inviter une personne et suivre les invitations envoyées."),
                85,
                Section.ADMINISTRATION,
            )
        )
    if can_review_access_requests(user):
        items.append(
            NavItem(
                _("Demandes d'entreprises"),
                "accounts:access_requests",
                _("Examiner les demandes d'accès des entreprises de votre région."),
                86,
                Section.ADMINISTRATION,
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
                Section.ADMINISTRATION,
            )
        )
    return items


def build_navigation(user) -> list[NavItem]:
    if not user.is_authenticated:
        return []
    if isinstance(user, LazyObject):
        # `request.user` (built by the line above): every attribute read through the lazy
        # object is a failed look-up and a proxy call, and each predicate below reads the
        # user's scope from it.
        user = user._wrapped
    scope = get_scope(user)
    items = [item for module in app_modules("navigation") for item in module.nav_items(user, scope)]
    # Section by section, as the header shows them; by order within a section.
    return sorted(items, key=lambda item: (SECTION_ORDER[item.section], item.order))


def build_menu(items: list[NavItem], path: str) -> Menu:
    """The header's two rows for the page at `path`: the sections the user has (each
    linking to its first page), and the pages of the current section."""
    by_section: dict[str, list[NavItem]] = {}
    for item in sorted(items, key=lambda item: (SECTION_ORDER[item.section], item.order)):
        by_section.setdefault(item.section, []).append(item)
    # Keyed by the entry's identity: hashing an entry hashes (so translates) its texts.
    # The URL configuration and prefix read once, not once per entry.
    urlconf, script_prefix = _urlconf(), get_script_prefix()
    urls = {id(item): _address(urlconf, script_prefix, item.url_name) for item in items}
    matches = [item for item in items if path.startswith(urls[id(item)])]
    if not matches:
        # A page under an app's prefix that no entry of this user starts (a recruiter's
        # offer, /offres/12/, has no /offres/ entry): the first entry of the same app.
        prefix = "/".join(path.split("/")[:2]) + "/"
        matches = [item for item in items if prefix != "//" and urls[id(item)].startswith(prefix)]
        matches = matches[:1]
    current_item = max(matches, key=lambda item: len(urls[id(item)]), default=None)
    current_section = current_item.section if current_item else None
    sections = tuple(
        MenuEntry(Section(section).label, urls[id(entries[0])], section == current_section)
        for section, entries in by_section.items()
    )
    pages = tuple(
        MenuEntry(item.label, urls[id(item)], urls[id(item)] == path)
        for item in by_section.get(current_section, [])
    )
    return Menu(
        sections,
        pages,
        Section(current_section).label if current_section else "",
        home_current=path == _address(urlconf, script_prefix, "home"),
    )
