from __future__ import annotations

import redis
from allauth.account import app_settings as account_settings
from allauth.account.utils import perform_login
from allauth.core import ratelimit
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, connection
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from .. import services
from ..enums import Role
from ..form_helpers import apply_service_errors
from ..forms import (
    AcceptInvitationForm,
    CompanyAccessRequestForm,
    InvitationForm,
    ProfileForm,
    RejectAccessRequestForm,
)
from ..models import (
    CompanyAccessRequest,
    Invitation,
    Membership,
    Organisation,
    OutgoingEmail,
    Region,
)
from ..permissions import (
    can_invite_anyone,
    can_manage_outgoing_emails,
    can_review_access_requests,
    can_see_team,
)
from ..scope import get_scope
from ..today import build_today


def home(request):
    """ "What do I do today?": each app's counters (accounts/today.py), linking to the
    filtered lists, then the user's organisations and role."""
    scope = get_scope(request.user)
    context = {
        "today": build_today(request.user),
        "memberships": scope.memberships,
        "region_names": list(
            Region.objects.of_memberships(request.user).values_list("name", flat=True)
        ),
    }
    return render(request, "accounts/home.html", context)


def profile(request):
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        services.update_profile(user=request.user, **form.cleaned_data)
        messages.success(request, _("Votre profil est enregistré."))
        response = redirect("accounts:profile")
        response.set_cookie(settings.LANGUAGE_COOKIE_NAME, form.cleaned_data["language"])
        return response
    return render(request, "accounts/profile.html", {"form": form})


INVITATIONS_SHOWN = 200
ACCESS_REQUESTS_SHOWN = 300


def invitations_listed(user, data):
    """The invitations the page lists for the query string `data`, newest first; the
    pending ones only with `pending=1` (the home page counts these)."""
    sent = Invitation.objects.visible_to(user).select_related("organisation")
    if data.get("pending") == "1":
        sent = sent.pending()
    return sent.order_by("-created_at")


def access_requests_listed(user, data):
    """The company requests the page lists for `data`; pending ones only with `pending=1`."""
    rows = CompanyAccessRequest.objects.visible_to(user).select_related("region", "decided_by")
    if data.get("pending") == "1":
        rows = rows.pending()
    return rows.order_by("status", "-created_at")


def invitations(request):
    if not can_invite_anyone(request.user):
        raise PermissionDenied
    organisations = Organisation.objects.active().invitable_by(request.user).order_by("name")
    form = InvitationForm(request.POST or None, inviter=request.user, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        try:
            invitation = services.invite_member(inviter=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(
                request, _("Invitation envoyée à %(email)s.") % {"email": invitation.email}
            )
            return redirect("accounts:invitations")
    sent = invitations_listed(request.user, request.GET)[:INVITATIONS_SHOWN]
    return render(
        request,
        "accounts/invitations.html",
        {"form": form, "invitations": sent, "pending_only": request.GET.get("pending") == "1"},
    )


@require_POST
def revoke_invitation(request, pk: int):
    invitation = get_object_or_404(Invitation.objects.visible_to(request.user), pk=pk)
    services.revoke_invitation(actor=request.user, invitation=invitation)
    messages.success(request, _("L'invitation a été annulée."))
    return redirect("accounts:invitations")


@login_not_required
@never_cache
def accept_invitation(request, token: str):
    invitation = get_object_or_404(Invitation.objects.select_related("organisation"), token=token)
    try:
        services.check_invitation_usable(invitation)
    except ValidationError as exc:
        return render(
            request,
            "accounts/invitation_unusable.html",
            {"reason": exc.messages[0]},
            status=410,
        )
    initial = {"first_name": invitation.first_name, "last_name": invitation.last_name}
    form = AcceptInvitationForm(request.POST or None, initial=initial, email=invitation.email)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.accept_invitation(
                token=token,
                first_name=form.cleaned_data["first_name"],
                last_name=form.cleaned_data["last_name"],
                password=form.cleaned_data["password1"],
                language=request.LANGUAGE_CODE,
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Bienvenue ! Votre compte est créé."))
            # The sign-in's own flow (its stages, its second-factor rules), not a bare
            # login(): the new session is in the same state as any other.
            return perform_login(
                request,
                user,
                email_verification=account_settings.EMAIL_VERIFICATION,
                redirect_url=reverse("home"),
            )
    return render(
        request, "accounts/accept_invitation.html", {"form": form, "invitation": invitation}
    )


@login_not_required
def request_company_access(request):
    """The public form. Its answer never depends on the address typed (see the
    service); robots filling the honeypot get the same answer and store nothing; each
    address and each client is limited in the shared cache (ACCOUNT_RATE_LIMITS)."""
    form = CompanyAccessRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if form.is_from_a_robot:
            return render(request, "accounts/access_request_sent.html")
        if not ratelimit.consume(
            request, action="company_access_request", key=form.cleaned_data["email"].lower()
        ):
            form.add_error(
                None,
                _("Trop de demandes ont été envoyées : réessayez dans une heure."),
            )
            return render(request, "accounts/access_request_form.html", {"form": form}, status=429)
        try:
            services.request_company_access(
                data={k: v for k, v in form.cleaned_data.items() if k != "website"}
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            return render(request, "accounts/access_request_sent.html")
    return render(request, "accounts/access_request_form.html", {"form": form})


def access_requests(request):
    if not can_review_access_requests(request.user):
        raise PermissionDenied
    rows = access_requests_listed(request.user, request.GET)[:ACCESS_REQUESTS_SHOWN]
    return render(
        request,
        "accounts/access_requests.html",
        {
            "pending_only": request.GET.get("pending") == "1",
            "access_requests": rows,
            "reject_form": RejectAccessRequestForm(),
        },
    )


@require_POST
def decide_access_request(request, pk: int, decision: str):
    if decision not in ("approve", "reject"):
        raise Http404
    access_request = get_object_or_404(CompanyAccessRequest.objects.visible_to(request.user), pk=pk)
    try:
        if decision == "approve":
            services.approve_company_access_request(
                actor=request.user, access_request=access_request
            )
            messages.success(
                request,
                _("Demande approuvée : une invitation est envoyée à %(email)s.")
                % {"email": access_request.email},
            )
        else:
            form = RejectAccessRequestForm(request.POST)
            if not form.is_valid():
                # The form's own reason: missing, too long, or holding a NUL character.
                for error in form.errors["reason"]:
                    messages.error(request, error)
                return redirect("accounts:access_requests")
            services.reject_company_access_request(
                actor=request.user,
                access_request=access_request,
                reason=form.cleaned_data["reason"],
            )
            messages.success(request, _("Demande refusée ; le demandeur est prévenu."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("accounts:access_requests")


def outgoing_emails(request):
    """Admins: the emails refused for good or after their retries, and those still
    retrying, whatever app sent them."""
    if not can_manage_outgoing_emails(request.user):
        raise PermissionDenied
    rows = OutgoingEmail.objects.needing_attention().for_list()
    return render(request, "accounts/outgoing_emails.html", {"emails": rows[:500]})


@require_POST
def retry_outgoing_email(request, pk: int):
    if not can_manage_outgoing_emails(request.user):
        raise PermissionDenied
    email = get_object_or_404(OutgoingEmail, pk=pk)
    try:
        services.retry_outgoing_email(actor=request.user, email=email)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Le courriel est de nouveau en file d'envoi."))
    return redirect("accounts:outgoing_emails")


def team(request):
    if not can_see_team(request.user):
        raise PermissionDenied
    members = (
        Membership.objects.of_managed_mission_locales(request.user)
        .select_related("user", "organisation")
        .order_by("organisation__name", "user__last_name", "user__first_name")
    )
    return render(request, "accounts/team.html", {"members": members, "me": request.user})


@require_POST
def toggle_membership(request, pk: int):
    membership = get_object_or_404(
        Membership.objects.visible_to(request.user).filter(
            role__in=[Role.ADVISOR, Role.ML_MANAGER]
        ),
        pk=pk,
    )
    try:
        services.set_membership_active(
            actor=request.user, membership=membership, active=not membership.is_active
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("accounts:team")


@login_not_required
@never_cache
def health(request):
    """For load balancers and compose health checks: the database and the broker."""
    checks = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        checks["database"] = "ok"
    except DatabaseError as exc:
        checks["database"] = f"error: {exc.__class__.__name__}"
    if settings.REDIS_URL:
        try:
            redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=2).ping()
            checks["broker"] = "ok"
        except redis.RedisError as exc:
            checks["broker"] = f"error: {exc.__class__.__name__}"
    else:
        checks["broker"] = "in-process"
    healthy = all(not value.startswith("error") for value in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "error", **checks}, status=200 if healthy else 503
    )
