"""The emails of the accounts app: what each says, built when it leaves (see
`accounts.mail`). Keys are the invitation's or the access request's id."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .enums import AccessRequestStatus, InvitationStatus
from .mail import Email, absolute_url, email_kind
from .models import CompanyAccessRequest, Invitation

INVITATION = "accounts.invitation"
ACCESS_REQUEST_RECEIVED = "accounts.access_request_received"
ACCESS_REQUEST_REJECTED = "accounts.access_request_rejected"


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


@email_kind(ACCESS_REQUEST_RECEIVED, _("Demande d'accès d'une entreprise reçue"))
def access_request_received_email(email) -> Email | None:
    """Tell a project lead of the region that a company asked for an account."""
    access_request = (
        CompanyAccessRequest.objects.select_related("region").filter(pk=email.key).first()
    )
    if access_request is None:
        return None
    lead = email.recipient
    return Email(
        to=lead.email,
        template="accounts/email/access_request_received",
        context={
            "access_request": access_request,
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
