"""Factories of the candidate pool.

`YouthFactory()` is a youth of a fresh mission locale with an advisor, at the
"information" stage (its first event recorded). Traits and parameters:
- `consented=True`: profile shareable with companies, its proof recorded (a
  `ConsentRecord`: signed form, the sharing notice in force);
- `minor=True`: 17 years old;
- `in_stage=PathwayStage.IMMERSION` (any stage): walked there through
  `record_pathway_event`, one event per step, dated in the past;
- `hired=True`: shorthand for `in_stage=PathwayStage.HIRED` (check-ins planned).
Pass `mission_locale=` and/or `advisor=` to place the youth.

`fill_file(youth, records)` gives a youth `records` rows of every related set (notes,
assessments, VAE projects, transfers, mentoring pairs with two meetings each, one
active, consent records) and records one of their check-ins: what the query-count tests compare.
"""

from __future__ import annotations

from datetime import timedelta

import factory
from django.utils import timezone

from accounts.enums import NoticePurpose, Role
from accounts.models import InformationNotice
from candidates.enums import (
    AssessmentMethod,
    AssessmentOutcome,
    CheckInOutcome,
    CheckInStatus,
    ConsentAction,
    ConsentMethod,
    EducationLevel,
    ExitReason,
    MentorKind,
    NoteChannel,
    PathwayStage,
)
from candidates.models import (
    Assessment,
    ConsentRecord,
    FollowUpNote,
    Mentor,
    MentoringMeeting,
    MentoringPair,
    PathwayEvent,
    VaeProject,
    Youth,
    YouthTransfer,
    years_ago,
)
from candidates.services import record_pathway_event
from candidates.text import normalise_name
from tests.accounts.factories import OrganisationFactory, make_member

# The steps walked to reach each stage from "information".
PATH_TO = {
    PathwayStage.INFORMATION: [],
    PathwayStage.DISCOVERY: [PathwayStage.DISCOVERY],
    PathwayStage.IMMERSION: [PathwayStage.DISCOVERY, PathwayStage.IMMERSION],
    PathwayStage.TRAINING: [PathwayStage.DISCOVERY, PathwayStage.IMMERSION, PathwayStage.TRAINING],
    PathwayStage.HIRED: [PathwayStage.DISCOVERY, PathwayStage.IMMERSION, PathwayStage.HIRED],
    PathwayStage.STABILISED: [
        PathwayStage.DISCOVERY,
        PathwayStage.IMMERSION,
        PathwayStage.HIRED,
        PathwayStage.STABILISED,
    ],
    PathwayStage.EXIT: [PathwayStage.EXIT],
}


def walk_to_stage(youth: Youth, stage: str, author=None) -> None:
    """Record the events leading `youth` from information to `stage`, 30 days apart."""
    steps = PATH_TO[stage]
    day = timezone.localdate() - timedelta(days=10 + 30 * len(steps))
    for step in steps:
        day += timedelta(days=30)
        record_pathway_event(
            youth=youth,
            stage=step,
            actor=author or youth.advisor,
            occurred_on=day,
            source="Contrat CDI (fabrique de test)" if step == PathwayStage.HIRED else "",
            exit_reason=ExitReason.MOVED if step == PathwayStage.EXIT else "",
        )


def _start_pathway(obj, create, stage):
    """Record the first event, then walk to `stage`."""
    if not create:
        return
    PathwayEvent.objects.create(
        youth=obj,
        mission_locale_id=obj.mission_locale_id,
        stage=PathwayStage.INFORMATION,
        occurred_on=obj.registered_on,
        author=obj.advisor,
        note="Inscription dans le vivier.",
    )
    if stage and stage != PathwayStage.INFORMATION:
        walk_to_stage(obj, stage)


class YouthFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Youth
        skip_postgeneration_save = True

    class Params:
        consented = factory.Trait(
            consent_shared_at=factory.LazyFunction(timezone.now),
            consent_recorded_by=factory.SelfAttribute("advisor"),
        )
        minor = factory.Trait(
            birth_date=factory.LazyFunction(
                lambda: years_ago(17, timezone.localdate()) - timedelta(days=30)
            )
        )

    mission_locale = factory.SubFactory(OrganisationFactory, mission_locale=True)
    advisor = factory.LazyAttribute(
        lambda o: make_member(Role.ADVISOR, organisation=o.mission_locale)
    )
    first_name = factory.Faker("first_name", locale="fr_FR")
    last_name = factory.Faker("last_name", locale="fr_FR")
    search_name = factory.LazyAttribute(lambda o: normalise_name(o.last_name, o.first_name))
    birth_date = factory.LazyFunction(lambda: years_ago(20, timezone.localdate()))
    email = factory.Sequence(lambda n: f"jeune{n}@exemple.fr")
    phone = "0612345678"
    postcode = "13001"
    city = "Marseille"
    education_level = EducationLevel.BAC
    previous_sector = "Vente"
    skills = "Accueil du public, caisse"
    registered_on = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=400))
    stage_changed_on = factory.SelfAttribute("registered_on")
    current_stage = PathwayStage.INFORMATION

    # `in_stage=...` walks the pathway; `hired=True` is short for in_stage=HIRED.
    in_stage = factory.PostGeneration(
        lambda obj, create, extracted, **kw: _start_pathway(obj, create, extracted)
    )
    hired = factory.PostGeneration(
        lambda obj, create, extracted, **kw: (
            walk_to_stage(obj, PathwayStage.HIRED) if create and extracted else None
        )
    )
    # A consenting youth has its proof, as the services write it.
    consent_proof = factory.PostGeneration(
        lambda obj, create, extracted, **kw: _record_consent_proof(obj) if create else None
    )


def _record_consent_proof(youth: Youth) -> None:
    if youth.consent_shared_at is None:
        return
    ConsentRecord.objects.create(
        youth=youth,
        action=ConsentAction.GIVEN,
        at=youth.consent_shared_at,
        recorded_by=youth.consent_recorded_by,
        method=ConsentMethod.SIGNED_FORM,
        notice=InformationNotice.objects.current_for(NoticePurpose.PROFILE_SHARING),
    )


class AssessmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Assessment

    youth = factory.SubFactory(YouthFactory)
    assessed_on = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=10))
    method = AssessmentMethod.SIMULATION
    assessor = factory.SelfAttribute("youth.advisor")
    score_oral_expression = 4
    score_listening = 4
    score_written_french = 3
    score_computer_use = 3
    score_stress_handling = 4
    outcome = AssessmentOutcome.FAVOURABLE


class FollowUpNoteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FollowUpNote

    youth = factory.SubFactory(YouthFactory)
    met_on = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=3))
    channel = NoteChannel.IN_PERSON
    summary = "Point sur la recherche d'emploi."
    author = factory.SelfAttribute("youth.advisor")


class MentorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Mentor

    mission_locale = factory.SubFactory(OrganisationFactory, mission_locale=True)
    first_name = factory.Faker("first_name", locale="fr_FR")
    last_name = factory.Faker("last_name", locale="fr_FR")
    kind = MentorKind.RETIRED
    occupation = "Ancienne responsable de plateau"
    charter_signed_on = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=90))


class MentoringPairFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MentoringPair

    youth = factory.SubFactory(YouthFactory)
    mentor = factory.SubFactory(
        MentorFactory, mission_locale=factory.SelfAttribute("..youth.mission_locale")
    )
    started_on = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=20))


def fill_file(youth: Youth, records: int) -> Youth:
    """Give `youth` `records` rows of every related set of their file (see the module
    docstring). The youth should be hired (it has check-ins)."""
    today = timezone.localdate()
    for i in range(records):
        day = today - timedelta(days=100 - i)
        AssessmentFactory(youth=youth, assessed_on=day, comment=f"Évaluation {i}")
        FollowUpNoteFactory(youth=youth, met_on=day, summary=f"Entretien {i}")
        VaeProject.objects.create(
            youth=youth, certification=f"Titre professionnel {i}", started_on=day
        )
        YouthTransfer.objects.create(
            youth=youth,
            from_mission_locale=OrganisationFactory(mission_locale=True),
            to_mission_locale=youth.mission_locale,
            moved_by=youth.advisor,
            moved_on=day,
        )
        pair = MentoringPairFactory(
            youth=youth,
            started_on=day,
            ended_on=None if i == records - 1 else day + timedelta(days=1),
        )
        for note in ("Café", "Visite du plateau"):
            MentoringMeeting.objects.create(pair=pair, met_on=day, note=f"{note} {i}")
        ConsentRecord.objects.create(
            youth=youth,
            action=ConsentAction.WITHDRAWN if i % 2 else ConsentAction.GIVEN,
            method=ConsentMethod.EMAIL,
            recorded_by=youth.advisor,
            notice=InformationNotice.objects.current_for(NoticePurpose.PROFILE_SHARING),
            note=f"Preuve {i}",
        )
    check_in = youth.check_ins.order_by("due_on").first()
    check_in.status = CheckInStatus.DONE
    check_in.done_on = check_in.due_on
    check_in.outcome = CheckInOutcome.GOING_WELL
    check_in.recorded_by = youth.advisor
    check_in.save()
    return youth


def born(years: int) -> str:
    """A birth date as typed in the forms and import files (dd/mm/yyyy): `years` old and
    some forty days."""
    return (timezone.localdate() - timedelta(days=365 * years + 40)).strftime("%d/%m/%Y")
