"""Background jobs of the offers app. Each takes primary keys and is safe to run twice:
an OfferNotice row keyed on (kind, key, recipient) records what was said to whom, and
its `emailed_at` what already left."""

from __future__ import annotations

from celery import shared_task
from django.urls import reverse
from django.utils import timezone

from accounts.enums import OrganisationKind, Role
from accounts.mail import absolute_url, send_templated_mail
from accounts.models import Membership, User
from candidates.permissions import can_see_shared_profile

from .enums import NoticeKind
from .models import Offer, OfferNotice, OfferTransition, Proposal


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


def _notify(*, kind: str, key: str, offer: Offer, users, template: str, context: dict) -> int:
    """Record one notice per recipient and email those not emailed yet."""
    sent = 0
    for user in users.order_by("pk"):
        notice, _created = OfferNotice.objects.get_or_create(
            kind=kind, key=key, recipient=user, defaults={"offer": offer}
        )
        if notice.emailed_at is not None:
            continue
        send_templated_mail(
            to=[user.email],
            template=template,
            context={**context, "recipient": user},
            language=user.language,
        )
        OfferNotice.objects.filter(pk=notice.pk).update(emailed_at=timezone.now())
        sent += 1
    return sent


def _load(offer_id: int) -> Offer | None:
    return Offer.objects.select_related("company", "job_role", "region").filter(pk=offer_id).first()


@shared_task(bind=True, max_retries=5, default_retry_delay=60, acks_late=True)
def notify_advisors_of_publication(self, offer_id: int) -> dict:
    """Tell the advisors of the region's missions locales that an offer is published:
    an entry in their "new offers" list and an email. Run twice, nobody hears twice."""
    offer = _load(offer_id)
    if offer is None or offer.published_at is None:
        return {"sent": 0}
    url = absolute_url(reverse("offers:offer_detail", args=[offer.pk]))
    try:
        sent = _notify(
            kind=NoticeKind.PUBLISHED,
            key=str(offer.pk),
            offer=offer,
            users=mission_locale_staff(offer.region_id),
            template="offers/email/offer_published",
            context={"offer": offer, "url": url},
        )
    except OSError as exc:
        raise self.retry(exc=exc) from exc
    return {"sent": sent}


@shared_task(bind=True, max_retries=5, default_retry_delay=60, acks_late=True)
def notify_project_leads_of_submission(self, offer_id: int, transition_id: int) -> dict:
    """Tell the region's project leads an offer waits for their validation."""
    offer = _load(offer_id)
    if offer is None:
        return {"sent": 0}
    url = absolute_url(reverse("offers:offer_detail", args=[offer.pk]))
    try:
        sent = _notify(
            kind=NoticeKind.SUBMITTED,
            key=str(transition_id),
            offer=offer,
            users=project_leads(offer.region_id),
            template="offers/email/offer_submitted",
            context={"offer": offer, "url": url},
        )
    except OSError as exc:
        raise self.retry(exc=exc) from exc
    return {"sent": sent}


@shared_task(bind=True, max_retries=5, default_retry_delay=60, acks_late=True)
def notify_recruiters_of_send_back(self, offer_id: int, transition_id: int) -> dict:
    """Tell the company's recruiters what the project lead asks them to change."""
    offer = _load(offer_id)
    transition = OfferTransition.objects.select_related("actor").filter(pk=transition_id).first()
    if offer is None or transition is None:
        return {"sent": 0}
    url = absolute_url(reverse("offers:offer_detail", args=[offer.pk]))
    try:
        sent = _notify(
            kind=NoticeKind.SENT_BACK,
            key=str(transition_id),
            offer=offer,
            users=company_recruiters(offer),
            template="offers/email/offer_sent_back",
            context={"offer": offer, "url": url, "transition": transition},
        )
    except OSError as exc:
        raise self.retry(exc=exc) from exc
    return {"sent": sent}


@shared_task(bind=True, max_retries=5, default_retry_delay=60, acks_late=True)
def notify_recruiters_of_expiry(self, offer_id: int) -> dict:
    """Tell the company's recruiters their offer expired (they may post it again)."""
    offer = _load(offer_id)
    if offer is None or offer.closed_at is None:
        return {"sent": 0}
    url = absolute_url(reverse("offers:offer_detail", args=[offer.pk]))
    try:
        sent = _notify(
            kind=NoticeKind.EXPIRED,
            key=str(offer.pk),
            offer=offer,
            users=company_recruiters(offer),
            template="offers/email/offer_expired",
            context={"offer": offer, "url": url},
        )
    except OSError as exc:
        raise self.retry(exc=exc) from exc
    return {"sent": sent}


@shared_task(bind=True, max_retries=5, default_retry_delay=60, acks_late=True)
def notify_recruiters_of_proposal(self, proposal_id: int) -> dict:
    """Tell the company's recruiters one of their offers received a proposal. The email
    carries the youth's shared profile only (first name and initial, age, skills,
    assessment, stage): never a surname or contact details, and nothing at all when the
    youth withdrew their consent meanwhile (`can_see_shared_profile`) or the proposal
    is no longer open. Run twice, nobody hears twice."""
    proposal = (
        Proposal.objects.select_related("offer", "offer__company", "offer__job_role", "youth")
        .filter(pk=proposal_id)
        .first()
    )
    if proposal is None or not proposal.is_open:
        return {"sent": 0}
    offer = proposal.offer
    # Only the recruiters the one rule lets see the youth (consent, checked now, as the
    # email leaves) get the profile; after a withdrawal nobody does.
    recruiters = company_recruiters(offer)
    allowed = [u.pk for u in recruiters if can_see_shared_profile(u, proposal.youth)]
    url = absolute_url(reverse("offers:proposal_detail", args=[proposal.pk]))
    try:
        sent = _notify(
            kind=NoticeKind.PROPOSED,
            key=str(proposal.pk),
            offer=offer,
            users=recruiters.filter(pk__in=allowed),
            template="offers/email/proposal_received",
            context={"offer": offer, "profile": proposal.youth.shared_profile(), "url": url},
        )
    except OSError as exc:
        raise self.retry(exc=exc) from exc
    return {"sent": sent}


@shared_task
def expire_offers_past_closing_date() -> dict:
    """Beat job (daily): expire the published offers whose closing date has passed.
    Each offer moves in its own transaction; one already expired is skipped, so a
    second run the same day does nothing."""
    from .services import expire_offer

    today = timezone.localdate()
    expired = 0
    for offer in Offer.objects.past_closing_date(today).only("pk").iterator():
        if expire_offer(offer=offer, today=today):
            expired += 1
    return {"expired": expired}
