"""Who may do what with offers and proposals. Each predicate states its rule; views call
them after loading the object through a scoped queryset (unseen: 404, refused: 403)."""

from __future__ import annotations

from accounts.scope import get_scope
from accounts.workflow import can_move
from candidates.permissions import can_see_shared_profile

from .enums import OfferAction, OfferStatus, ProposalAction
from .models import Offer, Proposal


def is_recruiter_of(user, offer: Offer) -> bool:
    scope = get_scope(user)
    return scope.is_admin or offer.company_id in scope.company_ids


def is_lead_of(user, offer: Offer) -> bool:
    scope = get_scope(user)
    return scope.is_admin or offer.region_id in scope.lead_region_ids


def is_accompanier_for(user, offer: Offer) -> bool:
    """Who accompanies a large recruitment (Art. 4): a project lead of the offer's region,
    whatever the offer's status now (admins are no accompanying person). Views refuse
    (403) on this alone; the service says why a lead's stale click changes nothing."""
    return offer.region_id in get_scope(user).lead_region_ids


def can_accompany(user, offer: Offer) -> bool:
    """`is_accompanier_for`, and the offer needs accompanying, by someone else than the
    user, and is still open (the button shown)."""
    return (
        offer.needs_accompaniment
        and offer.accompanied_by_id != user.pk
        and not offer.is_closed
        and is_accompanier_for(user, offer)
    )


def can_post_offer(user) -> bool:
    """Recruiters post offers for their company (admins too, through the admin)."""
    return bool(get_scope(user).company_ids)


def can_edit_offer(user, offer: Offer) -> bool:
    """A draft is edited by its company's recruiters; once submitted it is frozen (the
    project lead may send it back to draft with a reason)."""
    return offer.status == OfferStatus.DRAFT and is_recruiter_of(user, offer)


def is_offer_actor(user, offer: Offer, action: str) -> bool:
    """Who takes `action` on the offer, whatever its status now: the company's recruiters
    submit, withdraw and close; the region's project lead publishes or sends back;
    filling and expiry are the portal's own. Views refuse (403) on this alone, so a
    stale click by the right person reaches the service, which says what happened."""
    if action in (OfferAction.SUBMIT, OfferAction.WITHDRAW, OfferAction.CLOSE):
        return is_recruiter_of(user, offer)
    if action in (OfferAction.PUBLISH, OfferAction.SEND_BACK):
        return is_lead_of(user, offer)
    return False


def can_act_on_offer(user, offer: Offer, action: str) -> bool:
    """`is_offer_actor`, and the offer's status allows the action now (the buttons
    shown)."""
    return can_move(offer, action) and is_offer_actor(user, offer, action)


def can_see_offer_figures(user) -> bool:
    """Satisfaction figures: recruiters (their company), project leads (their region),
    national staff (aggregates, never a youth) and admins."""
    scope = get_scope(user)
    return bool(scope.is_admin or scope.is_national or scope.company_ids or scope.lead_region_ids)


def can_browse_offers(user) -> bool:
    """Advisors and managers browse the published offers of their region."""
    scope = get_scope(user)
    return bool(scope.is_admin or scope.mission_locale_ids)


def is_proposer_for(user, offer: Offer) -> bool:
    """Who proposes youths to the offer, whatever its status now: the advisors and
    managers of the missions locales of the offer's region. Views refuse (403) on this
    alone, so an advisor reaching an offer closed in the meantime is told so."""
    scope = get_scope(user)
    if scope.is_admin:
        return True
    from accounts.enums import Role

    return offer.region_id in scope.region_ids(Role.ADVISOR, Role.ML_MANAGER)


def can_validate_offers(user) -> bool:
    """The project lead's page of their region's offers (validate, send back, follow):
    project leads and admins."""
    scope = get_scope(user)
    return scope.is_admin or bool(scope.lead_region_ids)


def can_follow_proposals(user) -> bool:
    """ "Candidatures" across offers: recruiters (their company's), advisors and managers
    (their youths') and admins."""
    scope = get_scope(user)
    return scope.is_admin or bool(scope.company_ids or scope.mission_locale_ids)


def has_youths_to_propose(user) -> bool:
    """Youths are proposed from a mission locale's pool: the user works for one (an
    admin without a mission locale has no youth to propose)."""
    return bool(get_scope(user).mission_locale_ids)


def can_propose_to_offer(user, offer: Offer) -> bool:
    """`is_proposer_for`, and the offer is published (the links shown)."""
    return offer.status == OfferStatus.PUBLISHED and is_proposer_for(user, offer)


def is_proposal_actor(user, proposal: Proposal, action: str) -> bool:
    """Who takes `action` on the proposal, whatever its status now: the company's
    recruiters decide (seen, interview, hire, decline); the advisors of the youth's
    mission locale may withdraw it. Views refuse (403) on this alone, so a recruiter
    acting on a proposal a colleague already moved is told so by the service."""
    if action == ProposalAction.WITHDRAW:
        scope = get_scope(user)
        return scope.is_admin or proposal.youth.mission_locale_id in scope.mission_locale_ids
    return is_recruiter_of(user, proposal.offer)


def can_act_on_proposal(user, proposal: Proposal, action: str) -> bool:
    """`is_proposal_actor`, and the proposal's status allows the action now (the
    buttons shown)."""
    return can_move(proposal, action) and is_proposal_actor(user, proposal, action)


def can_see_contact(user, proposal: Proposal) -> bool:
    """The youth's advisors always; the recruiter only from the interview on, and only
    while the youth lets companies see them (`can_see_shared_profile`: consent)."""
    scope = get_scope(user)
    if scope.is_admin or proposal.youth.mission_locale_id in scope.mission_locale_ids:
        return True
    return (
        proposal.shows_contact
        and proposal.offer.company_id in scope.company_ids
        and can_see_shared_profile(user, proposal.youth)
    )
