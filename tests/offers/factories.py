"""Factories of the offers app.

`OfferFactory()` is a draft of a fresh company, complete enough to be submitted.
Traits set the state directly (no log rows; tests of the workflow go through the
services): `submitted`, `published`, `filled`, `withdrawn`, `expired`, `large` (12
positions, Art. 4). `ProposalFactory()` is a consenting youth of a mission locale of the
offer's region proposed to a published offer; traits `seen`, `interview`, `hired`,
`declined`, `withdrawn`.
"""

from __future__ import annotations

from datetime import timedelta

import factory
from django.utils import timezone

from offers.enums import ContractType, DeclineReason, OfferStatus, ProposalStatus
from offers.models import JobRole, Offer, Proposal
from tests.accounts.factories import OrganisationFactory
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


INTERVIEW_PLACE = "12 rue de la République, 13002 Marseille"


def interview_time(days: int = 3, hour: int = 10):
    """An interview `days` from today at `hour` (Paris time)."""
    day = timezone.localdate() + timedelta(days=days)
    return timezone.make_aware(timezone.datetime(day.year, day.month, day.day, hour, 0))


def interview_form(days: int = 3, **fields) -> dict:
    """What a recruiter types in the invitation form."""
    day = timezone.localdate() + timedelta(days=days)
    return {
        "day": day.strftime("%d/%m/%Y"),
        "time": "10:00",
        "minutes": "45",
        "place": INTERVIEW_PLACE,
        "video_link": "",
        "note": "",
        **fields,
    }


def invite(proposal: Proposal, actor, *, note: str = "", **details) -> Proposal:
    """Call the youth to an interview the way the recruiter's form does."""
    from offers import services

    return services.invite_to_interview(
        proposal=proposal,
        actor=actor,
        starts_at=details.pop("starts_at", None) or interview_time(),
        place=details.pop("place", INTERVIEW_PLACE),
        note=note,
        **details,
    )
