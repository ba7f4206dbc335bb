"""What the youth's pages read, each in a fixed number of queries whatever the rows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlencode

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from candidates.enums import PathwayStage
from candidates.models import ConsentRecord, PathwayEvent
from candidates.personal_data_registry import holdings
from immersion.models import Enrolment
from offers.enums import ProposalStatus
from offers.models import Proposal

from .enums import Answer
from .models import SessionAnswer


@dataclass(frozen=True)
class StageRow:
    label: str
    reached_on: object
    is_current: bool
    is_reached: bool


def pathway_of(youth) -> list[StageRow]:
    """The pathway's stages in order, each with the day it was last reached (one
    query); an exit shows as the last row."""
    reached: dict[str, object] = {}
    for stage, day in (
        PathwayEvent.objects.filter(youth_id=youth.pk)
        .chronological()
        .values_list("stage", "occurred_on")
    ):
        reached[stage] = day
    order = list(PathwayStage.forward())
    current = youth.current_stage
    current_index = order.index(current) if current in order else len(order)
    rows = [
        StageRow(
            label=str(stage.label),
            reached_on=reached.get(stage),
            is_current=stage == current,
            is_reached=index <= current_index or stage in reached,
        )
        for index, stage in enumerate(order)
    ]
    if current == PathwayStage.EXIT:
        rows.append(
            StageRow(str(PathwayStage.EXIT.label), reached.get(PathwayStage.EXIT), True, True)
        )
    return rows


def map_url(session) -> str:
    """A map of the session's place (OpenStreetMap's search: no key, no tracking)."""
    return "https://www.openstreetmap.org/search?" + urlencode(
        {"query": f"{session.place}, {session.city}"}
    )


@dataclass(frozen=True)
class SessionRow:
    enrolment: Enrolment
    session: object
    answer: SessionAnswer | None
    map_url: str
    is_upcoming: bool
    can_answer: bool

    @property
    def said_coming(self) -> bool:
        """The youth's latest answer is "Je serai là": only the other button is left."""
        return self.answer is not None and self.answer.answer == Answer.COMING


def sessions_of(youth) -> list[SessionRow]:
    """The youth's enrolments (confirmed or waiting, and the cancelled ones of the
    last days), soonest first, each with its latest answer (two queries)."""
    now = timezone.now()
    enrolments = (
        Enrolment.objects.filter(youth_id=youth.pk)
        .select_related("session__host")
        .prefetch_related(
            Prefetch(
                "youth_answers", queryset=SessionAnswer.objects.order_by("-answered_at", "-pk")
            )
        )
        .order_by("session__starts_at", "pk")
    )
    rows = []
    for enrolment in enrolments:
        session = enrolment.session
        answers = list(enrolment.youth_answers.all())
        upcoming = session.ends_at >= now
        rows.append(
            SessionRow(
                enrolment=enrolment,
                session=session,
                answer=answers[0] if answers else None,
                map_url=map_url(session),
                is_upcoming=upcoming,
                can_answer=enrolment.is_active and not session.has_started and session.is_enrolling,
            )
        )
    return rows


@dataclass(frozen=True)
class ProposalRow:
    role: str
    company: str
    city: str
    proposed_on: datetime
    status_text: str
    place: str
    video_link: str
    tone: str


def _status_in_plain_words(proposal: Proposal) -> tuple[str, str]:
    """The proposal's status as the youth reads it, and its colour."""
    status = proposal.status
    if status in (ProposalStatus.PROPOSED, ProposalStatus.SEEN):
        return _("Proposée à l'entreprise"), "secondary"
    if status == ProposalStatus.INTERVIEW:
        if proposal.interview_at:
            moment = timezone.localtime(proposal.interview_at)
            return _("Entretien prévu le %(day)s à %(time)s") % {
                "day": date_format(moment, "d/m/Y"),
                "time": date_format(moment, "H:i"),
            }, "primary"
        return _("Entretien à venir"), "primary"
    if status == ProposalStatus.HIRED:
        return _("Retenue : vous êtes embauché(e)"), "success"
    if status == ProposalStatus.DECLINED:
        return _("Non retenue"), "dark"
    return _("Retirée"), "dark"


def proposals_of(youth) -> list[ProposalRow]:
    """The offers the youth was proposed to, in plain words (one query). Neither the
    advisor's note nor the company's reasons are read."""
    rows = []
    for proposal in (
        Proposal.objects.filter(youth_id=youth.pk)
        .select_related("offer__company", "offer__job_role")
        .order_by("-created_at", "-pk")
    ):
        text, tone = _status_in_plain_words(proposal)
        interview = proposal.status == ProposalStatus.INTERVIEW
        rows.append(
            ProposalRow(
                role=str(proposal.offer.job_role),
                company=proposal.offer.company.name,
                city=proposal.offer.city,
                proposed_on=proposal.created_at,
                status_text=text,
                place=proposal.interview_place if interview else "",
                video_link=proposal.interview_link if interview else "",
                tone=tone,
            )
        )
    return rows


@dataclass(frozen=True)
class DataSummary:
    sections: list
    consent_records: list


def data_summary_of(youth) -> DataSummary:
    """Each section of the subject export with its number of rows (one COUNT per
    registered model, a fixed number; the rows themselves are read by the download
    only), and the consent's history."""
    counted = ((holding.title, holding.rows_of(youth.pk).count()) for holding in holdings())
    return DataSummary(
        sections=[(str(title), n) for title, n in counted if n],
        consent_records=list(
            ConsentRecord.objects.filter(youth_id=youth.pk).order_by("-at", "-pk")[:10]
        ),
    )
