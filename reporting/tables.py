"""Tables of figures: what the dashboards, the digest, the review and the exports show.

A cell is an int (a count), a float (a percentage), None (not applicable) or a str
(a label, or "< 5" where a small count is masked).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.formats import number_format

from .scopes import SMALL_COUNT

MASKED = "< 5"


def count_cell(value: int, *, masked: bool):
    """A count as shown: under 5 (but not zero) becomes "< 5" in national views."""
    if masked and 0 < value < SMALL_COUNT:
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
    chart: str = ""  # a data: URI, when the table has a chart
    chart_svg: str = ""
    note: str = ""

    @property
    def is_empty(self) -> bool:
        return not self.rows or all(
            not any(isinstance(c, (int, float)) and c for c in row[1:]) and MASKED not in row
            for row in self.rows
        )

    @property
    def display_rows(self) -> list[list[str]]:
        return [[format_cell(cell) for cell in row] for row in self.rows]
