"""The committees app's lists as spreadsheets, with the columns of their pages: "my
action items", a convention's commitments, a plan's progress by section and its items,
a meeting's attendance. Written by the portal's one export writer
(`reporting.exports.list_export`); no youth in any of them (staff and organisations only),
so none goes to the access log."""

from __future__ import annotations

from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from reporting.exports import Column

from .enums import AwarenessAudience, PlanSection

DASH = "—"

ACTION_ITEM_COLUMNS = [
    Column(_("Action"), lambda item: item.title),
    Column(_("Comité"), lambda item: str(item.committee)),
    Column(_("Échéance"), lambda item: item.due_on),
    Column(_("État"), lambda item: item.get_status_display()),
    Column(_("Plan d'action"), lambda item: item.plan_item.title if item.plan_item else DASH),
]


#: The committee's open action items (its page's list), the owner named.
COMMITTEE_ACTION_ITEM_COLUMNS = [
    Column(_("Action"), lambda item: item.title),
    Column(_("Responsable"), lambda item: str(item.owner) if item.owner else DASH),
    Column(_("Échéance"), lambda item: item.due_on),
    Column(_("État"), lambda item: item.get_status_display()),
]


def commitment_article(commitment):
    """The "Article" cell: its number, and "supplémentaire" for an Art. 19 addition."""
    if commitment.is_additional:
        return f"{commitment.article} · {_('supplémentaire')}"
    return commitment.article


def has_evidence(commitment) -> str:
    """The "Preuves" cell: whether a text, a link or a document backs the status."""
    if commitment.evidence_text or commitment.evidence_url or commitment.document_count:
        return str(_("Oui"))
    return DASH


COMMITMENT_COLUMNS = [
    Column(_("Article"), commitment_article),
    Column(_("Signataire"), lambda commitment: str(commitment.signatory)),
    Column(_("Engagement"), lambda commitment: commitment.text),
    Column(_("État"), lambda commitment: commitment.get_status_display()),
    Column(_("Preuves"), has_evidence),
]


def _percent_done() -> str:
    # The page's title: a template's msgid doubles its percent sign, and the translate tag
    # restores it once translated; the same here, so both read one catalogue entry.
    return gettext("%% réalisé").replace("%%", "%")


#: A row per section of `services.plan_progress`.
PLAN_PROGRESS_COLUMNS = [
    Column(_("Section"), lambda row: str(row["label"])),
    Column(_("Actions"), lambda row: row["total"]),
    Column(_("Réalisées"), lambda row: row["done"]),
    Column(_("En retard"), lambda row: row["overdue"]),
    Column(lazy(_percent_done, str)(), lambda row: row["percent"]),
]


def plan_sections(items) -> list[dict]:
    """The plan's items by section of Annex 2, in the sections' order, each section's
    items by audience (none first) then position: the plan's page and its export."""
    audience_rank = {value: rank for rank, value in enumerate(["", *AwarenessAudience.values])}
    items = list(items)
    return [
        {
            "value": value,
            "label": label,
            "items": sorted(
                (item for item in items if item.section == value),
                key=lambda item: audience_rank[item.audience],
            ),
        }
        for value, label in PlanSection.choices
    ]


def plan_item_action(item) -> str:
    """The "Action" cell: the audience of an awareness action, then its title."""
    if item.audience:
        return f"{item.get_audience_display()} · {item.title}"
    return item.title


def plan_item_target(item):
    if not item.indicator_key:
        return DASH
    return f"{item.indicator_target} · {item.get_indicator_key_display()}"


#: The plan's items, a row each, its section first (the page shows a table per section).
PLAN_ITEM_COLUMNS = [
    Column(_("Section"), lambda item: item.get_section_display()),
    Column(_("Action"), plan_item_action),
    Column(
        _("Responsable"),
        lambda item: str(item.owner_organisation) if item.owner_organisation else DASH,
    ),
    Column(_("Échéance"), lambda item: item.due_on),
    Column(_("État"), lambda item: item.get_status_display()),
    Column(_("Cible"), plan_item_target),
    Column(_("Notes"), lambda item: item.note_count),
]

ATTENDANCE_COLUMNS = [
    Column(_("Personne"), lambda attendance: str(attendance.user)),
    Column(_("Présence"), lambda attendance: attendance.get_status_display()),
]
