"""The audit trail's pages: a youth's history of changes (advisors and managers of the
youth's mission locale), and the mission locale's trail filtered by youth, user, path
and days (its managers and admins)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.pagination import filters_query
from accounts.scope import get_scope
from candidates.access_log import record_access
from candidates.enums import AccessKind
from candidates.models import Youth
from candidates.permissions import can_see_youth_file
from candidates.views.common import require_pool
from reporting.exports import FORMATS as EXPORT_FORMATS
from reporting.exports import CountedRows, export_response

from .display import describe, object_label, plain_text
from .forms import AuditTrailFilterForm
from .models import AuditEntry
from .permissions import can_read_audit_trail, can_see_youth_history

PAGE_SIZE = 50


def _youth_cells(user, rows) -> list[dict]:
    """The youth column of the trail: named and linked only for whom may open the file
    today (a youth since transferred is "Jeune n°12" to the former mission locale)."""
    cells = []
    for row in rows:
        youth = row.entry.youth
        if youth is None:
            label = _("Jeune n°%(id)s") % {"id": row.entry.youth_id} if row.entry.youth_id else ""
            cells.append({"row": row, "youth_label": label, "youth_url": ""})
        elif can_see_youth_file(user, youth):
            url = reverse("audit:youth_history", args=[youth.pk])
            cells.append({"row": row, "youth_label": str(youth), "youth_url": url})
        else:
            label = _("Jeune n°%(id)s") % {"id": youth.pk}
            cells.append({"row": row, "youth_label": label, "youth_url": ""})
    return cells


def _trail(request, entries, *, youth: Youth | None):
    """The filtered, paginated trail of `entries` (already scoped): the actors for the
    filter, the count, one page and the names its changes cite, a fixed number of
    queries whatever the page holds."""
    actors = User.objects.filter(pk__in=entries.values("actor_id")).order_by(
        "last_name", "first_name", "pk"
    )
    form = AuditTrailFilterForm(request.GET or None, actors=actors, with_youth=youth is None)
    page = Paginator(form.filter(entries).for_list(), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "youth": youth,
        "form": form,
        "page": page,
        "rows": _youth_cells(request.user, describe(page)),
        "query": filters_query(request),
    }
    return render(request, "audit/trail.html", context)


def youth_history(request, pk: int):
    """Every change of a youth's file and of what hangs on it (pathway, notes,
    proposals, enrolments...): who, when, which field from what to what, and how."""
    require_pool(request.user)
    youth = get_object_or_404(
        Youth.objects.visible_to(request.user).select_related("mission_locale"), pk=pk
    )
    if not can_see_youth_history(request.user, youth):
        raise PermissionDenied
    record_access(user=request.user, kind=AccessKind.YOUTH_FILE, youth=youth, request=request)
    return _trail(request, AuditEntry.objects.about_youth(youth.pk), youth=youth)


def audit_trail(request):
    """The trail of the mission locale(s) the user manages (all of it for an admin)."""
    if not can_read_audit_trail(request.user):
        raise PermissionDenied(_("La piste d'audit est réservée aux responsables."))
    return _trail(request, AuditEntry.objects.visible_to(request.user), youth=None)


#: Entries read per query while an export is written.
EXPORT_CHUNK = 2000


def _export_rows(entries):
    """The trail as a spreadsheet: a header, then one row per entry (foreign keys by
    their id: the file is written in a fixed number of queries, whatever its size)."""
    yield [
        _("Date"),
        _("Par"),
        _("Chemin"),
        _("Numéro du jeune"),
        _("Élément"),
        _("Ce qui a changé"),
        _("Motif"),
    ]
    for entry in entries.select_related("actor").iterator(chunk_size=EXPORT_CHUNK):
        yield [
            entry.timestamp,
            str(entry.actor) if entry.actor else _("Le portail"),
            entry.get_path_display(),
            entry.youth_id,
            object_label(entry),
            plain_text(entry),
            entry.reason,
        ]


def audit_trail_export(request, fmt: str):
    """The filtered trail as CSV or XLSX, for the same people as the page; the export
    is recorded in the access log with its row count."""
    if not can_read_audit_trail(request.user):
        raise PermissionDenied(_("La piste d'audit est réservée aux responsables."))
    if fmt not in EXPORT_FORMATS:
        raise Http404
    entries = AuditEntry.objects.visible_to(request.user)
    actors = User.objects.filter(pk__in=entries.values("actor_id"))
    form = AuditTrailFilterForm(request.GET or None, actors=actors)
    rows = CountedRows(_export_rows(form.filter(entries)))
    stamp = timezone.localdate().strftime("%Y-%m-%d")
    response = export_response(
        rows, fmt=fmt, filename=f"piste-d-audit-{stamp}", sheet_title=_("Piste d'audit")
    )
    managed = get_scope(request.user).managed_mission_locale_ids
    record_access(
        user=request.user,
        kind=AccessKind.LIST_EXPORT,
        rows=rows.count,
        mission_locale_id=next(iter(managed)) if len(managed) == 1 else None,
        request=request,
    )
    return response
