"""Locks held until the end of the current transaction, for rules no row can carry.

`select_for_update` locks rows that exist; "no two registrations of the same youth"
is about a row that does not exist yet. PostgreSQL's transaction-level advisory locks
serialise such writers on a key of our choosing. SQLite already runs one writer at a
time (the embedded default), so there is nothing to take there.
"""

from __future__ import annotations

from django.db import connection


def lock_for_transaction(key: str) -> None:
    """Wait until no other transaction holds `key`, then hold it until this one ends.
    Must be called inside `transaction.atomic()`."""
    if connection.vendor != "postgresql":
        return
    if not connection.in_atomic_block:
        raise RuntimeError("lock_for_transaction needs an open transaction")
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))", [key])
