"""Proposals: who may propose whom, the moves up to the hiring, and what a hiring does
(employment, pathway, follow-ups, offer filled)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from accounts.enums import EmailStatus, Role
from accounts.models import Membership, OutgoingEmail, User
from accounts.years import add_months
from candidates.enums import ConsentMethod, PathwayStage
from candidates.models import InCompanyCheckIn, PathwayEvent
from candidates.services import withdraw_sharing_consent
from candidates.timeline import build_timeline
from offers import services
from offers.emails import PROPOSED
from offers.enums import (
    ContractType,
    DeclineReason,
    OfferStatus,
    ProposalOrigin,
    ProposalStatus,
)
from offers.models import Employment, Proposal, ProposalTransition
from offers.tasks import notify_recruiters_of_proposal
from tests.accounts.factories import make_member
from tests.candidates.factories import YouthFactory

from .factories import OfferFactory, ProposalFactory, invite

pytestmark = pytest.mark.django_db


def hire(proposal, actor, **overrides):
    fields = {
        "contract_type": ContractType.CDI,
        "start_date": timezone.localdate() + timedelta(days=7),
        "weekly_hours": 35,
    }
    fields.update(overrides)
    return services.hire_youth(proposal=proposal, actor=actor, **fields)


def test_an_advisor_proposes_a_consenting_youth_of_their_mission_locale(
    world, published_offer, youth
):
    proposal = services.propose_youth(
        offer=published_offer, youth=youth, actor=world.advisor, note="Très motivée."
    )
    assert proposal.status == ProposalStatus.PROPOSED
    assert proposal.origin == ProposalOrigin.ADVISOR
    log = proposal.transitions.get()
    assert (log.to_status, log.actor, log.reason) == (
        ProposalStatus.PROPOSED,
        world.advisor,
        "Très motivée.",
    )


def test_a_youth_without_consent_cannot_be_proposed(world, published_offer):
    youth = YouthFactory(mission_locale=world.ml, advisor=world.advisor, first_name="Hugo")
    with pytest.raises(ValidationError) as exc:
        services.propose_youth(offer=published_offer, youth=youth, actor=world.advisor)
    assert exc.value.messages == [
        "Hugo n'a pas donné son accord pour partager son profil avec les entreprises."
    ]
    assert not Proposal.objects.exists()


def test_a_youth_of_another_mission_locale_cannot_be_proposed(world, published_offer, youth):
    with pytest.raises(ValidationError) as exc:
        services.propose_youth(offer=published_offer, youth=youth, actor=world.advisor_aix)
    assert "n'est pas suivi par votre mission locale" in exc.value.messages[0]
    assert not Proposal.objects.exists()


def test_only_published_offers_of_the_region_take_proposals(world, youth):
    draft = OfferFactory(company=world.company)
    with pytest.raises(ValidationError) as exc:
        services.propose_youth(offer=draft, youth=youth, actor=world.advisor)
    assert "n'est pas publiée" in exc.value.messages[0]
    lyon_offer = OfferFactory(company__region=world.lyon, published=True)
    with pytest.raises(ValidationError) as exc:
        services.propose_youth(offer=lyon_offer, youth=youth, actor=world.advisor)
    assert exc.value.messages == ["Cette offre n'est pas dans votre région."]


def test_a_youth_is_proposed_once_per_offer_and_never_once_hired(world, published_offer, youth):
    services.propose_youth(offer=published_offer, youth=youth, actor=world.advisor)
    with pytest.raises(ValidationError) as exc:
        services.propose_youth(offer=published_offer, youth=youth, actor=world.advisor)
    assert exc.value.messages == ["Ce jeune est déjà proposé sur cette offre."]
    hired = YouthFactory(mission_locale=world.ml, consented=True, hired=True)
    with pytest.raises(ValidationError) as exc:
        services.propose_youth(offer=published_offer, youth=hired, actor=world.advisor)
    assert "Embauche" in exc.value.messages[0]


def test_the_recruiter_moves_a_proposal_along_and_the_advisor_may_withdraw(world, published_offer):
    proposal = ProposalFactory(offer=published_offer)
    services.mark_proposal_seen(proposal=proposal, actor=world.recruiter)
    invite(proposal, world.recruiter, note="Mardi 10 h")
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.INTERVIEW and proposal.shows_contact
    with pytest.raises(PermissionDenied):
        services.withdraw_proposal(proposal=proposal, actor=world.other_recruiter)
    services.withdraw_proposal(proposal=proposal, actor=proposal.youth.advisor, note="Autre emploi")
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.WITHDRAWN
    assert list(proposal.transitions.values_list("from_status", "to_status")) == [
        ("proposed", "seen"),
        ("seen", "interview"),
        ("interview", "withdrawn"),
    ]


def test_an_advisor_cannot_decide_for_the_company(world, published_offer):
    proposal = ProposalFactory(offer=published_offer)
    with pytest.raises(PermissionDenied):
        invite(proposal, proposal.youth.advisor)
    with pytest.raises(PermissionDenied):
        services.decline_proposal(
            proposal=proposal, actor=world.other_recruiter, decline_reason=DeclineReason.OTHER
        )


def test_a_decline_needs_a_reason_from_the_list(world, published_offer):
    proposal = ProposalFactory(offer=published_offer)
    with pytest.raises(ValidationError) as exc:
        services.decline_proposal(proposal=proposal, actor=world.recruiter, decline_reason="bof")
    assert exc.value.message_dict == {"decline_reason": ["Choisissez le motif du refus."]}
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.PROPOSED and proposal.transitions.count() == 0


def test_hiring_records_the_employment_the_pathway_and_the_follow_ups(
    world, published_offer, youth
):
    proposal = services.propose_youth(offer=published_offer, youth=youth, actor=world.advisor)
    invite(proposal, world.recruiter)
    start = timezone.localdate() + timedelta(days=7)
    employment = hire(
        proposal,
        world.recruiter,
        contract_type=ContractType.CDD,
        end_date=start + timedelta(days=180),
        weekly_hours=30,
    )
    assert (employment.youth, employment.company, employment.weekly_hours) == (
        youth,
        world.company,
        30,
    )
    youth.refresh_from_db()
    assert youth.current_stage == PathwayStage.HIRED
    event = PathwayEvent.objects.filter(youth=youth).latest("pk")
    assert event.stage == PathwayStage.HIRED
    assert event.source_reference == ("offers.Proposal", proposal.pk)
    assert event.author == world.recruiter
    check_ins = InCompanyCheckIn.objects.filter(youth=youth).order_by("months_after")
    # Counted from the contract's start date (a week away), not from the hiring day.
    assert [(c.months_after, c.hired_on, c.due_on) for c in check_ins] == [
        (months, start, add_months(start, months)) for months in (1, 3, 6)
    ]
    published_offer.refresh_from_db()
    assert published_offer.positions_filled == 1 and published_offer.is_published


def test_the_last_hire_fills_the_offer_and_closes_the_other_proposals(world):
    offer = OfferFactory(company=world.company, published=True, positions=1)
    chosen = ProposalFactory(offer=offer, interview=True)
    waiting = ProposalFactory(offer=offer, seen=True)
    hire(chosen, world.recruiter)
    offer.refresh_from_db()
    waiting.refresh_from_db()
    assert offer.status == OfferStatus.FILLED and offer.filled_at and offer.closed_at
    fill_log = offer.transitions.get()
    assert fill_log.actor is None and fill_log.reason == "Tous les postes sont pourvus."
    assert waiting.status == ProposalStatus.DECLINED
    assert waiting.decline_reason == DeclineReason.POSITIONS_FILLED


def test_hiring_on_a_withdrawn_offer_is_refused_and_nothing_is_saved(world):
    offer = OfferFactory(company=world.company, withdrawn=True)
    proposal = ProposalFactory(offer=offer, interview=True)
    with pytest.raises(ValidationError) as exc:
        hire(proposal, world.recruiter)
    assert exc.value.messages == ["L'offre est « Retirée » : on ne peut plus y embaucher."]
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.INTERVIEW
    assert not Employment.objects.exists()
    assert proposal.youth.current_stage == PathwayStage.INFORMATION


def test_hiring_more_people_than_positions_is_refused(world):
    offer = OfferFactory(company=world.company, published=True, positions=2, positions_filled=2)
    proposal = ProposalFactory(offer=offer, interview=True)
    with pytest.raises(ValidationError) as exc:
        hire(proposal, world.recruiter)
    assert exc.value.messages == ["Les 2 postes de cette offre sont déjà pourvus."]
    assert not Employment.objects.exists() and not ProposalTransition.objects.exists()


def test_hiring_before_the_interview_is_an_illegal_transition(world, published_offer):
    proposal = ProposalFactory(offer=published_offer)
    with pytest.raises(ValidationError) as exc:
        hire(proposal, world.recruiter)
    assert "Cette candidature est déjà « Proposée »" in exc.value.messages[0]
    assert not Employment.objects.exists()
    published_offer.refresh_from_db()
    assert published_offer.positions_filled == 0


def test_a_bad_employment_rolls_everything_back(world, published_offer):
    proposal = ProposalFactory(offer=published_offer, interview=True)
    start = timezone.localdate()
    with pytest.raises(ValidationError):
        hire(proposal, world.recruiter, end_date=start - timedelta(days=1), start_date=start)
    proposal.refresh_from_db()
    published_offer.refresh_from_db()
    assert proposal.status == ProposalStatus.INTERVIEW
    assert published_offer.positions_filled == 0
    assert not PathwayEvent.objects.filter(stage=PathwayStage.HIRED).exists()


def test_bulk_decline_is_all_or_nothing(world, published_offer):
    first = ProposalFactory(offer=published_offer)
    second = ProposalFactory(offer=published_offer, seen=True)
    already = ProposalFactory(offer=published_offer, declined=True)
    with pytest.raises(ValidationError):
        services.bulk_decline_proposals(
            offer=published_offer,
            proposal_ids=[first.pk, second.pk, already.pk],
            actor=world.recruiter,
            decline_reason=DeclineReason.POSITIONS_FILLED,
        )
    first.refresh_from_db()
    assert first.status == ProposalStatus.PROPOSED
    count = services.bulk_decline_proposals(
        offer=published_offer,
        proposal_ids=[first.pk, second.pk],
        actor=world.recruiter,
        decline_reason=DeclineReason.POSITIONS_FILLED,
        note="Recrutement terminé.",
    )
    assert count == 2
    assert set(
        Proposal.objects.filter(pk__in=[first.pk, second.pk]).values_list("status", flat=True)
    ) == {ProposalStatus.DECLINED}


def test_bulk_decline_refuses_proposals_of_another_offer(world, published_offer):
    mine = ProposalFactory(offer=published_offer)
    elsewhere = ProposalFactory(offer=OfferFactory(company=world.other_company, published=True))
    with pytest.raises(ValidationError):
        services.bulk_decline_proposals(
            offer=published_offer,
            proposal_ids=[mine.pk, elsewhere.pk],
            actor=world.recruiter,
            decline_reason=DeclineReason.OTHER,
        )
    elsewhere.refresh_from_db()
    assert elsewhere.status == ProposalStatus.PROPOSED


def test_the_youths_timeline_shows_the_proposal_and_the_hiring(world, published_offer, youth):
    proposal = services.propose_youth(offer=published_offer, youth=youth, actor=world.advisor)
    invite(proposal, world.recruiter)
    hire(proposal, world.recruiter)
    titles = [entry.title for entry in build_timeline(youth)]
    assert any(t.startswith("Proposé(e) à l'offre Téléconseiller") for t in titles)
    assert any(t.endswith(": Entretien") for t in titles)
    assert any(t.endswith(": Embauche") for t in titles)
    assert any(t.startswith("Contrat CDI chez Méditel Relation Client") for t in titles)
    assert "Étape : Embauche" in titles


def test_a_proposal_emails_the_companys_recruiters_the_shared_profile_once(
    world, published_offer, tasks_in_process, django_capture_on_commit_callbacks
):
    colleague = make_member(Role.RECRUITER, organisation=world.company, first_name="Sarah")
    youth = YouthFactory(
        mission_locale=world.ml,
        advisor=world.advisor,
        consented=True,
        first_name="Inès",
        last_name="Benhamou",
        email="ines.benhamou@exemple.fr",
        phone="0611223344",
        skills="Accueil téléphonique, bureautique",
        contract_wishes=["cdi", "apprenticeship"],
    )
    with django_capture_on_commit_callbacks(execute=True):
        proposal = services.propose_youth(offer=published_offer, youth=youth, actor=world.advisor)
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert recipients == sorted([world.recruiter.email, colleague.email])
    for message in mail.outbox:
        text = f"{message.subject}\n{message.body}"
        assert "Nouvelle candidature pour votre offre" in message.subject
        assert "Inès B." in text and "Accueil téléphonique" in text
        assert "Contrats souhaités : CDI, Contrat d'apprentissage" in message.body
        assert "Bonjour" in message.body and "/offres/candidatures/" in message.body
        for secret in ("Benhamou", "ines.benhamou@exemple.fr", "0611223344"):
            assert secret not in text
    # Nobody outside the company hears of it.
    assert world.other_recruiter.email not in recipients
    emails = OutgoingEmail.objects.filter(kind=PROPOSED, key=str(proposal.pk))
    assert emails.count() == 2 and all(e.status == EmailStatus.SENT for e in emails)
    # Run again (a retry, a duplicate delivery): nobody hears twice.
    assert notify_recruiters_of_proposal(proposal.pk) == {"queued": 0}
    assert len(mail.outbox) == 2


def test_no_proposal_email_once_the_youth_withdrew_consent(world, published_offer, youth):
    proposal = services.propose_youth(offer=published_offer, youth=youth, actor=world.advisor)
    withdraw_sharing_consent(youth=youth, actor=world.advisor, method=ConsentMethod.EMAIL)
    assert notify_recruiters_of_proposal(proposal.pk) == {"queued": 0}
    assert mail.outbox == []


@pytest.mark.parametrize(
    ("author_state", "author_emailed"),
    [("still_recruiting", True), ("membership_ended", False), ("account_closed", False)],
)
def test_the_offers_author_is_emailed_only_while_still_a_recruiter(
    world,
    youth,
    author_state,
    author_emailed,
    tasks_in_process,
    django_capture_on_commit_callbacks,
):
    author = make_member(Role.RECRUITER, organisation=world.company, first_name="Marc")
    offer = OfferFactory(
        company=world.company, job_role=world.role, published=True, created_by=author
    )
    if author_state == "membership_ended":
        Membership.objects.filter(user=author).update(is_active=False)
    elif author_state == "account_closed":
        User.objects.filter(pk=author.pk).update(is_active=False)
    with django_capture_on_commit_callbacks(execute=True):
        proposal = services.propose_youth(offer=offer, youth=youth, actor=world.advisor)
    expected = [world.recruiter.email] + ([author.email] if author_emailed else [])
    assert sorted(m.to[0] for m in mail.outbox) == sorted(expected)
    assert all(len(m.to) == 1 for m in mail.outbox)
    notified = OutgoingEmail.objects.filter(kind=PROPOSED, key=str(proposal.pk))
    assert notified.filter(recipient=author).exists() is author_emailed
