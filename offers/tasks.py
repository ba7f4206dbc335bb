"""Background jobs of the offers app. Each takes primary keys and is safe to run twice:
each email is recorded once per (kind, key, recipient) in `accounts.OutgoingEmail` and
leaves once (`accounts.mail.queue_emails`); a publication also gets one `OfferNotice` per
advisor, their "new offers" list."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from accounts.mail import queue_emails

from . import emails
from .enums import NoticeKind
from .figures import compact_offer_counts
from .models import Offer, OfferNotice, OfferTransition, Proposal


def _queue(*, kind: str, key: str, users) -> dict:
    ids = queue_emails(
        kind=kind, key=key, recipient_ids=list(users.order_by("pk").values_list("pk", flat=True))
    )
    return {"queued": len(ids)}


@shared_task(acks_late=True)
def notify_advisors_of_publication(offer_id: int) -> dict:
    """Tell the advisors of the region's missions locales that an offer is published:
    an entry in their "new offers" list and an email. Run twice, nobody hears twice."""
    offer = Offer.objects.filter(pk=offer_id, published_at__isnull=False).first()
    if offer is None:
        return {"queued": 0}
    users = emails.mission_locale_staff(offer.region_id)
    OfferNotice.objects.bulk_create(
        [
            OfferNotice(kind=NoticeKind.PUBLISHED, key=str(offer.pk), offer=offer, recipient_id=pk)
            for pk in users.values_list("pk", flat=True)
        ],
        ignore_conflicts=True,
    )
    return _queue(kind=emails.PUBLISHED, key=str(offer.pk), users=users)


@shared_task(acks_late=True)
def notify_recruiters_of_publication(offer_id: int) -> dict:
    """Tell the company's recruiters that their offer is published. Run twice, nobody
    hears twice."""
    offer = Offer.objects.filter(pk=offer_id, published_at__isnull=False).first()
    if offer is None:
        return {"queued": 0}
    return _queue(
        kind=emails.PUBLISHED_FOR_COMPANY,
        key=str(offer.pk),
        users=emails.company_recruiters(offer),
    )


@shared_task(acks_late=True)
def notify_advisors_of_interview(proposal_id: int) -> dict:
    """Tell the youth's advisors when and where the company will see the youth, with a
    calendar file. Keyed on the proposal and the interview's time: run twice, nobody
    hears twice; a new invitation (after a withdrawal and a new proposal) is news."""
    proposal = (
        Proposal.objects.select_related("youth")
        .filter(pk=proposal_id, interview_at__isnull=False)
        .first()
    )
    if proposal is None:
        return {"queued": 0}
    # The youth too, through their own space (when it is open).
    from youthspace.notifications import tell_youth_of_interview

    tell_youth_of_interview(proposal)
    return _queue(
        kind=emails.INTERVIEW,
        key=f"{proposal.pk}:{int(proposal.interview_at.timestamp())}",
        users=emails.interview_advisors(proposal),
    )


@shared_task(acks_late=True)
def notify_project_leads_of_submission(offer_id: int, transition_id: int) -> dict:
    """Tell the region's project leads an offer waits for their validation."""
    offer = Offer.objects.filter(pk=offer_id).first()
    if offer is None:
        return {"queued": 0}
    return _queue(
        kind=emails.SUBMITTED, key=str(transition_id), users=emails.project_leads(offer.region_id)
    )


@shared_task(acks_late=True)
def notify_recruiters_of_send_back(offer_id: int, transition_id: int) -> dict:
    """Tell the company's recruiters what the project lead asks them to change."""
    offer = Offer.objects.filter(pk=offer_id).first()
    if offer is None or not OfferTransition.objects.filter(pk=transition_id).exists():
        return {"queued": 0}
    return _queue(
        kind=emails.SENT_BACK, key=str(transition_id), users=emails.company_recruiters(offer)
    )


@shared_task(acks_late=True)
def notify_recruiters_of_expiry(offer_id: int) -> dict:
    """Tell the company's recruiters their offer expired (they may post it again)."""
    offer = Offer.objects.filter(pk=offer_id, closed_at__isnull=False).first()
    if offer is None:
        return {"queued": 0}
    return _queue(kind=emails.EXPIRED, key=str(offer.pk), users=emails.company_recruiters(offer))


@shared_task(acks_late=True)
def notify_recruiters_of_proposal(proposal_id: int) -> dict:
    """Tell the company's recruiters one of their offers received a proposal, with the
    youth's shared profile only, and nothing at all when the youth withdrew their consent
    meanwhile (checked here and again when each email leaves). Run twice, nobody hears
    twice."""
    proposal = Proposal.objects.select_related("offer", "youth").filter(pk=proposal_id).first()
    if proposal is None or not proposal.youth.has_sharing_consent:
        return {"queued": 0}
    return _queue(
        kind=emails.PROPOSED,
        key=str(proposal.pk),
        users=emails.company_recruiters(proposal.offer),
    )


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


@shared_task
def fold_offer_counts() -> dict:
    """Daily: fold the offers' figures (`models.OfferCount`, one row of deltas per write
    that moved offers or proposals between groups) into one row per region, job role
    and month, so that the dashboards sum a few thousand rows whatever the writes of the
    day. No sum changes: safe to run twice, or beside the writers. Nothing to fold where
    the database does not keep them (SQLite)."""
    return {"rows": compact_offer_counts()}
