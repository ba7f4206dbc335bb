"""The access log's pages, for mission locale managers and admins: every reading of
one youth's data ("Consulté par", in full), and the journal of their mission locale
with its filters. Writing the log is `access_log.record_access`, called by the pages
that show the data."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.pagination import filters_query

from ..access_log import AccessLogEntry
from ..forms import AccessLogFilterForm
from ..models import Youth
from ..permissions import can_read_access_log, can_see_access_log, can_see_youth_file
from .common import require_pool

PAGE_SIZE = 50


@dataclass(frozen=True)
class JournalRow:
    """One entry as the journal shows it: the youth named only to whom may see their
    file today (a youth since transferred elsewhere is "Jeune n°12" to the former
    mission locale)."""

    entry: AccessLogEntry
    youth_label: str
    youth_url: str


def _row(user, entry: AccessLogEntry) -> JournalRow:
    youth = entry.youth
    if youth is None:
        label = _("Jeune n°%(id)s") % {"id": entry.youth_id} if entry.youth_id else ""
        return JournalRow(entry, label, "")
    if can_see_youth_file(user, youth):
        return JournalRow(entry, str(youth), reverse("candidates:youth_detail", args=[youth.pk]))
    return JournalRow(entry, _("Jeune n°%(id)s") % {"id": youth.pk}, "")


def _journal(request, entries, *, youth: Youth | None):
    """The filtered, paginated journal of `entries` (already scoped to the user): the
    readers for the filter, the count and one page, a fixed number of queries."""
    readers = User.objects.filter(pk__in=entries.values("user_id")).order_by(
        "last_name", "first_name", "pk"
    )
    form = AccessLogFilterForm(request.GET or None, readers=readers)
    page = Paginator(form.filter(entries).for_list(), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "youth": youth,
        "form": form,
        "page": page,
        "rows": [_row(request.user, entry) for entry in page],
        "query": filters_query(request),
    }
    return render(request, "candidates/access_log.html", context)


def access_log(request):
    """The access journal of the mission locale(s) the user manages (every entry for
    an admin), filtered by reader, kind of access and days."""
    if not can_read_access_log(request.user):
        raise PermissionDenied(_("Le journal des accès est réservé aux responsables."))
    return _journal(request, AccessLogEntry.objects.visible_to(request.user), youth=None)


def youth_access_log(request, pk: int):
    """Every reading of one youth's data, for the managers of their mission locale:
    the full list behind "Consulté par" on the youth's page."""
    require_pool(request.user)
    youth = get_object_or_404(
        Youth.objects.visible_to(request.user).select_related("mission_locale"), pk=pk
    )
    if not can_see_access_log(request.user, youth):
        raise PermissionDenied(_("Le journal des accès est réservé aux responsables."))
    entries = AccessLogEntry.objects.visible_to(request.user).filter(youth=youth)
    return _journal(request, entries, youth=youth)
