"""Views of the sessions: load through a scoped queryset (404), check the predicate
(403), call a service, render or redirect. The platform and the pool are in
platform.py."""

from __future__ import annotations

import datetime
from html import escape

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.backends.utils import csrf_input
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext_lazy
from django.views.decorators.http import require_POST

from accounts.announce import announce, page_summary
from accounts.compiled_shapes import CompiledList, CompiledShapes, Statement, run_together
from accounts.form_helpers import apply_service_errors
from accounts.mail import absolute_url
from accounts.models import Region
from accounts.page_rows import choice_labels, escaped_labels, url_for_each
from accounts.pagination import CountedListPaginator, filters_query
from candidates.choices import search_choices, selected_ids
from candidates.models import Youth
from reporting.exports import EXPORT_CHUNK, export_links, list_export

from .. import feed, services
from ..enums import (
    Attendance,
    Audience,
    EnrolmentStatus,
    HostAssessment,
    ProgrammeKind,
    SessionStatus,
)
from ..exporting import ROSTER_COLUMNS, SESSION_COLUMNS, roster_entries
from ..forms import (
    SESSION_ERROR_FIELDS,
    AttendanceForm,
    EnrolYouthsForm,
    SessionCancelForm,
    SessionFilterForm,
    SessionForm,
)
from ..ics import sessions_ics
from ..models import (
    LIST_COUNTED_ROWS,
    LIST_KEYS,
    LIST_ROWS,
    OCCUPANCY_ROWS,
    SESSION_PAGE_ENROLMENTS,
    Enrolment,
    Session,
    cohort_label,
    cohort_visibility,
    enrolment_visibility,
    local_datetime,
    places_of,
    places_statement,
    session_hosts_for,
    session_places,
    session_visibility,
    status_css,
    visible_session_with_host,
)
from ..permissions import (
    available_session_actions,
    can_cancel_enrolment,
    can_create_session,
    can_enrol_self,
    can_enrol_youths,
    can_follow_region_feed,
    can_manage_session,
    can_record_attendance,
)

# What an htmx swap of the list says to screen readers (accounts/announce.py).
SESSIONS_FOUND = ngettext_lazy("%(count)d session trouvée", "%(count)d sessions trouvées", "count")

PAGE_SIZE = 50
WEEKDAYS = (
    ("lun.", "lundi"),
    ("mar.", "mardi"),
    ("mer.", "mercredi"),
    ("jeu.", "jeudi"),
    ("ven.", "vendredi"),
    ("sam.", "samedi"),
    ("dim.", "dimanche"),
)
# The calendar's column headers, written once.
WEEKDAY_HEADERS = mark_safe(  # noqa: S308 (escaped here)
    "".join(
        f'<th scope="col"><abbr title="{escape(long)}">{escape(short)}</abbr></th>'
        for short, long in WEEKDAYS
    )
)


def _hosts_for(user):
    return session_hosts_for(user).order_by("name")


def _cities(user) -> list[str]:
    return session_places(user)


def _feed_regions(user):
    return Region.objects.of_memberships(user).order_by("name")


def _feed_links(user, regions_and_key: tuple[list[Region], str | None]) -> list[tuple[str, str]]:
    """A private subscription URL per region of the user (calendar apps cannot sign in),
    with the region's name: `regions_and_key` is `feed.regions_and_key(user)`, which the
    page reads with its other queries."""
    regions, key = regions_and_key
    if not regions:
        return []
    if key is None:
        key = feed.current_key(user)
    return [
        (
            region.name,
            absolute_url(
                reverse("immersion:region_feed", args=[feed.token_for(user, region, key=key)])
            ),
        )
        for region in regions
    ]


@require_POST
def renew_feed_links(request):
    """New subscription links for the user: those given before stop working (a link
    copied where it should not be)."""
    if not _feed_regions(request.user).exists():
        raise PermissionDenied
    feed.renew_key(request.user)
    messages.success(
        request,
        _(
            "Vos liens d'abonnement sont renouvelés : les anciens ne fonctionnent plus. "
            "Copiez les nouveaux dans votre agenda."
        ),
    )
    return redirect(reverse("immersion:session_list") + "#feed-title")


# --- List and calendar --------------------------------------------------------------------


def sessions_listed(user, data):
    """(form, sessions) of the session list for the query string `data`: the export
    reads it, and the home page counts "this week's sessions" (`period=week`, `mine=1`)
    through here. The page itself reads the same rows through `LIST_ROWS`."""
    form = SessionFilterForm(data or None, cities=_cities(user), user=user)
    sessions = Session.objects.visible_to(user).filtered(**form.criteria()).for_list()
    return form, sessions


# A row of the list; WAITING follows the places when someone waits.
LIST_ROW = (
    '<tr><td>{} <span class="text-body-secondary">{}</span></td>'
    '<th scope="row"><a href="{}">{}</a></th>'
    "<td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{} / {}{}</td>"
    '<td><span class="badge session-badge {}">{}</span></td></tr>'
)
WAITING = ' <span class="small text-body-secondary">(+{} {})</span>'


def _list_rows(sessions) -> SafeString:
    """The list's rows, written here once per page: through the template (thirteen
    values a row, `{% url %}`, the date filters, get_FOO_display) they took most of the
    page's time. Every text is escaped as Django's `escape` does (`html.escape`): the
    labels, the states' classes and the address around the number once for the page,
    the title, host and place on each row; numbers and dates are digits."""
    head, tail = escape(url_for_each("immersion:session_detail")("\0")).split("\0")
    kinds, audiences = escaped_labels(ProgrammeKind), escaped_labels(Audience)
    statuses = escaped_labels(SessionStatus)
    waiting_label = escape(_("en attente"))
    local = timezone.get_current_timezone()
    rows = []
    for (
        pk,
        seconds,
        title,
        kind,
        host,
        city,
        audience,
        taken,
        capacity,
        waiting,
        status,
    ) in sessions:
        starts_at = local_datetime(seconds, local)
        rows.append(
            LIST_ROW.format(
                f"{starts_at.day:02d}/{starts_at.month:02d}/{starts_at.year:04d}",
                f"{starts_at.hour:02d}:{starts_at.minute:02d}",
                f"{head}{pk:d}{tail}",
                escape(title),
                kinds.get(kind) or escape(kind),
                escape(host),
                escape(city),
                audiences.get(audience) or escape(audience),
                f"{taken:d}",
                f"{capacity:d}",
                WAITING.format(f"{waiting:d}", waiting_label) if waiting else "",
                escape(status_css(status)),
                statuses.get(status) or escape(status),
            )
        )
    return mark_safe("".join(rows))  # noqa: S308


def _cohorts_statement(user) -> Statement | None:
    """The query of the platforms of the year the user sees, with their contracts
    signed (`_cohorts`)."""
    return OCCUPANCY_ROWS.statement(**cohort_visibility(user), year=timezone.localdate().year)


def _cohorts(rows: list[tuple]) -> list[dict]:
    """The platforms of `_cohorts_statement`'s rows, as the page shows them."""
    return [
        {"pk": pk, "label": cohort_label(year, region), "size": size, "occupancy": occupancy}
        for pk, year, region, size, occupancy in rows
    ]


def session_list(request):
    user = request.user
    # What the page reads besides its rows, sent to the database together: the places
    # of the "Lieu" filter, the platforms of the year and, on the full page, the regions
    # of the subscription links.
    places, cohorts, regions_and_key = run_together(
        places_statement(user),
        _cohorts_statement(user),
        None if request.htmx else feed.regions_and_key_statement(user),
    )
    form = SessionFilterForm(request.GET or None, cities=places_of(places), user=user)
    # A page's rows and the list's count in one statement, compiled once per shape of
    # filters (the same sessions as `sessions_listed`, which the export reads).
    listed = CompiledList(
        LIST_ROWS,
        LIST_KEYS,
        counted=LIST_COUNTED_ROWS,
        **session_visibility(user),
        **form.criteria(),
    )
    page = CountedListPaginator(listed, PAGE_SIZE).get_page(request.GET.get("page"))
    query = filters_query(request)
    context = {
        "form": form,
        "page": page,
        "rows": _list_rows(page.object_list),
        "export_links": export_links("immersion:session_list_export", query=query),
        "cohorts": _cohorts(cohorts),
        "query": query,
        "can_create": can_create_session(user),
    }
    if request.htmx:
        response = render(request, "immersion/_session_results.html", context)
        return announce(response, page_summary(page, SESSIONS_FOUND))
    # The subscription links show on the full page only (making them may write the key).
    context["feed_links"] = _feed_links(user, feed.regions_and_key_of(regions_and_key))
    return render(request, "immersion/session_list.html", context)


def session_list_export(request, fmt):
    """The sessions list as a spreadsheet (no youth: counts of places only)."""
    _form, sessions = sessions_listed(request.user, request.GET)
    return list_export(
        request,
        fmt=fmt,
        columns=SESSION_COLUMNS,
        objects=sessions.iterator(chunk_size=EXPORT_CHUNK),
        stem="sessions",
        sheet_title=_("Sessions"),
    )


# --- Creating and running a session -------------------------------------------------------


def session_create(request):
    if not can_create_session(request.user):
        raise PermissionDenied
    form = SessionForm(request.POST or None, hosts=_hosts_for(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            session = services.create_session(
                actor=request.user,
                open_registrations=form.cleaned_data["open_registrations"],
                **form.service_arguments(),
            )
        except ValidationError as exc:
            apply_service_errors(form, exc, SESSION_ERROR_FIELDS)
        else:
            messages.success(request, _("La session est créée."))
            return redirect("immersion:session_detail", session.pk)
    return render(request, "immersion/session_form.html", {"form": form, "session": None})


def session_edit(request, pk):
    session = get_object_or_404(Session.objects.visible_to(request.user), pk=pk)
    if not can_manage_session(request.user, session):
        raise PermissionDenied
    form = SessionForm(
        request.POST or None,
        hosts=_hosts_for(request.user),
        editing=True,
        initial=SessionForm.initial_for(session),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_session(actor=request.user, session=session, **form.service_arguments())
        except ValidationError as exc:
            apply_service_errors(form, exc, SESSION_ERROR_FIELDS)
        else:
            messages.success(request, _("La session est modifiée."))
            return redirect("immersion:session_detail", session.pk)
    return render(request, "immersion/session_form.html", {"form": form, "session": session})


def _roster(session, user):
    """Everyone enrolled, for whoever runs the session: advisors by name, youths as
    `participant_label` allows (their own mission locale by name, a consenting youth by
    the shared label "Prénom I." and mission locale, anyone else "Participant·e 3"
    with nothing more), never their file. The export reads the same `roster_entries`."""
    rows = []
    with_assessment = session.has_host_assessment
    for enrolment, label, organisation in roster_entries(session, user):
        form = None
        if enrolment.is_confirmed and can_record_attendance(user, session):
            form = AttendanceForm(
                prefix=f"e{enrolment.pk}",
                with_assessment=with_assessment,
                initial={
                    "attendance": enrolment.attendance or "attended",
                    "host_assessment": enrolment.host_assessment,
                    "host_comment": enrolment.host_comment,
                },
            )
        rows.append({"enrolment": enrolment, "label": label, "org": organisation, "form": form})
    return rows


def _not_enrolled(youths, session_id: int):
    """The followed youths of `youths` with no active enrolment in the session."""
    already = (
        Enrolment.objects.filter(session_id=session_id)
        .active()
        .filter(youth__isnull=False)
        .values("youth_id")
    )
    return youths.followed().exclude(pk__in=already)


def _enrolable_youths(user, session):
    """The youths `user` may enrol: followed youths of their missions locales, not
    already enrolled. The form validates against it; the picker searches it."""
    return _not_enrolled(Youth.objects.visible_to(user), session.pk)


#: Whether a youth is left to enrol (`_enrol_choices`' "any"): `_enrolable_youths`
#: compiled once per shape of scope (`enrolment_visibility`); the ORM built this
#: query on every opening of a session's page.
_ANY_ENROLABLE = CompiledShapes(
    lambda session_id, is_admin, mission_locales: _not_enrolled(
        Youth.objects.visible_in(is_admin=is_admin, mission_locale_ids=mission_locales),
        session_id,
    ).values_list("pk")[:1]
)


def _enrol_form(request, session, data=None):
    return EnrolYouthsForm(data, youths=_enrolable_youths(request.user, session))


def _enrol_choices(request, session) -> dict:
    """The picker's state from the query string: the search typed, the youths ticked."""
    choices = search_choices(
        lambda: _enrolable_youths(request.user, session),
        query=request.GET.get("q", "")[:100],
        selected=selected_ids(request.GET.getlist("youths")),
    )
    who = enrolment_visibility(request.user)
    choices["any"] = bool(
        _ANY_ENROLABLE(
            session_id=session.pk, is_admin=who["is_admin"], mission_locales=who["mission_locales"]
        )
    )
    return choices


# A row of "Mes jeunes inscrits"; CANCEL_FORM in its last cell while it may be cancelled.
MY_ROW = '<tr><th scope="row"><a href="{}">{}</a></th><td>{}</td><td>{}{}</td><td>{}</td></tr>'
CANCEL_FORM = (
    '<form method="post" action="{}">{}'
    '<button class="btn btn-outline-danger btn-sm" type="submit">{}</button></form>'
)


def _my_enrolments(request, session) -> tuple[SafeString, dict | None]:
    """The rows of the user's youths' enrolments, written here once per page (through
    the template, a link, three labels and a cancel form with its token took 80 µs a
    row); and the user's own active enrolment (its number and state), or None. One
    query for both. Every text is escaped as Django's `escape` does (`html.escape`):
    the youth's name on each row, the labels and addresses once for the page."""
    user = request.user
    youth_url = url_for_each("candidates:youth_detail")
    cancel_url = url_for_each("immersion:enrolment_cancel")
    statuses = choice_labels(EnrolmentStatus)
    attendances = escaped_labels(Attendance)
    assessments = escaped_labels(HostAssessment)
    cancellable = session.is_enrolling and not session.has_started
    active = (EnrolmentStatus.CONFIRMED, EnrolmentStatus.WAITING)
    token = csrf_input(request) if cancellable else ""
    # `{% blocktranslate with name=… %}Désinscrire {{ name }}{% endblocktranslate %}`.
    cancel_label = _("Désinscrire %(name)s")
    rows, own = [], None
    for (
        pk,
        youth_id,
        first_name,
        last_name,
        status,
        attendance,
        assessment,
    ) in SESSION_PAGE_ENROLMENTS(
        session_id=session.pk, **enrolment_visibility(user), user_id=user.pk
    ):
        if youth_id is None:
            own = {"pk": pk, "status": statuses.get(status, status)}
            continue
        name = escape(f"{first_name} {last_name}")  # as `Youth.__str__`
        form = ""
        if cancellable and status in active:
            form = CANCEL_FORM.format(escape(cancel_url(pk)), token, cancel_label % {"name": name})
        rows.append(
            MY_ROW.format(
                escape(youth_url(youth_id)),
                name,
                escape(statuses.get(status, status)),
                (attendances.get(attendance) or escape(attendance)) or "—",
                f" · {assessments.get(assessment) or escape(assessment)}" if assessment else "",
                form,
            )
        )
    return mark_safe("".join(rows)), own  # noqa: S308


def session_detail(request, pk, cancel_form=None):
    user = request.user
    session = visible_session_with_host(user, pk)
    if session is None:
        raise Http404
    can_manage = can_manage_session(user, session)
    my_enrolments, own = _my_enrolments(request, session)
    may_enrol = can_enrol_youths(user, session) and session.is_enrolling
    actions = dict(available_session_actions(session, user))
    cancel_label = actions.pop("cancel", None)
    context = {
        "session": session,
        "can_manage": can_manage,
        "actions": list(actions.items()),
        "cancel_label": cancel_label,
        "cancel_form": cancel_form or (SessionCancelForm() if cancel_label else None),
        "roster": _roster(session, user) if can_manage else None,
        "roster_export_links": export_links("immersion:session_roster_export", session.pk)
        if can_manage
        else None,
        "logs": session.logs.select_related("actor") if can_manage else None,
        "my_enrolments": my_enrolments,
        "own_enrolment": own,
        "may_enrol": may_enrol,
        "enrol_choices": _enrol_choices(request, session) if may_enrol else None,
        "may_enrol_self": can_enrol_self(user, session) and session.is_enrolling and not own,
        "can_record_attendance": can_record_attendance(user, session),
    }
    return render(request, "immersion/session_detail.html", context)


# What each action on a session did, and who was told (as the service does it).
SESSION_DONE = {
    "open": gettext_lazy(
        "Inscriptions ouvertes : les conseillers de la région peuvent inscrire des jeunes."
    ),
    "mark_held": gettext_lazy(
        "Session marquée réalisée : vous pouvez saisir les présences de chaque inscrit."
    ),
    "cancel": gettext_lazy(
        "Session annulée : les conseillers des jeunes inscrits ont été prévenus par e-mail, "
        "avec le motif."
    ),
}


def session_roster_export(request, pk, fmt):
    """The roster as a spreadsheet, for whoever runs the session (as on its page): each
    youth as `roster_entries` names them, consent included. It names youths: the access
    log records it with its number of rows."""
    session = get_object_or_404(Session.objects.visible_to(request.user), pk=pk)
    if not can_manage_session(request.user, session):
        raise PermissionDenied
    return list_export(
        request,
        fmt=fmt,
        columns=ROSTER_COLUMNS,
        objects=roster_entries(session, request.user, chunked=True),
        stem=f"participants-session-{session.pk}",
        sheet_title=_("Participants"),
        names_youths=True,
    )


def _done(session, action) -> str:
    return SESSION_DONE[action]


@require_POST
def session_action(request, pk, action):
    session = get_object_or_404(Session.objects.visible_to(request.user), pk=pk)
    if not can_manage_session(request.user, session):
        raise PermissionDenied
    if action not in dict(available_session_actions(session, request.user)):
        raise PermissionDenied
    if action != "cancel":
        try:
            services.transition_session(actor=request.user, session=session, action=action)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _done(session, action))
        return redirect("immersion:session_detail", session.pk)
    # A refused cancellation shows the page again with the reason as typed.
    form = SessionCancelForm(request.POST)
    if form.is_valid():
        try:
            services.transition_session(
                actor=request.user,
                session=session,
                action=action,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            if not hasattr(exc, "error_dict"):  # the session moved on: nothing to retype
                messages.error(request, " ".join(exc.messages))
                return redirect("immersion:session_detail", session.pk)
            apply_service_errors(form, exc)
        else:
            messages.success(request, _done(session, action))
            return redirect("immersion:session_detail", session.pk)
    return session_detail(request, session.pk, cancel_form=form)


# --- Enrolments ---------------------------------------------------------------------------


def enrol_search(request, pk):
    """The enrolment form's search (htmx): the ticked youths and the matches of the
    typed name, among the youths the user may enrol. Without htmx, the session's page
    with the same search (the form's "Rechercher" button)."""
    session = get_object_or_404(Session.objects.visible_to(request.user), pk=pk)
    if not can_enrol_youths(request.user, session) or not session.is_enrolling:
        raise PermissionDenied
    if not request.htmx:
        query = request.GET.copy()
        query.pop("csrfmiddlewaretoken", None)
        url = reverse("immersion:session_detail", args=[session.pk])
        return redirect(f"{url}?{query.urlencode()}#enrol-title")
    return render(
        request,
        "immersion/_enrol_choices.html",
        {"session": session, "choices": _enrol_choices(request, session), "oob": True},
    )


@require_POST
def enrol_youths(request, pk):
    session = get_object_or_404(Session.objects.visible_to(request.user), pk=pk)
    if not can_enrol_youths(request.user, session):
        raise PermissionDenied
    form = _enrol_form(request, session, request.POST)
    if form.is_valid():
        try:
            enrolments = services.enrol_youths(
                actor=request.user, session=session, youths=form.cleaned_data["youths"]
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            confirmed = sum(1 for e in enrolments if e.is_confirmed)
            waiting = len(enrolments) - confirmed
            text = _("%(confirmed)s inscrit(s)") % {"confirmed": confirmed}
            if waiting:
                text += ", " + _("%(waiting)s sur liste d'attente") % {"waiting": waiting}
            messages.success(request, text + ".")
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect("immersion:session_detail", session.pk)


@require_POST
def enrol_self(request, pk):
    session = get_object_or_404(Session.objects.visible_to(request.user), pk=pk)
    if not can_enrol_self(request.user, session):
        raise PermissionDenied
    try:
        enrolment = services.enrol_self(actor=request.user, session=session)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        if enrolment.is_confirmed:
            messages.success(request, _("Vous êtes inscrit(e)."))
        else:
            messages.success(request, _("La session est complète : vous êtes sur liste d'attente."))
    return redirect("immersion:session_detail", session.pk)


def _visible_enrolment(request, pk):
    return get_object_or_404(
        Enrolment.objects.filter(
            session__in=Session.objects.visible_to(request.user)
        ).select_related("session", "youth", "participant"),
        pk=pk,
    )


@require_POST
def enrolment_cancel(request, pk):
    enrolment = _visible_enrolment(request, pk)
    if not can_cancel_enrolment(request.user, enrolment):
        raise PermissionDenied
    try:
        promoted = services.cancel_enrolment(actor=request.user, enrolment=enrolment)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        text = _("L'inscription est annulée.")
        if promoted:
            text += " " + _("La première personne de la liste d'attente prend la place.")
        messages.success(request, text)
    return redirect("immersion:session_detail", enrolment.session_id)


@require_POST
def enrolment_attendance(request, pk):
    enrolment = _visible_enrolment(request, pk)
    session = enrolment.session
    if not can_record_attendance(request.user, session):
        raise PermissionDenied
    form = AttendanceForm(
        request.POST, prefix=f"e{enrolment.pk}", with_assessment=session.has_host_assessment
    )
    if form.is_valid():
        try:
            services.record_attendance(
                actor=request.user,
                enrolment=enrolment,
                attendance=form.cleaned_data["attendance"],
                host_assessment=form.cleaned_data.get("host_assessment", ""),
                host_comment=form.cleaned_data.get("host_comment", ""),
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Présence enregistrée."))
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect(reverse("immersion:session_detail", args=[session.pk]) + "#participants")


# --- Calendars (.ics) ---------------------------------------------------------------------


def _ics_response(text: str, filename: str) -> HttpResponse:
    response = HttpResponse(text.encode("utf-8"), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def session_ics(request, pk):
    session = get_object_or_404(
        Session.objects.visible_to(request.user).select_related("host"), pk=pk
    )
    return _ics_response(sessions_ics([session], name=session.title), f"session-{pk}.ics")


@login_not_required
def region_feed(request, token):
    """The region's sessions for a calendar app, behind a signed personal token: the
    sessions the token's owner may see, from three months back."""
    found = feed.read_token(token)
    if found is None:
        raise Http404
    user, region = found
    if not can_follow_region_feed(user, region):
        raise Http404
    since = timezone.now() - datetime.timedelta(days=92)
    sessions = (
        Session.objects.visible_to(user)
        .filter(region=region, starts_at__gte=since)
        .select_related("host")
        .order_by("starts_at", "pk")
    )
    name = _("Sessions · %(region)s") % {"region": region.name}
    return _ics_response(sessions_ics(sessions, name=name), f"sessions-{region.code}.ics")
