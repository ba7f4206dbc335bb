"""A small, fully known world for the reporting tests: two regions, three missions
locales, four youths with dated pathways, a mentoring pair, a plan and commitments."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import pytest

from candidates.enums import PathwayStage as S
from committees.enums import CommitmentStatus, IndicatorKey, PlanItemStatus, PlanSection
from tests.accounts.factories import OrganisationFactory, RegionFactory
from tests.committees.factories import (
    ActionPlanFactory,
    CommitmentFactory,
    ConventionFactory,
    PlanItemFactory,
)

from .factories import MentoringPairFactory, YouthFactory, walk

d = datetime.date


@dataclass
class World:
    region_a: object
    region_b: object
    ml1: object
    ml2: object
    ml3: object
    youths: list


def build_world() -> World:
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


@pytest.fixture
def world(db) -> World:
    return build_world()
