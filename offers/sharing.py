"""How a proposal's youth is named to whoever looks at the proposal: the one rule the
offer's pages, its board and the board's export all ask."""

from __future__ import annotations

import dataclasses

from django.utils.translation import gettext as _

from candidates.sharing import YouthAsSeen, youth_as_seen_by

from .models import Proposal
from .permissions import can_see_contact


def hidden_youth_placeholder(proposal: Proposal) -> str:
    """What a company reads once the youth stopped sharing their profile."""
    return _("Candidature retirée") if proposal.is_withdrawn else _("Profil retiré")


def proposal_youth_as_seen(user, proposal: Proposal) -> YouthAsSeen:
    """The proposal's youth as `user` may see them (`can_see_shared_profile`, through
    `youth_as_seen_by`): once the youth stopped sharing, a company reads "Candidature
    retirée" (or "Profil retiré" for a hiring or a refusal made before), never a name.
    From the interview on, a recruiter who sees the youth's email and phone
    (`can_see_contact`) sees their full name with them: they call a person. No query of
    its own beyond the youth's row and the user's scope."""
    seen = youth_as_seen_by(user, proposal.youth, placeholder=hidden_youth_placeholder(proposal))
    if not seen.sees_file and not seen.is_hidden and can_see_contact(user, proposal):
        return dataclasses.replace(seen, label=str(proposal.youth))
    return seen
