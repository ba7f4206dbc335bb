"""The enrolments on the youth's timeline, read as plain rows
(`immersion.timeline.youth_timeline_parts`, read by `candidates.timeline.read_parts`): the same entries as read through the
models, whatever the session's title, the host's name or who enrolled the youth."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils.translation import gettext as _

from candidates.timeline import TimelineEntry, read_parts
from immersion.enums import Attendance, EnrolmentStatus, SessionStatus
from immersion.models import Enrolment
from immersion.timeline import youth_timeline_parts
from tests.accounts.factories import UserFactory
from tests.payloads import CRLF, STORABLE

from .factories import SessionFactory

pytestmark = pytest.mark.django_db


def _as_read_through_the_models(youth) -> list[TimelineEntry]:
    """The enrolments' entries as the timeline wrote them from the models, before the rows."""
    entries = []
    enrolments = (
        Enrolment.objects.filter(youth=youth)
        .select_related("session", "session__host", "enrolled_by")
        .order_by("pk")
    )
    for enrolment in enrolments:
        session = enrolment.session
        parts = [session.get_kind_display(), str(session.host)]
        if session.is_cancelled:
            parts.append(_("session annulée"))
        elif enrolment.attendance:
            parts.append(enrolment.get_attendance_display())
        else:
            parts.append(enrolment.get_status_display())
        if enrolment.host_assessment:
            parts.append(f"avis de l'entreprise : {enrolment.get_host_assessment_display()}")
        entries.append(
            TimelineEntry(
                session.start_day,
                "session",
                f"Session : {session.title}",
                " · ".join(parts),
                str(enrolment.enrolled_by or ""),
                url=reverse("immersion:session_detail", args=[session.pk]),
                order=enrolment.pk,
            )
        )
    return entries


@pytest.mark.parametrize("payload", [*STORABLE, CRLF], ids=str)
def test_the_rows_give_the_entries_the_models_gave(world, payload):
    youth = world.youths[0]
    world.company.name = payload.text
    world.company.save()
    nameless = UserFactory(first_name="", last_name="")
    youth.advisor.first_name = payload.text
    youth.advisor.save()
    for enrolled_by, status, attendance, assessment, session_status in (
        (youth.advisor, EnrolmentStatus.CONFIRMED, Attendance.ATTENDED, "recommend", None),
        (nameless, EnrolmentStatus.WAITING, "", "", None),
        (None, EnrolmentStatus.CONFIRMED, "", "", SessionStatus.CANCELLED),
    ):
        session = SessionFactory(host=world.company, past=True, title=payload.text)
        if session_status:
            session.status = session_status
            session.save()
        Enrolment.objects.create(
            session=session,
            youth=youth,
            status=status,
            enrolled_by=enrolled_by,
            attendance=attendance,
            host_assessment=assessment,
        )
    entries = [entry for entry in read_parts(youth_timeline_parts(youth)) if entry.url]
    assert entries == _as_read_through_the_models(youth)
    assert len(entries) == 3
    assert {entry.author for entry in entries} >= {nameless.email, ""}
    assert "Je recommande" in entries[0].text
