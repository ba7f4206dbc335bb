"""The staff layout's parts that every page writes the same way (templates/base.html).

A fragment that reads nothing of the request (the links to the style sheets and scripts,
the portal's name, the footer) is drawn once per language and process, then copied: its
template is rendered without the request's context, so it cannot come to depend on the
user by accident. The header's menu is drawn once per menu: its HTML depends only on
the entries it shows (texts, addresses, which one is current) and the language. The
header around it is drawn once per language and per signed-in or not, with holes for
what each request prints there (the page's address, the CSRF token, the user's name,
the menu).

All are kept by `accounts.kept_markup` (with DEBUG on, drawn on every request).
"""

from __future__ import annotations

from django import template
from django.template.loader import render_to_string

from accounts.kept_markup import HoledMarkup, KeptMarkup

register = template.Library()

#: The fragments (by template name) and the menus (by their entries): a handful of
#: fragments; a menu per combination of a role's entries and the current page.
_fragments = KeptMarkup(size=64)
MENU_CACHE_SIZE = 2048
_menus = KeptMarkup(size=MENU_CACHE_SIZE)


@register.simple_tag
def constant_fragment(name: str) -> str:
    """`{% constant_fragment "components/site_footer.html" %}`: the fragment's HTML, drawn once
    per language (and URL prefix) in this process."""
    return _fragments.get(name, lambda: render_to_string(name))


@register.simple_tag
def navigation_menu(menu) -> str:
    """The header's navigation (components/navigation.html) for `menu`
    (accounts.navigation.Menu)."""
    key = (
        tuple((str(entry.label), entry.url, entry.current) for entry in menu.sections),
        tuple((str(entry.label), entry.url, entry.current) for entry in menu.pages),
        str(menu.section_label),
        menu.home_current,
    )
    return _menus.get(key, lambda: render_to_string("components/navigation.html", {"menu": menu}))


_HEADER = "components/site_header.html"
#: The header's holes, signed in and not.
_HEADER_HOLES = {True: ("next", "csrf_token", "user_name", "menu"), False: ("next", "csrf_token")}


@register.simple_tag
def site_header(*, user, next, csrf_token, menu) -> str:
    """The skip link and the header (components/site_header.html) for `user`: the
    language form sending back to `next`, the sign-out form, the user's name and
    `menu` (accounts.navigation.Menu) when signed in, the sign-in link otherwise."""
    # A page drawn without the request's context has no user: signed out, as the
    # template's own `{% if user.is_authenticated %}` would have it.
    authenticated = bool(getattr(user, "is_authenticated", False))
    values = {"next": next, "csrf_token": csrf_token}
    if authenticated:
        values |= {"user_name": user.get_full_name() or user.email, "menu": navigation_menu(menu)}
    if not csrf_token or csrf_token == "NOTPROVIDED":  # noqa: S105 (Django's "no token")
        # {% csrf_token %} writes nothing then: a state no page is in, drawn as it is.
        return render_to_string(_HEADER, {"authenticated": authenticated, **values})
    header = _fragments.get(
        (_HEADER, authenticated),
        lambda: HoledMarkup.draw(
            lambda holes: render_to_string(_HEADER, {"authenticated": authenticated, **holes}),
            _HEADER_HOLES[authenticated],
        ),
    )
    return header.fill(**values)


@register.simple_tag
def page_messages(messages) -> str:
    """The request's messages (components/messages.html), read once: nothing, and no
    template drawn, on the many pages that show none."""
    if not messages:
        return ""
    return render_to_string("components/messages.html", {"messages": messages})
