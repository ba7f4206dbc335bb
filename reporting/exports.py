"""CSV and XLSX exports of a table, exactly as shown (small counts stay masked)."""

from __future__ import annotations

import csv
import io

from openpyxl import Workbook
from openpyxl.styles import Font

from .tables import Table

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _plain(cell):
    return "" if cell is None else cell


def table_csv(table: Table) -> bytes:
    """UTF-8 with a BOM and semicolons: what French spreadsheet software opens directly."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([str(c) for c in table.columns])
    for row in table.rows:
        writer.writerow(
            [
                str(_plain(cell)).replace(".", ",") if isinstance(cell, float) else _plain(cell)
                for cell in row
            ]
        )
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def table_xlsx(table: Table) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = table.key[:31]
    sheet.append([str(table.title)])
    sheet["A1"].font = Font(bold=True)
    sheet.append([str(c) for c in table.columns])
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for row in table.rows:
        sheet.append(
            [_plain(c) if isinstance(c, (int, float)) or c is None else str(c) for c in row]
        )
    sheet.column_dimensions["A"].width = 40
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
