"""Factories of the reporting tests: youths with a dated pathway, mentoring pairs, plan
items and reviews. Pathway events are written directly (the
candidates services date events today; indicators need past dates)."""

from __future__ import annotations

import datetime

import factory

from candidates.enums import ExitReason, MentorKind, PathwayStage
from candidates.models import Mentor, MentoringPair, PathwayEvent, Youth
from reporting.enums import ReviewSectionKey
from reporting.models import AnnualReview, ReviewSection
from tests.accounts.factories import OrganisationFactory


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
    mission_locale = factory.SelfAttribute("youth.mission_locale")
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
