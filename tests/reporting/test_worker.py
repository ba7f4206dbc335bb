"""The digest and the review through the real Redis and a real Celery worker process:
the digest reaches the real SMTP server; a relay that refuses for good fails the row at
once and an admin sends it again; a relay that never answers costs EMAIL_TIMEOUT, not
the worker; the review's PDF is rendered by the worker and opened with pypdf."""

from __future__ import annotations

import datetime
import io
import time

import pytest
from django.db import transaction
from django.urls import reverse
from pypdf import PdfReader

from accounts.enums import EmailStatus, Role
from accounts.models import OutgoingEmail
from accounts.services import retry_outgoing_email
from accounts.tasks import EMAIL_RETRY_SECONDS, send_email
from reporting import services
from reporting.emails import MONTHLY_DIGEST
from reporting.enums import DocumentStatus
from reporting.models import ReviewDocument
from reporting.periods import parse_month
from reporting.tasks import send_monthly_digest
from tests.accounts.factories import UserFactory, make_member
from tests.conftest import TEST_EMAIL_TIMEOUT

from .factories import YouthFactory

pytestmark = pytest.mark.worker


def wait_until(condition, timeout=60.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


def test_monthly_digest_reaches_the_smtp_server(celery_worker, transactional_db, world):
    advisor = make_member(Role.ADVISOR, organisation=world.ml1, email="digest-ml1@ml.fr")
    before = len(celery_worker.smtp.messages)
    send_monthly_digest.delay("2025-03")
    messages = celery_worker.smtp.wait_for(before + 1)
    assert len(messages) > before, celery_worker.log()
    message = next(m for m in messages[before:] if m["To"] == advisor.email)
    assert "mars 2025" in message["Subject"]
    text = message.get_body(preferencelist=("plain",)).get_content()
    assert "Mission locale de Marseille" in text
    assert "- Embauches : 1 (février 2025 : 0" in text
    assert message.get_body(preferencelist=("html",)) is not None
    assert wait_until(
        lambda: OutgoingEmail.objects.filter(
            kind=MONTHLY_DIGEST, recipient=advisor, status=EmailStatus.SENT
        ).exists()
    )
    # the beat firing twice sends nothing more
    send_monthly_digest.delay("2025-03").get(timeout=60)
    time.sleep(1)
    assert [m["To"] for m in celery_worker.smtp.messages[before:]].count(advisor.email) == 1


def _digest_of(user, month: str) -> OutgoingEmail:
    ids = services.create_digest_deliveries(month=parse_month(month))
    return OutgoingEmail.objects.get(pk__in=ids, recipient=user)


def test_a_permanent_refusal_fails_at_once_and_an_admin_sends_it_again(
    celery_worker, transactional_db, world
):
    advisor = make_member(Role.ADVISOR, organisation=world.ml2, email="refused@ml.fr")
    delivery = _digest_of(advisor, "2025-04")
    smtp = celery_worker.smtp
    smtp.refuse_for_good = True
    log_start = len(celery_worker.log())
    try:
        send_email.delay(delivery.pk)
        assert wait_until(
            lambda: OutgoingEmail.objects.filter(pk=delivery.pk, status=EmailStatus.FAILED).exists()
        ), celery_worker.log()
        delivery.refresh_from_db()
        # 550: failed at the first attempt, no retry scheduled
        assert delivery.attempts == 1
        assert delivery.last_error.startswith("SMTPRecipientsRefused 550")
        assert "refused@ml.fr" not in delivery.last_error
        time.sleep(1)
        assert smtp.refusals == [550]
        assert "Retry in" not in celery_worker.log()[log_start:]
    finally:
        smtp.reset()
    before = len(smtp.messages)
    # the address is fixed: the admin sends it again, it arrives once
    retry_outgoing_email(actor=UserFactory(admin=True), email=delivery)
    assert wait_until(
        lambda: OutgoingEmail.objects.filter(pk=delivery.pk, status=EmailStatus.SENT).exists()
    ), celery_worker.log()
    messages = smtp.wait_for(before + 1)
    assert [m["To"] for m in messages[before:]] == ["refused@ml.fr"]


def test_a_stalled_relay_costs_the_timeout_and_leaves_the_row_free(
    celery_worker, transactional_db, world
):
    advisor = make_member(Role.ADVISOR, organisation=world.ml2, email="stalled@ml.fr")
    delivery = _digest_of(advisor, "2025-05")
    smtp = celery_worker.smtp
    smtp.stall = True
    log_start = len(celery_worker.log())
    try:
        started = time.monotonic()
        send_email.delay(delivery.pk)
        # Before EMAIL_TIMEOUT existed the worker waited for the greeting forever, the
        # row locked: no attempt was ever recorded.
        assert wait_until(
            lambda: OutgoingEmail.objects.filter(pk=delivery.pk, attempts=1).exists(),
            timeout=TEST_EMAIL_TIMEOUT + 20,
        ), celery_worker.log()
        elapsed = time.monotonic() - started
        assert smtp.stalled, "the relay was never reached"
        delivery.refresh_from_db()
        assert delivery.status == EmailStatus.PENDING
        assert delivery.last_error.startswith("SMTPServerDisconnected")
        assert "timed out" in delivery.last_error
        # the worker let go of the row: another connection locks it at once
        with transaction.atomic():
            locked = OutgoingEmail.objects.select_for_update(nowait=True).get(pk=delivery.pk)
        assert locked.pk == delivery.pk
        # and asked Celery for a retry later, with the first back-off delay
        assert wait_until(
            lambda: f"Retry in {EMAIL_RETRY_SECONDS}s" in celery_worker.log()[log_start:],
            timeout=10,
        ), celery_worker.log()
        assert elapsed < TEST_EMAIL_TIMEOUT + 20
    finally:
        smtp.reset()
    # The worker is free: the next email leaves while the first waits for its retry.
    other = make_member(Role.ADVISOR, organisation=world.ml2, email="next@ml.fr")
    following = _digest_of(other, "2025-05")
    before = len(smtp.messages)
    send_email.delay(following.pk)
    assert wait_until(
        lambda: OutgoingEmail.objects.filter(pk=following.pk, status=EmailStatus.SENT).exists()
    ), celery_worker.log()
    assert "next@ml.fr" in [m["To"] for m in smtp.wait_for(before + 1)[before:]]


def test_review_pdf_is_rendered_by_the_worker(
    celery_worker, transactional_db, world, client, settings
):
    lead = make_member(Role.PROJECT_LEAD, region=world.region_a)
    for _index in range(6):  # region A: 9 youths registered in 2025, none in 2024
        YouthFactory(mission_locale=world.ml2, registered_on=datetime.date(2025, 5, 5))
    review = services.get_or_create_review(year=2025, region=world.region_a)
    services.write_review_section(
        actor=lead, review=review, key="joint_actions", text="Journée portes ouvertes réussie."
    )
    client.force_login(lead)
    response = client.post(
        reverse("reporting:review_generate", args=[2025, f"region-{world.region_a.pk}"])
    )
    assert response.status_code == 302
    document = ReviewDocument.objects.get(review=review)
    assert wait_until(
        lambda: ReviewDocument.objects.filter(
            pk=document.pk, status__in=[DocumentStatus.DONE, DocumentStatus.FAILED]
        ).exists(),
        timeout=120,
    ), celery_worker.log()
    document.refresh_from_db()
    assert document.status == DocumentStatus.DONE, document.error
    settings.PRIVATE_MEDIA_ROOT = celery_worker.private_root
    download = client.get(reverse("reporting:review_download", args=[document.pk]))
    assert download.status_code == 200
    reader = PdfReader(io.BytesIO(b"".join(download.streaming_content)))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "Bilan annuel 2025" in text
    assert "Jeunes inscrits 9 0 9" in text
    assert "Journée portes ouvertes réussie." in text
    assert "Section non rédigée." in text
