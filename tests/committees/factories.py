"""Factories of the committees app, with traits for the situations tests need."""

from __future__ import annotations

import datetime

import factory
from django.utils import timezone

from accounts.enums import OrganisationKind
from committees.enums import (
    ActionItemStatus,
    CommitmentStatus,
    CommitteeKind,
    CommitteeRole,
    PlanItemStatus,
    PlanSection,
)
from committees.models import (
    ActionItem,
    ActionPlan,
    Commitment,
    Committee,
    CommitteeMember,
    Convention,
    Meeting,
    PlanItem,
)
from tests.accounts.factories import OrganisationFactory, RegionFactory


class CommitteeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Committee

    kind = CommitteeKind.PILOT
    name = factory.Sequence(lambda n: f"Comité de pilotage n°{n}")
    region = factory.SubFactory(RegionFactory)

    class Params:
        national = factory.Trait(kind=CommitteeKind.NATIONAL_SIGNATORIES, region=None)
        companies = factory.Trait(kind=CommitteeKind.REGIONAL_COMPANIES)


class CommitteeMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CommitteeMember

    committee = factory.SubFactory(CommitteeFactory)
    role = CommitteeRole.MEMBER


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    committee = factory.SubFactory(CommitteeFactory)
    title = factory.Sequence(lambda n: f"Réunion trimestrielle n°{n}")
    starts_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=20))
    place = "CEPL, 25 boulevard de Louvain, Marseille"

    class Params:
        past = factory.Trait(
            starts_at=factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=30))
        )
        with_minutes = factory.Trait(minutes="# Relevé\n\n- Point un\n- Point deux")


class ActionItemFactory(factory.django.DjangoModelFactory):
    """Pass `owner` (a member of the meeting's committee)."""

    class Meta:
        model = ActionItem

    meeting = factory.SubFactory(MeetingFactory, past=True)
    committee = factory.SelfAttribute("meeting.committee")
    title = factory.Sequence(lambda n: f"Action n°{n}")
    due_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=10))
    status = ActionItemStatus.OPEN

    class Params:
        overdue = factory.Trait(
            due_on=factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=5))
        )
        done = factory.Trait(status=ActionItemStatus.DONE)


class ConventionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Convention

    title = "Convention sur la formation et l'emploi des jeunes"
    signed_on = datetime.date(2006, 6, 7)
    duration_years = 3

    class Params:
        regional = factory.Trait(
            title=factory.Sequence(lambda n: f"Convention régionale n°{n}"),
            region=factory.SubFactory(RegionFactory),
            parent=factory.SubFactory("tests.committees.factories.ConventionFactory"),
        )


class CommitmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Commitment

    convention = factory.SubFactory(ConventionFactory)
    article = 1
    position = factory.Sequence(lambda n: n)
    signatory = factory.SubFactory(OrganisationFactory, kind=OrganisationKind.AFRC, region=None)
    text = factory.Sequence(lambda n: f"Engagement secret n°{n}")
    status = CommitmentStatus.NOT_STARTED


class ActionPlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ActionPlan

    region = factory.SubFactory(RegionFactory)
    year = 2006
    title = factory.Sequence(lambda n: f"Plan d'action pilote n°{n}")


class PlanItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PlanItem

    plan = factory.SubFactory(ActionPlanFactory)
    section = PlanSection.IMMERSION
    title = factory.Sequence(lambda n: f"Action du plan n°{n}")
    due_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=30))
    status = PlanItemStatus.PLANNED

    class Params:
        done = factory.Trait(status=PlanItemStatus.DONE)
        overdue = factory.Trait(
            due_on=factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=3))
        )
