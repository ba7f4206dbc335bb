"""Every write of the accounts app: invitations, access requests, memberships, an
admin's new try of a failed email, and the publication of the information notices."""

from __future__ import annotations

import secrets
import uuid
from datetime import timedelta

from allauth.account.models import EmailAddress
from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.trail import audited_update

from . import tasks
from .enums import AccessRequestStatus, EmailStatus, InvitationStatus, OrganisationKind, Role
from .locks import lock_for_transaction
from .models import (
    CompanyAccessRequest,
    InformationNotice,
    Invitation,
    Membership,
    Organisation,
    OutgoingEmail,
    User,
)
from .notices import NOTICE_TEXTS_DIR, notice_texts
from .permissions import can_decide_access_request, can_invite_member, can_manage_outgoing_emails
from .scope import get_scope
from .validators import normalise_siret

INVITATION_VALIDITY = timedelta(days=7)


def _check_email_is_free(email: str, field: str = "email") -> None:
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError(
            {
                field: _(
                    "Un compte existe déjà avec cette adresse e-mail. La personne peut se "
                    "connecter ; un administrateur peut lui ajouter une organisation."
                )
            }
        )


def invite_member(
    *,
    inviter: User,
    email: str,
    organisation: Organisation,
    role: str,
    first_name: str = "",
    last_name: str = "",
) -> Invitation:
    """Invite a person into an organisation with a role.

    There is no open sign-up: access to the data starts with an invitation from whoever
    answers for that organisation (see `can_invite_member`). The invitation is valid
    seven days; the email leaves once the invitation is saved.
    """
    if not can_invite_member(inviter, organisation, role):
        raise PermissionDenied(
            _("Vous ne pouvez pas inviter dans cette organisation avec ce rôle.")
        )
    email = email.strip().lower()
    _check_email_is_free(email)
    with transaction.atomic():
        if Invitation.objects.pending().filter(email=email, organisation=organisation).exists():
            raise ValidationError(
                {"email": _("Une invitation est déjà en attente pour cette adresse.")}
            )
        # An expired invitation still marked pending would block the unique constraint.
        audited_update(
            Invitation.objects.filter(
                email=email, organisation=organisation, status=InvitationStatus.PENDING
            ),
            status=InvitationStatus.EXPIRED,
        )
        invitation = Invitation.objects.create(
            email=email,
            first_name=first_name,
            last_name=last_name,
            organisation=organisation,
            role=role,
            token=secrets.token_urlsafe(32),
            invited_by=inviter,
            expires_at=timezone.now() + INVITATION_VALIDITY,
        )
        tasks.send_invitation_email.delay_on_commit(invitation.pk)
    return invitation


def revoke_invitation(*, actor: User, invitation: Invitation) -> None:
    """Cancel a pending invitation: its link stops working at once."""
    if not can_invite_member(actor, invitation.organisation, invitation.role):
        raise PermissionDenied
    audited_update(
        Invitation.objects.filter(pk=invitation.pk, status=InvitationStatus.PENDING),
        status=InvitationStatus.REVOKED,
    )


def check_invitation_usable(invitation: Invitation) -> None:
    """Raise a ValidationError saying why this invitation can no longer be used."""
    if invitation.status == InvitationStatus.ACCEPTED:
        raise ValidationError(
            _("Cette invitation a déjà été acceptée. Connectez-vous avec votre adresse e-mail.")
        )
    if invitation.status == InvitationStatus.REVOKED:
        raise ValidationError(_("Cette invitation a été annulée."))
    if invitation.status == InvitationStatus.EXPIRED or invitation.is_expired:
        raise ValidationError(
            _(
                "Cette invitation a expiré le %(date)s. Demandez une nouvelle invitation "
                "à la personne qui vous a invité."
            )
            % {"date": timezone.localtime(invitation.expires_at).strftime("%d/%m/%Y")}
        )


def accept_invitation(
    *, token: str, first_name: str, last_name: str, password: str, language: str = "fr"
) -> User:
    """Create the invited person's account and membership, in one transaction.

    The email address counts as verified: the person proved it by opening the link.
    """
    with transaction.atomic():
        invitation = (
            Invitation.objects.select_for_update(of=("self",))
            .select_related("organisation")
            .get(token=token)
        )
        check_invitation_usable(invitation)
        _check_email_is_free(invitation.email)
        user = User.objects.create_user(
            email=invitation.email,
            password=password,
            first_name=first_name,
            last_name=last_name,
            language=language,
        )
        EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
        Membership.objects.create(
            user=user, organisation=invitation.organisation, role=invitation.role
        )
        invitation.status = InvitationStatus.ACCEPTED
        invitation.accepted_at = timezone.now()
        invitation.accepted_user = user
        invitation.save(update_fields=["status", "accepted_at", "accepted_user"])
    return user


def expire_invitations(*, now=None) -> int:
    """Mark the pending invitations past their date as expired. Safe to run twice."""
    now = now or timezone.now()
    return audited_update(
        Invitation.objects.filter(status=InvitationStatus.PENDING, expires_at__lte=now),
        status=InvitationStatus.EXPIRED,
    )


def request_company_access(*, data: dict) -> CompanyAccessRequest | None:
    """Record a company's request for an account.

    It gives no access to anything: the project lead of the region reviews it, and an
    approval sends an invitation. The region's project leads are told by email.

    The public form answers the same whatever the address, so that it tells nobody
    who has an account: for an address that already has one, nothing is recorded and
    its owner is told by email instead; a request already pending for the same SIRET
    and address is not recorded twice. Returns the new request, or None.
    """
    siret = normalise_siret(data["siret"])
    email = data["email"].strip().lower()
    existing = User.objects.filter(email__iexact=email, is_active=True).first()
    if existing is not None:
        request_key = uuid.uuid4().hex
        tasks.notify_existing_account_of_access_request.delay_on_commit(existing.pk, request_key)
        return None
    with transaction.atomic():
        if CompanyAccessRequest.objects.pending().filter(siret=siret, email=email).exists():
            return None
        access_request = CompanyAccessRequest(**{**data, "siret": siret, "email": email})
        access_request.full_clean()
        access_request.save()
        tasks.notify_access_request_received.delay_on_commit(access_request.pk)
    return access_request


def approve_company_access_request(
    *, actor: User, access_request: CompanyAccessRequest
) -> Invitation:
    """Approve a company's request: the company joins the portal (or is found by its
    SIRET) and the requester is invited as its recruiter."""
    if not can_decide_access_request(actor, access_request):
        raise PermissionDenied
    with transaction.atomic():
        locked = CompanyAccessRequest.objects.select_for_update(of=("self",)).get(
            pk=access_request.pk
        )
        if locked.status != AccessRequestStatus.PENDING:
            raise ValidationError(_("Cette demande a déjà été traitée."))
        company = Organisation.objects.filter(siret=locked.siret).first()
        if company is None:
            company = Organisation.objects.create(
                kind=OrganisationKind.COMPANY,
                name=locked.company_name,
                siret=locked.siret,
                region=locked.region,
                postcode=locked.postcode,
                city=locked.city,
            )
        elif company.kind != OrganisationKind.COMPANY:
            raise ValidationError(
                _("Ce SIRET appartient à une organisation qui n'est pas une entreprise.")
            )
        locked.status = AccessRequestStatus.APPROVED
        locked.decided_at = timezone.now()
        locked.decided_by = actor
        locked.organisation = company
        locked.save(update_fields=["status", "decided_at", "decided_by", "organisation"])
        invitation = invite_member(
            inviter=actor,
            email=locked.email,
            organisation=company,
            role=Role.RECRUITER,
            first_name=locked.first_name,
            last_name=locked.last_name,
        )
    return invitation


def reject_company_access_request(
    *, actor: User, access_request: CompanyAccessRequest, reason: str
) -> None:
    """Refuse a company's request with a reason, which the requester receives by email."""
    if not can_decide_access_request(actor, access_request):
        raise PermissionDenied
    if not reason.strip():
        raise ValidationError({"reason": _("Indiquez le motif du refus.")})
    with transaction.atomic():
        locked = CompanyAccessRequest.objects.select_for_update(of=("self",)).get(
            pk=access_request.pk
        )
        if locked.status != AccessRequestStatus.PENDING:
            raise ValidationError(_("Cette demande a déjà été traitée."))
        locked.status = AccessRequestStatus.REJECTED
        locked.decided_at = timezone.now()
        locked.decided_by = actor
        locked.decision_reason = reason.strip()
        locked.save(update_fields=["status", "decided_at", "decided_by", "decision_reason"])
        tasks.notify_access_request_rejected.delay_on_commit(locked.pk)


def update_profile(
    *, user: User, first_name: str, last_name: str, phone: str, language: str
) -> User:
    """A user edits their own name, phone and language."""
    user.first_name = first_name
    user.last_name = last_name
    user.phone = phone
    user.language = language
    user.save(update_fields=["first_name", "last_name", "phone", "language"])
    return user


def set_membership_active(*, actor: User, membership: Membership, active: bool) -> None:
    """A mission locale manager suspends or restores an advisor of their team."""
    scope = get_scope(actor)
    if not (scope.is_admin or membership.organisation_id in scope.managed_mission_locale_ids):
        raise PermissionDenied
    if membership.user_id == actor.pk:
        raise ValidationError(_("Vous ne pouvez pas suspendre votre propre accès."))
    membership.is_active = active
    membership.save(update_fields=["is_active"])


def retry_outgoing_email(*, actor: User, email: OutgoingEmail) -> OutgoingEmail:
    """An admin sends a failed email again, after fixing the address or the relay. The
    row is pending again and gets a whole new round of retries; an email already sent
    never leaves twice. The message is built anew when it leaves, from today's data."""
    if not can_manage_outgoing_emails(actor):
        raise PermissionDenied
    with transaction.atomic():
        email = OutgoingEmail.objects.select_for_update().get(pk=email.pk)
        if email.status == EmailStatus.SENT:
            raise ValidationError(_("Ce courriel a déjà été envoyé."))
        email.status = EmailStatus.PENDING
        email.save(update_fields=["status"])
        tasks.send_email.delay_on_commit(email.pk)
    return email


@transaction.atomic
def publish_information_notices(*, directory=NOTICE_TEXTS_DIR) -> list[InformationNotice]:
    """Publish every version of the information notices written in `directory`
    (`accounts/notices.py`) that is not published yet; return those newly published.

    A published version is never changed: a consent points to the version the youth
    was shown, and that text must stay what they read. So a file whose text differs from
    its published version stops everything (ImproperlyConfigured, naming the file: the
    change belongs in a new version) and nothing is published. Safe to run twice and
    from two processes at once (a lock serialises them); run on every `migrate`."""
    lock_for_transaction("accounts:information-notices")
    published = {
        (notice.purpose, notice.version): notice for notice in InformationNotice.objects.all()
    }
    created = []
    for text in notice_texts(directory):
        existing = published.get((text.purpose, text.version))
        if existing is not None:
            if existing.text_sha256 != text.sha256:
                raise ImproperlyConfigured(
                    f"The information notice {text.purpose} v{text.version} is already "
                    "published and its text has changed. A published notice never changes: "
                    f"put the change in v{text.version + 1} and restore v{text.version}."
                )
            continue
        created.append(
            InformationNotice.objects.create(
                purpose=text.purpose,
                version=text.version,
                published_on=text.published_on,
                title=text.title,
                body=text.body,
                title_en=text.title_en,
                body_en=text.body_en,
                text_sha256=text.sha256,
            )
        )
    return created


def publish_notices_after_migrate(sender, *, using, apps=None, **kwargs) -> None:
    """`post_migrate` receiver: the notices of the code are published once the tables
    exist, on every deployment's `migrate` (and after a `flush`, which empties the table
    and sends the signal without `apps`). Reference data kept from the code, as Django
    does for permissions; a migration back to before the notices' table does nothing."""
    if apps is not None:
        try:
            apps.get_model("accounts", "InformationNotice")
        except LookupError:
            return
    if using != "default":
        return
    publish_information_notices()
