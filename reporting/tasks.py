"""Background jobs of the reporting app. Each takes primary keys or a month and is safe
to run twice: an email row per user and month (`accounts.OutgoingEmail`), a document row
per PDF version."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from accounts.tasks import send_email

from . import services
from .periods import last_complete_month, parse_month


@shared_task
def send_monthly_digest(month: str | None = None) -> dict:
    """Beat, the 1st of each month at 07:00 (Europe/Paris): one email row per subscribed
    user for the past month, then one `accounts.tasks.send_email` per row still to send
    (refusals retried, then listed for admins, as every email)."""
    period = parse_month(month) if month else last_complete_month(timezone.localdate())
    ids = services.create_digest_deliveries(month=period)
    for email_id in ids:
        send_email.delay(email_id)
    return {"month": period.key, "queued": len(ids)}


@shared_task(acks_late=True)
def render_review_pdf(document_id: int) -> str:
    """Render one PDF version of an annual review. A worker killed mid-rendering leaves the
    version "running": the message comes back (acks_late), or the beat job below or the
    page's "restart" button queues it again once it is stale."""
    document = services.render_review_document(document_id=document_id)
    return document.status if document else "missing"


@shared_task
def requeue_stale_reviews() -> dict:
    """Every 10 minutes: renderings whose worker died go back to the queue."""
    return {"requeued": services.requeue_stale_documents()}


@shared_task
def warm_national_dashboard() -> dict:
    """Every 4 minutes: compute the national dashboard of the current year and month,
    figures and charts, before anyone asks, so the CNML's first request of the day is
    served from the cache (figures at most five minutes old). The cached entry is
    overwritten, never deleted first: no request misses it while it is recomputed."""
    from . import dashboard
    from .periods import Period
    from .scopes import NATIONAL, is_masked, national_population

    today = timezone.localdate()
    warmed = []
    for period in (Period(today.year), Period(today.year, today.month)):
        dashboard.warm(national_population(), period, masked=is_masked(NATIONAL))
        warmed.append(period.key)
    return {"warmed": warmed}
