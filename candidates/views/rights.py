"""The data-subject rights of a youth: everything held about them (a page, a JSON file,
a ZIP with CSV files and a PDF summary), anonymisation, and the requests they make
(recorded by their advisor, answered by the mission locale's manager on the "Demandes
RGPD" page)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.form_helpers import apply_service_errors
from accounts.pagination import filters_query
from accounts.uploads import generated_file_response

from .. import services, subject_request_services
from ..access_log import record_access
from ..enums import AccessKind, DataRequestKind, SubjectRequestStatus
from ..forms import AnonymiseForm, CloseSubjectRequestForm, SubjectRequestForm
from ..models import Youth
from ..permissions import (
    can_anonymise_youth,
    can_close_subject_request,
    can_export_youth_data,
    can_record_subject_request,
    can_see_subject_requests,
)
from ..subject_export import SubjectExport
from ..subject_requests import SubjectRequest
from .common import get_visible_youth, require_pool

REQUESTS_PAGE_SIZE = 25


def _exportable(request, pk: int) -> Youth:
    """The youth whose data the user may export: 404 outside the youth's mission locale,
    403 for someone there who may not (none today: the predicate is the visibility)."""
    youth = get_visible_youth(request, pk)
    if not can_export_youth_data(request.user, youth):
        raise PermissionDenied
    return youth


def _export(request, youth: Youth, kind: str, access: str) -> SubjectExport:
    """Log the export first (so the journal it carries shows this one) and its reading in
    the access log, then read every registered section: one query each."""
    services.log_data_request(youth=youth, actor=request.user, kind=kind)
    record_access(user=request.user, kind=access, youth=youth, request=request)
    return SubjectExport.of(youth.pk)


def youth_data_page(request, pk: int):
    """Everything held about a youth, readable and printable (right of access). Each
    consultation is logged."""
    youth = _exportable(request, pk)
    export = _export(request, youth, DataRequestKind.EXPORT_PAGE, AccessKind.YOUTH_DATA_PAGE)
    context = {"youth": youth, "today": timezone.localdate(), "sections": export.shown()}
    return render(request, "candidates/youth_data.html", context)


def youth_data_json(request, pk: int):
    youth = _exportable(request, pk)
    export = _export(request, youth, DataRequestKind.EXPORT_JSON, AccessKind.SUBJECT_EXPORT)
    return generated_file_response(
        export.json_bytes(),
        filename=f"jeune-{youth.pk}.json",
        content_type="application/json; charset=utf-8",
    )


def youth_data_zip(request, pk: int):
    """The whole file to hand to the youth: the JSON, a CSV per section and a PDF
    summary, for the youth's own mission locale only."""
    youth = _exportable(request, pk)
    export = _export(request, youth, DataRequestKind.EXPORT_ZIP, AccessKind.SUBJECT_EXPORT)
    return generated_file_response(
        export.zip_bytes(youth),
        filename=f"jeune-{youth.pk}-donnees.zip",
        content_type="application/zip",
    )


def youth_anonymise(request, pk: int):
    youth = get_visible_youth(request, pk)
    if not can_anonymise_youth(request.user, youth):
        raise PermissionDenied(_("Seul un responsable de la mission locale anonymise un dossier."))
    form = AnonymiseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.anonymise_youth(
                youth=youth, actor=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Le dossier a été anonymisé."))
            return redirect("candidates:youth_detail", pk=youth.pk)
    return render(
        request,
        "candidates/form_page.html",
        {
            "youth": youth,
            "form": form,
            "title": _("Anonymiser le dossier"),
            "intro": _(
                "Le nom, les coordonnées, la date de naissance exacte et les textes libres "
                "seront effacés, dans le dossier comme dans les candidatures, inscriptions "
                "et contrats. Les étapes, dates et résultats restent pour les statistiques. "
                "C'est définitif."
            ),
        },
    )


def subject_request_create(request, pk: int):
    """The advisor records a request the youth made (in person, by mail, by email)."""
    youth = get_visible_youth(request, pk)
    if not can_record_subject_request(request.user, youth):
        raise PermissionDenied(_("Ce dossier ne peut plus recevoir de demande."))
    form = SubjectRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            subject_request = subject_request_services.record_subject_request(
                youth=youth, actor=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("Demande enregistrée : la réponse est due le %(day)s.")
                % {"day": date_format(subject_request.due_on, "d/m/Y")},
            )
            return redirect("candidates:youth_detail", pk=youth.pk)
    return render(
        request,
        "candidates/form_page.html",
        {
            "youth": youth,
            "form": form,
            "title": _("Enregistrer une demande RGPD"),
            "intro": _(
                "Le jeune demande à accéder à ses données, à les corriger, à les effacer ou "
                "s'oppose à leur traitement. La réponse est due un mois après la réception ; "
                "le responsable de la mission locale la suit sur la page « Demandes RGPD »."
            ),
        },
    )


def subject_requests_listed(user, data):
    """The requests "Demandes RGPD" lists for the query string `data`: every one, or the
    open ones only with `open=1` (the home page's counter links there)."""
    requests = SubjectRequest.objects.handled_by(user)
    if data.get("open") == "1":
        requests = requests.filter(status=SubjectRequestStatus.OPEN)
    return requests


def subject_request_list(request):
    """The mission locale manager's "Demandes RGPD": open requests first, soonest due
    first (overdue ones flagged), then the closed ones with what was done."""
    require_pool(request.user)
    if not can_see_subject_requests(request.user):
        raise PermissionDenied(_("Cette page est réservée aux responsables de mission locale."))
    requests = subject_requests_listed(request.user, request.GET)
    today = timezone.localdate()
    counts = requests.aggregate(
        open=Count("pk", filter=Q(status=SubjectRequestStatus.OPEN)),
        overdue=Count("pk", filter=Q(status=SubjectRequestStatus.OPEN, due_on__lt=today)),
    )
    page = Paginator(requests.for_list(), REQUESTS_PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [
        {
            "request": subject_request,
            "overdue": subject_request.is_overdue(today),
            "days_late": subject_request.days_late(today),
            "may_close": can_close_subject_request(request.user, subject_request),
        }
        for subject_request in page
    ]
    return render(
        request,
        "candidates/subject_request_list.html",
        {
            "page": page,
            "query": filters_query(request),
            "rows": rows,
            "counts": counts,
            "today": today,
            "only_open": request.GET.get("open") == "1",
        },
    )


def subject_request_close(request, pk: int):
    """A manager says what was done; closing an erasure anonymises the file."""
    require_pool(request.user)
    subject_request = get_object_or_404(
        SubjectRequest.objects.visible_to(request.user).select_related("youth", "recorded_by"),
        pk=pk,
    )
    if not can_close_subject_request(request.user, subject_request):
        raise PermissionDenied(_("Seul un responsable de la mission locale clôt une demande."))
    form = CloseSubjectRequestForm(request.POST or None, subject_request=subject_request)
    if request.method == "POST" and form.is_valid():
        try:
            subject_request_services.close_subject_request(
                subject_request=subject_request,
                actor=request.user,
                outcome=form.cleaned_data["outcome"],
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            if form.erasure:
                messages.success(request, _("Demande close : le dossier a été anonymisé."))
            else:
                messages.success(request, _("Demande close."))
            return redirect("candidates:subject_request_list")
    return render(
        request,
        "candidates/subject_request_close.html",
        {"subject_request": subject_request, "form": form, "today": timezone.localdate()},
    )
