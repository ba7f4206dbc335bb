"""Tables of figures: what the dashboards, the digest, the review and the exports show.

A cell is an int (a count), a float (a percentage), None (not applicable) or a str
(a label, or "< 5" where a small count is masked).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.formats import number_format

from .scopes import SMALL_COUNT

MASKED = "< 5"


def is_small(value: int) -> bool:
    """A count masked in national views: 1 to 4 (zero gives nobody away)."""
    return 0 < value < SMALL_COUNT


def count_cell(value: int, *, masked: bool):
    """A count as shown: under 5 (but not zero) becomes "< 5" in national views."""
    if masked and is_small(value):
        return MASKED
    return value


def chart_value(value: int, *, masked: bool) -> int:
    """A count as drawn: in national views a small count is drawn as zero (its table
    cell, and the chart's bar label where there is one, read "< 5")."""
    return 0 if masked and is_small(value) else value


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
        return not self.rows or all(
            not any(isinstance(c, (int, float)) and c for c in row[1:]) and MASKED not in row
            for row in self.rows
        )

    @property
    def display_rows(self) -> list[list[str]]:
        return [[format_cell(cell) for cell in row] for row in self.rows]
