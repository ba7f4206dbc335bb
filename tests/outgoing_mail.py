"""The three ways a relay lets an email down, checked against the real SMTP server of
`tests/conftest.py` for each kind of email the portal sends. Each app's test module
builds a `Scenario` per kind (the situation, then the app's own task that sends it) and
`tests/test_mail_failures.py` runs the three checks on every one:

- `check_stalled_relay`: the relay accepts the connection and never answers. The task
  raises (Celery's retry) within EMAIL_TIMEOUT instead of hanging, and the email's row
  is recorded pending (1 attempt, the reason) and free: another connection locks it at
  once. Needs `transactional_db` and `tasks_in_process`.
- `check_permanent_refusal`: 550 to every recipient. Each row is failed at once, after
  one attempt, never retried, with the reason (address masked), and listed for admins.
  Needs `tasks_in_process`.
- `check_temporary_refusal`: 451 twice, then the relay accepts. The task is retried and
  every recipient gets the email once. Needs `tasks_retrying_in_process`.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from celery.exceptions import Retry
from django.db import DatabaseError, connection, connections, transaction

from accounts.enums import EmailStatus
from accounts.models import OutgoingEmail
from tests.conftest import TEST_EMAIL_TIMEOUT

# What a stalled send may cost at most: one EMAIL_TIMEOUT, plus the building of the
# message and the bookkeeping around it on a loaded machine.
STALL_BUDGET = TEST_EMAIL_TIMEOUT + 6


@dataclass
class Scenario:
    """One kind of email: `run` calls the app's task that sends it; `recipients` are the
    addresses that must receive it."""

    kind: str
    run: Callable[[], object]
    recipients: list[str]

    def rows(self):
        return OutgoingEmail.objects.filter(kind=self.kind)

    def forget_earlier_sends(self) -> None:
        """Setting the scene may already have sent this kind of email (a service queues
        it on commit): start from no row, as the first run of the task does."""
        self.rows().delete()


def lock_from_another_connection(pk: int) -> OutgoingEmail | DatabaseError | None:
    """Try to lock the row from another database connection, without waiting: the row
    when it is free, the error when someone still holds it."""
    outcome: list = []

    def attempt() -> None:
        try:
            with transaction.atomic():
                outcome.append(
                    OutgoingEmail.objects.select_for_update(nowait=True).filter(pk=pk).first()
                )
        except DatabaseError as exc:
            outcome.append(exc)
        finally:
            connections.close_all()

    thread = threading.Thread(target=attempt)
    thread.start()
    thread.join(timeout=15)
    return outcome[0] if outcome else None


def check_stalled_relay(relay, scenario: Scenario) -> None:
    scenario.forget_earlier_sends()
    relay.stall = True
    # Without a timeout the send would wait forever: hang up well past the budget, so
    # that such a regression fails here instead of hanging the suite.
    watchdog = threading.Timer(STALL_BUDGET * 3, relay.hang_up)
    watchdog.start()
    started = time.monotonic()
    try:
        with pytest.raises(Retry):
            scenario.run()
    finally:
        watchdog.cancel()
    elapsed = time.monotonic() - started
    assert elapsed < STALL_BUDGET, f"a stalled relay held the task {elapsed:.1f} s"
    assert relay.stalled, "the relay was never reached"
    tried = scenario.rows().filter(attempts__gt=0)
    assert tried.count() == 1, "the task must stop at the first stalled send"
    row = tried.get()
    assert row.status == EmailStatus.PENDING
    assert row.last_error.startswith("SMTPServerDisconnected"), row.last_error
    assert "timed out" in row.last_error
    assert row in OutgoingEmail.objects.needing_attention()
    if connection.vendor == "postgresql":  # SQLite has no row locks to leave behind
        assert lock_from_another_connection(row.pk) == row, "the row was left locked"


def check_permanent_refusal(relay, scenario: Scenario) -> None:
    scenario.forget_earlier_sends()
    before = len(relay.messages)
    relay.refuse_for_good = True
    scenario.run()
    rows = list(scenario.rows())
    assert len(rows) == len(scenario.recipients)
    for row in rows:
        assert (row.status, row.attempts) == (EmailStatus.FAILED, 1)
        assert row.last_error.startswith("SMTPRecipientsRefused 550"), row.last_error
        assert "<adresse masquée>" in row.last_error
        for address in scenario.recipients:
            assert address not in row.last_error
    # one refusal per recipient: nothing was tried again
    assert relay.refusals == [550] * len(scenario.recipients)
    assert relay.messages[before:] == []
    assert set(OutgoingEmail.objects.needing_attention().filter(kind=scenario.kind)) == set(rows)


def check_temporary_refusal(relay, scenario: Scenario) -> None:
    scenario.forget_earlier_sends()
    before = len(relay.messages)
    relay.refuse_for_now = 2
    scenario.run()
    assert relay.refusals == [451, 451]
    rows = list(scenario.rows())
    assert len(rows) == len(scenario.recipients)
    assert all(row.status == EmailStatus.SENT for row in rows)
    assert sum(row.attempts for row in rows) == len(rows) + 2
    arrived = sorted(message["To"] for message in relay.messages[before:])
    assert arrived == sorted(scenario.recipients)
    # run again: every row was sent, nobody hears twice
    scenario.run()
    assert len(relay.messages) == before + len(scenario.recipients)
