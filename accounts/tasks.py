"""Background jobs of the accounts app. Each takes primary keys and is safe to run twice:
the emails are recorded once per recipient (`accounts.mail.queue_emails`) and each row
leaves once, through `send_email`."""

from __future__ import annotations

import socket

from celery import shared_task
from django.utils import timezone

from .enums import AccessRequestStatus, InvitationStatus, Role
from .mail import deliver_email, queue_emails
from .models import CompanyAccessRequest, Invitation, User

# A temporary refusal is tried again after 2, 4, 8, 16 then 32 minutes (about an hour in
# all); each delay stays under the Redis visibility timeout (1 h), so no retry is
# delivered twice by the broker.
EMAIL_MAX_RETRIES = 5
EMAIL_RETRY_SECONDS = 120


@shared_task
def ping() -> dict:
    """Answer from the worker: operators use it to check the broker and a worker
    (`celery -A convention_portal call accounts.tasks.ping`)."""
    return {"pong": True, "worker": socket.gethostname()}


@shared_task(bind=True, max_retries=EMAIL_MAX_RETRIES, acks_late=True)
def send_email(self, email_id: int) -> str:
    """Send one recorded email: every email of the portal leaves through here. A
    temporary refusal (4xx, relay down or silent past EMAIL_TIMEOUT) is retried with a
    doubling delay; a permanent one (5xx), or the last retry, leaves the row failed for
    the admins. Safe to run twice: a row sent is never sent again."""
    outcome = deliver_email(
        email_id=email_id, final_attempt=self.request.retries >= self.max_retries
    )
    if outcome == "retry":
        raise self.retry(countdown=EMAIL_RETRY_SECONDS * 2**self.request.retries)
    return outcome


@shared_task(acks_late=True)
def send_invitation_email(invitation_id: int) -> dict:
    """Send the invitation link. Only a pending invitation is sent, so a retry after the
    person accepted sends nothing."""
    from .emails import INVITATION

    if not Invitation.objects.filter(pk=invitation_id, status=InvitationStatus.PENDING).exists():
        return {"queued": 0}
    ids = queue_emails(kind=INVITATION, key=str(invitation_id), recipient_ids=[None])
    return {"queued": len(ids)}


@shared_task(acks_late=True)
def notify_access_request_received(access_request_id: int) -> dict:
    """Tell the region's project leads that companies asked for an account, at most
    once a quarter of an hour: the first request of a quarter records one email per lead,
    sent at the quarter's end and listing every request still pending then; the other
    requests of that quarter add nothing. Thirty requests in a minute make one email."""
    from .emails import ACCESS_REQUEST_RECEIVED, access_request_notice_window

    access_request = CompanyAccessRequest.objects.filter(pk=access_request_id).first()
    if access_request is None:
        return {"queued": 0}
    window_start, window_end = access_request_notice_window(access_request.created_at)
    leads = (
        User.objects.filter(
            is_active=True,
            memberships__is_active=True,
            memberships__role=Role.PROJECT_LEAD,
            memberships__organisation__region_id=access_request.region_id,
        )
        .distinct()
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    ids = queue_emails(
        kind=ACCESS_REQUEST_RECEIVED,
        key=f"{access_request.region_id}:{window_start:%Y%m%dT%H%M}",
        recipient_ids=list(leads),
        countdown=max(0.0, (window_end - timezone.now()).total_seconds()),
    )
    return {"queued": len(ids)}


@shared_task(acks_late=True)
def notify_access_request_rejected(access_request_id: int) -> dict:
    """Tell the requester why their company's request was refused."""
    from .emails import ACCESS_REQUEST_REJECTED

    if not CompanyAccessRequest.objects.filter(
        pk=access_request_id, status=AccessRequestStatus.REJECTED
    ).exists():
        return {"queued": 0}
    ids = queue_emails(
        kind=ACCESS_REQUEST_REJECTED, key=str(access_request_id), recipient_ids=[None]
    )
    return {"queued": len(ids)}


@shared_task
def expire_invitations() -> dict:
    """Nightly: mark the invitations past their date as expired."""
    from .services import expire_invitations as expire

    return {"expired": expire()}


@shared_task(acks_late=True)
def notify_existing_account_of_access_request(user_id: int, request_key: str) -> dict:
    """Someone asked for a company account with the address of an existing account:
    the public form answered as usual (it tells nobody who has an account), and the
    owner is told, once per such request (`request_key`)."""
    from .emails import ACCESS_REQUEST_EXISTING_ACCOUNT

    if not User.objects.filter(pk=user_id, is_active=True).exists():
        return {"queued": 0}
    ids = queue_emails(
        kind=ACCESS_REQUEST_EXISTING_ACCOUNT, key=request_key, recipient_ids=[user_id]
    )
    return {"queued": len(ids)}
