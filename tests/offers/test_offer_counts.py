"""`OfferCount`: the offers' figures the database keeps by region, job role and local
month of submission (PostgreSQL's triggers, offers migration 0015) equal the figures
counted from the offers and their proposals after every kind of write: an offer
drafted, submitted, published, filled through the services or by a factory, in bulk, by
a queryset's update, moved to another region, role or month, deleted with its
proposals, by raw SQL; a proposal made, moved in time or to another offer, removed.
Folding and counting again change no sum. The dashboard's offers figures read them
(`reporting.indicators.offers`); on SQLite they count the offers themselves."""

from __future__ import annotations

import datetime
from collections import Counter
from datetime import timedelta

import pytest
from django.db import connection
from django.db.models import Q, Sum
from django.utils import timezone

from offers.enums import OfferStatus
from offers.figures import (
    COUNT_SUMS,
    compact_offer_counts,
    figures_for_offers,
    kept_figures_for_sets,
    offer_counts_kept,
    rebuild_offer_counts,
)
from offers.models import Offer, OfferCount, Proposal
from offers.services import propose_youth, publish_offer, submit_offer
from reporting.indicators import offers as offer_indicators
from reporting.periods import Period
from reporting.scopes import Population
from tests.accounts.factories import OrganisationFactory

from .factories import JobRoleFactory, OfferFactory, ProposalFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="PostgreSQL only: SQLite cannot take a local month in a trigger; its "
        "figures count the offers (tests/reporting)",
    ),
]

MICROSECOND = timedelta(microseconds=1)


def _month(instant: datetime.datetime) -> datetime.date:
    return timezone.localtime(instant).date().replace(day=1)


def expected() -> dict:
    """The figures of every group, counted in Python from the offers and proposals."""
    proposals = Counter(Proposal.objects.values_list("offer_id", flat=True))
    first = {}
    for offer_id, created in Proposal.objects.values_list("offer_id", "created_at"):
        first[offer_id] = min(created, first.get(offer_id, created))
    groups: dict = {}
    for offer in Offer.objects.exclude(status=OfferStatus.DRAFT).exclude(submitted_at=None):
        key = (offer.region_id, offer.job_role_id, _month(offer.submitted_at))
        sums = groups.setdefault(key, dict.fromkeys(COUNT_SUMS, 0))
        sums["offers"] += 1
        sums["offers_filled"] += offer.status == OfferStatus.FILLED
        sums["positions_offered"] += offer.positions
        sums["positions_filled"] += offer.positions_filled
        sums["proposals"] += proposals[offer.pk]
        if offer.published_at and offer.pk in first:
            sums["to_first_us"] += (first[offer.pk] - offer.published_at) // MICROSECOND
            sums["to_first_offers"] += 1
        if offer.published_at and offer.filled_at:
            sums["to_fill_us"] += (offer.filled_at - offer.published_at) // MICROSECOND
            sums["to_fill_offers"] += 1
    return groups


def counted() -> dict:
    """The kept figures of every group that holds something (deltas summed)."""
    rows = OfferCount.objects.values("region_id", "job_role_id", "month").annotate(
        **{f"sum_{name}": Sum(name) for name in COUNT_SUMS}
    )
    groups = {}
    for row in rows.order_by():
        sums = {name: int(row[f"sum_{name}"]) for name in COUNT_SUMS}
        if any(sums.values()):
            groups[(row["region_id"], row["job_role_id"], row["month"])] = sums
    return groups


def assert_counts_match():
    assert counted() == expected()


def test_the_database_keeps_them_here():
    assert offer_counts_kept()


def test_an_offer_through_its_life_is_counted(world, youth):
    offer = OfferFactory(company=world.company, job_role=world.role)  # a draft
    assert_counts_match()
    assert counted() == {}
    submit_offer(offer=offer, actor=world.recruiter)
    assert_counts_match()
    publish_offer(offer=offer, actor=world.lead)
    assert_counts_match()
    propose_youth(offer=offer, youth=youth, actor=world.advisor)
    assert_counts_match()
    group = counted()[(world.paca.pk, world.role.pk, _month(Offer.objects.get().submitted_at))]
    assert group["offers"] == 1
    assert group["proposals"] == 1
    assert group["to_first_offers"] == 1
    Offer.objects.filter(pk=offer.pk).update(
        status=OfferStatus.FILLED,
        positions_filled=2,
        filled_at=timezone.now() + timedelta(days=3, hours=5),
    )
    assert_counts_match()
    assert next(iter(counted().values()))["to_fill_offers"] == 1


def test_offers_moved_between_groups_are_counted(world):
    other_role = JobRoleFactory(name="Superviseur / superviseuse", order=20)
    offers = [
        OfferFactory(company=world.company, job_role=world.role, published=True) for _ in range(3)
    ]
    OfferFactory(
        company=world.company, job_role=world.role, filled=True, submitted_at=timezone.now()
    )
    assert_counts_match()
    Offer.objects.filter(pk=offers[0].pk).update(job_role=other_role)
    Offer.objects.filter(pk=offers[1].pk).update(region=world.lyon)
    Offer.objects.filter(pk=offers[2].pk).update(submitted_at=timezone.now() - timedelta(days=400))
    assert_counts_match()
    assert len(counted()) == 4
    # back to the drafts: no longer counted; a write that moves nothing adds no delta
    before = OfferCount.objects.count()
    Offer.objects.filter(pk=offers[2].pk).update(status=OfferStatus.DRAFT)
    Offer.objects.filter(pk=offers[0].pk).update(description="Un autre texte.")
    assert OfferCount.objects.count() == before + 1
    assert_counts_match()


def test_bulk_writes_deletions_and_raw_sql_are_counted(world):
    role = world.role
    Offer.objects.bulk_create(
        [
            OfferFactory.build(
                company=world.company, region=world.paca, job_role=role, published=True
            )
            for _ in range(4)
        ]
    )
    offer = OfferFactory(company=world.company, job_role=role, published=True)
    for _ in range(3):
        ProposalFactory(offer=offer)
    assert_counts_match()
    Offer.objects.filter(job_role=role).update(positions=5)
    assert_counts_match()
    # an offer deleted goes with its proposals
    Proposal.objects.filter(offer=offer).delete()
    offer.delete()
    assert_counts_match()
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE offers_offer SET published_at = published_at - interval '5 days 3 hours', "
            "status = 'withdrawn'"
        )
    assert_counts_match()
    Offer.objects.all().delete()
    assert counted() == {}


def test_proposals_made_moved_and_removed_are_counted(world):
    offer = OfferFactory(company=world.company, job_role=world.role, published=True)
    other = OfferFactory(company=world.company, job_role=world.role, published=True)
    proposals = [ProposalFactory(offer=offer) for _ in range(3)]
    Proposal.objects.bulk_create(
        [Proposal(offer=other, youth=p.youth, proposed_by=p.proposed_by) for p in proposals]
    )
    assert_counts_match()
    # the first proposal earlier, then gone: the time to the first proposal follows
    Proposal.objects.filter(pk=proposals[1].pk).update(
        created_at=offer.published_at + timedelta(hours=7)
    )
    assert_counts_match()
    Proposal.objects.filter(pk=proposals[1].pk).delete()
    assert_counts_match()
    moving = ProposalFactory(offer=offer)
    Proposal.objects.filter(pk=moving.pk).update(offer=other)
    assert_counts_match()
    Proposal.objects.all().delete()
    assert_counts_match()
    assert sum(group["proposals"] for group in counted().values()) == 0


def test_folding_and_counting_again_keep_every_sum(world):
    for n in range(6):
        offer = OfferFactory(company=world.company, job_role=world.role, published=True)
        for _ in range(n % 3):
            ProposalFactory(offer=offer)
        Offer.objects.filter(pk=offer.pk).update(positions=1 + n)
    before = counted()
    assert before == expected()
    rows = OfferCount.objects.count()
    assert compact_offer_counts() < rows
    assert compact_offer_counts() == len(before)  # twice: nothing more to fold
    assert counted() == before
    OfferCount.objects.all().delete()
    assert counted() == {}
    rebuild_offer_counts()
    rebuild_offer_counts()  # twice: the same counts
    assert counted() == before
    # the proposals' counts emptied at once (TRUNCATE): counted again, without them
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE offers_offerproposals")
    assert all(group["proposals"] == 0 for group in counted().values())
    assert sum(group["offers"] for group in counted().values()) == 6


@pytest.mark.parametrize(
    "period",
    [Period(2026), Period(2025), Period(2026, 3), Period(2026, 11), Period(2025, 12)],
    ids=str,
)
def test_the_dashboards_figures_equal_the_offers_counted_directly(world, period):
    """Each kept figure equals `figures_for_offers` of the offers submitted in the
    period, for the nation and for each region; so do the positions by month and by
    role. Times of submission straddle the local months' ends."""
    roles = [world.role, JobRoleFactory(name="Superviseur / superviseuse", order=20)]
    company_lyon = OrganisationFactory(company=True, region=world.lyon)
    paris = timezone.get_current_timezone()
    instants = [
        datetime.datetime(2025, 12, 31, 23, 30, tzinfo=paris),  # 22:30 UTC, December
        datetime.datetime(2026, 1, 1, 0, 15, tzinfo=paris),  # 23:15 UTC the day before
        datetime.datetime(2026, 3, 1, 0, 5, tzinfo=paris),
        datetime.datetime(2026, 3, 31, 23, 55, tzinfo=paris),
        datetime.datetime(2026, 11, 15, 12, 0, tzinfo=paris),
    ]
    for n, submitted in enumerate(instants):
        company = world.company if n % 2 else company_lyon
        offer = OfferFactory(
            company=company,
            job_role=roles[n % 2],
            positions=n + 1,
            status=OfferStatus.FILLED if n % 3 == 0 else OfferStatus.PUBLISHED,
            positions_filled=n + 1 if n % 3 == 0 else 0,
            submitted_at=submitted,
            published_at=submitted + timedelta(days=1, hours=n),
            filled_at=submitted + timedelta(days=9, minutes=7 * n) if n % 3 == 0 else None,
        )
        for k in range(n % 3):
            proposal = ProposalFactory(offer=offer)
            Proposal.objects.filter(pk=proposal.pk).update(
                created_at=submitted + timedelta(days=2 + k, hours=n)
            )
    assert_counts_match()
    previous = period.previous()
    for scope in (
        Population(),
        Population(region_id=world.paca.pk),
        Population(region_id=world.lyon.pk),
    ):
        now, before = kept_figures_for_sets(
            offer_indicators._counts(scope),
            [offer_indicators._months_of(period), offer_indicators._months_of(previous)],
        )
        assert now == figures_for_offers(offer_indicators._registered(scope, period))
        assert before == figures_for_offers(offer_indicators._registered(scope, previous))
        by_month = offer_indicators.positions_offered_by_month(scope=scope, year=period.year)
        assert by_month == {
            month.start: n
            for month in Period(period.year).months()
            if (n := offer_indicators._registered(scope, month).aggregate(n=Sum("positions"))["n"])
        }
        by_role = offer_indicators.recruitment_needs_by_role(scope=scope, period=period)
        assert list(by_role.items()) == [
            (row["job_role__name"], row["n"])
            for row in offer_indicators._registered(scope, period)
            .values("job_role__name")
            .annotate(n=Sum("positions"))
            .order_by("-n", "job_role__name")
        ]
    # four offers submitted in 2026, local time (one at 23:15 UTC on 31 December)
    (year,) = kept_figures_for_sets(
        offer_indicators._counts(Population()), [offer_indicators._months_of(Period(2026))]
    )
    assert year.offers == 4


def test_the_daily_job_folds_the_counts(world, settings):
    from offers.tasks import fold_offer_counts

    for _ in range(3):
        offer = OfferFactory(company=world.company, job_role=world.role, published=True)
        Offer.objects.filter(pk=offer.pk).update(positions=4)
    before = counted()
    assert OfferCount.objects.count() > 1
    assert fold_offer_counts.apply().get() == {"rows": 1}
    assert counted() == before
    entry = settings.CELERY_BEAT_SCHEDULE["offers-fold-offer-counts"]
    assert entry["task"] == "offers.tasks.fold_offer_counts"


def test_a_time_is_summed_to_the_microsecond(world):
    offer = OfferFactory(company=world.company, job_role=world.role, published=True)
    Offer.objects.filter(pk=offer.pk).update(
        status=OfferStatus.FILLED,
        positions_filled=offer.positions,
        filled_at=offer.published_at + timedelta(days=2, microseconds=123_457),
    )
    (group,) = counted().values()
    assert group["to_fill_us"] == (2 * 86_400 * 1_000_000) + 123_457
    assert group["to_fill_offers"] == 1
    (kept,) = kept_figures_for_sets(OfferCount.objects.all(), [Q()])
    assert kept.days_to_fill == 2.0
    assert kept == figures_for_offers(Offer.objects.all())


@pytest.mark.django_db(transaction=True)
def test_the_counts_migrate_back_and_forth(world):
    """Offers migration 0015 both ways on a database holding offers: back, no table and
    no trigger (a write then still succeeds); forward again, the offers there are
    counted."""
    from django.db.migrations.executor import MigrationExecutor

    offer = OfferFactory(company=world.company, job_role=world.role, published=True)
    ProposalFactory(offer=offer)
    try:
        MigrationExecutor(connection).migrate(
            [("offers", "0014_dashyear_offer_submitted_figures_index")]
        )
        assert "offers_offercount" not in connection.introspection.table_names()
        OfferFactory(company=world.company, job_role=world.role, published=True)
        Offer.objects.filter(pk=offer.pk).update(positions=7)
    finally:
        MigrationExecutor(connection).migrate([("offers", "0015_dashcold_offer_counts")])
    assert_counts_match()
    assert sum(group["offers"] for group in counted().values()) == 2
    OfferFactory(company=world.company, job_role=world.role, published=True)
    assert_counts_match()
