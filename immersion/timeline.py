"""What the immersion app adds to a youth's timeline (read by candidates.timeline):
their enrolments in sessions, with attendance, and their CAE contracts."""

from __future__ import annotations

from django.db.models import Exists, OuterRef
from django.utils.translation import gettext as _

from candidates.timeline import TimelineEntry

from .models import CaeContract, Enrolment


def youth_file_flags() -> dict[str, Exists]:
    """Whether the youth has enrolments and CAE contracts, asked in the youth's own
    query by `Youth.objects.with_file()`: the entries below skip the reads of empty sets."""
    return {
        "has_enrolments": Exists(Enrolment.objects.filter(youth_id=OuterRef("pk"))),
        "has_cae_contracts": Exists(CaeContract.objects.filter(youth_id=OuterRef("pk"))),
    }


def youth_timeline_entries(youth) -> list[TimelineEntry]:
    """One entry per enrolment (dated on the session's day) and per CAE contract (its
    start, and its outcome when recorded). Two queries whatever the number of rows."""
    entries = []
    enrolments = (
        Enrolment.objects.filter(youth=youth)
        .select_related("session", "session__host", "enrolled_by")
        .order_by("pk")
        if getattr(youth, "has_enrolments", True)
        else ()
    )
    for enrolment in enrolments:
        session = enrolment.session
        parts = [session.get_kind_display(), str(session.host)]
        if session.is_cancelled:
            parts.append(_("session annulée"))
        elif enrolment.attendance:
            parts.append(enrolment.get_attendance_display())
        else:
            parts.append(enrolment.get_status_display())
        if enrolment.host_assessment:
            parts.append(
                _("avis de l'entreprise : %(assessment)s")
                % {"assessment": enrolment.get_host_assessment_display()}
            )
        entries.append(
            TimelineEntry(
                session.start_day,
                "session",
                _("%(kind)s : %(title)s") % {"kind": _("Session"), "title": session.title},
                " · ".join(parts),
                str(enrolment.enrolled_by or ""),
                url=session_url(session),
                order=enrolment.pk,
            )
        )
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


def session_url(session) -> str:
    from django.urls import reverse

    return reverse("immersion:session_detail", args=[session.pk])
