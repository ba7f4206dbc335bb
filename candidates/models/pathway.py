"""The pathway events of a youth (Annex 1): the source of truth of a youth's stage."""

from __future__ import annotations

import re

from django.conf import settings
from django.db import models
from django.db.models import F, Q, Window
from django.db.models.functions import ExtractMonth, ExtractYear, RowNumber
from django.utils.translation import gettext_lazy as _

from accounts.model_base import PortalModel

from ..enums import (
    ExitReason,
    PathwayStage,
)
from .youth import Youth

SOURCE_REFERENCE = re.compile(r"^(?P<model>[a-z_]+\.[A-Za-z]+)#(?P<pk>\d+)$")


class PathwayEventQuerySet(models.QuerySet):
    def visible_to(self, user) -> PathwayEventQuerySet:
        """Events of the youths the user may see."""
        return self.filter(youth__in=Youth.objects.visible_to(user))

    def chronological(self) -> PathwayEventQuerySet:
        return self.order_by("occurred_on", "created_at", "pk")


class PathwayEvent(PortalModel):
    """One move along the pathway, with its author and where it came from.

    `source` is a free label ("CDI chez X") or a reference to the record that caused the
    move, written "app_label.Model#pk" (e.g. "offers.Proposal#12").
    """

    youth = models.ForeignKey(
        Youth, verbose_name=_("jeune"), on_delete=models.CASCADE, related_name="pathway_events"
    )
    stage = models.CharField(_("étape"), max_length=16, choices=PathwayStage.choices)
    previous_stage = models.CharField(
        _("étape précédente"), max_length=16, choices=PathwayStage.choices, blank=True
    )
    occurred_on = models.DateField(_("date"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("auteur"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    note = models.TextField(_("commentaire"), blank=True, default="")
    exit_reason = models.CharField(
        _("motif de sortie"), max_length=24, choices=ExitReason.choices, blank=True
    )
    source = models.CharField(
        _("origine (contrat, candidature, session)"), max_length=200, blank=True, default=""
    )
    created_at = models.DateTimeField(_("enregistré le"), auto_now_add=True)
    # The youth's first event at this stage in this calendar year (earliest date, then
    # the first recorded): counting these counts the youths entering a stage in a year
    # without a COUNT(DISTINCT) over the year's events. Kept by `refresh_first_in_year`
    # after every save and delete, and after every bulk write.
    first_in_year = models.BooleanField(
        _("première de l'année à cette étape"), default=False, editable=False
    )
    # The same within its calendar month (a month's funnel counts these), kept with it.
    first_in_month = models.BooleanField(
        _("première du mois à cette étape"), default=False, editable=False
    )

    # The youth's mission locale, copied onto each event: the dashboards count events by
    # region or mission locale from the events' indexes alone, instead of joining each
    # event to its youth (a million youths at the largest scale). Written with the
    # event, moved with the youth (`move_youth_to_mission_locale`): always the youth's.
    mission_locale = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("mission locale"),
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
        db_index=False,
    )

    objects = PathwayEventQuerySet.as_manager()

    class Meta:
        ordering = ["occurred_on", "created_at", "pk"]
        verbose_name = _("étape du parcours")
        verbose_name_plural = _("étapes du parcours")
        indexes = [
            models.Index(fields=["youth", "occurred_on"]),
            # Reporting: counts of a stage over a period, read from the index alone
            # (for a region or a mission locale too: the mission locale is included).
            models.Index(
                fields=["stage", "occurred_on"],
                include=["youth", "mission_locale"],
                name="pathway_stage_date_idx",
            ),
            # Reporting: every stage over a period (the funnel), from the index alone.
            models.Index(
                fields=["occurred_on", "stage"],
                include=["youth", "mission_locale"],
                name="pathway_date_stage_idx",
            ),
            # Reporting: youths entering each stage in a year (the funnel of a year).
            models.Index(
                fields=["occurred_on", "stage"],
                include=["youth", "mission_locale"],
                condition=Q(first_in_year=True),
                name="pathway_first_in_year_idx",
            ),
            # Reporting: youths entering each stage in a month (the funnel of a month).
            models.Index(
                fields=["occurred_on", "stage"],
                include=["youth", "mission_locale"],
                condition=Q(first_in_month=True),
                name="pathway_first_in_month_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                name="pathway_exit_has_reason",
                condition=~Q(stage=PathwayStage.EXIT) | ~Q(exit_reason=""),
                violation_error_message=_("Une sortie du parcours demande un motif."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.youth} · {self.get_stage_display()} ({self.occurred_on:%d/%m/%Y})"

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        refresh_first_in_year([self.youth_id])
        self.refresh_from_db(fields=["first_in_year", "first_in_month"])

    def delete(self, *args, **kwargs):
        youth_id = self.youth_id
        result = super().delete(*args, **kwargs)
        refresh_first_in_year([youth_id])
        return result

    @property
    def source_reference(self) -> tuple[str, int] | None:
        """("offers.Proposal", 12) when `source` points at a record, else None."""
        match = SOURCE_REFERENCE.match(self.source)
        if not match:
            return None
        return match["model"], int(match["pk"])


def refresh_first_in_year(youth_ids=None) -> None:
    """Set `PathwayEvent.first_in_year` and `first_in_month` on the events of these
    youths (of every youth when None): true on each youth's first event at a stage in a
    calendar year (in a calendar month), false on the others. Four UPDATEs whatever the
    number of events; run after any write that bypasses `save()` (bulk_create, COPY)."""
    events = PathwayEvent._base_manager.all()
    if youth_ids is not None:
        events = events.filter(youth_id__in=list(youth_ids))
    for flag, period in (
        ("first_in_year", [ExtractYear("occurred_on")]),
        ("first_in_month", [ExtractYear("occurred_on"), ExtractMonth("occurred_on")]),
    ):
        firsts = (
            events.annotate(
                rank=Window(
                    RowNumber(),
                    partition_by=[F("youth_id"), F("stage"), *period],
                    order_by=[F("occurred_on").asc(), F("pk").asc()],
                )
            )
            .filter(rank=1)
            .values("pk")
        )
        events.filter(**{flag: True}).exclude(pk__in=firsts).update(**{flag: False})
        events.filter(**{flag: False}, pk__in=firsts).update(**{flag: True})
