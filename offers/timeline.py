"""The offers' contribution to a youth's timeline (asked by candidates.timeline): each
proposal and each move of it, and the employment a hiring recorded."""

from __future__ import annotations

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from candidates.timeline import TimelineEntry

from .enums import ProposalStatus
from .models import Employment, Proposal, ProposalTransition


def youth_file_flags() -> dict[str, Exists]:
    """Whether the youth has proposals and employments, asked in the youth's own query
    by `Youth.objects.with_file()`: the entries below skip the reads of empty sets."""
    return {
        "has_proposals": Exists(Proposal.objects.filter(youth_id=OuterRef("pk"))),
        "has_employments": Exists(Employment.objects.filter(youth_id=OuterRef("pk"))),
    }


def youth_timeline_entries(youth) -> list[TimelineEntry]:
    entries = []
    transitions = (
        ProposalTransition.objects.filter(proposal__youth=youth)
        .select_related("proposal__offer__company", "proposal__offer__job_role", "actor")
        .order_by("created_at", "pk")
        if getattr(youth, "has_proposals", True)
        else ()
    )
    for transition in transitions:
        proposal = transition.proposal
        offer = proposal.offer
        if transition.from_status:
            title = _("Candidature %(offer)s : %(status)s") % {
                "offer": offer,
                "status": transition.get_to_status_display(),
            }
        else:
            title = _("Proposé(e) à l'offre %(offer)s") % {"offer": offer}
        text = transition.reason
        if transition.to_status == ProposalStatus.DECLINED and proposal.decline_reason:
            text = " ".join(filter(None, [proposal.get_decline_reason_display() + ".", text]))
        entries.append(
            TimelineEntry(
                timezone.localtime(transition.created_at).date(),
                "proposal",
                title,
                text,
                str(transition.actor or ""),
                url=reverse("offers:proposal_detail", args=[proposal.pk]),
                order=transition.pk,
            )
        )
    employments = (
        Employment.objects.filter(youth=youth).select_related("company")
        if getattr(youth, "has_employments", True)
        else ()
    )
    for employment in employments:
        entries.append(
            TimelineEntry(
                employment.start_date,
                "employment",
                _("Contrat %(contract)s chez %(company)s")
                % {
                    "contract": employment.get_contract_type_display(),
                    "company": employment.company,
                },
                _("Début le %(day)s, %(hours)s h par semaine.")
                % {
                    "day": employment.start_date.strftime("%d/%m/%Y"),
                    "hours": employment.weekly_hours,
                },
                order=employment.pk,
            )
        )
    return entries
