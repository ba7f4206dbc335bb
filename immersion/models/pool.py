"""Requests from recruiters browsing the candidate pool, and who is in the pool."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.enums import Role
from accounts.model_base import PortalModel
from accounts.scope import get_scope
from accounts.workflow import Table

from ..enums import (
    ContractOutcome,
    PoolRequestStatus,
)
from .platform import CaeContract

# --- Requests from recruiters browsing the pool ----------------------------------------


class PoolRequestQuerySet(models.QuerySet):
    def visible_to(self, user) -> PoolRequestQuerySet:
        """A recruiter sees their company's requests; the youth's mission locale (advisors
        and managers) sees the requests about its youths; admins all."""
        scope = get_scope(user)
        if scope.is_admin:
            return self.all()
        return self.filter(
            Q(company_id__in=scope.company_ids)
            | Q(youth__mission_locale_id__in=scope.mission_locale_ids)
        )

    def pending(self) -> PoolRequestQuerySet:
        return self.filter(status=PoolRequestStatus.PENDING)


class PoolRequest(PortalModel):
    """A recruiter asks the youth's advisor to propose a pool member to one of their
    company's published offers. The advisor keeps the hand on their youth (Art. 3):
    accepting proposes the youth through the offers app (`proposal`), declining says why.
    """

    TRANSITIONS: Table = {
        "accept": (frozenset({PoolRequestStatus.PENDING}), PoolRequestStatus.ACCEPTED),
        "decline": (frozenset({PoolRequestStatus.PENDING}), PoolRequestStatus.DECLINED),
    }
    ACTION_LABELS = {"accept": _("Je propose ce jeune"), "decline": _("Refuser")}

    recruiter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recruteur"),
        on_delete=models.CASCADE,
        related_name="pool_requests",
    )
    company = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("entreprise"),
        on_delete=models.CASCADE,
        related_name="pool_requests",
    )
    youth = models.ForeignKey(
        "candidates.Youth",
        verbose_name=_("jeune"),
        on_delete=models.CASCADE,
        related_name="pool_requests",
    )
    offer = models.ForeignKey(
        "offers.Offer",
        verbose_name=_("offre concernée"),
        on_delete=models.CASCADE,
        related_name="pool_requests",
    )
    proposal = models.ForeignKey(
        "offers.Proposal",
        verbose_name=_("candidature créée"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    message = models.TextField(_("message au conseiller"), blank=True, default="")
    status = models.CharField(
        _("état"),
        max_length=16,
        choices=PoolRequestStatus.choices,
        default=PoolRequestStatus.PENDING,
    )
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    answered_at = models.DateTimeField(_("réponse le"), null=True, blank=True)
    answer_note = models.CharField(_("réponse"), max_length=255, blank=True, default="")
    created_at = models.DateTimeField(_("demandé le"), auto_now_add=True)

    objects = PoolRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("demande de proposition (bourse)")
        verbose_name_plural = _("demandes de proposition (bourse)")
        constraints = [
            models.UniqueConstraint(
                fields=["offer", "youth"],
                condition=Q(status="pending"),
                name="pool_request_once_while_pending",
                violation_error_message=_("Une demande identique attend déjà une réponse."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.company} · {self.offer}"

    @property
    def is_pending(self) -> bool:
        return self.status == PoolRequestStatus.PENDING


def pool_members(user):
    """The candidate pool (*bourse de candidats*) a recruiter browses: youths with a CAE
    contract on a platform of the recruiter's company's region, this year or last, not
    hired at its end, whom the recruiter may see (`Youth.objects.shared_with`, the list
    form of `candidates.permissions.can_see_shared_profile`: consent). Recruiters only
    ever see `shared_profile()` of these."""
    from candidates.models import Youth

    scope = get_scope(user)
    regions = scope.region_ids(Role.RECRUITER)
    if not regions:
        return Youth.objects.none()
    contracts = CaeContract.objects.filter(
        youth=models.OuterRef("pk"),
        cohort__region_id__in=regions,
        cohort__year__gte=timezone.localdate().year - 1,
    ).exclude(outcome=ContractOutcome.HIRED)
    return (
        Youth.objects.shared_with(user)
        .not_anonymised()
        .filter(models.Exists(contracts))
        .select_related("mission_locale")
        .order_by("first_name", "pk")
    )
