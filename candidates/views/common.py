"""What the pool's pages share: who may open the pool, the missions locales a user
works for, loading a youth the user may see (404 otherwise) and the actions offered."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from accounts.enums import OrganisationKind
from accounts.form_helpers import apply_service_errors
from accounts.models import Organisation
from accounts.scope import get_scope

from ..models import Youth
from ..permissions import (
    can_anonymise_youth,
    can_edit_youth,
    can_export_youth_data,
    can_move_youth,
    can_record_subject_request,
    can_use_candidate_pool,
)
from ..services import allowed_next_stages


def require_pool(user) -> None:
    if not can_use_candidate_pool(user):
        raise PermissionDenied(_("Cette page est réservée aux équipes des missions locales."))


def user_mission_locales(user):
    """The missions locales whose youths the user follows (every one for an admin)."""
    return Organisation.objects.mission_locales_of(user).order_by("name")


def user_mission_locale_ids(user):
    """The pks of `user_mission_locales(user)`, read from the user's scope (loaded once
    per request) rather than as a subquery; that queryset for an admin (every mission
    locale)."""
    scope = get_scope(user)
    if scope.is_admin:
        return user_mission_locales(user)
    return sorted(
        m.organisation_id
        for m in scope.memberships
        if m.organisation_kind == OrganisationKind.MISSION_LOCALE
        and m.organisation_id in scope.mission_locale_ids
    )


def get_visible_youth(request, pk: int, *, for_update: bool = False) -> Youth:
    """The youth if the user may see them (404 otherwise); 403 when they may see but
    not change them (an anonymised file)."""
    require_pool(request.user)
    youth = get_object_or_404(
        Youth.objects.visible_to(request.user).select_related("mission_locale", "advisor"), pk=pk
    )
    if for_update:
        require_editable(request.user, youth)
    return youth


def require_editable(user, youth: Youth) -> None:
    """403 when the user sees the youth but may not change the file (anonymised)."""
    if not can_edit_youth(user, youth):
        raise PermissionDenied(_("Ce dossier ne peut plus être modifié."))


def available_actions(youth: Youth, user) -> dict[str, bool]:
    """What the youth's page offers this user (templates never compare statuses)."""
    editable = can_edit_youth(user, youth)
    return {
        "edit": editable,
        "move_stage": editable and bool(allowed_next_stages(youth)),
        "assess": editable,
        "note": editable,
        "record_consent": editable and not youth.has_sharing_consent,
        "withdraw_consent": editable and youth.has_sharing_consent,
        "mentor": editable,
        "vae": editable,
        "export": can_export_youth_data(user, youth),
        "anonymise": can_anonymise_youth(user, youth),
        "record_request": can_record_subject_request(user, youth),
        "transfer": can_move_youth(user, youth),
    }


def form_page(request, *, youth, form, title, action, success, intro=""):
    """Shared shape of the small forms of a youth's page: on a valid POST call
    `action(cleaned_data)` (a service); its errors come back next to the fields."""
    if request.method == "POST" and form.is_valid():
        try:
            action(form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, success)
            return redirect("candidates:youth_detail", pk=youth.pk)
    return render(
        request,
        "candidates/form_page.html",
        {"youth": youth, "form": form, "title": title, "intro": intro},
    )
