"""The immersion app's lists as spreadsheets: the sessions list and a session's roster,
with the columns of their pages, written by the portal's one export writer
(`reporting.exports.list_export`).

A roster names each youth as its page does, through `roster_entries`, which both read:
`candidates.sharing.youth_as_seen_by` (`can_see_shared_profile`, consent included), so a
host or a company reads a consenting youth's shared label and mission locale, and any
other youth as "Participant·e N" with nothing more."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from candidates.sharing import youth_as_seen_by
from reporting.exports import EXPORT_CHUNK, Column

from .sharing import participant_placeholder


def roster_entries(session, user, *, chunked: bool = False):
    """(enrolment, label, mission locale) for everyone enrolled, in the roster's order:
    advisors by name, youths as `user` may see them ("Participant·e N", N the row's
    place, when hidden, and then no mission locale either). `chunked` reads the rows in
    chunks (an export); the page reads its few rows at once."""
    enrolments = session.enrolments.for_roster()
    if chunked:
        enrolments = enrolments.iterator(chunk_size=EXPORT_CHUNK)
    for number, enrolment in enumerate(enrolments, start=1):
        if enrolment.youth_id:
            seen = youth_as_seen_by(
                user, enrolment.youth, placeholder=participant_placeholder(number)
            )
            organisation = "" if seen.is_hidden else enrolment.youth.mission_locale
            yield enrolment, seen.label, organisation
        else:
            yield enrolment, str(enrolment.participant), ""


def places(session) -> str:
    """The "Places" cell as the list shows it: "3 / 10", and "(+2 en attente)"."""
    text = f"{session.confirmed_count} / {session.capacity}"
    if session.waiting_count:
        text += f" (+{session.waiting_count} {_('en attente')})"
    return text


SESSION_COLUMNS = [
    Column(_("Date"), lambda session: session.starts_at),
    Column(_("Session"), lambda session: session.title),
    Column(_("Programme"), lambda session: session.get_kind_display()),
    Column(_("Accueil"), lambda session: session.host.name),
    Column(_("Lieu"), lambda session: session.city),
    Column(_("Public"), lambda session: session.get_audience_display()),
    Column(_("Places"), places),
    Column(_("État"), lambda session: session.get_status_display()),
]


def attendance(enrolment) -> str:
    """The "Présence" cell: the attendance recorded and the host's assessment, if any."""
    text = enrolment.get_attendance_display() or "—"
    if enrolment.host_assessment:
        text += f" · {enrolment.get_host_assessment_display()}"
    return text


#: A row per `roster_entries` entry: (enrolment, label, mission locale).
ROSTER_COLUMNS = [
    Column(_("Participant"), lambda entry: entry[1]),
    Column(_("Mission locale"), lambda entry: str(entry[2]) if entry[2] else "—"),
    Column(_("Inscription"), lambda entry: entry[0].get_status_display()),
    Column(_("Présence"), lambda entry: attendance(entry[0])),
]
