"""Import of an existing pool from the advisors' spreadsheets.

Files come as French Excel writes them: CSV with semicolons, in UTF-8 (with or without
BOM) or Windows-1252, dates as dd/mm/yyyy; or XLSX. Three steps: the upload reads the
file and proposes a field for each column (`import_columns`); the person importing
confirms or changes the match (remembered for the mission locale's next import); the
preview shows each refused row with its line number and reason, the warnings and flags
of the others (`import_rows`); confirmation imports them. A youth already in the
mission locale (same name, accents and case ignored, and birth date) is never created
twice, so importing the same file again adds nothing.

An XLSX is read by calamine (python-calamine, in Rust: the largest file in about a
second, against 8 s for openpyxl), which builds the sheet's used rectangle in memory.
Reading is bounded whatever the file: at most MAX_BYTES uploaded, an XLSX refused by
the shared zip-bomb guard (`accounts.uploads.check_archive`, with a tighter total for
what the reader will parse) and by a guard reading its XML (`_check_xml_parts`) before
calamine opens it: a part of at most MAX_XML_TAGS tags, rows of at most
MAX_ROW_XML of XML, no cell holding something beyond MAX_LINES rows down or such that
the rectangle from A1 to it would hold more than MAX_SHEET_CELLS cells. Then at most
MAX_ROWS non-empty rows, MAX_LINES lines read (empty ones included) and MAX_COLUMNS
columns, MAX_READ_SECONDS of CPU time reading. A damaged file is refused with a
message, never an error page.
"""

from __future__ import annotations

import csv
import hashlib
import io
import math
import re
import time
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from datetime import time as clock_time

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from python_calamine import CalamineError, CalamineWorkbook, SheetTypeEnum

from accounts.models import Organisation, User
from accounts.uploads import MB, ZIP_MAGIC, ArchiveLimits, check_archive
from audit.context import audit_context
from audit.enums import AuditPath

from .enums import ImportStatus
from .import_columns import (
    COLUMNS,
    FIELDS,
    REQUIRED,
    header_key,
    header_score,
    propose_columns,
    remembered_columns,
)
from .import_confirm import ASSIGN_TO_ME, LEAVE_UNASSIGNED, confirm_locked
from .import_rows import parse_contract_wishes, validate_rows
from .models import ImportBatch, ImportMapping

__all__ = [
    "ASSIGN_TO_ME",
    "COLUMNS",
    "LEAVE_UNASSIGNED",
    "ImportFileError",
    "confirm_import",
    "map_columns",
    "parse_contract_wishes",
    "preview_import",
    "read_spreadsheet",
    "read_table",
    "start_import",
    "validate_rows",
]

MAX_BYTES = 5 * MB
#: Non-empty rows under the titles. An ordinary export (name, first name, birth date,
#: e-mail, phone, postcode, city, level, advisor) takes about 100 bytes a row, so a file
#: of MAX_ROWS youths fits in MAX_BYTES: the two caps describe the same largest file.
#: Confirming more than a few thousand rows runs as a background job
#: (`import_confirm`); the time of the largest file is in docs/benchmarks.md.
MAX_ROWS = 50_000
#: Lines read, empty ones included: past this the file is refused rather than read on
#: (a sheet may declare a million empty rows, a CSV hold millions of line breaks).
MAX_LINES = 10 * MAX_ROWS
#: Columns read in each row; the titles sit in the first ones.
MAX_COLUMNS = 100
#: What the XLSX reader may have to parse. MAX_ROWS rows of a dozen columns take 20 MB
#: of XML as Excel writes them (shared strings) and 30 MB as LibreOffice or openpyxl do
#: (strings inline): 50 MB leaves room, half the shared total.
XLSX_LIMITS = ArchiveLimits(max_entry_size=50 * MB, max_total_size=50 * MB)
#: A sheet row may not take more XML than this: Excel's widest row, 16,384 cells, takes
#: about 1 MB. (A row of a million cells took 850 MB in openpyxl, which read before.)
MAX_ROW_XML = 1 * MB
#: The widest sheet of MAX_ROWS rows the tag budget below is made for.
XLSX_WIDTH = 20
#: Tags in one XML part of an XLSX: MAX_ROWS rows of XLSX_WIDTH cells as Excel writes
#: them (`<c><v></v></c>`, four tags a cell), and some room; a dozen columns of inline
#: strings (six tags a cell) fit too. It bounds the reader's time (calamine parses the
#: largest sheet in about a second) and the cells it may hold.
MAX_XML_TAGS = 5 * MAX_ROWS * XLSX_WIDTH
#: calamine (python-calamine) builds the rectangle from the sheet's first used cell to
#: its last in memory, 32 bytes a cell, empty ones included: the rectangle from A1 to
#: the furthest cell holding something may hold at most this many (64 MB). The largest
#: ordinary file, MAX_ROWS rows of a dozen columns, holds 600,000; a sheet as wide as
#: Excel allows stays readable for about 120 rows.
MAX_SHEET_CELLS = 2 * MAX_ROWS * XLSX_WIDTH
#: Reading the rows may not take more CPU time of the reading thread (the largest file
#: takes about 3 s of it: docs/benchmarks.md). CPU time, not the clock: on a machine
#: busy with other work the largest legitimate XLSX took over 30 s of wall time to read
#: with openpyxl, and a limit on the clock refused it.
MAX_READ_SECONDS = 30


class ImportFileError(Exception):
    """The file cannot be read at all: the message says why, in French."""


def _decode(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ImportFileError(
            _(
                "Encodage UTF-16 non pris en charge : enregistrez le fichier au format "
                "« CSV UTF-8 (délimité par des points-virgules) » ou en XLSX."
            )
        )
    # Anywhere in the file, not only at its start: PostgreSQL stores no NUL character.
    if b"\x00" in data:
        raise ImportFileError(_("Ce fichier n'est ni un CSV ni un XLSX lisible (contenu binaire)."))
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        raise ImportFileError(
            _(
                "Encodage du fichier non reconnu : enregistrez-le au format CSV UTF-8 ou "
                "CSV (Windows) avec des points-virgules."
            )
        ) from None


def _is_blank(row) -> bool:
    return all(cell is None or not str(cell).strip() for cell in row)


def _keep_rows(
    numbered_rows: Iterable[tuple[int, list]], *, deadline: float | None = None
) -> list[tuple[int, list]]:
    """The non-empty rows (cut to MAX_COLUMNS) with their line numbers. Stops as soon
    as the titles and MAX_ROWS rows are passed (the caller refuses the file) and
    refuses a file of more than MAX_LINES lines: never a silent cut, never an endless
    read. Refuses it too once the reading thread has spent MAX_READ_SECONDS of CPU time
    (from `deadline`, when the caller started counting before this)."""
    rows = []
    if deadline is None:
        deadline = time.thread_time() + MAX_READ_SECONDS
    for line_no, row in numbered_rows:
        if time.thread_time() > deadline:
            raise ImportFileError(
                _(
                    "La lecture de ce fichier prend trop de temps : réenregistrez-le depuis "
                    "Excel ou découpez-le en plusieurs fichiers."
                )
            )
        if line_no > MAX_LINES:
            raise _too_many_lines()
        row = row[:MAX_COLUMNS]
        if row.count(None) == len(row) or _is_blank(row):
            continue
        width = len(row)
        while row[width - 1] is None:  # a sheet pads its rows to its widest one
            width -= 1
        rows.append((line_no, ["" if cell is None else cell for cell in row[:width]]))
        if len(rows) > MAX_ROWS + 1:
            break
    return rows


def _read_csv(data: bytes) -> list[tuple[int, list]]:
    text = _decode(data)
    first_line = text.split("\n", 1)[0]
    delimiter = max((";", ",", "\t"), key=first_line.count)
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        return _keep_rows(enumerate(reader, 1))
    except csv.Error as exc:
        raise ImportFileError(
            _("Le fichier CSV est mal formé (ligne %(line)s).") % {"line": reader.line_num}
        ) from exc


# What reading a damaged workbook raises: a broken archive or deflate stream while the
# guard streams its parts (or a local header asking for a zip feature Python refuses:
# NotImplementedError, or a password: RuntimeError), and calamine's own errors (XML that
# does not parse, a part or shared string missing, a value of the wrong type).
_XLSX_DAMAGE = (
    zipfile.BadZipFile,
    zlib.error,
    NotImplementedError,
    RuntimeError,
    EOFError,
    KeyError,
    ValueError,
    OSError,
)


def _damaged_xlsx_message() -> str:
    return _("Ce fichier XLSX est illisible ou abîmé : réenregistrez-le depuis Excel.")


def _too_many_cells() -> ImportFileError:
    return ImportFileError(
        _(
            "Ce fichier contient trop de cellules pour être importé (plus de "
            "%(rows)s lignes de %(columns)s colonnes) : supprimez les colonnes "
            "inutiles ou découpez-le en plusieurs fichiers."
        )
        % {"rows": MAX_ROWS, "columns": XLSX_WIDTH}
    )


def _too_many_lines() -> ImportFileError:
    return ImportFileError(
        _(
            "Le fichier compte plus de %(max)s lignes (lignes vides comprises) : "
            "supprimez les lignes vides ou découpez-le en plusieurs fichiers."
        )
        % {"max": MAX_LINES}
    )


#: A tag's attributes as an XML reader reads them: a quoted value may hold ">" or "<".
_ATTRIBUTES = rb"""(?:[^>"']|"[^"]*"|'[^']*')*+"""
_RELEVANT = rb"(?:[A-Za-z_][\w.-]*:)?(?:row|c|dimension|sheetData)(?=[\s/>])"
#: A sheet's XML cut into the pieces the guard reads one after the other, from the
#: part's start to its end, so that nothing inside a comment, a CDATA section or a
#: quoted value is ever taken for a tag: text and tags of no interest holding no
#: quote, in one run; a comment, CDATA section, processing instruction or DOCTYPE; a
#: row, cell, dimension or sheet data opening (a namespace prefix allowed; its `r`
#: when it comes first, as Excel and LibreOffice write it; its other attributes,
#: ending in "/" when it closes at once); the end of the sheet's data; any other tag.
#: Each piece is matched once, without backtracking: reading a part is linear.
_PLAIN_RUN = (
    rb"""(?:[^<]++|<(?!"""
    + _RELEVANT
    + rb"""|/(?:[A-Za-z_][\w.-]*:)?sheetData[\s>]|!|\?)[^>"']*+>)++"""
)
_SHEET_PIECE = re.compile(
    rb"(?:" + _PLAIN_RUN + rb")?+(?:"
    rb"<!--.*?-->|<!\[CDATA\[.*?\]\]>|<\?.*?\?>|<!DOCTYPE(?:[^>\[]|\[[^\]]*\])*+>"
    rb"""|<(?:[A-Za-z_][\w.-]*:)?(row|c|dimension|sheetData)(?=[\s/>])(?:\s+r="([^"]*)")?("""
    + _ATTRIBUTES
    + rb")>"
    rb"|<(/)(?:[A-Za-z_][\w.-]*:)?sheetData\s*>"
    rb"|<[^\s>\"'/!?][^\s>/\"']*" + _ATTRIBUTES + rb">)"
    rb"|" + _PLAIN_RUN,
    re.DOTALL,
)
#: One attribute, its value quoted; and whether attributes may hold an `r`.
_ATTRIBUTE = re.compile(rb"""([^\s=/"'>]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_MAY_HOLD_R = re.compile(rb"""(?:^|[\s"'])r\s*=""")
_LETTERS = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
#: Excel's own sheet: 16,384 columns (XFD), 1,048,576 rows.
EXCEL_COLUMNS = 16_384
#: What a part is streamed by to count its tags and find a sheet's data.
_XML_CHUNK = 1 * MB
#: Past every limit: a row or column number too long to be read as one.
_FAR = 10**9


def _number(digits: bytes) -> int:
    if not digits.isdigit():
        raise ImportFileError(_damaged_xlsx_message())
    return int(digits) if len(digits) <= 9 else _FAR


def _column_number(letters: bytes) -> int:
    if not letters:
        raise ImportFileError(_damaged_xlsx_message())
    if len(letters) > 3:
        return _FAR
    number = 0
    for letter in letters.upper():
        number = number * 26 + letter - 64
    return number


def _cell_position(reference: bytes, columns: dict[bytes, int]) -> tuple[int, int]:
    """(row, column) of a reference such as "AB12", both from 1; `columns` keeps the
    number of each column's letters once computed."""
    digits = reference.lstrip(_LETTERS)
    letters = reference[: len(reference) - len(digits)]
    column = columns.get(letters)
    if column is None:
        column = columns[letters] = _column_number(letters)
    return _number(digits), column


def _attribute_values(name: bytes, first: bytes | None, attributes: bytes) -> list[bytes]:
    """The values of the attribute `name` of a tag (`first` when it came first): all of
    them, should it be written twice."""
    values = [] if first is None else [first]
    if name != b"r" or _MAY_HOLD_R.search(attributes):
        for key, double, single in _ATTRIBUTE.findall(attributes):
            if key == name:
                values.append(double or single)
    return values


class _SheetGuard:
    """What calamine would build from a sheet, measured from its XML before it opens
    the file: the furthest row and column of a cell holding something (a cell closed
    at once, `<c r="Z9" s="1"/>`, holds only a style), the declared dimension counted
    as such a cell. A cell or row without its `r` takes the next column or row, as
    calamine places them; one with two takes the furthest. Rows and cells count inside
    `<sheetData>` only; comments and CDATA hold none, and a quoted value holds no tag
    (`<c s="a>b" r="XFD9">` is one cell, in XFD9)."""

    def __init__(self):
        self.rows = self.columns = 0
        self.row = self.column = 0
        self.in_data = False
        self.open_row_at: int | None = None
        self.column_numbers: dict[bytes, int] = {}

    def feed(self, xml: bytes) -> None:
        """Follow a whole part; one that cannot be cut into pieces is damaged."""
        numbers = self.column_numbers
        piece, may_hold_r = _SHEET_PIECE.match, _MAY_HOLD_R.search
        at, size = 0, len(xml)
        while at < size:
            match = piece(xml, at)
            if match is None:
                raise ImportFileError(_damaged_xlsx_message())
            at = match.end()
            if match.lastindex is None:
                continue
            name, reference, attributes, data_end = match.groups()
            if data_end is not None:
                if self.in_data:  # the end of the sheet's data closes its last row
                    self._close_row(match.start(4))
                    self.open_row_at = None
                    self.in_data = False
            elif name == b"sheetData":
                self.in_data = not attributes.endswith(b"/")
                self.row = self.column = 0
            elif name == b"dimension":
                for ref in _attribute_values(b"ref", None, attributes):
                    corner = ref.rsplit(b":", 1)[-1].strip().replace(b"$", b"")
                    if corner:
                        self._extend(*_cell_position(corner, numbers))
            elif not self.in_data:
                continue
            elif name == b"c":
                if reference is not None and not (attributes and may_hold_r(attributes)):
                    # One `r`, first (as Excel writes it): read here, for speed.
                    digits = reference.lstrip(_LETTERS)
                    letters = reference[: len(reference) - len(digits)]
                    column = numbers.get(letters) or _column_number(letters)
                    numbers[letters] = column
                    if not digits.isdigit():
                        raise ImportFileError(_damaged_xlsx_message())
                    row = int(digits) if len(digits) <= 9 else _FAR
                    cells = None
                else:
                    references = _attribute_values(b"r", reference, attributes)
                    if references:
                        cells = [_cell_position(ref.strip(), numbers) for ref in references]
                        row, column = max(cells)[0], max(cell[1] for cell in cells)
                    else:
                        row, column = self.row, self.column + 1
                        cells = None
                self.column = column
                if (row > self.rows or column > self.columns) and not attributes.endswith(b"/"):
                    for cell in cells or [(row, column)]:
                        self._extend(*cell)
            else:  # a row
                self._close_row(match.start(1))
                self.open_row_at = match.start(1)
                references = _attribute_values(b"r", reference, attributes)
                row_numbers = [_number(ref.strip()) for ref in references]
                self.row = max(row_numbers) if row_numbers else self.row + 1
                self.column = 0
        self._close_row(size)

    def _extend(self, row: int, column: int) -> None:
        self.rows, self.columns = max(self.rows, row), max(self.columns, column)
        if self.rows > MAX_LINES:
            raise _too_many_lines()
        if self.columns > EXCEL_COLUMNS:
            raise ImportFileError(_long_row_message())
        if self.rows * self.columns > MAX_SHEET_CELLS:
            raise ImportFileError(
                _(
                    "Ce fichier a une cellule remplie trop loin du tableau (%(cell)s) : "
                    "supprimez les lignes et les colonnes vides autour, ou découpez-le en "
                    "plusieurs fichiers."
                )
                % {"cell": f"{_column_letters(self.columns)}{self.rows}"}
            )

    def _close_row(self, at: int) -> None:
        if self.open_row_at is not None and at - self.open_row_at > MAX_ROW_XML:
            raise ImportFileError(_long_row_message())


def _column_letters(number: int) -> str:
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _long_row_message() -> str:
    return _(
        "Une ligne de ce fichier est anormalement longue (plus de 16 384 "
        "cellules) : réenregistrez-le depuis Excel."
    )


def _check_xml_parts(archive: zipfile.ZipFile) -> None:
    """Refuse a workbook that would keep calamine busy or fill the memory although
    `check_archive` let it through. Each part of the archive is streamed in chunks of
    _XML_CHUNK (whatever its name: the workbook's relationships may place a sheet
    anywhere): more than MAX_XML_TAGS tags refuse it. A part holding a sheet's data is
    then read whole (at most XLSX_LIMITS' part size; cut in chunks, a tag whose quoted
    value holds "<" or ">" could hide a cell's reference) and followed by `_SheetGuard`:
    a row longer than MAX_ROW_XML, or a cell holding something (or a dimension) further
    than MAX_LINES rows down, past Excel's last column, or so far that the rectangle
    from A1 to it holds more than MAX_SHEET_CELLS cells refuses the file: calamine
    builds that whole rectangle in memory (one cell in XFD1048576 would be 17 billion
    of them)."""
    for info in archive.infolist():
        tags = 0
        sheet_data = False
        tail = b""
        with archive.open(info) as part:
            while chunk := part.read(_XML_CHUNK):
                tags += chunk.count(b"<")
                if tags > MAX_XML_TAGS:
                    raise _too_many_cells()
                # calamine reads cells inside a `sheetData` element only (its local
                # name: any prefix).
                sheet_data = sheet_data or b"sheetData" in tail + chunk[:16]
                sheet_data = sheet_data or b"sheetData" in chunk
                tail = chunk[-16:]
        if sheet_data:
            _SheetGuard().feed(archive.read(info))


def _sheet_rows(sheet) -> Iterator[list]:
    """The rows of a calamine sheet from its first line, cells as openpyxl gives them:
    None for an empty cell, cut to MAX_COLUMNS. calamine starts each row at the
    sheet's first used column: the columns before it are put back."""
    before = [None] * sheet.start[1] if sheet.start else []
    for row in sheet.iter_rows():
        yield [None if cell == "" else cell for cell in (before + row)[:MAX_COLUMNS]]


def _read_xlsx(data: bytes) -> list[tuple[int, list]]:
    # Before anything reads the archive: a 1 MB upload may unpack to gigabytes.
    try:
        check_archive(data, limits=XLSX_LIMITS)
    except ValidationError as exc:
        if exc.code == "archive_damaged":
            raise ImportFileError(_damaged_xlsx_message()) from exc
        raise ImportFileError(exc.messages[0]) from exc
    deadline = time.thread_time() + MAX_READ_SECONDS
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            _check_xml_parts(archive)
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        try:
            # The first worksheet, as openpyxl took it (a chart sheet holds no cells).
            index = next(
                (
                    number
                    for number, sheet in enumerate(workbook.sheets_metadata)
                    if sheet.typ == SheetTypeEnum.WorkSheet
                ),
                None,
            )
            if index is None:
                raise ImportFileError(_("Ce fichier XLSX ne contient aucune feuille."))
            sheet = workbook.get_sheet_by_index(index)
            return _keep_rows(enumerate(_sheet_rows(sheet), 1), deadline=deadline)
        finally:
            workbook.close()
    except (CalamineError, *_XLSX_DAMAGE) as exc:
        raise ImportFileError(_damaged_xlsx_message()) from exc
    except BaseException as exc:
        # A panic inside calamine (a case its Rust code did not expect) reaches Python
        # as pyo3's PanicException, a BaseException: the file is what broke it.
        if type(exc).__name__ == "PanicException":
            raise ImportFileError(_damaged_xlsx_message()) from exc
        raise


#: The titles row is looked for among the first rows: a sheet may hold a title or a
#: note above it.
HEADER_SEARCH_ROWS = 10


def _text(cell) -> str:
    """A cell as the text the checks read: a date cell as dd/mm/yyyy, a number without
    its useless '.0' (Excel stores 0612345678 as the number 612345678.0)."""
    if cell is None:
        return ""
    if isinstance(cell, bool):
        return "1" if cell else "0"
    if isinstance(cell, datetime | date):
        return cell.strftime("%d/%m/%Y")
    if isinstance(cell, clock_time):
        return cell.strftime("%H:%M")
    if isinstance(cell, float):
        if not math.isfinite(cell):
            return str(cell)
        return str(int(cell)) if cell.is_integer() else str(cell)
    return str(cell)


@dataclass(frozen=True)
class Table:
    """A file as read: the line and cells of its titles, its rows under them (text)."""

    header_line: int
    headers: list[str]
    rows: list[tuple[int, list[str]]]


def read_table(data: bytes, file_name: str) -> Table:
    """The titles and the rows (with their line numbers, cells as text) of a file.

    Raises ImportFileError with a French message when the file cannot be used at all.
    """
    if not data or not data.strip():
        raise ImportFileError(_("Le fichier est vide."))
    if len(data) > MAX_BYTES:
        raise ImportFileError(
            _("Le fichier dépasse %(mb)s Mo : découpez-le en plusieurs fichiers.")
            % {"mb": MAX_BYTES // (1024 * 1024)}
        )
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise ImportFileError(
            _(
                "Le format .xls (Excel 97-2003) n'est pas pris en charge : enregistrez en XLSX ou CSV."
            )
        )
    if data.startswith(ZIP_MAGIC) or file_name.lower().endswith(".xlsx"):
        rows = _read_xlsx(data)
    else:
        rows = _read_csv(data)
    if not rows:
        raise ImportFileError(_("Le fichier est vide."))
    scores = [header_score(cells) for _line, cells in rows[:HEADER_SEARCH_ROWS]]
    at = scores.index(max(scores))
    header_line, header = rows[at]
    # Each row read is let go as its text is made: the cells as read (dates, numbers)
    # and as text are never both held for the whole file.
    del rows[: at + 1]
    rows.reverse()
    data_rows = []
    while rows:
        line, cells = rows.pop()
        data_rows.append((line, [_text(cell) for cell in cells]))
    if not data_rows:
        raise ImportFileError(_("Le fichier ne contient aucune ligne de jeune sous les titres."))
    if len(data_rows) > MAX_ROWS:
        raise ImportFileError(
            _("Le fichier dépasse %(max)s lignes : découpez-le en plusieurs fichiers.")
            % {"max": MAX_ROWS}
        )
    headers = [_text(cell).strip()[:200] for cell in header]
    return Table(header_line=header_line, headers=headers, rows=data_rows)


def _missing_message(missing: list[str]) -> str:
    return _("Colonnes obligatoires manquantes : %(missing)s.") % {
        "missing": ", ".join(str(FIELDS[field].label) for field in missing)
    }


def read_spreadsheet(data: bytes, file_name: str) -> tuple[dict[str, int], list[tuple[int, list]]]:
    """The guessed column of each field and the rows of a file, in one go (no mapping
    step: an exported list read back). Raises ImportFileError when a mandatory column
    is not found."""
    table = read_table(data, file_name)
    columns = propose_columns(table.headers, {})
    missing = [field for field in REQUIRED if field not in columns]
    if missing:
        raise ImportFileError(
            _missing_message(missing)
            + " "
            + _("La ligne des titres doit nommer les colonnes (%(expected)s).")
            % {"expected": ", ".join(c.header for c in COLUMNS)}
        )
    return _positions(columns), table.rows


def _positions(columns: list[str]) -> dict[str, int]:
    return {field: index for index, field in enumerate(columns) if field}


@transaction.atomic
def start_import(
    *, mission_locale: Organisation, actor: User, file_name: str, data: bytes
) -> ImportBatch:
    """Read a file and propose a field for each of its columns (the mission locale's
    remembered choices first, then the guesses). Nothing is checked or imported yet:
    the batch waits for its columns to be confirmed (`map_columns`). Raises
    ImportFileError (nothing saved) when the file is unusable."""
    table = read_table(data, file_name)
    batch = ImportBatch.objects.create(
        mission_locale=mission_locale,
        uploaded_by=actor,
        file_name=file_name[:255],
        file_sha256=hashlib.sha256(data).hexdigest(),
        status=ImportStatus.MAPPING,
        headers=table.headers,
        header_line=table.header_line,
        columns=propose_columns(table.headers, remembered_columns(mission_locale.pk)),
        source_rows=table.rows,  # (line, cells) pairs, stored as [line, cells]
    )
    # Saved, the cells are let go (reading `batch.source_rows` loads them again): a
    # caller going on to `map_columns` never holds them twice (50 MB for the largest).
    del batch.__dict__["source_rows"]
    return batch


def check_columns(columns: list[str], width: int) -> list[str]:
    """The problems of a choice of fields for `width` columns: an unknown field, a field
    chosen twice, a mandatory field missing. Empty when the choice is usable."""
    problems = []
    if len(columns) != width or any(field and field not in FIELDS for field in columns):
        problems.append(_("Le choix des colonnes ne correspond pas au fichier."))
        return problems
    chosen = [field for field in columns if field]
    for field in dict.fromkeys(f for f in chosen if chosen.count(f) > 1):
        problems.append(
            _("« %(field)s » est choisi pour plusieurs colonnes.") % {"field": FIELDS[field].label}
        )
    missing = [field for field in REQUIRED if field not in chosen]
    if missing:
        problems.append(_missing_message(missing))
    return problems


def remember_columns(*, mission_locale_id: int, actor: User, headers: list, columns: list) -> None:
    """Keep a mission locale's choice (normalised title -> field, "" for an ignored
    column) for its next imports; titles it did not have this time keep their choice."""
    mapping, _created = ImportMapping.objects.select_for_update().get_or_create(
        mission_locale_id=mission_locale_id
    )
    remembered = dict(mapping.columns)
    for title, field in zip(headers, columns, strict=True):
        key = header_key(title)
        if key:
            remembered[key] = field
    mapping.columns = remembered
    mapping.updated_by = actor
    mapping.save(update_fields=["columns", "updated_by", "updated_at"])


def _drain(rows: list):
    """The items of `rows`, in order, each removed from the list as it is handed out."""
    rows.reverse()
    while rows:
        yield rows.pop()


@transaction.atomic
def map_columns(
    *, batch: ImportBatch, actor: User, columns: list[str], remember: bool = True
) -> ImportBatch:
    """Check every row of a batch with the fields chosen for its columns; keep the rows
    to import, the refused ones and those already in the pool for the preview. The
    columns may be chosen again as long as the batch is not imported. With `remember`,
    the choice is kept for the mission locale's next import. Raises ValidationError
    when the choice is unusable (a field twice, a mandatory one missing)."""
    # The rows of an earlier choice are replaced, never read: not loaded.
    batch = (
        ImportBatch.objects.select_for_update()
        .select_related("mission_locale")
        .defer("valid_rows", "rejected_rows")
        .get(pk=batch.pk)
    )
    if not (batch.is_mapping or batch.is_previewed):
        raise ValidationError(_("Cet import a déjà été confirmé."))
    problems = check_columns(columns, len(batch.headers))
    if problems:
        raise ValidationError(problems)
    # The file's cells are handed over and let go as they are checked (they stay in the
    # database; reading `batch.source_rows` again loads them).
    valid, rejected, present = validate_rows(
        positions=_positions(columns),
        rows=_drain(batch.__dict__.pop("source_rows")),
        mission_locale=batch.mission_locale,
        user=actor,
    )
    batch.columns = columns
    batch.status = ImportStatus.PREVIEWED
    batch.valid_rows = valid
    batch.rejected_rows = rejected + present
    batch.skipped_count = len(present)
    batch.save(update_fields=["columns", "status", "valid_rows", "rejected_rows", "skipped_count"])
    if remember:
        remember_columns(
            mission_locale_id=batch.mission_locale_id,
            actor=actor,
            headers=batch.headers,
            columns=columns,
        )
    return batch


@transaction.atomic
def preview_import(
    *, mission_locale: Organisation, actor: User, file_name: str, data: bytes
) -> ImportBatch:
    """Read a file and check it with the proposed columns, in one go (the upload then
    the columns as proposed). Raises ImportFileError (nothing saved) when the file is
    unusable or a mandatory column is not found."""
    batch = start_import(mission_locale=mission_locale, actor=actor, file_name=file_name, data=data)
    problems = check_columns(batch.columns, len(batch.headers))
    if problems:
        raise ImportFileError(" ".join(problems))
    return map_columns(batch=batch, actor=actor, columns=batch.columns, remember=False)


@transaction.atomic
def confirm_import(
    *, batch: ImportBatch, actor: User, unknown_advisor: str = LEAVE_UNASSIGNED
) -> ImportBatch:
    """Create the youths of a previewed file's valid rows (or of one waiting for its
    background job, `import_confirm.queue_confirmation`). A row naming an advisor the
    mission locale does not know goes to the person importing with ASSIGN_TO_ME (when
    they are one of its advisors), else to nobody. A youth who entered the pool since
    the preview (same name and birth date) is skipped, never duplicated; a batch is
    confirmed once, and its file's cells are then dropped (the rows checked stay for
    the record until the retention purge). The rows were checked at preview; they are
    checked again (`services.register_youth_round`), and one gone wrong
    refuses the whole batch (nothing saved). A preview whose rows the retention job
    emptied (30 days on) cannot be confirmed. What it creates enters the audit trail
    through the `import` path, signed by `actor`."""
    with audit_context(path=AuditPath.IMPORT, actor=actor):
        return confirm_locked(
            batch=batch,
            actor=actor,
            unknown_advisor=unknown_advisor,
            allowed=(ImportStatus.PREVIEWED, ImportStatus.CONFIRMING),
        )
