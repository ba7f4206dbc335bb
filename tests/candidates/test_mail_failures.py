"""The scenario of the candidate pool's email (the retention notice), which sets its own
scene: `tests/test_mail_failures.py` runs it against a relay that stalls, refuses for
good (550) or refuses for now (451)."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from accounts.enums import Role
from candidates import retention
from candidates.emails import RETENTION_NOTICE
from candidates.models import Youth
from tests.accounts.factories import make_member
from tests.outgoing_mail import Scenario

from .factories import YouthFactory


def _retention_notice() -> Scenario:
    """A file last seen 800 days ago, announced today: its advisor and the mission
    locale's manager are told."""
    today = timezone.localdate()
    advisor = make_member(Role.ADVISOR)
    ml = advisor.memberships.get().organisation
    manager = make_member(Role.ML_MANAGER, organisation=ml)
    youth = YouthFactory(
        mission_locale=ml, advisor=advisor, registered_on=today - timedelta(days=800)
    )
    Youth.objects.filter(pk=youth.pk).update(retention_notice_on=today)
    return Scenario(
        kind=RETENTION_NOTICE,
        run=lambda: retention.queue_notice_emails(today=today),
        recipients=[advisor.email, manager.email],
    )


SCENARIOS = {RETENTION_NOTICE: _retention_notice}
