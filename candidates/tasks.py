"""Background jobs of the candidate pool. Each is safe to run twice."""

from __future__ import annotations

import datetime

from celery import shared_task
from django.utils import timezone

from . import retention
from .models import compact_pathway_counts, compact_youth_counts, fold_pool_stamps


# acks_late: a worker lost mid-run has the job delivered again, which is safe: every
# rule re-reads what is due, locks its batch and checks it again, so a second run (or
# two at once) does nothing twice.
@shared_task(acks_late=True)
def apply_retention_rules(today: str | None = None) -> dict:
    """Daily: apply every retention rule (`retention.RULES`) for `today` (ISO date;
    default the portal's today), in batches. A failure stops the run where it is (each
    batch done is committed) and is kept for admins (`accounts.TaskFailure`); the next
    run goes on from there. Returns the rows each rule acted on."""
    day = datetime.date.fromisoformat(today) if today else timezone.localdate()
    return retention.apply_rules(today=day)


# acks_late: a worker lost mid-run has the job delivered again, which is safe: the
# confirmation is one transaction (a lost run left nothing), and it locks the import and
# confirms only one still waiting for it, so a second run creates nobody.
@shared_task(acks_late=True)
def confirm_import_batch(batch_id: int, actor_id: int, unknown_advisor: str) -> dict:
    """Confirm a large import (`import_confirm.queue_confirmation`): create the youths
    of its valid rows for `actor_id`, keyed on the import. Returns what it did."""
    from .import_confirm import run_confirmation

    return run_confirmation(batch_id=batch_id, actor_id=actor_id, unknown_advisor=unknown_advisor)


@shared_task
def fold_youth_counts() -> dict:
    """Daily: fold the youths' counts (`models.YouthCount`, one row of deltas per write
    that moved a youth between groups) into one row per group, so that the dashboards
    sum a few thousand rows whatever the writes of the day. No sum changes: safe to run
    twice, or beside the writers."""
    return {"rows": compact_youth_counts()}


@shared_task
def fold_pathway_counts() -> dict:
    """Daily: fold the pathway events' counts (`models.PathwayCount`, one row of deltas
    per write that added, removed or moved events) into one row per mission locale,
    stage and month. No sum changes: safe to run twice, or beside the writers."""
    return {"rows": compact_pathway_counts()}


@shared_task
def fold_stamps() -> dict:
    """Daily: each mission locale's pool stamps (`models.PoolStamp`, a row per change of
    its youths) folded into one new row. Safe to run twice, or beside the writers."""
    return {"pools": fold_pool_stamps()}
