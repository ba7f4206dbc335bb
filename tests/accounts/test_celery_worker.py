"""Tasks travel through the real Redis to a real worker process and come back."""

import time

import pytest

from accounts.enums import EmailStatus
from accounts.models import OutgoingEmail, TaskFailure
from accounts.tasks import ping, send_invitation_email
from tests.accounts.factories import invite_advisor

pytestmark = [pytest.mark.worker]


def test_a_task_round_trips_through_redis_and_a_worker(celery_worker):
    result = ping.apply_async(queue=celery_worker.queue)
    assert result.get(timeout=30)["pong"] is True
    assert result.status == "SUCCESS"


def test_the_worker_sends_the_invitation_to_a_real_smtp_server(celery_worker, transactional_db):
    before = len(celery_worker.smtp.messages)
    invitation = invite_advisor("arrivee@exemple.fr")
    result = send_invitation_email.apply_async(args=[invitation.pk], queue=celery_worker.queue)
    # The result carries counts, never an address (it is stored in Redis).
    assert result.get(timeout=60) == {"queued": 1}
    messages = celery_worker.smtp.wait_for(before + 1)
    message = messages[before]
    assert message["To"] == "arrivee@exemple.fr"
    assert "Invitation à rejoindre" in message["Subject"]
    assert invitation.token in message.get_body(("plain",)).get_content()


def test_a_task_that_fails_for_good_is_listed_for_admins(celery_worker, transactional_db):
    # A job given what it cannot use (a bug, a message from an older release) fails.
    result = send_invitation_email.apply_async(args=["pas-un-id"], queue=celery_worker.queue)
    result.get(timeout=60, propagate=False)
    assert result.failed()
    # The worker stores the result first, then sends the failure signal that keeps it.
    deadline = time.monotonic() + 30
    while not TaskFailure.objects.filter(task_id=result.id).exists():
        assert time.monotonic() < deadline, celery_worker.log()[-3000:]
        time.sleep(0.2)
    failure = TaskFailure.objects.get(task_id=result.id)
    assert failure.task_name == "accounts.tasks.send_invitation_email"
    assert failure.exception == "ValueError"
    assert failure.arguments == "('pas-un-id',)"


def test_the_worker_logs_json_lines_without_addresses(celery_worker, transactional_db):
    import json

    before = len(celery_worker.smtp.messages)
    invitation = invite_advisor("discrete@exemple.fr")
    result = send_invitation_email.apply_async(args=[invitation.pk], queue=celery_worker.queue)
    result.get(timeout=60)
    # The email itself leaves in a task of its own: wait until it has (and the worker is
    # done with its row) before reading the log and letting the test database be reset.
    celery_worker.smtp.wait_for(before + 1)
    deadline = time.monotonic() + 30
    while OutgoingEmail.objects.filter(status=EmailStatus.PENDING).exists():
        assert time.monotonic() < deadline, celery_worker.log()[-3000:]
        time.sleep(0.2)
    log = celery_worker.log()
    assert "discrete@exemple.fr" not in log
    lines = [json.loads(line) for line in log.splitlines() if line.startswith("{")]
    succeeded = [line for line in lines if result.id in line["message"]]
    assert succeeded, log[-2000:]
    assert {"time", "level", "logger", "message", "task_id"} <= set(succeeded[-1])
