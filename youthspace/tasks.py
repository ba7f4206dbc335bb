"""Jobs of the youth's space: they take ids, and each email is keyed so that a job run
twice sends nothing twice (`accounts.mail`)."""

from __future__ import annotations

from celery import shared_task

from accounts.mail import queue_emails

from . import emails
from .models import SessionAnswer, YouthSpace


@shared_task(acks_late=True)
def send_youth_message(kind: str, key: str, space_id: int) -> dict:
    """Send one message of `kind` to the youth of a space (`services.send_to_youth`),
    or, for a youth who cannot come, tell their advisor."""
    from .services import send_to_youth

    if kind == emails.NOT_COMING:
        answer = SessionAnswer.objects.select_related("enrolment__youth").filter(pk=key).first()
        if answer is None or answer.enrolment.youth.advisor_id is None:
            return {"queued": 0}
        return {
            "queued": len(
                queue_emails(kind=kind, key=key, recipient_ids=[answer.enrolment.youth.advisor_id])
            )
        }
    space = YouthSpace.objects.filter(pk=space_id).first()
    if space is None:
        return {"queued": 0}
    return {"queued": len(send_to_youth(kind=kind, key=key, space=space))}
