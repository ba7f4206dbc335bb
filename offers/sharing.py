"""How a proposal's youth is named to whoever looks at the proposal: the one rule the
offer's pages, its board and the board's export all ask."""

from __future__ import annotations

from datetime import date
from typing import NamedTuple

from django.utils.translation import gettext_lazy

from candidates.models import age_on
from candidates.sharing import YouthAsSeen, youth_as_seen_by

from .models import Proposal
from .permissions import can_see_contact

WITHDRAWN = gettext_lazy("Candidature retirée")
PROFILE_REMOVED = gettext_lazy("Profil retiré")


def hidden_youth_placeholder(proposal: Proposal):
    """What a company reads once the youth stopped sharing their profile; a lazy
    translation, translated only when shown (`youth_as_seen_by` reads it for a hidden
    youth alone), since a board asks the rule of a hundred cards, most of them shared."""
    return WITHDRAWN if proposal.is_withdrawn else PROFILE_REMOVED


def proposal_youth_as_seen(user, proposal: Proposal) -> YouthAsSeen:
    """The proposal's youth as `user` may see them (`can_see_shared_profile`, through
    `youth_as_seen_by`): once the youth stopped sharing, a company reads "Candidature
    retirée" (or "Profil retiré" for a hiring or a refusal made before), never a name.
    From the interview on, a recruiter who sees the youth's email and phone
    (`can_see_contact`) sees their full name with them: they call a person. No query of
    its own beyond the youth's row and the user's scope."""
    seen = youth_as_seen_by(user, proposal.youth, placeholder=hidden_youth_placeholder(proposal))
    if not seen.sees_file and not seen.is_hidden and can_see_contact(user, proposal):
        # `seen` with the full name (built anew: `dataclasses.replace` cost ten times
        # more, on a board that asks it of each card past the interview).
        return YouthAsSeen(label=str(proposal.youth), youth=seen.youth, sees_file=False)
    return seen


class BoardCardYouth(NamedTuple):
    """What a board card shows of a proposal's youth: what `proposal_youth_as_seen`
    gives, but only the card's fields (the name, the shared label, the age and the
    stage's value), so that a board of a hundred cards does not build a hundred whole
    shared profiles. `label` is None when the youth is hidden (`placeholder` then). A
    named tuple: a hundred of them a page, built faster than a frozen dataclass."""

    label: str | None
    placeholder: str
    shared_label: str
    age: int | None
    stage: str

    @property
    def is_hidden(self) -> bool:
        return self.label is None


def board_card_youth(user, proposal: Proposal, *, today: date) -> BoardCardYouth:
    """`proposal_youth_as_seen(user, proposal)` reduced to what a board card shows: the
    same rule, read from it, without building the shared profile. `today` (the page's,
    for the age) is read once per page. No query beyond the youth's row and the user's
    scope."""
    seen = proposal_youth_as_seen(user, proposal)
    if seen.is_hidden:
        return BoardCardYouth(
            label=None, placeholder=seen.label, shared_label="", age=None, stage=""
        )
    youth = seen.youth
    return BoardCardYouth(
        label=seen.label,
        placeholder="",
        shared_label=youth.shared_label,
        age=age_on(youth.birth_date, today),
        stage=youth.current_stage,
    )
