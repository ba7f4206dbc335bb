"""Background jobs of the accounts app. Each takes primary keys and is safe to run twice."""

from __future__ import annotations

import socket

from celery import shared_task
from django.urls import reverse

from .enums import AccessRequestStatus, InvitationStatus, Role
from .mail import absolute_url, send_templated_mail
from .models import CompanyAccessRequest, Invitation, User


@shared_task
def ping() -> dict:
    """Answer from the worker: operators use it to check the broker and a worker
    (`celery -A convention_portal call accounts.tasks.ping`)."""
    return {"pong": True, "worker": socket.gethostname()}


@shared_task(bind=True, max_retries=5, default_retry_delay=60, acks_late=True)
def send_invitation_email(self, invitation_id: int) -> dict:
    """Send the invitation link. Only a pending invitation is sent, so a retry after the
    person accepted sends nothing."""
    invitation = (
        Invitation.objects.select_related("organisation", "invited_by")
        .filter(pk=invitation_id, status=InvitationStatus.PENDING)
        .first()
    )
    if invitation is None:
        return {"sent": 0}
    try:
        sent = send_templated_mail(
            to=[invitation.email],
            template="accounts/email/invitation",
            context={
                "invitation": invitation,
                "accept_url": absolute_url(
                    reverse("accounts:accept_invitation", args=[invitation.token])
                ),
            },
        )
    except OSError as exc:
        raise self.retry(exc=exc) from exc
    return {"sent": sent, "invitation": invitation.pk}


@shared_task(bind=True, max_retries=5, default_retry_delay=60)
def notify_access_request_received(self, access_request_id: int) -> dict:
    """Tell the project leads of the region that a company asked for an account."""
    access_request = CompanyAccessRequest.objects.select_related("region").get(pk=access_request_id)
    leads = (
        User.objects.filter(
            is_active=True,
            memberships__is_active=True,
            memberships__role=Role.PROJECT_LEAD,
            memberships__organisation__region=access_request.region,
        )
        .distinct()
        .order_by("pk")
    )
    review_url = absolute_url(reverse("accounts:access_requests"))
    sent = 0
    try:
        for lead in leads:
            sent += send_templated_mail(
                to=[lead.email],
                template="accounts/email/access_request_received",
                context={"access_request": access_request, "review_url": review_url},
                language=lead.language,
            )
    except OSError as exc:
        raise self.retry(exc=exc) from exc
    return {"sent": sent}


@shared_task(bind=True, max_retries=5, default_retry_delay=60)
def notify_access_request_rejected(self, access_request_id: int) -> dict:
    """Tell the requester why their company's request was refused."""
    access_request = CompanyAccessRequest.objects.get(
        pk=access_request_id, status=AccessRequestStatus.REJECTED
    )
    try:
        sent = send_templated_mail(
            to=[access_request.email],
            template="accounts/email/access_request_rejected",
            context={"access_request": access_request},
        )
    except OSError as exc:
        raise self.retry(exc=exc) from exc
    return {"sent": sent}


@shared_task
def expire_invitations() -> dict:
    """Nightly: mark the invitations past their date as expired."""
    from .services import expire_invitations as expire

    return {"expired": expire()}


@shared_task(bind=True, max_retries=5, default_retry_delay=60)
def notify_existing_account_of_access_request(self, user_id: int) -> dict:
    """Someone asked for a company account with the address of an existing account:
    the public form answered as usual (it tells nobody who has an account), and the
    owner is told here, with the links to sign in or reset their password."""
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        return {"sent": 0}
    try:
        sent = send_templated_mail(
            to=[user.email],
            template="accounts/email/access_request_existing_account",
            context={
                "user": user,
                "login_url": absolute_url(reverse("account_login")),
                "reset_url": absolute_url(reverse("account_reset_password")),
            },
            language=user.language,
        )
    except OSError as exc:
        raise self.retry(exc=exc) from exc
    return {"sent": sent}
