"""The convention, its renewals and regional versions (Art. 19-20), the signatories' commitments (Art. 1-8) and the documents attached to meetings or commitments."""

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
    CommitmentStatus,
    DocumentKind,
)
from ..storage import private_storage
from .meetings import Meeting


class ConventionQuerySet(models.QuerySet):
    def visible_to(self, user) -> ConventionQuerySet:
        """National staff and admins see every convention; a project lead the national
        one and the regional conventions of their region."""
        scope = get_scope(user)
        if scope.is_admin or scope.is_national:
            return self.all()
        if scope.lead_region_ids:
            return self.filter(Q(region__isnull=True) | Q(region_id__in=scope.lead_region_ids))
        return self.none()


class Convention(PortalModel):
    """The national convention (no region) or a regional one (Art. 19) under it."""

    title = models.CharField(_("intitulé"), max_length=255)
    region = models.ForeignKey(
        Region,
        verbose_name=_("région"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="conventions",
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("convention nationale"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="regional_conventions",
    )
    signed_on = models.DateField(_("signée le"))
    signed_at_place = models.CharField(_("signée à"), max_length=100, blank=True, default="")
    duration_years = models.PositiveSmallIntegerField(_("durée (années)"), default=3)
    signatories = models.ManyToManyField(
        Organisation, verbose_name=_("signataires"), related_name="conventions"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ConventionQuerySet.as_manager()

    class Meta:
        ordering = ["signed_on", "pk"]
        verbose_name = _("convention")
        verbose_name_plural = _("conventions")
        constraints = [
            models.CheckConstraint(
                name="convention_regional_has_parent",
                condition=Q(region__isnull=True, parent__isnull=True)
                | Q(region__isnull=False, parent__isnull=False),
                violation_error_message=_(
                    "Une convention régionale a une région et déclinait la convention nationale."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def total_years(self) -> int:
        """Initial duration plus every renewal (renewals must be prefetched in lists)."""
        return self.duration_years + sum(r.extra_years for r in self.renewals.all())

    @property
    def ends_on(self) -> datetime.date:
        years = self.total_years
        try:
            return self.signed_on.replace(year=self.signed_on.year + years)
        except ValueError:  # 29 February
            return self.signed_on.replace(year=self.signed_on.year + years, day=28)


class ConventionRenewal(PortalModel):
    convention = models.ForeignKey(
        Convention, verbose_name=_("convention"), on_delete=models.CASCADE, related_name="renewals"
    )
    renewed_on = models.DateField(_("renouvelée le"))
    extra_years = models.PositiveSmallIntegerField(_("prolongation (années)"), default=3)
    note = models.CharField(_("observation"), max_length=255, blank=True, default="")

    class Meta:
        ordering = ["renewed_on"]
        verbose_name = _("renouvellement")
        verbose_name_plural = _("renouvellements")

    def __str__(self) -> str:
        return f"{self.convention} · {self.renewed_on:%d/%m/%Y}"


class CommitmentQuerySet(models.QuerySet):
    def visible_to(self, user) -> CommitmentQuerySet:
        """Commitments of the conventions the user may see."""
        return self.filter(convention__in=Convention.objects.visible_to(user))

    def with_list_data(self) -> CommitmentQuerySet:
        return self.select_related("signatory", "convention").annotate(
            document_count=Count("documents", distinct=True)
        )


class Commitment(PortalModel):
    """One undertaking of one signatory, as written in the convention."""

    convention = models.ForeignKey(
        Convention,
        verbose_name=_("convention"),
        on_delete=models.CASCADE,
        related_name="commitments",
    )
    article = models.PositiveSmallIntegerField(_("article"))
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)
    signatory = models.ForeignKey(
        Organisation,
        verbose_name=_("signataire"),
        on_delete=models.PROTECT,
        related_name="commitments",
    )
    text = models.TextField(_("engagement"))
    is_additional = models.BooleanField(_("engagement supplémentaire (art. 19)"), default=False)
    status = models.CharField(
        _("état"),
        max_length=16,
        choices=CommitmentStatus.choices,
        default=CommitmentStatus.NOT_STARTED,
    )
    evidence_text = models.TextField(_("éléments de preuve"), blank=True, default="")
    evidence_url = models.URLField(_("lien vers une preuve"), blank=True, default="")
    updated_at = models.DateTimeField(auto_now=True)

    objects = CommitmentQuerySet.as_manager()

    class Meta:
        ordering = ["convention", "article", "position", "pk"]
        verbose_name = _("engagement")
        verbose_name_plural = _("engagements")

    def __str__(self) -> str:
        return f"Art. {self.article} · {self.text[:60]}"


class CommitmentLog(TransitionLog):
    """History of a commitment: each status or evidence change, with its author and
    their comment (`reason`)."""

    SUBJECT = "commitment"

    commitment = models.ForeignKey(Commitment, on_delete=models.CASCADE, related_name="history")
    from_status = models.CharField(
        _("ancien état"), max_length=16, choices=CommitmentStatus.choices
    )
    to_status = models.CharField(_("nouvel état"), max_length=16, choices=CommitmentStatus.choices)

    class Meta(TransitionLog.Meta):
        ordering = ["-created_at", "-pk"]
        verbose_name = _("historique d'un engagement")
        verbose_name_plural = _("historiques des engagements")

    def __str__(self) -> str:
        return f"{self.commitment_id}: {self.from_status} -> {self.to_status}"


class DocumentQuerySet(models.QuerySet):
    def visible_to(self, user) -> DocumentQuerySet:
        """A meeting's documents go with the meeting; a commitment's with the commitment."""
        return self.filter(
            Q(meeting__in=Meeting.objects.visible_to(user))
            | Q(commitment__in=Commitment.objects.visible_to(user))
        )


def _document_path(instance, filename):
    # Never the uploaded name on disk: a random name in a dated folder.
    import uuid

    return f"{timezone.now():%Y/%m}/{uuid.uuid4().hex}.{instance.kind}"


class Document(PortalModel):
    meeting = models.ForeignKey(
        Meeting,
        verbose_name=_("réunion"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="documents",
    )
    commitment = models.ForeignKey(
        Commitment,
        verbose_name=_("engagement"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="documents",
    )
    file = models.FileField(_("fichier"), storage=private_storage, upload_to=_document_path)
    original_name = models.CharField(_("nom du fichier"), max_length=200)
    kind = models.CharField(_("format"), max_length=8, choices=DocumentKind.choices)
    size = models.PositiveIntegerField(_("taille (octets)"))
    uploaded_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    objects = DocumentQuerySet.as_manager()

    class Meta:
        ordering = ["uploaded_at", "pk"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        constraints = [
            models.CheckConstraint(
                name="document_meeting_xor_commitment",
                condition=Q(meeting__isnull=False, commitment__isnull=True)
                | Q(meeting__isnull=True, commitment__isnull=False),
                violation_error_message=_(
                    "Un document est joint à une réunion ou à un engagement."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.original_name
