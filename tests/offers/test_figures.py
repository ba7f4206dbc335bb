"""Satisfaction figures per offer, per company and for any set of offers."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db import connection
from django.utils import timezone

from offers.figures import figures_by_company, figures_for_offers, offer_figures
from offers.models import Offer, Proposal

from .factories import OfferFactory, ProposalFactory

pytestmark = pytest.mark.django_db


def at(offer, *, published_days_ago, filled_after=None):
    published = timezone.now() - timedelta(days=published_days_ago)
    Offer.objects.filter(pk=offer.pk).update(
        published_at=published,
        submitted_at=published - timedelta(days=1),
        filled_at=published + timedelta(days=filled_after) if filled_after is not None else None,
    )
    offer.refresh_from_db()
    return published


def propose_at(offer, when):
    proposal = ProposalFactory(offer=offer)
    Proposal.objects.filter(pk=proposal.pk).update(created_at=when)


def test_one_offers_figures(world):
    offer = OfferFactory(company=world.company, published=True, positions=4, positions_filled=2)
    published = at(offer, published_days_ago=20)
    propose_at(offer, published + timedelta(days=3))
    propose_at(offer, published + timedelta(days=5))
    figures = offer_figures(offer)
    assert (figures.positions_offered, figures.positions_filled, figures.proposals) == (4, 2, 2)
    assert figures.fill_rate == 50.0
    assert figures.days_to_first_proposal == 3.0
    assert figures.days_to_fill is None


def test_figures_for_offers_average_the_times_and_ignore_drafts(world):
    filled = OfferFactory(company=world.company, filled=True, positions=2)
    published = at(filled, published_days_ago=30, filled_after=10)
    propose_at(filled, published + timedelta(days=2))
    other = OfferFactory(company=world.company, published=True, positions=3)
    published = at(other, published_days_ago=10)
    propose_at(other, published + timedelta(days=4))
    OfferFactory(company=world.company, positions=50)  # a draft never counts
    OfferFactory(company=world.other_company, published=True, positions=7)

    figures = figures_for_offers(Offer.objects.filter(company=world.company))
    assert (figures.offers, figures.offers_filled) == (2, 1)
    assert (figures.positions_offered, figures.positions_filled) == (5, 2)
    assert figures.fill_rate == 40.0
    assert figures.days_to_first_proposal == 3.0
    assert figures.days_to_fill == 10.0
    assert figures.proposals == 2


def test_figures_by_company_and_for_nothing(world):
    OfferFactory(company=world.company, published=True, positions=3)
    OfferFactory(company=world.other_company, published=True, positions=1)
    rows = figures_by_company(Offer.objects.filter(region=world.paca))
    assert [(name, f.positions_offered) for _pk, name, f in rows] == [
        ("Méditel Relation Client", 3),
        ("Provence Contact", 1),
    ]
    empty = figures_for_offers(Offer.objects.none())
    assert (empty.offers, empty.positions_offered, empty.fill_rate, empty.days_to_fill) == (
        0,
        0,
        None,
        None,
    )


def test_grouped_figures_match_the_figures_of_each_group(world):
    from offers.figures import figures_grouped_by

    for company, positions in ((world.company, 3), (world.company, 2), (world.other_company, 4)):
        offer = OfferFactory(company=company, published=True, positions=positions)
        published = at(offer, published_days_ago=12)
        propose_at(offer, published + timedelta(days=positions))
    grouped = figures_grouped_by(Offer.objects.all(), "company_id")
    for company in (world.company, world.other_company):
        assert grouped[company.pk] == figures_for_offers(Offer.objects.filter(company=company))
    assert grouped[world.company.pk].days_to_first_proposal == 2.5
    assert grouped[world.company.pk].proposals == 2


def test_figures_of_several_sets_in_one_query_match_each_sets_figures(
    world, django_assert_num_queries
):
    """Two periods of submission (the reporting's period and the one before) in one
    query: each equals `figures_for_offers` of its own offers."""
    from django.db.models import Q

    from offers.figures import figures_for_offer_sets

    for days_ago, positions, filled_after, proposals in (
        (40, 3, 10, 2),
        (35, 2, None, 1),
        (12, 4, 5, 3),
        (8, 1, None, 0),
    ):
        offer = OfferFactory(company=world.company, published=True, positions=positions)
        published = at(offer, published_days_ago=days_ago, filled_after=filled_after)
        for n in range(proposals):
            propose_at(offer, published + timedelta(days=n + 1))
    OfferFactory(company=world.company, positions=50)  # a draft never counts
    today = timezone.localdate()
    recent = Q(submitted_at__date__gte=today - timedelta(days=20))
    older = Q(submitted_at__date__lt=today - timedelta(days=20))
    empty = Q(submitted_at__date__gte=today + timedelta(days=1))
    offers = Offer.objects.filter(company=world.company)
    with django_assert_num_queries(1):
        got = figures_for_offer_sets(offers, [recent, older, empty])
    assert got == [
        figures_for_offers(offers.filter(recent)),
        figures_for_offers(offers.filter(older)),
        figures_for_offers(offers.filter(empty)),
    ]
    assert (got[0].offers, got[0].proposals, got[1].offers, got[1].proposals) == (2, 3, 2, 3)
    assert got[2].offers == 0 and got[2].fill_rate is None


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the local-day index is PostgreSQL's only"
)
def test_the_reporting_filter_on_the_local_day_can_use_its_index():
    """Offers migration 0004 indexes the expression Django writes for
    `submitted_at__date`: the planner must be able to match it, or the index is dead."""
    qs = Offer.objects.registered().filter(
        submitted_at__date__gte=date(2025, 1, 1), submitted_at__date__lte=date(2025, 12, 31)
    )
    sql, params = qs.values("pk").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "offer_submitted_local_day" in plan, plan
