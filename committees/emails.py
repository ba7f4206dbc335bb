"""The emails of the committees app: who runs a committee, and what each email says,
built when it leaves (see `accounts.mail`). Keys: the meeting and its SEQUENCE
(`<meeting id>:<sequence>`), the committee and the quarter (`<committee id>:2026-Q1`),
the ISO week (`2026-W07`)."""

from __future__ import annotations

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.enums import Role
from accounts.mail import Email, absolute_url, email_kind, email_to_recipient
from accounts.models import User

from .enums import CommitteeRole
from .ics import meeting_ics, organizer_address
from .models import ActionItem, Committee, Meeting, committee_member_users

MEETING_INVITATION = "committees.meeting_invitation"
QUARTERLY_REMINDER = "committees.quarterly_reminder"
OVERDUE_DIGEST = "committees.overdue_digest"


def committee_managers(committee: Committee):
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


def _split(key: str) -> tuple[str, str]:
    head, _sep, tail = key.partition(":")
    return head, tail


@email_kind(MEETING_INVITATION, _("Invitation à une réunion de comité"))
def meeting_invitation_email(email) -> Email | None:
    """The agenda and an .ics invitation, to a member of the committee. A version
    superseded by a move (another SEQUENCE) or a past meeting sends nothing: the new
    version has its own email."""
    meeting_id, sequence = _split(email.key)
    meeting = (
        Meeting.objects.select_related("committee", "committee__region")
        .prefetch_related("agenda_items")
        .filter(pk=meeting_id)
        .first()
    )
    if meeting is None or meeting.is_past or str(meeting.sequence) != sequence:
        return None
    user = email.recipient
    if not committee_member_users(meeting.committee).filter(pk=user.pk).exists():
        return None
    agenda = [item.title for item in meeting.agenda_items.all()]
    url = absolute_url(reverse("committees:meeting_detail", args=[meeting.pk]))
    description = "\n".join(
        [str(meeting.title), ""]
        + [f"{i}. {title}" for i, title in enumerate(agenda, 1)]
        + ["", url]
    )
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
    return email_to_recipient(
        email,
        template="committees/email/meeting_invitation",
        context={"meeting": meeting, "agenda": agenda, "url": url},
        attachments=(("invitation.ics", ics.encode("utf-8"), "text/calendar; method=REQUEST"),),
    )


@email_kind(QUARTERLY_REMINDER, _("Rappel : comité sans réunion ce trimestre"))
def quarterly_reminder_email(email) -> Email | None:
    """Art. 18 asks for quarterly meetings: remind whoever runs a silent committee."""
    committee_id, _quarter = _split(email.key)
    committee = Committee.objects.filter(pk=committee_id, is_active=True).first()
    user = email.recipient
    if committee is None or not committee_managers(committee).filter(pk=user.pk).exists():
        return None
    return email_to_recipient(
        email,
        template="committees/email/quarterly_reminder",
        context={
            "committee": committee,
            "last_meeting": committee.meetings.order_by("-starts_at").first(),
            "url": absolute_url(reverse("committees:committee_detail", args=[committee.pk])),
        },
    )


@email_kind(OVERDUE_DIGEST, _("Actions en retard de la semaine"))
def overdue_digest_email(email) -> Email | None:
    """The owner's action items overdue when the email leaves (a retry lists what is
    still overdue then); nothing when none is left."""
    owner = email.recipient
    items = list(
        ActionItem.objects.overdue().owned_by(owner).select_related("committee").order_by("due_on")
    )
    if not items:
        return None
    return email_to_recipient(
        email,
        template="committees/email/overdue_digest",
        context={"items": items, "url": absolute_url(reverse("committees:my_action_items"))},
    )
