"""The scenario of each email of the youth's space, which sets its own scene:
`tests/test_mail_failures.py` runs them against a relay that stalls, refuses for good
(550) or refuses for now (451), and checks the one HTML layout."""

from __future__ import annotations

import pytest

from accounts.enums import Role
from immersion import services as immersion_services
from tests.accounts.factories import make_member
from tests.immersion.factories import SessionFactory, _in_days
from tests.offers.factories import OfferFactory, ProposalFactory, invite
from tests.outgoing_mail import Scenario
from youthspace import emails, notifications, services, tasks
from youthspace.enums import Answer

from .factories import open_space

pytestmark = pytest.mark.django_db


def _to_youth(kind: str):
    def build() -> Scenario:
        space = open_space()
        return Scenario(
            kind=kind,
            run=lambda: tasks.send_youth_message(kind, "scenario", space.pk),
            recipients=[space.youth.email],
        )

    return build


def _enrolled(space, days: int = 2):
    session = SessionFactory(
        host__region=space.youth.mission_locale.region, starts_at=_in_days(days)
    )
    immersion_services.enrol_youths(
        actor=space.youth.advisor, session=session, youths=[space.youth]
    )
    return session


def _reminder() -> Scenario:
    space = open_space()
    session = _enrolled(space)
    return Scenario(
        kind=emails.SESSION_REMINDER,
        run=lambda: notifications.remind_youths_of_session(session),
        recipients=[space.youth.email],
    )


def _not_coming() -> Scenario:
    space = open_space()
    session = _enrolled(space, days=5)
    answer = services.answer_session(
        space=space, enrolment=session.enrolments.get(), answer=Answer.NOT_COMING
    )
    return Scenario(
        kind=emails.NOT_COMING,
        run=lambda: tasks.send_youth_message(emails.NOT_COMING, str(answer.pk), space.pk),
        recipients=[space.youth.advisor.email],
    )


def _interview() -> Scenario:
    space = open_space(consented=True)
    youth = space.youth
    offer = OfferFactory(published=True, company__region=youth.mission_locale.region)
    proposal = ProposalFactory(youth=youth, offer=offer)
    invite(proposal, make_member(Role.RECRUITER, organisation=offer.company))
    proposal.refresh_from_db()
    return Scenario(
        kind=emails.INTERVIEW,
        run=lambda: notifications.tell_youth_of_interview(proposal),
        recipients=[youth.email],
    )


SCENARIOS = {
    emails.INVITATION: _to_youth(emails.INVITATION),
    emails.SIGN_IN_LINK: _to_youth(emails.SIGN_IN_LINK),
    emails.SESSION_REMINDER: _reminder,
    emails.NOT_COMING: _not_coming,
    emails.INTERVIEW: _interview,
}
