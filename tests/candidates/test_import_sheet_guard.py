"""The XLSX reader (calamine) and the guard that measures a sheet from its XML before
calamine opens it: calamine builds the sheet's whole used rectangle in memory, so a
single cell far away (XFD1048576) would make it allocate billions of cells. The values
the rest of the import sees are those openpyxl gave before (dates, numbers, texts)."""

from __future__ import annotations

import io
import random
import time
import zipfile
from datetime import date, datetime
from datetime import time as clock_time

import pytest
from openpyxl import Workbook

from candidates import importing
from candidates.importing import (
    MAX_COLUMNS,
    MAX_LINES,
    MAX_SHEET_CELLS,
    ImportFileError,
    read_spreadsheet,
    read_table,
)
from tests.hostile_files import replace_entry, xlsx_workbook, zip_archive

TITLES = ["Nom", "Prénom", "Date de naissance"]
_NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
_TITLE_CELLS = (
    '<c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>2</v></c>'
)
_YOUTH_CELLS = (
    '<c r="A2" t="s"><v>3</v></c><c r="B2" t="s"><v>4</v></c><c r="C2" t="s"><v>5</v></c>'
)


def _workbook(sheet_data: str, *, before: str = "", prefix: str = "") -> bytes:
    """A workbook of the shared strings Nom, Prénom, Date de naissance, Durand, Noé,
    01/03/2005 whose sheet holds `sheet_data` (its rows)."""
    namespace = _NS.replace("xmlns=", f"xmlns:{prefix[:-1]}=") if prefix else _NS
    sheet = (
        f"<{prefix}worksheet {namespace}>{before}<{prefix}sheetData>{sheet_data}"
        f"</{prefix}sheetData></{prefix}worksheet>"
    )
    return xlsx_workbook([TITLES, ["Durand", "Noé", "01/03/2005"]], sheet_xml=sheet.encode())


def _refused_before_calamine(monkeypatch, data: bytes) -> str:
    def never(*args, **kwargs):
        raise AssertionError("calamine opened a file the guard should have refused")

    monkeypatch.setattr(importing.CalamineWorkbook, "from_filelike", never)
    started = time.monotonic()
    with pytest.raises(ImportFileError) as info:
        read_table(data, "v.xlsx")
    assert time.monotonic() - started < 5
    return str(info.value)


# --- The guard ----------------------------------------------------------------------------


def test_one_cell_in_excels_last_column_far_down_is_refused_before_calamine(monkeypatch):
    # From A1 to XFD200: 3.3 million cells calamine would build, for seven filled.
    far = '<row r="200"><c r="XFD200" t="s"><v>3</v></c></row>'
    data = _workbook(f'<row r="1">{_TITLE_CELLS}</row><row r="2">{_YOUTH_CELLS}</row>{far}')
    message = _refused_before_calamine(monkeypatch, data)
    assert "trop loin du tableau (XFD200)" in message


def test_the_last_cell_excel_has_is_refused_before_calamine(monkeypatch):
    far = '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'
    data = _workbook(f'<row r="1">{_TITLE_CELLS}</row>{far}')
    assert "lignes vides comprises" in _refused_before_calamine(monkeypatch, data)


def test_a_huge_declared_dimension_is_refused_before_calamine(monkeypatch):
    dimension = '<dimension ref="A1:XFD50000"/>'
    data = _workbook(f'<row r="1">{_TITLE_CELLS}</row>', before=dimension)
    assert "trop loin du tableau (XFD50000)" in _refused_before_calamine(monkeypatch, data)


@pytest.mark.parametrize(
    "rows",
    [
        # A row number past MAX_LINES, its cells without a reference of their own.
        f'<row r="1">{_TITLE_CELLS}</row><row r="{MAX_LINES + 1}"><c><v>1</v></c></row>',
        # A cell whose reference is far below the row that holds it.
        f'<row r="1">{_TITLE_CELLS}<c r="D{MAX_LINES + 1}"><v>1</v></c></row>',
        # A row number longer than any number of rows.
        f'<row r="1">{_TITLE_CELLS}</row><row r="99999999999999999999"><c><v>1</v></c></row>',
    ],
    ids=["row-out-of-range", "cell-below-its-row", "row-number-too-long"],
)
def test_rows_out_of_range_are_refused_before_calamine(monkeypatch, rows):
    assert "lignes vides comprises" in _refused_before_calamine(monkeypatch, _workbook(rows))


def test_cells_without_references_are_counted_past_excels_last_column(monkeypatch):
    # 16,385 cells without `r` (260 KB, under MAX_ROW_XML): calamine would place the
    # last one beyond XFD.
    cells = "<c><v>1</v></c>" * 16_385
    data = _workbook(f'<row r="1">{_TITLE_CELLS}</row><row r="2">{cells}</row>')
    assert "anormalement longue" in _refused_before_calamine(monkeypatch, data)


def test_the_guard_reads_prefixed_elements_and_elements_cut_between_chunks(monkeypatch):
    # A part read 7 bytes at a time cuts every element; a namespace prefix on each
    # element hides nothing.
    monkeypatch.setattr(importing, "_XML_CHUNK", 7)
    far = '<x:row r="200"><x:c r="XFD200"><x:v>1</x:v></x:c></x:row>'
    titles = _TITLE_CELLS.replace("<c ", "<x:c ").replace("</c>", "</x:c>")
    titles = titles.replace("<v>", "<x:v>").replace("</v>", "</x:v>")
    data = _workbook(f'<x:row r="1">{titles}</x:row>{far}', prefix="x:")
    assert "trop loin du tableau" in _refused_before_calamine(monkeypatch, data)


def test_a_far_cell_holding_only_a_style_is_not_counted(monkeypatch):
    # Excel writes a formatted empty cell closed at once: calamine does not build the
    # rectangle to it, so the file is read (in chunks small enough to cut it).
    monkeypatch.setattr(importing, "_XML_CHUNK", 64)
    styled = '<row r="40000"><c r="XFD40000" s="1"/></row>'
    data = _workbook(f'<row r="1">{_TITLE_CELLS}</row><row r="2">{_YOUTH_CELLS}</row>{styled}')
    positions, rows = read_spreadsheet(data, "v.xlsx")
    assert positions == {"last_name": 0, "first_name": 1, "birth_date": 2}
    assert rows == [(2, ["Durand", "Noé", "01/03/2005"])]


def test_the_widest_sheet_the_guard_allows_is_read_to_the_column_limit():
    # A cell in XFD on the last row the cell budget allows: read, cut to MAX_COLUMNS.
    last = MAX_SHEET_CELLS // 16_384
    far = f'<row r="{last}"><c r="XFD{last}" t="s"><v>3</v></c></row>'
    data = _workbook(f'<row r="1">{_TITLE_CELLS}</row><row r="2">{_YOUTH_CELLS}</row>{far}')
    _positions, rows = read_spreadsheet(data, "v.xlsx")
    assert rows == [(2, ["Durand", "Noé", "01/03/2005"])]
    assert all(len(row) <= MAX_COLUMNS for _line, row in rows)


# --- What the reader gives ----------------------------------------------------------------


def _saved(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_dates_numbers_and_booleans_read_as_openpyxl_gave_them():
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Export du 01/12/2026"])  # a title above the titles row
    sheet.append([])
    sheet.append([*TITLES, "Portable", "Inscrit le", "Heure", "CIVIS", "Note", "Code"])
    sheet.append(
        ["Durand", "Noé", date(2005, 3, 1), 612345678, datetime(2024, 5, 6, 14, 30)]
        + [clock_time(10, 15), True, 1.25, 12345678901234]
    )
    sheet.append(["Martin", "Léa", datetime(2004, 12, 31), "0612345678", 45000, None, False, -3])
    sheet["E5"].number_format = "d-mmm-yy"
    table = read_table(_saved(workbook), "v.xlsx")
    assert table.header_line == 3
    assert table.headers[:3] == TITLES
    assert table.rows == [
        (
            4,
            ["Durand", "Noé", "01/03/2005", "612345678", "06/05/2024"]
            + ["10:15", "1", "1.25", "12345678901234"],
        ),
        (5, ["Martin", "Léa", "31/12/2004", "0612345678", "15/03/2023", "", "0", "-3"]),
    ]


def test_inline_strings_a_table_off_a1_and_cells_without_references():
    # As LibreOffice and some generators write it: strings inline, the table starting
    # in B3, the youth's cells without `r`, rich text in the titles.
    sheet = (
        f"<worksheet {_NS}><sheetData>"
        '<row r="3"><c r="B3" t="inlineStr"><is><t>Nom</t></is></c>'
        '<c r="C3" t="inlineStr"><is><t xml:space="preserve"> Prénom </t></is></c>'
        '<c r="D3" t="inlineStr"><is><r><t xml:space="preserve">Date de </t></r>'
        "<r><rPr><b/></rPr><t>naissance</t></r></is></c></row>"
        '<row r="5"><c r="B5" t="inlineStr"><is><t>Durand</t></is></c>'
        '<c t="str"><f>"Noé"</f><v>Noé</v></c><c t="inlineStr"><is><t>01/03/2005</t></is></c>'
        "</row></sheetData></worksheet>"
    ).encode()
    table = read_table(xlsx_workbook([TITLES], sheet_xml=sheet), "v.xlsx")
    assert (table.header_line, table.headers) == (3, ["", *TITLES])
    assert table.rows == [(5, ["", "Durand", "Noé", "01/03/2005"])]


def test_a_sheet_stored_outside_the_worksheets_folder_is_guarded_too(monkeypatch):
    # The workbook's relationships may name any part as its sheet: calamine reads it.
    far = '<row r="200"><c r="XFD200"><v>1</v></c></row>'
    data = _workbook(f'<row r="1">{_TITLE_CELLS}</row><row r="2">{_YOUTH_CELLS}</row>{far}')
    moved = zip_archive(
        [
            ("xl/feuille.xml" if info.filename == _SHEET else info.filename, content)
            for info, content in _entries(data)
        ]
    )
    rels = "xl/_rels/workbook.xml.rels"
    moved = replace_entry(
        moved, rels, _entry(moved, rels).replace(b"worksheets/sheet1.xml", b"feuille.xml")
    )
    assert "trop loin du tableau (XFD200)" in _refused_before_calamine(monkeypatch, moved)
    monkeypatch.undo()
    # Without the far cell, calamine reads the sheet where it is.
    near = _workbook(f'<row r="1">{_TITLE_CELLS}</row><row r="2">{_YOUTH_CELLS}</row>')
    moved = zip_archive(
        [
            ("xl/feuille.xml" if info.filename == _SHEET else info.filename, content)
            for info, content in _entries(near)
        ]
    )
    moved = replace_entry(
        moved, rels, _entry(moved, rels).replace(b"worksheets/sheet1.xml", b"feuille.xml")
    )
    assert read_spreadsheet(moved, "v.xlsx")[1] == [(2, ["Durand", "Noé", "01/03/2005"])]


def test_rows_outside_the_sheets_data_are_not_counted():
    # A drawing anchors its shapes with rows of its own (`<xdr:row>5</xdr:row>`), here
    # followed by more than MAX_ROW_XML of text: no sheet row, neither long nor far.
    numbers = random.Random(0)
    text = "".join(
        f"<a:p><a:r><a:t>{numbers.randrange(10**9)}</a:t></a:r></a:p>" for _ in range(30_000)
    )
    drawing = (
        '<xdr:wsDr xmlns:xdr="urn:drawing"><xdr:twoCellAnchor><xdr:from><xdr:col>3</xdr:col>'
        f"<xdr:row>5</xdr:row></xdr:from><xdr:sp>{text}</xdr:sp></xdr:twoCellAnchor>"
        '<c r="XFD900000"><v>1</v></c></xdr:wsDr>'
    ).encode()
    assert len(drawing) > importing.MAX_ROW_XML
    data = _workbook(f'<row r="1">{_TITLE_CELLS}</row><row r="2">{_YOUTH_CELLS}</row>')
    data = zip_archive(
        [(info.filename, content) for info, content in _entries(data)]
        + [("xl/drawings/drawing1.xml", drawing)]
    )
    assert read_spreadsheet(data, "v.xlsx")[1] == [(2, ["Durand", "Noé", "01/03/2005"])]


_SHEET = "xl/worksheets/sheet1.xml"


def _entries(archive: bytes) -> list:
    source = zipfile.ZipFile(io.BytesIO(archive))
    return [(info, source.read(info)) for info in source.infolist()]


def _entry(archive: bytes, name: str) -> bytes:
    return zipfile.ZipFile(io.BytesIO(archive)).read(name)


def test_the_first_worksheet_is_read_behind_a_chart_sheet():
    workbook = Workbook()
    workbook.active.append(TITLES)
    workbook.active.append(["Durand", "Noé", date(2005, 3, 1)])
    workbook.create_chartsheet("Graphique", 0)
    _positions, rows = read_spreadsheet(_saved(workbook), "v.xlsx")
    assert rows == [(2, ["Durand", "Noé", "01/03/2005"])]


@pytest.mark.parametrize(
    "cell",
    [
        # A ">" in a quoted value does not end the tag for calamine (nor for the guard).
        '<c s="0" foo="a>b" r="XFD200"><v>1</v></c>',
        # Nor a "<": calamine reads this cell in XFD200.
        '<c foo="a<c>b" r="XFD200"><v>1</v></c>',
        # An `r` written inside another value is no reference; the real one follows.
        '<c foo=" r=\'A2\'" r="XFD200"><v>1</v></c>',
        # Two references: the furthest counts.
        '<c r="A2" r="XFD200"><v>1</v></c>',
        # An unclosed quote in a comment, then the real cell.
        '<!-- <c foo=" --><c r="XFD200"><v>1</v></c>',
        # A CDATA section holding what looks like a tag's start.
        '<![CDATA[<c foo="]]><c r="XFD200"><v>1</v></c>',
        # Spaces and single quotes around the reference.
        "<c s='0' r = 'XFD200'><v>1</v></c>",
    ],
    ids=["gt-in-value", "lt-in-value", "r-in-value", "two-r", "comment", "cdata", "spacing"],
)
def test_a_far_cell_hidden_in_the_markup_is_still_found(monkeypatch, cell):
    data = _workbook(f'<row r="1">{_TITLE_CELLS}</row><row r="200">{cell}</row>')
    assert "trop loin du tableau (XFD200)" in _refused_before_calamine(monkeypatch, data)


def test_a_sheet_that_cannot_be_cut_into_tags_is_refused_as_damaged(monkeypatch):
    # A tag never closed: the guard reads the part once (never again from each "<").
    data = _workbook(f'<row r="1">{_TITLE_CELLS}</row><row r="2"><c r="A2" s="' + "<c " * 50_000)
    assert "illisible ou abîmé" in _refused_before_calamine(monkeypatch, data)
