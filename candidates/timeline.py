"""The youth's timeline: every pathway event, note, assessment, check-in, mentoring
pair and VAE project, newest first, plus what other apps add.

The timeline is made of parts (`TimelinePart`): a statement to read, and what makes
the part's entries of its rows. The parts' statements go to PostgreSQL together
(`accounts.compiled_shapes.run_together`), with the page's other reads when the page
has some. Other apps contribute by defining, in `<app>/timeline.py`,
`def youth_timeline_parts(youth) -> list[TimelinePart]` (their enrolments, proposals):
the timeline asks every app that has one (accounts.discovery).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from html import escape

from django.db import DEFAULT_DB_ALIAS
from django.db.models import prefetch_related_objects
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import normalize_newlines
from django.utils.translation import gettext as _

from accounts.compiled_shapes import CompiledRows, Statement, run_together
from accounts.discovery import app_modules
from accounts.page_rows import choice_labels

from .enums import ExitReason, PathwayStage
from .models import PathwayEvent, holds_file, youth_file_prefetches


@dataclass(frozen=True)
class TimelineEntry:
    day: date
    kind: str  # a CSS-friendly word: "stage", "note", "assessment", ...
    title: str
    text: str = ""
    author: str = ""
    url: str = ""
    order: float = 0  # tie-break within a day (a timestamp): higher comes first


#: What the timeline shows of the pathway's events, read as plain rows in a query
#: compiled once: every youth has a pathway, and its models were read for five columns.
PATHWAY_ROW = (
    "stage",
    "occurred_on",
    "note",
    "exit_reason",
    "source",
    "created_at",
    "author__first_name",
    "author__last_name",
    "author__email",
)
_pathway_rows = CompiledRows(
    # In the events' own order (day, then recording), as their related set had them.
    lambda youth_id: PathwayEvent.objects.filter(youth_id=youth_id).values_list(*PATHWAY_ROW)
)


@dataclass(frozen=True)
class TimelinePart:
    """One read of a youth's timeline. `statement`: its query (None when there is
    nothing to read, or when `entries` reads a rarely filled set itself); `entries`:
    the part's entries, given the statement's rows (none for None)."""

    statement: Statement | None
    entries: Callable[[list[tuple]], list[TimelineEntry]]


def timeline_parts(youth) -> list[TimelinePart]:
    """The parts of `youth`'s timeline: the pathway (one query, as rows), the file's
    other sets, then each other app's parts. Each set of the file is read once and only
    if `youth` does not hold it yet: a youth from `Youth.objects.with_file()` after
    `load_file` costs no query here, and the youth's page reads the same loaded sets.
    Sets loaded here stay on `youth`."""
    if not holds_file(youth):
        prefetch_related_objects([youth], *youth_file_prefetches())
    parts = [
        rows_part(youth, _pathway_rows, _pathway_entries),
        part_read_apart(youth, _file_entries),
    ]
    for module in app_modules("timeline"):
        if module.__name__ != __name__:  # this module is the candidate pool's own
            parts.extend(module.youth_timeline_parts(youth))
    return parts


def rows_part(
    youth,
    rows: CompiledRows,
    entries: Callable[[list[tuple]], list[TimelineEntry]],
    *,
    unless_empty: str | None = None,
) -> TimelinePart:
    """A part read as the rows of `rows(youth.pk)`; with `unless_empty`, the youth's
    `has_<set>` flag (`Youth.objects.with_file()`): nothing to read when it says the set
    is empty (a youth without it is read)."""
    if unless_empty is not None and not getattr(youth, unless_empty, True):
        return TimelinePart(None, entries)
    using = youth._state.db or DEFAULT_DB_ALIAS
    return TimelinePart(rows.statement_for(youth.pk, using=using), entries)


def part_read_apart(youth, entries: Callable[..., list[TimelineEntry]]) -> TimelinePart:
    """A part whose `entries(youth)` reads what it shows itself (a set rarely filled,
    read only for a youth who has some)."""
    return TimelinePart(None, lambda _rows: entries(youth))


def read_parts(
    parts: Sequence[TimelinePart], rows: Sequence[list[tuple]] | None = None
) -> list[TimelineEntry]:
    """The entries of `parts`, in the parts' order; `rows`: their statements' rows,
    read by the caller with its page's other reads, else read here together."""
    if rows is None:
        rows = run_together(*(part.statement for part in parts))
    return [entry for part, found in zip(parts, rows, strict=True) for entry in part.entries(found)]


def newest_first(entries: list[TimelineEntry]) -> list[TimelineEntry]:
    return sorted(entries, key=lambda e: (e.day, e.order), reverse=True)


def build_timeline(youth) -> list[TimelineEntry]:
    """All entries of `youth`, newest first: its parts read together."""
    return newest_first(read_parts(timeline_parts(youth)))


def _pathway_entries(rows: list[tuple]) -> list[TimelineEntry]:
    entries: list[TimelineEntry] = []
    stages = choice_labels(PathwayStage)
    exit_reasons = choice_labels(ExitReason)
    for (
        stage,
        occurred_on,
        note,
        exit_reason,
        source,
        created_at,
        author_first_name,
        author_last_name,
        author_email,
    ) in rows:
        text = note
        if exit_reason:
            text = f"{exit_reasons.get(exit_reason, exit_reason)}. {text}".strip()
        if source:
            text = f"{text} ({_('origine')} : {source})".strip()
        # The author as `str(user)`.
        author = f"{author_first_name or ''} {author_last_name or ''}".strip() or author_email
        entries.append(
            TimelineEntry(
                occurred_on,
                "stage",
                _("Étape : %(stage)s") % {"stage": stages.get(stage, stage)},
                text,
                author or "",
                order=created_at.timestamp(),
            )
        )
    return entries


def _file_entries(youth) -> list[TimelineEntry]:
    """The entries of the file's sets `youth` holds (its notes, assessments...)."""
    entries: list[TimelineEntry] = []
    for note in youth.follow_up_notes.all():
        text = note.summary
        if note.next_appointment_on:
            text += " — " + _("prochain rendez-vous le %(day)s") % {
                "day": note.next_appointment_on.strftime("%d/%m/%Y")
            }
        entries.append(
            TimelineEntry(
                note.met_on,
                "note",
                _("Entretien (%(channel)s)") % {"channel": note.get_channel_display()},
                text,
                str(note.author or ""),
                order=note.created_at.timestamp(),
            )
        )
    for assessment in youth.assessments.all():
        entries.append(
            TimelineEntry(
                assessment.assessed_on,
                "assessment",
                _("Évaluation : %(outcome)s") % {"outcome": assessment.get_outcome_display()},
                _("%(method)s, moyenne %(avg)s / 5. %(comment)s")
                % {
                    "method": assessment.get_method_display(),
                    "avg": assessment.average,
                    "comment": assessment.comment,
                },
                str(assessment.assessor or ""),
                order=assessment.created_at.timestamp(),
            )
        )
    for check_in in youth.check_ins.all():
        if check_in.is_planned:
            continue
        entries.append(
            TimelineEntry(
                check_in.done_on or check_in.due_on,
                "check_in",
                _("Suivi en entreprise à %(months)s mois : %(status)s")
                % {"months": check_in.months_after, "status": check_in.get_status_display()},
                " ".join(filter(None, [check_in.get_outcome_display(), check_in.note])),
                str(check_in.recorded_by or ""),
                order=check_in.pk,
            )
        )
    for pair in youth.mentoring_pairs.all():
        entries.append(
            TimelineEntry(
                pair.started_on,
                "mentoring",
                _("Parrainage avec %(mentor)s") % {"mentor": pair.mentor},
                order=pair.created_at.timestamp(),
            )
        )
        for meeting in pair.meetings.all():
            entries.append(
                TimelineEntry(
                    meeting.met_on,
                    "mentoring",
                    _("Rencontre avec %(mentor)s") % {"mentor": pair.mentor},
                    meeting.note,
                    order=meeting.created_at.timestamp(),
                )
            )
        if pair.ended_on:
            entries.append(
                TimelineEntry(
                    pair.ended_on,
                    "mentoring",
                    _("Fin du parrainage avec %(mentor)s") % {"mentor": pair.mentor},
                    pair.end_reason,
                    order=pair.created_at.timestamp(),
                )
            )
    for project in youth.vae_projects.all():
        entries.append(
            TimelineEntry(
                project.started_on,
                "vae",
                _("Projet VAE : %(cert)s (%(status)s)")
                % {"cert": project.certification, "status": project.get_status_display()},
                project.note,
                order=project.created_at.timestamp(),
            )
        )
    for transfer in youth.transfers.all():
        entries.append(
            TimelineEntry(
                transfer.moved_on,
                "transfer",
                _("Transfert de %(from)s vers %(to)s")
                % {"from": transfer.from_mission_locale, "to": transfer.to_mission_locale},
                transfer.reason,
                order=transfer.pk,
            )
        )
    return entries


# An entry of the youth's page: its day, its author, its title (a link when it has a
# page) and its text, as `candidates/youth_detail.html` wrote them with a loop.
ROW = (
    '<li class="timeline-entry timeline-{kind}">'
    '<p class="mb-0 small text-body-secondary"><time datetime="{iso}">{day}</time>{author}</p>'
    '<p class="mb-0 fw-semibold">{title}</p>{text}</li>'
)


def timeline_rows(entries: list[TimelineEntry]) -> SafeString:
    """The `<li>` of each entry, written once for the page rather than through the
    template's loop (two dates, four conditions and `linebreaksbr` an entry; a file
    holds dozens). Every value is escaped as the template's autoescape did (Django's
    `escape` is `html.escape`); the text keeps its line breaks as `<br>`, as
    `linebreaksbr` wrote them."""
    if not entries:
        # As `{% translate %}` wrote it: a catalogue's text, not escaped.
        nothing = _("Rien pour l'instant.")
        return mark_safe(f"<li>{nothing}</li>")  # noqa: S308
    written = []
    for entry in entries:
        day = entry.day
        title = escape(entry.title)
        written.append(
            ROW.format(
                kind=escape(entry.kind),
                iso=f"{day.year:04d}-{day.month:02d}-{day.day:02d}",
                day=f"{day.day:02d}/{day.month:02d}/{day.year:04d}",
                author=f" · {escape(entry.author)}" if entry.author else "",
                title=f'<a href="{escape(entry.url)}">{title}</a>' if entry.url else title,
                text=f'<p class="mb-0">{_lines(entry.text)}</p>' if entry.text else "",
            )
        )
    return mark_safe("".join(written))  # noqa: S308


def _lines(text: str) -> str:
    """`text|linebreaksbr`: escaped, each line break (CRLF, CR or LF) a `<br>`."""
    return escape(normalize_newlines(text)).replace("\n", "<br>")
