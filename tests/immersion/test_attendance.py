"""Attendance after the session, the host's assessment, and the youth's pathway."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from candidates.enums import PathwayStage
from candidates.models import PathwayEvent
from candidates.timeline import build_timeline
from immersion import services
from immersion.enums import (
    Attendance,
    EnrolmentStatus,
    HostAssessment,
    ProgrammeKind,
    SessionStatus,
)
from immersion.models import Enrolment, Session
from tests.candidates.factories import YouthFactory

from .factories import SessionFactory

pytestmark = pytest.mark.django_db


def _enrolled(session, youth, status=EnrolmentStatus.CONFIRMED):
    enrolment = Enrolment.objects.create(
        session=session, youth=youth, status=status, enrolled_by=youth.advisor
    )
    Session.objects.filter(pk=session.pk).update(confirmed_count=1)
    return enrolment


@pytest.mark.parametrize(
    ("kind", "stage"),
    [
        (ProgrammeKind.JOB_MEETING, PathwayStage.DISCOVERY),
        (ProgrammeKind.IMMERSION_DAY, PathwayStage.IMMERSION),
        (ProgrammeKind.APPRENTICESHIP, PathwayStage.TRAINING),
    ],
)
def test_attending_moves_the_pathway_with_the_enrolment_as_source(world, kind, stage):
    session = SessionFactory(host=world.company, kind=kind, past=True)
    youth = world.youths[0]
    enrolment = _enrolled(session, youth)
    services.record_attendance(actor=world.recruiter, enrolment=enrolment, attendance="attended")
    youth.refresh_from_db()
    assert youth.current_stage == stage
    event = PathwayEvent.objects.get(youth=youth, stage=stage)
    assert event.source == f"immersion.Enrolment#{enrolment.pk}"
    assert event.source_reference == ("immersion.Enrolment", enrolment.pk)
    assert event.author == world.recruiter
    assert Session.objects.get(pk=session.pk).status == SessionStatus.HELD
    # Recorded again (a correction), the pathway does not move twice.
    services.record_attendance(actor=world.recruiter, enrolment=enrolment, attendance="attended")
    assert PathwayEvent.objects.filter(youth=youth, stage=stage).count() == 1


def test_a_no_show_does_not_move_the_pathway_and_a_hired_youth_never_moves_back(world):
    session = SessionFactory(host=world.company, kind=ProgrammeKind.OPEN_DAY, past=True)
    youth = world.youths[0]
    services.record_attendance(
        actor=world.lead, enrolment=_enrolled(session, youth), attendance="no_show"
    )
    youth.refresh_from_db()
    assert youth.current_stage == PathwayStage.INFORMATION
    hired = YouthFactory(mission_locale=world.ml, advisor=world.advisor, hired=True)
    other = SessionFactory(host=world.company, kind=ProgrammeKind.OPEN_DAY, past=True)
    services.record_attendance(
        actor=world.lead, enrolment=_enrolled(other, hired), attendance="attended"
    )
    hired.refresh_from_db()
    assert hired.current_stage == PathwayStage.HIRED


def test_the_host_assesses_immersion_days_only_and_only_people_present(world):
    session = SessionFactory(host=world.company, past=True)
    enrolment = _enrolled(session, world.youths[0])
    with pytest.raises(ValidationError) as info:
        services.record_attendance(
            actor=world.recruiter,
            enrolment=enrolment,
            attendance=Attendance.NO_SHOW,
            host_assessment=HostAssessment.RECOMMEND,
        )
    assert "personne présente" in str(info.value)
    services.record_attendance(
        actor=world.recruiter,
        enrolment=enrolment,
        attendance=Attendance.ATTENDED,
        host_assessment=HostAssessment.TO_CONFIRM,
        host_comment="Bonne écoute, à revoir sur la vente.",
    )
    enrolment.refresh_from_db()
    assert enrolment.host_assessment == HostAssessment.TO_CONFIRM
    training = SessionFactory(host=world.training, kind=ProgrammeKind.TRAINING, past=True)
    with pytest.raises(ValidationError, match="journées d'immersion"):
        services.record_attendance(
            actor=world.partner,
            enrolment=_enrolled(training, world.youths[1]),
            attendance=Attendance.ATTENDED,
            host_assessment=HostAssessment.RECOMMEND,
        )


def test_attendance_waits_for_the_session_and_for_a_confirmed_seat(world):
    enrolment = _enrolled(world.session, world.youths[0])
    with pytest.raises(ValidationError, match="une fois la session commencée"):
        services.record_attendance(actor=world.lead, enrolment=enrolment, attendance="attended")
    past = SessionFactory(host=world.company, past=True)
    waiting = _enrolled(past, world.youths[1], status=EnrolmentStatus.WAITING)
    with pytest.raises(ValidationError, match="liste d'attente"):
        services.record_attendance(actor=world.lead, enrolment=waiting, attendance="attended")
    ok = _enrolled(past, world.youths[2])
    for outsider in (world.advisor, world.other_lead, world.partner):
        with pytest.raises(PermissionDenied):
            services.record_attendance(actor=outsider, enrolment=ok, attendance="attended")


def test_the_timeline_shows_the_session_and_its_outcome(world):
    session = SessionFactory(host=world.company, past=True, title="Immersion au plateau du Prado")
    youth = world.youths[0]
    services.record_attendance(
        actor=world.recruiter,
        enrolment=_enrolled(session, youth),
        attendance="attended",
        host_assessment="recommend",
    )
    entries = build_timeline(youth)
    session_entry = next(e for e in entries if e.kind == "session")
    assert "Immersion au plateau du Prado" in session_entry.title
    assert "Présent(e)" in session_entry.text and "Je recommande" in session_entry.text
    assert session_entry.day == session.start_day
    assert session_entry.url.endswith(f"/sessions/{session.pk}/")
    assert any(e.title == "Étape : Immersion" for e in entries)
    assert session_entry.day <= datetime.date.today()
