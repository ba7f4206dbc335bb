"""The scenario of each email of the offers app, set in the app's small world:
`tests/test_mail_failures.py` runs them against a relay that stalls, refuses for good
(550) or refuses for now (451). And what a retry sends once consent is withdrawn."""

from __future__ import annotations

import pytest
from celery.exceptions import Retry

from accounts.enums import EmailStatus
from accounts.mail import deliver_email
from candidates.enums import ConsentMethod
from candidates.services import withdraw_sharing_consent
from offers import emails, services, tasks
from offers.models import OfferTransition, Proposal
from tests.candidates.factories import YouthFactory
from tests.outgoing_mail import Scenario

from .factories import OfferFactory, invite

pytestmark = pytest.mark.django_db


def _submitted(world) -> Scenario:
    offer = OfferFactory(company=world.company, job_role=world.role)
    services.submit_offer(offer=offer, actor=world.recruiter)
    transition = OfferTransition.objects.get(offer=offer)
    return Scenario(
        kind=emails.SUBMITTED,
        run=lambda: tasks.notify_project_leads_of_submission(offer.pk, transition.pk),
        recipients=[world.lead.email],
    )


def _sent_back(world) -> Scenario:
    offer = OfferFactory(company=world.company, job_role=world.role, submitted=True)
    services.send_back_offer(offer=offer, actor=world.lead, reason="Précisez les horaires.")
    transition = OfferTransition.objects.get(offer=offer)
    return Scenario(
        kind=emails.SENT_BACK,
        run=lambda: tasks.notify_recruiters_of_send_back(offer.pk, transition.pk),
        recipients=[world.recruiter.email],
    )


def _published(world) -> Scenario:
    offer = OfferFactory(company=world.company, job_role=world.role, submitted=True)
    services.publish_offer(offer=offer, actor=world.lead)
    return Scenario(
        kind=emails.PUBLISHED,
        run=lambda: tasks.notify_advisors_of_publication(offer.pk),
        recipients=[world.advisor.email, world.advisor_aix.email],
    )


def _expired(world) -> Scenario:
    offer = OfferFactory(company=world.company, job_role=world.role, expired=True)
    return Scenario(
        kind=emails.EXPIRED,
        run=lambda: tasks.notify_recruiters_of_expiry(offer.pk),
        recipients=[world.recruiter.email],
    )


def _proposed(world) -> Scenario:
    offer = OfferFactory(company=world.company, job_role=world.role, published=True)
    youth = YouthFactory(mission_locale=world.ml, advisor=world.advisor, consented=True)
    proposal = services.propose_youth(offer=offer, youth=youth, actor=world.advisor)
    return Scenario(
        kind=emails.PROPOSED,
        run=lambda: tasks.notify_recruiters_of_proposal(proposal.pk),
        recipients=[world.recruiter.email],
    )


def _published_for_company(world) -> Scenario:
    offer = OfferFactory(company=world.company, job_role=world.role, submitted=True)
    services.publish_offer(offer=offer, actor=world.lead)
    return Scenario(
        kind=emails.PUBLISHED_FOR_COMPANY,
        run=lambda: tasks.notify_recruiters_of_publication(offer.pk),
        recipients=[world.recruiter.email],
    )


def _interview(world) -> Scenario:
    offer = OfferFactory(company=world.company, job_role=world.role, published=True)
    youth = YouthFactory(mission_locale=world.ml, advisor=world.advisor, consented=True)
    proposal = services.propose_youth(offer=offer, youth=youth, actor=world.advisor)
    invite(proposal, world.recruiter)
    return Scenario(
        kind=emails.INTERVIEW,
        run=lambda: tasks.notify_advisors_of_interview(proposal.pk),
        recipients=[world.advisor.email],
    )


SCENARIOS = {
    emails.PUBLISHED_FOR_COMPANY: _published_for_company,
    emails.INTERVIEW: _interview,
    emails.SUBMITTED: _submitted,
    emails.SENT_BACK: _sent_back,
    emails.PUBLISHED: _published,
    emails.EXPIRED: _expired,
    emails.PROPOSED: _proposed,
}


def test_a_proposal_email_waiting_for_its_retry_is_dropped_when_consent_is_withdrawn(
    world, relay, tasks_in_process
):
    """Refused for now, then the youth withdraws consent: the retry sends nothing."""
    scenario = _proposed(world)
    relay.refuse_for_now = 1
    before = len(relay.messages)
    with pytest.raises(Retry):
        scenario.run()
    row = scenario.rows().get()
    assert row.status == EmailStatus.PENDING
    withdraw_sharing_consent(
        youth=Proposal.objects.get().youth, actor=world.advisor, method=ConsentMethod.EMAIL
    )
    assert deliver_email(email_id=row.pk, final_attempt=False) == "skipped"
    assert relay.messages[before:] == []
