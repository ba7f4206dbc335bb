"""The Celery application: configured from Django's settings (CELERY_* names)."""

import logging
import os

from celery import Celery
from celery.contrib.django.task import DjangoTask
from celery.signals import task_failure

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "convention_portal.settings")


class PortalTask(DjangoTask):
    """Every task of the portal: what it changes enters the audit trail as a `job`
    (audit/context.py), on the worker as when run in-process. A service queues its
    task with `task.delay_on_commit(...)` (DjangoTask): never mail from inside a
    transaction that may still roll back."""

    def __call__(self, *args, **kwargs):
        from audit.context import audit_context
        from audit.enums import AuditPath

        with audit_context(path=AuditPath.JOB):
            return super().__call__(*args, **kwargs)


app = Celery("convention_portal", task_cls=PortalTask)
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

logger = logging.getLogger(__name__)


@task_failure.connect
def record_task_failure(sender=None, task_id=None, exception=None, args=None, **kwargs):
    """A job that failed for good is kept for admins (accounts.TaskFailure): Celery's
    own log line is easy to miss. Safe twice: one row per task id."""
    from django.db import DatabaseError

    from accounts.models import TaskFailure

    try:
        TaskFailure.objects.get_or_create(
            task_id=task_id or "",
            defaults={
                "task_name": getattr(sender, "name", str(sender))[:200],
                "arguments": repr(tuple(args or ()))[:500],
                "exception": type(exception).__name__[:200],
                "message": str(exception)[:2000],
            },
        )
    except DatabaseError:
        # The database may be what failed: the worker's log still has the line.
        logger.exception("could not record the failure of task %s", task_id)
