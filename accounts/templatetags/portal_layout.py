"""The staff layout's parts that every page writes the same way (templates/base.html).

A fragment that reads nothing of the request (the links to the style sheets and scripts,
the portal's name, the footer) is drawn once per language and process, then copied: its
template is rendered without the request's context, so it cannot come to depend on the
user by accident. The header's menu is drawn once per menu: its HTML depends only on
the entries it shows (texts, addresses, which one is current) and the language.

Both are kept by `accounts.kept_markup` (with DEBUG on, drawn on every request).
"""

from __future__ import annotations

from django import template
from django.template.loader import render_to_string

from accounts.kept_markup import KeptMarkup

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
