"""Every write of the committees app. Each service checks the actor, runs in one
transaction (nothing half-saved) and schedules its emails on commit."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Organisation, Region, User

from .documents import validate_document
from .enums import ActionItemStatus, CommitmentStatus, CommitteeKind, PlanItemStatus, PlanSection
from .models import (
    ActionItem,
    ActionPlan,
    AgendaItem,
    Attendance,
    Commitment,
    CommitmentLog,
    Committee,
    CommitteeMember,
    Convention,
    ConventionRenewal,
    Decision,
    Document,
    Meeting,
    PlanItem,
    PlanItemLog,
    PlanItemNote,
    committee_member_users,
)
from .permissions import (
    can_act_on_action_item,
    can_create_committee,
    can_create_plan,
    can_create_regional_convention,
    can_manage_committee,
    can_manage_convention,
    can_manage_meeting,
    can_manage_plan,
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


def _check_action_item(
    *,
    actor: User,
    committee: Committee,
    owner: User | None,
    due_on,
    plan_item: PlanItem | None,
    today,
) -> None:
    errors = {}
    if owner is None or not committee_member_users(committee).filter(pk=owner.pk).exists():
        errors["owner"] = _(
            "Le responsable doit être membre du comité (en personne ou par son organisation)."
        )
    if due_on is None:
        errors["due_on"] = _("Indiquez une échéance.")
    elif due_on < today:
        errors["due_on"] = _("L'échéance ne peut pas être dans le passé.")
    if (
        plan_item is not None
        and committee.region_id
        and plan_item.plan.region_id != committee.region_id
    ):
        errors["plan_item"] = _("Cette action du plan appartient au plan d'une autre région.")
    elif plan_item is not None and not can_manage_plan(actor, plan_item.plan):
        # A linked plan item moves with the action (in progress, then done): only who
        # runs that plan may link it, whatever committee the action belongs to.
        errors["plan_item"] = _("Vous ne gérez pas le plan d'action de cette région.")
    if errors:
        raise ValidationError(errors)


def create_action_item(
    *,
    actor: User,
    meeting: Meeting,
    title: str,
    owner: User | None,
    due_on: datetime.date | None,
    plan_item: PlanItem | None = None,
    decision: Decision | None = None,
    today: datetime.date | None = None,
) -> ActionItem:
    """Give someone an action. The owner sits on the committee; the due date is not in
    the past; a linked plan item belongs to the committee's region and to a plan the
    actor runs (`can_manage_plan`), since the action moves it."""
    if not can_manage_meeting(actor, meeting):
        raise PermissionDenied(_("Vous ne gérez pas ce comité."))
    _check_action_item(
        actor=actor,
        committee=meeting.committee,
        owner=owner,
        due_on=due_on,
        plan_item=plan_item,
        today=today or timezone.localdate(),
    )
    with transaction.atomic():
        item = ActionItem.objects.create(
            committee=meeting.committee,
            meeting=meeting,
            decision=decision,
            title=title,
            owner=owner,
            due_on=due_on,
            plan_item=plan_item,
            created_by=actor,
        )
        if plan_item is not None and plan_item.status == PlanItemStatus.PLANNED:
            _set_plan_item_status(item=plan_item, actor=actor, target=PlanItemStatus.IN_PROGRESS)
    return item


def record_decision(
    *,
    actor: User,
    meeting: Meeting,
    text: str,
    action_title: str = "",
    owner: User | None = None,
    due_on: datetime.date | None = None,
    plan_item: PlanItem | None = None,
    today: datetime.date | None = None,
) -> Decision:
    """Record a decision and, when given, the action that follows from it: both or
    neither are saved (an action `create_action_item` refuses undoes the decision)."""
    if not can_manage_meeting(actor, meeting):
        raise PermissionDenied(_("Vous ne gérez pas ce comité."))
    with transaction.atomic():
        decision = Decision.objects.create(meeting=meeting, text=text, created_by=actor)
        if action_title:
            create_action_item(
                actor=actor,
                meeting=meeting,
                title=action_title,
                owner=owner,
                due_on=due_on,
                plan_item=plan_item,
                decision=decision,
                today=today,
            )
    return decision


def _sync_plan_item(*, plan_item: PlanItem, actor: User) -> None:
    """When the last open action linked to a plan item is done, the plan item is done:
    the plan's progress follows the committees' work."""
    counts = plan_item.action_items.aggregate(
        open=Count("pk", filter=Q(status__in=ActionItemStatus.open_statuses())),
        done=Count("pk", filter=Q(status=ActionItemStatus.DONE)),
    )
    if counts["open"] == 0 and counts["done"] > 0 and plan_item.is_open:
        _set_plan_item_status(item=plan_item, actor=actor, target=PlanItemStatus.DONE)


def transition_action_item(*, actor: User, item: ActionItem, action: str) -> ActionItem:
    """Move an action along its table (start, complete, cancel, reopen), log it, and keep
    the linked plan item in step."""
    if action not in ActionItem.TRANSITIONS:
        raise ValidationError(_("Action inconnue."))
    with transaction.atomic():
        item = (
            ActionItem.objects.select_for_update(of=("self",))
            .select_related("committee", "plan_item")
            .get(pk=item.pk)
        )
        if not can_act_on_action_item(actor, item, action):
            raise PermissionDenied(_("Vous ne pouvez pas modifier cette action."))
        sources, target = ActionItem.TRANSITIONS[action]
        if item.status not in sources:
            raise ValidationError(
                _("Impossible depuis l'état « %(status)s ».")
                % {"status": item.get_status_display()}
            )
        item.status = target
        item.completed_at = timezone.now() if target == ActionItemStatus.DONE else None
        # The audit trail keeps the move (who, when, status from and to).
        item.save(update_fields=["status", "completed_at"])
        if item.plan_item_id and target == ActionItemStatus.DONE:
            plan_item = PlanItem.objects.select_for_update().get(pk=item.plan_item_id)
            PlanItemNote.objects.create(
                item=plan_item,
                written_on=timezone.localdate(),
                text=_("Action « %(title)s » terminée (%(committee)s).")
                % {"title": item.title, "committee": item.committee},
                author=actor,
            )
            _sync_plan_item(plan_item=plan_item, actor=actor)
    return item


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
    from . import tasks

    if not can_manage_meeting(actor, meeting):
        raise PermissionDenied(_("Vous ne gérez pas ce comité."))
    if meeting.is_past:
        raise ValidationError(_("La réunion est passée : les invitations ne partent plus."))
    with transaction.atomic():
        meeting.invitations_sent_at = timezone.now()
        meeting.save(update_fields=["invitations_sent_at"])
        meeting_id = meeting.pk
        transaction.on_commit(lambda: tasks.send_meeting_invitations.delay(meeting_id))
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


# --- Action plan ---------------------------------------------------------------------------


def create_plan(*, actor: User, region: Region, year: int, title: str) -> ActionPlan:
    """Start the plan of a region for a year (one per region and year)."""
    if not can_create_plan(actor, region):
        raise PermissionDenied(_("Vous ne pouvez pas créer le plan de cette région."))
    plan = ActionPlan(region=region, year=year, title=title)
    plan.full_clean()
    plan.save()
    return plan


def add_plan_item(*, actor: User, plan: ActionPlan, **fields) -> PlanItem:
    """Add an action to the plan, in one of the four sections of Annex 2."""
    if not can_manage_plan(actor, plan):
        raise PermissionDenied(_("Vous ne gérez pas ce plan."))
    if fields.get("section") != PlanSection.AWARENESS:
        fields["audience"] = ""
    last = plan.items.order_by("-position").values_list("position", flat=True).first()
    item = PlanItem(plan=plan, position=(last or 0) + 1, **fields)
    item.full_clean()
    item.save()
    return item


def update_plan_item(*, actor: User, item: PlanItem, **fields) -> PlanItem:
    """Change an item's wording, owner, due date or target; its status moves only through
    its transitions, so the log stays true."""
    if not can_manage_plan(actor, item.plan):
        raise PermissionDenied(_("Vous ne gérez pas ce plan."))
    fields.pop("status", None)
    if fields.get("section", item.section) != PlanSection.AWARENESS:
        fields["audience"] = ""
    with transaction.atomic():
        item = PlanItem.objects.select_for_update().select_related("plan").get(pk=item.pk)
        for name, value in fields.items():
            setattr(item, name, value)
        item.full_clean()
        item.save()
    return item


def _set_plan_item_status(*, item: PlanItem, actor: User, target: str) -> None:
    previous = item.status
    item.status = target
    item.completed_on = timezone.localdate() if target == PlanItemStatus.DONE else None
    item.save(update_fields=["status", "completed_on"])
    PlanItemLog.objects.create(item=item, actor=actor, from_status=previous, to_status=target)


def transition_plan_item(*, actor: User, item: PlanItem, action: str) -> PlanItem:
    """Move a plan item along its table (start, complete, drop, reopen) and log it."""
    if action not in PlanItem.TRANSITIONS:
        raise ValidationError(_("Action inconnue."))
    with transaction.atomic():
        item = (
            PlanItem.objects.select_for_update(of=("self",)).select_related("plan").get(pk=item.pk)
        )
        if not can_manage_plan(actor, item.plan):
            raise PermissionDenied(_("Vous ne gérez pas ce plan."))
        sources, target = PlanItem.TRANSITIONS[action]
        if item.status not in sources:
            raise ValidationError(
                _("Impossible depuis l'état « %(status)s ».")
                % {"status": item.get_status_display()}
            )
        _set_plan_item_status(item=item, actor=actor, target=target)
    return item


def add_plan_note(
    *, actor: User, item: PlanItem, written_on: datetime.date, text: str
) -> PlanItemNote:
    """A dated progress note on a plan item."""
    if not can_manage_plan(actor, item.plan):
        raise PermissionDenied(_("Vous ne gérez pas ce plan."))
    if written_on > timezone.localdate():
        raise ValidationError({"written_on": _("La date d'une note ne peut pas être future.")})
    return PlanItemNote.objects.create(item=item, written_on=written_on, text=text, author=actor)


def _next_year(day: datetime.date | None) -> datetime.date | None:
    if day is None:
        return None
    try:
        return day.replace(year=day.year + 1)
    except ValueError:
        return day.replace(year=day.year + 1, day=28)


@transaction.atomic
def renew_plan(*, actor: User, plan: ActionPlan) -> ActionPlan:
    """Art. 16: the plan is renewed every year. Next year's plan starts as a copy of this
    one, every item back to planned, due dates a year later, targets kept."""
    if not can_manage_plan(actor, plan):
        raise PermissionDenied(_("Vous ne gérez pas ce plan."))
    year = plan.year + 1
    if ActionPlan.objects.filter(region=plan.region, year=year).exists():
        raise ValidationError(_("Le plan %(year)s de cette région existe déjà.") % {"year": year})
    title = plan.title.replace(str(plan.year), str(year))
    new_plan = ActionPlan.objects.create(
        region=plan.region, year=year, title=title, renewed_from=plan
    )
    PlanItem.objects.bulk_create(
        PlanItem(
            plan=new_plan,
            section=item.section,
            audience=item.audience,
            position=item.position,
            title=item.title,
            owner_organisation_id=item.owner_organisation_id,
            due_on=_next_year(item.due_on),
            status=PlanItemStatus.PLANNED,
            indicator_key=item.indicator_key,
            indicator_target=item.indicator_target,
        )
        for item in plan.items.exclude(status=PlanItemStatus.DROPPED).order_by("pk")
    )
    return new_plan


def plan_progress(plan: ActionPlan, today: datetime.date | None = None) -> list[dict]:
    """Per section of Annex 2: items (dropped ones aside), done, overdue, % done.
    One aggregate query."""
    today = today or timezone.localdate()
    rows = {
        row["section"]: row
        for row in plan.items.values("section").annotate(
            total=Count("pk", filter=~Q(status=PlanItemStatus.DROPPED)),
            done=Count("pk", filter=Q(status=PlanItemStatus.DONE)),
            overdue=Count(
                "pk", filter=Q(status__in=PlanItemStatus.open_statuses(), due_on__lt=today)
            ),
        )
    }
    result = []
    for value, label in PlanSection.choices:
        row = rows.get(value, {"total": 0, "done": 0, "overdue": 0})
        total = row["total"]
        result.append(
            {
                "section": value,
                "label": label,
                "total": total,
                "done": row["done"],
                "overdue": row["overdue"],
                "percent": round(100 * row["done"] / total) if total else 0,
            }
        )
    return result


# --- Convention and commitments -------------------------------------------------------------


def update_commitment(
    *,
    actor: User,
    commitment: Commitment,
    status: str,
    evidence_text: str = "",
    evidence_url: str = "",
    note: str = "",
) -> Commitment:
    """Record where a commitment stands and the evidence; every change is kept in its
    history with its author. Declaring it met needs some evidence."""
    if not can_update_commitment(actor, commitment):
        raise PermissionDenied(_("Vous ne suivez pas cet engagement."))
    with transaction.atomic():
        commitment = Commitment.objects.select_for_update().get(pk=commitment.pk)
        if (
            status == CommitmentStatus.MET
            and not (evidence_text.strip() or evidence_url)
            and not commitment.documents.exists()
        ):
            raise ValidationError(
                {"evidence_text": _("Un engagement tenu s'appuie sur une preuve : décrivez-la.")}
            )
        previous = commitment.status
        commitment.status = status
        commitment.evidence_text = evidence_text
        commitment.evidence_url = evidence_url
        commitment.full_clean()
        commitment.save()
        CommitmentLog.objects.create(
            commitment=commitment, actor=actor, from_status=previous, to_status=status, note=note
        )
    return commitment


def renew_convention(
    *,
    actor: User,
    convention: Convention,
    renewed_on: datetime.date,
    extra_years: int,
    note: str = "",
) -> ConventionRenewal:
    """Record a renewal (Art. 20: concluded for 3 years, renewable)."""
    if not can_manage_convention(actor, convention):
        raise PermissionDenied(_("Vous ne gérez pas cette convention."))
    if renewed_on < convention.signed_on:
        raise ValidationError({"renewed_on": _("Un renouvellement suit la signature.")})
    renewal = ConventionRenewal(
        convention=convention, renewed_on=renewed_on, extra_years=extra_years, note=note
    )
    renewal.full_clean()
    renewal.save()
    return renewal


@transaction.atomic
def create_regional_convention(
    *,
    actor: User,
    parent: Convention,
    region: Region,
    title: str,
    signed_on: datetime.date,
    duration_years: int,
    signatories: list[Organisation],
) -> Convention:
    """Art. 19: signatories' regional representatives adapt the convention to their
    region. In the portal the project lead of the region does it (admins too); national
    staff do not (see `can_create_regional_convention`)."""
    if not can_create_regional_convention(actor, region):
        raise PermissionDenied(_("Vous ne pouvez pas créer de convention pour cette région."))
    convention = Convention(
        title=title,
        region=region,
        parent=parent,
        signed_on=signed_on,
        duration_years=duration_years,
    )
    convention.full_clean()
    convention.save()
    convention.signatories.set(signatories)
    return convention


def add_additional_commitment(
    *, actor: User, convention: Convention, signatory: Organisation, text: str
) -> Commitment:
    """An additional commitment of a regional convention (Art. 19: specific needs of the
    companies of the sites concerned)."""
    if not can_manage_convention(actor, convention):
        raise PermissionDenied(_("Vous ne gérez pas cette convention."))
    last = convention.commitments.order_by("-position").values_list("position", flat=True).first()
    commitment = Commitment(
        convention=convention,
        article=19,
        position=(last or 0) + 1,
        signatory=signatory,
        text=text,
        is_additional=True,
    )
    commitment.full_clean()
    commitment.save()
    return commitment
