"""Sessions as calendar events: one session's file, or the feed of a region
(METHOD:PUBLISH). `accounts.calendars` writes the iCalendar text; this module says what
of a session goes into its event: its status (CANCELLED after a cancellation) and its
SEQUENCE, so that a subscribed calendar replaces its copy."""

from __future__ import annotations

from collections.abc import Iterable

from django.urls import reverse

from accounts.calendars import PUBLISH, CalendarEvent, calendar_text
from accounts.mail import absolute_url

from .enums import SessionStatus
from .models import Session


def session_uid(session: Session) -> str:
    return f"session-{session.pk}@portail-convention"


def session_event(session: Session) -> CalendarEvent:
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
    return CalendarEvent(
        uid=session_uid(session),
        sequence=session.sequence,
        starts_at=session.starts_at,
        ends_at=session.ends_at,
        summary=session.title,
        description=description,
        location=f"{session.place}, {session.city}",
        url=url,
        cancelled=session.status == SessionStatus.CANCELLED,
    )


def sessions_ics(sessions: Iterable[Session], *, name: str) -> str:
    """A VCALENDAR (METHOD:PUBLISH) holding one VEVENT per session, named `name` in the
    calendar app."""
    return calendar_text((session_event(s) for s in sessions), method=PUBLISH, name=name)
