"""The yearly action plan of a region: its items, their transitions, notes, renewal
and progress."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Region, User
from accounts.workflow import log_move, target_of

from ..enums import PlanItemStatus, PlanSection
from ..models import (
    ActionPlan,
    PlanItem,
    PlanItemLog,
    PlanItemNote,
)
from ..permissions import (
    can_create_plan,
    can_manage_plan,
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


def set_plan_item_status(*, item: PlanItem, actor: User, target: str, action: str = "") -> None:
    """Set a locked plan item's status and log it: by one of its table's actions, or
    kept in step with its committee actions (`action` empty)."""
    previous = item.status
    item.status = target
    item.completed_on = timezone.localdate() if target == PlanItemStatus.DONE else None
    item.save(update_fields=["status", "completed_on"])
    log_move(item, log=PlanItemLog, previous=previous, actor=actor, action=action)


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
        target = target_of(item, action)
        set_plan_item_status(item=item, actor=actor, target=target, action=action)
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
