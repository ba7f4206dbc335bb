"""An attacker of the published figures: reads the cells of an output as shown (a
dashboard page, a CSV or XLSX export, the review's HTML, the digest's text) and works
out every masked count it can from the relations between them (the regions add up to the
national figure, the months to the year, a rate over its counts, a change between its
two periods), knowing the rules of docs/indicators.md: "< 5" is 1 to 4, "masqué" is 5 or
more. What it pins to a single value is a disclosure.

It shares no code with `reporting.disclosure`: it propagates intervals over every
relation of the output at once until nothing moves, a stronger reading than the
per-group audit the portal runs."""

from __future__ import annotations

import math
import re
from html.parser import HTMLParser

INF = math.inf
SMALL, WITHHELD = "< 5", "masqué"

# The relations between the cells of a national dashboard page, by table key and row
# label. (table, label or None for every row, column) sums; rates; changes.
SUMS = [
    (("breakdown", None, 1), ("kpis", "Jeunes inscrits", 1)),
    (("breakdown", None, 2), ("kpis", "Embauches", 1)),
    (("breakdown", None, 3), ("kpis", "Emplois stabilisés", 1)),
    (("needs", None, 1), ("kpis", "Postes offerts", 1)),
    (("sessions", None, 1), ("kpis", "Sessions réalisées", 1)),
]
# Sums that hold on the page of a year (the months add up to the year's key figure).
YEAR_SUMS = [
    (("hires", None, 1), ("kpis", "Embauches", 1)),
    (("hires", None, 2), ("kpis", "Embauches", 2)),
    (("offers", None, 1), ("kpis", "Postes offerts", 1)),
]
RATES = [
    # (rate cell, numerator cell, denominator cell)
    (
        ("kpis", "Taux de satisfaction des offres", 1),
        ("kpis", "Postes pourvus (offres de la période)", 1),
        ("kpis", "Postes offerts", 1),
    ),
    (
        ("kpis", "Taux de satisfaction des offres", 2),
        ("kpis", "Postes pourvus (offres de la période)", 2),
        ("kpis", "Postes offerts", 2),
    ),
    (
        ("kpis", "Taux d'atteinte de l'objectif national", 1),
        ("kpis", "Embauches", 1),
        ("kpis", "Objectif national d'embauches (article 1)", 1),
    ),
]
ROW_RATES = [("sessions", 4, 3, 2)]  # (table, rate column, numerator column, denominator)
DELTA_TABLE = "kpis"


def parse(cell):
    """A shown cell: ("exact", n), ("small",), ("withheld",), ("rate", x) or None."""
    if cell is None:
        return None
    if isinstance(cell, bool):
        return None
    if isinstance(cell, int):
        return ("exact", cell)
    if isinstance(cell, float):
        return ("rate", cell)
    text = str(cell).replace("\xa0", " ").replace("\u202f", " ").strip()
    if text in ("", "—"):
        return None
    if text == SMALL:
        return ("small",)
    if text == WITHHELD:
        return ("withheld",)
    if text.endswith("%"):
        return ("rate", float(text[:-1].strip().replace(" ", "").replace(",", ".")))
    if text.endswith("pts") or text.endswith(" j"):
        return None
    compact = text.replace(" ", "")
    if re.fullmatch(r"[+-]?\d+", compact):
        return ("exact", int(compact))
    if re.fullmatch(r"[+-]?\d+,\d+", compact):
        return ("rate", float(compact.replace(",", ".")))
    return None


class Published:
    """The cells of one output: {table key: [[label, cell, ...], ...]}."""

    def __init__(self, tables: dict[str, list[list]]):
        self.tables = tables

    def cells(self, table, label, column):
        rows = self.tables.get(table, [])
        for row in rows:
            if (label is None or row[0] == label) and column < len(row):
                yield (table, row[0], column), parse(row[column])


def attack(published: Published, *, year_page: bool) -> dict:
    """{(table, label, column): value} of every masked count pinned to one value."""
    bounds: dict = {}
    masked = set()
    for table, rows in published.tables.items():
        for row in rows:
            for column, cell in enumerate(row[1:], start=1):
                parsed = parse(cell)
                key = (table, row[0], column)
                if parsed is None or parsed[0] == "rate":
                    continue
                if parsed[0] == "exact":
                    bounds[key] = (parsed[1], parsed[1])
                elif parsed[0] == "small":
                    bounds[key] = (1, 4)
                    masked.add(key)
                else:
                    bounds[key] = (5, INF)
                    masked.add(key)
    equations = []  # each: list of (coefficient, key) summing to 0
    for parts, total in SUMS + (YEAR_SUMS if year_page else []):
        part_keys = [key for key, parsed in published.cells(*parts) if parsed and key in bounds]
        total_keys = [key for key, parsed in published.cells(*total) if key in bounds]
        if part_keys and total_keys:
            equations.append([(1, k) for k in part_keys] + [(-1, total_keys[0])])
    for label_row in published.tables.get(DELTA_TABLE, []):
        if len(label_row) < 4:
            continue
        now, before, delta = (parse(c) for c in label_row[1:4])
        if delta and delta[0] == "exact" and now and before:
            # now - before - delta = 0: the change as a known constant
            equations.append(
                [(1, (DELTA_TABLE, label_row[0], 1)), (-1, (DELTA_TABLE, label_row[0], 2))]
                + [(-1, ("constant", delta[1]))]
            )
            bounds[("constant", delta[1])] = (delta[1], delta[1])
    rates = []
    for rate_cell, numerator, denominator in RATES:
        shown = dict(published.cells(*rate_cell))
        if shown:
            ((key, parsed),) = shown.items()
            if parsed and parsed[0] == "rate":
                rates.append((parsed[1], (numerator[0], numerator[1], numerator[2]), denominator))
    for table, rate_column, num_column, den_column in ROW_RATES:
        for row in published.tables.get(table, []):
            parsed = parse(row[rate_column]) if rate_column < len(row) else None
            if parsed and parsed[0] == "rate":
                rates.append((parsed[1], (table, row[0], num_column), (table, row[0], den_column)))
    for _round in range(50):
        moved = False
        for equation in equations:
            for index, (sign, key) in enumerate(equation):
                if key not in bounds:
                    continue
                low_rest = high_rest = 0.0
                for other_index, (other_sign, other) in enumerate(equation):
                    if other_index == index:
                        continue
                    low, high = bounds.get(other, (0, INF))
                    if other_sign > 0:
                        low_rest, high_rest = low_rest + low, high_rest + high
                    else:
                        low_rest, high_rest = low_rest - high, high_rest - low
                low, high = (-high_rest, -low_rest) if sign > 0 else (low_rest, high_rest)
                old_low, old_high = bounds[key]
                new = (max(old_low, low), min(old_high, high))
                if new != (old_low, old_high) and new[0] <= new[1]:
                    bounds[key] = new
                    moved = True
        for rate, numerator, denominator in rates:
            if numerator not in bounds or denominator not in bounds:
                continue
            (num_low, num_high), (den_low, den_high) = bounds[numerator], bounds[denominator]
            if den_low == den_high and num_high < INF:
                fits = [
                    x
                    for x in range(int(num_low), int(num_high) + 1)
                    if round(100 * x / den_low, 1) == rate
                ]
                if fits and (min(fits), max(fits)) != (num_low, num_high):
                    bounds[numerator] = (min(fits), max(fits))
                    moved = True
        if not moved:
            break
    return {key: bounds[key][0] for key in masked if bounds[key][0] == bounds[key][1]}


class _Tables(HTMLParser):
    """Every <table> of an HTML document: its caption, and its rows of cell texts."""

    def __init__(self):
        super().__init__()
        self.tables: list[tuple[str, list[list[str]]]] = []
        self._in_caption = self._in_cell = False
        self._caption = ""
        self._rows: list[list[str]] = []
        self._row: list[str] | None = None
        self._cell = ""

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self._caption, self._rows = "", []
        elif tag == "caption":
            self._in_caption = True
        elif tag == "tr":
            self._row = []
        elif tag in ("td", "th"):
            self._in_cell, self._cell = True, ""

    def handle_endtag(self, tag):
        if tag == "table":
            self.tables.append((self._caption.strip(), self._rows))
        elif tag == "caption":
            self._in_caption = False
        elif tag == "tr" and self._row is not None:
            self._rows.append(self._row)
            self._row = None
        elif tag in ("td", "th") and self._row is not None:
            self._row.append(" ".join(self._cell.split()))
            self._in_cell = False

    def handle_data(self, data):
        if self._in_caption:
            self._caption += data
        elif self._in_cell:
            self._cell += data


def from_html(html: str, titles: dict[str, str]) -> Published:
    """The tables of a page or of the review's HTML, found by their caption (which starts
    with the table's title); the header row dropped."""
    parser = _Tables()
    parser.feed(html)
    found = {}
    for caption, rows in parser.tables:
        for key, title in titles.items():
            if caption.startswith(title) and key not in found:
                found[key] = rows[1:]
    return Published(found)


def from_digest_text(body: str) -> Published:
    """The key figures of the digest's plain text: "- label : now (previous : before,
    évolution delta)"."""
    pattern = re.compile(
        r"^- (?P<label>.+?) : (?P<now>.+?) \((?P<column>.+?) : (?P<before>.+?)"
        r"(?:, évolution (?P<delta>.+))?\)$"
    )
    rows = []
    for line in body.splitlines():
        match = pattern.match(line.strip())
        if match:
            rows.append([match["label"], match["now"], match["before"], match["delta"] or "—"])
    return Published({"kpis": rows})
