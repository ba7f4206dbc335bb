"""`OfferProposals`: each offer's proposals counted by the database's triggers (how
many, the first one's time) equal the proposals counted from their table, after every
kind of write: a proposal made through the service or by a factory, in bulk, its
status moved, its time or its offer changed, removed one by one, by a queryset, with
its youth (a cascade) or with its offer, and by raw SQL; counting again changes
nothing. The dashboards' offers figures read these counts (`offers.figures`)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.db.models import Count, Min
from django.utils import timezone

from offers.enums import ProposalStatus
from offers.figures import rebuild_proposal_counts
from offers.models import Offer, OfferProposals, Proposal
from offers.services import propose_youth
from tests.candidates.factories import YouthFactory

from .factories import OfferFactory, ProposalFactory

pytestmark = pytest.mark.django_db


def counted() -> dict:
    return {
        row.offer_id: (row.proposals, row.first_proposal_at) for row in OfferProposals.objects.all()
    }


def expected() -> dict:
    rows = Proposal.objects.values("offer_id").annotate(n=Count("pk"), first=Min("created_at"))
    return {row["offer_id"]: (row["n"], row["first"]) for row in rows.order_by()}


def assert_counts_match():
    assert counted() == expected()


def test_proposals_made_one_by_one_and_in_bulk_are_counted(world):
    offer = OfferFactory(company=world.company, published=True)
    youth = YouthFactory(mission_locale=world.ml, consented=True, advisor=world.advisor)
    propose_youth(offer=offer, youth=youth, actor=world.advisor)
    assert_counts_match()
    ProposalFactory(offer=offer)
    other = OfferFactory(company=world.company, published=True)
    youths = [ProposalFactory(offer=other).youth for _ in range(2)]
    Proposal.objects.bulk_create(
        [
            Proposal(offer=target, youth=y, proposed_by=world.advisor)
            for target in (offer, OfferFactory(company=world.company, published=True))
            for y in youths
        ]
    )
    assert_counts_match()
    assert counted()[offer.pk][0] == 4


def test_moves_in_time_and_between_offers_count_both_offers_again(world):
    first, second = (OfferFactory(company=world.company, published=True) for _ in range(2))
    proposals = [ProposalFactory(offer=first) for _ in range(3)]
    earliest = timezone.now() - timedelta(days=30)
    Proposal.objects.filter(pk=proposals[1].pk).update(created_at=earliest)
    assert counted()[first.pk] == (3, earliest)
    assert_counts_match()
    # the first proposal later again: the offer's first is the next one
    Proposal.objects.filter(pk=proposals[1].pk).update(created_at=timezone.now())
    assert_counts_match()
    Proposal.objects.filter(pk__in=[proposals[0].pk, proposals[1].pk]).update(offer=second)
    assert_counts_match()
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {Proposal._meta.db_table} SET offer_id = %s WHERE id = %s",  # noqa: S608
            [second.pk, proposals[2].pk],
        )
    assert_counts_match()
    assert first.pk not in counted()  # its last proposal left: no row
    # a status moved changes no count
    Proposal.objects.filter(offer=second).update(status=ProposalStatus.SEEN)
    assert_counts_match()


def test_removals_count_the_offers_again(world):
    offers = [OfferFactory(company=world.company, published=True) for _ in range(3)]
    proposals = [ProposalFactory(offer=offers[i % 3]) for i in range(9)]
    first_of_offer_0 = min(
        (p for p in proposals if p.offer_id == offers[0].pk), key=lambda p: p.created_at
    )
    first_of_offer_0.delete()
    assert_counts_match()
    Proposal.objects.filter(offer=offers[1]).delete()
    assert_counts_match()
    assert offers[1].pk not in counted()
    proposals[2].youth.delete()  # the youth's proposals go with them
    assert_counts_match()
    Offer.objects.filter(pk=offers[0].pk).delete()  # the offer's proposals go with it
    assert_counts_match()
    assert offers[0].pk not in counted()


def test_counting_again_gives_the_same_counts(world):
    offer = OfferFactory(company=world.company, published=True)
    for _ in range(3):
        ProposalFactory(offer=offer)
    OfferProposals.objects.all().delete()
    assert counted() != expected()
    rebuild_proposal_counts()
    rebuild_proposal_counts()  # twice: the same counts
    assert_counts_match()
