"""The emails of the accounts app: what each says, built when it leaves (see
`accounts.mail`). Keys are the invitation's or the access request's id."""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .enums import AccessRequestStatus, InvitationStatus
from .mail import Email, absolute_url, email_kind, email_to_recipient
from .models import CompanyAccessRequest, Invitation

INVITATION = "accounts.invitation"
ACCESS_REQUEST_RECEIVED = "accounts.access_request_received"
ACCESS_REQUEST_REJECTED = "accounts.access_request_rejected"
ACCESS_REQUEST_EXISTING_ACCOUNT = "accounts.access_request_existing_account"


@email_kind(INVITATION, _("Invitation à rejoindre le portail"))
def invitation_email(email) -> Email | None:
    """The invitation link, to the invited address, while the invitation is pending: a
    retry after the person accepted (or after it was revoked) sends nothing."""
    invitation = (
        Invitation.objects.select_related("organisation", "invited_by")
        .filter(pk=email.key, status=InvitationStatus.PENDING)
        .first()
    )
    if invitation is None:
        return None
    return Email(
        to=invitation.email,
        template="accounts/email/invitation",
        context={
            "invitation": invitation,
            "accept_url": absolute_url(
                reverse("accounts:accept_invitation", args=[invitation.token])
            ),
        },
    )


# The project leads hear of new company requests at most once per window.
ACCESS_REQUEST_NOTICE_MINUTES = 15
# An email lists at most this many requests; the page has them all.
ACCESS_REQUEST_NOTICE_LISTED = 20


def access_request_notice_window(moment: datetime.datetime) -> tuple[datetime.datetime, ...]:
    """The quarter of an hour `moment` falls in: (start, end)."""
    start = moment.replace(
        minute=moment.minute - moment.minute % ACCESS_REQUEST_NOTICE_MINUTES,
        second=0,
        microsecond=0,
    )
    return start, start + datetime.timedelta(minutes=ACCESS_REQUEST_NOTICE_MINUTES)


@email_kind(ACCESS_REQUEST_RECEIVED, _("Demandes d'accès d'entreprises reçues"))
def access_request_received_email(email) -> Email | None:
    """Tell a project lead of the region which company requests wait for them: every
    request of the region still pending when the email leaves (key: region and window),
    so a burst of requests makes one email, and nothing leaves when all were decided."""
    region_id, _window = email.key.split(":", 1)
    pending = CompanyAccessRequest.objects.pending().filter(region_id=region_id)
    count = pending.count()
    if not count:
        return None
    lead = email.recipient
    return Email(
        to=lead.email,
        template="accounts/email/access_request_received",
        context={
            "access_requests": list(
                pending.select_related("region").order_by("created_at", "pk")[
                    :ACCESS_REQUEST_NOTICE_LISTED
                ]
            ),
            "count": count,
            "review_url": absolute_url(reverse("accounts:access_requests")),
        },
        language=lead.language,
    )


@email_kind(ACCESS_REQUEST_REJECTED, _("Demande d'accès d'une entreprise refusée"))
def access_request_rejected_email(email) -> Email | None:
    """Tell the requester why their company's request was refused."""
    access_request = CompanyAccessRequest.objects.filter(
        pk=email.key, status=AccessRequestStatus.REJECTED
    ).first()
    if access_request is None:
        return None
    return Email(
        to=access_request.email,
        template="accounts/email/access_request_rejected",
        context={"access_request": access_request},
    )


@email_kind(
    ACCESS_REQUEST_EXISTING_ACCOUNT, _("Demande d'accès avec l'adresse d'un compte existant")
)
def access_request_existing_account_email(email) -> Email | None:
    """Tell the owner of an account that a company access request used their address,
    with the links to sign in or reset their password (the public form said nothing)."""
    user = email.recipient
    if user is None or not user.is_active:
        return None
    return email_to_recipient(
        email,
        template="accounts/email/access_request_existing_account",
        context={
            "login_url": absolute_url(reverse("account_login")),
            "reset_url": absolute_url(reverse("account_reset_password")),
        },
    )
