"""The digest and the review through the real Redis and a real Celery worker process:
the digest reaches the real SMTP server, a refusing server loses no delivery, the
review's PDF is rendered by the worker and opened with pypdf."""

from __future__ import annotations

import datetime
import io
import time

import pytest
from django.urls import reverse
from pypdf import PdfReader

from accounts.enums import Role
from reporting import services
from reporting.enums import DeliveryStatus, DocumentStatus
from reporting.models import DigestDelivery, ReviewDocument
from reporting.tasks import send_digest, send_monthly_digest
from tests.accounts.factories import make_member

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
        lambda: DigestDelivery.objects.filter(user=advisor, status=DeliveryStatus.SENT).exists()
    )
    # the beat firing twice sends nothing more
    send_monthly_digest.delay("2025-03").get(timeout=60)
    time.sleep(1)
    assert [m["To"] for m in celery_worker.smtp.messages[before:]].count(advisor.email) == 1


def test_a_refusing_smtp_server_loses_no_delivery(celery_worker, transactional_db, world):
    advisor = make_member(Role.ADVISOR, organisation=world.ml2, email="refused@ml.fr")
    ids = services.create_digest_deliveries(month=services.Period(2025, 4))
    delivery = DigestDelivery.objects.get(pk__in=ids, user=advisor)
    celery_worker.smtp.refuse = True
    try:
        send_digest.delay(delivery.pk)
        assert wait_until(
            lambda: DigestDelivery.objects.filter(pk=delivery.pk, attempts__gte=1).exists()
        ), celery_worker.log()
        delivery.refresh_from_db()
        assert delivery.status == DeliveryStatus.PENDING
        assert "554" in delivery.last_error
    finally:
        celery_worker.smtp.refuse = False
    before = len(celery_worker.smtp.messages)
    # the server is back: sending the recorded delivery again delivers it, once
    send_digest.delay(delivery.pk)
    assert wait_until(
        lambda: DigestDelivery.objects.filter(pk=delivery.pk, status=DeliveryStatus.SENT).exists()
    ), celery_worker.log()
    messages = celery_worker.smtp.wait_for(before + 1)
    assert [m["To"] for m in messages[before:]] == ["refused@ml.fr"]


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
