"""The convention, its regional versions and the signatories' commitments."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.form_helpers import apply_service_errors, error_messages_of
from accounts.models import Organisation, Region
from reporting.exports import export_links, list_export

from .. import services
from ..enums import CommitmentStatus
from ..exporting import COMMITMENT_COLUMNS
from ..forms import (
    AdditionalCommitmentForm,
    CommitmentForm,
    DocumentForm,
    RegionalConventionForm,
    RenewalForm,
)
from ..models import (
    Commitment,
    Convention,
)
from ..permissions import (
    can_manage_convention,
    can_open_steering,
    can_update_commitment,
)

# --- The convention and its commitments ---------------------------------------------------------


def _commitment_summary(convention) -> list[dict]:
    """Per signatory, how many commitments stand in each status (one aggregate query)."""
    return list(
        Commitment.objects.filter(convention=convention)
        .values("signatory__name")
        .annotate(
            total=Count("pk"),
            met=Count("pk", filter=Q(status=CommitmentStatus.MET)),
            in_progress=Count("pk", filter=Q(status=CommitmentStatus.IN_PROGRESS)),
            not_started=Count("pk", filter=Q(status=CommitmentStatus.NOT_STARTED)),
            not_met=Count("pk", filter=Q(status=CommitmentStatus.NOT_MET)),
        )
        .order_by("signatory__name")
    )


def convention_overview(request):
    conventions = list(
        Convention.objects.visible_to(request.user)
        .select_related("region")
        .prefetch_related(
            "signatories",
            "renewals",
            Prefetch("commitments", queryset=Commitment.objects.with_list_data()),
        )
    )
    if not conventions:
        if not can_open_steering(request.user):
            raise Http404
        # The staff this page is for, on an install whose convention is not loaded yet:
        # the page says so instead of a dead end.
        return render(request, "committees/convention.html", {"not_loaded": True})
    for convention in conventions:
        # Each commitments table offers its spreadsheet.
        convention.export_links = export_links("committees:commitments_export", convention.pk)
    national = next((c for c in conventions if c.region_id is None), None)
    regional = [c for c in conventions if c.region_id is not None]
    context = {
        "national": national,
        "regional": [(c, can_manage_convention(request.user, c)) for c in regional],
        "can_manage_national": national is not None
        and can_manage_convention(request.user, national),
    }
    if national is not None:
        context["summary"] = _commitment_summary(national)
    if context["can_manage_national"]:
        context["renewal_form"] = RenewalForm()
    regions = Region.objects.led_by(request.user)
    if national is not None and regions.exists():
        context["regional_form"] = RegionalConventionForm(
            regions=regions,
            organisations=Organisation.objects.visible_to(request.user).filter(is_active=True),
            initial={"signed_on": timezone.localdate()},
        )
    context["additional_forms"] = {
        c.pk: AdditionalCommitmentForm(convention=c) for c, manage in context["regional"] if manage
    }
    return render(request, "committees/convention.html", context)


def commitments_export(request, pk, fmt):
    """A convention's commitments (the table of the convention page) as a spreadsheet,
    for whoever sees the convention."""
    convention = get_object_or_404(Convention.objects.visible_to(request.user), pk=pk)
    return list_export(
        request,
        fmt=fmt,
        columns=COMMITMENT_COLUMNS,
        objects=Commitment.objects.filter(convention=convention).with_list_data(),
        stem=f"engagements-convention-{convention.pk}",
        sheet_title=_("Engagements"),
    )


@require_POST
def convention_renew(request, pk):
    convention = get_object_or_404(Convention.objects.visible_to(request.user), pk=pk)
    if not can_manage_convention(request.user, convention):
        raise PermissionDenied
    form = RenewalForm(request.POST)
    if form.is_valid():
        try:
            services.renew_convention(
                actor=request.user, convention=convention, **form.cleaned_data
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Le renouvellement est enregistré."))
    else:
        for line in error_messages_of(form):
            messages.error(request, line)
    return redirect("committees:convention")


@require_POST
def regional_convention_create(request, pk):
    parent = get_object_or_404(
        Convention.objects.visible_to(request.user).filter(region__isnull=True), pk=pk
    )
    if not Region.objects.led_by(request.user).exists():
        raise PermissionDenied
    # Any region is accepted here (the page offered only the user's ones): the service's
    # predicate refuses another region with a 403, as for any action the user may not
    # take. The form is never shown again from here, so no other region is offered.
    form = RegionalConventionForm(
        request.POST,
        regions=Region.objects.all(),
        organisations=Organisation.objects.visible_to(request.user).filter(is_active=True),
    )
    if form.is_valid():
        try:
            services.create_regional_convention(
                actor=request.user,
                parent=parent,
                region=form.cleaned_data["region"],
                title=form.cleaned_data["title"],
                signed_on=form.cleaned_data["signed_on"],
                duration_years=form.cleaned_data["duration_years"],
                signatories=list(form.cleaned_data["signatories"]),
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("La convention régionale est enregistrée."))
    else:
        for line in error_messages_of(form):
            messages.error(request, line)
    return redirect("committees:convention")


@require_POST
def additional_commitment_add(request, pk):
    convention = get_object_or_404(
        Convention.objects.visible_to(request.user).filter(region__isnull=False), pk=pk
    )
    if not can_manage_convention(request.user, convention):
        raise PermissionDenied
    form = AdditionalCommitmentForm(request.POST, convention=convention)
    if form.is_valid():
        services.add_additional_commitment(
            actor=request.user, convention=convention, **form.cleaned_data
        )
        messages.success(request, _("L'engagement supplémentaire est ajouté."))
    else:
        for line in error_messages_of(form):
            messages.error(request, line)
    return redirect("committees:convention")


def _visible_commitment(request, pk) -> Commitment:
    return get_object_or_404(
        Commitment.objects.visible_to(request.user).select_related("signatory", "convention"), pk=pk
    )


def _render_commitment(request, commitment, status=200, form=None, document_form=None):
    can_update = can_update_commitment(request.user, commitment)
    return render(
        request,
        "committees/commitment_detail.html",
        {
            "commitment": commitment,
            "history": commitment.history.select_related("actor"),
            "documents": commitment.documents.all(),
            "can_update": can_update,
            "form": (
                form
                or CommitmentForm(
                    initial={
                        "status": commitment.status,
                        "evidence_text": commitment.evidence_text,
                        "evidence_url": commitment.evidence_url,
                    }
                )
            )
            if can_update
            else None,
            "document_form": (document_form or DocumentForm()) if can_update else None,
        },
        status=status,
    )


def commitment_detail(request, pk):
    return _render_commitment(request, _visible_commitment(request, pk))


@require_POST
def commitment_update(request, pk):
    commitment = _visible_commitment(request, pk)
    if not can_update_commitment(request.user, commitment):
        raise PermissionDenied
    form = CommitmentForm(request.POST)
    if form.is_valid():
        try:
            services.update_commitment(
                actor=request.user, commitment=commitment, **form.cleaned_data
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("L'engagement est mis à jour."))
            return redirect("committees:commitment_detail", commitment.pk)
    return _render_commitment(request, commitment, 400, form=form)


@require_POST
def commitment_document_upload(request, pk):
    commitment = _visible_commitment(request, pk)
    if not can_update_commitment(request.user, commitment):
        raise PermissionDenied
    form = DocumentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.attach_document(
                actor=request.user, commitment=commitment, uploaded=form.cleaned_data["file"]
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Le document est joint à l'engagement."))
            return redirect("committees:commitment_detail", commitment.pk)
    return _render_commitment(request, commitment, 400, document_form=form)
