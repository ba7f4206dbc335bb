from django.shortcuts import redirect
from django.urls import reverse

from .permissions import requires_two_factor

# Paths a user who still has to set up two-factor authentication may reach.
_ALLOWED_PREFIXES = ("/comptes/", "/i18n/", "/static/", "/health/")


class RequireTwoFactorMiddleware:
    """Sends project leads, national staff and admins to the TOTP set-up page until
    they have a second factor: they see a whole region's or the country's data."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not request.path.startswith(_ALLOWED_PREFIXES)
            and requires_two_factor(user)
            and not _has_totp(user)
        ):
            return redirect(f"{reverse('mfa_activate_totp')}?next={request.path}")
        return self.get_response(request)


def _has_totp(user) -> bool:
    from allauth.mfa.models import Authenticator
    from allauth.mfa.utils import is_mfa_enabled

    return is_mfa_enabled(user, [Authenticator.Type.TOTP])
