"""The operational action plan (Art. 16, Annex 2), one per region and year."""

from __future__ import annotations

import datetime

from django.db import models
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.model_base import PortalModel
from accounts.models import Organisation, Region, User
from accounts.scope import get_scope
from accounts.workflow import TransitionLog

from ..enums import (
    ActionItemStatus,
    AwarenessAudience,
    IndicatorKey,
    PlanItemStatus,
    PlanSection,
)


class ActionPlanQuerySet(models.QuerySet):
    def visible_to(self, user) -> ActionPlanQuerySet:
        """A project lead sees the plans of their region; national staff and admins every
        region's plans."""
        scope = get_scope(user)
        if scope.is_admin or scope.is_national:
            return self.all()
        return self.filter(region_id__in=scope.lead_region_ids)

    def with_progress(self, today: datetime.date | None = None) -> ActionPlanQuerySet:
        """Counts for the progress bars, computed in the database."""
        today = today or timezone.localdate()
        return self.select_related("region").annotate(
            item_count=Count("items", filter=~Q(items__status=PlanItemStatus.DROPPED)),
            done_count=Count("items", filter=Q(items__status=PlanItemStatus.DONE)),
            overdue_count=Count(
                "items",
                filter=Q(items__status__in=PlanItemStatus.open_statuses(), items__due_on__lt=today),
            ),
        )


class ActionPlan(PortalModel):
    region = models.ForeignKey(
        Region, verbose_name=_("région"), on_delete=models.PROTECT, related_name="action_plans"
    )
    year = models.PositiveSmallIntegerField(_("année"))
    title = models.CharField(_("intitulé"), max_length=200)
    renewed_from = models.ForeignKey(
        "self",
        verbose_name=_("reconduit du plan"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ActionPlanQuerySet.as_manager()

    class Meta:
        ordering = ["region__name", "-year"]
        verbose_name = _("plan d'action")
        verbose_name_plural = _("plans d'action")
        constraints = [
            models.UniqueConstraint(
                fields=["region", "year"],
                name="action_plan_one_per_region_and_year",
                violation_error_message=_("Cette région a déjà un plan d'action pour cette année."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.year})"

    @property
    def percent_done(self) -> int:
        """Share of the items done (dropped ones do not count); needs with_progress()."""
        return round(100 * self.done_count / self.item_count) if self.item_count else 0


class PlanItemQuerySet(models.QuerySet):
    def visible_to(self, user) -> PlanItemQuerySet:
        return self.filter(plan__in=ActionPlan.objects.visible_to(user))

    def manageable_by(self, user) -> PlanItemQuerySet:
        """The items of the plans `user` runs: the same rule as `can_manage_plan` (the
        project lead of the plan's region; admins). National staff read every plan but
        change none, not even through a committee's action."""
        scope = get_scope(user)
        if scope.is_admin:
            return self.all()
        return self.filter(plan__region_id__in=scope.lead_region_ids)

    def with_list_data(self) -> PlanItemQuerySet:
        return self.select_related("owner_organisation").annotate(
            note_count=Count("notes", distinct=True),
            open_action_count=Count(
                "action_items",
                filter=Q(action_items__status__in=ActionItemStatus.open_statuses()),
                distinct=True,
            ),
        )


class PlanItem(PortalModel):
    plan = models.ForeignKey(
        ActionPlan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="items"
    )
    section = models.CharField(_("section"), max_length=32, choices=PlanSection.choices)
    audience = models.CharField(
        _("public (section I)"),
        max_length=16,
        choices=AwarenessAudience.choices,
        blank=True,
        default="",
    )
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)
    title = models.CharField(_("action"), max_length=300)
    owner_organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation responsable"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="plan_items",
    )
    due_on = models.DateField(_("échéance"), null=True, blank=True)
    status = models.CharField(
        _("état"), max_length=16, choices=PlanItemStatus.choices, default=PlanItemStatus.PLANNED
    )
    indicator_key = models.CharField(
        _("indicateur visé"), max_length=40, choices=IndicatorKey.choices, blank=True, default=""
    )
    indicator_target = models.PositiveIntegerField(_("cible"), null=True, blank=True)
    completed_on = models.DateField(_("réalisée le"), null=True, blank=True)

    objects = PlanItemQuerySet.as_manager()

    TRANSITIONS = {
        "start": ((PlanItemStatus.PLANNED,), PlanItemStatus.IN_PROGRESS),
        "complete": ((PlanItemStatus.PLANNED, PlanItemStatus.IN_PROGRESS), PlanItemStatus.DONE),
        "drop": ((PlanItemStatus.PLANNED, PlanItemStatus.IN_PROGRESS), PlanItemStatus.DROPPED),
        "reopen": ((PlanItemStatus.DONE, PlanItemStatus.DROPPED), PlanItemStatus.IN_PROGRESS),
    }
    ACTION_LABELS = {
        "start": _("Commencer"),
        "complete": _("Marquer réalisée"),
        "drop": _("Abandonner"),
        "reopen": _("Rouvrir"),
    }

    class Meta:
        ordering = ["section", "audience", "position", "pk"]
        verbose_name = _("action du plan")
        verbose_name_plural = _("actions du plan")
        constraints = [
            models.CheckConstraint(
                name="plan_item_audience_only_in_awareness",
                condition=Q(section=PlanSection.AWARENESS) | Q(audience=""),
                violation_error_message=_("Le public ne se précise que dans la section I."),
            ),
            models.CheckConstraint(
                name="plan_item_indicator_and_target_together",
                condition=Q(indicator_key="", indicator_target__isnull=True)
                | (~Q(indicator_key="") & Q(indicator_target__isnull=False)),
                violation_error_message=_("Un indicateur visé va avec une cible chiffrée."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status in PlanItemStatus.open_statuses()

    @property
    def is_overdue(self) -> bool:
        return bool(self.is_open and self.due_on and self.due_on < timezone.localdate())


class PlanItemNote(PortalModel):
    item = models.ForeignKey(PlanItem, on_delete=models.CASCADE, related_name="notes")
    written_on = models.DateField(_("date"))
    text = models.TextField(_("avancement"))
    author = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-written_on", "-pk"]
        verbose_name = _("note d'avancement")
        verbose_name_plural = _("notes d'avancement")

    def __str__(self) -> str:
        return f"{self.written_on:%d/%m/%Y} · {self.text[:60]}"


class PlanItemLog(TransitionLog):
    """One status change of a plan item: by its own action, or in step with the
    committee actions linked to it (no action)."""

    SUBJECT = "item"

    item = models.ForeignKey(PlanItem, on_delete=models.CASCADE, related_name="logs")
    from_status = models.CharField(_("de"), max_length=16, choices=PlanItemStatus.choices)
    to_status = models.CharField(_("vers"), max_length=16, choices=PlanItemStatus.choices)

    class Meta(TransitionLog.Meta):
        verbose_name = _("historique d'une action du plan")
        verbose_name_plural = _("historiques des actions du plan")

    def __str__(self) -> str:
        return f"{self.item_id}: {self.from_status} -> {self.to_status}"
