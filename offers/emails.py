"""The emails of the offers app: who may hear about an offer, and what each email says,
built when it leaves (see `accounts.mail`). The kinds are the notice kinds
(`offers.<NoticeKind>`); the key is the offer's id (published, expired), the
transition's (submitted, sent back) or the proposal's (proposed)."""

from __future__ import annotations

from functools import partial

from django.urls import reverse

from accounts.enums import OrganisationKind, Role
from accounts.mail import Email, absolute_url, email_kind, email_to_recipient
from accounts.models import Membership, User
from candidates.permissions import can_see_shared_profile

from .enums import NoticeKind
from .models import Offer, OfferTransition, Proposal

PUBLISHED = f"offers.{NoticeKind.PUBLISHED}"
SUBMITTED = f"offers.{NoticeKind.SUBMITTED}"
SENT_BACK = f"offers.{NoticeKind.SENT_BACK}"
EXPIRED = f"offers.{NoticeKind.EXPIRED}"
PROPOSED = f"offers.{NoticeKind.PROPOSED}"


def mission_locale_staff(region_id: int):
    """Advisors and managers of the active missions locales of a region."""
    return User.objects.filter(
        is_active=True,
        memberships__is_active=True,
        memberships__role__in=(Role.ADVISOR, Role.ML_MANAGER),
        memberships__organisation__kind=OrganisationKind.MISSION_LOCALE,
        memberships__organisation__region_id=region_id,
        memberships__organisation__is_active=True,
    ).distinct()


def project_leads(region_id: int):
    return User.objects.filter(
        is_active=True,
        memberships__is_active=True,
        memberships__role=Role.PROJECT_LEAD,
        memberships__organisation__region_id=region_id,
        memberships__organisation__is_active=True,
    ).distinct()


def company_recruiters(offer: Offer):
    """The company's recruiters today: active users with an active recruiter membership
    of the (active) company. The offer's author is among them only while they still
    recruit for it: a former recruiter must not receive youths' profiles."""
    memberships = Membership.objects.active().filter(
        role=Role.RECRUITER, organisation_id=offer.company_id
    )
    return User.objects.filter(is_active=True, pk__in=memberships.values("user_id"))


def _offers():
    return Offer.objects.select_related("company", "job_role", "region")


def _offer_url(offer: Offer) -> str:
    return absolute_url(reverse("offers:offer_detail", args=[offer.pk]))


# The offers' templates call the user they are written to `recipient`.
_email = partial(email_to_recipient, user_as="recipient")


@email_kind(PUBLISHED, NoticeKind.PUBLISHED.label)
def offer_published_email(email) -> Email | None:
    """Tell an advisor of the region that an offer is published (also listed among their
    new offers, `OfferNotice`)."""
    offer = _offers().filter(pk=email.key, published_at__isnull=False).first()
    if offer is None:
        return None
    return _email(
        email,
        template="offers/email/offer_published",
        context={"offer": offer, "url": _offer_url(offer)},
    )


@email_kind(SUBMITTED, NoticeKind.SUBMITTED.label)
def offer_submitted_email(email) -> Email | None:
    """Tell a project lead of the region an offer waits for their validation."""
    transition = OfferTransition.objects.filter(pk=email.key).first()
    offer = _offers().filter(pk=transition.offer_id).first() if transition else None
    if offer is None:
        return None
    return _email(
        email,
        template="offers/email/offer_submitted",
        context={"offer": offer, "url": _offer_url(offer)},
    )


@email_kind(SENT_BACK, NoticeKind.SENT_BACK.label)
def offer_sent_back_email(email) -> Email | None:
    """Tell a recruiter of the company what the project lead asks them to change."""
    transition = OfferTransition.objects.select_related("actor").filter(pk=email.key).first()
    offer = _offers().filter(pk=transition.offer_id).first() if transition else None
    if offer is None or not company_recruiters(offer).filter(pk=email.recipient_id).exists():
        return None
    return _email(
        email,
        template="offers/email/offer_sent_back",
        context={"offer": offer, "url": _offer_url(offer), "transition": transition},
    )


@email_kind(EXPIRED, NoticeKind.EXPIRED.label)
def offer_expired_email(email) -> Email | None:
    """Tell a recruiter of the company their offer expired (they may post it again)."""
    offer = _offers().filter(pk=email.key, closed_at__isnull=False).first()
    if offer is None or not company_recruiters(offer).filter(pk=email.recipient_id).exists():
        return None
    return _email(
        email,
        template="offers/email/offer_expired",
        context={"offer": offer, "url": _offer_url(offer)},
    )


@email_kind(PROPOSED, NoticeKind.PROPOSED.label)
def proposal_received_email(email) -> Email | None:
    """Tell a recruiter of the company one of their offers received a proposal. The
    email carries the youth's shared profile only (first name and initial, age, skills,
    assessment, stage): never a surname or contact details. Checked again at each
    attempt: nothing leaves once the proposal is no longer open, to a recruiter the one
    rule no longer lets see the youth (`can_see_shared_profile`: consent withdrawn), or
    to a recruiter who left the company."""
    proposal = (
        Proposal.objects.select_related("offer", "offer__company", "offer__job_role", "youth")
        .filter(pk=email.key)
        .first()
    )
    if proposal is None or not proposal.is_open:
        return None
    if not can_see_shared_profile(email.recipient, proposal.youth):
        return None
    offer = proposal.offer
    if not company_recruiters(offer).filter(pk=email.recipient_id).exists():
        return None
    return _email(
        email,
        template="offers/email/proposal_received",
        context={
            "offer": offer,
            "profile": proposal.youth.shared_profile(),
            "url": absolute_url(reverse("offers:proposal_detail", args=[proposal.pk])),
        },
    )
