"""Enrolment: one youth or a group, capacity, waiting list promoted in order, refusals."""

import datetime
import threading

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, connections
from django.utils import timezone

from accounts.enums import Role
from audit.models import AuditEntry
from immersion import services
from immersion.enums import EnrolmentStatus, SessionStatus
from immersion.models import Enrolment, Session, SessionLog
from tests.accounts.factories import make_member
from tests.candidates.factories import YouthFactory

from .factories import SessionFactory

pytestmark = pytest.mark.django_db


def test_a_group_takes_the_seats_in_order_and_the_rest_waits(world):
    enrolments = services.enrol_youths(
        actor=world.advisor, session=world.session, youths=world.youths
    )
    assert [e.status for e in enrolments] == [
        EnrolmentStatus.CONFIRMED,
        EnrolmentStatus.CONFIRMED,
        EnrolmentStatus.WAITING,
    ]
    session = Session.objects.get(pk=world.session.pk)
    assert (session.confirmed_count, session.waiting_count) == (2, 1)
    assert session.status == SessionStatus.FULL
    assert SessionLog.objects.filter(session=session, action="mark_full").exists()


def test_cancelling_promotes_the_first_waiting_and_emails_their_advisor(
    world, tasks_in_process, django_capture_on_commit_callbacks
):
    first, second, third = world.youths
    services.enrol_youths(actor=world.advisor, session=world.session, youths=[first, second])
    services.enrol_youths(actor=world.advisor_aix, session=world.session, youths=world.youths_aix)
    services.enrol_youths(actor=world.advisor, session=world.session, youths=[third])
    waiting_aix = Enrolment.objects.get(youth=world.youths_aix[0])
    assert waiting_aix.is_waiting
    cancelled = Enrolment.objects.get(youth=first)
    with django_capture_on_commit_callbacks(execute=True):
        promoted = services.cancel_enrolment(actor=world.advisor, enrolment=cancelled)
    assert [e.youth for e in promoted] == [world.youths_aix[0]]
    assert Enrolment.objects.get(youth=third).is_waiting  # came later, still waiting
    cancelled.refresh_from_db()
    assert cancelled.status == EnrolmentStatus.CANCELLED  # the row stays, as history
    assert [m.to for m in mail.outbox] == [[world.advisor_aix.email]]
    assert "Nassim Aouadi" in mail.outbox[0].body
    # The promotion is in the enrolment's history (the audit trail).
    assert AuditEntry.objects.filter(
        object_repr=f"immersion.Enrolment#{waiting_aix.pk}",
        changes__status=["waiting", "confirmed"],
    ).exists()
    session = Session.objects.get(pk=world.session.pk)
    assert (session.confirmed_count, session.waiting_count, session.status) == (
        2,
        1,
        SessionStatus.FULL,
    )


def test_a_freed_seat_without_anyone_waiting_reopens_the_session(world):
    services.enrol_youths(actor=world.advisor, session=world.session, youths=world.youths[:2])
    services.cancel_enrolment(
        actor=world.advisor, enrolment=Enrolment.objects.get(youth=world.youths[0])
    )
    session = Session.objects.get(pk=world.session.pk)
    assert (session.status, session.confirmed_count) == (SessionStatus.OPEN, 1)


def test_enrolling_the_same_youth_twice_is_refused_and_the_group_with_them(world):
    services.enrol_youths(actor=world.advisor, session=world.session, youths=[world.youths[0]])
    with pytest.raises(ValidationError) as info:
        services.enrol_youths(actor=world.advisor, session=world.session, youths=world.youths)
    assert "Déjà inscrit(e) à cette session" in str(info.value)
    assert Enrolment.objects.count() == 1


def test_enrolling_after_the_deadline_is_refused(world):
    session = SessionFactory(
        host=world.company,
        registration_deadline=timezone.localdate() - datetime.timedelta(days=1),
    )
    with pytest.raises(ValidationError) as info:
        services.enrol_youths(actor=world.advisor, session=session, youths=world.youths[:1])
    assert "date limite d'inscription" in str(info.value)
    assert not Enrolment.objects.exists()


def test_enrolling_into_a_cancelled_or_planned_session_is_refused(world):
    cancelled = SessionFactory(host=world.company, status=SessionStatus.CANCELLED)
    planned = SessionFactory(host=world.company, planned=True)
    with pytest.raises(ValidationError, match="annulée"):
        services.enrol_youths(actor=world.advisor, session=cancelled, youths=world.youths[:1])
    with pytest.raises(ValidationError, match="pas encore ouvertes"):
        services.enrol_youths(actor=world.advisor, session=planned, youths=world.youths[:1])
    assert not Enrolment.objects.exists()


def test_an_advisor_enrols_only_the_youths_of_their_mission_locale(world):
    with pytest.raises(PermissionDenied):
        services.enrol_youths(actor=world.advisor, session=world.session, youths=world.youths_aix)
    with pytest.raises(PermissionDenied):
        services.enrol_youths(
            actor=world.other_advisor, session=world.session, youths=world.youths[:1]
        )
    with pytest.raises(PermissionDenied):
        services.enrol_youths(actor=world.recruiter, session=world.session, youths=world.youths)
    assert not Enrolment.objects.exists()


def test_advisors_enrol_themselves_in_advisor_sessions_only(world):
    meeting = SessionFactory(host=world.ml, for_advisors=True, capacity=1)
    assert services.enrol_self(actor=world.advisor, session=meeting).is_confirmed
    assert services.enrol_self(actor=world.advisor_aix, session=meeting).is_waiting
    with pytest.raises(ValidationError, match="déjà inscrit"):
        services.enrol_self(actor=world.advisor, session=meeting)
    with pytest.raises(PermissionDenied):
        services.enrol_self(actor=world.advisor, session=world.session)  # a youth session
    with pytest.raises(PermissionDenied):
        services.enrol_youths(actor=world.advisor, session=meeting, youths=world.youths[:1])
    with pytest.raises(PermissionDenied):
        services.enrol_self(actor=world.other_advisor, session=meeting)


def test_cancelling_a_session_keeps_the_enrolments_and_tells_every_advisor(
    world, tasks_in_process, django_capture_on_commit_callbacks
):
    services.enrol_youths(actor=world.advisor, session=world.session, youths=world.youths)
    services.enrol_youths(actor=world.advisor_aix, session=world.session, youths=world.youths_aix)
    with django_capture_on_commit_callbacks(execute=True):
        services.transition_session(
            actor=world.lead, session=world.session, action="cancel", reason="Plateau fermé"
        )
    assert Enrolment.objects.active().count() == 4
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [world.advisor.email, world.advisor_aix.email]
    )
    body = next(m.body for m in mail.outbox if m.to == [world.advisor.email])
    assert "Plateau fermé" in body and "Inès Zerbib" in body and "Léa Zerbib" in body
    log = SessionLog.objects.get(session=world.session, action="cancel")
    assert (log.from_status, log.to_status, log.actor) == (
        SessionStatus.FULL,
        SessionStatus.CANCELLED,
        world.lead,
    )
    with pytest.raises(ValidationError):
        services.transition_session(
            actor=world.lead, session=world.session, action="cancel", reason="encore"
        )


def test_cancelling_needs_a_reason(world):
    with pytest.raises(ValidationError) as info:
        services.transition_session(actor=world.lead, session=world.session, action="cancel")
    assert "motif" in str(info.value)
    assert Session.objects.get(pk=world.session.pk).status == SessionStatus.OPEN


def test_raising_the_capacity_promotes_the_waiting_list(
    world, tasks_in_process, django_capture_on_commit_callbacks
):
    services.enrol_youths(actor=world.advisor, session=world.session, youths=world.youths)
    with django_capture_on_commit_callbacks(execute=True):
        session = services.update_session(actor=world.lead, session=world.session, capacity=5)
    assert (session.confirmed_count, session.waiting_count) == (3, 0)
    assert session.status == SessionStatus.OPEN
    assert len(mail.outbox) == 1


def test_the_capacity_never_drops_below_the_people_enrolled(world):
    services.enrol_youths(actor=world.advisor, session=world.session, youths=world.youths[:2])
    with pytest.raises(ValidationError) as info:
        services.update_session(actor=world.lead, session=world.session, capacity=1)
    assert "2 personnes sont déjà inscrites" in str(info.value)
    assert Session.objects.get(pk=world.session.pk).capacity == 2


@pytest.mark.django_db(transaction=True)
def test_twenty_enrolments_at_once_into_ten_seats(transactional_db):
    """20 advisors enrol at the same instant: exactly 10 confirmed, 10 waiting."""
    if connection.vendor != "postgresql":
        pytest.skip("row locks (select_for_update) need PostgreSQL")
    session = SessionFactory(capacity=10)
    ml = session.host.__class__.objects.create(
        kind="mission_locale", name="ML concurrente", region=session.region
    )
    pairs = []
    for i in range(20):
        advisor = make_member(Role.ADVISOR, organisation=ml)
        pairs.append(
            (advisor, YouthFactory(mission_locale=ml, advisor=advisor, first_name=f"J{i}"))
        )
    barrier = threading.Barrier(20)
    errors = []

    def enrol(advisor, youth):
        try:
            barrier.wait()
            services.enrol_youths(actor=advisor, session=session, youths=[youth])
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=enrol, args=pair) for pair in pairs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    statuses = list(Enrolment.objects.filter(session=session).values_list("status", flat=True))
    assert statuses.count(EnrolmentStatus.CONFIRMED) == 10
    assert statuses.count(EnrolmentStatus.WAITING) == 10
    session.refresh_from_db()
    assert (session.confirmed_count, session.waiting_count, session.status) == (
        10,
        10,
        SessionStatus.FULL,
    )
