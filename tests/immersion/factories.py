"""Factories of the immersion app.

`SessionFactory()` is an immersion day, open for registrations, in ten days, at a fresh
company of a fresh region, with 10 seats. Traits: `planned` (registrations not open),
`past` (held five days ago, deadline gone), `for_advisors` (an information meeting for
advisors). Pass `host=` to place it (the region follows the host).
`CohortFactory()` is this year's platform of a fresh region (50 contracts).
`enrolled_session_in_two_days(world)` is a session of the immersion tests' small world
(the `world` fixture) that reminders are about.
"""

from __future__ import annotations

import datetime

import factory
from django.utils import timezone

from immersion import services
from immersion.enums import ProgrammeKind, SessionStatus, audience_of
from immersion.models import CaeContract, Cohort, Session
from tests.accounts.factories import OrganisationFactory, RegionFactory
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


def enrolled_session_in_two_days(world, **fields) -> Session:
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
