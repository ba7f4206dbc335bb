"""The monthly digest (Art. 18): recipients, one delivery per user and month, the
content, refused sends kept and retried, the command, the preview and the subscription."""

from __future__ import annotations

import smtplib
from unittest import mock

import pytest
from celery.exceptions import Retry
from celery.schedules import crontab
from django.conf import settings
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from accounts.enums import Role
from reporting import services
from reporting.digest import digest_recipients
from reporting.enums import DeliveryStatus
from reporting.models import DigestDelivery
from reporting.periods import Period
from reporting.tasks import DIGEST_MAX_RETRIES, send_digest
from tests.accounts.factories import UserFactory, make_member
from tests.helpers import assert_refused

from .factories import DigestDeliveryFactory

MARCH = Period(2025, 3)


@pytest.fixture
def people(world):
    return {
        "advisor": make_member(Role.ADVISOR, organisation=world.ml1, email="conseil@ml.fr"),
        "lead": make_member(Role.PROJECT_LEAD, region=world.region_a, email="cp@cepl.fr"),
        "national": make_member(Role.NATIONAL, email="national@cnml.fr"),
        "recruiter": make_member(Role.RECRUITER, region=world.region_a, email="rh@ent.fr"),
    }


def test_beat_sends_on_the_first_at_seven_paris_time():
    entry = settings.CELERY_BEAT_SCHEDULE["reporting-monthly-digest"]
    assert entry["task"] == "reporting.tasks.send_monthly_digest"
    assert entry["schedule"] == crontab(day_of_month="1", hour=7, minute=0)
    assert settings.CELERY_TIMEZONE == "Europe/Paris"


def test_recipients_are_the_subscribed_users_with_a_dashboard(people):
    recipients = set(digest_recipients())
    assert recipients == {people["advisor"], people["lead"], people["national"]}
    services.set_digest_subscription(user=people["lead"], subscribed=False)
    assert people["lead"] not in set(digest_recipients())


def test_command_sends_once_per_user_and_month(people):
    call_command("send_monthly_digest", "--month", "2025-03")
    assert len(mail.outbox) == 3
    assert DigestDelivery.objects.filter(status=DeliveryStatus.SENT).count() == 3
    call_command("send_monthly_digest", "--month", "2025-03")
    assert len(mail.outbox) == 3
    assert DigestDelivery.objects.count() == 3


def test_command_refuses_a_bad_month(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="AAAA-MM"):
        call_command("send_monthly_digest", "--month", "mars")


def test_digest_has_html_and_text_with_the_month_against_the_month_before(people):
    ids = services.create_digest_deliveries(month=MARCH)
    delivery = DigestDelivery.objects.get(pk__in=ids, user=people["lead"])
    assert services.deliver_digest(delivery_id=delivery.pk, final_attempt=False) == "sent"
    message = mail.outbox[-1]
    assert message.to == ["cp@cepl.fr"]
    assert "Synthèse mensuelle des indicateurs" in message.subject
    assert "mars 2025" in message.subject
    assert "Provence-Alpes-Côte d'Azur" in message.body
    assert "- Embauches : 1 (février 2025 : 0" in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert "<table" in html
    for name in ("Benali", "Rossi", "Haddad"):
        assert name not in message.body and name not in html


def test_national_digest_masks_small_counts(people):
    services.create_digest_deliveries(month=MARCH)
    delivery = DigestDelivery.objects.get(user=people["national"])
    services.deliver_digest(delivery_id=delivery.pk, final_attempt=False)
    assert "- Embauches : < 5" in mail.outbox[-1].body


def test_a_refused_send_is_kept_retried_then_shown_to_admins(
    people, client, tasks_in_process, django_capture_on_commit_callbacks
):
    ids = services.create_digest_deliveries(month=MARCH)
    delivery = DigestDelivery.objects.get(pk__in=ids, user=people["advisor"])
    refused = smtplib.SMTPDataError(554, b"refused")
    with mock.patch("reporting.services.send_templated_mail", side_effect=refused):
        # the first tries ask Celery for a retry later...
        for attempt in range(DIGEST_MAX_RETRIES):
            with pytest.raises(Retry):
                send_digest.apply(args=[delivery.pk], retries=attempt, throw=True)
            delivery.refresh_from_db()
            assert (delivery.status, delivery.attempts) == (DeliveryStatus.PENDING, attempt + 1)
        # ...the last one records the failure for the admins
        result = send_digest.apply(args=[delivery.pk], retries=DIGEST_MAX_RETRIES, throw=True)
    assert result.get() == "failed"
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.FAILED
    assert delivery.attempts == DIGEST_MAX_RETRIES + 1
    assert "554" in delivery.last_error
    assert mail.outbox == []
    admin = UserFactory(admin=True)
    client.force_login(admin)
    page = client.get(reverse("reporting:deliveries"))
    assert "conseil@ml.fr" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reporting:retry_delivery", args=[delivery.pk]))
    assert response.status_code == 302
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SENT
    assert len(mail.outbox) == 1


def test_one_refusal_then_success_sends_once(people):
    ids = services.create_digest_deliveries(month=MARCH)
    delivery = DigestDelivery.objects.get(pk__in=ids, user=people["advisor"])
    with mock.patch(
        "reporting.services.send_templated_mail", side_effect=ConnectionRefusedError("down")
    ):
        assert services.deliver_digest(delivery_id=delivery.pk, final_attempt=False) == "retry"
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.PENDING, 1)
    assert services.deliver_digest(delivery_id=delivery.pk, final_attempt=False) == "sent"
    assert services.deliver_digest(delivery_id=delivery.pk, final_attempt=False) == "skipped"
    assert len(mail.outbox) == 1


def test_deliveries_page_and_retry_are_for_admins_only(people, client):
    failed = DigestDeliveryFactory(failed=True, user=people["advisor"])
    for user in (people["national"], people["lead"], people["advisor"]):
        assert_refused(
            client, user, reverse("reporting:deliveries"), must_not_contain=["conseil@ml.fr"]
        )
        assert_refused(
            client, user, reverse("reporting:retry_delivery", args=[failed.pk]), method="post"
        )
    failed.refresh_from_db()
    assert failed.status == DeliveryStatus.FAILED


def test_sent_delivery_cannot_be_sent_again(people, client):
    sent = DigestDeliveryFactory(user=people["advisor"], status=DeliveryStatus.SENT)
    client.force_login(UserFactory(admin=True))
    response = client.post(reverse("reporting:retry_delivery", args=[sent.pk]), follow=True)
    assert "Cette synthèse a déjà été envoyée." in response.content.decode()


def test_preview_shows_the_users_own_scope(people, client):
    client.force_login(people["advisor"])
    response = client.get(reverse("reporting:digest_preview") + "?month=2025-03")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Mission locale de Marseille" in body
    assert "Mission locale de Lyon" not in body
    assert "Benali" not in body


@pytest.mark.parametrize(
    ("month", "message"),
    [("2025-13", "Mois attendu au format AAAA-MM"), ("2999-01", "pas encore commencé")],
)
def test_preview_refuses_a_bad_month(people, client, month, message):
    client.force_login(people["advisor"])
    response = client.get(reverse("reporting:digest_preview") + f"?month={month}")
    body = response.content.decode()
    assert message in body
    assert f'value="{month}"' in body


def test_subscription_is_toggled_in_the_profile_section(people, client):
    client.force_login(people["advisor"])
    client.post(reverse("reporting:subscription"), {})
    assert people["advisor"] not in set(digest_recipients())
    response = client.post(reverse("reporting:subscription"), {"subscribed": "on"}, follow=True)
    assert people["advisor"] in set(digest_recipients())
    assert "Vous recevrez la synthèse mensuelle" in response.content.decode()


def test_users_without_a_dashboard_have_no_digest_pages(people, client):
    assert_refused(client, people["recruiter"], reverse("reporting:digest_preview"))
    assert_refused(client, people["recruiter"], reverse("reporting:subscription"), method="post")


def test_deliveries_page_queries_do_not_grow(people, client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(UserFactory(admin=True))
    counts = []
    for size in (3, 30):
        DigestDeliveryFactory.create_batch(size - len(counts) * 3, failed=True)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(reverse("reporting:deliveries"))
        assert response.content.decode().count("SMTPDataError") >= size
        counts.append(len(captured))
    assert counts[0] == counts[1]
