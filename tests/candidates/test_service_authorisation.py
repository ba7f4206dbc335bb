"""Every service of the candidate pool that acts for a person checks that person, as
the other apps' services do: an advisor of another mission locale (or a recruiter) is
refused with PermissionDenied by the service itself, whatever page, job or command
calls it, and nothing is written."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from accounts.enums import Role
from audit.models import AuditEntry
from candidates import services
from candidates.enums import (
    AssessmentMethod,
    AssessmentOutcome,
    ConsentMethod,
    DataRequestKind,
    NoteChannel,
    PathwayStage,
)
from candidates.models import Youth
from tests.accounts.factories import OrganisationFactory, make_member

from .factories import MentorFactory, MentoringPairFactory, YouthFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def youth():
    youth = YouthFactory(consented=True, hired=True)
    MentoringPairFactory(youth=youth)
    return youth


def calls(youth, outsider):
    """(name, call) for each service, made by `outsider`."""
    today = timezone.localdate()
    ml = youth.mission_locale
    pair = youth.mentoring_pairs.get()
    check_in = youth.check_ins.first()
    mentor = MentorFactory(mission_locale=ml)
    other_ml = OrganisationFactory(mission_locale=True)
    return [
        (
            "register_youth",
            lambda: services.register_youth(
                actor=outsider,
                mission_locale=ml,
                first_name="Inès",
                last_name="Roussel",
                birth_date=datetime.date(2006, 3, 14),
            ),
        ),
        (
            "register_youths",
            lambda: services.register_youths(
                actor=outsider,
                mission_locale=ml,
                rows=[
                    {
                        "first_name": "Inès",
                        "last_name": "Roussel",
                        "birth_date": datetime.date(2006, 3, 14),
                    }
                ],
            ),
        ),
        ("update_youth", lambda: services.update_youth(youth=youth, actor=outsider, city="Nice")),
        (
            "withdraw_sharing_consent",
            lambda: services.withdraw_sharing_consent(
                youth=youth, actor=outsider, method=ConsentMethod.ORAL
            ),
        ),
        (
            "record_pathway_event",
            lambda: services.record_pathway_event(
                youth=youth, stage=PathwayStage.STABILISED, actor=outsider, occurred_on=today
            ),
        ),
        (
            "record_check_in",
            lambda: services.record_check_in(
                check_in=check_in, actor=outsider, done_on=None, missed=True
            ),
        ),
        (
            "record_assessment",
            lambda: services.record_assessment(
                youth=youth,
                actor=outsider,
                assessed_on=today,
                method=AssessmentMethod.values[0],
                scores={},
                outcome=AssessmentOutcome.values[0],
            ),
        ),
        (
            "add_follow_up_note",
            lambda: services.add_follow_up_note(
                youth=youth,
                actor=outsider,
                met_on=today,
                channel=NoteChannel.values[0],
                summary="Entretien",
            ),
        ),
        (
            "save_vae_project",
            lambda: services.save_vae_project(
                youth=youth, actor=outsider, certification="Titre", started_on=today
            ),
        ),
        (
            "save_mentor (new)",
            lambda: services.save_mentor(actor=outsider, mission_locale=ml, last_name="X"),
        ),
        (
            "save_mentor (change)",
            lambda: services.save_mentor(actor=outsider, mentor=mentor, last_name="X"),
        ),
        (
            "end_mentoring",
            lambda: services.end_mentoring(pair=pair, ended_on=today, reason="", actor=outsider),
        ),
        (
            "record_mentoring_meeting",
            lambda: services.record_mentoring_meeting(
                pair=pair, met_on=today, note="", actor=outsider
            ),
        ),
        (
            "move_youth_to_mission_locale",
            lambda: services.move_youth_to_mission_locale(
                youth=youth, mission_locale=other_ml, actor=outsider
            ),
        ),
        (
            "log_data_request",
            lambda: services.log_data_request(
                youth=youth, actor=outsider, kind=DataRequestKind.values[0]
            ),
        ),
        ("anonymise_youth", lambda: services.anonymise_youth(youth=youth, actor=outsider)),
    ]


# The names of `calls` above, for the test ids.
SERVICES = [
    "register_youth",
    "register_youths",
    "update_youth",
    "withdraw_sharing_consent",
    "record_pathway_event",
    "record_check_in",
    "record_assessment",
    "add_follow_up_note",
    "save_vae_project",
    "save_mentor (new)",
    "save_mentor (change)",
    "end_mentoring",
    "record_mentoring_meeting",
    "move_youth_to_mission_locale",
    "log_data_request",
    "anonymise_youth",
]


@pytest.mark.parametrize("role", [Role.ADVISOR, Role.ML_MANAGER, Role.RECRUITER])
@pytest.mark.parametrize("service", SERVICES)
def test_a_person_outside_the_mission_locale_is_refused_by_the_service(youth, role, service):
    outsider = make_member(role)
    call = dict(calls(youth, outsider))[service]
    youths, entries = Youth.objects.count(), AuditEntry.objects.count()
    before = Youth.objects.values().get(pk=youth.pk)

    with pytest.raises(PermissionDenied):
        call()

    assert Youth.objects.count() == youths
    assert Youth.objects.values().get(pk=youth.pk) == before
    assert AuditEntry.objects.count() == entries


def test_the_list_above_covers_every_service_that_takes_an_actor():
    """A new service of the pool joins this test (or says why it takes no check)."""
    import inspect

    unchecked = {
        # Consequences of another app's checked action, or of a hiring just recorded.
        "record_pathway_consequence",
        "advance_pathway",
        "schedule_follow_ups_after_hiring",
        # Steps inside a checked service (the consent withdrawal, the anonymisation,
        # a bulk registration's rounds: `register_youths`, an import's confirmation).
        "stop_sharing_with_companies",
        "register_youth_round",
        # Refused before any check when the youth already consents (checked below).
        "record_sharing_consent",
        # Pairing is checked: see test_pairing_and_consent_are_checked_too.
        "pair_mentor",
    }
    taking_actor = {
        name
        for name in services.__all__
        if inspect.isfunction(getattr(services, name))
        and "actor" in inspect.signature(getattr(services, name)).parameters
    }
    covered = {name.split(" ")[0] for name in SERVICES}
    assert taking_actor - unchecked == covered


def test_pairing_and_consent_are_checked_too():
    youth = YouthFactory()
    mentor = MentorFactory(mission_locale=youth.mission_locale, charter_signed_on=None)
    outsider = make_member(Role.ADVISOR)
    with pytest.raises(PermissionDenied):
        services.pair_mentor(
            youth=youth, mentor=mentor, started_on=timezone.localdate(), actor=outsider
        )
    with pytest.raises(PermissionDenied):
        services.record_sharing_consent(
            youth=youth, actor=outsider, method=ConsentMethod.SIGNED_FORM
        )
    youth.refresh_from_db()
    assert not youth.has_sharing_consent
    assert not youth.mentoring_pairs.exists()


def test_the_youth_s_own_mission_locale_is_let_through(youth):
    advisor = make_member(Role.ADVISOR, organisation=youth.mission_locale)
    note = services.add_follow_up_note(
        youth=youth,
        actor=advisor,
        met_on=timezone.localdate(),
        channel=NoteChannel.values[0],
        summary="Entretien",
    )
    assert note.author == advisor
