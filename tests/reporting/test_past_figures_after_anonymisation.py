"""Past figures do not move: the national, regional and local dashboards of a past year
are the same before and after youths of that year are anonymised (CIVIS youths, hired
and stabilised ones, an exit, a mentored one, enrolled in a session, on the immersion
platform, with an employment and an open proposal).

Anonymisation keeps what the indicators count (stages and their dates, statuses,
contracts, CIVIS dates, the mission locale) and the pool of a period counts the youths
followed during it, anonymised since or not (`indicators.pathway.in_pool_during`)."""

from __future__ import annotations

import datetime

import time_machine
from django.utils import timezone

from accounts.enums import Role
from candidates.enums import PathwayStage as S
from candidates.enums import YouthStatus
from candidates.services import anonymise_youth
from immersion.enums import Attendance, EnrolmentStatus, ProgrammeKind, SessionStatus
from immersion.models import CaeContract, Cohort, Enrolment, Session
from offers.enums import ContractType, OfferStatus, ProposalStatus
from offers.models import Employment, JobRole, Offer, Proposal
from reporting import dashboard
from reporting.periods import Period
from reporting.scopes import mission_locale_population, national_population, region_population
from reporting.tables import format_cell
from tests.accounts.factories import OrganisationFactory, make_member

from .factories import MentoringPairFactory, YouthFactory, walk

d = datetime.date
PAST = Period(2025)


def aware(day, hour=10):
    return timezone.make_aware(datetime.datetime(day.year, day.month, day.day, hour))


def _more_of_2025(world):
    """Around the conftest's four youths: more CIVIS youths, an offer with a hire and an
    open proposal, a session held with enrolments, CAE contracts."""
    y1, y2, _y3, y4 = world.youths
    civis = [
        walk(
            YouthFactory(mission_locale=ml, registered_on=d(2025, month, 3), in_civis=True),
            (S.INFORMATION, d(2025, month, 3)),
            (S.DISCOVERY, d(2025, month, 20)),
        )
        for ml, month in ((world.ml1, 2), (world.ml2, 4), (world.ml3, 5), (world.ml1, 7))
    ]
    company = OrganisationFactory(company=True, region=world.region_a)
    role, _ = JobRole.objects.get_or_create(name="Téléconseiller (test)")
    offer = Offer.objects.create(
        company=company,
        region=world.region_a,
        job_role=role,
        contract_type=ContractType.CDI,
        positions=4,
        weekly_hours=35,
        status=OfferStatus.PUBLISHED,
        submitted_at=aware(d(2025, 3, 1)),
        published_at=aware(d(2025, 3, 2)),
        positions_filled=1,
    )
    hired = Proposal.objects.create(offer=offer, youth=y1, status=ProposalStatus.HIRED)
    Employment.objects.create(
        proposal=hired,
        youth=y1,
        company=company,
        contract_type=ContractType.CDI,
        start_date=d(2025, 3, 5),
        weekly_hours=35,
    )
    Proposal.objects.create(offer=offer, youth=civis[0], status=ProposalStatus.PROPOSED)
    session = Session.objects.create(
        region=world.region_a,
        kind=ProgrammeKind.OPEN_DAY,
        audience="youths",
        title="Portes ouvertes",
        host=company,
        place="1 rue de la Paix",
        city="Marseille",
        starts_at=aware(d(2025, 3, 12)),
        ends_at=aware(d(2025, 3, 12), 12),
        capacity=10,
        registration_deadline=d(2025, 3, 10),
        status=SessionStatus.HELD,
    )
    for youth, attendance in ((y1, Attendance.ATTENDED), (y2, Attendance.NO_SHOW)):
        Enrolment.objects.create(
            session=session,
            youth=youth,
            status=EnrolmentStatus.CONFIRMED,
            attendance=attendance,
            host_comment=f"{youth.first_name} {youth.last_name}",
        )
    cohort = Cohort.objects.create(region=world.region_a, year=2025)
    for youth, start in ((y1, d(2025, 2, 1)), (civis[1], d(2025, 5, 15))):
        CaeContract.objects.create(
            cohort=cohort,
            youth=youth,
            employer="Centre d'appels",
            start_on=start,
            end_on=start + datetime.timedelta(days=180),
            weekly_hours=26,
        )
    MentoringPairFactory(youth=y4, started_on=d(2025, 7, 1))
    return civis


#: Columns that are today's snapshot, not the period's: the funnel's "at this stage
#: today" (anonymised youths leave the pool today, as they should).
TODAY_COLUMNS = {"funnel": 2}


def _figures(world, *, today: bool = False) -> dict:
    """Every table of every dashboard of 2025, as shown: national (masked, as national
    staff see it, and in full), each region, a mission locale. Today's snapshot columns
    are left out, or given alone with `today=True`."""
    scopes = [
        national_population(),
        region_population(world.region_a),
        region_population(world.region_b),
        mission_locale_population(world.ml1),
    ]

    def cells(table, row):
        snapshot = TODAY_COLUMNS.get(table.key)
        return [format_cell(cell) for index, cell in enumerate(row) if (index == snapshot) == today]

    return {
        (scope.key, masked): [
            (table.key, [cells(table, row) for row in table.rows])
            for table in dashboard.build(scope, PAST, masked=masked, refresh=True)
        ]
        for scope in scopes
        for masked in (True, False)
    }


@time_machine.travel(datetime.datetime(2026, 6, 15, 10, tzinfo=datetime.UTC), tick=False)
def test_the_figures_of_a_past_year_are_the_same_after_anonymisation(world):
    civis = _more_of_2025(world)
    y1, y2, y3, _y4 = world.youths
    before, today_before = _figures(world), _figures(world, today=True)

    managers = {}
    for youth in (y1, y2, y3, civis[0], civis[1], civis[2]):
        ml = youth.mission_locale
        managers.setdefault(ml.pk, make_member(Role.ML_MANAGER, organisation=ml))
        anonymise_youth(youth=youth, actor=managers[ml.pk], reason="Test")

    assert _figures(world) == before
    # The control: today's snapshot did move (the anonymised left the pool), so the
    # figures above stayed because they are past, not because nothing happened.
    assert _figures(world, today=True) != today_before
    y1.refresh_from_db()
    assert y1.status == YouthStatus.ANONYMISED and y1.first_name == "Anonyme"
    assert not Enrolment.objects.filter(youth=y1).exclude(host_comment="").exists()


def test_the_figures_of_a_past_year_are_the_same_after_the_retention_job(world):
    """The same proof through the retention job: years later, every file of 2025 has
    gone 24 months without activity, is announced, then anonymised 30 days on; the
    dashboards of 2025 read the same."""
    from candidates import retention
    from candidates.models import Youth

    moment = datetime.datetime(2026, 6, 15, 10, tzinfo=datetime.UTC)
    with time_machine.travel(moment, tick=False):
        civis = _more_of_2025(world)
        before, today_before = _figures(world), _figures(world, today=True)
    expired = [*world.youths, *civis]

    notice_day, anonymisation_day = d(2029, 6, 1), d(2029, 7, 1)
    with time_machine.travel(aware(notice_day), tick=False):
        assert retention.apply_rules(today=notice_day)["youth_notice"] >= len(expired)
    with time_machine.travel(aware(anonymisation_day), tick=False):
        assert retention.apply_rules(today=anonymisation_day)["youth_anonymise"] >= len(expired)
        assert set(retention.apply_rules(today=anonymisation_day).values()) == {0}

    assert not Youth.objects.filter(pk__in=[y.pk for y in expired]).exclude(
        status=YouthStatus.ANONYMISED
    )
    with time_machine.travel(moment, tick=False):
        assert _figures(world) == before
        assert _figures(world, today=True) != today_before
