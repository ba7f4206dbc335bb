""" "Candidatures": the proposals across offers, for recruiters (their company's) and
advisors (their mission locale's), with the filters the home page's counters use."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.candidates.factories import YouthFactory
from tests.helpers import assert_refused
from tests.offers.factories import OfferFactory, ProposalFactory
from tests.offers.test_recruiter_pages import count_queries

pytestmark = pytest.mark.django_db

URL = reverse("offers:proposal_list")


def listed(client, user, **params) -> list[int]:
    client.force_login(user)
    response = client.get(URL, params)
    assert response.status_code == 200
    return sorted(proposal.pk for proposal, _seen in response.context["rows"])


def test_a_recruiter_lists_their_companys_proposals_only(client, world):
    ours = ProposalFactory(offer=OfferFactory(company=world.company, published=True))
    ProposalFactory(offer=OfferFactory(company=world.other_company, published=True))
    assert listed(client, world.recruiter) == [ours.pk]


def test_an_advisor_lists_their_mission_locales_proposals_and_filters_their_own(client, world):
    offer = OfferFactory(company=world.company, published=True)
    mine = ProposalFactory(
        offer=offer, youth=YouthFactory(mission_locale=world.ml, advisor=world.advisor), seen=True
    )
    colleague = ProposalFactory(offer=offer, youth=YouthFactory(mission_locale=world.ml))
    ProposalFactory(offer=offer, youth=YouthFactory(mission_locale=world.ml_aix))
    assert listed(client, world.advisor) == sorted([mine.pk, colleague.pk])
    assert listed(client, world.advisor, mine="1") == [mine.pk]
    assert listed(client, world.advisor, status="seen") == [mine.pk]
    # A fresh proposal is not news; a state changed this week is.
    assert listed(client, world.advisor, news="1") == [mine.pk]


def test_a_recruiter_sees_a_youth_who_does_not_share_as_a_placeholder(client, world):
    proposal = ProposalFactory(
        offer=OfferFactory(company=world.company, published=True),
        youth=YouthFactory(mission_locale=world.ml, first_name="Inès", last_name="Benhamou"),
    )
    client.force_login(world.recruiter)
    body = client.get(URL).content.decode()
    assert reverse("offers:proposal_detail", args=[proposal.pk]) in body
    assert "Benhamou" not in body and "Inès" not in body


@pytest.mark.parametrize("who", ["lead", "national"])
def test_the_list_is_refused_to_who_sees_no_proposal(client, world, who):
    assert_refused(client, getattr(world, who), URL)


def test_the_list_runs_the_same_queries_for_few_or_many_proposals(client, world):
    offer = OfferFactory(company=world.company, published=True)
    ProposalFactory(offer=offer, youth=YouthFactory(mission_locale=world.ml, consented=True))
    first = count_queries(client, world.recruiter, URL)
    for _ in range(8):
        ProposalFactory(offer=offer, youth=YouthFactory(mission_locale=world.ml, consented=True))
    assert count_queries(client, world.recruiter, URL) == first
