"""A committee meeting as a calendar invitation (METHOD:REQUEST), attached to each
member's email; `accounts.calendars` writes the iCalendar text."""

from __future__ import annotations

import datetime

from accounts.calendars import REQUEST, CalendarEvent, calendar_text, organizer_address

__all__ = ["meeting_ics", "organizer_address"]


def meeting_ics(
    *,
    uid: str,
    sequence: int,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    summary: str,
    description: str,
    location: str,
    url: str,
    organizer_email: str,
    attendee_email: str,
    stamp: datetime.datetime,
) -> str:
    """One VEVENT in a VCALENDAR with METHOD:REQUEST: a higher `sequence` replaces the
    copy the member's calendar holds (a moved meeting)."""
    event = CalendarEvent(
        uid=uid,
        sequence=sequence,
        starts_at=starts_at,
        ends_at=ends_at,
        summary=summary,
        description=description,
        location=location,
        url=url,
        attendee_email=attendee_email,
        organizer_email=organizer_email,
    )
    return calendar_text([event], method=REQUEST, stamp=stamp)
