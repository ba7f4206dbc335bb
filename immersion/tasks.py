"""Background jobs of the immersion app. Each takes primary keys and is safe to run
twice: each email is recorded once per (kind, key, recipient) in
`accounts.OutgoingEmail` and leaves once (`accounts.mail.queue_emails`)."""

from __future__ import annotations

import datetime

from celery import shared_task
from django.utils import timezone

from accounts.mail import queue_emails

from . import emails
from .models import Enrolment, PoolRequest, Session

REMINDER_DAYS_BEFORE = 2


def _queue(*, kind: str, key: str, users) -> int:
    recipient_ids = sorted({user.pk for user in users if user is not None and user.is_active})
    return len(queue_emails(kind=kind, key=key, recipient_ids=recipient_ids))


@shared_task(acks_late=True)
def notify_promotion(enrolment_id: int) -> dict:
    """Tell the advisor that their youth (or they themselves) left the waiting list."""
    enrolment = (
        Enrolment.objects.select_related("session", "youth__advisor", "participant")
        .filter(pk=enrolment_id)
        .first()
    )
    if enrolment is None or not enrolment.is_confirmed or enrolment.session.is_cancelled:
        return {"queued": 0}
    return {
        "queued": _queue(kind=emails.PROMOTION, key=str(enrolment.pk), users=[enrolment.advisor])
    }


@shared_task(acks_late=True)
def notify_session_cancelled(session_id: int) -> dict:
    """Tell every advisor concerned (youths enrolled or waiting, advisors enrolled) that
    the session is cancelled, once each, with their people listed."""
    session = Session.objects.filter(pk=session_id).first()
    if session is None or not session.is_cancelled:
        return {"queued": 0}
    enrolments = session.enrolments.active().select_related("youth__advisor", "participant")
    advisors = emails.people_by_advisor(enrolments)
    return {"queued": _queue(kind=emails.CANCELLED, key=str(session.pk), users=advisors)}


@shared_task(acks_late=True)
def send_session_reminders(session_id: int) -> dict:
    """Two days before: each advisor gets the list of their people enrolled, confirmed
    and still waiting, and the host the participant list and how many wait."""
    session = Session.objects.select_related("created_by").filter(pk=session_id).first()
    if session is None or not session.is_enrolling:
        return {"queued": 0}
    confirmed, waiting = emails.reminder_lists(session)
    if not confirmed and not waiting:
        return {"queued": 0}
    advisors = {*emails.people_by_advisor(confirmed), *emails.people_by_advisor(waiting)}
    queued = _queue(kind=emails.REMINDER_ADVISOR, key=str(session.pk), users=advisors)
    queued += _queue(
        kind=emails.REMINDER_HOST, key=str(session.pk), users=emails.host_contacts(session)
    )
    # The youths themselves, through their own space (with "Je serai là" links).
    from youthspace.notifications import remind_youths_of_session

    queued += remind_youths_of_session(session)
    return {"queued": queued}


@shared_task
def remind_upcoming_sessions(today: str | None = None) -> dict:
    """Daily: queue the reminders of the sessions starting in two days. Safe to run twice
    (each reminder is keyed on its session and recipient)."""
    day = datetime.date.fromisoformat(today) if today else timezone.localdate()
    target = day + datetime.timedelta(days=REMINDER_DAYS_BEFORE)
    ids = list(
        Session.objects.open_for_enrolment()
        .filter(starts_at__date=target)
        .values_list("pk", flat=True)
    )
    for session_id in ids:
        send_session_reminders.delay(session_id)
    return {"sessions": len(ids)}


@shared_task(acks_late=True)
def notify_pool_request(pool_request_id: int) -> dict:
    """Tell the youth's advisor that a recruiter asks them to propose the youth."""
    pool_request = (
        PoolRequest.objects.select_related("youth__advisor").filter(pk=pool_request_id).first()
    )
    if pool_request is None or not pool_request.is_pending:
        return {"queued": 0}
    return {
        "queued": _queue(
            kind=emails.POOL_REQUEST,
            key=str(pool_request.pk),
            users=[pool_request.youth.advisor],
        )
    }


@shared_task(acks_late=True)
def notify_pool_answer(pool_request_id: int) -> dict:
    """Tell the recruiter the advisor's answer."""
    pool_request = (
        PoolRequest.objects.select_related("recruiter").filter(pk=pool_request_id).first()
    )
    if pool_request is None or pool_request.is_pending:
        return {"queued": 0}
    return {
        "queued": _queue(
            kind=emails.POOL_ANSWER, key=str(pool_request.pk), users=[pool_request.recruiter]
        )
    }
