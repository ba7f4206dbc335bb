"""What a meeting decides: action items and their transitions, decisions."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.workflow import move

from ..enums import ActionItemStatus, PlanItemStatus
from ..models import (
    ActionItem,
    Committee,
    Decision,
    Meeting,
    PlanItem,
    PlanItemNote,
    committee_member_users,
)
from ..permissions import (
    can_act_on_action_item,
    can_manage_meeting,
    can_manage_plan,
)
from .plans import set_plan_item_status


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
            set_plan_item_status(item=plan_item, actor=actor, target=PlanItemStatus.IN_PROGRESS)
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
        set_plan_item_status(item=plan_item, actor=actor, target=PlanItemStatus.DONE)


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
        # The audit trail keeps the move (who, when, status from and to).
        move(item, action=action, actor=actor)
        target = item.status
        item.completed_at = timezone.now() if target == ActionItemStatus.DONE else None
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
