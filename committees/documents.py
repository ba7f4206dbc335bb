"""What a document really is, read from its bytes and never from its name.

PDF starts with `%PDF-`. DOCX and XLSX are zip containers whose `[Content_Types].xml`
declares the main part's type; ODT is a zip whose first entry `mimetype` holds
`application/vnd.oasis.opendocument.text`. Anything else is refused.

The content checks shared with every upload (`accounts.uploads`) come on top: an
archive passes the zip-bomb guard before any of its entries is read, and a PDF must
parse and carry no active content.
"""

from __future__ import annotations

import re
import unicodedata
import zipfile
import zlib

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from accounts.uploads import ZIP_MAGIC, check_archive, check_pdf

from .enums import DocumentKind

MAX_DOCUMENT_SIZE = 10 * 1024 * 1024

EXTENSIONS = {
    "pdf": DocumentKind.PDF,
    "docx": DocumentKind.DOCX,
    "odt": DocumentKind.ODT,
    "xlsx": DocumentKind.XLSX,
}
CONTENT_TYPES = {
    DocumentKind.PDF: "application/pdf",
    DocumentKind.DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    DocumentKind.ODT: "application/vnd.oasis.opendocument.text",
    DocumentKind.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
_OOXML_MAIN = {
    DocumentKind.DOCX: b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    DocumentKind.XLSX: b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
}
# The entries sniffing reads are small; `check_archive` has bounded the rest already.
_MAX_MANIFEST = 1024 * 1024


def sniff_kind(uploaded) -> str | None:
    """The document kind found in the content, or None when it is none of ours. Reads
    at most two small entries of an archive (`validate_document` runs the zip-bomb
    guard before)."""
    uploaded.seek(0)
    head = uploaded.read(8)
    uploaded.seek(0)
    if head.startswith(b"%PDF-"):
        return DocumentKind.PDF
    if not head.startswith(ZIP_MAGIC):
        return None
    try:
        with zipfile.ZipFile(uploaded) as archive:
            infos = archive.infolist()
            if infos and infos[0].filename == "mimetype" and infos[0].file_size < 200:
                if archive.read("mimetype").strip() == CONTENT_TYPES[DocumentKind.ODT].encode():
                    return DocumentKind.ODT
                return None
            try:
                info = archive.getinfo("[Content_Types].xml")
            except KeyError:
                return None
            if info.file_size > _MAX_MANIFEST:
                return None
            manifest = archive.read(info)
    # A damaged archive (bad header, corrupt deflate stream, truncated entry) is none of
    # ours: the user gets the content message, never an error page.
    except (
        zipfile.BadZipFile,
        zlib.error,
        EOFError,
        ValueError,
        OSError,
        RuntimeError,
        NotImplementedError,
    ):
        return None
    finally:
        uploaded.seek(0)
    for kind, marker in _OOXML_MAIN.items():
        if marker in manifest:
            return kind
    return None


def validate_document(uploaded) -> str:
    """Check size, extension and content; return the kind. Raises ValidationError with a
    French message otherwise.

    An archive goes through the shared zip-bomb guard before anything in it is read
    (a 300 KB DOCX may hold a 300 MB part); a PDF must parse and carry no JavaScript,
    launch action, embedded file, rich media or XFA form, nor be an HTML page too."""
    if uploaded.size > MAX_DOCUMENT_SIZE:
        raise ValidationError(
            _("Le fichier dépasse 10 Mo (%(size)s Mo) : réduisez-le ou découpez-le.")
            % {"size": f"{uploaded.size / 1024 / 1024:.1f}".replace(".", ",")},
            code="too_large",
        )
    if uploaded.size == 0:
        raise ValidationError(_("Le fichier est vide."), code="empty")
    extension = uploaded.name.rsplit(".", 1)[-1].lower() if "." in uploaded.name else ""
    expected = EXTENSIONS.get(extension)
    if expected is None:
        raise ValidationError(
            _("Seuls les fichiers PDF, DOCX, ODT et XLSX sont acceptés."), code="extension"
        )
    uploaded.seek(0)
    if uploaded.read(len(ZIP_MAGIC)) == ZIP_MAGIC:
        check_archive(uploaded)
    uploaded.seek(0)
    actual = sniff_kind(uploaded)
    if actual != expected:
        raise ValidationError(
            _(
                "Le contenu de ce fichier n'est pas un document %(kind)s valide : "
                "son extension ne correspond pas à son contenu."
            )
            % {"kind": extension.upper()},
            code="content",
        )
    if actual == DocumentKind.PDF:
        check_pdf(uploaded)
    return actual


def safe_filename(name: str, kind: str) -> str:
    """A download name that cannot break a header or a path: ASCII letters, digits,
    dashes and underscores, the right extension, at most 100 characters."""
    stem = name.rsplit(".", 1)[0] if "." in name else name
    stem = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode()
    stem = re.sub(r"[^A-Za-z0-9_-]+", "_", stem).strip("_.")[:90] or "document"
    return f"{stem}.{kind}"
