"""The emails of the offers app: who may hear about an offer, and what each email says,
built when it leaves (see `accounts.mail`). The kinds are the notice kinds
(`offers.<NoticeKind>`); the key is the offer's id (published, expired), the
transition's (submitted, sent back) or the proposal's (proposed)."""

from __future__ import annotations

from functools import partial

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.calendars import PUBLISH, CalendarEvent, calendar_text
from accounts.enums import OrganisationKind, Role
from accounts.mail import Email, absolute_url, email_kind, email_to_recipient
from accounts.models import Membership, User
from candidates.permissions import can_see_shared_profile

from .enums import NoticeKind, ProposalStatus
from .models import Offer, OfferTransition, Proposal

PUBLISHED = f"offers.{NoticeKind.PUBLISHED}"
SUBMITTED = f"offers.{NoticeKind.SUBMITTED}"
SENT_BACK = f"offers.{NoticeKind.SENT_BACK}"
EXPIRED = f"offers.{NoticeKind.EXPIRED}"
PROPOSED = f"offers.{NoticeKind.PROPOSED}"
PUBLISHED_FOR_COMPANY = "offers.published_for_company"
INTERVIEW = "offers.interview"


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


@email_kind(PUBLISHED_FOR_COMPANY, _("Offre publiée (entreprise)"))
def offer_published_for_company_email(email) -> Email | None:
    """Tell a recruiter of the company that the project lead published their offer:
    advisors of the region can now propose youths to it."""
    offer = _offers().filter(pk=email.key, published_at__isnull=False).first()
    if offer is None or not company_recruiters(offer).filter(pk=email.recipient_id).exists():
        return None
    return _email(
        email,
        template="offers/email/offer_published_for_company",
        context={"offer": offer, "url": _offer_url(offer)},
    )


def interview_advisors(proposal: Proposal):
    """Who hears of an interview: the advisor who follows the youth and the one who
    proposed them, while they still work in the youth's mission locale."""
    ids = {proposal.youth.advisor_id, proposal.proposed_by_id} - {None}
    memberships = Membership.objects.active().filter(
        organisation_id=proposal.youth.mission_locale_id, user_id__in=ids
    )
    return User.objects.filter(is_active=True, pk__in=memberships.values("user_id"))


def interview_event(proposal: Proposal) -> CalendarEvent:
    """The interview as a calendar event: one UID per proposal, its SEQUENCE the
    invitation's time, so that a new invitation replaces the copy a calendar holds."""
    offer = proposal.offer
    return CalendarEvent(
        uid=f"interview-{proposal.pk}@portail-convention",
        sequence=int(proposal.status_changed_at.timestamp()) % 2_000_000_000,
        starts_at=proposal.interview_at,
        ends_at=proposal.interview_ends_at,
        summary=str(
            _("Entretien de %(name)s chez %(company)s")
            % {"name": str(proposal.youth), "company": offer.company.name}
        ),
        description=str(_("Poste : %(role)s") % {"role": offer.job_role}),
        location=proposal.interview_place or proposal.interview_link,
        url=proposal.interview_link,
    )


@email_kind(INTERVIEW, _("Entretien fixé par l'entreprise"))
def interview_email(email) -> Email | None:
    """Tell the youth's advisor the date, time and place of the interview the company
    set, with a calendar file: the advisor tells the youth and prepares them. Nothing
    leaves once the proposal has moved on (declined, withdrawn) or to an advisor who
    left the mission locale."""
    pk, _sep, _stamp = email.key.partition(":")
    proposal = (
        Proposal.objects.select_related(
            "offer", "offer__company", "offer__job_role", "youth", "youth__mission_locale"
        )
        .filter(pk=pk, status=ProposalStatus.INTERVIEW, interview_at__isnull=False)
        .first()
    )
    if proposal is None or not interview_advisors(proposal).filter(pk=email.recipient_id).exists():
        return None
    ics = calendar_text([interview_event(proposal)], method=PUBLISH)
    return _email(
        email,
        template="offers/email/interview",
        context={
            "proposal": proposal,
            "offer": proposal.offer,
            "youth": proposal.youth,
            "note": proposal.transitions.filter(action="invite")
            .order_by("-pk")
            .values_list("reason", flat=True)
            .first()
            or "",
            "url": absolute_url(reverse("offers:proposal_detail", args=[proposal.pk])),
        },
        attachments=(("entretien.ics", ics.encode("utf-8"), "text/calendar; method=PUBLISH"),),
    )
