"""The staff layout's parts that every page writes the same way (templates/base.html).

A fragment that reads nothing of the request (the links to the style sheets and scripts,
the portal's name, the footer) is drawn once per language and process, then copied: its
template is rendered without the request's context, so it cannot come to depend on the
user by accident. The header's menu is drawn once per menu: its HTML depends only on
the entries it shows (texts, addresses, which one is current) and the language.

With DEBUG on, both are drawn on every request, so that an edited template shows at once.
"""

from __future__ import annotations

from collections import OrderedDict

from django import template
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.template.loader import render_to_string
from django.urls import get_script_prefix, get_urlconf
from django.utils.translation import get_language

register = template.Library()

#: (template, language, script prefix, URLconf) → HTML. A handful of entries.
_fragments: dict[tuple, str] = {}
#: (language, the menu's texts, addresses and marks) → HTML. Bounded: a menu per
#: combination of a role's entries and the current page.
_menus: OrderedDict[tuple, str] = OrderedDict()
MENU_CACHE_SIZE = 2048


@receiver(setting_changed)
def _forget_drawn_parts(**kwargs) -> None:
    """A changed setting (the static files' storage, the languages, the URLconf) may change
    what the parts write."""
    _fragments.clear()
    _menus.clear()


@register.simple_tag
def constant_fragment(name: str) -> str:
    """`{% constant_fragment "components/site_footer.html" %}`: the fragment's HTML, drawn once
    per language (and URL prefix) in this process."""
    if settings.DEBUG:
        return render_to_string(name)
    key = (name, get_language(), get_script_prefix(), get_urlconf())
    html = _fragments.get(key)
    if html is None:
        html = _fragments[key] = render_to_string(name)
    return html


@register.simple_tag
def navigation_menu(menu) -> str:
    """The header's navigation (components/navigation.html) for `menu`
    (accounts.navigation.Menu)."""
    if settings.DEBUG:
        return render_to_string("components/navigation.html", {"menu": menu})
    key = (
        get_language(),
        tuple((str(entry.label), entry.url, entry.current) for entry in menu.sections),
        tuple((str(entry.label), entry.url, entry.current) for entry in menu.pages),
        str(menu.section_label),
        menu.home_current,
        get_script_prefix(),
        get_urlconf(),
    )
    html = _menus.get(key)
    if html is None:
        html = render_to_string("components/navigation.html", {"menu": menu})
        _menus[key] = html
        if len(_menus) > MENU_CACHE_SIZE:
            _menus.popitem(last=False)
    return html
