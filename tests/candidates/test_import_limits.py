"""The import's reading step against hostile and damaged files (issue 12, finding 3): a
zip bomb refused from its central directory before the reader opens it, a damaged
workbook answered with a message (never an error page), and no file read without end
or cut short in silence."""

from __future__ import annotations

import io
import random
import time
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from candidates import importing
from candidates.importing import (
    MAX_BYTES,
    MAX_COLUMNS,
    MAX_LINES,
    MAX_ROWS,
    ImportFileError,
    preview_import,
    read_spreadsheet,
)
from candidates.models import ImportBatch
from tests.candidates.factories import born
from tests.hostile_files import (
    MB,
    corrupt_entry,
    declare_size,
    replace_entry,
    xlsx_workbook,
)

pytestmark = pytest.mark.django_db

TITLES = ["Nom", "Prénom", "Date de naissance"]
BOMB_MESSAGE = "Une fois décompressé, ce fichier dépasserait 50 Mo"
DAMAGED_MESSAGE = "Ce fichier XLSX est illisible ou abîmé"


def post_file(client, advisor, ml, name: str, content: bytes):
    client.force_login(advisor)
    return client.post(
        reverse("candidates:import_upload"),
        {"mission_locale": ml.pk, "file": SimpleUploadedFile(name, content)},
    )


def field_error(response) -> str:
    assert response.status_code == 200
    return " ".join(response.context["form"].errors["file"])


# --- Zip bombs ----------------------------------------------------------------------------


def test_the_attack_workbook_is_refused_fast_with_a_french_message(client, advisor, ml):
    # The reproduction: shared strings that expand a thousand times (here 120 MB from
    # a 120 KB upload; the attack used 445 MB from 1 MB). Before, 141 s and 2.5 GB.
    bomb = xlsx_workbook([TITLES, ["Durand", "Noé", born(20)]], string_padding=120 * MB)
    assert len(bomb) < 200 * 1024
    started = time.monotonic()
    response = post_file(client, advisor, ml, "vivier.xlsx", bomb)
    assert time.monotonic() - started < 10  # loosely: the refusal reads no entry
    assert BOMB_MESSAGE in field_error(response)
    assert not ImportBatch.objects.exists()


def test_the_limit_is_read_from_the_central_directory_before_the_reader(client, advisor, ml):
    # A small, valid workbook whose central directory *declares* 445 MB of shared
    # strings. The reader would read it without trouble (the real part is small), so
    # the refusal can only come from the guard, run before it.
    honest = xlsx_workbook([TITLES, ["Durand", "Noé", born(20)]])
    assert preview_import(mission_locale=ml, actor=advisor, file_name="v.xlsx", data=honest)
    ImportBatch.objects.all().delete()
    lying = declare_size(honest, "xl/sharedStrings.xml", 445 * MB)
    response = post_file(client, advisor, ml, "vivier.xlsx", lying)
    assert BOMB_MESSAGE in field_error(response)
    assert not ImportBatch.objects.exists()


# --- Damaged workbooks --------------------------------------------------------------------

_SHEET = "xl/worksheets/sheet1.xml"
_NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'


def _damaged(kind: str) -> bytes:
    good = xlsx_workbook([TITLES, ["Durand", "Noé", born(20)]])
    if kind == "malformed-sheet-xml":
        return replace_entry(good, _SHEET, b"<worksheet><sheetData><row r='1'><c r='A1'")
    if kind == "corrupt-deflate-in-sheet":
        return corrupt_entry(good, _SHEET)
    if kind == "corrupt-deflate-in-shared-strings":
        return corrupt_entry(good, "xl/sharedStrings.xml")
    if kind == "malformed-workbook-xml":
        return replace_entry(good, "xl/workbook.xml", b"<workbook")
    if kind == "missing-sheet":
        return replace_entry(good, _SHEET, None)
    if kind == "shared-string-out-of-range":
        sheet = f'<worksheet {_NS}><sheetData><row r="1"><c r="A1" t="s"><v>99</v></c></row>'
        return replace_entry(good, _SHEET, (sheet + "</sheetData></worksheet>").encode())
    if kind == "number-that-is-not-one":
        sheet = f'<worksheet {_NS}><sheetData><row r="1"><c r="A1" t="n"><v>abc</v></c></row>'
        return replace_entry(good, _SHEET, (sheet + "</sheetData></worksheet>").encode())
    if kind == "bad-cell-reference":
        sheet = f'<worksheet {_NS}><sheetData><row r="x"><c r="!!"><v>1</v></c></row>'
        return replace_entry(good, _SHEET, (sheet + "</sheetData></worksheet>").encode())
    raise AssertionError(kind)


@pytest.mark.parametrize(
    "kind",
    [
        "malformed-sheet-xml",
        "corrupt-deflate-in-sheet",
        "corrupt-deflate-in-shared-strings",
        "malformed-workbook-xml",
        "missing-sheet",
        "shared-string-out-of-range",
        "number-that-is-not-one",
        "bad-cell-reference",
    ],
)
def test_a_damaged_workbook_gets_a_message_not_an_error_page(client, advisor, ml, kind):
    response = post_file(client, advisor, ml, "vivier.xlsx", _damaged(kind))
    assert "XLSX" in field_error(response)
    assert not ImportBatch.objects.exists()


def test_a_panic_of_the_reader_gets_the_damaged_file_message(monkeypatch, client, advisor, ml):
    """calamine's Rust code, surprised by a file, panics: pyo3 raises a PanicException,
    which derives from BaseException, not Exception. The person importing is told the
    file is damaged, as for any other unreadable workbook."""

    class PanicException(BaseException):
        pass

    def panics(_filelike):
        raise PanicException("index out of bounds")

    book = Workbook()
    book.active.append(["Nom", "Prénom", "Date de naissance"])
    book.active.append(["Benali", "Inès", "12/03/2006"])
    buffer = io.BytesIO()
    book.save(buffer)
    monkeypatch.setattr(importing.CalamineWorkbook, "from_filelike", panics)
    response = post_file(client, advisor, ml, "vivier.xlsx", buffer.getvalue())
    assert "XLSX" in field_error(response)
    assert not ImportBatch.objects.exists()


# --- Rows, lines and columns --------------------------------------------------------------


def _csv(lines: list[str]) -> bytes:
    return ("\r\n".join(lines) + "\r\n").encode()


def test_empty_lines_do_not_cut_a_file_short_in_silence(advisor, ml):
    # 3,000 youths, each followed by an empty line: 6,000 lines. All are read.
    lines = [";".join(TITLES)]
    for index in range(3000):
        lines += [f"Nom{index};Prénom;{born(20)}", ""]
    batch = preview_import(mission_locale=ml, actor=advisor, file_name="v.csv", data=_csv(lines))
    assert len(batch.valid_rows) == 3000


def test_more_than_the_row_limit_is_refused_even_between_empty_lines(client, advisor, ml):
    lines = [";".join(TITLES)]
    for index in range(MAX_ROWS + 1):
        lines += [f"Nom{index};Prénom;{born(20)}", ""]
    response = post_file(client, advisor, ml, "vivier.csv", _csv(lines))
    assert f"Le fichier dépasse {MAX_ROWS} lignes" in field_error(response)
    assert not ImportBatch.objects.exists()


def test_a_sea_of_empty_lines_is_refused_not_read_to_its_end(client, advisor, ml):
    data = _csv([";".join(TITLES), f"Durand;Noé;{born(20)}"] + [""] * MAX_LINES)
    response = post_file(client, advisor, ml, "vivier.csv", data)
    assert "lignes vides comprises" in field_error(response)


def test_a_sheet_claiming_a_million_rows_is_refused_quickly(advisor, ml):
    sheet = (
        f'<worksheet {_NS}><dimension ref="A1:C1048576"/><sheetData>'
        '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c>'
        '<c r="C1" t="s"><v>2</v></c></row>'
        '<row r="1048576"><c r="A1048576" t="s"><v>0</v></c></row></sheetData></worksheet>'
    ).encode()
    data = xlsx_workbook([TITLES], sheet_xml=sheet)
    started = time.monotonic()
    with pytest.raises(ImportFileError) as info:
        read_spreadsheet(data, "v.xlsx")
    assert "lignes vides comprises" in str(info.value)
    assert time.monotonic() - started < 10


def test_a_sheet_as_wide_as_excel_allows_is_read_to_the_column_limit():
    # One cell in the last column Excel has (XFD, the 16,384th) and a dimension
    # claiming all of them: rows are read to MAX_COLUMNS, not padded to 16,384.
    sheet = (
        f'<worksheet {_NS}><dimension ref="A1:XFD3"/><sheetData>'
        '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c>'
        '<c r="C1" t="s"><v>2</v></c><c r="XFD1" t="s"><v>0</v></c></row>'
        '<row r="2"><c r="A2" t="s"><v>3</v></c><c r="B2" t="s"><v>4</v></c>'
        '<c r="C2" t="s"><v>5</v></c><c r="XFD2" t="s"><v>3</v></c></row>'
        "</sheetData></worksheet>"
    ).encode()
    data = xlsx_workbook([TITLES, ["Durand", "Noé", "01/03/2005"]], sheet_xml=sheet)
    positions, rows = read_spreadsheet(data, "v.xlsx")
    assert positions == {"last_name": 0, "first_name": 1, "birth_date": 2}
    assert rows == [(2, ["Durand", "Noé", "01/03/2005"])]
    assert all(len(row) <= MAX_COLUMNS for _line, row in rows)


def _sheet(rows: list[bytes]) -> bytes:
    return f"<worksheet {_NS}><sheetData>".encode() + b"".join(rows) + b"</sheetData></worksheet>"


def test_a_row_too_long_to_hold_in_memory_is_refused_before_the_reader(client, advisor, ml):
    # 70,000 cells in the title row (Excel stops at 16,384): a reader would build all of
    # them at once; a million of them took 850 MB.
    numbers = random.Random(0)
    cells = b"".join(b"<c><v>%d</v></c>" % numbers.randrange(100) for _ in range(70_000))
    titles = b'<row r="1"><c t="s"><v>0</v></c><c t="s"><v>1</v></c><c t="s"><v>2</v></c>'
    data = xlsx_workbook([TITLES], sheet_xml=_sheet([titles + cells + b"</row>"]))
    response = post_file(client, advisor, ml, "vivier.xlsx", data)
    assert "anormalement longue" in field_error(response)


def test_a_sheet_of_too_many_cells_is_refused_before_the_reader(client, advisor, ml):
    # 12,501 rows of 100 cells: under every size and ratio limit (about 1 MB uploaded,
    # 19 MB of XML), but 5 million tags (15 s or more of openpyxl's time).
    numbers = random.Random(0)
    titles = b'<row><c t="s"><v>0</v></c><c t="s"><v>1</v></c><c t="s"><v>2</v></c></row>'
    rows = [titles] + [
        b"<row>"
        + b"".join(b"<c><v>%d</v></c>" % numbers.randrange(10) for _ in range(100))
        + b"</row>"
        for _ in range(importing.MAX_XML_TAGS // 400 + 1)
    ]
    data = xlsx_workbook([TITLES], sheet_xml=_sheet(rows))
    assert len(data) < MAX_BYTES
    response = post_file(client, advisor, ml, "vivier.xlsx", data)
    assert "trop de cellules" in field_error(response)


def test_reading_stops_with_a_message_past_its_time(monkeypatch, client, advisor, ml):
    monkeypatch.setattr(importing, "MAX_READ_SECONDS", -1)
    data = xlsx_workbook([TITLES, ["Durand", "Noé", born(20)]])
    response = post_file(client, advisor, ml, "vivier.xlsx", data)
    assert "prend trop de temps" in field_error(response)


def test_a_nul_character_deep_in_a_csv_gets_a_message(client, advisor, ml):
    lines = [";".join(TITLES)] + [f"Nom{index};Prénom;{born(20)}" for index in range(300)]
    lines.append(f"Dur\x00and;Noé;{born(20)}")
    data = _csv(lines)
    assert data.index(b"\x00") > 4096
    response = post_file(client, advisor, ml, "vivier.csv", data)
    assert "contenu binaire" in field_error(response)
    assert not ImportBatch.objects.exists()


def test_a_phone_number_excel_cannot_hold_is_left_empty_with_a_warning(advisor, ml):
    workbook = Workbook()
    workbook.active.append([*TITLES, "Téléphone"])
    workbook.active.append(["Durand", "Noé", born(20), 612345678])
    buffer = io.BytesIO()
    workbook.save(buffer)
    sheet = zipfile.ZipFile(buffer).read(_SHEET).replace(b"<v>612345678</v>", b"<v>1e999</v>")
    data = replace_entry(buffer.getvalue(), _SHEET, sheet)
    batch = preview_import(mission_locale=ml, actor=advisor, file_name="v.xlsx", data=data)
    [row] = batch.valid_rows
    assert "phone" not in row and "Téléphone" in " ".join(row["warnings"])


def test_an_ordinary_workbook_of_the_full_size_is_still_read(advisor, ml):
    workbook = Workbook()
    workbook.active.append([*TITLES, "Commune", "Compétences"])
    for index in range(MAX_ROWS):
        workbook.active.append([f"Nom{index}", "Prénom", born(20), "Marseille", "Accueil, vente"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    _positions, rows = read_spreadsheet(buffer.getvalue(), "vivier.xlsx")
    assert len(rows) == MAX_ROWS
