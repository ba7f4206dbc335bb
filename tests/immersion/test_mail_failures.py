"""The scenario of each email of the immersion app, set in the app's small world:
`tests/test_mail_failures.py` runs them against a relay that stalls, refuses for good
(550) or refuses for now (451)."""

from __future__ import annotations

import pytest

from accounts.enums import EmailStatus
from accounts.mail import record_emails
from accounts.models import OutgoingEmail
from immersion import emails, services, tasks
from immersion.enums import SessionStatus
from immersion.models import Enrolment, Session
from tests.candidates.factories import YouthFactory
from tests.offers.factories import OfferFactory
from tests.outgoing_mail import Scenario

from .factories import CaeContractFactory, CohortFactory, enrolled_session_in_two_days

pytestmark = pytest.mark.django_db


def _promotion(world) -> Scenario:
    first, second, _third = world.youths
    services.enrol_youths(actor=world.advisor, session=world.session, youths=[first, second])
    services.enrol_youths(actor=world.advisor_aix, session=world.session, youths=world.youths_aix)
    (promoted,) = services.cancel_enrolment(
        actor=world.advisor, enrolment=Enrolment.objects.get(youth=first)
    )
    return Scenario(
        kind=emails.PROMOTION,
        run=lambda: tasks.notify_promotion(promoted.pk),
        recipients=[world.advisor_aix.email],
    )


def _cancelled(world) -> Scenario:
    services.enrol_youths(actor=world.advisor, session=world.session, youths=world.youths[:1])
    services.enrol_youths(actor=world.advisor_aix, session=world.session, youths=world.youths_aix)
    # Cancelled as the service does, without its own on-commit notice.
    Session.objects.filter(pk=world.session.pk).update(status=SessionStatus.CANCELLED)
    return Scenario(
        kind=emails.CANCELLED,
        run=lambda: tasks.notify_session_cancelled(world.session.pk),
        recipients=[world.advisor.email, world.advisor_aix.email],
    )


def _reminder(world, kind: str, recipients: list) -> Scenario:
    """The reminder task sends the advisors' reminders, then the host's: the other kind
    already left (its failures have their own scenario), so the relay fails this one."""
    session = enrolled_session_in_two_days(world)
    other = emails.REMINDER_HOST if kind == emails.REMINDER_ADVISOR else emails.REMINDER_ADVISOR
    others = (
        [world.recruiter] if other == emails.REMINDER_HOST else [world.advisor, world.advisor_aix]
    )
    record_emails(kind=other, key=str(session.pk), recipient_ids=[user.pk for user in others])
    OutgoingEmail.objects.filter(kind=other).update(status=EmailStatus.SENT)
    return Scenario(
        kind=kind,
        run=lambda: tasks.send_session_reminders(session.pk),
        recipients=[user.email for user in recipients],
    )


def _reminder_advisor(world) -> Scenario:
    return _reminder(world, emails.REMINDER_ADVISOR, [world.advisor, world.advisor_aix])


def _reminder_host(world) -> Scenario:
    return _reminder(world, emails.REMINDER_HOST, [world.recruiter])


def _pool_request(world):
    youth = YouthFactory(mission_locale=world.ml, advisor=world.advisor, consented=True)
    CaeContractFactory(cohort=CohortFactory(region=world.paca), youth=youth)
    offer = OfferFactory(company=world.company, published=True)
    return services.request_pool_proposal(recruiter=world.recruiter, youth=youth, offer=offer)


def _pool_request_sent(world) -> Scenario:
    pool_request = _pool_request(world)
    return Scenario(
        kind=emails.POOL_REQUEST,
        run=lambda: tasks.notify_pool_request(pool_request.pk),
        recipients=[world.advisor.email],
    )


def _pool_answer(world) -> Scenario:
    pool_request = _pool_request(world)
    services.answer_pool_request(
        actor=world.advisor, pool_request=pool_request, action="decline", note="Déjà en poste."
    )
    return Scenario(
        kind=emails.POOL_ANSWER,
        run=lambda: tasks.notify_pool_answer(pool_request.pk),
        recipients=[world.recruiter.email],
    )


SCENARIOS = {
    emails.PROMOTION: _promotion,
    emails.CANCELLED: _cancelled,
    emails.REMINDER_ADVISOR: _reminder_advisor,
    emails.REMINDER_HOST: _reminder_host,
    emails.POOL_REQUEST: _pool_request_sent,
    emails.POOL_ANSWER: _pool_answer,
}
