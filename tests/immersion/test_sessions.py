"""Creating and running sessions: who may, bad input, the status table."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from immersion import services
from immersion.enums import Audience, ProgrammeKind, SessionStatus
from immersion.models import Session, SessionLog

from .factories import SessionFactory, _in_days

pytestmark = pytest.mark.django_db


def _arguments(world, **overrides):
    arguments = dict(
        host=world.company,
        kind=ProgrammeKind.IMMERSION_DAY,
        title="Immersion sur plateau",
        place="12 rue de la République",
        city="Marseille",
        starts_at=_in_days(20),
        ends_at=_in_days(20, hour=17),
        capacity=8,
        registration_deadline=timezone.localdate() + datetime.timedelta(days=15),
    )
    arguments.update(overrides)
    return arguments


def test_the_project_lead_creates_a_session_for_a_host_of_the_region(world):
    session = services.create_session(
        actor=world.lead, open_registrations=True, **_arguments(world)
    )
    assert (session.region, session.status, session.audience) == (
        world.paca,
        SessionStatus.OPEN,
        Audience.YOUTHS,
    )
    assert list(SessionLog.objects.filter(session=session).values_list("action", flat=True)) == [
        "create",
        "open",
    ]


def test_hosts_create_sessions_for_themselves_only(world):
    services.create_session(actor=world.recruiter, **_arguments(world))
    services.create_session(
        actor=world.partner,
        **_arguments(world, host=world.training, kind=ProgrammeKind.GEIQ, title="GEIQ"),
    )
    with pytest.raises(PermissionDenied):
        services.create_session(actor=world.recruiter, **_arguments(world, host=world.training))
    for outsider in (world.advisor, world.other_lead, world.other_recruiter, world.national):
        with pytest.raises(PermissionDenied):
            services.create_session(actor=outsider, **_arguments(world))
    assert Session.objects.count() == 3  # the world's session and the two above


def test_advisor_sessions_are_for_advisors(world):
    session = services.create_session(
        actor=world.lead,
        **_arguments(world, host=world.ml, kind=ProgrammeKind.ADVISOR_COMPANY_VISIT),
    )
    assert session.audience == Audience.ADVISORS


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"ends_at": _in_days(19)}, "ends_at", "La fin de la session doit suivre son début."),
        ({"capacity": 0}, "capacity", "Une session compte au moins une place."),
        (
            {"registration_deadline": timezone.localdate() + datetime.timedelta(days=30)},
            "registration_deadline",
            "La date limite d'inscription ne peut suivre le début de la session.",
        ),
        (
            {
                "starts_at": _in_days(-2),
                "ends_at": _in_days(-2, hour=17),
                "registration_deadline": timezone.localdate() - datetime.timedelta(days=3),
            },
            "starts_at",
            "Une nouvelle session commence dans le futur.",
        ),
    ],
)
def test_bad_sessions_are_refused_in_french(world, overrides, field, message):
    before = Session.objects.count()
    with pytest.raises(ValidationError) as info:
        services.create_session(actor=world.lead, **_arguments(world, **overrides))
    assert info.value.message_dict[field] == [message]
    assert Session.objects.count() == before
    assert not SessionLog.objects.exists()


def test_moving_a_session_raises_its_calendar_sequence(world):
    session = services.update_session(actor=world.lead, session=world.session, capacity=4)
    assert session.sequence == 0
    session = services.update_session(
        actor=world.recruiter, session=session, starts_at=_in_days(12), ends_at=_in_days(12, 12)
    )
    assert session.sequence == 1
    with pytest.raises(PermissionDenied):
        services.update_session(actor=world.advisor, session=session, capacity=9)
    with pytest.raises(PermissionDenied):
        services.update_session(actor=world.other_lead, session=session, capacity=9)


def test_the_status_table_is_enforced(world):
    planned = SessionFactory(host=world.company, planned=True)
    with pytest.raises(ValidationError, match="avant son début"):
        services.transition_session(actor=world.lead, session=planned, action="mark_held")
    services.transition_session(actor=world.lead, session=planned, action="open")
    with pytest.raises(ValidationError, match="impossible"):
        services.transition_session(actor=world.lead, session=planned, action="open")
    with pytest.raises(ValidationError, match="inconnue"):
        services.transition_session(actor=world.lead, session=planned, action="mark_full")
    past = SessionFactory(host=world.company, past=True)
    held = services.transition_session(actor=world.recruiter, session=past, action="mark_held")
    assert held.status == SessionStatus.HELD
    with pytest.raises(ValidationError):
        services.transition_session(actor=world.lead, session=held, action="cancel", reason="x")
    with pytest.raises(ValidationError, match="ne se modifie plus"):
        services.update_session(actor=world.lead, session=held, capacity=20)


def test_a_cancellation_reason_fits_the_session_and_its_log(world):
    with pytest.raises(ValidationError) as info:
        services.transition_session(
            actor=world.lead, session=world.session, action="cancel", reason="x" * 256
        )
    assert info.value.message_dict == {"reason": ["Au plus 255 caractères (il y en a 256)."]}
    assert Session.objects.get(pk=world.session.pk).status == SessionStatus.OPEN
    session = services.transition_session(
        actor=world.lead, session=world.session, action="cancel", reason=f"  {'x' * 255}  "
    )
    assert session.cancel_reason == "x" * 255
    assert SessionLog.objects.get(session=session, action="cancel").reason == "x" * 255
