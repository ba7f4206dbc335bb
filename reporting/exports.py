"""The one writer of the portal's spreadsheet exports (CSV and XLSX), shared by every app:
the youths' list (candidates), the dashboards' tables (reporting) and every list page
(`list_export`: offers, proposals, sessions and rosters, action items, commitments,
plans, attendance) write through `export_response`, so every export follows the same
rules:

- A text cell starting with `=`, `+`, `-`, `@`, a tab or a carriage return would run as
  a formula in Excel, LibreOffice or Google Sheets (`=HYPERLINK(...)`, `+cmd|...`, DDE):
  it is written with a leading single quote (OWASP, CSV injection), in CSV and XLSX alike.
  Only text is touched: an int, float or Decimal stays a number, negative ones included.
- Dates stay dates: dd/mm/yyyy in CSV, date cells shown dd/mm/yyyy in XLSX.
- CSV as French Excel reads it: semicolons, CRLF, UTF-8 with a BOM, decimal commas; the
  csv module quotes any cell holding a semicolon, a quote, CR or LF, so a value never
  starts a row of its own.
- XLSX: every text cell is typed as a string, never a formula or an error cell, whatever
  it holds; openpyxl would otherwise make a formula of any text starting with `=`.
- NUL and the other control characters XML refuses are removed (openpyxl raises on them).
- The file name is an ASCII slug: nothing typed by a user reaches the header as such.
"""

from __future__ import annotations

import csv
import datetime
import io
import itertools
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.text import slugify

from candidates.access_log import record_access
from candidates.enums import AccessKind

if TYPE_CHECKING:
    from .tables import Table

CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMATS = {"csv": CSV_TYPE, "xlsx": XLSX_TYPE}

#: A text cell starting with one of these runs as a formula in a spreadsheet (OWASP).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
#: What spreadsheets read as "the rest is text".
TEXT_PREFIX = "'"
NUMBERS = (int, float, Decimal)
DATE_FORMAT = "%d/%m/%Y"
DATETIME_FORMAT = "%d/%m/%Y %H:%M"
XLSX_DATE_FORMAT = "DD/MM/YYYY"
XLSX_DATETIME_FORMAT = "DD/MM/YYYY HH:MM"

# The control characters XML 1.0 cannot hold (tab, LF and CR are allowed), NUL included:
# openpyxl refuses them, and no export needs them.
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
# Characters Excel refuses in a sheet's name, which is at most 31 characters long.
_SHEET_TITLE_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def neutralise(text: str) -> str:
    """A text cell as exported: control characters removed, then a single quote in front
    when it starts with a formula trigger. A neutralised text starts with the quote, so
    neutralising it again changes nothing (never `''=...`)."""
    text = _CONTROL_CHARACTERS.sub("", text)
    return TEXT_PREFIX + text if text.startswith(FORMULA_TRIGGERS) else text


def restore(text: str) -> str:
    """The text a neutralised cell stood for: an exported list read back by the import
    gets what was typed (a `+33...` phone number, a name starting with `-`)."""
    if text.startswith(TEXT_PREFIX) and text[1:].startswith(FORMULA_TRIGGERS):
        return text[1:]
    return text


def _local(value: datetime.datetime) -> datetime.datetime:
    """Spreadsheets know no time zones: a moment is written in the portal's local time."""
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return value.replace(tzinfo=None)


def _csv_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, NUMBERS):
        # Not neutralised: "-2" is a number for a spreadsheet, never a formula.
        return str(value).replace(".", ",") if isinstance(value, (float, Decimal)) else str(value)
    if isinstance(value, datetime.datetime):
        return _local(value).strftime(DATETIME_FORMAT)
    if isinstance(value, datetime.date):
        return value.strftime(DATE_FORMAT)
    return neutralise(str(value))


def csv_bytes(rows: Iterable[Sequence]) -> bytes:
    """The rows as French Excel opens a CSV: semicolons, CRLF, UTF-8 with a BOM."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    for row in rows:
        writer.writerow([_csv_cell(value) for value in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _xlsx_cell(sheet, value, *, bold: bool):
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    if value is None or isinstance(value, NUMBERS):
        cell = WriteOnlyCell(sheet, value=value)
    elif isinstance(value, datetime.datetime):
        cell = WriteOnlyCell(sheet, value=_local(value))
        cell.number_format = XLSX_DATETIME_FORMAT
    elif isinstance(value, datetime.date):
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = XLSX_DATE_FORMAT
    else:
        cell = WriteOnlyCell(sheet, value=neutralise(str(value)))
        # openpyxl guesses a formula from a leading "=" and an error from "#N/A": the
        # cell is text, whatever it holds.
        cell.data_type = "s"
    if bold:
        cell.font = Font(bold=True)
    return cell


def _sheet_title(title: str) -> str:
    return _SHEET_TITLE_FORBIDDEN.sub("", _CONTROL_CHARACTERS.sub("", str(title)))[:31] or "Export"


def xlsx_bytes(
    rows: Iterable[Sequence],
    *,
    sheet_title: str,
    bold_rows: int = 1,
    column_widths: dict[str, float] | None = None,
) -> bytes:
    """The rows as one sheet of a workbook, the first `bold_rows` in bold. Written row
    by row (openpyxl's write-only mode), so a long list never sits whole in memory."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_sheet_title(sheet_title))
    for column, width in (column_widths or {}).items():
        sheet.column_dimensions[column].width = width
    for index, row in enumerate(rows):
        sheet.append([_xlsx_cell(sheet, value, bold=index < bold_rows) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def attachment_filename(stem: str, fmt: str) -> str:
    """`stem.fmt` as an ASCII slug ("indicateurs-provence-alpes-cote-dazur-2025.csv")."""
    return f"{slugify(stem) or 'export'}.{fmt}"


class CountedRows:
    """The rows of an export, counted as the writer reads them: once the file is written,
    `count` is its number of data rows (the `header_rows` first rows not counted). The
    access log records it without a COUNT query of its own."""

    def __init__(self, rows: Iterable[Sequence], *, header_rows: int = 1):
        self._rows = rows
        self._header_rows = header_rows
        self.count = 0

    def __iter__(self):
        for index, row in enumerate(self._rows):
            if index >= self._header_rows:
                self.count += 1
            yield row


def export_response(
    rows: Iterable[Sequence],
    *,
    fmt: str,
    filename: str,
    sheet_title: str,
    title: str = "",
    column_widths: dict[str, float] | None = None,
) -> HttpResponse:
    """The download of `rows` (the column titles first) as CSV or XLSX; any other format
    is a 404. `title`, when given, heads the XLSX sheet in bold; the CSV starts with the
    column titles, as spreadsheet software and the import expect."""
    if fmt not in FORMATS:
        raise Http404
    if fmt == "csv":
        content = csv_bytes(rows)
    else:
        if title:
            rows = itertools.chain([[title]], rows)
        content = xlsx_bytes(
            rows,
            sheet_title=sheet_title,
            bold_rows=2 if title else 1,
            column_widths=column_widths,
        )
    response = HttpResponse(content, content_type=FORMATS[fmt])
    response["Content-Disposition"] = content_disposition_header(
        True, attachment_filename(filename, fmt)
    )
    return response


def table_response(table: Table, *, fmt: str, filename: str) -> HttpResponse:
    """A dashboard's table exactly as shown (small counts stay masked)."""
    return export_response(
        [table.columns, *table.rows],
        fmt=fmt,
        filename=filename,
        sheet_title=table.key,
        title=table.title,
        column_widths={"A": 40},
    )


# --- The lists of the pages ----------------------------------------------------------------
# Every list a user works from (offers, proposals, sessions and rosters, action items,
# commitments, plans, attendance) exports through `list_export`: the page's columns, the
# page's queryset (built by the same function, so the file and the page cannot drift),
# the date in the file name, one access-log entry when the rows name youths.


#: Rows an export reads per database round trip (`QuerySet.iterator(chunk_size=...)`): a
#: long list never sits whole in memory, and the queries stay a handful whatever its size.
EXPORT_CHUNK = 2000


@dataclass(frozen=True)
class Column:
    """One column of a list: the title of the page's header cell (the same msgid, so the
    file and the page read the same in both languages) and how a row's cell is read.
    `value` returns a value as the writer takes it (text, number, date, None): the
    writer formats and neutralises it."""

    title: str
    value: Callable[[Any], Any]


def list_rows(columns: Sequence[Column], objects: Iterable) -> Iterator[list]:
    """The column titles, then one row per object, read as the writer asks for them (a
    queryset passed here should be an `iterator()`: a long list never sits in memory)."""
    yield [str(column.title) for column in columns]
    for obj in objects:
        yield [column.value(obj) for column in columns]


def export_links(url_name: str, *args, query: str = "") -> list[dict[str, str]]:
    """The download links a list page shows ("CSV", "XLSX"), with the page's filters
    (`query`, its query string without the page number) carried over. Read by the
    `components/export_links.html` template."""
    suffix = f"?{query}" if query else ""
    return [
        {"format": fmt.upper(), "url": reverse(url_name, args=[*args, fmt]) + suffix}
        for fmt in FORMATS
    ]


def list_export(
    request,
    *,
    fmt: str,
    columns: Sequence[Column],
    objects: Iterable,
    stem: str,
    sheet_title: str,
    names_youths: bool = False,
    mission_locale_id: int | None = None,
) -> HttpResponse:
    """The download of a page's list as CSV or XLSX (any other format: 404), named
    `<stem>-<yyyy-mm-dd>.<fmt>`. When the rows name youths (`names_youths`), the access
    log records the export and its number of rows (`mission_locale_id`: the one mission
    locale the list covers, whose manager reads the entry), one INSERT whatever the rows."""
    if fmt not in FORMATS:
        raise Http404
    rows = CountedRows(list_rows(columns, objects))
    stamp = timezone.localdate().strftime("%Y-%m-%d")
    response = export_response(rows, fmt=fmt, filename=f"{stem}-{stamp}", sheet_title=sheet_title)
    if names_youths:
        record_access(
            user=request.user,
            kind=AccessKind.LIST_EXPORT,
            rows=rows.count,
            mission_locale_id=mission_locale_id,
            request=request,
        )
    return response
