"""Invitations with their .ics, the quarterly reminder and the weekly overdue digest.
Tasks run here in-process (`tasks_in_process`: the emails each task records leave here
too); the worker test sends through the real worker."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone
from icalendar import Calendar

from accounts.enums import Role
from accounts.models import OutgoingEmail
from committees import services, tasks
from committees.emails import OVERDUE_DIGEST
from committees.enums import CommitteeRole
from tests.accounts.factories import make_member

from .factories import ActionItemFactory, CommitteeFactory, CommitteeMemberFactory, MeetingFactory


def _ics(message) -> str:
    for attachment in message.attachments:
        if attachment[0] == "invitation.ics":
            content = attachment[1]
            return content.decode() if isinstance(content, bytes) else content
    raise AssertionError("no .ics attached")


@pytest.mark.django_db
def test_each_member_gets_the_agenda_and_an_ics_once(world, tasks_in_process):
    meeting = MeetingFactory(committee=world.committee, title="Réunion; de, décembre")
    services.add_agenda_item(actor=world.lead, meeting=meeting, title="Bilan des portes ouvertes")
    tasks.send_meeting_invitations.apply(args=[meeting.pk])
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert recipients == sorted([world.advisor.email, world.recruiter.email])
    message = mail.outbox[0]
    assert "Bilan des portes ouvertes" in message.body
    ics = _ics(message)
    assert "Réunion\\; de\\, décembre" in ics.replace("\r\n ", "")
    [event] = Calendar.from_ical(ics).walk("VEVENT")
    assert event["UID"] == f"meeting-{meeting.pk}@portail-convention"
    assert event["SUMMARY"] == f"{world.committee} : Réunion; de, décembre"
    assert event["SEQUENCE"] == 0
    assert event.decoded("DTSTART") == meeting.starts_at.replace(microsecond=0)
    assert event["ATTENDEE"] == f"mailto:{message.to[0]}"
    # Run twice: nobody gets it twice.
    tasks.send_meeting_invitations.apply(args=[meeting.pk])
    assert len(mail.outbox) == 2
    # Moved: everybody gets the update with a higher SEQUENCE.
    services.update_meeting(
        actor=world.lead, meeting=meeting, starts_at=timezone.now() + datetime.timedelta(days=50)
    )
    tasks.send_meeting_invitations.apply(args=[meeting.pk])
    assert len(mail.outbox) == 4
    [moved] = Calendar.from_ical(_ics(mail.outbox[-1])).walk("VEVENT")
    assert moved["UID"] == event["UID"] and moved["SEQUENCE"] == 1
    assert moved.decoded("DTSTART") > event.decoded("DTSTART")


@pytest.mark.django_db
def test_quarterly_reminder_once_per_quarter_to_whoever_runs_the_committee(world, tasks_in_process):
    MeetingFactory(
        committee=world.committee, starts_at=timezone.now() - datetime.timedelta(days=120)
    )
    active = CommitteeFactory(region=world.paca)
    MeetingFactory(committee=active, starts_at=timezone.now() - datetime.timedelta(days=20))
    planned = CommitteeFactory(region=world.paca)
    MeetingFactory(committee=planned)
    today = timezone.localdate().isoformat()
    result = tasks.remind_committees_without_meeting.apply(kwargs={"today": today}).get()
    # The committee's lead and its secretary (the advisor), for the one silent committee.
    assert sorted(m.to[0] for m in mail.outbox) == sorted([world.lead.email, world.advisor.email])
    assert result == {"queued": 2}
    assert "Comité de pilotage de Marseille" in mail.outbox[0].subject
    assert "article 18" in mail.outbox[0].body
    tasks.remind_committees_without_meeting.apply(kwargs={"today": today})
    assert len(mail.outbox) == 2


@pytest.mark.django_db
def test_national_committee_reminder_goes_to_national_staff(world, tasks_in_process):
    committee = CommitteeFactory(national=True)
    tasks.remind_committees_without_meeting.apply()
    assert [m.to[0] for m in mail.outbox if committee.name in m.subject] == [world.national.email]


@pytest.mark.django_db
def test_weekly_digest_lists_overdue_items_once_a_week(world, tasks_in_process):
    meeting = MeetingFactory(committee=world.committee, past=True)
    late = ActionItemFactory(
        meeting=meeting, owner=world.advisor, overdue=True, title="Relancer Méditel"
    )
    ActionItemFactory(meeting=meeting, owner=world.advisor, title="Pas encore due")
    ActionItemFactory(meeting=meeting, owner=world.recruiter, overdue=True, done=True)
    tasks.send_overdue_action_digest.apply()
    assert [m.to for m in mail.outbox] == [[world.advisor.email]]
    body = mail.outbox[0].body
    assert late.title in body and "Pas encore due" not in body
    assert late.due_on.strftime("%d/%m/%Y") in body
    tasks.send_overdue_action_digest.apply()
    assert len(mail.outbox) == 1
    next_week = (timezone.localdate() + datetime.timedelta(days=7)).isoformat()
    tasks.send_overdue_action_digest.apply(kwargs={"today": next_week})
    assert len(mail.outbox) == 2
    assert OutgoingEmail.objects.filter(kind=OVERDUE_DIGEST).count() == 2


@pytest.mark.worker
def test_invitation_with_its_ics_goes_through_the_real_worker(
    celery_worker, transactional_db, settings
):
    committee = CommitteeFactory()
    member = make_member(Role.ADVISOR, region=committee.region, first_name="Camille")
    lead = make_member(Role.PROJECT_LEAD, region=committee.region)
    CommitteeMemberFactory(committee=committee, user=member, role=CommitteeRole.MEMBER)
    meeting = MeetingFactory(committee=committee, title="Réunion trimestrielle, décembre")
    services.add_agenda_item(actor=lead, meeting=meeting, title="Plan d'action 2027")
    before = len(celery_worker.smtp.messages)
    services.send_meeting_invitations(actor=lead, meeting=meeting)
    messages = celery_worker.smtp.wait_for(before + 1)
    assert len(messages) == before + 1, celery_worker.log()
    message = messages[-1]
    assert message["To"] == member.email
    assert "Invitation" in message["Subject"]
    body = message.get_body(preferencelist=("plain",)).get_content()
    assert "Plan d'action 2027" in body
    calendars = [
        part for part in message.iter_attachments() if part.get_filename() == "invitation.ics"
    ]
    assert len(calendars) == 1
    assert calendars[0].get_content_type() == "text/calendar"
    assert calendars[0].get_param("method") == "REQUEST"
    raw = calendars[0].get_payload(decode=True)
    assert raw.startswith(b"BEGIN:VCALENDAR\r\n")
    assert b"\r\nEND:VCALENDAR\r\n" in raw
    assert "décembre".encode() in raw.replace(b"\r\n ", b"")
    calendar = Calendar.from_ical(raw)
    assert calendar["METHOD"] == "REQUEST"
    [event] = calendar.walk("VEVENT")
    assert event["ATTENDEE"] == f"mailto:{member.email}"
    assert "Plan d'action 2027" in event["DESCRIPTION"]
