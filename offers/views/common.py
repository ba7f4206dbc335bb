"""What the offers pages share: loading an offer or a proposal the user may see, the
actions offered to them, paging and the filters kept in links."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404
from django.utils.functional import LazyObject, empty

from candidates.sharing import YouthAsSeen

from ..enums import (
    OfferAction,
    ProposalAction,
)
from ..models import Offer, Proposal
from ..permissions import (
    can_accompany,
    can_act_on_offer,
    can_act_on_proposal,
    can_edit_offer,
    can_propose_to_offer,
    has_youths_to_propose,
    is_lead_of,
    is_recruiter_of,
)
from ..sharing import proposal_youth_as_seen

PAGE_SIZE = 25


def offer_actions(offer: Offer, user) -> dict[str, bool]:
    """What the offer's page offers this user; templates never compare statuses."""
    return {
        "edit": can_edit_offer(user, offer),
        "submit": can_act_on_offer(user, offer, OfferAction.SUBMIT),
        "publish": can_act_on_offer(user, offer, OfferAction.PUBLISH),
        "send_back": can_act_on_offer(user, offer, OfferAction.SEND_BACK),
        "withdraw": can_act_on_offer(user, offer, OfferAction.WITHDRAW),
        "close": can_act_on_offer(user, offer, OfferAction.CLOSE),
        "accompany": can_accompany(user, offer),
        "board": is_recruiter_of(user, offer) and not offer.is_draft,
        "propose": can_propose_to_offer(user, offer) and has_youths_to_propose(user),
        "figures": is_recruiter_of(user, offer) or is_lead_of(user, offer),
    }


def proposal_actions(proposal: Proposal, user) -> dict[str, bool]:
    return {action: can_act_on_proposal(user, proposal, action) for action in ProposalAction.values}


def get_offer(request, pk: int) -> Offer:
    return get_object_or_404(
        Offer.objects.visible_to(request.user).select_related(
            "company", "job_role", "region", "accompanied_by", "created_by"
        ),
        pk=pk,
    )


def get_proposal(request, pk: int) -> Proposal:
    return get_object_or_404(
        Proposal.objects.visible_to(request.user).select_related(
            "offer",
            "offer__company",
            "offer__job_role",
            "youth",
            "youth__mission_locale",
            "proposed_by",
        ),
        pk=pk,
    )


def page_user(request):
    """The request's user itself rather than its lazy wrapper (`request.user` is a
    `SimpleLazyObject`), for a page that asks the predicates of a hundred rows: every
    attribute read through the wrapper costs a few function calls, and the rules of a
    board card read the user's scope five times (2 ms a board of a hundred cards). The
    same object: what a predicate keeps on it (`accounts.scope.get_scope`) is kept on
    the wrapped user."""
    user = request.user
    if isinstance(user, LazyObject):
        if user._wrapped is empty:
            user._setup()
        return user._wrapped
    return user


def _youth_seen(proposal: Proposal, user) -> YouthAsSeen:
    return proposal_youth_as_seen(user, proposal)


def paginate(request, qs):
    return Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
