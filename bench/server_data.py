"""The server benchmark's data: youths, pathway events, offers, proposals, sessions and
enrolments, written in large batches (`bulk_create` of 10,000 rows per statement).

At 100,000 youths: five missions locales of one region, the advisor's holding half of
the youths; 20,000 offers of 200 companies, 100,000 proposals (the board's offer 100);
5,000 sessions with 20 enrolments each. `--youths` scales the youths, events,
proposals; offers are a tenth of the youths (at least 20,000).
"""

from __future__ import annotations

import random
import time
from datetime import datetime, timedelta

FIRST = ["Inès", "Yanis", "Léa", "Mehdi", "Chloé", "Karim", "Sarah", "Lucas", "Amira", "Hugo"]
FIRST += ["Jade", "Nassim", "Manon", "Rayan", "Camille", "Sofiane", "Océane", "Théo", "Lina"]
LAST = ["Martin", "Benali", "Rossi", "Nguyen", "Haddad", "Lefèvre", "Garcia", "Mercier"]
LAST += ["Diallo", "Fabre", "Bouzid", "Roux", "Amrani", "Giraud", "Ferrand", "Cohen", "Traoré"]
LAST += ["Blanc", "Durand", "Petit", "Moreau", "Simon", "Laurent", "Michel", "Lefebvre", "Dupont"]
CITIES = ["Marseille", "Aix-en-Provence", "Aubagne", "Toulon", "Avignon", "Nice"]
SKILLS = ["Accueil du public, téléphone", "Vente en magasin, caisse", "Livraison", ""]
BATCH = 10_000
BOARD_PROPOSALS = 100
PASSWORD = "bench-password-123"  # noqa: S105 (benchmark accounts, never a real one)


def _log(what: str, started: float) -> None:
    print(f"  {what} ({time.perf_counter() - started:.0f} s)", flush=True)


def load(*, youths: int, advisor_share: float, mission_locales: int) -> None:  # noqa: PLR0915
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from accounts.enums import OrganisationKind, Role
    from accounts.models import Membership, Organisation, Region, User
    from accounts.seed import demo_siret
    from candidates.enums import PathwayStage
    from candidates.models import PathwayEvent, Youth, refresh_first_in_year
    from candidates.text import normalise_name
    from immersion.enums import EnrolmentStatus, ProgrammeKind, SessionStatus, audience_of
    from immersion.models import Enrolment, Session
    from offers.enums import ContractType, OfferStatus, ProposalStatus
    from offers.models import JobRole, Offer, Proposal

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    rng = random.Random(42)
    now = timezone.now()
    today = timezone.localdate()
    paca = Region.objects.create(code="93", name="Provence-Alpes-Côte d'Azur")
    other = Region.objects.create(code="84", name="Auvergne-Rhône-Alpes")
    mls = [
        Organisation.objects.create(
            kind=OrganisationKind.MISSION_LOCALE,
            name=f"Mission locale {i}",
            region=paca if i < 5 else other,
        )
        for i in range(mission_locales)
    ]
    advisors = {}
    for i, ml in enumerate(mls):
        for j in range(3):
            user = User.objects.create_user(f"conseiller{i}-{j}@bench.fr", PASSWORD)
            Membership.objects.create(user=user, organisation=ml, role=Role.ADVISOR)
            advisors[i, j] = user
    cnml = Organisation.objects.create(kind=OrganisationKind.CNML, name="CNML")
    national = User.objects.create_user("national@bench.fr", PASSWORD)
    Membership.objects.create(user=national, organisation=cnml, role=Role.NATIONAL)
    TOTP.activate(national, generate_totp_secret())
    companies = [
        Organisation.objects.create(
            kind=OrganisationKind.COMPANY,
            name=f"Entreprise {i:03d}",
            region=paca if i % 4 else other,
            siret=demo_siret(f"9{i:012d}"),
        )
        for i in range(200)
    ]
    recruiter = User.objects.create_user("recruteur@bench.fr", PASSWORD)
    Membership.objects.create(user=recruiter, organisation=companies[1], role=Role.RECRUITER)

    stages = list(PathwayStage.forward())
    in_advisor_ml = int(youths * advisor_share)
    for offset in range(0, youths, BATCH):
        rows = []
        for n in range(offset, min(offset + BATCH, youths)):
            index = 0 if n < in_advisor_ml else 1 + n % (mission_locales - 1)
            first, last = rng.choice(FIRST), rng.choice(LAST)
            registered = today - timedelta(days=rng.randint(30, 1800))
            depth = rng.randint(0, len(stages) - 1)
            rows.append(
                Youth(
                    mission_locale=mls[index],
                    advisor=advisors[index, n % 3],
                    first_name=first,
                    last_name=last,
                    search_name=normalise_name(last, first),
                    birth_date=registered - timedelta(days=rng.randint(16 * 365 + 10, 9000)),
                    email=f"jeune{n}@bench.fr",
                    phone="0612345678",
                    postcode=rng.choice(["13001", "13015", "13100", "13010", "83000"]),
                    skills=rng.choice(SKILLS),
                    registered_on=registered,
                    current_stage=stages[depth],
                    stage_changed_on=registered + timedelta(days=depth * 5),
                    last_contact_on=registered + timedelta(days=rng.randint(0, 25)),
                    consent_shared_at=now if n % 10 else None,
                )
            )
        Youth.objects.bulk_create(rows, batch_size=BATCH)
        events = [
            PathwayEvent(
                youth=youth,
                stage=stages[k],
                previous_stage=stages[k - 1] if k else "",
                occurred_on=youth.registered_on + timedelta(days=k * 5),
                author=youth.advisor,
            )
            for youth in rows
            for k in range(stages.index(youth.current_stage) + 1)
        ]
        PathwayEvent.objects.bulk_create(events, batch_size=BATCH)
        _log(f"{offset + len(rows)} youths", started)
    refresh_first_in_year()  # bulk_create bypasses save(), which keeps these flags

    roles = list(JobRole.objects.all())
    statuses = [OfferStatus.PUBLISHED] * 5 + [OfferStatus.FILLED, OfferStatus.EXPIRED]
    statuses += [OfferStatus.SUBMITTED, OfferStatus.DRAFT]
    offers = []
    for n in range(max(20_000, youths // 10)):
        company = companies[n % len(companies)]
        status = rng.choice(statuses)
        published = now - timedelta(days=rng.randint(1, 400))
        positions = rng.choice([1, 1, 2, 3, 5])
        offers.append(
            Offer(
                company=company,
                region_id=company.region_id,
                job_role=rng.choice(roles),
                contract_type=rng.choice(ContractType.values),
                positions=positions,
                weekly_hours=35,
                postcode=rng.choice(["13001", "13015", "13100", "69007"]),
                city="Marseille",
                start_date=today + timedelta(days=rng.randint(-200, 60)),
                closing_date=today + timedelta(days=rng.randint(61, 120)),
                description=f"Offre {n}",
                status=status,
                positions_filled=positions if status == OfferStatus.FILLED else 0,
                submitted_at=None if status == OfferStatus.DRAFT else published,
                published_at=None
                if status in (OfferStatus.DRAFT, OfferStatus.SUBMITTED)
                else published,
                filled_at=published + timedelta(days=9) if status == OfferStatus.FILLED else None,
            )
        )
    Offer.objects.bulk_create(offers, batch_size=BATCH)
    board = Offer.objects.filter(company=companies[1], status=OfferStatus.PUBLISHED).first()
    board.positions = 200
    board.save(update_fields=["positions"])
    _log(f"{len(offers)} offers", started)

    advisor = advisors[0, 0]
    ml_youths = list(
        Youth.objects.filter(mission_locale=mls[0]).order_by("pk").values_list("pk", flat=True)
    )
    eligible = list(
        Offer.objects.exclude(status__in=(OfferStatus.DRAFT, OfferStatus.SUBMITTED))
        .exclude(pk=board.pk)
        .values_list("pk", flat=True)
    )
    proposal_statuses = [
        ProposalStatus.PROPOSED,
        ProposalStatus.SEEN,
        ProposalStatus.INTERVIEW,
        ProposalStatus.DECLINED,
    ]
    per_offer = max(1, (youths - BOARD_PROPOSALS) // len(eligible))
    plan = [(board.pk, BOARD_PROPOSALS)] + [(pk, per_offer) for pk in eligible]
    batch, total = [], 0
    for index, (offer_id, count) in enumerate(plan):
        base = (index * 37) % len(ml_youths)
        for k in range(count):
            status = proposal_statuses[(index + k) % len(proposal_statuses)]
            batch.append(
                Proposal(
                    offer_id=offer_id,
                    youth_id=ml_youths[(base + k) % len(ml_youths)],
                    proposed_by=advisor,
                    status=status,
                    decline_reason="other" if status == ProposalStatus.DECLINED else "",
                )
            )
        if len(batch) >= BATCH:
            Proposal.objects.bulk_create(batch, batch_size=BATCH)
            total += len(batch)
            batch = []
    Proposal.objects.bulk_create(batch, batch_size=BATCH)
    _log(f"{total + len(batch)} proposals", started)

    hosts = companies[1:41:4]  # in the advisor's region
    tz = timezone.get_current_timezone()
    origin = datetime.combine(today - timedelta(days=365), datetime.min.time())
    region_youths = list(
        Youth.objects.filter(mission_locale__region=paca).values_list("pk", "advisor_id")[:20_000]
    )
    sessions = []
    for i in range(5_000):
        kind = ProgrammeKind.values[i % len(ProgrammeKind.values)]
        host = hosts[i % len(hosts)]
        starts_at = timezone.make_aware(
            origin + timedelta(days=rng.randrange(730), hours=8 + rng.randrange(9)), tz
        )
        sessions.append(
            Session(
                region_id=host.region_id,
                kind=kind,
                audience=audience_of(kind),
                title=f"Session {i} · {ProgrammeKind(kind).label}",
                host=host,
                place=f"{i} rue de la République",
                city=CITIES[i % len(CITIES)],
                starts_at=starts_at,
                ends_at=starts_at + timedelta(hours=3),
                capacity=25,
                registration_deadline=timezone.localdate(starts_at) - timedelta(days=2),
                status=SessionStatus.OPEN,
                confirmed_count=20,
            )
        )
    sessions = Session.objects.bulk_create(sessions, batch_size=BATCH)
    enrolments = [
        Enrolment(
            session=session,
            youth_id=youth_id,
            status=EnrolmentStatus.CONFIRMED,
            enrolled_by_id=advisor_id,
        )
        for session in sessions
        for youth_id, advisor_id in rng.sample(region_youths, 20)
    ]
    Enrolment.objects.bulk_create(enrolments, batch_size=BATCH)
    _log(f"{len(sessions)} sessions, {len(enrolments)} enrolments", started)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    _log("VACUUM ANALYZE", started)
