"""The one writer of iCalendar files (RFC 5545): every .ics the portal hands out goes
through `calendar_text`, written by the icalendar library.

Two apps hand out calendars: committees (a meeting's invitation, attached to each
member's email: METHOD:REQUEST with the organiser and the attendee) and immersion (a
session's file and a region's feed of sessions: METHOD:PUBLISH). Each builds
`CalendarEvent`s from its own models; the writing lives here, with the other helpers
every app shares (`accounts.mail`, `accounts.uploads`), so that neither app imports the
other for it.

The library escapes TEXT values (backslash, semicolon, comma, line breaks: a line break
in a title stays inside its escaped SUMMARY line), folds lines at 75 octets without
cutting a UTF-8 character, and ends lines with CRLF. Times are written in UTC (`Z`):
no VTIMEZONE to carry, and every calendar app shows them in its own zone. An event's
UID and SEQUENCE let a calendar app replace the copy it holds when a meeting moves or
a session is cancelled.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from email.utils import parseaddr

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event, vCalAddress, vText

PRODID = "-//Portail Convention//Portail Convention//FR"
REQUEST, PUBLISH = "REQUEST", "PUBLISH"


@dataclass(frozen=True)
class CalendarEvent:
    """One VEVENT. An invitation names its attendee, and its organiser (by default the
    portal's sender address)."""

    uid: str
    sequence: int
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    summary: str
    description: str = ""
    location: str = ""
    url: str = ""
    cancelled: bool = False
    attendee_email: str = ""
    organizer_email: str = ""


def organizer_address() -> str:
    """The bare address of DEFAULT_FROM_EMAIL (the invitations' organiser)."""
    return parseaddr(settings.DEFAULT_FROM_EMAIL)[1] or "noreply@localhost"


def _utc(value: datetime.datetime) -> datetime.datetime:
    return value.astimezone(datetime.UTC)


def _event(event: CalendarEvent, stamp: datetime.datetime) -> Event:
    vevent = Event()
    vevent.add("uid", vText(event.uid))
    vevent.add("sequence", event.sequence)
    vevent.add("dtstamp", _utc(stamp))
    vevent.add("dtstart", _utc(event.starts_at))
    vevent.add("dtend", _utc(event.ends_at))
    vevent.add("summary", vText(event.summary))
    if event.description:
        vevent.add("description", vText(event.description))
    if event.location:
        vevent.add("location", vText(event.location))
    if event.url:
        vevent.add("url", event.url)
    if event.attendee_email:
        organizer = event.organizer_email or organizer_address()
        vevent.add("organizer", vCalAddress(f"mailto:{organizer}"))
        attendee = vCalAddress(f"mailto:{event.attendee_email}")
        attendee.params.update(
            {"ROLE": "REQ-PARTICIPANT", "PARTSTAT": "NEEDS-ACTION", "RSVP": "FALSE"}
        )
        vevent.add("attendee", attendee)
    vevent.add("status", "CANCELLED" if event.cancelled else "CONFIRMED")
    return vevent


def calendar_text(
    events: Iterable[CalendarEvent],
    *,
    method: str,
    name: str = "",
    stamp: datetime.datetime | None = None,
) -> str:
    """A VCALENDAR holding the events, as RFC 5545 text (CRLF line ends). `method` is
    REQUEST for an invitation, PUBLISH for a file or a feed; `name` titles a feed in
    the calendar app (X-WR-CALNAME); `stamp` (DTSTAMP) defaults to now."""
    stamp = stamp or timezone.now()
    calendar = Calendar()
    calendar.add("version", "2.0")
    calendar.add("prodid", PRODID)
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", method)
    if name:
        calendar.add("x-wr-calname", vText(name))
    for event in events:
        calendar.add_component(_event(event, stamp))
    return calendar.to_ical().decode("utf-8")
