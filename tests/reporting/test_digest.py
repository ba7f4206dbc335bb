"""The monthly digest (Art. 18): recipients, one email per user and month, the content,
refused sends kept and retried (through the real SMTP server), the command, the preview
and the subscription."""

from __future__ import annotations

import pytest
from celery.schedules import crontab
from django.conf import settings
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from accounts.enums import EmailStatus, Role
from accounts.mail import deliver_email
from accounts.models import OutgoingEmail
from accounts.tasks import EMAIL_MAX_RETRIES, send_email
from reporting import services
from reporting.digest import digest_recipients
from reporting.emails import MONTHLY_DIGEST
from reporting.periods import Period
from tests.accounts.factories import UserFactory, make_member
from tests.helpers import assert_refused

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
    digests = OutgoingEmail.objects.filter(kind=MONTHLY_DIGEST, key="2025-03")
    assert digests.filter(status=EmailStatus.SENT).count() == 3
    call_command("send_monthly_digest", "--month", "2025-03")
    assert len(mail.outbox) == 3
    assert digests.count() == 3


def test_command_refuses_a_bad_month(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="AAAA-MM"):
        call_command("send_monthly_digest", "--month", "mars")


def test_digest_has_html_and_text_with_the_month_against_the_month_before(people):
    ids = services.create_digest_deliveries(month=MARCH)
    delivery = OutgoingEmail.objects.get(pk__in=ids, recipient=people["lead"])
    assert deliver_email(email_id=delivery.pk, final_attempt=False) == "sent"
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
    delivery = OutgoingEmail.objects.get(kind=MONTHLY_DIGEST, recipient=people["national"])
    deliver_email(email_id=delivery.pk, final_attempt=False)
    assert "- Embauches : < 5" in mail.outbox[-1].body


def test_a_refused_send_is_kept_retried_then_shown_to_admins(
    people, client, relay, tasks_retrying_in_process, django_capture_on_commit_callbacks
):
    ids = services.create_digest_deliveries(month=MARCH)
    delivery = OutgoingEmail.objects.get(pk__in=ids, recipient=people["advisor"])
    # 451 to every try: each retry is recorded, the last one leaves the row failed
    relay.refuse_for_now = EMAIL_MAX_RETRIES + 1
    send_email.delay(delivery.pk)
    delivery.refresh_from_db()
    assert relay.refusals == [451] * (EMAIL_MAX_RETRIES + 1)
    assert delivery.status == EmailStatus.FAILED
    assert delivery.attempts == EMAIL_MAX_RETRIES + 1
    assert "451" in delivery.last_error
    admin = UserFactory(admin=True)
    client.force_login(admin)
    page = client.get(reverse("accounts:outgoing_emails"))
    assert "conseil@ml.fr" in page.content.decode()
    assert "Synthèse mensuelle des indicateurs" in page.content.decode()
    before = len(relay.messages)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:retry_outgoing_email", args=[delivery.pk]))
    assert response.status_code == 302
    delivery.refresh_from_db()
    assert delivery.status == EmailStatus.SENT
    assert [m["To"] for m in relay.messages[before:]] == ["conseil@ml.fr"]


def test_one_refusal_then_success_sends_once(people, relay):
    ids = services.create_digest_deliveries(month=MARCH)
    delivery = OutgoingEmail.objects.get(pk__in=ids, recipient=people["advisor"])
    before = len(relay.messages)
    relay.refuse_for_now = 1
    assert deliver_email(email_id=delivery.pk, final_attempt=False) == "retry"
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (EmailStatus.PENDING, 1)
    assert deliver_email(email_id=delivery.pk, final_attempt=False) == "sent"
    assert deliver_email(email_id=delivery.pk, final_attempt=False) == "skipped"
    assert [m["To"] for m in relay.messages[before:]] == ["conseil@ml.fr"]


def test_a_user_who_unsubscribed_meanwhile_gets_nothing(people):
    ids = services.create_digest_deliveries(month=MARCH)
    services.set_digest_subscription(user=people["advisor"], subscribed=False)
    delivery = OutgoingEmail.objects.get(pk__in=ids, recipient=people["advisor"])
    assert deliver_email(email_id=delivery.pk, final_attempt=False) == "skipped"
    delivery.refresh_from_db()
    assert delivery.status == EmailStatus.SKIPPED
    assert mail.outbox == []


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
