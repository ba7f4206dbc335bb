"""The staff layout's parts drawn once (accounts/templatetags/portal_layout.py): the
fragments that read nothing of the request, once per language; the header's menu, once
per menu. What a page shows must not change: the right language, each user's own menu,
the current page marked."""

from __future__ import annotations

import re

import pytest
from django.test import override_settings
from django.urls import reverse

from accounts.enums import Role
from accounts.templatetags import portal_layout
from tests.accounts.factories import make_member

pytestmark = pytest.mark.django_db


def _footer(body: str) -> str:
    return body[body.index("<footer") : body.index("</footer>")]


def _nav(body: str) -> str:
    start = body.index('aria-label="Navigation principale"')
    return body[start : body.index("</nav>", start)]


@pytest.fixture(autouse=True)
def _nothing_drawn_yet():
    portal_layout._fragments.clear()
    portal_layout._menus.clear()


def test_the_footer_follows_the_language_once_drawn_in_each(client):
    client.force_login(make_member(Role.ADVISOR))
    french = client.get(reverse("home")).content.decode()
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    english = client.get(reverse("home")).content.decode()
    client.post(reverse("set_language"), {"language": "fr", "next": "/"})
    french_again = client.get(reverse("home")).content.decode()
    assert "Mentions légales" in _footer(french)
    assert "Legal notice" in _footer(english) and "Mentions légales" not in _footer(english)
    assert _footer(french_again) == _footer(french)
    drawn = {(name, language) for name, language, *_ in portal_layout._fragments}
    assert ("components/site_footer.html", "fr") in drawn
    assert ("components/site_footer.html", "en") in drawn
    # The assets and the portal's name are in the page, drawn once as well.
    assert 'href="/static/css/portal.css"' in french
    assert '<span class="portal-name">Portail Convention</span>' in french


def test_each_user_gets_their_own_menu_on_the_same_page(client):
    """Two roles on the same address: the menu drawn for one is never shown to the other
    (the key is the menu's own entries)."""
    national = make_member(Role.NATIONAL)
    advisor = make_member(Role.ADVISOR)
    client.force_login(advisor)
    advisor_nav = _nav(client.get(reverse("home")).content.decode())
    client.force_login(national)
    national_nav = _nav(client.get(reverse("home")).content.decode())
    assert 'href="/jeunes/"' in advisor_nav
    assert 'href="/jeunes/"' not in national_nav
    assert advisor_nav != national_nav
    client.force_login(advisor)
    assert _nav(client.get(reverse("home")).content.decode()) == advisor_nav


def test_the_current_page_is_marked_on_each_page_not_the_first_drawn(client):
    client.force_login(make_member(Role.ADVISOR))
    due = _nav(client.get(reverse("candidates:due_this_week")).content.decode())
    mentors = _nav(client.get(reverse("candidates:mentor_list")).content.decode())
    assert f'href="{reverse("candidates:due_this_week")}" aria-current="page">' in due
    assert f'href="{reverse("candidates:mentor_list")}" aria-current="page">' in mentors
    assert f'href="{reverse("candidates:due_this_week")}" aria-current="page">' not in mentors
    home = _nav(client.get(reverse("home")).content.decode())
    assert re.search(r'class="nav-link active" href="/" aria-current="page"', home)


def test_the_menus_kept_are_bounded(client, monkeypatch):
    monkeypatch.setattr(portal_layout._menus, "size", 2)
    client.force_login(make_member(Role.ADVISOR))
    for name in ("home", "candidates:due_this_week", "candidates:mentor_list"):
        client.get(reverse(name))
    assert len(portal_layout._menus) == 2


def test_a_changed_setting_draws_the_parts_anew(client):
    client.force_login(make_member(Role.ADVISOR))
    client.get(reverse("home"))
    assert portal_layout._fragments and portal_layout._menus
    with override_settings(STATIC_URL="/autre-statique/"):
        assert not portal_layout._fragments and not portal_layout._menus
        body = client.get(reverse("home")).content.decode()
        assert 'href="/autre-statique/css/portal.css"' in body
    body = client.get(reverse("home")).content.decode()
    assert "/autre-statique/" not in body


@override_settings(DEBUG=True)
def test_with_debug_on_nothing_is_kept_so_edited_templates_show(client):
    client.force_login(make_member(Role.ADVISOR))
    body = client.get(reverse("home")).content.decode()
    assert "Mentions légales" in _footer(body)
    assert not portal_layout._fragments and not portal_layout._menus
