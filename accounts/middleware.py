from urllib.parse import urlencode

from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.views import defaults

from . import signin
from .permissions import requires_two_factor

# What a signed-in user who still has to set up their second factor may reach: the
# set-up itself, the password check allauth asks before it, signing out, the language.
SET_UP_URL_NAMES = frozenset(
    {
        "mfa_activate_totp",
        "account_reauthenticate",
        "mfa_reauthenticate",
        "account_logout",
        "set_language",
        "health",
    }
)


class RequireTwoFactorMiddleware:
    """The gate every signed-in request passes, whatever path opened the session.

    - A user with a second factor whose session never passed it (a path that skipped the
      sign-in's challenge) is signed out and sent to the sign-in: such a session reaches
      nothing.
    - Project leads, national staff and admins see a whole region's or the country's
      data: until they enrol a second factor they reach only the set-up pages.

    Where the session stands is written at login (`accounts.signin`), so an established
    session costs no query here.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        state = signin.session_state(request)
        if state is signin.SecondFactor.PASSED:
            return None
        if state is signin.SecondFactor.NOT_ENROLLED and requires_two_factor(user):
            if signin.has_second_factor(user):
                # Enrolled meanwhile, from another session: this one must pass it too.
                state = signin.SecondFactor.MISSING
            elif request.resolver_match.url_name in SET_UP_URL_NAMES:
                return None
            else:
                next_query = urlencode({"next": request.get_full_path()})
                return redirect(f"{reverse('mfa_activate_totp')}?{next_query}")
        if state is signin.SecondFactor.MISSING:
            logout(request)
            return redirect_to_login(request.get_full_path(), login_url=reverse("account_login"))
        return None


class PortalErrorPagesMiddleware:
    """In a DEBUG run that asks for it (`DEBUG_ERROR_PAGES=false`, as `make run` does for
    the demo), the portal's own French 403, 404 and 500 pages replace Django's technical
    pages, so a newcomer trying the demo sees what a user would. Settings add it only
    then: production (DEBUG off) shows these pages anyway and never pays for it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        # An address that matches no URL pattern never reaches a view: Django answered
        # with its technical 404 before any `process_exception`.
        if response.status_code == 404 and getattr(request, "resolver_match", None) is None:
            return defaults.page_not_found(request, Http404())
        return response

    def process_exception(self, request, exception):
        if isinstance(exception, Http404):
            return defaults.page_not_found(request, exception)
        if isinstance(exception, PermissionDenied):
            return defaults.permission_denied(request, exception)
        return defaults.server_error(request)
