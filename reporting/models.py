"""The monthly digest's subscriptions (Art. 18; each digest sent is an
`accounts.OutgoingEmail`) and the annual review (Art. 20): its narrative sections and its
generated PDF versions."""

from __future__ import annotations

import datetime
import os
from pathlib import Path

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.model_base import PortalModel
from accounts.models import Region
from accounts.scope import get_scope

from .enums import DocumentStatus, ReviewSectionKey

# A rendering still "running" after this long lost its worker: it may be queued again.
STALE_RENDERING_MINUTES = 15


class DigestSubscription(PortalModel):
    """A user's choice about the monthly digest. No row means subscribed: Article 18 asks
    for the digest, a user may opt out in their profile."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="digest_subscription"
    )
    subscribed = models.BooleanField(_("recevoir la synthèse mensuelle"), default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("abonnement à la synthèse mensuelle")
        verbose_name_plural = _("abonnements à la synthèse mensuelle")

    def __str__(self) -> str:
        return f"{self.user} · {self.subscribed}"


class AnnualReviewQuerySet(models.QuerySet):
    def visible_to(self, user) -> AnnualReviewQuerySet:
        """National staff and admins see every review; a project lead the national one and
        their regions'. Reviews hold aggregates only, never a youth's name."""
        scope = get_scope(user)
        if scope.is_admin or scope.is_national:
            return self.all()
        if scope.lead_region_ids:
            return self.filter(Q(region__isnull=True) | Q(region_id__in=scope.lead_region_ids))
        return self.none()


class AnnualReview(PortalModel):
    """The annual review (Art. 20) of one year, national (no region) or for a region."""

    year = models.PositiveSmallIntegerField(_("année"))
    region = models.ForeignKey(
        Region,
        verbose_name=_("région"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="annual_reviews",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = AnnualReviewQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "region__name"]
        verbose_name = _("bilan annuel")
        verbose_name_plural = _("bilans annuels")
        constraints = [
            models.UniqueConstraint(
                fields=["year", "region"],
                name="annual_review_one_per_region_and_year",
                condition=Q(region__isnull=False),
            ),
            models.UniqueConstraint(
                fields=["year"],
                name="annual_review_one_national_per_year",
                condition=Q(region__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return f"{_('Bilan annuel')} {self.year} · {self.scope_label}"

    @property
    def scope_label(self) -> str:
        return self.region.name if self.region_id else str(_("national"))


class ReviewSection(PortalModel):
    """One narrative section of a review, written by a person."""

    review = models.ForeignKey(AnnualReview, on_delete=models.CASCADE, related_name="sections")
    key = models.CharField(_("section"), max_length=32, choices=ReviewSectionKey.choices)
    text = models.TextField(_("texte"))
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("section du bilan")
        verbose_name_plural = _("sections du bilan")
        constraints = [
            models.UniqueConstraint(fields=["review", "key"], name="review_section_once")
        ]

    def __str__(self) -> str:
        return self.get_key_display()


class ReviewDocumentQuerySet(models.QuerySet):
    def in_flight(self, now: datetime.datetime | None = None) -> ReviewDocumentQuerySet:
        """Queued, or running for less than STALE_RENDERING_MINUTES."""
        now = now or timezone.now()
        limit = now - datetime.timedelta(minutes=STALE_RENDERING_MINUTES)
        return self.filter(
            Q(status=DocumentStatus.QUEUED)
            | Q(status=DocumentStatus.RUNNING, started_at__gte=limit)
        )


class ReviewDocument(PortalModel):
    """One generated PDF of a review. Each generation is a new version; earlier ones are
    kept. The status is what the page shows (queued, running, done, failed + reason)."""

    review = models.ForeignKey(AnnualReview, on_delete=models.CASCADE, related_name="documents")
    version = models.PositiveIntegerField(_("version"))
    status = models.CharField(
        _("état"), max_length=16, choices=DocumentStatus.choices, default=DocumentStatus.QUEUED
    )
    error = models.TextField(_("motif de l'échec"), blank=True, default="")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("demandé par"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    queued_at = models.DateTimeField(_("demandé le"), default=timezone.now)
    started_at = models.DateTimeField(_("commencé le"), null=True, blank=True)
    finished_at = models.DateTimeField(_("terminé le"), null=True, blank=True)
    file_path = models.CharField(max_length=255, blank=True, default="")
    size = models.PositiveIntegerField(_("taille (octets)"), default=0)

    objects = ReviewDocumentQuerySet.as_manager()

    class Meta:
        ordering = ["-version"]
        verbose_name = _("version PDF du bilan")
        verbose_name_plural = _("versions PDF du bilan")
        constraints = [
            models.UniqueConstraint(fields=["review", "version"], name="review_document_version")
        ]

    def __str__(self) -> str:
        return f"{self.review} · v{self.version}"

    @property
    def is_done(self) -> bool:
        return self.status == DocumentStatus.DONE

    @property
    def is_failed(self) -> bool:
        return self.status == DocumentStatus.FAILED

    @property
    def is_pending(self) -> bool:
        return self.status in (DocumentStatus.QUEUED, DocumentStatus.RUNNING) and not self.is_stale

    @property
    def is_stale(self) -> bool:
        """Running for too long: the worker died mid-rendering; it may be queued again."""
        return (
            self.status == DocumentStatus.RUNNING
            and self.started_at is not None
            and timezone.now() - self.started_at
            > datetime.timedelta(minutes=STALE_RENDERING_MINUTES)
        )

    @property
    def absolute_path(self) -> Path:
        return Path(settings.PRIVATE_MEDIA_ROOT) / self.file_path

    @property
    def download_name(self) -> str:
        scope = self.review.region.code if self.review.region_id else "national"
        return f"bilan-{self.review.year}-{scope}-v{self.version}.pdf"


def review_file_path(review: AnnualReview, version: int) -> str:
    """Relative to PRIVATE_MEDIA_ROOT: reporting/reviews/<year>-<scope>-v<version>.pdf."""
    scope = f"region-{review.region_id}" if review.region_id else "national"
    return os.path.join("reporting", "reviews", f"{review.year}-{scope}-v{version}.pdf")
