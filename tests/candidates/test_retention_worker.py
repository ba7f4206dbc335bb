"""The retention job on the real worker and the real PostgreSQL: the notices reach the
SMTP server once, the files are anonymised 30 days later, a second run changes
nothing, and a failed run is listed for admins (`accounts.TaskFailure`).

The worker is another process with its own clock: the job is given the frozen day."""

from __future__ import annotations

import time

import pytest

from accounts.models import OutgoingEmail, TaskFailure
from candidates.enums import YouthStatus
from candidates.models import DataSubjectRequest, Youth
from candidates.tasks import apply_retention_rules

from .retention_world import ANONYMISATION_DAY, NOTICE_DAY, at, make_team

pytestmark = pytest.mark.django_db(transaction=True)


def _run(worker, day) -> dict:
    result = apply_retention_rules.apply_async(args=[day.isoformat()], queue=worker.queue)
    return result.get(timeout=120)


def _snapshot():
    return (
        list(
            Youth.objects.order_by("pk").values_list(
                "pk", "status", "first_name", "email", "retention_notice_on", "anonymised_at"
            )
        ),
        OutgoingEmail.objects.count(),
        DataSubjectRequest.objects.count(),
    )


def test_the_job_notices_then_anonymises_once_on_the_real_worker(transactional_db, celery_worker):
    team = make_team()
    before_mail = len(celery_worker.smtp.messages)
    with at(NOTICE_DAY):
        done = _run(celery_worker, NOTICE_DAY)
    assert done["youth_notice"] == 3 and done["youth_anonymise"] == 0, celery_worker.log()
    messages = celery_worker.smtp.wait_for(before_mail + 3)[before_mail:]
    assert sorted(m["To"] for m in messages) == sorted(
        [team["advisor"].email, team["other_advisor"].email, team["manager"].email]
    )
    body = next(m for m in messages if m["To"] == team["advisor"].email)
    assert "Zéphyrine Oudinot" in body.get_body(("plain",)).get_content()

    # Twice the same day: no new notice, no new email.
    state = _snapshot()
    with at(NOTICE_DAY):
        again = _run(celery_worker, NOTICE_DAY)
    assert set(again.values()) == {0}
    time.sleep(1)
    assert _snapshot() == state and len(celery_worker.smtp.messages) == before_mail + 3

    with at(ANONYMISATION_DAY):
        done = _run(celery_worker, ANONYMISATION_DAY)
    assert done["youth_anonymise"] == 3
    quiet = Youth.objects.get(pk=team["quiet"].pk)
    assert quiet.status == YouthStatus.ANONYMISED and quiet.first_name == "Anonyme"
    state = _snapshot()
    with at(ANONYMISATION_DAY):
        again = _run(celery_worker, ANONYMISATION_DAY)
    assert set(again.values()) == {0} and _snapshot() == state
    assert Youth.objects.get(pk=team["followed"].pk).status != YouthStatus.ANONYMISED


def test_a_failed_run_is_listed_for_admins(transactional_db, celery_worker):
    result = apply_retention_rules.apply_async(args=["pas-une-date"], queue=celery_worker.queue)
    result.get(timeout=60, propagate=False)
    assert result.failed()
    deadline = time.monotonic() + 30
    while not TaskFailure.objects.filter(task_id=result.id).exists():
        assert time.monotonic() < deadline, celery_worker.log()[-3000:]
        time.sleep(0.2)
    failure = TaskFailure.objects.get(task_id=result.id)
    assert failure.task_name == "candidates.tasks.apply_retention_rules"
    assert failure.exception == "ValueError"
