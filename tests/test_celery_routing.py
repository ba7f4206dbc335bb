"""The session's real worker runs the tasks of the tests that hold it, and only those.

A test that commits without the worker parks its tasks: run by the worker, they would
touch the database while the next test empties it (a deadlock seen in CI), or send an
email inside another test. A task a worker test leaves for later is revoked before the
next test starts.
"""

import time

import pytest
from celery.exceptions import TimeoutError as CeleryTimeoutError

from accounts.tasks import ping
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
