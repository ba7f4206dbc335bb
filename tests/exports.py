"""Reading the portal's list exports back, for the tests of every app's exports: the CSV
as French Excel reads it (BOM, semicolons, CRLF), the XLSX with openpyxl, and the page's
column titles, so a test compares a file with the page it comes from.

`download` fetches both formats of one export and checks that they give back the same
rows (the issue's round trip: a CSV and an XLSX of each list, opened again with the csv
module and openpyxl); it returns the CSV's rows, as text."""

from __future__ import annotations

import csv
import datetime
import html
import io
import re
from decimal import Decimal, InvalidOperation

from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

BOM = b"\xef\xbb\xbf"
XLSX_DATE_FORMAT = "DD/MM/YYYY"
_NUMBER = re.compile(r"-?\d+(,\d+)?")


def read_csv(content: bytes) -> list[list[str]]:
    """The rows of a CSV export, after checking it is what French Excel opens."""
    assert content.startswith(BOM), "a CSV export starts with a UTF-8 BOM"
    text = content[len(BOM) :].decode("utf-8")
    if text:
        assert text.endswith("\r\n"), "a CSV export ends its rows with CRLF"
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))


def xlsx_sheet(content: bytes):
    return load_workbook(io.BytesIO(content)).active


def _xlsx_text(cell) -> str:
    """An XLSX cell written as the CSV writes the same value."""
    value = cell.value
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        if cell.number_format == XLSX_DATE_FORMAT:
            return value.strftime("%d/%m/%Y")
        return value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, (int, float)):
        return format(Decimal(str(value)).normalize(), "f").replace(".", ",")
    return str(value)


def read_xlsx(content: bytes) -> list[list[str]]:
    """The rows of an XLSX export, each cell as text the way the CSV writes it."""
    return [[_xlsx_text(cell) for cell in row] for row in xlsx_sheet(content).iter_rows()]


def _same_cell(text: str) -> str | Decimal:
    """A number compares as a number ("35,00" and "35" are one value); text as text."""
    if _NUMBER.fullmatch(text):
        try:
            return Decimal(text.replace(",", ".")).normalize()
        except InvalidOperation:
            return text
    return text


def same_rows(rows: list[list[str]]) -> list[list]:
    return [[_same_cell(cell) for cell in row] for row in rows]


def export_url(name: str, *args, fmt: str) -> str:
    return reverse(name, args=[*args, fmt])


def fetch(client, name: str, *args, fmt: str, query: dict | None = None):
    """One export's response, checked: 200, an attachment named with today's date."""
    response = client.get(export_url(name, *args, fmt=fmt), query or {})
    assert response.status_code == 200, (name, fmt, response.status_code)
    disposition = response["Content-Disposition"]
    stamp = timezone.localdate().strftime("%Y-%m-%d")
    assert disposition.startswith("attachment;") and f"-{stamp}.{fmt}" in disposition, disposition
    return response


def download(client, name: str, *args, query: dict | None = None) -> list[list[str]]:
    """The CSV's rows of one export, after checking its XLSX gives back the same rows."""
    rows = read_csv(fetch(client, name, *args, fmt="csv", query=query).content)
    sheet_rows = read_xlsx(fetch(client, name, *args, fmt="xlsx", query=query).content)
    assert same_rows(sheet_rows) == same_rows(rows), (name, sheet_rows, rows)
    return rows


def _text(fragment: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def page_columns(content: bytes | str, *, after: str = "") -> list[str]:
    """The column titles (`<th scope="col">`) of the first table header of the page
    that follows the text `after`, as read on screen (tags dropped, spaces collapsed)."""
    page = content.decode() if isinstance(content, bytes) else content
    start = page.index(after) if after else 0
    head = re.search(r"<thead>(.*?)</thead>", page[start:], re.S)
    assert head, f"no table header after {after!r}"
    return [_text(cell) for cell in re.findall(r'<th scope="col"[^>]*>(.*?)</th>', head[1], re.S)]


def export_link_urls(content: bytes | str) -> list[str]:
    """The href of every export link of the page (the `components/export_links.html`
    paragraph), as the browser would follow them."""
    page = content.decode() if isinstance(content, bytes) else content
    return [
        html.unescape(href)
        for block in re.findall(r'<p class="small mb-0 export-links">(.*?)</p>', page, re.S)
        for href in re.findall(r'<a href="([^"]+)" download>', block)
    ]
