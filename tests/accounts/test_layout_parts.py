"""The staff layout's parts drawn once (accounts/templatetags/portal_layout.py): the
fragments that read nothing of the request, once per language; the header's menu, once
per menu; the header around it once per language and signed-in state, filled for each
request. What a page shows must not change: the right language, each user's own menu and
name, the current page marked, the page's own address and CSRF token."""

from __future__ import annotations

import re

import pytest
from django.template.loader import render_to_string
from django.test import override_settings
from django.urls import reverse

from accounts.enums import Role
from accounts.navigation import build_menu, build_navigation
from accounts.templatetags import portal_layout
from tests.accounts.factories import make_member

pytestmark = pytest.mark.django_db


def _footer(body: str) -> str:
    return body[body.index("<footer") : body.index("</footer>")]


def _nav(body: str) -> str:
    start = body.index('aria-label="Navigation principale"')
    return body[start : body.index("</nav>", start)]


def _header(body: str) -> str:
    start = body.index('<a class="visually-hidden-focusable skip-link"')
    return body[start : body.index("</header>", start) + len("</header>")]


def _token(body: str) -> str:
    tokens = set(re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', _header(body)))
    assert len(tokens) == 1
    return tokens.pop()


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


def test_the_header_is_the_template_drawn_with_the_request_s_own_values(client):
    """Drawn once, filled per request: the same HTML as the template rendered with this
    request's address (escaped), CSRF token, name (escaped) and menu."""
    advisor = make_member(Role.ADVISOR, first_name="Zoé", last_name="<O'Neil>")
    client.force_login(advisor)
    for path, query in [(reverse("home"), ""), (reverse("candidates:mentor_list"), '?q="><b>&x=1')]:
        response = client.get(path + query)
        body = response.content.decode()
        menu = portal_layout.navigation_menu(build_menu(build_navigation(advisor), path))
        expected = render_to_string(
            "components/site_header.html",
            {
                "authenticated": True,
                "next": response.wsgi_request.get_full_path(),
                "csrf_token": _token(body),
                "user_name": "Zoé <O'Neil>",
                "menu": menu,
            },
        )
        assert _header(body) == expected
        assert "Zoé &lt;O&#x27;Neil&gt;</a>" in expected
    assert 'value="/jeunes/parrains/?q=%22%3E%3Cb%3E&amp;x=1"' in expected
    drawn = [key for key in portal_layout._fragments if key[0][0] == "components/site_header.html"]
    assert [(key[0][1], key[1]) for key in drawn] == [(True, "fr")]


def test_each_user_gets_their_own_name_and_token_in_the_header(client):
    first = make_member(Role.ADVISOR, first_name="Alice", last_name="Martin")
    second = make_member(Role.ADVISOR, first_name="", last_name="", email="sans.nom@example.fr")
    client.force_login(first)
    first_body = client.get(reverse("home")).content.decode()
    client.force_login(second)
    second_body = client.get(reverse("home")).content.decode()
    assert "Alice Martin</a>" in _header(first_body)
    assert "Alice Martin" not in second_body
    assert ">sans.nom@example.fr</a>" in _header(second_body)
    assert _token(first_body) != _token(second_body)


def test_signed_out_the_header_has_the_sign_in_link_and_no_menu(client):
    client.force_login(make_member(Role.ADVISOR))
    client.get(reverse("legal:notice"))
    client.logout()
    header = _header(client.get(reverse("legal:notice")).content.decode())
    assert f'href="{reverse("account_login")}">Se connecter</a>' in header
    assert 'name="next" type="hidden" value="/mentions-legales/"' in header
    assert "Se déconnecter" not in header and "Navigation principale" not in header
    states = {key[0][1] for key in portal_layout._fragments if key[0][0].endswith("header.html")}
    assert states == {True, False}


def test_a_page_drawn_without_the_request_has_a_signed_out_header():
    html = render_to_string("accounts/legal_notice.html", {"site_url": "https://portail.test"})
    header = _header(html)
    assert "Se connecter</a>" in header and 'name="next" type="hidden" value=""' in header


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


def test_the_pages_messages_show_once_escaped_and_nothing_without_one(rf):
    """`{% page_messages %}` writes the request's messages as components/messages.html
    does, each escaped, and nothing when there is none."""
    from django.contrib.messages import constants
    from django.contrib.messages.storage.fallback import FallbackStorage

    from tests.payloads import SCRIPT

    request = rf.get("/")
    request.session = {}
    storage = FallbackStorage(request)
    assert portal_layout.page_messages(storage) == ""
    storage.add(constants.ERROR, SCRIPT.text)
    storage.add(constants.SUCCESS, "Candidature refusée.")
    written = portal_layout.page_messages(storage)
    assert '<div class="messages" role="status" aria-live="polite">' in written
    assert '<div class="alert alert-danger">&lt;script&gt;' in written
    assert '<div class="alert alert-success">Candidature refusée.</div>' in written
    assert "<script>" not in written
