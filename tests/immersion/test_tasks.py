"""Reminders two days before, safe to run twice; the worker path to the SMTP server."""

import datetime
import re

import pytest
from django.core import mail
from django.utils import timezone

from accounts.enums import EmailStatus
from accounts.models import OutgoingEmail
from candidates.enums import ConsentMethod
from candidates.services import record_sharing_consent
from immersion import services
from immersion.enums import SessionStatus
from immersion.tasks import remind_upcoming_sessions, send_session_reminders

from .factories import SessionFactory, _in_days, enrolled_session_in_two_days

pytestmark = pytest.mark.django_db


@pytest.fixture
def session_in_two_days(world):
    return enrolled_session_in_two_days(world, title="Journée plateau Méditel")


def test_advisors_and_the_host_are_reminded_once(world, session_in_two_days, tasks_in_process):
    # Inès and Nassim share their profile with companies; Yanis does not.
    record_sharing_consent(youth=world.youths[0], actor=world.advisor, method=ConsentMethod.EMAIL)
    record_sharing_consent(
        youth=world.youths_aix[0], actor=world.advisor_aix, method=ConsentMethod.EMAIL
    )
    other_day = SessionFactory(host=world.company, starts_at=_in_days(3))
    services.enrol_youths(actor=world.advisor, session=other_day, youths=world.youths[2:])
    assert remind_upcoming_sessions() == {"sessions": 1}
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert recipients == sorted(
        [world.advisor.email, world.advisor_aix.email, world.recruiter.email]
    )
    advisor_mail = next(m for m in mail.outbox if m.to == [world.advisor.email])
    assert "Inès Zerbib" in advisor_mail.body and "Yanis Zerbib" in advisor_mail.body
    assert "Nassim" not in advisor_mail.body
    host_mail = next(m for m in mail.outbox if m.to == [world.recruiter.email])
    assert "Participants inscrits (3)" in host_mail.body
    assert "Inès Z." in host_mail.body and "Zerbib" not in host_mail.body
    assert "Nassim A. (Mission locale d'Aix)" in host_mail.body
    # The youth who never consented: a number, no name, no mission locale.
    assert "Yanis" not in host_mail.body and "- Participant·e 2\n" in host_mail.body
    remind_upcoming_sessions()  # run twice: nothing new
    send_session_reminders(session_in_two_days.pk)
    assert len(mail.outbox) == 3
    assert OutgoingEmail.objects.filter(status=EmailStatus.SENT).count() == 3


def test_a_cancelled_session_gets_no_reminder(world, session_in_two_days):
    session_in_two_days.status = SessionStatus.CANCELLED
    session_in_two_days.save()
    assert send_session_reminders(session_in_two_days.pk) == {"queued": 0}
    assert remind_upcoming_sessions((timezone.localdate()).isoformat()) == {"sessions": 0}
    assert mail.outbox == []


def test_remind_is_keyed_on_the_day_given(world, session_in_two_days, tasks_in_process):
    yesterday = (timezone.localdate() - datetime.timedelta(days=1)).isoformat()
    assert remind_upcoming_sessions(yesterday) == {"sessions": 0}
    assert mail.outbox == []


@pytest.mark.django_db(transaction=True)
def test_the_cancellation_email_goes_through_the_real_worker(
    transactional_db, celery_worker, world
):
    services.enrol_youths(actor=world.advisor, session=world.session, youths=world.youths[:2])
    before = len(celery_worker.smtp.messages)
    services.transition_session(
        actor=world.lead, session=world.session, action="cancel", reason="Plateau en travaux"
    )
    messages = celery_worker.smtp.wait_for(before + 1)
    mine = [m for m in messages[before:] if m["To"] == world.advisor.email]
    assert len(mine) == 1, celery_worker.log()
    body = mine[0].get_body(preferencelist=("plain",)).get_content()
    assert "Plateau en travaux" in body and "Inès Zerbib" in body
    assert "Session annulée" in mine[0]["Subject"]


def test_advisors_hear_of_their_people_still_waiting(world, session_in_two_days, tasks_in_process):
    """The session is full (3 seats): the advisor's two more youths wait, ranked; the
    host learns how many wait, not who."""
    from tests.candidates.factories import YouthFactory

    sami = YouthFactory(
        mission_locale=world.ml, advisor=world.advisor, first_name="Sami", last_name="Zerbib"
    )
    services.enrol_youths(
        actor=world.advisor, session=session_in_two_days, youths=[world.youths[2]]
    )
    services.enrol_youths(actor=world.advisor, session=session_in_two_days, youths=[sami])
    send_session_reminders(session_in_two_days.pk)
    advisor_mail = next(m for m in mail.outbox if m.to == [world.advisor.email])
    confirmed_part, waiting_part = advisor_mail.body.split("Toujours en liste d'attente")
    assert "Inès Zerbib" in confirmed_part and "Yanis Zerbib" in confirmed_part
    for rank, name in enumerate(["Léa Zerbib", "Sami Zerbib"], start=1):
        assert f"{name}, rang {rank} sur la liste d'attente" in waiting_part
        assert name not in confirmed_part
    aix_mail = next(m for m in mail.outbox if m.to == [world.advisor_aix.email])
    assert "liste d'attente" not in aix_mail.body
    host_mail = next(m for m in mail.outbox if m.to == [world.recruiter.email])
    assert "Participants inscrits (3)" in host_mail.body
    assert "2 personnes attendent sur la liste d'attente" in host_mail.body
    assert "Léa" not in host_mail.body and "Sami" not in host_mail.body


def test_the_waiting_rank_is_the_promotion_order(world, session_in_two_days, tasks_in_process):
    """The person ranked first in the reminder is the one a freed seat goes to, and then
    the second."""
    from immersion.models import Enrolment
    from tests.candidates.factories import YouthFactory

    sami = YouthFactory(
        mission_locale=world.ml, advisor=world.advisor, first_name="Sami", last_name="Zerbib"
    )
    services.enrol_youths(actor=world.advisor, session=session_in_two_days, youths=[sami])
    services.enrol_youths(
        actor=world.advisor, session=session_in_two_days, youths=[world.youths[2]]
    )
    send_session_reminders(session_in_two_days.pk)
    advisor_mail = next(m for m in mail.outbox if m.to == [world.advisor.email])
    waiting_part = advisor_mail.body.split("Toujours en liste d'attente")[1]
    ranked = re.findall(r"- (\w+ \w+), rang (\d) sur la liste d'attente", waiting_part)
    assert [rank for _name, rank in ranked] == ["1", "2"]
    confirmed = Enrolment.objects.filter(
        session=session_in_two_days, youth__in=world.youths[:2]
    ).order_by("pk")
    for seat, (name, _rank) in zip(confirmed, ranked, strict=True):
        promoted = services.cancel_enrolment(actor=world.advisor, enrolment=seat)
        assert [str(e.youth) for e in promoted] == [name]
