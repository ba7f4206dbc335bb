"""The portal's calendar, for every app: the years it counts in (from the convention's
first year to a far bound, so that a year typed in a form or a URL never reaches the
database out of range) and month arithmetic."""

import calendar
from datetime import date

FIRST_YEAR = 2006  # the convention was signed on 7 June 2006
LAST_YEAR = 2100


def add_months(day: date, months: int) -> date:
    """The same day `months` later, or the month's last day when it has fewer days."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )
