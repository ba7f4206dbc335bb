"""Tasks travel through the real Redis to a real worker process and come back."""

import pytest

from accounts.enums import Role
from accounts.services import invite_member
from accounts.tasks import ping, send_invitation_email
from tests.accounts.factories import make_member

pytestmark = [pytest.mark.worker]


def test_a_task_round_trips_through_redis_and_a_worker(celery_worker):
    result = ping.apply_async(queue=celery_worker.queue)
    assert result.get(timeout=30)["pong"] is True
    assert result.status == "SUCCESS"


def test_the_worker_sends_the_invitation_to_a_real_smtp_server(celery_worker, transactional_db):
    manager = make_member(Role.ML_MANAGER)
    before = len(celery_worker.smtp.messages)
    invitation = invite_member(
        inviter=manager,
        email="arrivee@exemple.fr",
        organisation=manager.memberships.get().organisation,
        role=Role.ADVISOR,
    )
    result = send_invitation_email.apply_async(args=[invitation.pk], queue=celery_worker.queue)
    # The result carries counts, never an address (it is stored in Redis).
    assert result.get(timeout=60) == {"queued": 1}
    messages = celery_worker.smtp.wait_for(before + 1)
    message = messages[before]
    assert message["To"] == "arrivee@exemple.fr"
    assert "Invitation à rejoindre" in message["Subject"]
    assert invitation.token in message.get_body(("plain",)).get_content()
