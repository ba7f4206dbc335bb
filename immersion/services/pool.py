"""The candidate pool: recruiters' requests for a youth and the answers."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.scope import get_scope
from accounts.workflow import target_of
from candidates.models import Youth
from offers.enums import OfferStatus, ProposalOrigin
from offers.models import Offer

from .. import permissions
from ..models import (
    PoolRequest,
)

# --- The candidate pool -------------------------------------------------------------------


@transaction.atomic
def request_pool_proposal(
    *, recruiter: User, youth: Youth, offer: Offer, message: str = ""
) -> PoolRequest:
    """A recruiter asks the youth's advisor to propose this pool member to a published
    offer of their company. Only a consenting member of the pool of the recruiter's
    region, for an offer of the same region; the advisor is emailed after commit."""
    from ..models import pool_members
    from ..tasks import notify_pool_request

    scope = get_scope(recruiter)
    if not permissions.can_browse_pool(recruiter):
        raise PermissionDenied
    # The youth's lock: a consent withdrawn in the same instant either comes first (the
    # youth leaves the pool, refused below) or waits and declines this request.
    youth = Youth.objects.select_for_update().select_related("mission_locale").get(pk=youth.pk)
    if not pool_members(recruiter).filter(pk=youth.pk).exists():
        raise PermissionDenied
    if offer.company_id not in scope.company_ids:
        raise PermissionDenied
    if offer.status != OfferStatus.PUBLISHED:
        raise ValidationError(
            {"offer": _("Cette offre n'est pas publiée : on ne peut y proposer personne.")}
        )
    if offer.region_id != youth.mission_locale.region_id:
        raise ValidationError({"offer": _("Cette offre n'est pas dans la région du jeune.")})
    try:
        with transaction.atomic():
            pool_request = PoolRequest.objects.create(
                recruiter=recruiter,
                company_id=offer.company_id,
                youth=youth,
                offer=offer,
                message=message.strip(),
            )
    except IntegrityError:
        raise ValidationError(
            {"offer": _("Une demande pour ce jeune sur cette offre attend déjà une réponse.")}
        ) from None
    notify_pool_request.delay_on_commit(pool_request.pk)
    return pool_request


@transaction.atomic
def answer_pool_request(
    *, actor: User | None, pool_request: PoolRequest, action: str, note: str = ""
) -> PoolRequest:
    """The youth's advisor accepts, which proposes the youth to the offer through the
    offers app (origin: the immersion pool) with the same rules as any proposal, or
    declines with a note. The recruiter is told by email. `actor` None is the portal
    itself declining (the retention job anonymising an expired file): no one to check."""
    from offers.services import propose_youth

    from ..tasks import notify_pool_answer

    # The youth first, as a consent withdrawal and `propose_youth` lock it: an answer and
    # a withdrawal at the same instant queue instead of deadlocking.
    Youth.objects.select_for_update().values_list("pk", flat=True).get(pk=pool_request.youth_id)
    locked = PoolRequest.objects.select_for_update().get(pk=pool_request.pk)
    if actor is None and action != "decline":
        raise PermissionDenied
    if actor is not None and not permissions.can_answer_pool_request(actor, locked):
        raise PermissionDenied
    target = target_of(locked, action, refused=_("Cette demande a déjà reçu une réponse."))
    if action == "decline" and not note.strip():
        raise ValidationError({"note": _("Expliquez brièvement le refus au recruteur.")})
    if action == "accept":
        locked.proposal = propose_youth(
            offer=locked.offer,
            youth=locked.youth,
            actor=actor,
            note=note.strip(),
            origin=ProposalOrigin.IMMERSION_POOL,
        )
    locked.status = target
    locked.answered_by = actor
    locked.answered_at = timezone.now()
    locked.answer_note = note.strip()
    locked.save(update_fields=["status", "answered_by", "answered_at", "answer_note", "proposal"])
    notify_pool_answer.delay_on_commit(locked.pk)
    return locked


@transaction.atomic
def decline_pending_pool_requests(
    *, youth: Youth, actor: User | None, reason: str
) -> list[PoolRequest]:
    """The youth stopped sharing their profile with companies (consent withdrawn, file
    anonymised; `candidates.services` calls this in its transaction, holding the youth's
    row lock): the recruiters' requests still pending are declined with `reason`, as the
    advisor `actor` would. The recruiter's email and page name nobody
    (`candidates.sharing.youth_as_seen_by`)."""
    pending = list(PoolRequest.objects.pending().filter(youth_id=youth.pk).order_by("pk"))
    return [
        answer_pool_request(actor=actor, pool_request=request, action="decline", note=str(reason))
        for request in pending
    ]
