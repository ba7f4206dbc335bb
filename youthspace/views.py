"""The young person's pages (mobile first), the sign-in by one-time link, the answers
to a reminder's links, and the advisor's actions on a youth's space.

Every youth page loads the signed-in youth's own space (`identity.space_of`): there is
no youth id in their URLs, and an enrolment or a proposal is looked up among their own
rows only, so another youth's id is a 404."""

from __future__ import annotations

import logging
from datetime import timedelta
from functools import wraps

from allauth.core import ratelimit
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from sesame.backends import ModelBackend as SesameBackend

from accounts.calendars import PUBLISH, CalendarEvent, calendar_text
from accounts.enums import NoticePurpose
from accounts.form_helpers import apply_service_errors
from accounts.models import InformationNotice
from accounts.uploads import generated_file_response
from candidates.models import Youth
from candidates.subject_export import SubjectExport

from . import services
from .enums import Answer
from .forms import LinkRequestForm, NextStepForm
from .identity import SESSION_KEY, space_of
from .pages import data_summary_of, pathway_of, proposals_of, sessions_of
from .permissions import can_invite_youth, can_use_space, can_write_next_step

logger = logging.getLogger(__name__)

#: A youth's session ends 30 days after the sign-in at the latest.
SESSION_MAX_AGE = timedelta(days=30)


def _no_referrer(response):
    """Pages reached with a token in their address: the address never leaves in a
    Referer header, nor stays in a shared cache."""
    response["Referrer-Policy"] = "no-referrer"
    response["Cache-Control"] = "no-store"
    return response


def youth_page(view):
    """A page of the signed-in youth: their space loaded (404 for anyone else), their
    visit recorded; a youth who may no longer use the space is signed out."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        space = space_of(request.user)
        if space is None:
            raise Http404
        if not can_use_space(space):
            logout(request)
            return redirect("youthspace:request_link")
        services.record_visit(space=space)
        return view(request, space, *args, **kwargs)

    return wrapper


# --- Signing in -----------------------------------------------------------------------------


@login_not_required
@never_cache
def request_link(request):
    """ "Recevoir un lien de connexion": the same answer whether the address has a space
    or not; each address and each client is limited in the shared cache
    (ACCOUNT_RATE_LIMITS["youth_sign_in_link"])."""
    form = LinkRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"].strip().lower()
        if not ratelimit.consume(request, action="youth_sign_in_link", key=email):
            form.add_error(None, _("Trop de demandes de lien : réessayez dans quelques minutes."))
            return render(request, "youthspace/request_link.html", {"form": form}, status=429)
        services.request_sign_in_link(email=email)
        return render(request, "youthspace/link_sent.html")
    expired = request.GET.get("lien") == "perime"
    return render(request, "youthspace/request_link.html", {"form": form, "expired": expired})


@login_not_required
@never_cache
def sign_in(request):
    """The one-time link: valid 15 minutes, once (django-sesame, SESAME_MAX_AGE and
    SESAME_ONE_TIME: the token carries the last login, which signing in changes). A
    valid token opens a session of 30 days at most; valid or not, the answer is a
    redirect to an address without the token (so it reaches no Referer, and no
    "Bad Request" log line carries it); a used or expired one lands on the page that
    sends a new link. Only youths' accounts sign in here."""
    token = request.GET.get(settings.SESAME_TOKEN_NAME, "")
    user = SesameBackend().authenticate(request, sesame=token) if token else None
    space = space_of(user) if user is not None else None
    if space is None or not can_use_space(space):
        logger.info("youth sign-in link refused")
        return _no_referrer(redirect(reverse("youthspace:request_link") + "?lien=perime"))
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    request.session.set_expiry(timezone.now() + SESSION_MAX_AGE)
    request.session[SESSION_KEY] = space.pk
    logger.info("youth space %s signed in", space.pk)
    return _no_referrer(redirect("youthspace:home"))


#: Where the answer link's token waits between the link and the confirmation.
ANSWER_TOKEN_KEY = "youthspace_answer_token"  # noqa: S105 - a session key, not a secret


@login_not_required
@never_cache
def answer_link(request):
    """A reminder's link (its token in the query string, like the sign-in link's, so a
    path-only access log never holds it): the token goes into the session and the
    browser to an address without it (`answer_confirm`), so it never leaves in a
    Referer header. Opening the link (a mail scanner would) records nothing."""
    request.session[ANSWER_TOKEN_KEY] = request.GET.get(settings.SESAME_TOKEN_NAME, "")[:100]
    return _no_referrer(redirect("youthspace:answer_confirm"))


@login_not_required
@never_cache
def answer_confirm(request):
    """What the link will record, and the button that records it, once; it signs
    nobody in. A used or expired link says so (200: a 4xx answer would be logged)."""
    token = request.session.get(ANSWER_TOKEN_KEY, "")
    link = services.find_answer_link(token) if token else None
    if request.method == "POST" and link is not None:
        try:
            answer = services.use_answer_link(token=token)
        except ValidationError:
            link = None
        else:
            request.session.pop(ANSWER_TOKEN_KEY, None)
            return render(request, "youthspace/answer_done.html", {"answer": answer})
    if link is None:
        return render(request, "youthspace/answer_invalid.html")
    return render(request, "youthspace/answer_confirm.html", {"link": link})


# --- The youth's pages ----------------------------------------------------------------------


@youth_page
def home(request, space):
    """Mon parcours: the stages reached with their dates, and the next step."""
    return render(
        request,
        "youthspace/pathway.html",
        {"space": space, "youth": space.youth, "stages": pathway_of(space.youth), "tab": "home"},
    )


@youth_page
def sessions(request, space):
    """Mes rendez-vous: the sessions the youth is enrolled in, coming first."""
    return render(
        request,
        "youthspace/sessions.html",
        {"space": space, "rows": sessions_of(space.youth), "tab": "sessions"},
    )


def _own_enrolment(space, pk: int):
    from immersion.models import Enrolment

    return get_object_or_404(
        Enrolment.objects.select_related("session__host"), pk=pk, youth_id=space.youth_id
    )


@youth_page
def session_ics(request, space, pk: int):
    enrolment = _own_enrolment(space, pk)
    session = enrolment.session
    event = CalendarEvent(
        uid=f"session-{session.pk}@portail-convention",
        sequence=session.sequence,
        starts_at=session.starts_at,
        ends_at=session.ends_at,
        summary=session.title,
        description=session.get_kind_display(),
        location=f"{session.place}, {session.city}",
        url=request.build_absolute_uri(reverse("youthspace:sessions")),
        cancelled=session.is_cancelled,
    )
    text = calendar_text([event], method=PUBLISH, name=session.title)
    response = HttpResponse(text.encode("utf-8"), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="rendez-vous-{session.pk}.ics"'
    return response


@require_POST
@youth_page
def session_answer(request, space, pk: int):
    enrolment = _own_enrolment(space, pk)
    answer = request.POST.get("answer", "")
    try:
        services.answer_session(space=space, enrolment=enrolment, answer=answer)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        if answer == Answer.COMING:
            messages.success(request, _("C'est noté : vous serez là. À bientôt !"))
        else:
            messages.success(
                request,
                _("C'est noté : votre place est libérée et votre conseiller est prévenu."),
            )
    return redirect("youthspace:sessions")


@youth_page
def proposals(request, space):
    """Mes candidatures, in plain words; no company-internal notes."""
    return render(
        request,
        "youthspace/proposals.html",
        {"space": space, "rows": proposals_of(space.youth), "tab": "proposals"},
    )


@youth_page
def advisor(request, space):
    """Mon conseiller: the advisor's name and the mission locale's contact."""
    return render(
        request,
        "youthspace/advisor.html",
        {
            "space": space,
            "youth": space.youth,
            "advisor": space.youth.advisor,
            "mission_locale": space.youth.mission_locale,
            "tab": "advisor",
        },
    )


@youth_page
def data(request, space):
    """Mes données: what the portal holds, the download, the consent, the notices."""
    youth = space.youth
    return render(
        request,
        "youthspace/data.html",
        {
            "space": space,
            "youth": youth,
            "summary": data_summary_of(youth),
            "notices": sorted(
                InformationNotice.objects.current(),
                key=lambda notice: NoticePurpose.values.index(notice.purpose),
            ),
            "tab": "data",
        },
    )


@youth_page
def data_download(request, space):
    """The subject export (the same JSON the advisor hands out), logged as an export
    made by the youth themself."""
    youth = space.youth
    services.record_own_export(space=space)
    export = SubjectExport.of(youth.pk)
    return generated_file_response(
        export.json_bytes(),
        filename="mes-donnees.json",
        content_type="application/json; charset=utf-8",
    )


@require_POST
@youth_page
def consent(request, space):
    """Give or withdraw the consent to share the profile: effective at once."""
    action = request.POST.get("action")
    try:
        if action == "give":
            services.give_consent(space=space)
            messages.success(
                request,
                _("Votre accord est enregistré : les entreprises peuvent voir votre profil."),
            )
        elif action == "withdraw":
            services.withdraw_consent(space=space)
            messages.success(
                request,
                _("Votre accord est retiré : les entreprises ne voient plus votre profil."),
            )
        else:
            raise Http404
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("youthspace:data")


# --- The advisor's side -----------------------------------------------------------------------


def _visible_youth(request, pk: int) -> Youth:
    return get_object_or_404(Youth.objects.visible_to(request.user), pk=pk)


@require_POST
def invite(request, pk: int):
    youth = _visible_youth(request, pk)
    if not can_invite_youth(request.user, youth):
        raise PermissionDenied
    try:
        services.invite_youth(actor=request.user, youth=youth)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Invitation envoyée : le jeune reçoit un lien de connexion."))
    return redirect("candidates:youth_detail", pk=youth.pk)


def next_step(request, pk: int):
    youth = _visible_youth(request, pk)
    if not can_write_next_step(request.user, youth):
        raise PermissionDenied
    current = getattr(youth, "space", None)
    form = NextStepForm(
        request.POST or None, initial={"next_step": current.next_step if current else ""}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.set_next_step(
                actor=request.user, youth=youth, text=form.cleaned_data["next_step"]
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Prochaine étape enregistrée."))
            return redirect("candidates:youth_detail", pk=youth.pk)
    return render(request, "youthspace/next_step_form.html", {"form": form, "youth": youth})


def answers(request):
    """The youths' answers to sessions since yesterday, for the advisor's mission locale
    (the home's counter links here)."""
    from .today import answers_since_yesterday

    rows = answers_since_yesterday(request.user)
    if rows is None:
        raise PermissionDenied
    return render(request, "youthspace/answers.html", {"rows": list(rows.for_list())})
