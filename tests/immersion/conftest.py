"""A small world for the immersion tests: PACA with two missions locales, its project
lead, a host company with its recruiter, a training body, youths of each advisor, and
outsiders of another region (a recruiter, an advisor, a project lead) and national staff."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from accounts.enums import Role
from tests.accounts.factories import OrganisationFactory, RegionFactory, make_member
from tests.candidates.factories import YouthFactory

from .factories import SessionFactory


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


@pytest.fixture
def world(db) -> World:
    return build_world()
