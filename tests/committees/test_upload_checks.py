"""What the committee documents upload refuses (issue 12, finding 11, and the zip-bomb
guard of finding 3), through the page as a project lead uses it; and how a stored
document leaves the portal."""

from __future__ import annotations

import functools
import io
import os

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from pypdf import PdfWriter

from committees.models import Document
from tests.accounts.factories import UserFactory
from tests.hostile_files import (
    ACTIVE_PDFS,
    DOCX_MAIN,
    JAVASCRIPT_IN_OBJECT_STREAM,
    LEGIT_PDF,
    MB,
    NOT_REALLY_PDF,
    POLYGLOT_PDF_HTML,
    POLYGLOT_PDF_WITH_HTML,
    XLSX_MAIN,
    corrupt_entry,
    declare_size,
    office_document,
    zip_archive,
)

from .factories import MeetingFactory
from .files import DOCX, ODT, XLSX, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting(world, client):
    client.force_login(world.lead)
    return MeetingFactory(committee=world.committee, past=True)


def _stored(root) -> list[str]:
    return [name for _dir, _subdirs, names in os.walk(root) for name in names]


def _post(client, meeting, name: str, content: bytes):
    return client.post(
        reverse("committees:document_upload", args=[meeting.pk]), {"file": upload(name, content)}
    )


def _assert_refused(response, private_media, message: str) -> None:
    assert response.status_code == 400
    errors = " ".join(response.context["document_form"].errors["file"])
    assert message in errors
    assert not Document.objects.exists()
    assert _stored(private_media) == []


# --- PDF ----------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", list(ACTIVE_PDFS))
def test_a_pdf_carrying_active_content_is_refused(client, meeting, private_media, kind):
    content, what = ACTIVE_PDFS[kind]
    response = _post(client, meeting, "compte-rendu.pdf", content)
    _assert_refused(response, private_media, "Ce PDF contient")
    assert what in " ".join(response.context["document_form"].errors["file"])


def test_javascript_hidden_in_an_object_stream_is_refused(client, meeting, private_media):
    response = _post(client, meeting, "compte-rendu.pdf", JAVASCRIPT_IN_OBJECT_STREAM)
    _assert_refused(response, private_media, "Ce PDF contient du JavaScript")


@pytest.mark.parametrize(
    "content", [POLYGLOT_PDF_HTML, POLYGLOT_PDF_WITH_HTML], ids=["html-after-header", "html-inside"]
)
def test_a_pdf_that_is_also_an_html_page_is_refused(client, meeting, private_media, content):
    response = _post(client, meeting, "compte-rendu.pdf", content)
    _assert_refused(response, private_media, "contient du code HTML")


def test_a_pdf_the_parser_cannot_read_is_refused(client, meeting, private_media):
    response = _post(client, meeting, "compte-rendu.pdf", NOT_REALLY_PDF)
    _assert_refused(response, private_media, "Ce PDF est abîmé ou illisible")


def test_a_pdf_locked_by_a_password_is_refused(client, meeting, private_media):
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    writer.encrypt("secret")
    buffer = io.BytesIO()
    writer.write(buffer)
    response = _post(client, meeting, "compte-rendu.pdf", buffer.getvalue())
    _assert_refused(response, private_media, "protégé par un mot de passe")


def test_plain_pdfs_are_still_accepted(client, meeting, private_media):
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    writer.encrypt(user_password="", owner_password="owner")  # opens without a password
    buffer = io.BytesIO()
    writer.write(buffer)
    for name, content in [("minutes.pdf", LEGIT_PDF), ("verrouille.pdf", buffer.getvalue())]:
        assert _post(client, meeting, name, content).status_code == 302
    assert Document.objects.count() == 2


# --- Office archives ----------------------------------------------------------------------


@functools.cache
def _huge_part(main: str, part: str) -> bytes:
    # The reproduction: 300 MB of one character, about 300 KB once compressed.
    return office_document(main, part, 300 * MB)


@pytest.mark.parametrize(
    ("name", "main", "part"),
    [
        ("budget.docx", DOCX_MAIN, "word/document.xml"),
        ("budget.xlsx", XLSX_MAIN, "xl/worksheets/sheet1.xml"),
    ],
    ids=["docx", "xlsx"],
)
def test_an_office_file_with_a_huge_compressible_part_is_refused(
    client, meeting, private_media, name, main, part
):
    content = _huge_part(main, part)
    assert len(content) < 400 * 1024
    response = _post(client, meeting, name, content)
    _assert_refused(response, private_media, "Une fois décompressé, ce fichier dépasserait")


def test_an_office_file_that_only_declares_a_huge_part_is_refused(client, meeting, private_media):
    lying = declare_size(DOCX, "word/document.xml", 300 * MB)
    response = _post(client, meeting, "budget.docx", lying)
    _assert_refused(response, private_media, "Une fois décompressé, ce fichier dépasserait")


def test_an_office_file_of_a_thousand_parts_is_refused(client, meeting, private_media):
    crowded = zip_archive([(f"xl/media/image{index}.xml", b"<a/>") for index in range(1001)])
    response = _post(client, meeting, "budget.xlsx", crowded)
    _assert_refused(response, private_media, "trop d'éléments")


def test_a_damaged_office_file_gets_a_message_not_an_error_page(client, meeting, private_media):
    broken = corrupt_entry(DOCX, "[Content_Types].xml")
    response = _post(client, meeting, "budget.docx", broken)
    _assert_refused(response, private_media, "son extension ne correspond pas à son contenu")


def test_ordinary_office_files_are_still_accepted(client, meeting, private_media):
    for name, content in [("a.docx", DOCX), ("b.xlsx", XLSX), ("c.odt", ODT)]:
        assert _post(client, meeting, name, content).status_code == 302
    assert Document.objects.count() == 3


# --- Serving ------------------------------------------------------------------------------


def test_a_stored_document_is_a_sandboxed_download_whatever_its_bytes(client, world, meeting):
    # A file stored before these checks existed: what a browser would render as a page.
    document = Document(
        meeting=meeting, original_name="ancien.pdf", kind="pdf", size=len(POLYGLOT_PDF_HTML)
    )
    document.file.save("ancien.pdf", ContentFile(POLYGLOT_PDF_HTML), save=True)
    response = client.get(reverse("committees:document_download", args=[document.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="ancien.pdf"'
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "sandbox; default-src 'none'"
    assert response["Cache-Control"] == "private, no-store"
    assert b"".join(response.streaming_content) == POLYGLOT_PDF_HTML


def test_the_admin_neither_adds_nor_replaces_a_document_file(client, world, meeting):
    # The admin took any file, unchecked, and its change page was an error (the private
    # storage has no URL): it now shows the portal's download link and no file input.
    document = Document(meeting=meeting, original_name="cr.pdf", kind="pdf", size=len(LEGIT_PDF))
    document.file.save("cr.pdf", ContentFile(LEGIT_PDF), save=True)
    client.force_login(UserFactory(admin=True))
    assert client.get(reverse("admin:committees_document_add")).status_code == 403
    page = client.get(reverse("admin:committees_document_change", args=[document.pk]))
    assert page.status_code == 200
    body = page.content.decode()
    assert reverse("committees:document_download", args=[document.pk]) in body
    assert 'type="file"' not in body
