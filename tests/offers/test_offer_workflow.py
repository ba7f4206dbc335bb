"""The offer's life cycle: draft -> submitted -> published -> closed states, through the
services, with the log, the notices and the refusals."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from accounts.enums import EmailStatus
from accounts.models import OutgoingEmail
from offers import services
from offers.emails import PUBLISHED
from offers.enums import ContractType, NoticeKind, OfferAction, OfferStatus, ProposalStatus
from offers.models import Offer, OfferNotice, OfferTransition
from offers.permissions import can_accompany
from offers.tasks import (
    expire_offers_past_closing_date,
    notify_advisors_of_publication,
    notify_recruiters_of_publication,
)
from tests.accounts.factories import UserFactory

from .factories import OfferFactory, ProposalFactory

pytestmark = pytest.mark.django_db


def offer_fields(world, **overrides):
    today = timezone.localdate()
    fields = {
        "job_role": world.role,
        "contract_type": ContractType.CDI,
        "positions": 3,
        "weekly_hours": 35,
        "postcode": "13015",
        "city": "Marseille",
        "start_date": today + timedelta(days=10),
        "closing_date": today + timedelta(days=40),
        "description": "Réception d'appels.",
        "requirements": "",
    }
    fields.update(overrides)
    return fields


def test_a_recruiter_saves_an_incomplete_draft_then_cannot_submit_it(world):
    offer = services.create_offer(
        actor=world.recruiter,
        company=world.company,
        job_role=world.role,
        contract_type=ContractType.CDD,
        positions=2,
    )
    assert offer.is_draft and offer.region == world.paca
    with pytest.raises(ValidationError) as exc:
        services.submit_offer(offer=offer, actor=world.recruiter)
    assert "Complétez l'offre" in exc.value.messages[0]
    assert "date de début" in exc.value.messages[0]
    offer.refresh_from_db()
    assert offer.is_draft and not offer.transitions.exists()


@pytest.mark.parametrize("positions", [0, -3])
def test_zero_or_negative_positions_are_refused(world, positions):
    with pytest.raises(ValidationError) as exc:
        services.create_offer(
            actor=world.recruiter, company=world.company, **offer_fields(world, positions=positions)
        )
    assert "positions" in exc.value.message_dict
    assert not Offer.objects.exists()


def test_a_closing_date_before_the_start_date_is_refused(world):
    today = timezone.localdate()
    with pytest.raises(ValidationError) as exc:
        services.create_offer(
            actor=world.recruiter,
            company=world.company,
            **offer_fields(
                world, start_date=today + timedelta(days=10), closing_date=today + timedelta(days=5)
            ),
        )
    assert "La date de clôture ne peut précéder la date de début." in exc.value.messages
    assert not Offer.objects.exists()


def test_a_recruiter_cannot_post_for_another_company(world):
    with pytest.raises(PermissionDenied):
        services.create_offer(
            actor=world.recruiter, company=world.other_company, **offer_fields(world)
        )


def test_submission_reaches_the_regions_project_lead(
    world, tasks_in_process, django_capture_on_commit_callbacks
):
    offer = services.create_offer(
        actor=world.recruiter, company=world.company, **offer_fields(world)
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.submit_offer(offer=offer, actor=world.recruiter)
    offer.refresh_from_db()
    assert offer.status == OfferStatus.SUBMITTED and offer.submitted_at
    log = offer.transitions.get()
    assert (log.action, log.from_status, log.to_status, log.actor) == (
        OfferAction.SUBMIT,
        OfferStatus.DRAFT,
        OfferStatus.SUBMITTED,
        world.recruiter,
    )
    assert [m.to for m in mail.outbox] == [[world.lead.email]]
    assert "Offre à valider" in mail.outbox[0].subject
    assert not OutgoingEmail.objects.filter(recipient=world.lead_lyon).exists()


def test_the_project_lead_sends_back_with_a_reason_and_the_recruiter_is_told(
    world, tasks_in_process, django_capture_on_commit_callbacks
):
    offer = OfferFactory(company=world.company, submitted=True, created_by=world.recruiter)
    with pytest.raises(ValidationError) as exc:
        services.send_back_offer(offer=offer, actor=world.lead, reason="  ")
    assert "reason" in exc.value.message_dict
    with django_capture_on_commit_callbacks(execute=True):
        services.send_back_offer(offer=offer, actor=world.lead, reason="Précisez les horaires.")
    offer.refresh_from_db()
    assert offer.is_draft
    log = offer.transitions.get()
    assert (log.from_status, log.to_status, log.reason) == (
        OfferStatus.SUBMITTED,
        OfferStatus.DRAFT,
        "Précisez les horaires.",
    )
    assert [m.to for m in mail.outbox] == [[world.recruiter.email]]
    assert "Précisez les horaires." in mail.outbox[0].body


def test_only_the_regions_project_lead_publishes(world):
    offer = OfferFactory(company=world.company, submitted=True)
    for outsider in (world.recruiter, world.lead_lyon, world.advisor):
        with pytest.raises(PermissionDenied):
            services.publish_offer(offer=offer, actor=outsider)
    offer.refresh_from_db()
    assert offer.status == OfferStatus.SUBMITTED and not offer.transitions.exists()


def test_publishing_a_draft_is_an_illegal_transition(world):
    offer = OfferFactory(company=world.company)
    with pytest.raises(ValidationError) as exc:
        services.publish_offer(offer=offer, actor=world.lead)
    assert "Action impossible : l'offre est « Brouillon »." in exc.value.messages


def test_publication_notifies_the_regions_advisors_once(
    world, tasks_in_process, django_capture_on_commit_callbacks
):
    offer = OfferFactory(company=world.company, submitted=True)
    with django_capture_on_commit_callbacks(execute=True):
        services.publish_offer(offer=offer, actor=world.lead)
    offer.refresh_from_db()
    assert offer.is_published and offer.published_at
    to_advisors = [m for m in mail.outbox if m.to[0] != world.recruiter.email]
    recipients = sorted(m.to[0] for m in to_advisors)
    assert recipients == sorted([world.advisor.email, world.advisor_aix.email])
    assert world.advisor_lyon.email not in recipients
    # The recruiter who posted it hears that it is published, once.
    (to_recruiter,) = [m for m in mail.outbox if m.to[0] == world.recruiter.email]
    assert to_recruiter.subject.endswith(f"Votre offre « {offer.job_role} » est publiée")
    assert "peuvent désormais vous proposer des jeunes" in to_recruiter.body
    assert notify_recruiters_of_publication(offer.pk) == {"queued": 0}
    # Each advisor has the offer in their "new offers" list, and their email is sent.
    notices = OfferNotice.objects.filter(kind=NoticeKind.PUBLISHED, offer=offer)
    assert notices.count() == 2
    emails = OutgoingEmail.objects.filter(kind=PUBLISHED, key=str(offer.pk))
    assert {e.recipient_id for e in emails} == {n.recipient_id for n in notices}
    assert all(e.status == EmailStatus.SENT for e in emails)
    # The task run again (a retry, a duplicate delivery): nobody hears twice.
    assert notify_advisors_of_publication(offer.pk) == {"queued": 0}
    assert notices.count() == 2
    assert len(mail.outbox) == 3


def test_more_than_ten_positions_are_accompanied_by_the_publishing_lead(world):
    offer = OfferFactory(company=world.company, submitted=True, large=True)
    assert offer.needs_accompaniment
    services.publish_offer(offer=offer, actor=world.lead)
    offer.refresh_from_db()
    assert offer.accompanied_by == world.lead
    small = OfferFactory(company=world.company, submitted=True, positions=10)
    services.publish_offer(offer=small, actor=world.lead)
    small.refresh_from_db()
    assert not small.needs_accompaniment and small.accompanied_by is None


def test_another_lead_of_the_region_takes_over_the_accompaniment(world):
    from accounts.enums import Role
    from tests.accounts.factories import make_member

    offer = OfferFactory(
        company=world.company, published=True, large=True, accompanied_by=world.lead
    )
    colleague = make_member(Role.PROJECT_LEAD, region=world.paca)
    services.take_over_accompaniment(offer=offer, actor=colleague)
    offer.refresh_from_db()
    assert offer.accompanied_by == colleague
    with pytest.raises(PermissionDenied):
        services.take_over_accompaniment(offer=offer, actor=world.lead_lyon)
    # The button: for a lead of the region who does not accompany it yet, while open.
    assert can_accompany(world.lead, offer) and not can_accompany(colleague, offer)
    assert not can_accompany(world.lead_lyon, offer)
    assert not can_accompany(UserFactory(admin=True), offer)
    small = OfferFactory(company=world.company, published=True)
    assert not can_accompany(world.lead, small)
    services.close_offer(offer=offer, actor=world.recruiter)
    offer.refresh_from_db()
    assert not can_accompany(world.lead, offer)


def test_withdrawing_declines_the_open_proposals(world):
    offer = OfferFactory(company=world.company, published=True)
    proposal = ProposalFactory(offer=offer)
    services.withdraw_offer(offer=offer, actor=world.recruiter, reason="Budget gelé.")
    offer.refresh_from_db()
    proposal.refresh_from_db()
    assert offer.status == OfferStatus.WITHDRAWN and offer.closed_at
    assert proposal.status == ProposalStatus.DECLINED
    assert offer.transitions.get().reason == "Budget gelé."


def test_closing_lands_on_partly_filled_or_closed_unfilled(world):
    empty = OfferFactory(company=world.company, published=True)
    services.close_offer(offer=empty, actor=world.recruiter)
    empty.refresh_from_db()
    assert empty.status == OfferStatus.CLOSED_UNFILLED
    half = OfferFactory(company=world.company, published=True, positions=3, positions_filled=1)
    services.close_offer(offer=half, actor=world.recruiter)
    half.refresh_from_db()
    assert half.status == OfferStatus.PARTLY_FILLED


def test_a_withdrawn_offer_cannot_be_withdrawn_again(world):
    offer = OfferFactory(company=world.company, withdrawn=True)
    with pytest.raises(ValidationError):
        services.withdraw_offer(offer=offer, actor=world.recruiter)


def test_expiry_job_expires_past_offers_and_tells_the_recruiter_once(
    world, tasks_in_process, django_capture_on_commit_callbacks
):
    today = timezone.localdate()
    due = OfferFactory(
        company=world.company,
        published=True,
        created_by=world.recruiter,
        start_date=today - timedelta(days=20),
        closing_date=today - timedelta(days=1),
    )
    not_due = OfferFactory(
        company=world.company, published=True, start_date=today, closing_date=today
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert expire_offers_past_closing_date() == {"expired": 1}
    due.refresh_from_db()
    not_due.refresh_from_db()
    assert due.status == OfferStatus.EXPIRED and not_due.is_published
    log = OfferTransition.objects.get(offer=due)
    assert log.actor is None and log.action == OfferAction.EXPIRE
    assert [m.to for m in mail.outbox] == [[world.recruiter.email]]
    assert "a expiré" in mail.outbox[0].subject
    with django_capture_on_commit_callbacks(execute=True):
        assert expire_offers_past_closing_date() == {"expired": 0}
    assert len(mail.outbox) == 1
    assert OfferTransition.objects.filter(offer=due).count() == 1


def test_editing_is_for_drafts_only(world):
    offer = OfferFactory(company=world.company, submitted=True)
    with pytest.raises(ValidationError):
        services.update_offer(offer=offer, actor=world.recruiter, positions=5)
    draft = OfferFactory(company=world.company)
    services.update_offer(offer=draft, actor=world.recruiter, positions=5)
    draft.refresh_from_db()
    assert draft.positions == 5
