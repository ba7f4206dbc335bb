"""Information notices (issue 14, item 4): one per purpose, in French (with an English
translation for information), versioned, public, reachable from every page's footer,
and printable on one page to hand to a youth."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pytest
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse
from pypdf import PdfReader

from accounts.enums import NOTICE_SLUGS, NoticePurpose, Role
from accounts.models import InformationNotice
from accounts.notices import NOTICE_TEXTS_DIR, notice_texts
from accounts.services import publish_information_notices
from accounts.views.notices import notice_pdf_bytes
from tests.accounts.factories import make_member

pytestmark = pytest.mark.django_db


def _pdf_text(pdf: bytes) -> tuple[int, str]:
    reader = PdfReader(io.BytesIO(pdf))
    text = "\n".join(page.extract_text() for page in reader.pages)
    return len(reader.pages), " ".join(text.split())


def write_notice(directory: Path, purpose: str, version: int, title: str, body: str) -> None:
    folder = directory / purpose
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"v{version}.fr.md").write_text(
        f"---\ntitle: {title}\npublished_on: 2026-0{version}-01\n---\n{body}\n",
        encoding="utf-8",
    )


# --- What the code publishes ----------------------------------------------------------


def test_every_purpose_has_a_published_notice_in_french_and_english():
    """`migrate` (here, the test database's) published the files of the code: one notice
    in force per purpose, both languages, the text as written."""
    current = {notice.purpose: notice for notice in InformationNotice.objects.current()}
    assert set(current) == set(NoticePurpose.values)
    texts = {(t.purpose, t.version): t for t in notice_texts()}
    for notice in current.values():
        text = texts[(notice.purpose, notice.version)]
        assert (notice.title, notice.body, notice.text_sha256) == (
            text.title,
            text.body,
            text.sha256,
        )
        assert notice.title_en and notice.body_en, f"{notice.purpose}: no English text"


def test_publishing_again_publishes_nothing_twice():
    before = list(InformationNotice.objects.values_list("pk", flat=True))
    assert publish_information_notices() == []
    assert list(InformationNotice.objects.values_list("pk", flat=True)) == before


@pytest.mark.parametrize("purpose", NoticePurpose.values)
def test_each_notice_prints_on_one_page_with_its_title(client, purpose):
    """The printed notice handed to a youth: one A4 page, French, its title, its version,
    and for the consent one the slip the youth signs. Anonymous visitors may print it."""
    notice = InformationNotice.objects.current_for(purpose)
    response = client.get(reverse("notices:pdf", args=[notice.slug, notice.version]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    pages, text = _pdf_text(b"".join(response.streaming_content))
    assert pages == 1, f"{purpose}: {pages} pages"
    assert notice.title in text
    assert f"Version {notice.version} du {notice.published_on:%d/%m/%Y}" in text
    assert ("Mon accord" in text) == (purpose == NoticePurpose.PROFILE_SHARING)
    assert ("Votre mission locale" in text) == (purpose != NoticePurpose.PORTAL_ACCOUNTS)


def test_the_pdf_of_a_version_is_rendered_once():
    """A public URL that runs WeasyPrint: each version's PDF is kept in the shared cache,
    so visitors cost one rendering per version, not one per request."""
    notice = InformationNotice.objects.current_for(NoticePurpose.YOUTH_PATHWAY)
    key = f"notice-pdf:{notice.purpose}:{notice.version}:{notice.text_sha256}"
    assert cache.get(key) is None
    pdf = notice_pdf_bytes(notice)
    assert cache.get(key) == pdf
    cache.set(key, b"%PDF-cached")
    assert notice_pdf_bytes(notice) == b"%PDF-cached"


# --- Public pages -----------------------------------------------------------------------


def test_the_notices_page_is_public_and_lists_every_notice(client):
    response = client.get(reverse("notices:list"))
    assert response.status_code == 200
    body = response.content.decode()
    for notice in InformationNotice.objects.current():
        assert notice.title.replace("'", "&#x27;") in body
        assert reverse("notices:detail", args=[notice.slug]) in body
        assert reverse("notices:pdf", args=[notice.slug, notice.version]) in body


@pytest.mark.parametrize("who", ["anonymous", "advisor", "recruiter"])
def test_every_page_links_the_notices_from_its_footer(client, who):
    """The sign-in page for a visitor, a signed-in page for users: base.html's footer."""
    if who == "anonymous":
        url = reverse("account_login")
    else:
        client.force_login(make_member(Role.ADVISOR if who == "advisor" else Role.RECRUITER))
        url = reverse("home")
    body = client.get(url).content.decode()
    footer = body[body.index("<footer") :]
    assert f'href="{reverse("notices:list")}"' in footer
    assert "Données personnelles : mentions d'information" in footer


def test_a_notice_page_shows_its_text_its_versions_and_the_print_link(client):
    notice = InformationNotice.objects.current_for(NoticePurpose.PROFILE_SHARING)
    response = client.get(reverse("notices:detail", args=["partage-du-profil"]))
    assert response.status_code == 200
    body = response.content.decode()
    assert "<h2>Ce que voient les entreprises</h2>" in body  # Markdown, rendered
    assert "<strong>Jamais</strong>" in body
    assert "C'est la version en vigueur." in body
    assert reverse("notices:pdf", args=[notice.slug, notice.version]) in body
    assert 'lang="fr"' in body


def test_the_english_page_is_a_translation_that_points_to_the_french_text(client):
    client.cookies["django_language"] = "en"
    body = client.get(reverse("notices:detail", args=["partage-du-profil"])).content.decode()
    assert "Sharing your profile with companies" in body
    assert "<h2>What companies see</h2>" in body
    assert "Translation for information: the French text is the notice." in body
    assert "the French text (PDF)".lower() in body.lower()


@pytest.mark.parametrize(
    "url",
    [
        "/mentions-information/inconnue/",
        "/mentions-information/partage-du-profil/v99/",
        "/mentions-information/partage-du-profil/v99.pdf",
        "/mentions-information/inconnue/v1.pdf",
    ],
)
def test_unknown_notices_and_versions_are_404(client, url):
    assert client.get(url).status_code == 404


# --- Versions ---------------------------------------------------------------------------


@pytest.fixture
def own_texts(tmp_path):
    """A notices folder of the test's own, in place of the code's (whose rows go)."""
    InformationNotice.objects.all().delete()
    return tmp_path


def test_a_new_version_is_published_beside_the_first(own_texts):
    """Changing a notice is writing its next version: published beside the first, which
    stays as it was (consents point to it: tests/candidates/test_consent_proof.py)."""
    write_notice(own_texts, NoticePurpose.IMMERSION, 1, "Immersion, première version", "Un.")
    [first] = publish_information_notices(directory=own_texts)
    assert (first.version, first.published_on) == (1, date(2026, 1, 1))
    write_notice(own_texts, NoticePurpose.IMMERSION, 2, "Immersion, deuxième version", "Deux.")
    [second] = publish_information_notices(directory=own_texts)
    assert second.version == 2
    assert InformationNotice.objects.current_for(NoticePurpose.IMMERSION) == second
    assert list(InformationNotice.objects.current()) == [second]
    first.refresh_from_db()
    assert (first.title, first.body) == ("Immersion, première version", "Un.\n")


def test_a_published_version_is_never_changed(own_texts):
    """Editing a published file stops the publication, naming the fix; nothing of that
    run is published (a new v2 written at the same time waits), the row is untouched."""
    write_notice(own_texts, NoticePurpose.MENTORING, 1, "Parrainage", "Texte publié.")
    publish_information_notices(directory=own_texts)
    write_notice(own_texts, NoticePurpose.MENTORING, 1, "Parrainage", "Texte retouché.")
    write_notice(own_texts, NoticePurpose.MENTORING, 2, "Parrainage", "Texte retouché.")
    with pytest.raises(ImproperlyConfigured, match="put the change in v2"):
        publish_information_notices(directory=own_texts)
    assert list(InformationNotice.objects.values_list("version", "body")) == [
        (1, "Texte publié.\n")
    ]


@pytest.mark.parametrize(
    ("files", "message"),
    [
        ({"inconnue/v1.fr.md": "---\ntitle: T\npublished_on: 2026-01-01\n---\nx"}, "purpose"),
        ({"mentoring/v2.fr.md": "---\ntitle: T\npublished_on: 2026-01-01\n---\nx"}, "gap"),
        ({"mentoring/v1.en.md": "---\ntitle: T\n---\nx"}, "no French text"),
        ({"mentoring/version1.md": "x"}, "expected v<N>"),
        ({"mentoring/v1.fr.md": "Sans en-tête"}, "header"),
        ({"mentoring/v1.fr.md": "---\ntitle: T\npublished_on: hier\n---\nx"}, "published_on"),
        ({"mentoring/v1.fr.md": "---\ntitle: T\npublished_on: 2026-01-01\n---\n"}, "a text"),
    ],
)
def test_a_mistake_in_the_files_stops_the_publication(own_texts, files, message):
    for name, content in files.items():
        (own_texts / name).parent.mkdir(parents=True, exist_ok=True)
        (own_texts / name).write_text(content, encoding="utf-8")
    with pytest.raises(ImproperlyConfigured, match=message):
        publish_information_notices(directory=own_texts)
    assert not InformationNotice.objects.exists()


def test_the_code_holds_one_folder_per_purpose_with_its_slug():
    folders = {path.name for path in NOTICE_TEXTS_DIR.iterdir() if path.is_dir()}
    assert folders == set(NoticePurpose.values) == set(NOTICE_SLUGS)
