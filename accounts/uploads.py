"""Checks on files people upload, and the one way stored files leave the portal.

Two apps take files from users: the advisors' spreadsheet import (candidates) and the
committees' documents. Both go through these checks, so that a limit raised or a hole
closed here holds for every upload.

Zip archives (XLSX, DOCX, ODT): `check_archive` reads only the archive's central
directory (the table of entries at its end: names, declared compressed and
uncompressed sizes) and refuses the file before any entry is decompressed. Python's
`zipfile`, which openpyxl uses, never inflates an entry beyond the uncompressed size
the central directory declares (it stops there, whatever the stream holds), so
checking the declared sizes bounds the memory and time of whatever reads the archive
afterwards, even when the archive lies about them.

PDF: `check_pdf` refuses HTML/PDF polyglots, any file pypdf cannot parse, and any
active content (JavaScript, launch actions, embedded files, rich media, XFA forms),
looked for both in the raw bytes (for what a parser may skip) and in the parsed
objects (for what hides in compressed object streams).

Serving: `stored_file_response` sends a stored file as a download that no browser
renders in the portal's origin (attachment, no MIME sniffing, sandboxing CSP).
"""

from __future__ import annotations

import io
import re
import time
import zipfile
import zlib
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.uploadhandler import TemporaryFileUploadHandler
from django.http import FileResponse, HttpResponse
from django.utils.formats import number_format
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

MB = 1024 * 1024

#: At most this many entries in an archive: a DOCX or XLSX has a few dozen, a
#: spreadsheet with many sheets and images a few hundred.
MAX_ARCHIVE_ENTRIES = 1_000
#: No single entry may declare more than this once decompressed.
MAX_ARCHIVE_ENTRY_SIZE = 50 * MB
#: The sum of the entries' declared uncompressed sizes.
MAX_ARCHIVE_TOTAL_SIZE = 100 * MB
#: Uncompressed size / compressed size, per entry and for the whole archive. Office
#: XML compresses 5 to 20 times; a zip bomb about 1,000 times.
MAX_COMPRESSION_RATIO = 100
#: Below this uncompressed size the ratio is not checked: a small, repetitive XML part
#: may compress very well and costs nothing to read.
RATIO_CHECK_FROM = 1 * MB

#: The first bytes of a PDF, where a browser's sniffer looks for HTML, are searched
#: whole (stream data included); the rest of the file outside its streams.
PDF_HTML_SCAN_BYTES = 4 * 1024
#: The %%EOF marker must sit in the file's last KB, as readers expect.
PDF_EOF_SCAN_BYTES = 1024
#: A PDF with more objects than this is refused rather than walked: pypdf reads about
#: 2,000 objects a second, and a report of a few hundred pages holds about 10,000.
MAX_PDF_OBJECTS = 20_000
#: Reading a PDF's objects may not take longer than this (a crafted file can make
#: each object cost a search through the whole file).
MAX_PDF_CHECK_SECONDS = 10

#: What the portal keeps on disk of one uploaded file: one byte more than the largest
#: upload it accepts (a committee document, 10 MB).
MAX_UPLOAD_KEPT = 10 * MB + 1

ZIP_MAGIC = b"PK\x03\x04"


@dataclass(frozen=True)
class ArchiveLimits:
    """The limits `check_archive` applies; a caller that parses the content (the
    import) may pass tighter ones than the defaults."""

    max_entries: int = MAX_ARCHIVE_ENTRIES
    max_entry_size: int = MAX_ARCHIVE_ENTRY_SIZE
    max_total_size: int = MAX_ARCHIVE_TOTAL_SIZE
    max_ratio: int = MAX_COMPRESSION_RATIO


DEFAULT_ARCHIVE_LIMITS = ArchiveLimits()


def _size_in_mb(size: int) -> str:
    return f"{size / MB:.0f}"


def _archive_too_big(limit: int) -> ValidationError:
    return ValidationError(
        _(
            "Une fois décompressé, ce fichier dépasserait %(mb)s Mo : il est refusé par "
            "précaution. Réenregistrez-le sans les éléments inutiles ou découpez-le."
        )
        % {"mb": _size_in_mb(limit)},
        code="archive_too_big",
    )


def check_archive(file, *, limits: ArchiveLimits = DEFAULT_ARCHIVE_LIMITS) -> None:
    """Refuse a zip archive (XLSX, DOCX, ODT) whose central directory announces too many
    entries, an entry or a total too large once decompressed, or a compression ratio
    only a zip bomb reaches; refuse an archive that cannot be read, is encrypted or
    uses a compression method office files never use.

    `file` is bytes or a seekable binary file (left at position 0). Nothing is
    decompressed: the decision rests on the sizes the archive declares, which are also
    the most `zipfile` will ever inflate (see the module docstring). Raises
    ValidationError with a French message.
    """
    if isinstance(file, (bytes, bytearray)):
        file = io.BytesIO(file)
    file.seek(0, io.SEEK_END)
    archive_size = file.tell()
    file.seek(0)
    try:
        with zipfile.ZipFile(file) as archive:
            entries = archive.infolist()
    # NotImplementedError: a zip version or feature Python does not read.
    except (zipfile.BadZipFile, NotImplementedError, OSError, ValueError, EOFError) as exc:
        raise ValidationError(
            _(
                "Ce fichier est abîmé ou n'est pas une archive lisible : réenregistrez-le "
                "depuis le logiciel qui l'a créé."
            ),
            code="archive_damaged",
        ) from exc
    finally:
        file.seek(0)
    if len(entries) > limits.max_entries:
        raise ValidationError(
            _(
                "Ce fichier contient trop d'éléments (%(count)s, %(max)s au plus) : il est "
                "refusé par précaution."
            )
            % {"count": len(entries), "max": limits.max_entries},
            code="archive_entries",
        )
    total = 0
    for entry in entries:
        if entry.flag_bits & 0x1 or entry.compress_type not in (
            zipfile.ZIP_STORED,
            zipfile.ZIP_DEFLATED,
        ):
            raise ValidationError(
                _(
                    "Ce fichier est chiffré ou compressé d'une façon non prise en charge : "
                    "réenregistrez-le sans mot de passe depuis le logiciel qui l'a créé."
                ),
                code="archive_unsupported",
            )
        if entry.file_size > limits.max_entry_size:
            raise _archive_too_big(limits.max_entry_size)
        if _ratio_too_high(entry.file_size, entry.compress_size, limits.max_ratio):
            raise _ratio_error(limits.max_ratio)
        total += entry.file_size
    if total > limits.max_total_size:
        raise _archive_too_big(limits.max_total_size)
    # Entries may share their compressed bytes (an "overlapping" bomb): compare the
    # total with the real file size, not with the declared compressed sizes.
    if _ratio_too_high(total, archive_size, limits.max_ratio):
        raise _ratio_error(limits.max_ratio)


def _ratio_too_high(uncompressed: int, compressed: int, max_ratio: int) -> bool:
    return uncompressed > RATIO_CHECK_FROM and uncompressed > max_ratio * max(compressed, 1)


def _ratio_error(max_ratio: int) -> ValidationError:
    return ValidationError(
        _(
            "Ce fichier se décompresse de façon anormale (plus de %(ratio)s fois sa taille) : "
            "il est refusé par précaution."
        )
        % {"ratio": max_ratio},
        code="archive_ratio",
    )


# --- PDF ----------------------------------------------------------------------------------

# PDF delimiters and white space end a name.
_DELIMITER = rb"[\x00\t\n\x0c\r ()<>\[\]{}/%]"
_NAME_CHARACTER = rb"[^\x00\t\n\x0c\r ()<>\[\]{}/%]"
# The parts of a PDF that are no structure, matched by the C regex engine in one pass:
# a comment, a literal string without nested parentheses (escapes allowed), stream data
# (only looked for where an `endstream` follows, so the lazy match stays linear; never
# from the `stream` of an `endstream`). Groups feed the templates of `_pdf_text`.
_NOT_STRUCTURE = re.compile(
    rb"(%[^\r\n]*)|(\((?:[^()\\]|\\.)*\))|(?<!end)(stream)\r?\n.*?endstream", re.DOTALL
)
_NOT_STRUCTURE_NO_STREAM = re.compile(rb"%[^\r\n]*|\((?:[^()\\]|\\.)*\)", re.DOTALL)
_NAME_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
_NAME_WITH_ESCAPE = re.compile(rb"/" + _NAME_CHARACTER + rb"*#" + _NAME_CHARACTER + rb"*")
_HTML_MARKUP = re.compile(
    rb"<(?:!doctype|html|head|body|script|iframe|frame|svg|object|embed|img|meta|style"
    rb"|link|form|base)[\s>/]",
    re.IGNORECASE,
)

# The names whose presence means active content, and what we tell the user about it.
# Keys: a dictionary key that carries such content. Values: the value of /S (an
# action's type), /Type or /Subtype that names it.
_ACTIVE_KEYS = {
    "JS": "javascript",
    "JavaScript": "javascript",
    "XFA": "xfa",
    "EmbeddedFiles": "embedded",
    "EF": "embedded",
    "RichMediaContent": "media",
    "RichMediaSettings": "media",
}
_ACTIVE_VALUES = {
    "JavaScript": "javascript",
    "Launch": "launch",
    "GoToE": "embedded",
    "EmbeddedFile": "embedded",
    "FileAttachment": "embedded",
    "RichMedia": "media",
    "RichMediaExecute": "media",
}
_RAW_ACTIVE_NAMES = {**_ACTIVE_KEYS, **_ACTIVE_VALUES}
# One of those names, whole: followed by a delimiter, white space or the end.
_ACTIVE_NAME = re.compile(
    rb"/("
    + b"|".join(sorted((name.encode() for name in _RAW_ACTIVE_NAMES), key=len, reverse=True))
    + rb")(?="
    + _DELIMITER
    + rb"|$)"
)


def _active_content_error(what: str) -> ValidationError:
    labels = {
        "javascript": _("du JavaScript"),
        "launch": _("une action qui lance un programme"),
        "embedded": _("un fichier joint"),
        "media": _("du contenu multimédia interactif"),
        "xfa": _("un formulaire XFA"),
    }
    return ValidationError(
        _(
            "Ce PDF contient %(what)s : il est refusé. Imprimez-le en PDF depuis votre "
            "lecteur (ou exportez-le de nouveau) pour n'en garder que les pages."
        )
        % {"what": labels[what]},
        code="pdf_active_content",
    )


def _pdf_damaged() -> ValidationError:
    return ValidationError(
        _(
            "Ce PDF est abîmé ou illisible : réenregistrez-le ou exportez-le de nouveau "
            "en PDF depuis le logiciel qui l'a créé."
        ),
        code="pdf_damaged",
    )


def check_pdf(file) -> None:
    """Refuse a PDF that is also an HTML page (a polyglot), that pypdf cannot parse,
    that is locked by a password, or that carries active content: JavaScript (in an
    /OpenAction, an /AA, a link, the document's names), a launch action, an embedded
    file, rich media or an XFA form. Committee members open these files on their own
    machines: a document must be pages, nothing that runs.

    `file` is bytes or a seekable binary file (left at position 0). Raises
    ValidationError with a French message.
    """
    if isinstance(file, (bytes, bytearray)):
        data = bytes(file)
    else:
        file.seek(0)
        data = file.read()
        file.seek(0)
    if not data.startswith(b"%PDF-"):
        raise _pdf_damaged()
    polyglot = ValidationError(
        _(
            "Ce fichier se présente comme un PDF mais contient du code HTML : il est "
            "refusé. Exportez-le de nouveau en PDF."
        ),
        code="pdf_polyglot",
    )
    if _HTML_MARKUP.search(data[:PDF_HTML_SCAN_BYTES]):
        raise polyglot
    # A PDF ends with its %%EOF marker (readers look for it in the last KB). Without it,
    # pypdf would walk the whole file backwards line by line looking for one.
    if b"%%EOF" not in data[-PDF_EOF_SCAN_BYTES:]:
        raise _pdf_damaged()
    outside_streams, structure = _pdf_text(data)
    if _HTML_MARKUP.search(outside_streams):
        raise polyglot
    match = _ACTIVE_NAME.search(structure)
    if match:
        raise _active_content_error(_RAW_ACTIVE_NAMES[match.group(1).decode()])
    _check_parsed_pdf(data)


def _pdf_text(data: bytes) -> tuple[bytes, bytes]:
    """Two views of a PDF's bytes: the file without its stream data (for HTML), and its
    structure alone, without stream data, literal strings or comments, `#`-escapes in
    names decoded (for active names).

    Streams (images, fonts, page drawing, object streams) hold no dictionary a viewer
    acts on, and their random bytes would match names by chance; object streams are read
    through pypdf instead. Strings and comments are no structure either: a link to
    ".../Web/JavaScript" is not a JavaScript action. Nothing is ever skipped beyond a
    complete stream, string or comment, so an unclosed one hides nothing. Every step is
    one pass of the regex engine: a crafted file cannot make this quadratic."""
    # Stream data is only looked for before the last `endstream`: after it, a `stream`
    # keyword has no end, and the lazy match would scan to the end of the file each time.
    last_end = data.rfind(b"endstream")
    split = last_end + len(b"endstream") if last_end != -1 else 0
    head, tail = data[:split], data[split:]
    no_streams = _NOT_STRUCTURE.sub(rb"\1\2\3", head) + tail
    structure = _NOT_STRUCTURE.sub(rb"\3 ", head) + _NOT_STRUCTURE_NO_STREAM.sub(rb" ", tail)
    if b"#" in structure:
        structure = _NAME_WITH_ESCAPE.sub(
            lambda name: _NAME_ESCAPE.sub(lambda pair: bytes([int(pair[1], 16)]), name[0]),
            structure,
        )
    return no_streams, structure


def _check_parsed_pdf(data: bytes) -> None:
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

    # A hostile file can make the parser fail in any of these ways; each means "not a
    # PDF we can vouch for".
    parse_errors = (
        PyPdfError,
        ValueError,
        KeyError,
        IndexError,
        TypeError,
        AttributeError,
        RecursionError,
        OSError,
        zlib.error,
        NotImplementedError,  # a filter pypdf does not know
        AssertionError,  # pypdf asserts some structures (an object stream's /Type)
    )
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            raise ValidationError(
                _(
                    "Ce PDF est protégé par un mot de passe : enregistrez-en une version "
                    "sans mot de passe."
                ),
                code="pdf_encrypted",
            )
        if "/Root" not in reader.trailer:
            raise _pdf_damaged()
        # Walk the trailer and every object the cross-reference lists (those in
        # compressed object streams included, reachable or not), following references
        # once each; stream data is never decoded. A reference pypdf cannot resolve means
        # a part of the file it could not read: what a more lenient viewer would make of
        # that part is unknown, so the file is refused.
        pending: list = [reader.trailer]
        for generation, numbers in reader.xref.items():
            pending.extend(IndirectObject(number, generation, reader) for number in numbers)
        pending.extend(IndirectObject(number, 0, reader) for number in reader.xref_objStm)
        seen: set[tuple[int, int]] = set()
        deadline = time.monotonic() + MAX_PDF_CHECK_SECONDS
        while pending:
            item = pending.pop()
            if isinstance(item, IndirectObject):
                key = (item.idnum, item.generation)
                if key in seen:
                    continue
                seen.add(key)
                # Each resolution may cost a search through the whole file (pypdf
                # repairs a wrong offset that way): bound the count and the time.
                if len(seen) > MAX_PDF_OBJECTS or time.monotonic() > deadline:
                    raise ValidationError(
                        _(
                            "Ce PDF est trop complexe pour être vérifié (plus de %(max)s "
                            "objets) : découpez-le ou exportez-le de nouveau."
                        )
                        % {"max": number_format(MAX_PDF_OBJECTS, force_grouping=True)},
                        code="pdf_too_complex",
                    )
                item = reader.get_object(item)
                if item is None:
                    raise _pdf_damaged()
            if isinstance(item, DictionaryObject):
                _check_pdf_dictionary(item)
                pending.extend(item.values())
            elif isinstance(item, ArrayObject):
                pending.extend(item)
    except parse_errors as exc:
        raise _pdf_damaged() from exc


def _check_pdf_dictionary(dictionary) -> None:
    for key in dictionary:
        what = _ACTIVE_KEYS.get(str(key)[1:])
        if what:
            raise _active_content_error(what)
    for key in ("/S", "/Type", "/Subtype"):
        if key in dictionary:
            # Indexing resolves an indirect reference (`get` would not).
            what = _ACTIVE_VALUES.get(str(dictionary[key])[1:])
            if what:
                raise _active_content_error(what)
    uri = dictionary["/URI"] if "/URI" in dictionary else None
    if uri is not None and str(uri).strip().lower().startswith(("javascript:", "vbscript:")):
        raise _active_content_error("javascript")


# --- Receiving ----------------------------------------------------------------------------


class CappedTemporaryFileUploadHandler(TemporaryFileUploadHandler):
    """Django's handler for uploads too large for memory, keeping at most MAX_UPLOAD_KEPT
    bytes of each file on disk: the rest is read and dropped, and the file keeps its
    real size, so that each form refuses it with its own message ("dépasse 5 Mo" for the
    import, "dépasse 10 Mo" for a document). Without it a 10 GB upload would fill the
    temporary directory before any view could refuse it."""

    def receive_data_chunk(self, raw_data, start):
        room = MAX_UPLOAD_KEPT - start
        if room > 0:
            self.file.write(raw_data[:room])


# --- Serving ------------------------------------------------------------------------------

#: Nothing in a served file may run, load or navigate, even if a browser renders it.
STORED_FILE_CSP = "sandbox; default-src 'none'"


def _as_sealed_download(response):
    response["X-Content-Type-Options"] = "nosniff"
    # Set here, the CSP middleware leaves it as it is (it never overwrites the header).
    response["Content-Security-Policy"] = STORED_FILE_CSP
    response["Cache-Control"] = "private, no-store"
    return response


def stored_file_response(handle, *, filename: str, content_type: str) -> FileResponse:
    """The response for a stored file (an uploaded document, a generated PDF): always a
    download (`Content-Disposition: attachment`), never sniffed into another type, under
    a CSP that sandboxes it, and kept out of shared caches. Whatever a file slipped past
    the upload checks, a browser does not run it in the portal's origin."""
    return _as_sealed_download(
        FileResponse(handle, as_attachment=True, filename=filename, content_type=content_type)
    )


def generated_file_response(content: bytes, *, filename: str, content_type: str) -> HttpResponse:
    """A file made for this request (a youth's subject export: JSON, ZIP) leaves like a
    stored one: the same headers as `stored_file_response`, its bytes in one piece."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return _as_sealed_download(response)
