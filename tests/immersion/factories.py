"""Factories of the immersion app.

`SessionFactory()` is an immersion day, open for registrations, in ten days, at a fresh
company of a fresh region, with 10 seats. Traits: `planned` (registrations not open),
`past` (held five days ago, deadline gone), `for_advisors` (an information meeting for
advisors). Pass `host=` to place it (the region follows the host).
`CohortFactory()` is this year's platform of a fresh region (50 contracts).
`build_world()` is the immersion tests' small world (the `world` fixture), and
`enrolled_session_in_two_days(world)` a session of it that reminders are about.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import factory
from django.utils import timezone

from accounts.enums import Role
from immersion import services
from immersion.enums import ProgrammeKind, SessionStatus, audience_of
from immersion.models import CaeContract, Cohort, Session
from tests.accounts.factories import OrganisationFactory, RegionFactory, make_member
from tests.candidates.factories import YouthFactory


def _in_days(days: int, hour: int = 9) -> datetime.datetime:
    day = timezone.localdate() + datetime.timedelta(days=days)
    return timezone.make_aware(
        datetime.datetime.combine(day, datetime.time(hour, 0)), timezone.get_current_timezone()
    )


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Session

    host = factory.SubFactory(OrganisationFactory, company=True)
    region = factory.SelfAttribute("host.region")
    kind = ProgrammeKind.IMMERSION_DAY
    audience = factory.LazyAttribute(lambda o: audience_of(o.kind))
    title = factory.Sequence(lambda n: f"Journée d'immersion n°{n}")
    place = "12 rue de la République"
    city = "Marseille"
    starts_at = factory.LazyFunction(lambda: _in_days(10))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + datetime.timedelta(hours=3))
    capacity = 10
    registration_deadline = factory.LazyAttribute(
        lambda o: timezone.localdate(o.starts_at) - datetime.timedelta(days=2)
    )
    status = SessionStatus.OPEN

    class Params:
        planned = factory.Trait(status=SessionStatus.PLANNED)
        past = factory.Trait(
            starts_at=factory.LazyFunction(lambda: _in_days(-5)),
        )
        for_advisors = factory.Trait(kind=ProgrammeKind.ADVISOR_INFORMATION)


class CohortFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cohort

    region = factory.SubFactory(RegionFactory)
    year = factory.LazyFunction(lambda: timezone.localdate().year)
    size = 50


class CaeContractFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CaeContract

    cohort = factory.SubFactory(CohortFactory)
    youth = factory.SubFactory(YouthFactory)
    employer = "Association Accueil Nord"
    start_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=30))
    end_on = factory.LazyAttribute(lambda o: o.start_on + datetime.timedelta(days=150))
    weekly_hours = 26


@dataclass
class World:
    paca: object
    other_region: object
    ml: object
    ml_aix: object
    company: object
    training: object
    lead: object
    advisor: object
    advisor_2: object
    advisor_aix: object
    recruiter: object
    partner: object
    national: object
    other_lead: object
    other_advisor: object
    other_recruiter: object
    youths: list
    youths_aix: list
    session: object


def build_world() -> World:
    """A small world for the immersion tests: PACA with two missions locales, its project
    lead, a host company with its recruiter, a training body, youths of each advisor, and
    outsiders of another region (a recruiter, an advisor, a project lead) and national
    staff."""
    paca = RegionFactory(paca=True)
    other = RegionFactory(code="84", name="Auvergne-Rhône-Alpes")
    ml = OrganisationFactory(mission_locale=True, region=paca, name="Mission locale de Marseille")
    ml_aix = OrganisationFactory(mission_locale=True, region=paca, name="Mission locale d'Aix")
    company = OrganisationFactory(company=True, region=paca, name="Méditel Relation Client")
    training = OrganisationFactory(training_body=True, region=paca, name="Institut RC")
    advisor = make_member(Role.ADVISOR, organisation=ml, first_name="Camille", last_name="Durand")
    advisor_2 = make_member(Role.ADVISOR, organisation=ml, first_name="Louis", last_name="Vidal")
    advisor_aix = make_member(
        Role.ADVISOR, organisation=ml_aix, first_name="Karim", last_name="Benali"
    )
    youths = [
        YouthFactory(mission_locale=ml, advisor=advisor, first_name=name, last_name="Zerbib")
        for name in ("Inès", "Yanis", "Léa")
    ]
    youths_aix = [
        YouthFactory(
            mission_locale=ml_aix, advisor=advisor_aix, first_name="Nassim", last_name="Aouadi"
        )
    ]
    return World(
        paca=paca,
        other_region=other,
        ml=ml,
        ml_aix=ml_aix,
        company=company,
        training=training,
        lead=make_member(Role.PROJECT_LEAD, region=paca, first_name="Nadia"),
        advisor=advisor,
        advisor_2=advisor_2,
        advisor_aix=advisor_aix,
        recruiter=make_member(Role.RECRUITER, organisation=company, first_name="Julien"),
        partner=make_member(Role.PARTNER, organisation=training),
        national=make_member(Role.NATIONAL),
        other_lead=make_member(Role.PROJECT_LEAD, region=other),
        other_advisor=make_member(Role.ADVISOR, region=other),
        other_recruiter=make_member(Role.RECRUITER, region=other, first_name="Léa"),
        youths=youths,
        youths_aix=youths_aix,
        session=SessionFactory(host=company, title="Immersion plateau Méditel", capacity=2),
    )


def enrolled_session_in_two_days(world: World, **fields) -> Session:
    """A session of the world's company in two days (registrations closed today, three
    seats), with two youths of `world.advisor` and the Aix youth enrolled through the
    service: what the reminders are about."""
    session = SessionFactory(
        host=world.company,
        starts_at=_in_days(2),
        registration_deadline=timezone.localdate(),
        capacity=3,
        **fields,
    )
    services.enrol_youths(actor=world.advisor, session=session, youths=world.youths[:2])
    services.enrol_youths(actor=world.advisor_aix, session=session, youths=world.youths_aix)
    return session
