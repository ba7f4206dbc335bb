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
    if _named_with_contact(user, proposal, seen):
        # `seen` with the full name (built anew: `dataclasses.replace` cost ten times
        # more, on a board that asks it of each card past the interview).
        return YouthAsSeen(label=str(proposal.youth), youth=seen.youth, sees_file=False)
    return seen


def _named_with_contact(user, proposal: Proposal, seen: YouthAsSeen) -> bool:
    """Whether the shared profile `seen` names the youth in full: the recruiter sees
    their contact details (`can_see_contact`)."""
    return not seen.sees_file and not seen.is_hidden and can_see_contact(user, proposal)


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


def board_cards_youths(user, proposals, *, today: date) -> list[BoardCardYouth]:
    """What the board card of each proposal shows of its youth: what
    `proposal_youth_as_seen(user, proposal)` gives, reduced to the card's fields, without
    building the shared profile. The rule is asked once per kind of card, not once per
    card: of a proposal it reads only the youth's mission locale and consent, the
    proposal's status and its offer's company (and the user's scope, the page's), and a
    board of a hundred cards holds a handful of kinds. `today` (the page's, for the age)
    is read once per page. No query beyond the youths' rows and the user's scope."""
    naming: dict[tuple, tuple[str | None, bool]] = {}
    cards = []
    for proposal in proposals:
        youth = proposal.youth
        kind = (
            youth.mission_locale_id,
            youth.has_sharing_consent,
            proposal.status,
            proposal.offer.company_id,
        )
        if kind not in naming:
            naming[kind] = _card_naming(user, proposal)
        placeholder, in_full = naming[kind]
        if placeholder is not None:
            cards.append(
                BoardCardYouth(
                    label=None, placeholder=placeholder, shared_label="", age=None, stage=""
                )
            )
            continue
        shared_label = youth.shared_label
        cards.append(
            BoardCardYouth(
                label=str(youth) if in_full else shared_label,
                placeholder="",
                shared_label=shared_label,
                age=age_on(youth.birth_date, today),
                stage=youth.current_stage,
            )
        )
    return cards


def _card_naming(user, proposal: Proposal) -> tuple[str | None, bool]:
    """How `proposal_youth_as_seen` names the proposal's youth, for every card of its
    kind (`board_cards_youths`): (the placeholder of a hidden youth, else None; whether
    a youth shown is named in full rather than by the shared label)."""
    seen = youth_as_seen_by(user, proposal.youth, placeholder=hidden_youth_placeholder(proposal))
    if seen.is_hidden:
        return seen.label, False
    return None, seen.sees_file or _named_with_contact(user, proposal, seen)
