"""The session's real worker runs the tasks of the tests that hold it, and only those.

A test that commits without the worker parks its tasks: run by the worker, they would
touch the database while the next test empties it (a deadlock seen in CI), or send an
email inside another test. A task a worker test leaves for later is revoked before the
next test starts.
"""

import time

import pytest
from celery.exceptions import TimeoutError as CeleryTimeoutError
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command

from accounts.tasks import ping
from candidates.models import Youth
from tests import celery_routing

pytestmark = [pytest.mark.worker]


def test_a_task_queued_outside_a_worker_test_is_parked(celery_worker_process):
    parked = celery_routing.parked_queue()
    before = celery_routing.queue_length(parked)
    result = ping.delay()
    assert celery_routing.queue_length(parked) == before + 1
    assert celery_routing.queue_length(celery_worker_process.queue) == 0
    # The worker is up, and never sees it.
    with pytest.raises(CeleryTimeoutError):
        result.get(timeout=2)
    assert result.status == "PENDING"


def test_a_task_queued_in_a_worker_test_reaches_the_worker(celery_worker):
    parked = celery_routing.parked_queue()
    before = celery_routing.queue_length(parked)
    assert ping.delay().get(timeout=30)["pong"] is True
    assert celery_routing.queue_length(parked) == before


def test_a_queue_given_by_the_caller_wins_over_the_route(celery_worker_process):
    # Outside a worker test, an explicit queue still reaches it: the worker's own
    # fixtures ping it that way.
    assert ping.apply_async(queue=celery_worker_process.queue).get(timeout=30)["pong"] is True


def test_a_task_left_for_later_is_revoked_when_the_test_is_settled(celery_worker_process):
    queue = celery_worker_process.queue
    name = celery_routing.worker_name(queue)
    later = ping.apply_async(queue=queue, countdown=300)
    # The worker takes it at once and holds it until its time.
    deadline = time.monotonic() + 30
    while later.id not in celery_routing.held_for_later(name):
        assert time.monotonic() < deadline, celery_worker_process.log()[-3000:]
        time.sleep(0.1)
    assert later.id not in celery_routing.revoked(name)

    assert celery_routing.settle(queue) == [later.id]

    assert later.id in celery_routing.revoked(name)
    # Once settled, nothing is left to revoke.
    assert celery_routing.settle(queue) == []


def test_the_worker_reads_content_types_again_after_a_flush(celery_worker):
    """A flush between tests creates the content types again with new ids; the worker,
    which outlives it, must not write an audit entry with an id gone (a foreign key
    error seen on the import job's worker test)."""
    label = "candidates.youth"
    before = ContentType.objects.get_for_model(Youth).pk
    assert _worker_content_type_id(celery_worker.queue, label) == before

    call_command("flush", interactive=False, verbosity=0)

    after = ContentType.objects.get_for_model(Youth).pk
    assert after != before
    assert _worker_content_type_id(celery_worker.queue, label) == after


def _worker_content_type_id(queue: str, label: str) -> int:
    from convention_portal.celery import app

    return app.send_task("tests.worker_app.content_type_id", args=(label,), queue=queue).get(
        timeout=30
    )
