"""A youth's request to exercise a right over their data (access, rectification, erasure,
objection): when it came, when it is due (one month later, GDPR article 12.3), who
recorded it, and once closed, what was done and by whom. Defined apart from `models.py`
(which imports it) because it is a concept of its own; the services are in
`subject_request_services.py`."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Case, IntegerField, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.model_base import PortalModel
from accounts.scope import get_scope
from accounts.workflow import Table

from .enums import SubjectRequestKind, SubjectRequestStatus

# The answer is due one month after the request is received (GDPR article 12.3; the
# CNIL reads it as a calendar month).
RESPONSE_MONTHS = 1

# The one transition of a request: (allowed sources, target). Closing records what was
# done, by whom and when on the row itself, which is the request's own log.
SUBJECT_REQUEST_TRANSITIONS: Table = {
    "close": (frozenset({SubjectRequestStatus.OPEN}), SubjectRequestStatus.CLOSED),
}


class SubjectRequestQuerySet(models.QuerySet):
    def visible_to(self, user) -> SubjectRequestQuerySet:
        """The requests about the youths the user follows: advisors and managers of the
        youth's mission locale (admins all). Closing them is for managers
        (`permissions.can_close_subject_request`)."""
        scope = get_scope(user)
        if scope.is_admin:
            return self.all()
        return self.filter(youth__mission_locale_id__in=scope.mission_locale_ids)

    def handled_by(self, user) -> SubjectRequestQuerySet:
        """What the "Demandes RGPD" page lists: the requests about the youths of the
        missions locales the user manages (admins all)."""
        scope = get_scope(user)
        if scope.is_admin:
            return self.all()
        return self.filter(youth__mission_locale_id__in=scope.managed_mission_locale_ids)

    def open(self) -> SubjectRequestQuerySet:
        return self.filter(status=SubjectRequestStatus.OPEN)

    def overdue(self, today: date | None = None) -> SubjectRequestQuerySet:
        """Open requests whose due date has passed."""
        return self.open().filter(due_on__lt=today or timezone.localdate())

    def for_list(self) -> SubjectRequestQuerySet:
        """The list's rows in one query: open requests first, soonest due first; then the
        closed ones, most recently closed first."""
        return self.select_related("youth", "recorded_by", "handled_by").order_by(
            Case(
                When(status=SubjectRequestStatus.OPEN, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            ),
            "due_on",
            models.F("closed_on").desc(nulls_last=True),
            "pk",
        )


class SubjectRequest(PortalModel):
    """A request by a youth (in person, by mail, by email) to exercise a right over their
    data, and the answer given."""

    TRANSITIONS = SUBJECT_REQUEST_TRANSITIONS

    youth = models.ForeignKey(
        "candidates.Youth",
        verbose_name=_("jeune"),
        on_delete=models.CASCADE,
        related_name="subject_requests",
    )
    kind = models.CharField(_("droit exercé"), max_length=16, choices=SubjectRequestKind.choices)
    received_on = models.DateField(_("reçue le"))
    due_on = models.DateField(_("réponse due le"))
    details = models.TextField(_("ce que demande le jeune"), blank=True, default="")
    status = models.CharField(
        _("état"),
        max_length=16,
        choices=SubjectRequestStatus.choices,
        default=SubjectRequestStatus.OPEN,
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("enregistrée par"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("enregistrée le"), auto_now_add=True)
    outcome = models.TextField(_("ce qui a été fait"), blank=True, default="")
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("traitée par"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    closed_on = models.DateField(_("close le"), null=True, blank=True)

    objects = SubjectRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-received_on", "-pk"]
        verbose_name = _("demande d'exercice d'un droit")
        verbose_name_plural = _("demandes d'exercice des droits")
        indexes = [models.Index(fields=["status", "due_on"])]
        constraints = [
            models.CheckConstraint(
                name="subject_request_due_after_receipt",
                condition=Q(due_on__gte=models.F("received_on")),
                violation_error_message=_("L'échéance ne peut précéder la réception."),
            ),
            models.CheckConstraint(
                name="subject_request_closed_has_date",
                condition=Q(status=SubjectRequestStatus.OPEN, closed_on__isnull=True)
                | Q(status=SubjectRequestStatus.CLOSED, closed_on__isnull=False),
                violation_error_message=_("Une demande close a une date de clôture."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.received_on:%d/%m/%Y}"

    @property
    def is_open(self) -> bool:
        return self.status == SubjectRequestStatus.OPEN

    @property
    def is_erasure(self) -> bool:
        return self.kind == SubjectRequestKind.ERASURE

    def is_overdue(self, today: date | None = None) -> bool:
        return self.is_open and self.due_on < (today or timezone.localdate())

    def days_late(self, today: date | None = None) -> int:
        """Days past the due date (0 when not overdue)."""
        if not self.is_overdue(today):
            return 0
        return ((today or timezone.localdate()) - self.due_on).days
