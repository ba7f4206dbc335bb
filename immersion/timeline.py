"""What the immersion app adds to a youth's timeline (read by candidates.timeline):
their enrolments in sessions, with attendance, and their CAE contracts."""

from __future__ import annotations

from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.compiled_shapes import CompiledRows
from accounts.page_rows import choice_labels, url_for_each
from candidates.timeline import TimelineEntry, TimelinePart, part_read_apart, rows_part

from .enums import Attendance, EnrolmentStatus, HostAssessment, ProgrammeKind, SessionStatus
from .models import CaeContract, Enrolment


def youth_file_flags() -> dict[str, Exists]:
    """Whether the youth has enrolments and CAE contracts, asked in the youth's own
    query by `Youth.objects.with_file()`: the entries below skip the reads of empty sets."""
    return {
        "has_enrolments": Exists(Enrolment.objects.filter(youth_id=OuterRef("pk"))),
        "has_cae_contracts": Exists(CaeContract.objects.filter(youth_id=OuterRef("pk"))),
    }


#: What the timeline shows of each enrolment, its session and who enrolled the youth,
#: read as rows in a query compiled once (the models were read for a dozen columns).
ENROLMENT_ROW = (
    "pk",
    "status",
    "attendance",
    "host_assessment",
    "enrolled_by__first_name",
    "enrolled_by__last_name",
    "enrolled_by__email",
    "session_id",
    "session__kind",
    "session__title",
    "session__status",
    "session__starts_at",
    "session__host__name",
)
_enrolment_rows = CompiledRows(
    lambda youth_id: (
        Enrolment.objects.filter(youth_id=youth_id).order_by("pk").values_list(*ENROLMENT_ROW)
    )
)


def youth_timeline_parts(youth) -> list[TimelinePart]:
    """One entry per enrolment (dated on the session's day; read with the timeline's
    other rows) and per CAE contract (its start, and its outcome when recorded; read
    here, only for a youth who has some). Two queries whatever the number of rows."""
    return [
        rows_part(youth, _enrolment_rows, _enrolment_entries, unless_empty="has_enrolments"),
        part_read_apart(youth, _contract_entries),
    ]


def _enrolment_entries(enrolments: list[tuple]) -> list[TimelineEntry]:
    entries = []
    if enrolments:
        kinds = choice_labels(ProgrammeKind)
        statuses = choice_labels(EnrolmentStatus)
        attendances = choice_labels(Attendance)
        assessments = choice_labels(HostAssessment)
        url = url_for_each("immersion:session_detail")
    for (
        pk,
        status,
        attendance,
        host_assessment,
        enrolled_by_first_name,
        enrolled_by_last_name,
        enrolled_by_email,
        session_id,
        kind,
        title,
        session_status,
        starts_at,
        host,
    ) in enrolments:
        parts = [kinds.get(kind, kind), host]
        if session_status == SessionStatus.CANCELLED:
            parts.append(_("session annulée"))
        elif attendance:
            parts.append(attendances.get(attendance, attendance))
        else:
            parts.append(statuses.get(status, status))
        if host_assessment:
            parts.append(
                _("avis de l'entreprise : %(assessment)s")
                % {"assessment": assessments.get(host_assessment, host_assessment)}
            )
        # Who enrolled them as `str(user)`.
        enrolled_by = (
            f"{enrolled_by_first_name or ''} {enrolled_by_last_name or ''}".strip()
            or enrolled_by_email
        )
        entries.append(
            TimelineEntry(
                timezone.localdate(starts_at),
                "session",
                _("%(kind)s : %(title)s") % {"kind": _("Session"), "title": title},
                " · ".join(parts),
                enrolled_by or "",
                url=url(session_id),
                order=pk,
            )
        )
    return entries


def _contract_entries(youth) -> list[TimelineEntry]:
    entries = []
    contracts = (
        CaeContract.objects.filter(youth=youth).select_related("cohort")
        if getattr(youth, "has_cae_contracts", True)
        else ()
    )
    for contract in contracts:
        entries.append(
            TimelineEntry(
                contract.start_on,
                "session",
                _("Contrat CAE chez %(employer)s") % {"employer": contract.employer},
                _("Plateforme d'immersion %(year)s, du %(start)s au %(end)s, %(hours)s h/semaine")
                % {
                    "year": contract.cohort.year,
                    "start": contract.start_on.strftime("%d/%m/%Y"),
                    "end": contract.end_on.strftime("%d/%m/%Y"),
                    "hours": contract.weekly_hours,
                },
                order=contract.pk,
            )
        )
        if contract.outcome:
            entries.append(
                TimelineEntry(
                    contract.outcome_recorded_on or contract.end_on,
                    "session",
                    _("Fin du contrat CAE : %(outcome)s")
                    % {"outcome": contract.get_outcome_display()},
                    contract.outcome_note,
                    order=contract.pk,
                )
            )
    return entries
