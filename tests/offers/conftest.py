"""A small world for the offers tests: PACA with two missions locales, two companies
and its project lead; Lyon with its own advisor, company and lead; national staff."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from accounts.enums import Role
from tests.accounts.factories import OrganisationFactory, RegionFactory, UserFactory, make_member
from tests.candidates.factories import YouthFactory

from .factories import JobRoleFactory, OfferFactory


@dataclass
class World:
    paca: object
    lyon: object
    ml: object
    ml_aix: object
    company: object
    other_company: object
    advisor: object
    advisor_aix: object
    advisor_lyon: object
    recruiter: object
    other_recruiter: object
    recruiter_lyon: object
    lead: object
    lead_lyon: object
    national: object
    admin: object
    role: object


def build_world() -> World:
    paca = RegionFactory(paca=True)
    lyon = RegionFactory(code="84", name="Auvergne-Rhône-Alpes")
    ml = OrganisationFactory(mission_locale=True, region=paca, name="Mission locale de Marseille")
    ml_aix = OrganisationFactory(mission_locale=True, region=paca, name="Mission locale d'Aix")
    ml_lyon = OrganisationFactory(mission_locale=True, region=lyon, name="Mission locale de Lyon")
    company = OrganisationFactory(company=True, region=paca, name="Méditel Relation Client")
    other_company = OrganisationFactory(company=True, region=paca, name="Provence Contact")
    company_lyon = OrganisationFactory(company=True, region=lyon, name="Rhône Téléservices")
    return World(
        paca=paca,
        lyon=lyon,
        ml=ml,
        ml_aix=ml_aix,
        company=company,
        other_company=other_company,
        advisor=make_member(
            Role.ADVISOR, organisation=ml, first_name="Camille", last_name="Durand"
        ),
        advisor_aix=make_member(Role.ADVISOR, organisation=ml_aix, first_name="Karim"),
        advisor_lyon=make_member(Role.ADVISOR, organisation=ml_lyon, first_name="Bruno"),
        recruiter=make_member(
            Role.RECRUITER, organisation=company, first_name="Julien", last_name="Moreau"
        ),
        other_recruiter=make_member(Role.RECRUITER, organisation=other_company, first_name="Anne"),
        recruiter_lyon=make_member(Role.RECRUITER, organisation=company_lyon, first_name="Léa"),
        lead=make_member(Role.PROJECT_LEAD, region=paca, first_name="Nadia", last_name="Haddad"),
        lead_lyon=make_member(Role.PROJECT_LEAD, region=lyon, first_name="Paul"),
        national=make_member(Role.NATIONAL, first_name="Pierre"),
        admin=UserFactory(admin=True),
        role=JobRoleFactory(),
    )


@pytest.fixture
def world(db) -> World:
    return build_world()


@pytest.fixture
def published_offer(world):
    return OfferFactory(company=world.company, job_role=world.role, published=True)


@pytest.fixture
def youth(world):
    """A consenting youth of the Marseille mission locale, followed by `world.advisor`."""
    return YouthFactory(
        mission_locale=world.ml,
        advisor=world.advisor,
        consented=True,
        first_name="Inès",
        last_name="Benhamou",
    )
