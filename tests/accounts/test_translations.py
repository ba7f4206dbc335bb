"""French is the source language; the English catalogue must translate every string."""

import re
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import translation

from accounts.enums import Role
from tests.accounts.factories import make_member

CATALOGUE = Path(__file__).resolve().parents[2] / "locale" / "en" / "LC_MESSAGES" / "django.po"


def _untranslated(text: str) -> list[str]:
    """msgids whose msgstr (or every msgstr[n]) is empty; the header is skipped."""
    missing = []
    for block in text.split("\n\n"):
        if block.lstrip().startswith("#~"):
            continue
        msgid = re.search(r'^msgid ((?:".*"\n?)+)', block, re.M)
        if not msgid or msgid.group(1).strip() == '""':
            continue
        strings = re.findall(r'^msgstr(?:\[\d\])? ((?:".*"\n?)+)', block, re.M)
        if not strings or all(s.strip() == '""' for s in strings):
            missing.append(msgid.group(1).strip())
        elif re.search(r"^#,.*fuzzy", block, re.M):
            missing.append(msgid.group(1).strip())
    return missing


def test_every_french_string_has_an_english_translation():
    missing = _untranslated(CATALOGUE.read_text(encoding="utf-8"))
    assert missing == [], f"{len(missing)} strings without English: {missing[:10]}"


def test_the_compiled_catalogue_is_used():
    with translation.override("en"):
        assert translation.gettext("Accueil") == "Home"
        assert translation.gettext("Se déconnecter") != "Se déconnecter"


@pytest.mark.django_db
def test_the_home_page_in_english(client):
    client.force_login(make_member(Role.ADVISOR, first_name="Camille"))
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    body = client.get(reverse("home")).content.decode()
    assert "Hello Camille" in body
    assert "Your organisations and your role" in body
    assert "Bonjour" not in body


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["advisor", "youth"])
def test_the_language_switch_posts_with_its_own_csrf_token(who):
    """The one language switch (components/language_switch.html), on the staff layout
    and on the youth space's: its form carries a CSRF token that Django accepts."""
    from django.test import Client

    from tests.youthspace.factories import open_space
    from youthspace.identity import SESSION_KEY

    client = Client(enforce_csrf_checks=True)
    if who == "advisor":
        client.force_login(make_member(Role.ADVISOR))
        page = reverse("home")
    else:
        space = open_space()
        client.force_login(space.user)
        session = client.session
        session[SESSION_KEY] = space.pk
        session.save()
        page = reverse("youthspace:home")
    html = client.get(page).content.decode()
    form = re.search(r'<form[^>]*action="/i18n/setlang/".*?</form>', html, re.S).group(0)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
    response = client.post(
        reverse("set_language"), {"language": "en", "next": page, "csrfmiddlewaretoken": token}
    )
    assert response.status_code == 302
    assert response.cookies["django_language"].value == "en"


def test_every_section_of_the_subject_export_reads_in_english():
    """The youth's export is given in the reader's language: each section's title and
    column labels are in the catalogue (a string missing from it stays French)."""
    from candidates.personal_data_registry import holdings

    catalogue = CATALOGUE.read_text(encoding="utf-8")
    msgids = {
        "".join(re.findall(r'"(.*)"', found)).replace('\\"', '"')
        for found in re.findall(r'^msgid ((?:".*"\n?)+)', catalogue, re.M)
    }
    missing = sorted(
        {
            str(text)
            for holding in holdings()
            for text in (holding.title, *(column.label for column in holding.columns))
        }
        - msgids
    )
    assert missing == []
