"""Where the tasks queued by the code under test go, and how a test's tasks are settled.

Each test process has one real worker (`tests/conftest.py`, `celery_worker_process`),
started once and consuming its process's queue for the whole session. Only the tests
that take it (`celery_worker`) send their tasks there. Every other test that commits
(a `transaction=True` test, a live server) queues its on-commit tasks on a parked
queue that no worker consumes: a worker running them would read and write the
database while the next test empties it (the flush's `TRUNCATE` then deadlocks with
it), or send an email inside another test.

The test settings name this module's `route` in `CELERY_TASK_ROUTES`; the worker runs
on the application's settings, without it. A task queued with an explicit queue
(`ping.apply_async(queue=…)`) keeps it: Celery lets the caller's options win over a
route.
"""

from __future__ import annotations

import socket

from django.conf import settings

# The queue of the worker while a test holds it (`hold`), else None.
_worker_queue: str | None = None


def parked_queue() -> str:
    """The queue of the tasks queued outside the worker tests: nothing consumes it."""
    return f"{settings.CELERY_TASK_DEFAULT_QUEUE}-parked"


def worker_name(queue: str) -> str:
    """The worker's node name, as the worker fixture starts it (`-n {queue}@%h`)."""
    return f"{queue}@{socket.gethostname()}"


def route(name, args, kwargs, options, task=None, **kw) -> dict:
    """Celery's router (`task_routes`): the worker's queue during a worker test, the
    parked queue otherwise."""
    return {"queue": _worker_queue or parked_queue()}


def hold(queue: str) -> None:
    """Send the tasks queued from now on to the worker consuming `queue`."""
    global _worker_queue
    _worker_queue = queue


def release() -> None:
    """Park the tasks queued from now on."""
    global _worker_queue
    _worker_queue = None


def queue_length(queue: str) -> int:
    """The number of messages waiting in `queue` on the broker (declared if new)."""
    from convention_portal.celery import app

    with app.connection_for_write() as connection:
        return connection.default_channel.queue_declare(queue=queue).message_count


def drop_queue(queue: str) -> None:
    """Delete the messages waiting in `queue`."""
    from convention_portal.celery import app

    with app.connection_for_write() as connection:
        connection.default_channel.queue_purge(queue)


def settle(queue: str, timeout: float = 120) -> list[str]:
    """Let the worker finish what a test queued, and drop what it would run later.

    A ping sent to the end of the queue comes back once every task before it ran (the
    worker runs one task at a time, `-P solo`). A task queued with a delay (a retry in
    120 s, say) is held by the worker until its time, past the ping: it is revoked, so
    that it never runs in another test's database. Returns the revoked tasks' ids.
    """
    from accounts.tasks import ping
    from convention_portal.celery import app

    ping.apply_async(queue=queue).get(timeout=timeout)
    name = worker_name(queue)
    held = held_for_later(name, timeout)
    if not held:
        return []
    dropped = revoked(name, timeout)
    ids = [task_id for task_id in held if task_id not in dropped]
    if ids:
        app.control.revoke(ids, destination=[name], reply=True, limit=1, timeout=timeout)
    return ids


def held_for_later(name: str, timeout: float = 30) -> list[str]:
    """The ids of the tasks the worker `name` holds until their time (a countdown, an
    ETA), revoked ones included: it drops those when they come due."""
    from convention_portal.celery import app

    scheduled = app.control.inspect(destination=[name], limit=1, timeout=timeout).scheduled()
    return [entry["request"]["id"] for entry in (scheduled or {}).get(name, [])]


def revoked(name: str, timeout: float = 30) -> set[str]:
    """The ids of the tasks the worker `name` was told to drop."""
    from convention_portal.celery import app

    answer = app.control.inspect(destination=[name], limit=1, timeout=timeout).revoked()
    return set((answer or {}).get(name, []))
