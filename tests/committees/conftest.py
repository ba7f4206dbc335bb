"""A small world for the committees tests: PACA with its project lead, a pilot
committee whose members are an advisor and a recruiter, and outsiders of every kind."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from accounts.enums import Role
from committees.enums import CommitteeRole
from tests.accounts.factories import OrganisationFactory, RegionFactory, make_member

from .factories import CommitteeFactory, CommitteeMemberFactory


@dataclass
class World:
    paca: object
    other_region: object
    lead: object
    other_lead: object
    national: object
    advisor: object
    recruiter: object
    outsider: object
    committee: object


@pytest.fixture
def private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    return settings.PRIVATE_MEDIA_ROOT


def build_world() -> World:
    paca = RegionFactory(paca=True)
    other = RegionFactory(code="84", name="Auvergne-Rhône-Alpes")
    ml = OrganisationFactory(mission_locale=True, region=paca, name="Mission locale de Marseille")
    company = OrganisationFactory(company=True, region=paca, name="Méditel")
    advisor = make_member(Role.ADVISOR, organisation=ml, first_name="Camille", last_name="Durand")
    recruiter = make_member(
        Role.RECRUITER, organisation=company, first_name="Julien", last_name="Moreau"
    )
    committee = CommitteeFactory(region=paca, name="Comité de pilotage de Marseille")
    CommitteeMemberFactory(committee=committee, user=advisor, role=CommitteeRole.SECRETARY)
    CommitteeMemberFactory(committee=committee, organisation=company)
    return World(
        paca=paca,
        other_region=other,
        lead=make_member(Role.PROJECT_LEAD, region=paca, first_name="Nadia"),
        other_lead=make_member(Role.PROJECT_LEAD, region=other),
        national=make_member(Role.NATIONAL),
        advisor=advisor,
        recruiter=recruiter,
        outsider=make_member(Role.ADVISOR, region=paca, first_name="Karim"),
        committee=committee,
    )


@pytest.fixture
def world(db, private_media) -> World:
    return build_world()
