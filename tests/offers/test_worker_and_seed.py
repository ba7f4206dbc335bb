"""The publication email through the real worker and SMTP server, and the demo data."""

from __future__ import annotations

import pytest
from django.db import transaction

from offers import services
from offers.enums import OfferStatus, ProposalStatus
from offers.models import Employment, Offer, Proposal

from .factories import OfferFactory


def test_the_publication_email_reaches_the_smtp_server_through_the_worker(
    celery_worker, transactional_db, world
):
    offer = OfferFactory(company=world.company, submitted=True)
    # The SMTP server lives for the whole session: count from what it already holds.
    before = len(celery_worker.smtp.messages)
    with transaction.atomic():
        services.publish_offer(offer=offer, actor=world.lead)
    messages = celery_worker.smtp.wait_for(before + 2)[before:]
    mine = [m for m in messages if "Nouvelle offre : Téléconseiller" in m["Subject"]]
    assert sorted(m["To"] for m in mine) == sorted([world.advisor.email, world.advisor_aix.email])
    assert f"/offres/{offer.pk}/" in mine[0].get_body(("plain",)).get_content()


@pytest.mark.django_db
def test_the_demo_seed_has_every_state_and_runs_twice_without_duplicates(settings):
    from accounts.seed import seed as seed_accounts
    from offers.seed import seed

    demo = seed_accounts(password="un-mot-de-passe-solide-42")
    first = seed(demo)
    counts = (Offer.objects.count(), Proposal.objects.count(), Employment.objects.count())
    second = seed(demo)
    assert second.startswith("0 new offers")
    assert (Offer.objects.count(), Proposal.objects.count(), Employment.objects.count()) == counts
    assert first.startswith(f"{counts[0]} new offers")
    assert set(Offer.objects.values_list("status", flat=True)) == set(OfferStatus.values)
    statuses = set(Proposal.objects.values_list("status", flat=True))
    assert {
        ProposalStatus.PROPOSED,
        ProposalStatus.SEEN,
        ProposalStatus.INTERVIEW,
        ProposalStatus.HIRED,
        ProposalStatus.DECLINED,
    } <= statuses
    assert (
        Employment.objects.count()
        == Proposal.objects.filter(status=ProposalStatus.HIRED).count()
        >= 3
    )
    assert Offer.objects.filter(accompanied_by__isnull=False, positions__gt=10).exists()
