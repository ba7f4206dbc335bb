"""Outgoing mail: the one record of every email and its one sending task, against the real
SMTP server. EMAIL_TIMEOUT bounds a relay that never answers, a 5xx refusal fails the
email at once, a 4xx one is retried; the admins' list of failed emails and "Renvoyer".
The accounts' own emails (invitation, access request received, rejected, or made with
the address of an existing account) have their scenario here, which
`tests/test_mail_failures.py` runs through the three failures with every app's."""

from __future__ import annotations

import logging
import secrets
import smtplib
import threading
import time
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.db import DatabaseError, connection, connections, transaction
from django.urls import reverse
from django.utils import timezone

from accounts import services
from accounts.emails import (
    ACCESS_REQUEST_EXISTING_ACCOUNT,
    ACCESS_REQUEST_RECEIVED,
    ACCESS_REQUEST_REJECTED,
    INVITATION,
)
from accounts.enums import EmailStatus, Role
from accounts.mail import (
    deliver_email,
    describe_refusal,
    is_permanent_refusal,
    record_emails,
)
from accounts.models import CompanyAccessRequest, Invitation, OutgoingEmail
from accounts.tasks import (
    notify_access_request_received,
    notify_access_request_rejected,
    notify_existing_account_of_access_request,
    send_invitation_email,
)
from tests.accounts.factories import (
    OutgoingEmailFactory,
    RegionFactory,
    UserFactory,
    access_request_data,
    invite_advisor,
    make_member,
)
from tests.accounts.test_settings import _run_manage
from tests.conftest import TEST_EMAIL_TIMEOUT
from tests.helpers import assert_refused
from tests.outgoing_mail import STALL_BUDGET, Scenario, lock_from_another_connection

pytestmark = pytest.mark.django_db


# --- The accounts' emails: a scenario each, for tests/test_mail_failures.py -------------


def _invitation() -> Scenario:
    invitation = invite_advisor("nouvelle.conseillere@exemple.fr")
    return Scenario(
        kind=INVITATION,
        run=lambda: send_invitation_email(invitation.pk),
        recipients=["nouvelle.conseillere@exemple.fr"],
    )


def _access_request(region) -> CompanyAccessRequest:
    return services.request_company_access(data=access_request_data(region))


def _access_request_received() -> Scenario:
    region = RegionFactory(paca=True)
    leads = [make_member(Role.PROJECT_LEAD, region=region) for _ in range(2)]
    access_request = _access_request(region)
    return Scenario(
        kind=ACCESS_REQUEST_RECEIVED,
        run=lambda: notify_access_request_received(access_request.pk),
        recipients=[lead.email for lead in leads],
    )


def _access_request_rejected() -> Scenario:
    region = RegionFactory(paca=True)
    lead = make_member(Role.PROJECT_LEAD, region=region)
    access_request = _access_request(region)
    services.reject_company_access_request(
        actor=lead, access_request=access_request, reason="SIRET inconnu."
    )
    return Scenario(
        kind=ACCESS_REQUEST_REJECTED,
        run=lambda: notify_access_request_rejected(access_request.pk),
        recipients=["yanis@phocee-appels.fr"],
    )


def _access_request_existing_account() -> Scenario:
    owner = make_member(Role.ADVISOR, email="deja.inscrite@exemple.fr")
    return Scenario(
        kind=ACCESS_REQUEST_EXISTING_ACCOUNT,
        run=lambda: notify_existing_account_of_access_request(owner.pk, "demande-1"),
        recipients=["deja.inscrite@exemple.fr"],
    )


SCENARIOS = {
    INVITATION: _invitation,
    ACCESS_REQUEST_EXISTING_ACCOUNT: _access_request_existing_account,
    ACCESS_REQUEST_RECEIVED: _access_request_received,
    ACCESS_REQUEST_REJECTED: _access_request_rejected,
}


# --- The timeout ---------------------------------------------------------------------------


def test_email_timeout_is_read_from_the_environment_with_a_default():
    code = "from django.conf import settings as s; print(s.EMAIL_TIMEOUT)"
    default = _run_manage("shell", "-v", "0", "-c", code, env_overrides={"DEBUG": "true"})
    assert default.returncode == 0, default.stderr
    assert default.stdout.split() == ["20.0"]
    chosen = _run_manage(
        "shell", "-v", "0", "-c", code, env_overrides={"DEBUG": "true", "EMAIL_TIMEOUT": "7.5"}
    )
    assert chosen.stdout.split() == ["7.5"]
    refused = _run_manage("check", env_overrides={"DEBUG": "true", "EMAIL_TIMEOUT": "0"})
    assert refused.returncode != 0
    assert "EMAIL_TIMEOUT must be" in refused.stderr


def test_any_send_through_django_gives_up_after_the_timeout(relay):
    """allauth's emails (confirmation, password reset) use Django's SMTP backend in the
    request: EMAIL_TIMEOUT bounds them as well."""
    relay.stall = True
    started = time.monotonic()
    with pytest.raises(OSError, match="timed out"):
        mail.send_mail("Objet", "Texte", None, ["quelquun@exemple.fr"])
    assert time.monotonic() - started < STALL_BUDGET
    assert TEST_EMAIL_TIMEOUT < STALL_BUDGET


# --- Sorting the refusals ------------------------------------------------------------------


def test_only_a_5xx_answer_is_final():
    assert is_permanent_refusal(
        smtplib.SMTPRecipientsRefused({"a@b.fr": (550, b"5.1.1 <a@b.fr> unknown")})
    )
    assert is_permanent_refusal(smtplib.SMTPDataError(554, b"refused"))
    assert is_permanent_refusal(smtplib.SMTPSenderRefused(553, b"no", "x@y.fr"))
    assert not is_permanent_refusal(smtplib.SMTPRecipientsRefused({"a@b.fr": (451, b"later")}))
    assert not is_permanent_refusal(smtplib.SMTPDataError(421, b"busy"))
    assert not is_permanent_refusal(smtplib.SMTPServerDisconnected("timed out"))
    assert not is_permanent_refusal(ConnectionRefusedError(111, "Connection refused"))
    assert not is_permanent_refusal(TimeoutError("timed out"))


def test_the_reason_kept_masks_addresses():
    reason = describe_refusal(
        smtplib.SMTPRecipientsRefused(
            {"jeune.nom@exemple.fr": (550, b"5.1.1 <jeune.nom@exemple.fr>: User unknown")}
        )
    )
    assert reason == "SMTPRecipientsRefused 550: 5.1.1 <<adresse masquée>>: User unknown"


def test_a_kind_nobody_registered_is_refused_before_any_row():
    with pytest.raises(ImproperlyConfigured):
        record_emails(kind="offers.publishd", key="1", recipient_ids=[None])
    assert not OutgoingEmail.objects.exists()


def test_logs_carry_ids_and_codes_never_addresses(relay, caplog, tasks_in_process):
    scenario = _access_request_rejected()
    relay.refuse_for_good = True
    with caplog.at_level(logging.WARNING, logger="accounts.mail"):
        scenario.run()
    row = scenario.rows().get()
    (record,) = [r for r in caplog.records if r.name == "accounts.mail"]
    message = record.getMessage()
    assert message.startswith(f"email {row.pk} ({ACCESS_REQUEST_REJECTED}, key ")
    assert message.endswith("refused for good: SMTPRecipientsRefused 550")
    for secret in ("yanis@phocee-appels.fr", "Yanis", "Ferrand", "Phocée"):
        assert secret not in message


# --- Once, and never twice at the same time -------------------------------------------------


def _invitation_row() -> tuple[Scenario, int]:
    """An invitation's email recorded and not sent yet. The invitation is made directly,
    not through the service: the service queues its send on commit, and in these
    committing tests the session's real worker (`celery_worker`, started by an earlier
    test of the same process) would pick that task up and send the row the test means
    to hold."""
    manager = make_member(Role.ML_MANAGER)
    invitation = Invitation.objects.create(
        email="nouvelle.conseillere@exemple.fr",
        organisation=manager.memberships.get().organisation,
        role=Role.ADVISOR,
        token=secrets.token_urlsafe(32),
        invited_by=manager,
        expires_at=timezone.now() + timedelta(days=7),
    )
    scenario = Scenario(
        kind=INVITATION,
        run=lambda: send_invitation_email(invitation.pk),
        recipients=[invitation.email],
    )
    (email_id,) = record_emails(kind=scenario.kind, key=str(invitation.pk), recipient_ids=[None])
    return scenario, email_id


def _deliver_on_another_connection(email_id: int) -> list[str]:
    outcome: list[str] = []

    def deliver() -> None:
        try:
            outcome.append(deliver_email(email_id=email_id, final_attempt=False))
        finally:
            connections.close_all()

    thread = threading.Thread(target=deliver)
    thread.start()
    thread.join(timeout=15)
    return outcome


def test_a_row_being_sent_elsewhere_is_skipped_not_sent_twice(relay, transactional_db):
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL: SQLite ignores select_for_update")
    scenario, email_id = _invitation_row()
    before = len(relay.messages)
    with transaction.atomic():
        OutgoingEmail.objects.select_for_update().get(pk=email_id)  # a worker sending it
        assert isinstance(lock_from_another_connection(email_id), DatabaseError)
        # a second worker skips it at once instead of waiting, or sending it too
        assert _deliver_on_another_connection(email_id) == ["skipped"]
    assert relay.messages[before:] == []
    assert deliver_email(email_id=email_id, final_attempt=False) == "sent"
    assert deliver_email(email_id=email_id, final_attempt=False) == "skipped"
    assert [m["To"] for m in relay.messages[before:]] == scenario.recipients


def test_an_accepted_invitation_is_not_sent_any_more(relay):
    _scenario, email_id = _invitation_row()
    Invitation.objects.update(status="accepted")
    assert deliver_email(email_id=email_id, final_attempt=False) == "skipped"
    assert OutgoingEmail.objects.get(pk=email_id).status == EmailStatus.SKIPPED


# --- The admins' list and "Renvoyer" ----------------------------------------------------


def _failed_for_good(relay, scenario: Scenario) -> None:
    """Send the scenario's email to a relay refusing it for good (the rows fail), then
    let the relay accept again, as once the address is fixed."""
    relay.refuse_for_good = True
    scenario.run()
    relay.reset()


def test_failed_emails_are_listed_for_admins_and_sent_again(
    client, relay, tasks_in_process, django_capture_on_commit_callbacks
):
    scenario = _access_request_received()
    _failed_for_good(relay, scenario)
    failed = list(scenario.rows())
    client.force_login(UserFactory(admin=True))
    page = client.get(reverse("accounts:outgoing_emails")).content.decode()
    assert "Demandes d&#x27;accès d&#x27;entreprises reçues" in page
    for address in scenario.recipients:
        assert address in page
    for row in failed:
        assert reverse("accounts:retry_outgoing_email", args=[row.pk]) in page
    before = len(relay.messages)
    for row in failed:
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("accounts:retry_outgoing_email", args=[row.pk]))
        assert response.status_code == 302
    assert all(row.status == EmailStatus.SENT for row in scenario.rows())
    assert sorted(m["To"] for m in relay.messages[before:]) == sorted(scenario.recipients)
    # a sent email never leaves twice
    response = client.post(
        reverse("accounts:retry_outgoing_email", args=[failed[0].pk]), follow=True
    )
    assert "Ce courriel a déjà été envoyé." in response.content.decode()
    assert len(relay.messages) == before + len(failed)


def test_the_list_and_the_retry_are_for_admins_only(client):
    failed = OutgoingEmailFactory(failed=True, recipient__email="conseil@ml.fr")
    region = RegionFactory(paca=True)
    for role in (Role.NATIONAL, Role.PROJECT_LEAD, Role.ADVISOR, Role.ML_MANAGER):
        user = make_member(role, region=region)
        assert_refused(
            client, user, reverse("accounts:outgoing_emails"), must_not_contain=["conseil@ml.fr"]
        )
        assert_refused(
            client,
            user,
            reverse("accounts:retry_outgoing_email", args=[failed.pk]),
            method="post",
        )
    failed.refresh_from_db()
    assert failed.status == EmailStatus.FAILED
    with pytest.raises(PermissionDenied):
        services.retry_outgoing_email(actor=make_member(Role.NATIONAL), email=failed)


def test_the_list_shows_refused_and_retrying_emails_not_the_others(client):
    failed = OutgoingEmailFactory(failed=True)
    retrying = OutgoingEmailFactory(attempts=2, last_error="SMTPRecipientsRefused 451: later")
    OutgoingEmailFactory(status=EmailStatus.SENT, attempts=1)
    OutgoingEmailFactory()  # not tried yet
    assert set(OutgoingEmail.objects.needing_attention()) == {failed, retrying}


def test_the_list_page_queries_do_not_grow(client):
    from django.test.utils import CaptureQueriesContext

    client.force_login(UserFactory(admin=True))
    counts = []
    for size in (3, 30):
        OutgoingEmailFactory.create_batch(size - len(counts) * 3, failed=True)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(reverse("accounts:outgoing_emails"))
        assert response.content.decode().count("SMTPRecipientsRefused 550") >= size
        counts.append(len(captured))
    assert counts[0] == counts[1]


def test_the_django_admin_lists_by_state_and_sends_again(
    client, relay, tasks_in_process, django_capture_on_commit_callbacks
):
    scenario = _invitation()
    _failed_for_good(relay, scenario)
    row = scenario.rows().get()
    sent = OutgoingEmailFactory(status=EmailStatus.SENT, attempts=1)
    client.force_login(UserFactory(admin=True))
    url = reverse("admin:accounts_outgoingemail_changelist")
    listing = client.get(url, {"status__exact": EmailStatus.FAILED})
    assert listing.status_code == 200
    assert listing.context["cl"].result_count == 1
    before = len(relay.messages)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            url, {"action": "send_again", "_selected_action": [row.pk, sent.pk]}, follow=True
        )
    row.refresh_from_db()
    assert row.status == EmailStatus.SENT
    assert [m["To"] for m in relay.messages[before:]] == scenario.recipients


def test_a_sent_email_cannot_be_sent_again_by_the_service():
    sent = OutgoingEmailFactory(status=EmailStatus.SENT, attempts=1)
    with pytest.raises(ValidationError):
        services.retry_outgoing_email(actor=UserFactory(admin=True), email=sent)
