"""Benchmark of the offers pages with 20,000 offers and 200,000 proposals on PostgreSQL.

Not a test: it loads a separate database (default `cp_bench_offers`, dropped and
recreated unless --keep), then times, through Django's test Client in-process, the
offer lists (recruiter, project lead, advisor with and without htmx filters), the
recruiter's board of one offer and the matching suggestions of one offer against the
advisor's 5,000 youths, and prints p50/p95 in milliseconds.

    .venv/bin/python bench/offers_bench.py \
        --database-url postgres://postgres@127.0.0.1:5432/cp_bench_offers
"""

from __future__ import annotations

import argparse
import random
import time
from datetime import timedelta

from common import configure, database_name, recreate_database, report

FIRST = ["Inès", "Yanis", "Léa", "Mehdi", "Chloé", "Karim", "Sarah", "Lucas", "Amira", "Hugo"]
LAST = ["Martin", "Benali", "Rossi", "Nguyen", "Haddad", "Lefèvre", "Garcia", "Mercier"]
SKILLS = [
    "Accueil du public, téléphone",
    "Vente en magasin, caisse",
    "Livraison",
    "Informatique, dépannage",
    "Animation, écoute",
    "",
]
BOARD_PROPOSALS = 100


def load(n_offers: int, n_proposals: int, n_youths: int) -> None:
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from accounts.enums import OrganisationKind, Role
    from accounts.models import Membership, Organisation, Region, User
    from candidates.enums import AssessmentOutcome, Availability, Mobility, PathwayStage
    from candidates.models import Youth
    from candidates.text import normalise_name
    from offers.enums import ContractType, OfferStatus, ProposalStatus
    from offers.models import JobRole, Offer, Proposal
    from tests.accounts.factories import demo_siret

    call_command("migrate", verbosity=0)
    rng = random.Random(42)
    now = timezone.now()
    today = timezone.localdate()
    paca = Region.objects.create(code="93", name="Provence-Alpes-Côte d'Azur")
    lyon = Region.objects.create(code="84", name="Auvergne-Rhône-Alpes")
    ml = Organisation.objects.create(
        kind=OrganisationKind.MISSION_LOCALE, name="Mission locale de Marseille", region=paca
    )
    cepl = Organisation.objects.create(
        kind=OrganisationKind.BUSINESS_NETWORK, name="CEPL", region=paca
    )
    companies = [
        Organisation.objects.create(
            kind=OrganisationKind.COMPANY,
            name=f"Entreprise {i:03d}",
            region=paca if i % 4 else lyon,
            siret=demo_siret(f"9{i:012d}"),
        )
        for i in range(200)
    ]
    advisor = User.objects.create_user(
        "conseiller@bench.fr", "bench-password-123", first_name="Camille", last_name="Durand"
    )
    Membership.objects.create(user=advisor, organisation=ml, role=Role.ADVISOR)
    recruiter = User.objects.create_user("recruteur@bench.fr", "bench-password-123")
    Membership.objects.create(user=recruiter, organisation=companies[1], role=Role.RECRUITER)
    lead = User.objects.create_user("chargee@bench.fr", "bench-password-123")
    Membership.objects.create(user=lead, organisation=cepl, role=Role.PROJECT_LEAD)
    TOTP.activate(lead, generate_totp_secret())

    call_command("migrate", "offers", verbosity=0)
    roles = list(JobRole.objects.all())
    start = time.perf_counter()
    youths = []
    stages = [
        PathwayStage.INFORMATION,
        PathwayStage.DISCOVERY,
        PathwayStage.IMMERSION,
        PathwayStage.TRAINING,
    ]
    for n in range(n_youths):
        first, last = rng.choice(FIRST), rng.choice(LAST)
        registered = today - timedelta(days=rng.randint(30, 600))
        youths.append(
            Youth(
                mission_locale=ml,
                advisor=advisor,
                first_name=first,
                last_name=last,
                search_name=normalise_name(last, first),
                birth_date=registered - timedelta(days=rng.randint(17 * 365, 24 * 365)),
                email=f"jeune{n}@bench.fr",
                phone="0612345678",
                postcode=rng.choice(["13001", "13015", "13100", "13010", "69003"]),
                skills=rng.choice(SKILLS),
                previous_sector=rng.choice(["Vente", "", "Logistique"]),
                availability=rng.choice(Availability.values + [""]),
                mobility=rng.choice(Mobility.values + [""]),
                registered_on=registered,
                current_stage=rng.choice(stages),
                last_assessment_outcome=rng.choice(AssessmentOutcome.values + [""]),
                consent_shared_at=now if n % 10 else None,
            )
        )
    Youth.objects.bulk_create(youths, batch_size=5000)
    youth_ids = list(Youth.objects.order_by("pk").values_list("pk", flat=True))
    print(f"  {len(youth_ids)} youths ({time.perf_counter() - start:.0f} s)", flush=True)

    statuses = [OfferStatus.PUBLISHED] * 5 + [
        OfferStatus.FILLED,
        OfferStatus.PARTLY_FILLED,
        OfferStatus.EXPIRED,
        OfferStatus.CLOSED_UNFILLED,
        OfferStatus.SUBMITTED,
        OfferStatus.DRAFT,
        OfferStatus.WITHDRAWN,
    ]
    offers = []
    for n in range(n_offers):
        company = companies[n % len(companies)]
        status = rng.choice(statuses)
        published = now - timedelta(days=rng.randint(1, 400))
        positions = rng.choice([1, 1, 2, 3, 5, 12])
        offers.append(
            Offer(
                company=company,
                region_id=company.region_id,
                job_role=rng.choice(roles),
                contract_type=rng.choice(ContractType.values),
                positions=positions,
                weekly_hours=rng.choice([35, 35, 24, 30]),
                postcode=rng.choice(["13001", "13015", "13100", "69007"]),
                city="Marseille",
                start_date=today + timedelta(days=rng.randint(-200, 60)),
                closing_date=today + timedelta(days=rng.randint(61, 120)),
                description=f"Offre {n}",
                status=status,
                positions_filled=positions if status == OfferStatus.FILLED else 0,
                submitted_at=None if status == OfferStatus.DRAFT else published - timedelta(days=2),
                published_at=None
                if status in (OfferStatus.DRAFT, OfferStatus.SUBMITTED)
                else published,
                filled_at=published + timedelta(days=rng.randint(5, 60))
                if status == OfferStatus.FILLED
                else None,
            )
        )
    Offer.objects.bulk_create(offers, batch_size=5000)
    offer_ids = list(Offer.objects.order_by("pk").values_list("pk", "status"))
    print(f"  {len(offer_ids)} offers ({time.perf_counter() - start:.0f} s)", flush=True)

    # The board's offer: a published offer of the recruiter's company.
    board_offer = Offer.objects.filter(company=companies[1], status=OfferStatus.PUBLISHED).first()
    board_offer.positions = 200
    board_offer.save(update_fields=["positions"])
    eligible = [
        (offer_id, status)
        for offer_id, status in offer_ids
        if status not in (OfferStatus.DRAFT, OfferStatus.SUBMITTED) and offer_id != board_offer.pk
    ]
    per_offer, remainder = divmod(n_proposals - BOARD_PROPOSALS, len(eligible))
    eligible.append((board_offer.pk, OfferStatus.PUBLISHED))
    proposal_statuses = [
        ProposalStatus.PROPOSED,
        ProposalStatus.SEEN,
        ProposalStatus.INTERVIEW,
        ProposalStatus.DECLINED,
        ProposalStatus.WITHDRAWN,
        ProposalStatus.HIRED,
    ]
    batch, total = [], 0
    for index, (offer_id, _status) in enumerate(eligible):
        count = BOARD_PROPOSALS if offer_id == board_offer.pk else per_offer + (index < remainder)
        base = (index * 37) % len(youth_ids)
        for k in range(count):
            batch.append(
                Proposal(
                    offer_id=offer_id,
                    youth_id=youth_ids[(base + k) % len(youth_ids)],
                    proposed_by=advisor,
                    status=proposal_statuses[(index + k) % len(proposal_statuses)],
                    decline_reason="other"
                    if proposal_statuses[(index + k) % 6] == ProposalStatus.DECLINED
                    else "",
                )
            )
        if len(batch) >= 20000:
            Proposal.objects.bulk_create(batch, batch_size=5000)
            total += len(batch)
            batch = []
            print(f"  {total} proposals ({time.perf_counter() - start:.0f} s)", flush=True)
    Proposal.objects.bulk_create(batch, batch_size=5000)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


def timed(client, url, params=None, runs=60, htmx=False) -> list[float]:
    timings = []
    headers = {"HX-Request": "true"} if htmx else {}
    for _ in range(runs):
        start = time.perf_counter()
        response = client.get(url, params or {}, headers=headers)
        timings.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--database-url", default="postgres://postgres@127.0.0.1:5432/cp_bench_offers"
    )
    parser.add_argument("--offers", type=int, default=20_000)
    parser.add_argument("--proposals", type=int, default=200_000)
    parser.add_argument("--youths", type=int, default=5_000)
    parser.add_argument("--runs", type=int, default=60)
    parser.add_argument("--keep", action="store_true", help="reuse the loaded database")
    args = parser.parse_args()

    configure(args.database_url, CONN_MAX_AGE="600")
    if not args.keep:
        print(f"Recreating {database_name(args.database_url)} and loading…")
        recreate_database(args.database_url)
    import django

    django.setup()
    from django.test import Client
    from django.urls import reverse

    from accounts.models import User
    from offers.enums import OfferStatus
    from offers.models import Offer, Proposal

    if not args.keep:
        load(args.offers, args.proposals, args.youths)
    advisor = User.objects.get(email="conseiller@bench.fr")
    recruiter = User.objects.get(email="recruteur@bench.fr")
    lead = User.objects.get(email="chargee@bench.fr")
    board_offer = (
        Offer.objects.filter(status=OfferStatus.PUBLISHED, company__memberships__user=recruiter)
        .order_by("-positions", "pk")
        .first()
    )
    print(
        f"{Offer.objects.count()} offers, {Proposal.objects.count()} proposals; board offer "
        f"#{board_offer.pk} with {board_offer.proposals.count()} proposals"
    )
    clients = {}
    for name, user in (("advisor", advisor), ("recruiter", recruiter), ("lead", lead)):
        clients[name] = Client()
        clients[name].force_login(user)
    rows = []

    def bench(label, who, url, params=None, htmx=False):
        timed(clients[who], url, params, runs=5, htmx=htmx)  # warm up
        rows.append(report(label, timed(clients[who], url, params, runs=args.runs, htmx=htmx)))

    bench("recruiter: my offers (counts per stage)", "recruiter", reverse("offers:my_offers"))
    bench("project lead: offers of the region", "lead", reverse("offers:region_offers"))
    bench(
        "project lead: offers of the region, page 100",
        "lead",
        reverse("offers:region_offers"),
        {"page": 100},
    )
    bench("advisor: published offers of the region", "advisor", reverse("offers:browse_offers"))
    bench(
        "advisor: filtered, htmx fragment (CDI, full time, « 13 »)",
        "advisor",
        reverse("offers:browse_offers"),
        {"contract_type": "cdi", "full_time": "on", "place": "13"},
        htmx=True,
    )
    bench(
        f"recruiter: board of one offer ({BOARD_PROPOSALS} proposals)",
        "recruiter",
        reverse("offers:offer_board", args=[board_offer.pk]),
    )
    bench(
        f"advisor: matching suggestions against {args.youths} youths",
        "advisor",
        reverse("offers:offer_suggestions", args=[board_offer.pk]),
    )
    print("| page | p50 (ms) | p95 (ms) | requests |")
    print("|---|---|---|---|")
    print("\n".join(rows))


if __name__ == "__main__":
    main()
