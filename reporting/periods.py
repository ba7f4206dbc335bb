"""Reporting periods: a calendar year or a calendar month, both inclusive."""

from __future__ import annotations

import calendar
import datetime
import re
from dataclasses import dataclass

from django.utils import formats
from django.utils.translation import gettext as _

from accounts.years import FIRST_YEAR

MONTH_PATTERN = re.compile(r"^(?P<year>\d{4})-(?P<month>\d{2})$")


@dataclass(frozen=True)
class Period:
    year: int
    month: int | None = None

    @property
    def start(self) -> datetime.date:
        return datetime.date(self.year, self.month or 1, 1)

    @property
    def end(self) -> datetime.date:
        if self.month is None:
            return datetime.date(self.year, 12, 31)
        return datetime.date(self.year, self.month, calendar.monthrange(self.year, self.month)[1])

    @property
    def is_month(self) -> bool:
        return self.month is not None

    @property
    def key(self) -> str:
        return f"{self.year}-{self.month:02d}" if self.month else str(self.year)

    @property
    def label(self) -> str:
        if self.month is None:
            return str(self.year)
        return formats.date_format(self.start, "F Y")

    def previous(self) -> Period:
        """The month before, or the year before."""
        if self.month is None:
            return Period(self.year - 1)
        if self.month == 1:
            return Period(self.year - 1, 12)
        return Period(self.year, self.month - 1)

    def months(self) -> list[Period]:
        if self.month is not None:
            return [self]
        return [Period(self.year, m) for m in range(1, 13)]

    def contains(self, day: datetime.date) -> bool:
        return self.start <= day <= self.end


def parse_month(text: str) -> Period:
    """'2026-03' -> Period(2026, 3); ValueError with a French message otherwise."""
    match = MONTH_PATTERN.match(text or "")
    if not match or not 1 <= int(match["month"]) <= 12 or int(match["year"]) < FIRST_YEAR:
        raise ValueError(_("Mois attendu au format AAAA-MM (par exemple 2026-03)."))
    return Period(int(match["year"]), int(match["month"]))


def last_complete_month(today: datetime.date) -> Period:
    """The month before `today`'s month: what the digest of the 1st reports on."""
    return Period(today.year, today.month).previous()
