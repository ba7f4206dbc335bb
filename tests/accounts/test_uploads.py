"""The checks every upload goes through (`accounts.uploads`): the zip-bomb guard read
from the central directory, the PDF checks (raw bytes and parsed objects), and the
headers of a stored file's download."""

from __future__ import annotations

import io
import os
import random
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.files.uploadhandler import MemoryFileUploadHandler
from django.http.multipartparser import MultiPartParser
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart

from accounts.uploads import (
    MAX_ARCHIVE_ENTRIES,
    MAX_COMPRESSION_RATIO,
    MAX_UPLOAD_KEPT,
    STORED_FILE_CSP,
    ArchiveLimits,
    CappedTemporaryFileUploadHandler,
    check_archive,
    check_pdf,
    stored_file_response,
)
from tests.hostile_files import (
    DOCX_MAIN,
    JAVASCRIPT_IN_OBJECT_STREAM,
    JAVASCRIPT_UNREFERENCED,
    LEGIT_PDF,
    MB,
    XLSX_MAIN,
    declare_size,
    office_document,
    zip_archive,
)


def _refusal(check, content) -> ValidationError:
    with pytest.raises(ValidationError) as info:
        check(content)
    return info.value


@pytest.mark.parametrize("main", [DOCX_MAIN, XLSX_MAIN])
def test_an_ordinary_office_document_passes(main):
    check_archive(office_document(main, "word/document.xml", b"<w:document/>" * 2000))


def test_the_decision_rests_on_the_central_directory_alone():
    # The bytes are a small valid part; only the central directory claims 445 MB. The
    # guard refuses without inflating anything (a reader would have found 13 bytes).
    honest = office_document(XLSX_MAIN, "xl/sharedStrings.xml", b"<sst></sst>")
    lying = declare_size(honest, "xl/sharedStrings.xml", 445 * MB)
    assert zipfile.ZipFile(io.BytesIO(lying)).getinfo("xl/sharedStrings.xml").file_size == (
        445 * MB
    )
    error = _refusal(check_archive, lying)
    assert error.code == "archive_too_big"
    assert "Une fois décompressé, ce fichier dépasserait" in error.messages[0]


def test_a_part_that_inflates_a_thousand_times_is_refused_on_its_ratio():
    # 20 MB of spaces: under every size limit, but no office part compresses so well.
    bomb = office_document(DOCX_MAIN, "word/document.xml", 20 * MB)
    assert len(bomb) < 20 * MB / MAX_COMPRESSION_RATIO
    error = _refusal(check_archive, bomb)
    assert error.code == "archive_ratio"
    assert "se décompresse de façon anormale" in error.messages[0]


def test_parts_adding_up_are_refused_on_the_total():
    # Three 2 MB parts that do not compress (each under the per-entry limit, each with an
    # ordinary ratio) against a 5 MB total: only the sum is over.
    noise = random.Random(0).randbytes(2 * MB)
    archive = zip_archive([(f"part{index}.xml", noise) for index in range(3)])
    limits = ArchiveLimits(max_entry_size=5 * MB, max_total_size=5 * MB)
    with pytest.raises(ValidationError) as info:
        check_archive(archive, limits=limits)
    assert info.value.code == "archive_too_big"
    assert "5 Mo" in info.value.messages[0]
    check_archive(archive, limits=ArchiveLimits(max_total_size=6 * MB))


def test_parts_sharing_their_bytes_are_measured_against_the_real_file():
    # An "overlapping" bomb: 150 central directory entries point to the same 512 KB of
    # data, so each entry's own ratio is 1 and the total (75 MB) is under the limit;
    # against the file's real size the ratio is 150.
    single = zip_archive([("a.xml", random.Random(0).randbytes(512 * 1024))])
    directory_start = single.index(b"PK\x01\x02")
    end_start = single.index(b"PK\x05\x06")
    entry = single[directory_start:end_start]
    copies = 150
    end_record = bytearray(single[end_start:])
    end_record[8:10] = copies.to_bytes(2, "little")
    end_record[10:12] = copies.to_bytes(2, "little")
    end_record[12:16] = (len(entry) * copies).to_bytes(4, "little")
    overlapping = single[:directory_start] + entry * copies + bytes(end_record)
    entries = zipfile.ZipFile(io.BytesIO(overlapping)).infolist()
    assert len(entries) == copies
    assert sum(info.file_size for info in entries) == 75 * MB
    assert entries[0].file_size <= entries[0].compress_size
    error = _refusal(check_archive, overlapping)
    assert error.code == "archive_ratio"


def test_too_many_entries_are_refused():
    crowded = zip_archive(
        [(f"part{index}.xml", b"<a/>") for index in range(MAX_ARCHIVE_ENTRIES + 1)]
    )
    error = _refusal(check_archive, crowded)
    assert error.code == "archive_entries"


def test_an_encrypted_entry_or_an_exotic_compression_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_BZIP2) as archive:
        archive.writestr("word/document.xml", b"<w:document/>")
    assert _refusal(check_archive, buffer.getvalue()).code == "archive_unsupported"
    encrypted = bytearray(office_document(DOCX_MAIN, "word/document.xml", b"<w:document/>"))
    directory = encrypted.index(b"PK\x01\x02")
    encrypted[directory + 8] |= 0x1  # the "encrypted" flag of the first entry
    assert _refusal(check_archive, bytes(encrypted)).code == "archive_unsupported"


@pytest.mark.parametrize(
    "content",
    [b"PK\x03\x04 not really a zip", b"", office_document(DOCX_MAIN, "a.xml", b"<a/>")[:-30]],
    ids=["garbage", "empty", "truncated"],
)
def test_a_damaged_archive_is_refused_with_a_message(content):
    error = _refusal(check_archive, content)
    assert error.code == "archive_damaged"
    assert "abîmé" in error.messages[0]


def test_an_upload_is_left_at_its_start_for_the_next_reader():
    uploaded = SimpleUploadedFile("a.docx", office_document(DOCX_MAIN, "a.xml", b"<a/>"))
    uploaded.read(5)
    check_archive(uploaded)
    assert uploaded.tell() == 0


# --- PDF ----------------------------------------------------------------------------------


def test_a_plain_pdf_with_a_web_link_and_an_open_view_passes():
    check_pdf(LEGIT_PDF)


def test_javascript_inside_a_compressed_object_stream_is_found_by_the_parser():
    # The raw bytes show no JavaScript at all: only reading the object stream finds it.
    assert b"JavaScript" not in JAVASCRIPT_IN_OBJECT_STREAM
    assert b"/JS" not in JAVASCRIPT_IN_OBJECT_STREAM
    error = _refusal(check_pdf, JAVASCRIPT_IN_OBJECT_STREAM)
    assert error.code == "pdf_active_content"


def test_javascript_no_reference_leads_to_is_found_in_the_raw_bytes():
    error = _refusal(check_pdf, JAVASCRIPT_UNREFERENCED)
    assert error.code == "pdf_active_content"


def test_names_inside_binary_streams_do_not_count():
    # Image or font data may hold "/JS" by chance; only the file's structure is read.
    image = b"\x00\x01/JS /JavaScript\xff" * 10
    with_image = LEGIT_PDF.replace(
        b"4 0 obj\n",
        b"5 0 obj\n<</Length %d>>\nstream\n" % len(image)
        + image
        + b"\nendstream\nendobj\n4 0 obj\n",
    )
    check_pdf(with_image)


def test_names_inside_strings_and_comments_do_not_count():
    # A link to a page about JavaScript, a title naming a launch: text, not actions.
    linked = LEGIT_PDF.replace(
        b"(https://www.cnml.fr/)",
        b"(https://developer.mozilla.org/fr/docs/Web/JavaScript \\(guide\\) /Launch)",
    ).replace(b"%PDF-1.4\n", b"%PDF-1.4\n% /JS in a comment\n", 1)
    assert b"/JavaScript" in linked and b"/JS" in linked
    check_pdf(linked)


def test_a_string_that_never_closes_hides_nothing():
    unclosed = LEGIT_PDF.replace(b"(https://www.cnml.fr/)", b"(https://www.cnml.fr/ /Launch")
    assert _refusal(check_pdf, unclosed).code == "pdf_active_content"


def test_a_file_that_does_not_end_like_a_pdf_is_refused():
    assert _refusal(check_pdf, LEGIT_PDF + b"\0" * 2048).code == "pdf_damaged"


def test_a_stream_without_end_does_not_hide_the_rest():
    hidden = b"%PDF-1.4\n1 0 obj\n<</Length 5>>\nstream\nabc\n2 0 obj<</S/Launch>>endobj\n%%EOF\n"
    assert _refusal(check_pdf, hidden).code == "pdf_active_content"


# --- Receiving ----------------------------------------------------------------------------


def test_a_huge_upload_keeps_its_size_but_not_its_bytes(settings):
    # 30 MB posted: Django reads it all, the disk gets 10 MB and a byte, and the file
    # still says 30 MB so that the form refuses it with its own message.
    assert "accounts.uploads.CappedTemporaryFileUploadHandler" in settings.FILE_UPLOAD_HANDLERS
    body = encode_multipart(BOUNDARY, {"file": SimpleUploadedFile("vivier.csv", b"x" * 30 * MB)})
    meta = {
        "CONTENT_TYPE": MULTIPART_CONTENT,
        "CONTENT_LENGTH": str(len(body)),
    }
    handlers = [MemoryFileUploadHandler(), CappedTemporaryFileUploadHandler()]
    _post, files = MultiPartParser(meta, io.BytesIO(body), handlers).parse()
    uploaded = files["file"]
    try:
        assert uploaded.size == 30 * MB
        assert os.path.getsize(uploaded.temporary_file_path()) == MAX_UPLOAD_KEPT
    finally:
        uploaded.close()


# --- Serving ------------------------------------------------------------------------------


def test_a_stored_file_leaves_as_a_sandboxed_download():
    response = stored_file_response(
        io.BytesIO(b"%PDF-1.4"), filename="compte-rendu.pdf", content_type="application/pdf"
    )
    assert response["Content-Disposition"] == 'attachment; filename="compte-rendu.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == STORED_FILE_CSP == "sandbox; default-src 'none'"
    assert response["Cache-Control"] == "private, no-store"
