"""The yearly action plans: national view, progress per section, items and notes."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.form_helpers import apply_service_errors
from accounts.models import Organisation, Region
from reporting.exports import export_links, list_export

from .. import services
from ..exporting import PLAN_ITEM_COLUMNS, PLAN_PROGRESS_COLUMNS, plan_sections
from ..forms import (
    PlanForm,
    PlanItemForm,
    PlanNoteForm,
)
from ..models import (
    ActionPlan,
    PlanItem,
)
from ..permissions import (
    available_plan_item_actions,
    can_manage_plan,
    can_open_steering,
    sees_every_region,
)

# --- Action plans ---------------------------------------------------------------------------


def plan_list(request):
    # The year being worked on comes first, whatever the region's name: the 2006 pilot
    # plan is history, the current year is what the lead opens the page for.
    plans = (
        ActionPlan.objects.visible_to(request.user)
        .with_progress()
        .order_by("-year", "region__name", "pk")
    )
    if not can_open_steering(request.user):
        raise Http404
    regions = Region.objects.led_by(request.user)
    can_create = regions.exists()
    form = (
        PlanForm(regions=regions, initial={"year": timezone.localdate().year})
        if can_create
        else None
    )
    return render(
        request,
        "committees/plan_list.html",
        {"plans": plans, "form": form, "national_view": sees_every_region(request.user)},
    )


@require_POST
def plan_create(request):
    regions = Region.objects.led_by(request.user)
    if not regions.exists():
        raise PermissionDenied
    # Another region is not among the choices (a form error); `create_plan` checks
    # `can_create_plan` again.
    form = PlanForm(request.POST, regions=regions)
    if form.is_valid():
        try:
            plan = services.create_plan(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            return redirect("committees:plan_detail", plan.pk)
    # The year being worked on comes first, whatever the region's name: the 2006 pilot
    # plan is history, the current year is what the lead opens the page for.
    plans = (
        ActionPlan.objects.visible_to(request.user)
        .with_progress()
        .order_by("-year", "region__name", "pk")
    )
    return render(request, "committees/plan_list.html", {"plans": plans, "form": form}, status=400)


def _plan_organisations(plan):
    """Organisations that may own a plan item: those of the region and the national ones."""
    return Organisation.objects.filter(is_active=True).filter(
        Q(region_id=plan.region_id) | Q(region__isnull=True)
    )


def _render_plan(request, plan, status=200, item_form=None):
    can_manage = can_manage_plan(request.user, plan)
    context = {
        "plan": plan,
        "sections": plan_sections(_plan_items(plan)),
        "progress": services.plan_progress(plan),
        "progress_export_links": export_links("committees:plan_progress_export", plan.pk),
        "items_export_links": export_links("committees:plan_items_export", plan.pk),
        "can_manage": can_manage,
        "item_form": (item_form or PlanItemForm(organisations=_plan_organisations(plan)))
        if can_manage
        else None,
        "next_year_exists": ActionPlan.objects.filter(
            region=plan.region, year=plan.year + 1
        ).exists(),
    }
    return render(request, "committees/plan_detail.html", context, status=status)


def _visible_plan(request, pk) -> ActionPlan:
    return get_object_or_404(
        ActionPlan.objects.visible_to(request.user).select_related("region"), pk=pk
    )


def plan_detail(request, pk):
    return _render_plan(request, _visible_plan(request, pk))


def _plan_items(plan):
    return plan.items.with_list_data().order_by("position", "pk")


def plan_progress_export(request, pk, fmt):
    """The plan's progress by section (the page's first table) as a spreadsheet."""
    plan = _visible_plan(request, pk)
    return list_export(
        request,
        fmt=fmt,
        columns=PLAN_PROGRESS_COLUMNS,
        objects=services.plan_progress(plan),
        stem=f"avancement-plan-{plan.region.code}-{plan.year}",
        sheet_title=_("Avancement"),
    )


def plan_items_export(request, pk, fmt):
    """The plan's items, section by section as the page lists them, in one sheet."""
    plan = _visible_plan(request, pk)
    items = [item for section in plan_sections(_plan_items(plan)) for item in section["items"]]
    return list_export(
        request,
        fmt=fmt,
        columns=PLAN_ITEM_COLUMNS,
        objects=items,
        stem=f"actions-plan-{plan.region.code}-{plan.year}",
        sheet_title=_("Actions du plan"),
    )


@require_POST
def plan_item_add(request, pk):
    plan = _visible_plan(request, pk)
    if not can_manage_plan(request.user, plan):
        raise PermissionDenied
    form = PlanItemForm(request.POST, organisations=_plan_organisations(plan))
    if form.is_valid():
        try:
            services.add_plan_item(actor=request.user, plan=plan, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("L'action est ajoutée au plan."))
            return redirect("committees:plan_detail", plan.pk)
    return _render_plan(request, plan, 400, item_form=form)


@require_POST
def plan_renew(request, pk):
    plan = _visible_plan(request, pk)
    try:
        new_plan = services.renew_plan(actor=request.user, plan=plan)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("committees:plan_detail", plan.pk)
    messages.success(
        request,
        _("Le plan %(year)s est créé : toutes les actions repartent à « Prévue ».")
        % {"year": new_plan.year},
    )
    return redirect("committees:plan_detail", new_plan.pk)


def _visible_plan_item(request, pk) -> PlanItem:
    return get_object_or_404(
        PlanItem.objects.visible_to(request.user).select_related(
            "plan", "plan__region", "owner_organisation"
        ),
        pk=pk,
    )


def _item_form(item, data=None):
    return PlanItemForm(
        data,
        organisations=_plan_organisations(item.plan),
        initial={
            "section": item.section,
            "audience": item.audience,
            "title": item.title,
            "owner_organisation": item.owner_organisation_id,
            "due_on": item.due_on,
            "indicator_key": item.indicator_key,
            "indicator_target": item.indicator_target,
        },
    )


def _render_plan_item(request, item, status=200, note_form=None, item_form=None):
    can_manage = can_manage_plan(request.user, item.plan)
    return render(
        request,
        "committees/plan_item_detail.html",
        {
            "item": item,
            "plan": item.plan,
            "notes": item.notes.select_related("author"),
            "logs": item.logs.select_related("actor"),
            "action_items": item.action_items.select_related("owner", "committee"),
            "actions": available_plan_item_actions(item, request.user),
            "can_manage": can_manage,
            "note_form": (note_form or PlanNoteForm()) if can_manage else None,
            "item_form": (item_form or _item_form(item)) if can_manage else None,
        },
        status=status,
    )


def plan_item_detail(request, pk):
    return _render_plan_item(request, _visible_plan_item(request, pk))


@require_POST
def plan_item_transition(request, pk, action):
    item = _visible_plan_item(request, pk)
    try:
        services.transition_plan_item(actor=request.user, item=item, action=action)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("L'action du plan est mise à jour."))
    return redirect("committees:plan_item_detail", item.pk)


@require_POST
def plan_note_add(request, pk):
    item = _visible_plan_item(request, pk)
    if not can_manage_plan(request.user, item.plan):
        raise PermissionDenied
    form = PlanNoteForm(request.POST)
    if form.is_valid():
        try:
            services.add_plan_note(actor=request.user, item=item, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("La note d'avancement est ajoutée."))
            return redirect("committees:plan_item_detail", item.pk)
    return _render_plan_item(request, item, 400, note_form=form)


@require_POST
def plan_item_edit(request, pk):
    item = _visible_plan_item(request, pk)
    if not can_manage_plan(request.user, item.plan):
        raise PermissionDenied
    form = _item_form(item, request.POST)
    if form.is_valid():
        try:
            services.update_plan_item(actor=request.user, item=item, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("L'action du plan est modifiée."))
            return redirect("committees:plan_item_detail", item.pk)
    return _render_plan_item(request, item, 400, item_form=form)
