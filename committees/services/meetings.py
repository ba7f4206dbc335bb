"""Committees, their members and meetings: agenda, minutes, attendance, documents and
invitations."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Organisation, Region, User

from ..documents import validate_document
from ..enums import CommitteeKind
from ..models import (
    AgendaItem,
    Attendance,
    Commitment,
    Committee,
    CommitteeMember,
    Document,
    Meeting,
    committee_member_users,
)
from ..permissions import (
    can_create_committee,
    can_manage_committee,
    can_manage_meeting,
    can_update_commitment,
)

# --- Committees ---------------------------------------------------------------------------


def create_committee(
    *, actor: User, kind: str, name: str, region: Region | None, description: str = ""
) -> Committee:
    """Create a committee of Article 17. National kinds have no region; the others belong
    to a region whose project lead (or an admin) creates them."""
    if kind in CommitteeKind.national():
        region = None
    committee = Committee(kind=kind, name=name, region=region, description=description)
    if not can_create_committee(actor) or not can_manage_committee(actor, committee):
        raise PermissionDenied(_("Vous ne pouvez pas créer ce comité."))
    committee.full_clean()
    committee.save()
    return committee


def add_committee_member(
    *,
    actor: User,
    committee: Committee,
    role: str,
    user: User | None = None,
    organisation: Organisation | None = None,
) -> CommitteeMember:
    """Seat a person or an organisation on the committee with a role."""
    if not can_manage_committee(actor, committee):
        raise PermissionDenied(_("Vous ne gérez pas ce comité."))
    if (user is None) == (organisation is None):
        raise ValidationError(_("Choisissez une personne ou une organisation, pas les deux."))
    member = CommitteeMember(committee=committee, user=user, organisation=organisation, role=role)
    member.full_clean()
    member.save()
    return member


def remove_committee_member(*, actor: User, member: CommitteeMember) -> None:
    """Take a seat away; the committee's past records keep the person's name."""
    if not can_manage_committee(actor, member.committee):
        raise PermissionDenied(_("Vous ne gérez pas ce comité."))
    member.delete()


# --- Meetings -----------------------------------------------------------------------------


def previous_meeting(committee: Committee, before: datetime.datetime | None = None):
    """The committee's last meeting before `before` (or the latest one)."""
    meetings = Meeting.objects.filter(committee=committee)
    if before is not None:
        meetings = meetings.filter(starts_at__lt=before)
    return meetings.order_by("-starts_at").first()


@transaction.atomic
def schedule_meeting(
    *,
    actor: User,
    committee: Committee,
    title: str,
    starts_at: datetime.datetime,
    duration_minutes: int = 120,
    place: str = "",
    video_url: str = "",
    agenda: list[str] | None = None,
    prepare_from_previous: bool = False,
) -> Meeting:
    """Plan a meeting. With `prepare_from_previous`, the agenda starts with one point per
    open action item of the previous meeting, so nothing decided is forgotten."""
    if not can_manage_committee(actor, committee):
        raise PermissionDenied(_("Vous ne gérez pas ce comité."))
    meeting = Meeting(
        committee=committee,
        title=title,
        starts_at=starts_at,
        duration_minutes=duration_minutes,
        place=place,
        video_url=video_url,
        created_by=actor,
    )
    previous = previous_meeting(committee, starts_at) if prepare_from_previous else None
    meeting.prepared_from = previous
    meeting.full_clean()
    meeting.save()
    position = 1
    if previous is not None:
        carried = previous.action_items.open().select_related("owner").order_by("due_on", "pk")
        for item in carried:
            AgendaItem.objects.create(
                meeting=meeting,
                position=position,
                title=_("Suivi : %(title)s (%(owner)s)")
                % {"title": item.title, "owner": item.owner},
                carried_action=item,
            )
            position += 1
    for line in agenda or []:
        if line.strip():
            AgendaItem.objects.create(meeting=meeting, position=position, title=line.strip()[:255])
            position += 1
    return meeting


def update_meeting(*, actor: User, meeting: Meeting, **fields) -> Meeting:
    """Change the date, place or link. A change of time or place raises the iCalendar
    SEQUENCE so calendars update the event."""
    if not can_manage_meeting(actor, meeting):
        raise PermissionDenied(_("Vous ne gérez pas ce comité."))
    with transaction.atomic():
        meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
        moved = any(
            getattr(meeting, name) != value
            for name, value in fields.items()
            if name in ("starts_at", "duration_minutes", "place", "video_url")
        )
        for name, value in fields.items():
            setattr(meeting, name, value)
        if moved:
            meeting.sequence += 1
        meeting.full_clean()
        meeting.save()
    return meeting


def add_agenda_item(*, actor: User, meeting: Meeting, title: str) -> AgendaItem:
    """Append a point to the agenda."""
    if not can_manage_meeting(actor, meeting):
        raise PermissionDenied(_("Vous ne gérez pas ce comité."))
    last = meeting.agenda_items.order_by("-position").values_list("position", flat=True).first()
    return AgendaItem.objects.create(meeting=meeting, position=(last or 0) + 1, title=title)


def record_minutes(*, actor: User, meeting: Meeting, minutes: str) -> Meeting:
    """Save the minutes (Markdown). They are rendered through an allow-list at display,
    so whatever is typed, no script reaches a reader."""
    if not can_manage_meeting(actor, meeting):
        raise PermissionDenied(_("Vous ne gérez pas ce comité."))
    meeting.minutes = minutes
    meeting.save(update_fields=["minutes", "updated_at"])
    return meeting


@transaction.atomic
def record_attendance(*, actor: User, meeting: Meeting, statuses: dict[int, str]) -> int:
    """Record who attended (present, excused, absent), one row per member."""
    if not can_manage_meeting(actor, meeting):
        raise PermissionDenied(_("Vous ne gérez pas ce comité."))
    members = set(committee_member_users(meeting.committee).values_list("pk", flat=True))
    count = 0
    for user_id, status in statuses.items():
        if user_id not in members:
            raise ValidationError(_("Seuls les membres du comité figurent dans les présences."))
        Attendance.objects.update_or_create(
            meeting=meeting, user_id=user_id, defaults={"status": status}
        )
        count += 1
    return count


# --- Documents ---------------------------------------------------------------------------


def attach_document(
    *, actor: User, uploaded, meeting: Meeting | None = None, commitment: Commitment | None = None
) -> Document:
    """Keep a PDF, DOCX, ODT or XLSX of at most 10 MB, its type read from its content,
    under a random name in the private storage."""
    if meeting is not None and not can_manage_meeting(actor, meeting):
        raise PermissionDenied(_("Vous ne gérez pas ce comité."))
    if commitment is not None and not can_update_commitment(actor, commitment):
        raise PermissionDenied(_("Vous ne suivez pas cet engagement."))
    try:
        kind = validate_document(uploaded)
    except ValidationError as exc:
        raise ValidationError({"file": exc.messages}) from exc
    document = Document(
        meeting=meeting,
        commitment=commitment,
        original_name=uploaded.name[-200:],
        kind=kind,
        size=uploaded.size,
        uploaded_by=actor,
    )
    document.file.save(document.original_name, uploaded, save=False)
    try:
        with transaction.atomic():
            document.save()
    except DatabaseError:
        document.file.delete(save=False)
        raise
    return document


# --- Invitations and reminders --------------------------------------------------------------


def send_meeting_invitations(*, actor: User, meeting: Meeting) -> Meeting:
    """Email every member the agenda with an .ics invitation (a worker sends them)."""
    from .. import tasks

    if not can_manage_meeting(actor, meeting):
        raise PermissionDenied(_("Vous ne gérez pas ce comité."))
    if meeting.is_past:
        raise ValidationError(_("La réunion est passée : les invitations ne partent plus."))
    with transaction.atomic():
        meeting.invitations_sent_at = timezone.now()
        meeting.save(update_fields=["invitations_sent_at"])
        meeting_id = meeting.pk
        tasks.send_meeting_invitations.delay_on_commit(meeting_id)
    return meeting


def committees_without_recent_meeting(today: datetime.date | None = None):
    """Active committees with no meeting in the last quarter (Art. 18: quarterly
    meetings) and none planned."""
    today = today or timezone.localdate()
    since = timezone.make_aware(
        datetime.datetime.combine(today - datetime.timedelta(days=91), datetime.time.min)
    )
    return (
        Committee.objects.filter(is_active=True)
        .annotate(recent=Count("meetings", filter=Q(meetings__starts_at__gte=since)))
        .filter(recent=0)
        .select_related("region")
        .order_by("pk")
    )
