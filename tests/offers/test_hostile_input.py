"""The hostile payload table of every offers form that stores text, run by
`tests/test_hostile_input.py` (see `tests/hostile_forms.py` for what each payload must
give)."""

from __future__ import annotations

from django.urls import reverse

from accounts.enums import Role
from offers.enums import ContractType, DeclineReason, ProposalStatus
from offers.forms import (
    BulkDeclineForm,
    DeclineForm,
    InterviewForm,
    OfferForm,
    ProposalNoteForm,
    ProposeForm,
    ReasonForm,
    SendBackForm,
)
from offers.models import Offer, OfferTransition, Proposal, ProposalTransition
from tests.accounts.factories import OrganisationFactory, make_member
from tests.candidates.factories import YouthFactory
from tests.hostile_forms import MESSAGE, FormCase, Situation, day, stored
from tests.offers.factories import (
    JobRoleFactory,
    OfferFactory,
    ProposalFactory,
    interview_form,
)


def _offer_post() -> dict:
    return {
        "job_role": JobRoleFactory().pk,
        "contract_type": ContractType.CDI,
        "positions": 2,
        "weekly_hours": 35,
        "postcode": "13015",
        "city": "Marseille",
        "start_date": day(20),
        "closing_date": day(50),
        "description": "Poste de téléconseiller.",
        "requirements": "Aisance à l'oral.",
    }


def _offer_create() -> Situation:
    recruiter = make_member(Role.RECRUITER)
    return Situation(
        url=reverse("offers:offer_create"),
        data={**_offer_post(), "company": recruiter.memberships.get().organisation_id},
        user=recruiter,
        read=stored(Offer.objects.all()),
    )


def _offer_edit() -> Situation:
    offer = OfferFactory()
    return Situation(
        url=reverse("offers:offer_edit", args=[offer.pk]),
        data=_offer_post(),
        user=make_member(Role.RECRUITER, organisation=offer.company),
        read=stored(Offer.objects.filter(pk=offer.pk)),
    )


def _offer_action(action: str, by: str, **state):
    """An action on an offer taking a reason (kept in the offer's history, shown on its
    page): by the region's project lead or by a recruiter of the company."""

    def arrange() -> Situation:
        offer = OfferFactory(**state)
        if by == "lead":
            user = make_member(Role.PROJECT_LEAD, region=offer.region)
        else:
            user = make_member(Role.RECRUITER, organisation=offer.company)
        return Situation(
            url=reverse("offers:offer_action", args=[offer.pk, action]),
            data={"reason": "Merci de préciser les horaires."},
            user=user,
            read=stored(OfferTransition.objects.all()),
        )

    return arrange


def _propose() -> Situation:
    offer = OfferFactory(published=True)
    mission_locale = OrganisationFactory(mission_locale=True, region=offer.region)
    youth = YouthFactory(mission_locale=mission_locale, consented=True)
    return Situation(
        url=reverse("offers:offer_propose", args=[offer.pk]),
        data={"youth": youth.pk, "note": "Très motivée.", "from_suggestion": ""},
        user=youth.advisor,
        read=stored(Proposal.objects.all()),
        # The advisor's word is for the recruiter.
        page=lambda: reverse("offers:proposal_detail", args=[Proposal.objects.latest("pk").pk]),
        viewer=make_member(Role.RECRUITER, organisation=offer.company),
    )


def _proposal_action(action: str, data: dict, by: str, **state):
    """A recruiter's (or the youth's advisor's) action on a proposal, its note kept in
    the proposal's history, shown on the proposal's page."""

    def arrange() -> Situation:
        proposal = ProposalFactory(**state)
        if by == "advisor":
            user = proposal.youth.advisor
        else:
            user = make_member(Role.RECRUITER, organisation=proposal.offer.company)
        return Situation(
            url=reverse("offers:proposal_action", args=[proposal.pk, action]),
            data=data,
            user=user,
            read=stored(ProposalTransition.objects.all(), note="reason"),
            page=reverse("offers:proposal_detail", args=[proposal.pk]),
        )

    return arrange


def _invite() -> Situation:
    """The recruiter's invitation to an interview: its place is shown on the proposal's
    page and sent to the advisor, its message kept in the proposal's history."""
    proposal = ProposalFactory(status=ProposalStatus.SEEN)
    recruiter = make_member(Role.RECRUITER, organisation=proposal.offer.company)
    return Situation(
        url=reverse("offers:proposal_invite", args=[proposal.pk]),
        data=interview_form(),
        user=recruiter,
        read=stored(
            Proposal.objects.all(),
            place="interview_place",
            video_link="interview_link",
            note=(ProposalTransition.objects.all(), "reason"),
        ),
        page=reverse("offers:proposal_detail", args=[proposal.pk]),
    )


def _bulk_decline() -> Situation:
    proposal = ProposalFactory(status=ProposalStatus.SEEN)
    recruiter = make_member(Role.RECRUITER, organisation=proposal.offer.company)
    return Situation(
        url=reverse("offers:bulk_decline", args=[proposal.offer_id]),
        data={
            "proposals": [proposal.pk],
            "decline_reason": DeclineReason.POSITIONS_FILLED,
            "note": "",
        },
        user=recruiter,
        read=stored(ProposalTransition.objects.all(), note="reason"),
        page=reverse("offers:proposal_detail", args=[proposal.pk]),
    )


CASES = [
    FormCase(
        "offer-create",
        (OfferForm,),
        _offer_create,
        text=("city", "description", "requirements"),
        constrained=("postcode",),
    ),
    FormCase(
        "offer-edit",
        (OfferForm,),
        _offer_edit,
        text=("city", "description", "requirements"),
        constrained=("postcode",),
    ),
    FormCase(
        "offer-publish",
        (ReasonForm,),
        _offer_action("publish", "lead", submitted=True),
        text=("reason",),
        refusal=MESSAGE,
    ),
    FormCase(
        "offer-withdraw",
        (ReasonForm,),
        _offer_action("withdraw", "recruiter", published=True),
        text=("reason",),
        refusal=MESSAGE,
    ),
    FormCase(
        "offer-send-back",
        (SendBackForm,),
        _offer_action("send_back", "lead", submitted=True),
        text=("reason",),
        refusal=MESSAGE,
    ),
    FormCase("propose", (ProposeForm,), _propose, text=("note",)),
    FormCase(
        "proposal-decline",
        (DeclineForm,),
        _proposal_action(
            "decline",
            {"decline_reason": DeclineReason.PROFILE_MISMATCH, "note": ""},
            "recruiter",
            status=ProposalStatus.SEEN,
        ),
        text=("note",),
        refusal=MESSAGE,
    ),
    FormCase(
        "proposal-invite",
        (InterviewForm,),
        _invite,
        text=("place", "note"),
        constrained=("video_link",),
    ),
    FormCase(
        "proposal-withdraw",
        (ProposalNoteForm,),
        _proposal_action("withdraw", {"note": ""}, "advisor"),
        text=("note",),
        refusal=MESSAGE,
    ),
    FormCase(
        "proposal-bulk-decline",
        (BulkDeclineForm,),
        _bulk_decline,
        text=("note",),
        refusal=MESSAGE,
    ),
]
