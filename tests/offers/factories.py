"""Factories of the offers app.

`OfferFactory()` is a draft of a fresh company, complete enough to be submitted.
Traits set the state directly (no log rows; tests of the workflow go through the
services): `submitted`, `published`, `filled`, `withdrawn`, `expired`, `large` (12
positions, Art. 4). `ProposalFactory()` is a consenting youth of a mission locale of the
offer's region proposed to a published offer; traits `seen`, `interview`, `hired`,
`declined`, `withdrawn`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import factory
from django.utils import timezone

from accounts.enums import Role
from offers.enums import ContractType, DeclineReason, OfferStatus, ProposalStatus
from offers.models import JobRole, Offer, Proposal
from tests.accounts.factories import OrganisationFactory, RegionFactory, UserFactory, make_member
from tests.candidates.factories import YouthFactory


class JobRoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = JobRole
        django_get_or_create = ("name",)

    name = "Téléconseiller / téléconseillère"
    keywords = "téléphone, accueil, écoute, relation client, vente, standard"
    order = 10


class OfferFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Offer

    class Params:
        submitted = factory.Trait(
            status=OfferStatus.SUBMITTED, submitted_at=factory.LazyFunction(timezone.now)
        )
        published = factory.Trait(
            status=OfferStatus.PUBLISHED,
            submitted_at=factory.LazyFunction(lambda: timezone.now() - timedelta(days=3)),
            published_at=factory.LazyFunction(lambda: timezone.now() - timedelta(days=2)),
        )
        filled = factory.Trait(
            status=OfferStatus.FILLED,
            positions_filled=factory.SelfAttribute("positions"),
            published_at=factory.LazyFunction(lambda: timezone.now() - timedelta(days=10)),
            filled_at=factory.LazyFunction(timezone.now),
            closed_at=factory.LazyFunction(timezone.now),
        )
        withdrawn = factory.Trait(
            status=OfferStatus.WITHDRAWN, closed_at=factory.LazyFunction(timezone.now)
        )
        expired = factory.Trait(
            status=OfferStatus.EXPIRED, closed_at=factory.LazyFunction(timezone.now)
        )
        large = factory.Trait(positions=12)

    company = factory.SubFactory(OrganisationFactory, company=True)
    region = factory.SelfAttribute("company.region")
    job_role = factory.SubFactory(JobRoleFactory)
    contract_type = ContractType.CDI
    positions = 2
    weekly_hours = 35
    postcode = "13015"
    city = "Marseille"
    start_date = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=20))
    closing_date = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=50))
    description = factory.Sequence(lambda n: f"Poste de téléconseiller numéro {n}.")
    requirements = "Aisance à l'oral."


class ProposalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Proposal

    class Params:
        seen = factory.Trait(status=ProposalStatus.SEEN)
        interview = factory.Trait(status=ProposalStatus.INTERVIEW)
        hired = factory.Trait(status=ProposalStatus.HIRED)
        declined = factory.Trait(
            status=ProposalStatus.DECLINED, decline_reason=DeclineReason.PROFILE_MISMATCH
        )
        withdrawn = factory.Trait(status=ProposalStatus.WITHDRAWN)

    offer = factory.SubFactory(OfferFactory, published=True)
    youth = factory.SubFactory(
        YouthFactory,
        consented=True,
        mission_locale=factory.SubFactory(
            OrganisationFactory,
            mission_locale=True,
            region=factory.SelfAttribute("...offer.region"),
        ),
    )
    proposed_by = factory.SelfAttribute("youth.advisor")


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
    """A small world for the offers tests: PACA with two missions locales, two companies
    and its project lead; Lyon with its own advisor, company and lead; national staff."""
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
