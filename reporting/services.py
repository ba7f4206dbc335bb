"""Every write of the reporting app: digest subscriptions and deliveries, the annual
review's sections and its PDF generations. Side effects are queued on commit."""

from __future__ import annotations

import datetime
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.mail import record_emails

from .digest import digest_recipients
from .emails import MONTHLY_DIGEST
from .enums import DocumentStatus
from .models import (
    STALE_RENDERING_MINUTES,
    AnnualReview,
    DigestSubscription,
    ReviewDocument,
    ReviewSection,
    review_file_path,
)
from .periods import Period
from .permissions import can_edit_review, can_generate_review

# --- Monthly digest -------------------------------------------------------------------


def set_digest_subscription(*, user, subscribed: bool) -> DigestSubscription:
    """Subscribe or unsubscribe a user from the monthly digest (their own choice)."""
    row, _created = DigestSubscription.objects.update_or_create(
        user=user, defaults={"subscribed": subscribed}
    )
    return row


def create_digest_deliveries(*, month: Period) -> list[int]:
    """One email row per subscribed recipient for the month (kind
    `reporting.monthly_digest`, keyed on the month: a second run adds nothing); returns
    the ids of the rows still to send. Sending, refusals, retries and the admins' list
    are those of every email (`accounts.mail`)."""
    return record_emails(
        kind=MONTHLY_DIGEST,
        key=month.key,
        recipient_ids=digest_recipients().values_list("pk", flat=True).iterator(),
    )


# --- Annual review ----------------------------------------------------------------------


def get_or_create_review(*, year: int, region=None) -> AnnualReview:
    review, _created = AnnualReview.objects.get_or_create(year=year, region=region)
    return review


def write_review_section(*, actor, review: AnnualReview, key: str, text: str) -> ReviewSection:
    """The project lead (their region) or national staff (the national review) write a
    narrative section; an empty text removes it (it shows as not written)."""
    if not can_edit_review(actor, review):
        raise PermissionDenied
    text = (text or "").strip()
    with transaction.atomic():
        if not text:
            ReviewSection.objects.filter(review=review, key=key).delete()
            return ReviewSection(review=review, key=key, text="")
        section, _created = ReviewSection.objects.update_or_create(
            review=review, key=key, defaults={"text": text, "updated_by": actor}
        )
    return section


def request_review_pdf(*, actor, review: AnnualReview) -> ReviewDocument:
    """Queue a new PDF version. Refused while another version is queued or running
    (unless that one is stale: its worker died)."""
    from .tasks import render_review_pdf

    if not can_generate_review(actor, review):
        raise PermissionDenied
    with transaction.atomic():
        AnnualReview.objects.select_for_update().get(pk=review.pk)
        if review.documents.in_flight().exists():
            raise ValidationError(_("Une génération est déjà en cours pour ce bilan."))
        version = (review.documents.aggregate(v=Max("version"))["v"] or 0) + 1
        document = ReviewDocument.objects.create(
            review=review, version=version, requested_by=actor, status=DocumentStatus.QUEUED
        )
        render_review_pdf.delay_on_commit(document.pk)
    return document


def restart_review_document(*, actor, document: ReviewDocument) -> ReviewDocument:
    """Queue again a rendering whose worker died (running for too long) or that failed."""
    from .tasks import render_review_pdf

    if not can_generate_review(actor, document.review):
        raise PermissionDenied
    with transaction.atomic():
        document = ReviewDocument.objects.select_for_update().get(pk=document.pk)
        if not (document.is_stale or document.is_failed):
            raise ValidationError(_("Cette génération n'est ni interrompue ni en échec."))
        document.status = DocumentStatus.QUEUED
        document.queued_at = timezone.now()
        document.started_at = None
        document.error = ""
        document.save(update_fields=["status", "queued_at", "started_at", "error"])
        render_review_pdf.delay_on_commit(document.pk)
    return document


def requeue_stale_documents() -> list[int]:
    """Renderings left "running" by a killed worker go back to the queue."""
    from .tasks import render_review_pdf

    ids = []
    limit = timezone.now() - datetime.timedelta(minutes=STALE_RENDERING_MINUTES)
    with transaction.atomic():
        for document in ReviewDocument.objects.select_for_update(skip_locked=True).filter(
            status=DocumentStatus.RUNNING, started_at__lt=limit
        ):
            document.status = DocumentStatus.QUEUED
            document.queued_at = timezone.now()
            document.started_at = None
            document.save(update_fields=["status", "queued_at", "started_at"])
            ids.append(document.pk)
        for pk in ids:
            render_review_pdf.delay_on_commit(pk)
    return ids


def render_review_document(*, document_id: int) -> ReviewDocument | None:
    """Render one version: mark it running, render, store the file under
    PRIVATE_MEDIA_ROOT, mark it done; on error mark it failed with the reason. A
    version already done, or running elsewhere and not stale, is left alone."""
    from .review import render_review_pdf_bytes

    with transaction.atomic():
        document = (
            ReviewDocument.objects.select_for_update(of=("self",))
            .select_related("review", "review__region")
            .filter(pk=document_id)
            .first()
        )
        if document is None or document.is_done:
            return document
        if document.status == DocumentStatus.RUNNING and not document.is_stale:
            return document
        document.status = DocumentStatus.RUNNING
        document.started_at = timezone.now()
        document.error = ""
        document.save(update_fields=["status", "started_at", "error"])
    try:
        pdf = render_review_pdf_bytes(document.review)
        relative = review_file_path(document.review, document.version)
        target = Path(settings.PRIVATE_MEDIA_ROOT) / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(pdf)
    except Exception as exc:  # any failure must reach the page, with its reason
        ReviewDocument.objects.filter(pk=document.pk).update(
            status=DocumentStatus.FAILED,
            error=f"{type(exc).__name__}: {exc}"[:2000],
            finished_at=timezone.now(),
        )
        raise
    ReviewDocument.objects.filter(pk=document.pk).update(
        status=DocumentStatus.DONE,
        file_path=relative,
        size=len(pdf),
        finished_at=timezone.now(),
    )
    document.refresh_from_db()
    return document
