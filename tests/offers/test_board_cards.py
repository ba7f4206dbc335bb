"""The board's cards (`offers.sharing.board_card_youth`) show a youth exactly as
`proposal_youth_as_seen` does, in every situation: consent given, withdrawn or never
recorded, the file anonymised, before and after the interview, for the company, the
youth's advisor, another mission locale and an admin. The board builds each card's
texts once per page: the page says what the template's tags said."""

from __future__ import annotations

import itertools

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.scope import get_scope
from candidates.enums import PathwayStage, YouthStatus
from offers.enums import DeclineReason, ProposalStatus
from offers.models import Proposal, board_card_proposals
from offers.sharing import board_card_youth, proposal_youth_as_seen
from tests.candidates.factories import YouthFactory

from .factories import OfferFactory, ProposalFactory

pytestmark = pytest.mark.django_db

CONSENTS = ("given", "withdrawn", "never", "anonymised")


def _youth(world, consent: str, n: int):
    youth = YouthFactory(
        mission_locale=world.ml,
        advisor=world.advisor,
        consented=consent != "never",
        first_name=f"Prénom{n}",
        last_name=f"Nom{n}",
        in_stage=PathwayStage.IMMERSION,
    )
    if consent == "withdrawn":
        type(youth).objects.filter(pk=youth.pk).update(consent_withdrawn_at=timezone.now())
    elif consent == "anonymised":
        type(youth).objects.filter(pk=youth.pk).update(status=YouthStatus.ANONYMISED)
    return youth


def _propose(offer, youth, status):
    reason = DeclineReason.PROFILE_MISMATCH if status == ProposalStatus.DECLINED else ""
    return ProposalFactory(offer=offer, youth=youth, status=status, decline_reason=reason)


def test_a_card_shows_the_youth_as_the_proposal_pages_do(world):
    offer = OfferFactory(company=world.company, job_role=world.role, published=True)
    for n, (consent, status) in enumerate(itertools.product(CONSENTS, ProposalStatus.values)):
        _propose(offer, _youth(world, consent, n), status)
    today = timezone.localdate()
    viewers = (world.recruiter, world.advisor, world.advisor_aix, world.admin)
    checked = set()
    for viewer in viewers:
        for proposal in board_card_proposals(offer):
            card = board_card_youth(viewer, proposal, today=today)
            full = Proposal.objects.select_related("youth", "offer").get(pk=proposal.pk)
            seen = proposal_youth_as_seen(viewer, full)
            assert card.is_hidden == seen.is_hidden
            if seen.is_hidden:
                assert card.placeholder == seen.label
            else:
                assert card.label == seen.label
                assert card.shared_label == seen.profile["label"]
                assert card.age == seen.profile["age"]
                assert PathwayStage(card.stage).label == seen.profile["pathway_stage"]
            checked.add((seen.is_hidden, seen.label == str(full.youth)))
    # Hidden cards, shared labels and full names all met.
    assert checked == {(True, False), (False, False), (False, True)}


def test_the_board_reads_its_cards_in_one_query(client, world, django_assert_num_queries):
    offer = OfferFactory(company=world.company, job_role=world.role, published=True)
    for n, status in enumerate(ProposalStatus.values):
        _propose(offer, _youth(world, "given", n), status)
    get_scope(world.recruiter)  # read once per request, by every page
    with django_assert_num_queries(1):
        cards = [
            board_card_youth(world.recruiter, p, today=timezone.localdate())
            for p in board_card_proposals(offer)
        ]
    assert len(cards) == len(ProposalStatus.values)


def test_the_board_escapes_names_and_keeps_its_texts(client, world):
    offer = OfferFactory(company=world.company, job_role=world.role, published=True)
    youth = YouthFactory(
        mission_locale=world.ml,
        advisor=world.advisor,
        consented=True,
        first_name="<b>Zoé</b>",
        last_name="O'Brien",
        in_stage=PathwayStage.DISCOVERY,
    )
    proposal = ProposalFactory(offer=offer, youth=youth)
    client.force_login(world.recruiter)
    body = client.get(reverse("offers:offer_board", args=[offer.pk])).content.decode()
    assert "<b>Zoé</b>" not in body
    assert "Sélectionner &lt;b&gt;Zoé&lt;/b&gt; O." in body
    assert f'<a href="{reverse("offers:proposal_detail", args=[proposal.pk])}">' in body
    assert f"{youth.age} ans · Découverte des métiers" in body
    day = timezone.localtime(proposal.created_at).strftime("%d/%m/%Y")
    assert f"proposé(e) le {day}" in body
