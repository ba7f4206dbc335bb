"""Import of a spreadsheet: upload, the field of each column, preview with every
refused row and the flags of the others, confirmation."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import BooleanField, Case, Value, When
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRefresh

from accounts.announce import announce

from ..enums import EducationLevel, ImportStatus
from ..forms import ImportUploadForm
from ..forms_import import ImportColumnsForm, ImportConfirmForm
from ..import_columns import FIELDS
from ..import_confirm import (
    STALLED_AFTER,
    confirmation_stalled,
    progress_of,
    queue_confirmation,
    refusal_of,
)
from ..importing import MAX_BYTES, ImportFileError, map_columns, start_import
from ..models import ImportBatch, Youth
from ..permissions import can_register_youths_in
from ..services import mission_locale_advisors
from .common import require_pool, user_mission_locales

EDUCATION_LABELS = dict(EducationLevel.choices)
#: Rows shown per page in each table of the preview: a file may hold 50,000 rows, the
#: page stays the same size whatever the file (the counts give the whole).
PREVIEW_PAGE_SIZE = 100


def import_upload(request):
    require_pool(request.user)
    mission_locales = user_mission_locales(request.user)
    form = ImportUploadForm(
        request.POST or None, request.FILES or None, mission_locales=mission_locales
    )
    if request.method == "POST" and form.is_valid():
        mission_locale = form.cleaned_data["mission_locale"]
        if not can_register_youths_in(request.user, mission_locale.pk):
            raise PermissionDenied
        upload = form.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            form.add_error(
                "file",
                _("Le fichier dépasse %(mb)s Mo : découpez-le en plusieurs fichiers.")
                % {"mb": MAX_BYTES // (1024 * 1024)},
            )
        else:
            try:
                batch = start_import(
                    mission_locale=mission_locale,
                    actor=request.user,
                    file_name=upload.name,
                    data=upload.read(),
                )
            except ImportFileError as exc:
                form.add_error("file", str(exc))
            else:
                return redirect("candidates:import_columns", pk=batch.pk)
    return render(
        request,
        "candidates/import_upload.html",
        {"form": form, "columns": FIELDS.values()},
    )


def _visible_batch(request, pk: int) -> ImportBatch:
    require_pool(request.user)
    batch = get_object_or_404(ImportBatch.objects.select_related("mission_locale"), pk=pk)
    if not can_register_youths_in(request.user, batch.mission_locale_id):
        raise Http404
    return batch


def import_columns(request, pk: int):
    """Step two: the field of each column, as proposed or changed."""
    batch = _visible_batch(request, pk)
    # A confirmed import, or one previewed before this step existed (no cells kept),
    # has no columns left to choose.
    if not (batch.is_mapping or batch.is_previewed) or not batch.source_rows:
        return redirect("candidates:import_preview", pk=batch.pk)
    form = ImportColumnsForm(request.POST or None, batch=batch)
    if request.method == "POST" and form.is_valid():
        try:
            map_columns(batch=batch, actor=request.user, columns=form.cleaned_data["columns"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return redirect("candidates:import_preview", pk=batch.pk)
    return render(
        request,
        "candidates/import_columns.html",
        {"batch": batch, "form": form, "rows": len(batch.source_rows)},
    )


def _may_assign_self(user, batch: ImportBatch) -> bool:
    return mission_locale_advisors(batch.mission_locale_id).filter(pk=user.pk).exists()


def _confirm_form(request, batch: ImportBatch, data=None) -> ImportConfirmForm:
    unknown = sum(1 for row in batch.valid_rows if row.get("advisor_unknown"))
    return ImportConfirmForm(
        data,
        unknown_count=unknown,
        may_assign_self=bool(unknown) and _may_assign_self(request.user, batch),
    )


def _page(request, rows: list, param: str):
    """One page of a preview table, the page number read from `param` (each table
    pages on its own), with the query string that keeps the other tables' pages."""
    page = Paginator(rows, PREVIEW_PAGE_SIZE).get_page(request.GET.get(param))
    others = request.GET.copy()
    others.pop(param, None)
    return {"page": page, "param": param, "query": others.urlencode()}


def _progress_context(batch: ImportBatch) -> dict:
    return {
        "batch": batch,
        "confirming": batch.status == ImportStatus.CONFIRMING,
        "interrupted": confirmation_stalled(batch),
        "stalled_minutes": STALLED_AFTER // 60,
        "progress": progress_of(batch.pk),
        "refused": refusal_of(batch.pk) if batch.is_previewed else "",
    }


def _import_progress(request, pk: int):
    """The progress of a confirmation under way (polled by the preview page), then its
    result, said once in the page's live region. Reads none of the rows."""
    require_pool(request.user)
    batch = get_object_or_404(
        ImportBatch.objects.defer("source_rows", "valid_rows", "rejected_rows"), pk=pk
    )
    if not can_register_youths_in(request.user, batch.mission_locale_id):
        raise Http404
    context = _progress_context(batch)
    if context["interrupted"]:
        # The whole page again: it offers to resume, with the choices of a confirmation.
        return HttpResponseClientRefresh()
    response = render(request, "candidates/_import_progress.html", context)
    if context["refused"]:
        announce(
            response,
            _("L'import n'a pas pu être fait : %(reason)s") % {"reason": context["refused"]},
        )
    elif not context["confirming"] and not batch.is_previewed:
        announce(
            response,
            _("Import terminé : %(created)s jeune(s) créé(s).") % {"created": batch.created_count},
        )
    return response


def import_preview(request, pk: int):
    """The counts of a checked file, and its refused, present and valid rows page by
    page. The file's cells are not loaded (only whether they are still kept, for the
    link back to the columns); the youths linked are those of the rows shown. While
    its confirmation runs as a job, the page shows its progress (polled with
    `?fragment=progress`); one interrupted (its job silent too long) is offered to
    resume."""
    if request.htmx and request.GET.get("fragment") == "progress":
        return _import_progress(request, pk)
    require_pool(request.user)
    batch = get_object_or_404(
        ImportBatch.objects.select_related("mission_locale")
        .defer("source_rows")
        # Whether the file's cells are still kept, without loading them; a JSON equality
        # that SQLite and PostgreSQL both run.
        .annotate(
            cells_kept=Case(
                When(source_rows=[], then=Value(False)),
                default=Value(True),
                output_field=BooleanField(),
            )
        ),
        pk=pk,
    )
    if not can_register_youths_in(request.user, batch.mission_locale_id):
        raise Http404
    if batch.is_mapping:
        return redirect("candidates:import_columns", pk=batch.pk)
    rejected = [row for row in batch.rejected_rows if not row.get("present")]
    present = [row for row in batch.rejected_rows if row.get("present")]
    rejected_page = _page(request, rejected, "refused")
    present_page = _page(request, present, "present")
    valid_page = _page(request, batch.valid_rows, "page")
    linked = {row["youth"] for row in present_page["page"] if row.get("youth")}
    for row in valid_page["page"]:
        linked.update(row.get("duplicates", ()))
    # One query whatever the rows: the youths the shown rows link to, as the user may
    # see them now (a youth moved or anonymised since the preview is no longer linked).
    youths = {
        youth.pk: youth
        for youth in Youth.objects.visible_to(request.user)
        .filter(pk__in=linked)
        .select_related("mission_locale")
        .only("pk", "first_name", "last_name", "birth_date", "mission_locale__name")
    }
    present_rows = [
        {**row, "youth_found": youths.get(row.get("youth"))} for row in present_page["page"]
    ]
    valid_rows = [
        {
            **row,
            "birth_date": date.fromisoformat(row["birth_date"]),
            "education_label": EDUCATION_LABELS.get(row.get("education_level"), ""),
            "duplicates_found": [youths[pk] for pk in row.get("duplicates", ()) if pk in youths],
        }
        for row in valid_page["page"]
    ]
    ignored = [
        title or _("Colonne %(n)s (sans titre)") % {"n": index + 1}
        for index, (title, field) in enumerate(zip(batch.headers, batch.columns, strict=False))
        if not field
    ]
    progress = _progress_context(batch)
    return render(
        request,
        "candidates/import_preview.html",
        {
            "batch": batch,
            "may_remap": batch.is_previewed and batch.cells_kept,
            "rejected": rejected_page["page"].object_list,
            "rejected_count": len(rejected),
            "rejected_page": rejected_page,
            "present": present_rows,
            "present_count": len(present),
            "present_page": present_page,
            "valid": valid_rows,
            "valid_count": len(batch.valid_rows),
            "valid_page": valid_page,
            "ignored": ignored,
            "warned": sum(1 for row in batch.valid_rows if row.get("warnings")),
            **progress,
            # An interrupted confirmation is resumed with the same choices.
            "confirm_form": _confirm_form(request, batch)
            if batch.is_previewed or progress["interrupted"]
            else None,
        },
    )


@require_POST
def import_confirm(request, pk: int):
    batch = _visible_batch(request, pk)
    form = _confirm_form(request, batch, request.POST)
    if not form.is_valid():
        messages.error(
            request,
            _("Choisissez à qui confier les jeunes dont le conseiller n'est pas reconnu."),
        )
        return redirect("candidates:import_preview", pk=batch.pk)
    try:
        batch = queue_confirmation(
            batch=batch, actor=request.user, unknown_advisor=form.advisor_choice
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("candidates:import_preview", pk=batch.pk)
    if batch.status == ImportStatus.CONFIRMED:
        messages.success(
            request,
            _("%(created)s jeune(s) importé(s), %(skipped)s déjà présent(s) non recréé(s).")
            % {"created": batch.created_count, "skipped": batch.skipped_count},
        )
        return redirect("candidates:youth_list")
    # A large file: its job runs (or, run in-process, refused it): the preview page
    # shows its progress, then its result or the reason.
    return redirect("candidates:import_preview", pk=batch.pk)
