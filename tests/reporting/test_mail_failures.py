"""The scenario of the monthly digest, set in the app's small world:
`tests/test_mail_failures.py` runs it against a relay that stalls, refuses for good (550)
or refuses for now (451). The real-worker version of the stall is in `test_worker.py`."""

from __future__ import annotations

import pytest

from accounts.enums import Role
from reporting import tasks
from reporting.digest import digest_recipients
from reporting.emails import MONTHLY_DIGEST
from tests.accounts.factories import make_member
from tests.outgoing_mail import Scenario

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
