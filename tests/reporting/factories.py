"""Factories of the reporting tests: youths with a dated pathway, mentoring pairs, plan
items and reviews. Pathway events are written directly (the
candidates services date events today; indicators need past dates)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import factory

from candidates.enums import ExitReason, MentorKind, PathwayStage
from candidates.models import Mentor, MentoringPair, PathwayEvent, Youth
from committees.enums import CommitmentStatus, IndicatorKey, PlanItemStatus, PlanSection
from reporting.enums import ReviewSectionKey
from reporting.models import AnnualReview, ReviewSection
from tests.accounts.factories import OrganisationFactory, RegionFactory
from tests.committees.factories import (
    ActionPlanFactory,
    CommitmentFactory,
    ConventionFactory,
    PlanItemFactory,
)


class YouthFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Youth

    mission_locale = factory.SubFactory(OrganisationFactory, mission_locale=True)
    first_name = factory.Sequence(lambda n: f"Prénom{n}")
    last_name = factory.Sequence(lambda n: f"Nomdejeune{n}")
    birth_date = datetime.date(2005, 5, 5)
    registered_on = datetime.date(2025, 1, 15)

    class Params:
        in_civis = factory.Trait(
            civis_start=factory.LazyAttribute(lambda o: o.registered_on),
            civis_end=factory.LazyAttribute(
                lambda o: o.registered_on + datetime.timedelta(days=365)
            ),
        )


class PathwayEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PathwayEvent

    youth = factory.SubFactory(YouthFactory)
    stage = PathwayStage.INFORMATION
    occurred_on = datetime.date(2025, 1, 15)
    exit_reason = factory.LazyAttribute(
        lambda o: ExitReason.MOVED if o.stage == PathwayStage.EXIT else ""
    )


def walk(youth: Youth, *steps: tuple[str, datetime.date]) -> Youth:
    """Record the youth's pathway: (stage, date) pairs; the current stage follows."""
    previous = ""
    for stage, day in steps:
        PathwayEventFactory(youth=youth, stage=stage, occurred_on=day, previous_stage=previous)
        previous = stage
    if steps:
        youth.current_stage, youth.stage_changed_on = steps[-1]
        youth.save(update_fields=["current_stage", "stage_changed_on"])
    return youth


class MentorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Mentor

    mission_locale = factory.SubFactory(OrganisationFactory, mission_locale=True)
    first_name = "Bernard"
    last_name = factory.Sequence(lambda n: f"Parrain{n}")
    kind = MentorKind.RETIRED


class MentoringPairFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MentoringPair

    mentor = factory.SubFactory(
        MentorFactory, mission_locale=factory.SelfAttribute("..youth.mission_locale")
    )
    youth = factory.SubFactory(YouthFactory)
    started_on = datetime.date(2025, 3, 1)


class AnnualReviewFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AnnualReview
        django_get_or_create = ("year", "region")

    year = 2025
    region = None


class ReviewSectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReviewSection

    review = factory.SubFactory(AnnualReviewFactory)
    key = ReviewSectionKey.COOPERATION
    text = "La coopération a été exemplaire."


@dataclass
class World:
    region_a: object
    region_b: object
    ml1: object
    ml2: object
    ml3: object
    youths: list


def build_world() -> World:
    """A small, fully known world for the reporting tests: two regions, three missions
    locales, four youths with dated pathways, a mentoring pair, a plan and commitments."""
    d, S = datetime.date, PathwayStage
    region_a = RegionFactory(code="93", name="Provence-Alpes-Côte d'Azur")
    region_b = RegionFactory(code="84", name="Auvergne-Rhône-Alpes")
    ml1 = OrganisationFactory(
        mission_locale=True, region=region_a, name="Mission locale de Marseille"
    )
    ml2 = OrganisationFactory(mission_locale=True, region=region_a, name="Mission locale d'Aix")
    ml3 = OrganisationFactory(mission_locale=True, region=region_b, name="Mission locale de Lyon")
    y1 = walk(
        YouthFactory(
            mission_locale=ml1,
            registered_on=d(2025, 1, 10),
            in_civis=True,
            first_name="Inès",
            last_name="Benali",
        ),
        (S.INFORMATION, d(2025, 1, 10)),
        (S.DISCOVERY, d(2025, 2, 1)),
        (S.HIRED, d(2025, 3, 5)),
        (S.STABILISED, d(2025, 9, 10)),
    )
    y2 = walk(
        YouthFactory(
            mission_locale=ml2, registered_on=d(2025, 2, 20), first_name="Yanis", last_name="Rossi"
        ),
        (S.INFORMATION, d(2025, 2, 20)),
        (S.DISCOVERY, d(2025, 3, 1)),
        (S.EXIT, d(2025, 4, 1)),
    )
    y3 = walk(
        YouthFactory(
            mission_locale=ml3, registered_on=d(2024, 11, 5), first_name="Léa", last_name="Nguyen"
        ),
        (S.INFORMATION, d(2024, 11, 5)),
        (S.HIRED, d(2024, 12, 10)),
        (S.HIRED, d(2025, 3, 20)),
    )
    y4 = walk(
        YouthFactory(
            mission_locale=ml1, registered_on=d(2025, 6, 1), first_name="Mehdi", last_name="Haddad"
        ),
        (S.INFORMATION, d(2025, 6, 1)),
    )
    MentoringPairFactory(youth=y1, started_on=d(2025, 3, 1), ended_on=d(2025, 5, 31))
    plan = ActionPlanFactory(region=region_a, year=2025)
    PlanItemFactory(plan=plan, section=PlanSection.IMMERSION, status=PlanItemStatus.DONE)
    PlanItemFactory(
        plan=plan,
        section=PlanSection.OFFERS,
        status=PlanItemStatus.DONE,
        indicator_key=IndicatorKey.HIRES,
        indicator_target=120,
    )
    PlanItemFactory(plan=plan, section=PlanSection.OFFERS, status=PlanItemStatus.PLANNED)
    PlanItemFactory(plan=plan, section=PlanSection.OFFERS, status=PlanItemStatus.DROPPED)
    national = ConventionFactory()
    CommitmentFactory(convention=national, status=CommitmentStatus.MET)
    CommitmentFactory(convention=national, status=CommitmentStatus.IN_PROGRESS)
    regional = ConventionFactory(region=region_b, parent=national, title="Convention Rhône-Alpes")
    CommitmentFactory(convention=regional, status=CommitmentStatus.NOT_MET)
    return World(region_a, region_b, ml1, ml2, ml3, [y1, y2, y3, y4])
