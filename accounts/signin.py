"""Every way into a session ends in the same state: signed in, and the second factor
either passed in this session, not enrolled, or missing.

The portal has one sign-in (allauth's form, its lock-out and its TOTP challenge). Other
paths can still call `django.contrib.auth.login` (an invitation being accepted, a
library's view, a future one): rather than trusting each of them, the state is written
when *any* login happens (`user_logged_in`) and read on every request by
`accounts.middleware.RequireTwoFactorMiddleware`:

- PASSED: allauth recorded a TOTP or recovery-code authentication for this user in this
  session (its login stage, its reauthentication), or the user enrolled TOTP in this
  session (they just typed a valid code);
- NOT_ENROLLED: the user had no second factor when the session began; the roles that
  need one are held on the set-up pages until they enrol;
- MISSING: the user has a second factor but this session never passed it (a path that
  skipped the sign-in): the session is closed at its next request.

The state lives in the session, so an established session costs no query per request.
The receivers below are connected in `AccountsConfig.ready()`: they are allauth's and
Django's documented extension points for "a login happened" and "a factor was added".
"""

from __future__ import annotations

from enum import StrEnum

from allauth.account.authentication import get_authentication_records

SESSION_KEY = "portal_second_factor"


class SecondFactor(StrEnum):
    PASSED = "passed"
    NOT_ENROLLED = "not-enrolled"
    MISSING = "missing"


def has_second_factor(user) -> bool:
    """The user has an active TOTP authenticator (recovery codes alone do not count:
    allauth only makes them alongside TOTP)."""
    from allauth.mfa.models import Authenticator
    from allauth.mfa.utils import is_mfa_enabled

    return is_mfa_enabled(user, [Authenticator.Type.TOTP])


def _passed_in_session(request, user) -> bool:
    return any(
        record.get("method") == "mfa" for record in get_authentication_records(request, user)
    )


def assess(request, user) -> SecondFactor:
    """Where this session stands with the user's second factor (one query at most)."""
    if _passed_in_session(request, user):
        return SecondFactor.PASSED
    if has_second_factor(user):
        return SecondFactor.MISSING
    return SecondFactor.NOT_ENROLLED


def session_state(request) -> SecondFactor:
    """The state written at login, or assessed now for a session that predates it."""
    stored = request.session.get(SESSION_KEY)
    try:
        return SecondFactor(stored)
    except ValueError:
        state = assess(request, request.user)
        request.session[SESSION_KEY] = state.value
        return state


def mark(request, state: SecondFactor) -> None:
    request.session[SESSION_KEY] = state.value


# --- Receivers ------------------------------------------------------------------------


def on_user_logged_in(sender, request, user, **kwargs) -> None:
    """Any login, whatever the path: write where the second factor stands."""
    if request is not None and hasattr(request, "session"):
        mark(request, assess(request, user))


def on_authenticator_added(sender, request, user, authenticator, **kwargs) -> None:
    """Enrolling TOTP means typing a valid code in this session: it counts as passed."""
    if request is not None and hasattr(request, "session") and authenticator.type == "totp":
        mark(request, SecondFactor.PASSED)


def on_authenticator_removed(sender, request, user, authenticator, **kwargs) -> None:
    """Without a second factor left, the session is back to "not enrolled" (the roles
    that need one are sent to set it up again)."""
    if request is not None and hasattr(request, "session") and not has_second_factor(user):
        mark(request, SecondFactor.NOT_ENROLLED)
