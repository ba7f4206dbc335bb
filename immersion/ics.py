"""iCalendar (RFC 5545) files of sessions: one session, or the feed of a region.

The escaping of TEXT values and the folding of lines at 75 octets come from
`committees.ics` (general helpers); this module writes PUBLISH calendars of several
VEVENTs, with the session's status (CANCELLED after a cancellation) and SEQUENCE.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.urls import reverse
from django.utils import timezone

from accounts.mail import absolute_url
from committees.ics import escape_text, fold

from .enums import SessionStatus
from .models import Session

PRODID = "-//Portail Convention//Sessions//FR"


def _utc(value: datetime.datetime) -> str:
    return value.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")


def session_uid(session: Session) -> str:
    return f"session-{session.pk}@portail-convention"


def _event_lines(session: Session, stamp: datetime.datetime) -> list[str]:
    url = absolute_url(reverse("immersion:session_detail", args=[session.pk]))
    description = "\n".join(
        part
        for part in (
            session.get_kind_display(),
            str(session.host),
            session.description,
            url,
        )
        if part
    )
    return [
        "BEGIN:VEVENT",
        f"UID:{session_uid(session)}",
        f"SEQUENCE:{session.sequence}",
        f"DTSTAMP:{_utc(stamp)}",
        f"DTSTART:{_utc(session.starts_at)}",
        f"DTEND:{_utc(session.ends_at)}",
        f"SUMMARY:{escape_text(session.title)}",
        f"DESCRIPTION:{escape_text(description)}",
        f"LOCATION:{escape_text(f'{session.place}, {session.city}')}",
        f"URL:{url}",
        "STATUS:CANCELLED" if session.status == SessionStatus.CANCELLED else "STATUS:CONFIRMED",
        "END:VEVENT",
    ]


def sessions_ics(sessions: Iterable[Session], *, name: str) -> str:
    """A VCALENDAR (METHOD:PUBLISH) holding one VEVENT per session, CRLF line ends."""
    stamp = timezone.now()
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape_text(name)}",
    ]
    for session in sessions:
        lines += _event_lines(session, stamp)
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)
