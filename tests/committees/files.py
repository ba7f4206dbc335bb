"""Real (minimal) documents of each accepted kind, and fakes, built in memory."""

from __future__ import annotations

import io
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile

from tests.hostile_files import LEGIT_PDF

# A real one-page PDF (with its cross-reference table): the upload parses every PDF.
PDF = LEGIT_PDF


def _zip(entries: list[tuple[str, bytes]], *, stored_first: bool = False) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for index, (name, data) in enumerate(entries):
            compress = zipfile.ZIP_STORED if stored_first and index == 0 else zipfile.ZIP_DEFLATED
            archive.writestr(name, data, compress_type=compress)
    return buffer.getvalue()


def _content_types(main: str) -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
        f'package/2006/content-types"><Override PartName="/main.xml" ContentType="{main}"/></Types>'
    ).encode()


DOCX = _zip(
    [
        (
            "[Content_Types].xml",
            _content_types(
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
            ),
        ),
        ("word/document.xml", b"<w:document/>"),
    ]
)
XLSX = _zip(
    [
        (
            "[Content_Types].xml",
            _content_types(
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
            ),
        ),
        ("xl/workbook.xml", b"<workbook/>"),
    ]
)
ODT = _zip(
    [("mimetype", b"application/vnd.oasis.opendocument.text"), ("content.xml", b"<office/>")],
    stored_first=True,
)
# A zip that is no office document (a JAR, an APK or a plain archive).
PLAIN_ZIP = _zip([("readme.txt", b"hello")])
EXE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200
HTML = b"<html><script>alert(1)</script></html>"


def upload(name: str, content: bytes, content_type: str = "application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)
