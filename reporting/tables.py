"""Tables of figures: what the dashboards, the digest, the review and the exports show.

A table is built with figures that know where they come from: a `Count` (with the
identity of what it counts), a `Rate` (its numerator and denominator), a `Delta` (the
two counts it subtracts), and `Group`s saying which counts add up to which total. Then
`reporting.disclosure.protect` turns them into what every output shows: an int (a
count), a float (a percentage), None (not applicable) or a str (a label, "< 5" where a
small count is masked, "masqué" where a cell is withheld so that a masked count cannot
be worked out from the others). Every output (page, CSV, XLSX, PDF, digest) reads the
protected table, never the figures it was built from.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.formats import number_format

from .scopes import SMALL_COUNT

MASKED = "< 5"


@dataclass(frozen=True)
class Count:
    """A count as built: its value and what it counts (`key`). Two cells with the same
    key, in any table of one output, are the same figure: withheld in one, withheld in
    all (the key names the indicator and the period, and the group for a breakdown)."""

    value: int
    key: tuple


@dataclass(frozen=True)
class Rate:
    """A percentage of two counts (a `Count`, or an int that is public, such as a
    target): withheld when either count is."""

    numerator: Count | int
    denominator: Count | int

    @property
    def value(self) -> float | None:
        denominator = _value(self.denominator)
        if not denominator:
            return None
        return round(100 * _value(self.numerator) / denominator, 1)


@dataclass(frozen=True)
class Delta:
    """The change between two periods of a count (`Count`s) or of a percentage (`Rate`s
    or floats, shown in points): withheld when either side is."""

    now: Count | Rate | float | None
    before: Count | Rate | float | None


@dataclass(frozen=True)
class Group:
    """Counts that add up to a total published somewhere in the portal (on the same page
    or another): `total` = sum of `parts`. Where the total is not a figure of its own
    (the year of a monthly table), `total` is the key its parts sum to."""

    total: tuple
    parts: tuple[tuple, ...]


def _value(cell):
    if isinstance(cell, Count):
        return cell.value
    if isinstance(cell, Rate):
        return cell.value
    return cell


def is_small(value: int) -> bool:
    """A count masked in national views: 1 to 4 (zero gives nobody away)."""
    return 0 < value < SMALL_COUNT


def count_cell(value: int, *, masked: bool):
    """A count as shown: under 5 (but not zero) becomes "< 5" in national views."""
    if masked and is_small(value):
        return MASKED
    return value


class Days(float):
    """A duration in days (shown "12,5 j")."""


class Points(float):
    """A difference of two percentages, in points (shown "+2,5 pts")."""


def format_cell(value) -> str:
    if value is None:
        return "—"
    if isinstance(value, Points):
        return f"{'+' if value > 0 else ''}{number_format(value, 1)} pts"
    if isinstance(value, Days):
        return f"{number_format(value, 1)} j"
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float):
        return f"{number_format(value, 1)} %"
    if isinstance(value, int):
        return number_format(value, 0, force_grouping=True)
    return str(value)


@dataclass
class Table:
    key: str
    title: str
    columns: list[str]
    rows: list[list] = field(default_factory=list)
    note: str = ""
    # The table's chart, when it has one: a kind of reporting.charts and its data. The
    # SVG is drawn on demand (and cached): the dashboards serve it as its own image,
    # the review's PDF embeds it.
    chart_kind: str = ""
    chart_data: dict = field(default_factory=dict)
    # Which entries of chart_data are drawn from which column (0 is the label): the
    # chart is drawn from the protected cells, so that it withholds what they withhold.
    chart_columns: dict[str, int] = field(default_factory=dict)
    # Counts of this table adding up to a published total (secondary suppression).
    groups: list[Group] = field(default_factory=list)
    # A name for each row, where something reads rows by what they are (the key figures'
    # tiles read the key figures table).
    row_keys: list[str] = field(default_factory=list)

    def row(self, key: str) -> list | None:
        """The row named `key`, None when the table has no such row."""
        if key in self.row_keys:
            return self.rows[self.row_keys.index(key)]
        return None

    @property
    def has_chart(self) -> bool:
        return bool(self.chart_kind)

    @property
    def chart_svg(self) -> str:
        from . import charts

        return charts.draw(self.chart_kind, self.chart_data) if self.chart_kind else ""

    @property
    def chart_pixels(self) -> tuple[int, int]:
        from . import charts

        return charts.pixel_size(self.chart_kind) if self.chart_kind else (0, 0)

    @property
    def chart(self) -> str:
        """The chart as a data: URI (the review's PDF), "" without a chart."""
        from . import charts

        return charts.data_uri(self.chart_svg) if self.chart_kind else ""

    @property
    def is_empty(self) -> bool:
        """No figure to show: every cell zero or not applicable (a masked or withheld
        cell is a figure: there is something, it is not shown)."""
        return not any(
            isinstance(cell, str) or (isinstance(cell, (int, float)) and cell)
            for row in self.rows
            for cell in row[1:]
        )

    @property
    def display_rows(self) -> list[list[str]]:
        return [[format_cell(cell) for cell in row] for row in self.rows]
