"""Background jobs of the committees app. Each takes primary keys and is safe to run
twice: a SentNotification row keyed on the meeting version or the period says what left."""

from __future__ import annotations

import datetime

from celery import shared_task
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from accounts.enums import Role
from accounts.mail import absolute_url, send_templated_mail
from accounts.models import User

from .enums import CommitteeRole
from .ics import meeting_ics, organizer_address
from .models import ActionItem, Committee, Meeting, SentNotification, committee_member_users


def _claim(kind: str, key: str, user: User) -> bool:
    """Reserve the right to send one email; False when it already went."""
    try:
        with transaction.atomic():
            SentNotification.objects.create(kind=kind, key=key, recipient=user)
    except IntegrityError:
        return False
    return True


def _release(kind: str, key: str, user: User) -> None:
    SentNotification.objects.filter(kind=kind, key=key, recipient=user).delete()


@shared_task(bind=True, max_retries=5, default_retry_delay=60, acks_late=True)
def send_meeting_invitations(self, meeting_id: int) -> dict:
    """Email each member the agenda and an .ics invitation. Keyed on the meeting and its
    SEQUENCE: run twice, nobody gets it twice; moved, everybody gets the update."""
    meeting = (
        Meeting.objects.select_related("committee", "committee__region")
        .prefetch_related("agenda_items")
        .filter(pk=meeting_id)
        .first()
    )
    if meeting is None or meeting.is_past:
        return {"sent": 0}
    agenda = [item.title for item in meeting.agenda_items.all()]
    url = absolute_url(reverse("committees:meeting_detail", args=[meeting.pk]))
    key = f"{meeting.pk}:{meeting.sequence}"
    description = "\n".join(
        [str(meeting.title), ""]
        + [f"{i}. {title}" for i, title in enumerate(agenda, 1)]
        + ["", url]
    )
    sent = 0
    for user in committee_member_users(meeting.committee):
        if not _claim("meeting_invitation", key, user):
            continue
        ics = meeting_ics(
            uid=f"meeting-{meeting.pk}@portail-convention",
            sequence=meeting.sequence,
            starts_at=meeting.starts_at,
            ends_at=meeting.ends_at,
            summary=f"{meeting.committee} : {meeting.title}",
            description=description,
            location=meeting.place or meeting.video_url,
            url=meeting.video_url or url,
            organizer_email=organizer_address(),
            attendee_email=user.email,
            stamp=timezone.now(),
        )
        try:
            sent += send_templated_mail(
                to=[user.email],
                template="committees/email/meeting_invitation",
                context={"meeting": meeting, "agenda": agenda, "url": url, "user": user},
                language=user.language,
                attachments=[
                    (
                        "invitation.ics",
                        ics.encode("utf-8"),
                        "text/calendar; method=REQUEST",
                    )
                ],
            )
        except OSError as exc:
            _release("meeting_invitation", key, user)
            raise self.retry(exc=exc) from exc
    return {"sent": sent}


def _committee_managers(committee: Committee):
    """Who answers for a committee meeting regularly: its chair and secretary, and the
    project lead of its region (national staff for a national committee)."""
    condition = Q(
        committee_seats__committee=committee,
        committee_seats__role__in=[CommitteeRole.CHAIR, CommitteeRole.SECRETARY],
    )
    if committee.region_id:
        condition |= Q(
            memberships__is_active=True,
            memberships__role=Role.PROJECT_LEAD,
            memberships__organisation__region_id=committee.region_id,
        )
    else:
        condition |= Q(memberships__is_active=True, memberships__role=Role.NATIONAL)
    return User.objects.filter(condition, is_active=True).distinct().order_by("pk")


@shared_task(bind=True, max_retries=3, default_retry_delay=300)
def remind_committees_without_meeting(self, today: str | None = None) -> dict:
    """Weekly: Art. 18 asks for quarterly meetings. A committee with no meeting in the
    last 91 days and none planned gets one reminder per quarter to whoever runs it."""
    from .services import committees_without_recent_meeting

    day = datetime.date.fromisoformat(today) if today else timezone.localdate()
    quarter = f"{day.year}-Q{(day.month - 1) // 3 + 1}"
    sent = 0
    for committee in committees_without_recent_meeting(day).iterator():
        key = f"{committee.pk}:{quarter}"
        last = committee.meetings.order_by("-starts_at").first()
        for user in _committee_managers(committee):
            if not _claim("quarterly_reminder", key, user):
                continue
            try:
                sent += send_templated_mail(
                    to=[user.email],
                    template="committees/email/quarterly_reminder",
                    context={
                        "committee": committee,
                        "last_meeting": last,
                        "url": absolute_url(
                            reverse("committees:committee_detail", args=[committee.pk])
                        ),
                    },
                    language=user.language,
                )
            except OSError as exc:
                _release("quarterly_reminder", key, user)
                raise self.retry(exc=exc) from exc
    return {"sent": sent}


@shared_task(bind=True, max_retries=3, default_retry_delay=300)
def send_overdue_action_digest(self, today: str | None = None) -> dict:
    """Weekly: each owner of overdue action items gets one email listing them, once per
    ISO week."""
    day = datetime.date.fromisoformat(today) if today else timezone.localdate()
    iso = day.isocalendar()
    key = f"{iso.year}-W{iso.week:02d}"
    owner_ids = (
        ActionItem.objects.overdue(day).values_list("owner_id", flat=True).distinct().order_by()
    )
    url = absolute_url(reverse("committees:my_action_items"))
    sent = 0
    for owner in (
        User.objects.filter(pk__in=list(owner_ids), is_active=True).order_by("pk").iterator()
    ):
        if not _claim("overdue_digest", key, owner):
            continue
        items = list(
            ActionItem.objects.overdue(day)
            .owned_by(owner)
            .select_related("committee")
            .order_by("due_on")
        )
        try:
            sent += send_templated_mail(
                to=[owner.email],
                template="committees/email/overdue_digest",
                context={"items": items, "url": url, "user": owner},
                language=owner.language,
            )
        except OSError as exc:
            _release("overdue_digest", key, owner)
            raise self.retry(exc=exc) from exc
    return {"sent": sent}
