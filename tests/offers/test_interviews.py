"""An invitation to an interview carries its date, time, place or video link and a
message; the youth's advisors receive it by email with a calendar file."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone
from icalendar import Calendar

from accounts.enums import Role
from accounts.models import OutgoingEmail
from offers.emails import INTERVIEW
from offers.enums import ProposalStatus
from offers.forms import InterviewForm
from offers.tasks import notify_advisors_of_interview
from tests.accounts.factories import make_member

from .factories import INTERVIEW_PLACE, ProposalFactory, interview_form, interview_time, invite

pytestmark = pytest.mark.django_db

NOON = timezone.make_aware(timezone.datetime(2026, 12, 7, 12, 0))


@time_machine.travel(NOON, tick=False)
def test_the_advisors_receive_the_interview_with_a_calendar_file(
    world, published_offer, youth, tasks_in_process, django_capture_on_commit_callbacks
):
    proposer = make_member(Role.ADVISOR, organisation=world.ml, first_name="Léa")
    proposal = ProposalFactory(offer=published_offer, youth=youth, proposed_by=proposer)
    starts_at = timezone.make_aware(timezone.datetime(2026, 12, 10, 14, 30))
    with django_capture_on_commit_callbacks(execute=True):
        invite(proposal, world.recruiter, starts_at=starts_at, minutes=60, note="Apporter un CV")
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.INTERVIEW
    assert (proposal.interview_at, proposal.interview_minutes) == (starts_at, 60)
    assert sorted(m.to[0] for m in mail.outbox) == sorted([world.advisor.email, proposer.email])
    message = mail.outbox[0]
    assert "le 10/12/2026" in message.subject
    assert "14:30" in message.body and INTERVIEW_PLACE in message.body
    assert "Apporter un CV" in message.body and "&#x27;" not in message.body
    ((name, content, mimetype),) = message.attachments
    assert name == "entretien.ics" and mimetype.startswith("text/calendar")
    (event,) = Calendar.from_ical(content).walk("VEVENT")
    assert event.decoded("dtstart") == starts_at
    assert event.decoded("dtend") == starts_at + timedelta(minutes=60)
    assert str(event["location"]) == INTERVIEW_PLACE
    # Run again (a retry, a duplicate delivery): nobody hears twice.
    assert notify_advisors_of_interview(proposal.pk) == {"queued": 0}
    assert len(mail.outbox) == 2


@time_machine.travel(NOON, tick=False)
def test_an_advisor_who_left_the_mission_locale_is_not_told(
    world, published_offer, youth, tasks_in_process, django_capture_on_commit_callbacks
):
    proposal = ProposalFactory(offer=published_offer, youth=youth, proposed_by=world.advisor)
    world.advisor.memberships.update(is_active=False)
    with django_capture_on_commit_callbacks(execute=True):
        invite(proposal, world.recruiter)
    assert mail.outbox == []
    assert not OutgoingEmail.objects.filter(kind=INTERVIEW).exists()


@time_machine.travel(NOON, tick=False)
@pytest.mark.parametrize(
    ("details", "field", "message"),
    [
        (
            {"starts_at": NOON - timedelta(hours=1)},
            "day",
            "L'entretien doit avoir lieu dans le futur.",
        ),
        ({"place": "  "}, "place", "Indiquez un lieu ou un lien de visioconférence."),
        (
            {"place": "", "video_link": "http://visio.example/abc"},
            "video_link",
            "Le lien de visioconférence doit commencer par https://.",
        ),
        ({"minutes": 500}, "minutes", "Choisissez une durée proposée."),
    ],
)
def test_an_incomplete_invitation_is_refused_and_moves_nothing(
    world, published_offer, details, field, message
):
    proposal = ProposalFactory(offer=published_offer)
    with pytest.raises(ValidationError) as exc:
        invite(proposal, world.recruiter, **details)
    assert exc.value.message_dict[field] == [message]
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.PROPOSED and proposal.interview_at is None


def test_a_video_interview_needs_no_place():
    form = InterviewForm(interview_form(place="", video_link="https://visio.example/abc"))
    assert form.is_valid(), form.errors
    assert form.cleaned_data["starts_at"] == interview_time()


@pytest.mark.parametrize(
    ("fields", "error"),
    [
        ({"place": "", "video_link": ""}, "Indiquez un lieu ou un lien de visioconférence."),
        ({"time": "25:00"}, "Indiquez l'heure au format hh:mm, par exemple 14:30."),
        ({"video_link": "javascript:alert(1)"}, "Indiquez une adresse web complète (https://...)."),
    ],
)
def test_the_form_says_what_is_missing(fields, error):
    form = InterviewForm(interview_form(**fields))
    assert not form.is_valid()
    assert error in [message for errors in form.errors.values() for message in errors]
