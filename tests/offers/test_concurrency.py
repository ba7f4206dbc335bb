"""Two people acting on the same proposal at the same moment: the row lock makes the
second wait for the first, then see its result and be told, never overwrite it.
PostgreSQL only (SQLite has no row locks)."""

from __future__ import annotations

import threading
import time
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections, transaction
from django.utils import timezone

from candidates.enums import ConsentMethod
from offers import services
from offers.enums import ContractType, DeclineReason, ProposalStatus
from offers.models import Employment, Proposal

from .factories import OfferFactory, ProposalFactory
from .factories import invite as invite_to_interview

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="row locks (select_for_update) need PostgreSQL"
    ),
]


def run_in_thread(target, results, key):
    def wrapper():
        try:
            results[key] = target()
        except ValidationError as exc:
            results[key] = exc
        finally:
            connections.close_all()

    thread = threading.Thread(target=wrapper)
    thread.start()
    return thread


def test_hire_and_decline_at_once_one_wins_the_other_is_told(world):
    offer = OfferFactory(company=world.company, published=True)
    proposal = ProposalFactory(offer=offer, interview=True)
    locked = threading.Event()
    results = {}

    def first_declines():
        with transaction.atomic():
            Proposal.objects.select_for_update().get(pk=proposal.pk)
            locked.set()
            time.sleep(0.5)  # the other one arrives while the row is held
            return services.decline_proposal(
                proposal=proposal,
                actor=world.recruiter,
                decline_reason=DeclineReason.INTERVIEW_UNSUCCESSFUL,
            )

    def second_hires():
        locked.wait(5)
        return services.hire_youth(
            proposal=proposal,
            actor=world.recruiter,
            contract_type=ContractType.CDI,
            start_date=timezone.localdate() + timedelta(days=3),
            weekly_hours=35,
        )

    threads = [run_in_thread(first_declines, results, "decline")]
    threads.append(run_in_thread(second_hires, results, "hire"))
    for thread in threads:
        thread.join(20)
    assert isinstance(results["decline"], Proposal)
    loser = results["hire"]
    assert isinstance(loser, ValidationError)
    assert loser.messages[0].startswith("Cette candidature est déjà « Refusée » (par Julien Moreau")
    assert loser.messages[0].endswith("votre action n'a pas été enregistrée.")
    proposal.refresh_from_db()
    offer.refresh_from_db()
    assert proposal.status == ProposalStatus.DECLINED
    assert offer.positions_filled == 0 and not Employment.objects.exists()
    assert proposal.transitions.count() == 1


def test_two_recruiters_inviting_at_once_log_a_single_move(world):
    from accounts.enums import Role
    from tests.accounts.factories import make_member

    colleague = make_member(Role.RECRUITER, organisation=world.company, first_name="Zoé")
    proposal = ProposalFactory(offer=OfferFactory(company=world.company, published=True))
    start = threading.Barrier(2)
    results = {}

    def invite(actor):
        def go():
            start.wait(5)
            return invite_to_interview(proposal, actor)

        return go

    threads = [
        run_in_thread(invite(world.recruiter), results, "a"),
        run_in_thread(invite(colleague), results, "b"),
    ]
    for thread in threads:
        thread.join(20)
    outcomes = sorted(type(value).__name__ for value in results.values())
    assert outcomes == ["Proposal", "ValidationError"]
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.INTERVIEW
    assert proposal.transitions.count() == 1


def _youth(world):
    from tests.candidates.factories import YouthFactory

    return YouthFactory(mission_locale=world.ml, advisor=world.advisor, consented=True)


def test_a_proposal_arriving_during_a_consent_withdrawal_is_refused(world):
    """The withdrawal holds the youth's row: the proposal waits, then finds no consent."""
    from candidates.models import Youth
    from candidates.services import withdraw_sharing_consent

    youth = _youth(world)
    offer = OfferFactory(company=world.company, published=True)
    locked = threading.Event()
    results = {}

    def first_withdraws():
        with transaction.atomic():
            Youth.objects.select_for_update().get(pk=youth.pk)
            locked.set()
            time.sleep(0.5)  # the proposal arrives while the row is held
            return withdraw_sharing_consent(
                youth=youth, actor=world.advisor, method=ConsentMethod.EMAIL
            )

    def second_proposes():
        locked.wait(5)
        return services.propose_youth(offer=offer, youth=youth, actor=world.advisor)

    threads = [run_in_thread(first_withdraws, results, "withdraw")]
    threads.append(run_in_thread(second_proposes, results, "propose"))
    for thread in threads:
        thread.join(20)
    assert isinstance(results["propose"], ValidationError)
    assert "n'a pas donné son accord" in results["propose"].messages[0]
    assert not Proposal.objects.filter(youth=youth).exists()


def test_a_proposal_made_just_before_a_withdrawal_is_withdrawn_with_it(world):
    """The proposal holds the youth's row: the withdrawal waits, then withdraws it."""
    from candidates.services import withdraw_sharing_consent

    youth = _youth(world)
    offer = OfferFactory(company=world.company, published=True)
    proposed = threading.Event()
    results = {}

    def first_proposes():
        with transaction.atomic():
            proposal = services.propose_youth(offer=offer, youth=youth, actor=world.advisor)
            proposed.set()
            time.sleep(0.5)  # the withdrawal arrives before this commits
            return proposal

    def second_withdraws():
        proposed.wait(5)
        return withdraw_sharing_consent(
            youth=youth, actor=world.advisor, method=ConsentMethod.EMAIL
        )

    threads = [run_in_thread(first_proposes, results, "propose")]
    threads.append(run_in_thread(second_withdraws, results, "withdraw"))
    for thread in threads:
        thread.join(20)
    assert [p.pk for p in results["withdraw"].withdrawn_proposals] == [results["propose"].pk]
    assert Proposal.objects.get(youth=youth).status == ProposalStatus.WITHDRAWN
