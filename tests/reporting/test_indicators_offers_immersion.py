"""The offers and immersion indicators: offers registered, positions offered and filled,
satisfaction and time to fill (through the offers app's figures), recruitment needs by
role, sessions held, attendance per kind, the platform's occupancy."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from immersion.enums import Attendance, EnrolmentStatus, ProgrammeKind, SessionStatus
from immersion.models import CaeContract, Cohort, Enrolment, Session
from offers.enums import ContractType, OfferStatus, ProposalStatus
from offers.models import Employment, JobRole, Offer, Proposal
from reporting import dashboard
from reporting.indicators import immersion as im
from reporting.indicators import offers as of
from reporting.periods import Period
from reporting.scopes import Population
from tests.accounts.factories import OrganisationFactory

d = datetime.date
NATIONAL = Population()
Y2025 = Period(2025)


def aware(day, hour=10):
    return timezone.make_aware(datetime.datetime(day.year, day.month, day.day, hour))


@pytest.fixture
def market(world):
    """Region A: two offers in 2025 (5 + 3 positions), one filled in 20 days with two
    hires; region B: one offer in 2025 (2 positions) and a draft never counted."""
    teleconseiller, _ = JobRole.objects.get_or_create(name="Téléconseiller (test)")
    superviseur, _ = JobRole.objects.get_or_create(name="Superviseur (test)")
    company_a = OrganisationFactory(company=True, region=world.region_a)
    company_b = OrganisationFactory(company=True, region=world.region_b)

    def offer(company, region, role, positions, submitted, **extra):
        return Offer.objects.create(
            company=company,
            region=region,
            job_role=role,
            contract_type=ContractType.CDI,
            positions=positions,
            weekly_hours=35,
            submitted_at=aware(submitted),
            **extra,
        )

    filled = offer(
        company_a,
        world.region_a,
        teleconseiller,
        5,
        d(2025, 3, 3),
        status=OfferStatus.PARTLY_FILLED,
        published_at=aware(d(2025, 3, 5)),
        filled_at=aware(d(2025, 3, 25)),
        positions_filled=2,
    )
    offer(
        company_a,
        world.region_a,
        superviseur,
        3,
        d(2025, 6, 10),
        status=OfferStatus.PUBLISHED,
        published_at=aware(d(2025, 6, 11)),
    )
    offer(
        company_b, world.region_b, teleconseiller, 2, d(2025, 6, 20), status=OfferStatus.SUBMITTED
    )
    Offer.objects.create(
        company=company_b,
        region=world.region_b,
        job_role=teleconseiller,
        contract_type=ContractType.CDD,
        positions=40,
        status=OfferStatus.DRAFT,
    )
    for youth, day in ((world.youths[0], d(2025, 3, 20)), (world.youths[3], d(2025, 4, 2))):
        proposal = Proposal.objects.create(offer=filled, youth=youth, status=ProposalStatus.HIRED)
        Employment.objects.create(
            proposal=proposal,
            youth=youth,
            company=company_a,
            contract_type=ContractType.CDI,
            start_date=day,
            weekly_hours=35,
        )
    return filled


def test_offers_registered(market, world):
    assert of.offers_registered(scope=NATIONAL, period=Y2025) == 3
    assert of.offers_registered(scope=Population(region_id=world.region_a.pk), period=Y2025) == 2
    assert of.offers_registered(scope=NATIONAL, period=Y2025, by="month") == {
        d(2025, 3, 1): 1,
        d(2025, 6, 1): 2,
    }
    ml1 = Population(region_id=world.region_a.pk, mission_locale_id=world.ml1.pk)
    assert of.offers_registered(scope=ml1, period=Y2025) == 2


def test_positions_offered(market, world):
    assert of.positions_offered(scope=NATIONAL, period=Y2025) == 10
    assert of.positions_offered(scope=NATIONAL, period=Y2025, by="region") == {
        world.region_a.pk: 8,
        world.region_b.pk: 2,
    }


def test_positions_filled(market, world):
    assert of.positions_filled(scope=NATIONAL, period=Y2025) == 2
    assert of.positions_filled(scope=NATIONAL, period=Period(2025, 4)) == 1
    assert of.positions_filled(scope=Population(region_id=world.region_b.pk), period=Y2025) == 0
    ml1 = Population(region_id=world.region_a.pk, mission_locale_id=world.ml1.pk)
    assert of.positions_filled(scope=ml1, period=Y2025, by="month") == {
        d(2025, 3, 1): 1,
        d(2025, 4, 1): 1,
    }


def test_satisfaction_rate_and_time_to_fill(market, world):
    assert of.satisfaction_rate(scope=NATIONAL, period=Y2025) == 20.0  # 2 of 10
    region_a = Population(region_id=world.region_a.pk)
    assert of.satisfaction_rate(scope=region_a, period=Y2025) == 25.0  # 2 of 8
    assert of.time_to_fill(scope=region_a, period=Y2025) == 20.0
    assert of.satisfaction_rate(scope=NATIONAL, period=Period(2024)) is None


def test_recruitment_needs_by_role(market):
    assert of.recruitment_needs_by_role(scope=NATIONAL, period=Y2025) == {
        "Téléconseiller (test)": 7,
        "Superviseur (test)": 3,
    }


def test_the_offers_of_a_period_by_instants_are_those_of_its_local_days(world):
    """The dashboard selects a period's offers by a range of instants (`_submitted_in`)
    and sums the positions of each month of the year in one pass: the same offers as
    `submitted_at__date` (the local day) selects, offers submitted on either side of
    each local midnight included (winter, summer time, the turn of the year; in UTC the
    local midnight is the day before at 23:00 or 22:00), and the same figures."""
    import random
    from zoneinfo import ZoneInfo

    from django.db.models import Q

    from offers.figures import figures_for_offers

    rng = random.Random(18)
    utc = ZoneInfo("UTC")
    company = OrganisationFactory(company=True, region=world.region_a)
    role, _ = JobRole.objects.get_or_create(name="Téléconseiller (test)")
    edges = [
        datetime.datetime(2024, 12, 31, 22, 59, 59, tzinfo=utc),  # 31/12 23:59:59 local
        datetime.datetime(2024, 12, 31, 23, 0, tzinfo=utc),  # 01/01 00:00 local
        datetime.datetime(2025, 3, 31, 21, 59, 59, tzinfo=utc),  # 31/03 23:59:59 (summer)
        datetime.datetime(2025, 3, 31, 22, 0, tzinfo=utc),  # 01/04 00:00
        datetime.datetime(2025, 10, 31, 22, 59, 59, tzinfo=utc),  # 31/10 23:59:59 (winter)
        datetime.datetime(2025, 10, 31, 23, 0, tzinfo=utc),  # 01/11 00:00
        datetime.datetime(2025, 12, 31, 22, 59, 59, tzinfo=utc),
        datetime.datetime(2025, 12, 31, 23, 0, tzinfo=utc),  # 2026 locally
    ]
    for submitted in edges:
        published = submitted + datetime.timedelta(hours=rng.randint(1, 200))
        Offer.objects.create(
            company=company,
            region=world.region_a,
            job_role=role,
            contract_type=ContractType.CDI,
            positions=rng.randint(1, 9),
            positions_filled=rng.randint(0, 1),
            weekly_hours=35,
            status=OfferStatus.PUBLISHED,
            submitted_at=submitted,
            published_at=published,
            filled_at=published + datetime.timedelta(days=rng.randint(1, 30)),
        )
    for period in (Period(2024), Period(2025), Period(2026), Period(2025, 3), Period(2025, 4)):
        by_day = Q(submitted_at__date__gte=period.start, submitted_at__date__lte=period.end)
        registered = Offer.objects.registered()
        assert set(registered.filter(of._submitted_in(period))) == set(registered.filter(by_day))
        scope = Population(region_id=world.region_a.pk)
        assert figures_for_offers(of._registered(scope, period)) == figures_for_offers(
            registered.filter(by_day, region=world.region_a)
        )
    for year in (2024, 2025, 2026):
        assert of.positions_offered_by_month(scope=NATIONAL, year=year) == of.positions_offered(
            scope=NATIONAL, period=Period(year), by="month"
        )
    assert of.positions_offered_by_month(scope=NATIONAL, year=2025)[d(2025, 4, 1)]


@pytest.fixture
def sessions(world):
    host = OrganisationFactory(company=True, region=world.region_a)

    def session(kind, day, status=SessionStatus.HELD, region=world.region_a):
        return Session.objects.create(
            region=region,
            kind=kind,
            audience="youths",
            title=f"{kind} {day}",
            host=host,
            place="1 rue de la Paix",
            city="Marseille",
            starts_at=aware(day),
            ends_at=aware(day, 12),
            capacity=10,
            registration_deadline=day,
            status=status,
        )

    open_day = session(ProgrammeKind.OPEN_DAY, d(2025, 3, 12))
    session(ProgrammeKind.OPEN_DAY, d(2025, 5, 12))
    session(ProgrammeKind.JOB_MEETING, d(2025, 3, 20), status=SessionStatus.CANCELLED)
    session(ProgrammeKind.JOB_MEETING, d(2025, 4, 20), region=world.region_b)
    for youth, attendance in zip(
        world.youths[:3],
        [Attendance.ATTENDED, Attendance.ATTENDED, Attendance.NO_SHOW],
        strict=True,
    ):
        Enrolment.objects.create(
            session=open_day, youth=youth, status=EnrolmentStatus.CONFIRMED, attendance=attendance
        )
    cohort = Cohort.objects.create(region=world.region_a, year=2025)
    for youth, start in ((world.youths[0], d(2025, 2, 1)), (world.youths[1], d(2025, 5, 15))):
        CaeContract.objects.create(
            cohort=cohort,
            youth=youth,
            employer="Centre d'appels",
            start_on=start,
            end_on=start + datetime.timedelta(days=180),
            weekly_hours=26,
        )
    return open_day


def test_sessions_held(sessions, world):
    assert im.sessions_held(scope=NATIONAL, period=Y2025) == 3
    assert im.sessions_held(scope=Population(region_id=world.region_a.pk), period=Y2025) == 2
    assert im.sessions_held(scope=NATIONAL, period=Y2025, by="kind") == {
        "job_meeting": 1,
        "open_day": 2,
    }


def test_attendance_by_kind(sessions, world):
    figures = im.attendance_by_kind(scope=NATIONAL, period=Y2025)
    assert figures == {"open_day": {"enrolled": 3, "attended": 2, "rate": 66.7}}
    ml1 = Population(region_id=world.region_a.pk, mission_locale_id=world.ml1.pk)
    assert im.attendance_by_kind(scope=ml1, period=Y2025)["open_day"]["enrolled"] == 1


def test_platform_occupancy(sessions, world):
    region_a = Population(region_id=world.region_a.pk)
    assert im.platform_capacity(scope=region_a, year=2025) == 50
    assert im.platform_occupancy(scope=region_a, day=d(2025, 6, 1)) == 2
    assert im.platform_occupancy(scope=region_a, day=d(2025, 9, 1)) == 1
    assert (
        im.platform_occupancy(scope=Population(region_id=world.region_b.pk), day=d(2025, 6, 1)) == 0
    )
    by_month = im.platform_occupancy_by_month(scope=NATIONAL, year=2025)
    assert (by_month[1], by_month[3], by_month[6], by_month[12]) == (0, 1, 2, 0)


def test_dashboard_shows_the_offers_and_immersion_tables(market, sessions, world):
    tables = {
        t.key: t
        for t in dashboard.build(Population(region_id=world.region_a.pk), Y2025, masked=False)
    }
    assert {"offers", "needs", "sessions", "occupancy"} <= set(tables)
    assert tables["offers"].rows[2] == ["mars", 5, 1]
    assert tables["occupancy"].rows[5] == ["juin", 2, 50]
    kpis = {row[0]: row[1] for row in tables["kpis"].rows}
    assert kpis["Taux de satisfaction des offres"] == 25.0
    assert kpis["Délai moyen pour pourvoir (jours)"] == 20.0
