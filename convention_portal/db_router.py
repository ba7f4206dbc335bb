"""Reads of the figures from a read replica, when one is configured.

Dashboards, the monthly digest and the annual review aggregate over every youth and
offer: on a large network they are the heaviest reads, and they can be a little behind
(figures are cached for minutes anyway). With DATABASE_REPLICA_URL set, the code that
computes them runs inside `reading_from_replica()`, and this router sends those reads to
the replica. Everything else, and every write, stays on the primary: a page that has
just saved something must read it back.
"""

from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings

REPLICA = "replica"
_reading_from_replica: ContextVar[bool] = ContextVar("reading_from_replica", default=False)


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


@contextmanager
def reading_from_replica():
    """Within this block, reads go to the replica (when there is one)."""
    token = _reading_from_replica.set(True)
    try:
        yield
    finally:
        _reading_from_replica.reset(token)


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        if _reading_from_replica.get() and replica_configured():
            return REPLICA
        return "default"

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        # Both aliases hold the same data: objects read from either may be related.
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        # The replica follows the primary by replication, never by migrations.
        return db == "default"
