"""The scenario of each email of the committees app, set in the app's small world:
`tests/test_mail_failures.py` runs them against a relay that stalls, refuses for good
(550) or refuses for now (451). And what a retry sends once the meeting has moved."""

from __future__ import annotations

import datetime

import pytest
from celery.exceptions import Retry
from django.utils import timezone

from accounts.enums import EmailStatus
from accounts.mail import deliver_email
from committees import emails, services, tasks
from committees.models import Meeting
from tests.outgoing_mail import Scenario

from .factories import ActionItemFactory, MeetingFactory

pytestmark = pytest.mark.django_db


def _meeting_invitation(world) -> Scenario:
    meeting = MeetingFactory(committee=world.committee, title="Réunion de printemps")
    return Scenario(
        kind=emails.MEETING_INVITATION,
        run=lambda: tasks.send_meeting_invitations(meeting.pk),
        recipients=[world.advisor.email, world.recruiter.email],
    )


def _quarterly_reminder(world) -> Scenario:
    MeetingFactory(
        committee=world.committee, starts_at=timezone.now() - datetime.timedelta(days=120)
    )
    return Scenario(
        kind=emails.QUARTERLY_REMINDER,
        run=lambda: tasks.remind_committees_without_meeting(),
        # the committee's secretary and its region's project lead
        recipients=[world.lead.email, world.advisor.email],
    )


def _overdue_digest(world) -> Scenario:
    meeting = MeetingFactory(committee=world.committee, past=True)
    ActionItemFactory(meeting=meeting, owner=world.advisor, overdue=True)
    return Scenario(
        kind=emails.OVERDUE_DIGEST,
        run=lambda: tasks.send_overdue_action_digest(),
        recipients=[world.advisor.email],
    )


SCENARIOS = {
    emails.MEETING_INVITATION: _meeting_invitation,
    emails.QUARTERLY_REMINDER: _quarterly_reminder,
    emails.OVERDUE_DIGEST: _overdue_digest,
}


def test_an_invitation_waiting_for_its_retry_is_dropped_when_the_meeting_moves(
    world, relay, tasks_in_process
):
    """The old version's email is superseded: only the new SEQUENCE leaves."""
    scenario = _meeting_invitation(world)
    relay.refuse_for_now = 1
    with pytest.raises(Retry):
        scenario.run()
    old = scenario.rows().get(attempts=1)
    meeting_id, _sequence = old.key.split(":")
    services.update_meeting(
        actor=world.lead,
        meeting=Meeting.objects.get(pk=meeting_id),
        starts_at=timezone.now() + datetime.timedelta(days=40),
    )
    assert deliver_email(email_id=old.pk, final_attempt=False) == "skipped"
    old.refresh_from_db()
    assert old.status == EmailStatus.SKIPPED
