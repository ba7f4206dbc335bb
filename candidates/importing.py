"""Import of an existing pool from the advisors' spreadsheets.

Files come as French Excel writes them: CSV with semicolons, in UTF-8 (with or without
BOM) or Windows-1252, dates as dd/mm/yyyy; or XLSX. Three steps: the upload reads the
file and proposes a field for each column (`import_columns`); the person importing
confirms or changes the match (remembered for the mission locale's next import); the
preview shows each refused row with its line number and reason, the warnings and flags
of the others (`import_rows`); confirmation imports them. A youth already in the
mission locale (same name, accents and case ignored, and birth date) is never created
twice, so importing the same file again adds nothing.

Reading is bounded whatever the file: at most MAX_BYTES uploaded, an XLSX refused by
the shared zip-bomb guard (`accounts.uploads.check_archive`, with a tighter total for
what openpyxl will parse) before openpyxl opens it, at most MAX_ROWS non-empty rows,
MAX_LINES lines read (empty ones included) and MAX_COLUMNS columns; an XLSX part of at
most MAX_XML_TAGS tags, rows of at most MAX_ROW_XML of XML, MAX_READ_SECONDS of CPU time
reading. A damaged file is refused with a message, never an error page.
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
from dataclasses import dataclass
from datetime import date, datetime
from datetime import time as clock_time
from xml.etree.ElementTree import ParseError

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

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
#: What openpyxl may have to parse. MAX_ROWS rows of a dozen columns take 20 MB of XML
#: as Excel writes them (shared strings) and 30 MB as LibreOffice or openpyxl do
#: (strings inline): 50 MB leaves room, half the shared total, and openpyxl streams
#: the sheet (only the shared strings are held whole).
XLSX_LIMITS = ArchiveLimits(max_entry_size=50 * MB, max_total_size=50 * MB)
#: openpyxl holds a whole row in memory (about 1 KB per cell): a row may not take more
#: XML than this. Excel's widest row, 16,384 cells, takes about 1 MB.
MAX_ROW_XML = 1 * MB
#: The widest sheet of MAX_ROWS rows the tag budget below is made for.
XLSX_WIDTH = 20
#: Tags in one XML part of an XLSX: MAX_ROWS rows of XLSX_WIDTH cells as Excel writes
#: them (`<c><v></v></c>`, four tags a cell), and some room; a dozen columns of inline
#: strings (six tags a cell) fit too. openpyxl reads about 400,000 tags a second, so
#: the largest sheet takes seconds, never minutes.
MAX_XML_TAGS = 5 * MAX_ROWS * XLSX_WIDTH
#: Reading the rows may not take more CPU time of the reading thread (the largest file
#: takes about 8 s of it: docs/benchmarks.md). CPU time, not the clock: on a machine
#: busy with other work the largest legitimate XLSX took over 30 s of wall time, and a
#: limit on the clock refused it.
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


def _keep_rows(numbered_rows) -> list[tuple[int, list]]:
    """The non-empty rows (cut to MAX_COLUMNS) with their line numbers. Stops as soon
    as the titles and MAX_ROWS rows are passed (the caller refuses the file) and
    refuses a file of more than MAX_LINES lines: never a silent cut, never an endless
    read."""
    rows = []
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
            raise ImportFileError(
                _(
                    "Le fichier compte plus de %(max)s lignes (lignes vides comprises) : "
                    "supprimez les lignes vides ou découpez-le en plusieurs fichiers."
                )
                % {"max": MAX_LINES}
            )
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


# What openpyxl raises on a damaged workbook: a broken archive or deflate stream (or a
# local header asking for a zip feature Python refuses: NotImplementedError, or a
# password: RuntimeError), XML that does not parse, a part or shared string that is
# missing, a value of the wrong type. Reading is lazy, so these come from the rows as
# well as from opening.
_XLSX_DAMAGE = (
    zipfile.BadZipFile,
    zlib.error,
    NotImplementedError,
    RuntimeError,
    ParseError,
    EOFError,
    KeyError,
    IndexError,
    ValueError,
    TypeError,
    AttributeError,
    OSError,
)


def _damaged_xlsx_message() -> str:
    return _("Ce fichier XLSX est illisible ou abîmé : réenregistrez-le depuis Excel.")


_ROW_START = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?row[\s>/]")


def _check_xml_parts(data: bytes) -> None:
    """Refuse a workbook that would keep openpyxl busy or fill the memory although
    `check_archive` let it through: a part with more than MAX_XML_TAGS tags (openpyxl
    spends a few microseconds on each, and reads a sheet twice when it does not state
    its dimensions), or a sheet row longer than MAX_ROW_XML (openpyxl builds a whole row
    in memory: one row of a million cells takes 850 MB). The parts are read whole, which
    `check_archive` has bounded; counting runs at the speed of the C byte functions."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for info in archive.infolist():
            if not (info.filename.startswith("xl/") and info.filename.endswith(".xml")):
                continue
            xml = archive.read(info)
            if xml.count(b"<") > MAX_XML_TAGS:
                raise ImportFileError(
                    _(
                        "Ce fichier contient trop de cellules pour être importé (plus de "
                        "%(rows)s lignes de %(columns)s colonnes) : supprimez les colonnes "
                        "inutiles ou découpez-le en plusieurs fichiers."
                    )
                    % {"rows": MAX_ROWS, "columns": XLSX_WIDTH}
                )
            if not info.filename.startswith("xl/worksheets/"):
                continue
            end = xml.rfind(b"sheetData>")
            starts = [match.start() for match in _ROW_START.finditer(xml)]
            if not starts:
                continue
            stops = [*starts[1:], max(end, starts[-1])]
            if any(stop - start > MAX_ROW_XML for start, stop in zip(starts, stops, strict=True)):
                raise ImportFileError(
                    _(
                        "Une ligne de ce fichier est anormalement longue (plus de 16 384 "
                        "cellules) : réenregistrez-le depuis Excel."
                    )
                )


def _read_xlsx(data: bytes) -> list[tuple[int, list]]:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    # Before openpyxl touches the archive: a 1 MB upload may unpack to gigabytes.
    try:
        check_archive(data, limits=XLSX_LIMITS)
    except ValidationError as exc:
        if exc.code == "archive_damaged":
            raise ImportFileError(_damaged_xlsx_message()) from exc
        raise ImportFileError(exc.messages[0]) from exc
    try:
        _check_xml_parts(data)
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            if not workbook.worksheets:
                raise ImportFileError(_("Ce fichier XLSX ne contient aucune feuille."))
            sheet = workbook.worksheets[0]
            # The declared dimensions may claim a million rows or 16,384 columns:
            # read what is there, up to MAX_COLUMNS.
            sheet.reset_dimensions()
            rows = _keep_rows(enumerate(sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS), 1))
        finally:
            workbook.close()
    except (InvalidFileException, *_XLSX_DAMAGE) as exc:
        raise ImportFileError(_damaged_xlsx_message()) from exc
    return rows


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
    return ImportBatch.objects.create(
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
