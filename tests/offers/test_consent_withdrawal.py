"""Withdrawing a youth's consent (issue 12, finding 2): from that moment no company user
sees anything of the youth anywhere. The open proposals are withdrawn in the same
transaction with a logged reason, the advisor is told, and every company-facing page,
export and email not yet sent shows a placeholder, never the first name, surname, email
or phone it showed before."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts.enums import Role
from candidates.enums import ConsentMethod
from candidates.services import anonymise_youth, withdraw_sharing_consent
from immersion import services as immersion_services
from immersion.enums import PoolRequestStatus
from immersion.models import PoolRequest
from immersion.tasks import send_session_reminders
from offers import services
from offers.enums import ContractType, ProposalStatus
from offers.models import Employment, Proposal, ProposalTransition
from offers.tasks import notify_recruiters_of_proposal
from tests.accounts.factories import make_member
from tests.candidates.factories import YouthFactory
from tests.helpers import assert_refused
from tests.immersion.factories import CaeContractFactory, CohortFactory, SessionFactory, _in_days

from .factories import OfferFactory, ProposalFactory

pytestmark = pytest.mark.django_db

FIRST, LAST, EMAIL, PHONE = "Zélie", "Quesnoy", "zelie.quesnoy@exemple.fr", "0698765432"
SECRETS = (FIRST, LAST, EMAIL, PHONE)
OPEN_STAGES = ("proposed", "seen", "interview")


@pytest.fixture
def zelie(world):
    return YouthFactory(
        mission_locale=world.ml,
        advisor=world.advisor,
        consented=True,
        first_name=FIRST,
        last_name=LAST,
        email=EMAIL,
        phone=PHONE,
    )


@pytest.fixture
def proposals(world, zelie):
    """Zélie proposed to five offers of the company, one at each stage; the hiring is a
    real one (employment recorded, pathway moved)."""
    made = {}
    for stage in ("proposed", "seen", "interview", "declined"):
        offer = OfferFactory(company=world.company, job_role=world.role, published=True)
        traits = {} if stage == "proposed" else {stage: True}
        made[stage] = ProposalFactory(offer=offer, youth=zelie, **traits)
    offer = OfferFactory(company=world.company, job_role=world.role, published=True)
    hired = ProposalFactory(offer=offer, youth=zelie, interview=True)
    services.hire_youth(
        proposal=hired,
        actor=world.recruiter,
        contract_type=ContractType.CDI,
        start_date=timezone.localdate() + timedelta(days=3),
        weekly_hours=35,
    )
    made["hired"] = Proposal.objects.get(pk=hired.pk)
    return made


def test_withdrawing_consent_withdraws_the_open_proposals_with_a_log(world, zelie, proposals):
    stopped = withdraw_sharing_consent(youth=zelie, actor=world.advisor, method=ConsentMethod.EMAIL)
    assert sorted(p.pk for p in stopped.withdrawn_proposals) == sorted(
        proposals[stage].pk for stage in OPEN_STAGES
    )
    for stage in OPEN_STAGES:
        proposal = Proposal.objects.get(pk=proposals[stage].pk)
        assert proposal.status == ProposalStatus.WITHDRAWN
        log = ProposalTransition.objects.filter(proposal=proposal).latest("pk")
        assert (log.action, log.from_status, log.to_status) == ("withdraw", stage, "withdrawn")
        assert log.actor == world.advisor and log.reason == "Consentement retiré"
    # The hiring happened: it stays, with its employment; a refusal stays a refusal.
    assert Proposal.objects.get(pk=proposals["hired"].pk).status == ProposalStatus.HIRED
    assert Employment.objects.filter(proposal=proposals["hired"]).exists()
    assert Proposal.objects.get(pk=proposals["declined"].pk).status == ProposalStatus.DECLINED


def test_anonymising_closes_the_open_proposals_too(world, zelie, proposals):
    manager = make_member(Role.ML_MANAGER, organisation=world.ml)
    anonymise_youth(youth=zelie, actor=manager)
    for stage in OPEN_STAGES:
        proposal = Proposal.objects.get(pk=proposals[stage].pk)
        assert proposal.status == ProposalStatus.WITHDRAWN
        assert proposal.transitions.latest("pk").reason == "Dossier anonymisé"


def test_the_advisor_is_told_what_was_withdrawn(client, world, zelie, proposals):
    client.force_login(world.advisor)
    response = client.post(
        reverse("candidates:consent_withdraw", args=[zelie.pk]),
        {"method": ConsentMethod.ORAL, "note": ""},
        follow=True,
    )
    body = response.content.decode()
    assert "le profil n&#x27;est plus visible des entreprises" in body
    assert "3 candidatures en cours ont été retirées" in body
    assert str(proposals["interview"].offer.job_role) in body


def _pool_and_session(world, zelie):
    """Zélie on the region's immersion platform (so in the pool), asked for by the
    recruiter once (declined) and again (pending), and enrolled in two sessions hosted
    by the company, both in two days."""
    CaeContractFactory(cohort=CohortFactory(region=world.paca), youth=zelie)
    pool_offer = OfferFactory(company=world.company, job_role=world.role, published=True)
    answered = immersion_services.request_pool_proposal(
        recruiter=world.recruiter, youth=zelie, offer=pool_offer
    )
    immersion_services.answer_pool_request(
        actor=world.advisor, pool_request=answered, action="decline", note="Pas disponible."
    )
    pending = immersion_services.request_pool_proposal(
        recruiter=world.recruiter, youth=zelie, offer=pool_offer
    )
    sessions = []
    for title in ("Plateau du matin", "Plateau de l'après-midi"):
        session = SessionFactory(
            host=world.company,
            title=title,
            starts_at=_in_days(2),
            registration_deadline=timezone.localdate(),
        )
        immersion_services.enrol_youths(actor=world.advisor, session=session, youths=[zelie])
        sessions.append(session)
    return answered, pending, sessions


def _company_pages(client, world, proposals, zelie, session) -> dict[str, str]:
    """Every page and export a recruiter of the company may open about Zélie."""
    client.force_login(world.recruiter)
    pages = {}
    for stage, proposal in proposals.items():
        pages[f"board {stage}"] = reverse("offers:offer_board", args=[proposal.offer_id])
        pages[f"proposal {stage}"] = reverse("offers:proposal_detail", args=[proposal.pk])
    pages["hire page"] = reverse("offers:proposal_hire", args=[proposals["interview"].pk])
    pages["pool"] = reverse("immersion:pool_list")
    pages["pool member"] = reverse("immersion:pool_member", args=[zelie.pk])
    pages["pool requests"] = reverse("immersion:pool_requests")
    pages["roster"] = reverse("immersion:session_detail", args=[session.pk])
    pages["session ics"] = reverse("immersion:session_ics", args=[session.pk])
    bodies = {name: client.get(url, follow=True).content.decode() for name, url in pages.items()}
    client.logout()
    return bodies


def test_every_company_page_shows_the_youth_before_and_nothing_after(
    client, world, zelie, proposals, tasks_in_process, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _answered, pending, sessions = _pool_and_session(world, zelie)
    before = _company_pages(client, world, proposals, zelie, sessions[0])
    for name, body in before.items():
        if name != "session ics":  # a calendar never names anyone
            assert FIRST in body, f"{name}: the youth should show before the withdrawal"
    for stage in ("interview", "hired"):  # contact details from the interview on
        assert EMAIL in before[f"proposal {stage}"] and PHONE in before[f"proposal {stage}"]
    # The emails that reached the company before: the shared label.
    assert send_session_reminders(sessions[0].pk)["queued"] >= 1
    company_mail = [m for m in mail.outbox if m.to == [world.recruiter.email]]
    assert any("Zélie Q." in m.body for m in company_mail)  # the roster and the pool answer
    mail.outbox.clear()

    # A proposal made just before, its email not sent yet (queued, not run).
    new_offer = OfferFactory(company=world.company, job_role=world.role, published=True)
    waiting = ProposalFactory(offer=new_offer, youth=zelie)
    with django_capture_on_commit_callbacks(execute=True):
        stopped = withdraw_sharing_consent(
            youth=zelie, actor=world.advisor, method=ConsentMethod.EMAIL
        )

    after = _company_pages(client, world, proposals, zelie, sessions[0])
    leaks = [
        f"{secret!r} on {name}"
        for name, body in after.items()
        for secret in SECRETS
        if secret in body
    ]
    assert leaks == []
    for stage in OPEN_STAGES:
        assert "Candidature retirée" in after[f"board {stage}"]
        assert "Candidature retirée" in after[f"proposal {stage}"]
        detail = reverse("offers:proposal_detail", args=[proposals[stage].pk])
        assert f'href="{detail}"' not in after[f"board {stage}"]  # no link to details
    for stage in ("hired", "declined"):
        assert "Profil retiré" in after[f"board {stage}"]
        assert "Profil retiré" in after[f"proposal {stage}"]
    assert "Candidature retirée" in after["hire page"]  # sent to the proposal's page
    assert "Participant·e 1" in after["roster"]
    assert "Profil retiré" in after["pool requests"]

    # Emails not sent yet carry nothing: the proposal's, the roster, the pool answer.
    assert notify_recruiters_of_proposal(waiting.pk) == {"queued": 0}
    assert send_session_reminders(sessions[1].pk)["queued"] >= 1
    company_mail = [m for m in mail.outbox if m.to == [world.recruiter.email]]
    assert len(company_mail) == 2  # the roster and the declined pool request
    for message in company_mail:
        text = f"{message.subject}\n{message.body}"
        assert not [secret for secret in SECRETS if secret in text], text
    assert any("Participant·e 1" in m.body for m in company_mail)
    assert any("Profil retiré" in m.body for m in company_mail)
    assert PoolRequest.objects.get(pk=pending.pk).status == PoolRequestStatus.DECLINED
    assert [r.pk for r in stopped.declined_pool_requests] == [pending.pk]


def test_after_a_withdrawal_the_advisor_sees_everything_other_companies_nothing(
    client, world, zelie, proposals
):
    withdraw_sharing_consent(youth=zelie, actor=world.advisor, method=ConsentMethod.EMAIL)
    client.force_login(world.advisor)
    body = client.get(
        reverse("offers:proposal_detail", args=[proposals["interview"].pk])
    ).content.decode()
    assert f"{FIRST} {LAST.upper()}" in body and EMAIL in body
    assert "Consentement retiré" in body  # the logged reason, in the history
    client.logout()
    # The placeholder page is still behind the scoped queryset: other companies, the
    # lead and another mission locale get a 404, not even "Candidature retirée".
    for user in (world.other_recruiter, world.recruiter_lyon, world.lead, world.advisor_aix):
        for proposal in proposals.values():
            assert_refused(
                client,
                user,
                reverse("offers:proposal_detail", args=[proposal.pk]),
                must_not_contain=["Candidature retirée", *SECRETS],
            )


def test_the_data_migration_withdraws_proposals_left_open_by_earlier_withdrawals(world, zelie):
    """Before this change a withdrawal left the proposals open: the migration closes them
    as the service now does, and its reverse reopens exactly those."""
    from importlib import import_module

    from django.apps import apps

    from candidates.models import Youth

    migration = import_module("offers.migrations.0005_withdraw_proposals_without_consent")
    seen = ProposalFactory(
        offer=OfferFactory(company=world.company, published=True), youth=zelie, seen=True
    )
    consenting = ProposalFactory(offer=seen.offer)
    Youth.objects.filter(pk=zelie.pk).update(
        consent_withdrawn_at=timezone.now(), consent_withdrawn_by=world.advisor
    )
    migration.withdraw(apps, None)
    seen.refresh_from_db()
    assert seen.status == ProposalStatus.WITHDRAWN
    log = seen.transitions.get()
    assert (log.from_status, log.actor, log.action) == ("seen", world.advisor, "withdraw")
    consenting.refresh_from_db()
    assert consenting.status == ProposalStatus.PROPOSED  # a consenting youth's stays open
    migration.reopen(apps, None)
    seen.refresh_from_db()
    assert seen.status == ProposalStatus.SEEN and not seen.transitions.exists()
