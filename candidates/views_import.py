"""Import of a spreadsheet: upload, preview with every rejected row, confirmation."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .forms import ImportUploadForm
from .importing import COLUMNS, MAX_BYTES, ImportFileError, confirm_import, preview_import
from .models import ImportBatch
from .permissions import can_import_into
from .views import require_pool, user_mission_locales


def import_upload(request):
    require_pool(request.user)
    mission_locales = user_mission_locales(request.user)
    form = ImportUploadForm(
        request.POST or None, request.FILES or None, mission_locales=mission_locales
    )
    if request.method == "POST" and form.is_valid():
        mission_locale = form.cleaned_data["mission_locale"]
        if not can_import_into(request.user, mission_locale.pk):
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
                batch = preview_import(
                    mission_locale=mission_locale,
                    author=request.user,
                    file_name=upload.name,
                    data=upload.read(),
                )
            except ImportFileError as exc:
                form.add_error("file", str(exc))
            else:
                return redirect("candidates:import_preview", pk=batch.pk)
    return render(
        request,
        "candidates/import_upload.html",
        {"form": form, "columns": COLUMNS},
    )


def _visible_batch(request, pk: int) -> ImportBatch:
    require_pool(request.user)
    batch = get_object_or_404(ImportBatch.objects.select_related("mission_locale"), pk=pk)
    if not can_import_into(request.user, batch.mission_locale_id):
        raise Http404
    return batch


def import_preview(request, pk: int):
    batch = _visible_batch(request, pk)
    rejected = [row for row in batch.rejected_rows if not row.get("present")]
    present = [row for row in batch.rejected_rows if row.get("present")]
    valid = [
        {**row, "birth_date": date.fromisoformat(row["birth_date"])} for row in batch.valid_rows
    ]
    return render(
        request,
        "candidates/import_preview.html",
        {"batch": batch, "rejected": rejected, "present": present, "valid": valid},
    )


@require_POST
def import_confirm(request, pk: int):
    batch = _visible_batch(request, pk)
    try:
        batch = confirm_import(batch=batch, author=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("candidates:import_preview", pk=batch.pk)
    messages.success(
        request,
        _("%(created)s jeune(s) importé(s), %(skipped)s déjà présent(s) non recréé(s).")
        % {"created": batch.created_count, "skipped": batch.skipped_count},
    )
    return redirect("candidates:youth_list")
