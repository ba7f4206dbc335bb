"""Background jobs of the committees app. Each takes primary keys or a day and is safe
to run twice: each email is recorded once per (kind, key, recipient) in
`accounts.OutgoingEmail`, keyed on the meeting version or the period, and leaves once
(`accounts.mail.queue_emails`)."""

from __future__ import annotations

import datetime

from celery import shared_task
from django.utils import timezone

from accounts.mail import queue_emails
from accounts.models import User

from . import emails
from .models import ActionItem, Meeting, committee_member_users


@shared_task(acks_late=True)
def send_meeting_invitations(meeting_id: int) -> dict:
    """Email each member the agenda and an .ics invitation. Keyed on the meeting and its
    SEQUENCE: run twice, nobody gets it twice; moved, everybody gets the update."""
    meeting = Meeting.objects.select_related("committee").filter(pk=meeting_id).first()
    if meeting is None or meeting.is_past:
        return {"queued": 0}
    members = committee_member_users(meeting.committee).order_by("pk").values_list("pk", flat=True)
    ids = queue_emails(
        kind=emails.MEETING_INVITATION,
        key=f"{meeting.pk}:{meeting.sequence}",
        recipient_ids=list(members),
    )
    return {"queued": len(ids)}


@shared_task
def remind_committees_without_meeting(today: str | None = None) -> dict:
    """Weekly: Art. 18 asks for quarterly meetings. A committee with no meeting in the
    last 91 days and none planned gets one reminder per quarter to whoever runs it."""
    from .services import committees_without_recent_meeting

    day = datetime.date.fromisoformat(today) if today else timezone.localdate()
    quarter = f"{day.year}-Q{(day.month - 1) // 3 + 1}"
    queued = 0
    for committee in committees_without_recent_meeting(day).iterator():
        managers = emails.committee_managers(committee).values_list("pk", flat=True)
        queued += len(
            queue_emails(
                kind=emails.QUARTERLY_REMINDER,
                key=f"{committee.pk}:{quarter}",
                recipient_ids=list(managers),
            )
        )
    return {"queued": queued}


@shared_task
def send_overdue_action_digest(today: str | None = None) -> dict:
    """Weekly: each owner of overdue action items gets one email listing them, once per
    ISO week."""
    day = datetime.date.fromisoformat(today) if today else timezone.localdate()
    iso = day.isocalendar()
    owner_ids = (
        ActionItem.objects.overdue(day).values_list("owner_id", flat=True).distinct().order_by()
    )
    owners = User.objects.filter(pk__in=list(owner_ids), is_active=True).order_by("pk")
    ids = queue_emails(
        kind=emails.OVERDUE_DIGEST,
        key=f"{iso.year}-W{iso.week:02d}",
        recipient_ids=list(owners.values_list("pk", flat=True)),
    )
    return {"queued": len(ids)}
