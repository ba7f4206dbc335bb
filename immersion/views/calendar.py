"""The sessions calendar: a month's sessions of the user's reach, filtered as the list
is, its grid written by the view (a month holds hundreds of sessions)."""

from __future__ import annotations

import calendar
import datetime
from html import escape

from django.shortcuts import render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import ngettext

from accounts.announce import announce
from accounts.page_rows import escaped_labels, url_for_each
from accounts.years import FIRST_YEAR, LAST_YEAR

from ..enums import SessionStatus
from ..forms import SessionFilterForm
from ..models import CALENDAR_ENTRIES, local_datetime, month_bounds, session_visibility, status_css
from .sessions import WEEKDAY_HEADERS, _cities


def _month_from(request) -> tuple[int, int]:
    today = timezone.localdate()
    try:
        year = int(request.GET.get("annee", today.year))
        month = int(request.GET.get("mois", today.month))
        datetime.date(year, month, 1)
    except ValueError:
        return today.year, today.month
    if not FIRST_YEAR <= year <= LAST_YEAR:
        return today.year, today.month
    return year, month


# A calendar entry (its state and places are read out after its link):
# <li class="calendar-session {css}"><a href="{url}">{HH:MM} {title}</a>
#  <span class="visually-hidden">({state}, {taken}/{capacity})</span></li>, on one line.


def _calendar_entries(entries) -> dict[datetime.date, SafeString]:
    """Each day's entries of the calendar, written here: a month holds hundreds of
    sessions, and through the template (a link, an hour, a state and places each) they
    took half of the page's time. Every text is escaped as Django's `escape` does
    (`html.escape`): what a state writes (its class and label) and the address around
    the number once for the page, the title on each entry; numbers and the hour are
    digits. `format_html` would, at 15 µs an entry, cost as much as the template did."""
    head, tail = escape(url_for_each("immersion:session_detail")("\0")).split("\0")
    labels = escaped_labels(SessionStatus)
    # Each state's markup before the address and between the hour and the places.
    states: dict[str, tuple[str, str]] = {}
    local = timezone.get_current_timezone()
    by_day: dict[datetime.date, list[str]] = {}
    for pk, seconds, title, status, taken, capacity in entries:
        state = states.get(status)
        if state is None:
            state = states[status] = (
                f'<li class="calendar-session {escape(status_css(status))}"><a href="{head}',
                f'</a> <span class="visually-hidden">({labels.get(status) or escape(status)}, ',
            )
        starts_at = local_datetime(seconds, local)
        entry = (
            f'{state[0]}{pk:d}{tail}">{starts_at.hour:02d}:{starts_at.minute:02d} '
            f"{escape(title)}{state[1]}{taken:d}/{capacity:d})</span></li>"
        )
        day = starts_at.date()
        if day in by_day:
            by_day[day].append(entry)
        else:
            by_day[day] = [entry]
    return {day: mark_safe("".join(items)) for day, items in by_day.items()}  # noqa: S308


def _day_css(day: datetime.date, month: int, today: datetime.date) -> str:
    classes = ("calendar-outside", day.month != month), ("calendar-today", day == today)
    return " ".join(css for css, applies in classes if applies)


def _calendar_weeks(year: int, month: int, by_day: dict, today: datetime.date) -> SafeString:
    """The grid's rows, a week each, written here once per page: through the template
    (six or seven nodes a day, 42 days) they cost as much as the month's entries. A
    day's class, date and number are the view's own (no user text); its entries are
    already escaped (`_calendar_entries`)."""
    rows = []
    for week in calendar.Calendar(firstweekday=0).monthdatescalendar(year, month):
        cells = []
        for day in week:
            entries = by_day.get(day)
            listed = f'<ul class="list-unstyled mb-0 small">{entries}</ul>' if entries else ""
            cells.append(
                f'<td class="{_day_css(day, month, today)}"><div class="calendar-day">'
                f'<time datetime="{day.isoformat()}">{day.day}</time></div>{listed}</td>'
            )
        rows.append(f"<tr>{''.join(cells)}</tr>")
    return mark_safe("".join(rows))  # noqa: S308 (no user text but the escaped entries)


def session_calendar(request):
    year, month = _month_from(request)
    user = request.user
    form = SessionFilterForm(request.GET or None, cities=_cities(user), user=user)
    month_start, month_end = month_bounds(year, month)
    entries = CALENDAR_ENTRIES(
        **session_visibility(user),
        **form.criteria(with_period=False),
        month_start=month_start,
        month_end=month_end,
    )
    weeks = _calendar_weeks(year, month, _calendar_entries(entries), timezone.localdate())
    first = datetime.date(year, month, 1)
    previous = first - datetime.timedelta(days=1)
    following = first + datetime.timedelta(days=32)
    filters = request.GET.copy()
    for key in ("annee", "mois", "month"):
        filters.pop(key, None)
    context = {
        "form": form,
        "weeks": weeks,
        "weekdays": WEEKDAY_HEADERS,
        "month_label": date_format(first, "F Y"),
        "previous": {"annee": previous.year, "mois": previous.month},
        "following": {"annee": following.year, "mois": following.month},
        "filters": filters.urlencode(),
        "session_count": len(entries),
        "month": (year, month),
    }
    if request.htmx:
        response = render(request, "immersion/_calendar_grid.html", context)
        count = context["session_count"]
        return announce(
            response,
            ngettext("%(month)s : %(count)d session", "%(month)s : %(count)d sessions", count)
            % {"month": context["month_label"], "count": count},
        )
    return render(request, "immersion/session_calendar.html", context)
