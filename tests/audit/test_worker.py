"""A job on the real worker: its changes enter the trail through the `job` path."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.enums import InvitationStatus
from accounts.models import Invitation
from accounts.tasks import expire_invitations
from audit.enums import AuditPath
from audit.models import AuditEntry
from tests.accounts.factories import invite_advisor

from .helpers import entries_of

pytestmark = [pytest.mark.worker]


def test_the_nightly_expiry_on_the_worker_writes_job_entries(celery_worker, transactional_db):
    stale = invite_advisor("expiree@exemple.fr")
    Invitation.objects.filter(pk=stale.pk).update(expires_at=timezone.now() - timedelta(days=1))
    result = expire_invitations.apply_async(queue=celery_worker.queue)
    result.get(timeout=60)
    entry = entries_of(stale, action=AuditEntry.Action.UPDATE).get()
    assert entry.path == AuditPath.JOB and entry.actor is None
    assert entry.changes == {"status": [InvitationStatus.PENDING, InvitationStatus.EXPIRED]}
