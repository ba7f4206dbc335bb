"""Statistical disclosure control: the one place where the figures of an output (a
dashboard page and its exports, the annual review, the monthly digest) become what it
shows. Documented in docs/indicators.md, "Disclosure control".

In masked views (national aggregates, the annual review, the national digest):

1. Primary suppression: a count from 1 to 4 is shown "< 5" (zero gives nobody away).
2. Derived figures: a rate whose numerator or denominator is withheld is withheld; a
   change between two periods is not shown when either side is withheld.
3. Secondary suppression: where counts add up to a total published in the portal (the
   regions to the national figure, the months to the year, the programmes to the
   sessions held, the job roles to the positions offered), a withheld count must not be
   the difference between the total and the counts shown. Each group is audited as an
   attacker would: a count shown "< 5" lies in 1-4, a count withheld "masqué" is 5 or
   more (never zero, never small), the others are exact; if any withheld count of the
   group comes out as a single possible value, the next smallest count shown (non zero)
   is withheld too, and the audit runs again over every group until none gives a
   withheld count away. The same figure (same key) is withheld in every table of the
   output.

The choice depends only on the figures of the groups on the page, so every page showing
the same group withholds the same cells. Unmasked views (regional, local) only resolve
the figures.
"""

from __future__ import annotations

import dataclasses
import math

from django.utils.translation import gettext as _

from .tables import MASKED, SMALL_COUNT, Count, Delta, Group, Points, Rate, Table, is_small

PRIMARY, SECONDARY = "primary", "secondary"
INFINITY = math.inf


def withheld_label() -> str:
    """What a cell withheld by secondary suppression (or a rate built on a withheld count)
    shows."""
    return _("masqué")


def _counts_of(cell):
    """The Counts a cell is built on."""
    if isinstance(cell, Count):
        yield cell
    elif isinstance(cell, Rate):
        yield from _counts_of(cell.numerator)
        yield from _counts_of(cell.denominator)
    elif isinstance(cell, Delta):
        yield from _counts_of(cell.now)
        yield from _counts_of(cell.before)


def _bounds(key, values, hidden) -> tuple[float, float]:
    """What an attacker knows of a count from the page alone."""
    if key not in hidden:
        value = values[key]
        return value, value
    if hidden[key] == PRIMARY:
        return 1, SMALL_COUNT - 1
    return SMALL_COUNT, INFINITY


def feasible_range(group: Group, key, values, hidden) -> tuple[float, float]:
    """The values a withheld count `key` of `group` may take given every other cell of
    the group: total = sum(parts), the others bounded as `_bounds` says."""
    cells = [(part, 1) for part in group.parts] + [(group.total, -1)]
    own_sign = next(sign for cell, sign in cells if cell == key)
    low_rest = high_rest = 0.0
    skipped = False
    for cell, sign in cells:
        if cell == key and not skipped:
            skipped = True
            continue
        low, high = _bounds(cell, values, hidden)
        if sign > 0:
            low_rest += low
            high_rest += high
        else:
            low_rest -= high
            high_rest -= low
    # sign * x + rest = 0
    low, high = (-high_rest, -low_rest) if own_sign > 0 else (low_rest, high_rest)
    own_low, own_high = _bounds(key, values, hidden)
    return max(low, own_low), min(high, own_high)


def is_exposed(group: Group, values, hidden) -> bool:
    """Whether a withheld count of the group can be worked out to a single value."""
    for key in (*group.parts, group.total):
        if key in hidden:
            low, high = feasible_range(group, key, values, hidden)
            if high - low < 1:
                return True
    return False


def _complement(group: Group, values, hidden):
    """The count to withhold next: the smallest non-zero part shown, else the total."""
    shown = sorted(
        (values[key], repr(key), key) for key in group.parts if key not in hidden and values[key]
    )
    if shown:
        return shown[0][2]
    if group.total not in hidden and values[group.total]:
        return group.total
    return None


def suppress(values: dict, groups: list[Group]) -> dict:
    """{key: PRIMARY or SECONDARY} for the counts to withhold in a masked output."""
    hidden = {key: PRIMARY for key, value in values.items() if is_small(value)}
    changed = True
    while changed:
        changed = False
        for group in groups:
            while is_exposed(group, values, hidden):
                key = _complement(group, values, hidden)
                if key is None:
                    break
                hidden[key] = SECONDARY
                changed = True
    return hidden


def _resolve(cell, hidden: dict, *, masked: bool):
    if isinstance(cell, Count):
        state = hidden.get(cell.key)
        if state == PRIMARY:
            return MASKED
        if state == SECONDARY:
            return withheld_label()
        return cell.value
    if isinstance(cell, Rate):
        if any(count.key in hidden for count in _counts_of(cell)):
            return withheld_label()
        return cell.value
    if isinstance(cell, Delta):
        if any(count.key in hidden for count in _counts_of(cell)):
            return None
        now, before = (
            _resolve(cell.now, hidden, masked=masked),
            _resolve(cell.before, hidden, masked=masked),
        )
        if not isinstance(now, (int, float)) or not isinstance(before, (int, float)):
            return None
        if isinstance(now, float) or isinstance(before, float):
            return Points(round(now - before, 1))
        return now - before
    return cell


def _drawn(cell) -> int:
    """A protected cell as a chart draws it: a withheld count is drawn as zero (its label
    says what it is)."""
    return cell if isinstance(cell, int) and not isinstance(cell, bool) else 0


def protect(tables: list[Table], *, masked: bool) -> list[Table]:
    """The tables of one output as they may be shown: every cell resolved, and, in
    masked views, small counts masked and the counts giving them away withheld."""
    values: dict = {}
    for table in tables:
        for row in table.rows:
            for cell in row:
                for count in _counts_of(cell):
                    values.setdefault(count.key, count.value)
    groups = [group for table in tables for group in table.groups]
    for group in groups:
        if group.total not in values:
            values[group.total] = sum(values.get(part, 0) for part in group.parts)
        for part in group.parts:
            values.setdefault(part, 0)
    hidden = suppress(values, groups) if masked else {}
    return [_protect_table(table, hidden, masked=masked) for table in tables]


def _protect_table(table: Table, hidden: dict, *, masked: bool) -> Table:
    rows = [[_resolve(cell, hidden, masked=masked) for cell in row] for row in table.rows]
    chart_data = dict(table.chart_data)
    for name, column in table.chart_columns.items():
        cells = [row[column] for row in rows]
        if name == "shown":
            chart_data[name] = [str(cell) for cell in cells]
        elif name == "previous" and masked:
            # the previous year's line has no label to say a point is masked
            chart_data[name] = None
        else:
            chart_data[name] = [_drawn(cell) for cell in cells]
    return dataclasses.replace(table, rows=rows, chart_data=chart_data, groups=[])
