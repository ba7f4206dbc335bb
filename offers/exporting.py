"""The offers app's lists as spreadsheets: the columns of each page (same titles, same
cells), written by the portal's one export writer (`reporting.exports.list_export`).
The rows come from the querysets the pages build (`offers.views`), so a file holds what
its page lists, filters included.

What a recruiter's file says of a youth goes through `offers.sharing.proposal_youth_as_seen`
(`can_see_shared_profile`, consent included), exactly as the board's cards do: a youth
who stopped sharing is a row without a name, age or stage."""

from __future__ import annotations

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from reporting.exports import EXPORT_CHUNK, Column

from .enums import ProposalStatus
from .sharing import proposal_youth_as_seen

DASH = "—"


def offer_title(offer) -> str:
    """The "Offre" cell: the job and, as the page's second line, contract and place."""
    return f"{offer.job_role} · {offer.get_contract_type_display()} · {offer.place or DASH}"


def offer_state(offer) -> str:
    """The "État" cell: the status and, as the page's badge, the CEPL accompaniment of an
    offer of more than 10 positions (and who accompanies it)."""
    parts = [str(offer.get_status_display())]
    if offer.needs_accompaniment:
        accompaniment = str(_("Accompagnement CEPL"))
        if offer.accompanied_by:
            lead = offer.accompanied_by
            accompaniment += f" · {lead.get_full_name() or lead.email}"
        parts.append(accompaniment)
    return " · ".join(parts)


def positions_filled(offer) -> str:
    return f"{offer.positions_filled} / {offer.positions}"


def with_stage_counts(offers):
    """The offers with their proposals counted at each stage (`n_<status>`) and in all
    (`n_total`), in the same query: an export counts every row, not a page of them."""
    counts = {
        f"n_{status}": Count("proposals", filter=Q(proposals__status=status))
        for status in ProposalStatus.values
    }
    return offers.annotate(n_total=Count("proposals"), **counts)


def my_offers_columns() -> list[Column]:
    """ "Mes offres": the offer, its state, positions filled, a column per stage, closing."""
    stages = [
        Column(label, lambda offer, status=status: getattr(offer, f"n_{status}"))
        for status, label in ProposalStatus.choices
    ]
    return [
        Column(_("Offre"), offer_title),
        Column(_("État"), offer_state),
        Column(_("Postes pourvus"), positions_filled),
        *stages,
        Column(_("Clôture"), lambda offer: offer.closing_date),
    ]


REGION_OFFERS_COLUMNS = [
    Column(_("Offre"), offer_title),
    Column(_("Entreprise"), lambda offer: offer.company.name),
    Column(_("État"), offer_state),
    Column(_("Postes pourvus"), positions_filled),
    Column(_("Candidatures"), lambda offer: offer.n_total),
]

BROWSE_OFFERS_COLUMNS = [
    Column(_("Métier"), lambda offer: str(offer.job_role)),
    Column(_("Entreprise"), lambda offer: offer.company.name),
    Column(_("Contrat"), lambda offer: offer.get_contract_type_display()),
    Column(_("Heures"), lambda offer: offer.weekly_hours),
    Column(_("Lieu"), lambda offer: offer.place),
    Column(_("Début"), lambda offer: offer.start_date),
    Column(_("Postes ouverts"), lambda offer: offer.positions_open),
]


def board_rows(user, proposals):
    """(proposal, youth as `user` may see them: `proposal_youth_as_seen`, as on the
    board) for each proposal of the board, read in chunks."""
    for proposal in proposals.iterator(chunk_size=EXPORT_CHUNK):
        yield proposal, proposal_youth_as_seen(user, proposal)


def _profile(key):
    return lambda row: DASH if row[1].is_hidden else row[1].profile[key]


#: The board's cards, a row each: what a card shows, nothing more (no contact, no note).
BOARD_COLUMNS = [
    Column(_("Candidat·e"), lambda row: row[1].label),
    Column(_("Âge"), _profile("age")),
    Column(_("Étape du parcours"), _profile("pathway_stage")),
    Column(_("État"), lambda row: row[0].get_status_display()),
    Column(
        _("Motif du refus"),
        lambda row: "" if row[1].is_hidden else row[0].get_decline_reason_display(),
    ),
    Column(_("Proposée le"), lambda row: row[0].created_at.date()),
]


#: The mission locale's proposals (its own youths: their names, as on their files).
def proposal_list_columns(user) -> list[Column]:
    """ "Candidatures": each youth named as the page names them for this user."""
    return [
        Column(_("Jeune"), lambda proposal: proposal_youth_as_seen(user, proposal).label),
        *PROPOSAL_COLUMNS_AFTER_YOUTH,
    ]


PROPOSAL_COLUMNS_AFTER_YOUTH = [
    Column(_("Offre"), lambda proposal: offer_title(proposal.offer)),
    Column(_("Entreprise"), lambda proposal: proposal.offer.company.name),
    Column(
        _("Proposée par"),
        lambda proposal: proposal.proposed_by.get_full_name() if proposal.proposed_by else DASH,
    ),
    Column(_("Proposée le"), lambda proposal: proposal.created_at.date()),
    Column(_("État"), lambda proposal: proposal.get_status_display()),
    Column(_("Motif du refus"), lambda proposal: proposal.get_decline_reason_display()),
]
