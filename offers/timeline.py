"""The offers' contribution to a youth's timeline (asked by candidates.timeline): each
proposal and each move of it, and the employment a hiring recorded."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.compiled_shapes import CompiledRows
from accounts.page_rows import choice_labels, url_for_each
from candidates.timeline import TimelineEntry, TimelinePart, part_read_apart, rows_part

from .enums import DeclineReason, ProposalStatus
from .models import Employment, Offer, Proposal, ProposalTransition


def youth_file_flags() -> dict[str, Exists]:
    """Whether the youth has proposals and employments, asked in the youth's own query
    by `Youth.objects.with_file()`: the entries below skip the reads of empty sets."""
    return {
        "has_proposals": Exists(Proposal.objects.filter(youth_id=OuterRef("pk"))),
        "has_employments": Exists(Employment.objects.filter(youth_id=OuterRef("pk"))),
    }


# What the timeline shows of each move of a proposal, read as plain rows: the entries
# need a dozen columns of five tables, not the models (a hundred columns, an instance each).
TRANSITION_ROW = (
    "pk",
    "created_at",
    "from_status",
    "to_status",
    "reason",
    "actor__first_name",
    "actor__last_name",
    "actor__email",
    "proposal_id",
    "proposal__decline_reason",
    "job_role_name",
    "company_name",
)


def _offer_column(path: str) -> Subquery:
    """A column of the move's offer (its job role's name, its company's), read by a
    subquery of its own: joined with the three tables of the move, the offer and its job
    role and company made a six-table join that PostgreSQL took twice as long to plan
    (0.35 ms against 0.17) as the whole query takes to run. The offer, its job role and
    company are required: each move has exactly one of each."""
    return Subquery(Offer.objects.filter(pk=OuterRef("proposal__offer_id")).order_by().values(path))


_transition_rows = CompiledRows(
    lambda youth_id: (
        ProposalTransition.objects.filter(proposal__youth_id=youth_id)
        .annotate(
            job_role_name=_offer_column("job_role__name"),
            company_name=_offer_column("company__name"),
        )
        .order_by("created_at", "pk")
        .values_list(*TRANSITION_ROW)
    )
)


def youth_timeline_parts(youth) -> list[TimelinePart]:
    """The moves of the youth's proposals (read with the timeline's other rows), then
    their employments (read here, only for a youth who has some)."""
    return [
        rows_part(youth, _transition_rows, _transition_entries, unless_empty="has_proposals"),
        part_read_apart(youth, _employment_entries),
    ]


def _transition_entries(transitions: list[tuple]) -> list[TimelineEntry]:
    entries = []
    if transitions:
        statuses = choice_labels(ProposalStatus)
        decline_reasons = choice_labels(DeclineReason)
        proposal_url = url_for_each("offers:proposal_detail")
    for (
        pk,
        created_at,
        from_status,
        to_status,
        reason,
        actor_first_name,
        actor_last_name,
        actor_email,
        proposal_id,
        decline_reason,
        job_role,
        company,
    ) in transitions:
        # The offer as `str(offer)`, the actor as `str(user)`.
        offer = _("%(role)s · %(company)s") % {"role": job_role, "company": company}
        if from_status:
            title = _("Candidature %(offer)s : %(status)s") % {
                "offer": offer,
                "status": statuses.get(to_status, to_status),
            }
        else:
            title = _("Proposé(e) à l'offre %(offer)s") % {"offer": offer}
        text = reason
        if to_status == ProposalStatus.DECLINED and decline_reason:
            label = decline_reasons.get(decline_reason, decline_reason)
            text = " ".join(filter(None, [label + ".", text]))
        actor = f"{actor_first_name or ''} {actor_last_name or ''}".strip() or actor_email or ""
        entries.append(
            TimelineEntry(
                timezone.localtime(created_at).date(),
                "proposal",
                title,
                text,
                actor,
                url=proposal_url(proposal_id),
                order=pk,
            )
        )
    return entries


def _employment_entries(youth) -> list[TimelineEntry]:
    entries = []
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
