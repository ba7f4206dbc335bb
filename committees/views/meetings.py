"""Committees, their meetings, documents and action items: load through a scoped
queryset (404), check the predicate (403), call a service, render or redirect."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.announce import announce
from accounts.form_helpers import apply_service_errors
from accounts.models import Region
from accounts.uploads import stored_file_response
from reporting.exports import export_links, list_export

from .. import services
from ..documents import CONTENT_TYPES, safe_filename
from ..enums import PlanItemStatus
from ..exporting import ACTION_ITEM_COLUMNS, ATTENDANCE_COLUMNS, COMMITTEE_ACTION_ITEM_COLUMNS
from ..forms import (
    ActionItemForm,
    AgendaItemForm,
    AttendanceForm,
    CommitteeForm,
    DecisionForm,
    DocumentForm,
    MeetingForm,
    MemberForm,
    MinutesForm,
)
from ..models import (
    ActionItem,
    Attendance,
    Committee,
    CommitteeMember,
    Document,
    Meeting,
    PlanItem,
    committee_member_users,
)
from ..permissions import (
    available_action_item_actions,
    can_create_committee,
    can_manage_committee,
    can_manage_meeting,
)

# --- Committees -----------------------------------------------------------------------------


def quarter_bounds(today):
    """(start, end) datetimes of the calendar quarter holding `today`, in local time."""
    first_month = 3 * ((today.month - 1) // 3) + 1
    start = datetime.date(today.year, first_month, 1)
    end = (
        datetime.date(today.year + 1, 1, 1)
        if first_month == 10
        else datetime.date(today.year, first_month + 3, 1)
    )
    aware = timezone.make_aware
    return (
        aware(datetime.datetime.combine(start, datetime.time.min)),
        aware(datetime.datetime.combine(end, datetime.time.min)),
    )


def committees_listed(user, data):
    """The committees the list shows for the query string `data`; with `quiet=1` those
    with no meeting this quarter (the project lead's home page counts these)."""
    committees = Committee.objects.visible_to(user)
    if data.get("quiet") == "1":
        committees = committees.without_meeting_between(*quarter_bounds(timezone.localdate()))
    return committees.with_list_data()


def committee_list(request):
    committees = committees_listed(request.user, request.GET)
    return render(
        request,
        "committees/committee_list.html",
        {
            "committees": committees,
            "can_create": can_create_committee(request.user),
            "quiet": request.GET.get("quiet") == "1",
        },
    )


def committee_create(request):
    if not can_create_committee(request.user):
        raise PermissionDenied
    form = CommitteeForm(request.POST or None, regions=Region.objects.led_by(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            committee = services.create_committee(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Le comité est créé. Ajoutez ses membres."))
            return redirect("committees:committee_detail", committee.pk)
    return render(request, "committees/committee_form.html", {"form": form})


def _member_form(request, committee, data=None):
    users, organisations = committee.member_choices(request.user)
    return MemberForm(data, users=users, organisations=organisations)


def committee_detail(request, pk):
    committee = get_object_or_404(
        Committee.objects.visible_to(request.user).select_related("region"), pk=pk
    )
    can_manage = can_manage_committee(request.user, committee)
    seats = committee.members.select_related("user", "organisation")
    meetings = committee.meetings.with_list_data().order_by("-starts_at")
    open_items = _open_action_items(committee)
    return render(
        request,
        "committees/committee_detail.html",
        {
            "committee": committee,
            "seats": seats,
            "meetings": meetings,
            "open_items": open_items,
            "open_items_export_links": export_links(
                "committees:committee_action_items_export", committee.pk
            ),
            "can_manage": can_manage,
            # Art. 18: quarterly meetings; say so when the quarter went by without one.
            "overdue_meeting": services.committees_without_recent_meeting()
            .filter(pk=committee.pk)
            .exists(),
            "member_form": _member_form(request, committee) if can_manage else None,
        },
    )


def _open_action_items(committee):
    """The committee's open action items, the overdue first (its page and its export)."""
    return ActionItem.objects.filter(committee=committee).open().with_list_data().overdue_first()


def committee_action_items_export(request, pk, fmt):
    """The committee's open action items as a spreadsheet, for whoever sees the committee."""
    committee = get_object_or_404(Committee.objects.visible_to(request.user), pk=pk)
    return list_export(
        request,
        fmt=fmt,
        columns=COMMITTEE_ACTION_ITEM_COLUMNS,
        objects=_open_action_items(committee),
        stem=f"actions-comite-{committee.pk}",
        sheet_title=_("Actions ouvertes"),
    )


@require_POST
def member_add(request, pk):
    committee = get_object_or_404(Committee.objects.visible_to(request.user), pk=pk)
    if not can_manage_committee(request.user, committee):
        raise PermissionDenied
    form = _member_form(request, committee, request.POST)
    if form.is_valid():
        try:
            services.add_committee_member(
                actor=request.user, committee=committee, **form.cleaned_data
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Le membre est ajouté."))
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect("committees:committee_detail", committee.pk)


@require_POST
def member_remove(request, pk):
    member = get_object_or_404(
        CommitteeMember.objects.filter(committee__in=Committee.objects.visible_to(request.user)),
        pk=pk,
    )
    services.remove_committee_member(actor=request.user, member=member)
    messages.success(request, _("Le membre a quitté le comité."))
    return redirect("committees:committee_detail", member.committee_id)


# --- Meetings -------------------------------------------------------------------------------


def meeting_create(request, pk):
    committee = get_object_or_404(Committee.objects.visible_to(request.user), pk=pk)
    if not can_manage_committee(request.user, committee):
        raise PermissionDenied
    previous = services.previous_meeting(committee)
    carried = previous.action_items.open().select_related("owner") if previous else []
    form = MeetingForm(
        request.POST or None,
        initial={
            "place": previous.place,
            "video_url": previous.video_url,
            "duration_minutes": previous.duration_minutes,
        }
        if previous
        else None,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            meeting = services.schedule_meeting(
                actor=request.user,
                committee=committee,
                title=data["title"],
                starts_at=data["starts_at"],
                duration_minutes=data["duration_minutes"],
                place=data["place"],
                video_url=data["video_url"],
                agenda=data["agenda"].splitlines(),
                prepare_from_previous=data["prepare_from_previous"],
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("La réunion est planifiée."))
            return redirect("committees:meeting_detail", meeting.pk)
    return render(
        request,
        "committees/meeting_form.html",
        {"form": form, "committee": committee, "previous": previous, "carried": carried},
    )


def _visible_meeting(request, pk) -> Meeting:
    return get_object_or_404(
        Meeting.objects.visible_to(request.user).select_related("committee", "committee__region"),
        pk=pk,
    )


def _action_forms_querysets(request, meeting):
    owners = committee_member_users(meeting.committee)
    plan_items = (
        PlanItem.objects.manageable_by(request.user)
        .select_related("plan")
        .filter(status__in=PlanItemStatus.open_statuses())
    )
    if meeting.committee.region_id:
        plan_items = plan_items.filter(plan__region_id=meeting.committee.region_id)
    return {
        "owners": owners,
        "plan_items": plan_items.order_by("-plan__year", "section", "position"),
    }


def _render_meeting(request, meeting, status=200, **forms):
    can_manage = can_manage_meeting(request.user, meeting)
    context = {
        "meeting": meeting,
        "committee": meeting.committee,
        "can_manage": can_manage,
        "agenda": meeting.agenda_items.select_related("carried_action", "carried_action__owner"),
        "attendances": _attendances(meeting),
        "attendance_export_links": export_links("committees:attendance_export", meeting.pk),
        "decisions": meeting.decisions.prefetch_related(
            Prefetch("action_items", queryset=ActionItem.objects.select_related("owner"))
        ),
        "action_rows": [
            (item, available_action_item_actions(item, request.user))
            for item in meeting.action_items.with_list_data().order_by("due_on", "pk")
        ],
        "documents": meeting.documents.all(),
    }
    if can_manage:
        qs = _action_forms_querysets(request, meeting)
        members = list(committee_member_users(meeting.committee))
        context.update(
            agenda_form=forms.get("agenda_form") or AgendaItemForm(),
            minutes_form=forms.get("minutes_form")
            or MinutesForm(initial={"minutes": meeting.minutes}),
            attendance_form=forms.get("attendance_form")
            or AttendanceForm(
                users=members,
                initial_statuses={a.user_id: a.status for a in context["attendances"]},
            ),
            decision_form=forms.get("decision_form") or DecisionForm(**qs),
            action_form=forms.get("action_form") or ActionItemForm(**qs),
            document_form=forms.get("document_form") or DocumentForm(),
        )
    return render(request, "committees/meeting_detail.html", context, status=status)


def meeting_detail(request, pk):
    return _render_meeting(request, _visible_meeting(request, pk))


def _attendances(meeting):
    """Who came to the meeting, by name (the meeting's page and its export)."""
    return Attendance.objects.filter(meeting=meeting).select_related("user")


def attendance_export(request, pk, fmt):
    """The meeting's attendance as a spreadsheet, for whoever sees the meeting."""
    meeting = _visible_meeting(request, pk)
    return list_export(
        request,
        fmt=fmt,
        columns=ATTENDANCE_COLUMNS,
        objects=_attendances(meeting),
        stem=f"presences-reunion-{meeting.pk}",
        sheet_title=_("Présences"),
    )


def _managed_meeting(request, pk) -> Meeting:
    meeting = _visible_meeting(request, pk)
    if not can_manage_meeting(request.user, meeting):
        raise PermissionDenied
    return meeting


def meeting_edit(request, pk):
    meeting = _managed_meeting(request, pk)
    local = timezone.localtime(meeting.starts_at)
    form = MeetingForm(
        request.POST or None,
        editing=True,
        initial={
            "title": meeting.title,
            "starts_on": local.date(),
            "starts_time": local.time(),
            "duration_minutes": meeting.duration_minutes,
            "place": meeting.place,
            "video_url": meeting.video_url,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.update_meeting(
                actor=request.user,
                meeting=meeting,
                title=data["title"],
                starts_at=data["starts_at"],
                duration_minutes=data["duration_minutes"],
                place=data["place"],
                video_url=data["video_url"],
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("La réunion est modifiée."))
            return redirect("committees:meeting_detail", meeting.pk)
    return render(
        request,
        "committees/meeting_form.html",
        {"form": form, "committee": meeting.committee, "meeting": meeting},
    )


@require_POST
def agenda_add(request, pk):
    meeting = _managed_meeting(request, pk)
    form = AgendaItemForm(request.POST)
    if not form.is_valid():
        return _render_meeting(request, meeting, 400, agenda_form=form)
    services.add_agenda_item(actor=request.user, meeting=meeting, title=form.cleaned_data["title"])
    messages.success(request, _("Le point est ajouté à l'ordre du jour."))
    return redirect("committees:meeting_detail", meeting.pk)


@require_POST
def minutes_save(request, pk):
    meeting = _managed_meeting(request, pk)
    form = MinutesForm(request.POST)
    if not form.is_valid():
        return _render_meeting(request, meeting, 400, minutes_form=form)
    services.record_minutes(
        actor=request.user, meeting=meeting, minutes=form.cleaned_data["minutes"]
    )
    if form.was_neutralised:
        messages.warning(
            request,
            _(
                "Le compte rendu est enregistré, mais les scripts, gestionnaires d'événements "
                "et liens javascript: qu'il contenait sont neutralisés à l'affichage."
            ),
        )
    else:
        messages.success(request, _("Le compte rendu est enregistré."))
    return redirect("committees:meeting_detail", meeting.pk)


@require_POST
def attendance_save(request, pk):
    meeting = _managed_meeting(request, pk)
    form = AttendanceForm(
        request.POST, users=committee_member_users(meeting.committee), initial_statuses={}
    )
    if not form.is_valid():
        return _render_meeting(request, meeting, 400, attendance_form=form)
    services.record_attendance(actor=request.user, meeting=meeting, statuses=form.statuses())
    messages.success(request, _("Les présences sont enregistrées."))
    return redirect("committees:meeting_detail", meeting.pk)


@require_POST
def decision_add(request, pk):
    meeting = _managed_meeting(request, pk)
    form = DecisionForm(request.POST, **_action_forms_querysets(request, meeting))
    if form.is_valid():
        try:
            services.record_decision(actor=request.user, meeting=meeting, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("La décision est enregistrée."))
            return redirect("committees:meeting_detail", meeting.pk)
    return _render_meeting(request, meeting, 400, decision_form=form)


@require_POST
def action_add(request, pk):
    meeting = _managed_meeting(request, pk)
    form = ActionItemForm(request.POST, **_action_forms_querysets(request, meeting))
    if form.is_valid():
        try:
            services.create_action_item(actor=request.user, meeting=meeting, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("L'action est enregistrée."))
            return redirect("committees:meeting_detail", meeting.pk)
    return _render_meeting(request, meeting, 400, action_form=form)


@require_POST
def document_upload(request, pk):
    meeting = _managed_meeting(request, pk)
    form = DocumentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.attach_document(
                actor=request.user, meeting=meeting, uploaded=form.cleaned_data["file"]
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Le document est joint à la réunion."))
            return redirect("committees:meeting_detail", meeting.pk)
    return _render_meeting(request, meeting, 400, document_form=form)


@require_POST
def invitations_send(request, pk):
    meeting = _managed_meeting(request, pk)
    try:
        services.send_meeting_invitations(actor=request.user, meeting=meeting)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Les invitations partent vers les membres du comité."))
    return redirect("committees:meeting_detail", meeting.pk)


def document_download(request, pk):
    document = get_object_or_404(Document.objects.visible_to(request.user), pk=pk)
    try:
        handle = document.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return stored_file_response(
        handle,
        filename=safe_filename(document.original_name, document.kind),
        content_type=CONTENT_TYPES[document.kind],
    )


# --- Action items -------------------------------------------------------------------------


def action_items_listed(user, data):
    """ "My action items" for the query string `data`: the current ones, overdue first, or
    the overdue ones only with `overdue=1` (the home page counts these)."""
    items = ActionItem.objects.owned_by(user)
    items = items.overdue() if data.get("overdue") == "1" else items.current()
    return items.with_list_data().overdue_first()


def my_action_items(request):
    items = list(action_items_listed(request.user, request.GET))
    rows = [(item, available_action_item_actions(item, request.user)) for item in items]
    return render(
        request,
        "committees/my_action_items.html",
        {
            "rows": rows,
            "overdue_count": sum(1 for item in items if item.is_overdue),
            "overdue_only": request.GET.get("overdue") == "1",
            "export_links": export_links("committees:my_action_items_export"),
        },
    )


def my_action_items_export(request, fmt):
    """ "Mes actions" as a spreadsheet, with the page's filter."""
    return list_export(
        request,
        fmt=fmt,
        columns=ACTION_ITEM_COLUMNS,
        objects=action_items_listed(request.user, request.GET),
        stem="mes-actions",
        sheet_title=_("Mes actions"),
    )


@require_POST
def action_item_transition(request, pk, action):
    item = get_object_or_404(ActionItem.objects.visible_to(request.user), pk=pk)
    error = ""
    try:
        services.transition_action_item(actor=request.user, item=item, action=action)
    except ValidationError as exc:
        error = " ".join(exc.messages)
    if request.htmx:
        # "My action items" swaps the row in place.
        item = ActionItem.objects.with_list_data().get(pk=item.pk)
        response = render(
            request,
            "committees/_action_row.html",
            {
                "item": item,
                "actions": available_action_item_actions(item, request.user),
                "error": error,
            },
        )
        if error:
            return announce(response, error)
        return announce(
            response,
            _("Action « %(title)s » : %(status)s")
            % {"title": item.title, "status": item.get_status_display()},
        )
    if error:
        messages.error(request, error)
    else:
        messages.success(
            request, _("L'action « %(title)s » est mise à jour.") % {"title": item.title}
        )
    if request.POST.get("next", "") == "meeting":
        return redirect("committees:meeting_detail", item.meeting_id)
    return redirect("committees:my_action_items")
