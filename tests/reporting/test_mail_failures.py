"""The monthly digest against a relay that stalls, refuses for good (550) or refuses for
now (451): see `tests/outgoing_mail.py` for what each check proves. The real-worker
version of the stall is in `test_worker.py`."""

from __future__ import annotations

import pytest

from accounts.enums import Role
from reporting import tasks
from reporting.digest import digest_recipients
from reporting.emails import MONTHLY_DIGEST
from tests.accounts.factories import make_member
from tests.outgoing_mail import (
    Scenario,
    check_permanent_refusal,
    check_stalled_relay,
    check_temporary_refusal,
)

pytestmark = pytest.mark.django_db


def _monthly_digest(world) -> Scenario:
    make_member(Role.ADVISOR, organisation=world.ml1, email="conseil@ml.fr")
    make_member(Role.PROJECT_LEAD, region=world.region_a, email="cp@cepl.fr")
    return Scenario(
        kind=MONTHLY_DIGEST,
        run=lambda: tasks.send_monthly_digest("2025-03"),
        recipients=list(digest_recipients().values_list("email", flat=True)),
    )


SCENARIOS = {MONTHLY_DIGEST: _monthly_digest}


@pytest.mark.parametrize("kind", SCENARIOS)
def test_a_stalled_relay_costs_the_timeout_not_the_worker(
    kind, world, relay, transactional_db, tasks_in_process
):
    check_stalled_relay(relay, SCENARIOS[kind](world))


@pytest.mark.parametrize("kind", SCENARIOS)
def test_a_permanent_refusal_fails_at_once(kind, world, relay, tasks_in_process):
    check_permanent_refusal(relay, SCENARIOS[kind](world))


@pytest.mark.parametrize("kind", SCENARIOS)
def test_a_temporary_refusal_is_retried_then_sent(kind, world, relay, tasks_retrying_in_process):
    check_temporary_refusal(relay, SCENARIOS[kind](world))
