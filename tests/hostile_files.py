"""Hostile uploads built in memory: zip bombs, lying or damaged archives, PDFs that
carry active content, polyglots. The file counterpart of `tests/payloads.py` (which
holds the hostile *text*): every test of an upload takes its files from here.

Nothing large is ever held in memory: a part of hundreds of megabytes is written
through the compressor chunk by chunk, and only its compressed bytes are kept.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib

MB = 1024 * 1024

# --- Archives -----------------------------------------------------------------------------


Content = bytes | int | list[bytes | int]


def zip_archive(entries: list[tuple[str, Content]]) -> bytes:
    """A zip of (name, content) entries. An int content is that many spaces (a
    compressible part, written through the compressor without being built); a list
    joins bytes and such runs of spaces."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, content in entries:
            if isinstance(content, bytes):
                archive.writestr(name, content)
                continue
            pieces = content if isinstance(content, list) else [content]
            with archive.open(name, "w", force_zip64=True) as part:
                for piece in pieces:
                    if isinstance(piece, bytes):
                        part.write(piece)
                        continue
                    chunk = b" " * MB
                    for _ in range(piece // MB):
                        part.write(chunk)
                    part.write(b" " * (piece % MB))
    return buffer.getvalue()


def declare_size(archive: bytes, name: str, size: int) -> bytes:
    """The same archive whose central directory declares `size` uncompressed bytes for
    `name` (the bytes themselves stay small and valid): what a reader that trusts the
    central directory would have to expect."""
    data = bytearray(archive)
    encoded = name.encode()
    position = 0
    while True:
        position = data.find(b"PK\x01\x02", position)
        assert position != -1, f"{name} is not in the central directory"
        name_length = struct.unpack_from("<H", data, position + 28)[0]
        if bytes(data[position + 46 : position + 46 + name_length]) == encoded:
            struct.pack_into("<I", data, position + 24, size)
            return bytes(data)
        position += 4


def corrupt_entry(archive: bytes, name: str) -> bytes:
    """The same archive with the compressed bytes of `name` scrambled: a corrupt deflate
    stream, as a broken download or disk leaves it."""
    info = zipfile.ZipFile(io.BytesIO(archive)).getinfo(name)
    data = bytearray(archive)
    name_length, extra_length = struct.unpack_from("<HH", data, info.header_offset + 26)
    start = info.header_offset + 30 + name_length + extra_length
    for index in range(start + 2, start + min(info.compress_size, 64)):
        data[index] ^= 0x5A
    return bytes(data)


def replace_entry(archive: bytes, name: str, content: bytes | None) -> bytes:
    """The same archive with `name` holding `content` instead (None: without it)."""
    source = zipfile.ZipFile(io.BytesIO(archive))
    entries = []
    for info in source.infolist():
        if info.filename == name:
            if content is not None:
                entries.append((name, content))
        else:
            entries.append((info.filename, source.read(info)))
    return zip_archive(entries)


_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
    'package/2006/content-types"><Override PartName="/main.xml" ContentType="{main}"/></Types>'
)
DOCX_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
XLSX_MAIN = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"


def office_document(main: str, part: str, content: bytes | int) -> bytes:
    """A DOCX or XLSX (by its declared main type) with one more part."""
    return zip_archive(
        [("[Content_Types].xml", _CONTENT_TYPES.format(main=main).encode()), (part, content)]
    )


_SHEET_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_RELS_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
_DOC_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_XLSX_PARTS = {
    "[Content_Types].xml": (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/xl/workbook.xml" ContentType="{XLSX_MAIN}"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.'
        'openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.'
        'openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>'
    ),
    "_rels/.rels": (
        f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{_RELS_NS}">'
        f'<Relationship Id="rId1" Type="{_DOC_RELS}/officeDocument" Target="xl/workbook.xml"/>'
        "</Relationships>"
    ),
    "xl/workbook.xml": (
        f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{_SHEET_NS}" '
        f'xmlns:r="{_DOC_RELS}"><sheets><sheet name="Jeunes" sheetId="1" r:id="rId1"/>'
        "</sheets></workbook>"
    ),
    "xl/_rels/workbook.xml.rels": (
        f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{_RELS_NS}">'
        f'<Relationship Id="rId1" Type="{_DOC_RELS}/worksheet" Target="worksheets/sheet1.xml"/>'
        f'<Relationship Id="rId2" Type="{_DOC_RELS}/sharedStrings" Target="sharedStrings.xml"/>'
        "</Relationships>"
    ),
}


def xlsx_workbook(
    rows: list[list[str]], *, string_padding: int = 0, sheet_xml: bytes | None = None
) -> bytes:
    """An XLSX written the way Excel writes it: every text in the shared strings table,
    the sheet pointing to them by index. `string_padding` appends that many spaces to
    the last shared string (445 MB of them make the 1 MB upload of the attack);
    `sheet_xml` replaces the sheet."""
    strings: list[str] = []
    cells = []
    for line, row in enumerate(rows, 1):
        row_cells = []
        for column, text in enumerate(row):
            strings.append(text)
            reference = f"{chr(ord('A') + column)}{line}"
            row_cells.append(f'<c r="{reference}" t="s"><v>{len(strings) - 1}</v></c>')
        cells.append(f'<row r="{line}">{"".join(row_cells)}</row>')
    sheet = (
        sheet_xml
        or (
            f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{_SHEET_NS}">'
            f"<sheetData>{''.join(cells)}</sheetData></worksheet>"
        ).encode()
    )
    table = "".join(f'<si><t xml:space="preserve">{text}</t></si>' for text in strings)
    shared: Content = [
        f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{_SHEET_NS}">{table}'
        '<si><t xml:space="preserve">'.encode(),
        string_padding,
        b"</t></si></sst>",
    ]
    return zip_archive(
        [(name, text.encode()) for name, text in _XLSX_PARTS.items()]
        + [("xl/worksheets/sheet1.xml", sheet), ("xl/sharedStrings.xml", shared)]
    )


# --- PDF ----------------------------------------------------------------------------------


def pdf(objects: list[bytes], *, header: bytes = b"%PDF-1.4\n") -> bytes:
    """A PDF whose objects 1..n are `objects` (object 1 is the catalog), with a correct
    cross-reference table: a file every reader opens."""
    out = bytearray(header + b"%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<</Size %d/Root 1 0 R>>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def pdf_with_object_stream(objects: list[bytes], compressed: set[int]) -> bytes:
    """A PDF 1.5 whose objects numbered in `compressed` sit, deflated, in an object
    stream (listed by a cross-reference stream): their bytes never appear in the file."""
    out = bytearray(b"%PDF-1.5\n%\xe2\xe3\xcf\xd3\n")
    count = len(objects)
    stream_number, xref_number = count + 1, count + 2
    positions: dict[int, tuple[int, int, int]] = {}
    header, bodies = [], b""
    for number, body in enumerate(objects, 1):
        if number in compressed:
            positions[number] = (2, stream_number, len(header) // 2)
            header += [str(number).encode(), str(len(bodies)).encode()]
            bodies += body + b"\n"
    table = b" ".join(header) + b"\n"
    for number, body in enumerate(objects, 1):
        if number not in compressed:
            positions[number] = (1, len(out), 0)
            out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    packed = zlib.compress(table + bodies)
    positions[stream_number] = (1, len(out), 0)
    out += (
        b"%d 0 obj\n<</Type/ObjStm/N %d/First %d/Filter/FlateDecode/Length %d>>\nstream\n"
        % (stream_number, len(compressed), len(table), len(packed))
        + packed
        + b"\nendstream\nendobj\n"
    )
    positions[xref_number] = (1, len(out), 0)
    rows = b"\x00" + b"\x00\x00\x00\x00" + b"\xff\xff"
    for number in range(1, xref_number + 1):
        kind, field_2, field_3 = positions[number]
        rows += struct.pack(">BIH", kind, field_2, field_3)
    out += (
        b"%d 0 obj\n<</Type/XRef/Size %d/W[1 4 2]/Root 1 0 R/Length %d>>\nstream\n"
        % (xref_number, xref_number + 1, len(rows))
        + rows
        + b"\nendstream\nendobj\n"
    )
    out += b"startxref\n%d\n%%%%EOF\n" % positions[xref_number][1]
    return bytes(out)


CATALOG = b"<</Type/Catalog/Pages 2 0 R>>"
PAGES = b"<</Type/Pages/Kids[3 0 R]/Count 1>>"
PAGE = b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>"

#: A plain one-page PDF, with a web link and an open action that only shows page 1:
#: what a committee's minutes look like.
LEGIT_PDF = pdf(
    [
        b"<</Type/Catalog/Pages 2 0 R/OpenAction[3 0 R/Fit]>>",
        PAGES,
        b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Annots[4 0 R]>>",
        b"<</Type/Annot/Subtype/Link/Rect[0 0 10 10]/A<</S/URI/URI(https://www.cnml.fr/)>>>>",
    ]
)

#: Each PDF carries one kind of active content; the message names it.
ACTIVE_PDFS = {
    "open-action-javascript": (
        pdf(
            [
                b"<</Type/Catalog/Pages 2 0 R/OpenAction 4 0 R>>",
                PAGES,
                PAGE,
                b"<</S/JavaScript/JS(app.alert\\(1\\))>>",
            ]
        ),
        "JavaScript",
    ),
    "page-additional-action-javascript": (
        pdf(
            [
                CATALOG,
                PAGES,
                b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]"
                b"/AA<</O<</S/JavaScript/JS(this.exportDataObject\\(\\))>>>>>>",
            ]
        ),
        "JavaScript",
    ),
    "document-javascript": (
        pdf(
            [
                b"<</Type/Catalog/Pages 2 0 R/Names<</JavaScript 4 0 R>>>>",
                PAGES,
                PAGE,
                b"<</Names[(x)<</S/JavaScript/JS(app.alert\\(1\\))>>]>>",
            ]
        ),
        "JavaScript",
    ),
    "hex-escaped-javascript": (
        pdf(
            [
                b"<</Type/Catalog/Pages 2 0 R/OpenAction<</S/J#61vaScript/J#53(x)>>>>",
                PAGES,
                PAGE,
            ]
        ),
        "JavaScript",
    ),
    "launch": (
        pdf(
            [
                b"<</Type/Catalog/Pages 2 0 R/OpenAction<</S/Launch/F(cmd.exe)>>>>",
                PAGES,
                PAGE,
            ]
        ),
        "lance un programme",
    ),
    "link-javascript-uri": (
        pdf(
            [
                CATALOG,
                PAGES,
                b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Annots[4 0 R]>>",
                b"<</Type/Annot/Subtype/Link/Rect[0 0 10 10]"
                b"/A<</S/URI/URI(javascript:alert\\(1\\))>>>>",
            ]
        ),
        "JavaScript",
    ),
    "embedded-file": (
        pdf(
            [
                b"<</Type/Catalog/Pages 2 0 R/Names<</EmbeddedFiles<</Names[(a.exe)4 0 R]>>>>>>",
                PAGES,
                PAGE,
                b"<</Type/Filespec/F(a.exe)/EF<</F 5 0 R>>>>",
                b"<</Type/EmbeddedFile/Length 2>>\nstream\nMZ\nendstream",
            ]
        ),
        "fichier joint",
    ),
    "rich-media": (
        pdf(
            [
                CATALOG,
                PAGES,
                b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Annots[4 0 R]>>",
                b"<</Type/Annot/Subtype/RichMedia/Rect[0 0 10 10]>>",
            ]
        ),
        "multimédia",
    ),
    "xfa-form": (
        pdf(
            [
                b"<</Type/Catalog/Pages 2 0 R/AcroForm<</Fields[]/XFA 4 0 R>>>>",
                PAGES,
                PAGE,
                b"<</Length 7>>\nstream\n<xdp/>\nendstream",
            ]
        ),
        "XFA",
    ),
}

#: JavaScript only a parser finds: the action sits in a deflated object stream.
JAVASCRIPT_IN_OBJECT_STREAM = pdf_with_object_stream(
    [
        b"<</Type/Catalog/Pages 2 0 R/OpenAction 4 0 R>>",
        PAGES,
        PAGE,
        b"<</S/JavaScript/JS(app.alert\\(1\\))>>",
    ],
    compressed={4},
)
#: JavaScript only the raw bytes show: an object no reference leads to.
JAVASCRIPT_UNREFERENCED = pdf([CATALOG, PAGES, PAGE, b"<</S/JavaScript/JS(app.alert\\(1\\))>>"])

#: Starts as a PDF, is an HTML page: a browser sniffing it would run the script.
POLYGLOT_PDF_HTML = b"%PDF-1.4\n<html><body><script>alert(document.cookie)</script></body></html>"
#: A well-formed PDF with an HTML page tucked in after its first object.
POLYGLOT_PDF_WITH_HTML = LEGIT_PDF.replace(
    b"endobj\n", b"endobj\n<!DOCTYPE html><script>alert(1)</script>\n", 1
)
#: Starts with the PDF signature, then nothing a PDF reader understands.
NOT_REALLY_PDF = b"%PDF-1.7\n" + bytes(range(256)) * 8
