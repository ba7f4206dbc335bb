"""URL reach, part 1: what a visitor without a session reaches.

Every URL pattern of the URLconf (the admin's included) is either in `PUBLIC`, a short
allow-list with the reason each entry is there, or refused to an anonymous visitor: a
GET and a POST (without a CSRF token, as a forged form would) get a redirect to the
portal's sign-in (`account_login`), or 403, 404 or 405. Never a 200, never a redirect
anywhere else. A session whose second factor was never passed gets the same answer.

How to add a URL (the URL reach rule):
- a page for signed-in people: nothing to do here; LoginRequiredMiddleware refuses
  anonymous visitors. If it takes an object id (or any other argument), give it an entry
  in CROSS_ORGANISATION (tests/test_url_reach_cross_organisation.py);
- a page for anonymous visitors: mark the view `login_not_required` AND add its name to
  `PUBLIC` below, with the one-line reason. A view that opts out of the sign-in without
  being listed fails `test_every_view_that_opts_out_of_the_sign_in_is_listed_in_public`.
"""

from __future__ import annotations

import pytest

from accounts import signin
from tests.accounts.factories import UserFactory
from tests.url_walk import Route, all_routes, refusal_problem

pytestmark = pytest.mark.django_db

# URL name -> why an anonymous visitor may reach it. Keep it short: each entry is a door.
PUBLIC = {
    # Signing in, and the pages of the sign-in itself (allauth).
    "account_login": "the one sign-in: lock-out and second-factor challenge live there",
    "mfa_authenticate": "the TOTP step while a sign-in is pending (password passed)",
    "account_confirm_login_code": "allauth's login-by-code step; off: back to the sign-in",
    "account_logout": "signing out must work whatever state the session is in",
    "account_inactive": "tells a disabled account why the sign-in stopped",
    "account_signup": "says sign-up is closed (AccountAdapter.is_open_for_signup)",
    "account_email_verification_sent": "tells a new user to open the confirmation email",
    "account_confirm_email": "the link of the confirmation email, with its signed key",
    "account_reset_password": "asking for a reset link, for someone who cannot sign in",
    "account_reset_password_done": "says the reset link was sent",
    "account_reset_password_from_key": "the reset link of the email, with its signed key",
    "account_reset_password_from_key_done": "says the new password is set",
    "signin_moved": "the former sign-in prefix: a redirect to the same page under /connexion/",
    "admin:login": "only sends people to the portal's sign-in (accounts/admin_site.py)",
    # Ways in that come before any account.
    "accounts:accept_invitation": "an invited person sets their password (secret token)",
    "accounts:request_company_access": "a company asks for an account; a lead reviews it",
    # What the portal does with personal data, told before anyone signs in (GDPR Art.
    # 13-14): the published texts only, nothing of any person.
    "notices:list": "the information notices, linked from every page's footer",
    "notices:detail": "one information notice, in force: a published legal text",
    "notices:version": "an earlier version of a notice: the one a youth was given",
    "notices:pdf": "a notice printed to hand to a youth; one render per version (cached)",
    # The footer's legal pages, owed to anyone before signing in: the accessibility
    # statement, the legal notice and the contact address. Settings only, no person.
    "legal:accessibility": "the accessibility statement (RGAA): level, audit, how to report",
    "legal:notice": "the legal notice: publisher, publication director, host",
    "legal:contact": "whom to write to, for someone who cannot sign in",
    # Machines and browsers.
    "health": "load balancers and compose health checks; says ok or error, nothing else",
    "set_language": "the language switch of the sign-in pages",
    "immersion:region_feed": "calendar apps, which cannot sign in: signed personal token",
    # The young person's way in (youthspace/): no password, a one-time link by email.
    "youthspace:request_link": "a youth asks for a sign-in link; same answer for any address",
    "youthspace:sign_in": "the one-time link of the email (15 minutes, once, signed token)",
    "youthspace:answer_link": "a reminder's answer link: keeps its token, goes to the next",
    "youthspace:answer_confirm": "records the link's one answer, once; signs nobody in",
}


def _not_public() -> list[Route]:
    return [route for route in all_routes() if route.key not in PUBLIC]


def _failure_message(visitor: str, failures: list[str]) -> str:
    return (
        f"{len(failures)} URL(s) answered {visitor} with something other than a refusal "
        "(a redirect to the sign-in, or 403/404/405):\n  "
        + "\n  ".join(failures)
        + "\nIf the page is meant for anonymous visitors, mark the view `login_not_required` "
        "and add its URL name to PUBLIC in tests/test_url_reach_anonymous.py with the "
        "reason. Otherwise the view must not opt out of the sign-in."
    )


def _walk_as(client, visitor: str, methods=("get", "post"), before_each=None) -> None:
    failures = []
    for route in _not_public():
        for method in methods:
            if before_each:
                before_each()
            try:
                problem = refusal_problem(client, getattr(client, method)(route.url))
            except Exception as exc:  # noqa: BLE001 - a view that crashes reached its code
                problem = f"the view ran and raised {type(exc).__name__}: {exc}"
            if problem:
                failures.append(f"{method.upper()} {route.url}: {problem} — {route.describe()}")
    assert not failures, _failure_message(visitor, failures)


def test_the_walk_meets_every_kind_of_url():
    """The walk is the whole URLconf: the admin, allauth and every app are in it (a broken
    walk that lists nothing would let every test below pass)."""
    keys = {route.key for route in all_routes()}
    for expected in ("home", "account_login", "admin:index", "candidates:youth_detail"):
        assert expected in keys
    assert sum(route.is_admin for route in all_routes()) > 200
    assert len(keys) == len(all_routes()), "two URL patterns share a name"


def test_public_lists_only_urls_that_exist():
    keys = {route.key for route in all_routes()}
    stale = sorted(set(PUBLIC) - keys)
    assert not stale, f"PUBLIC names URLs that no longer exist: {stale}; remove them."


def test_every_view_that_opts_out_of_the_sign_in_is_listed_in_public():
    """A view marked `login_not_required` is a door for anyone: it must be a decision,
    written in PUBLIC, even when today it happens to answer 404 to a made-up argument."""
    unlisted = [
        route.describe()
        for route in all_routes()
        if route.opts_out_of_sign_in and route.key not in PUBLIC
    ]
    assert not unlisted, (
        "These views are marked login_not_required but are not in PUBLIC:\n  "
        + "\n  ".join(unlisted)
        + "\nAdd each to PUBLIC in tests/test_url_reach_anonymous.py with a one-line reason, "
        "or remove login_not_required from the view."
    )


def test_every_public_url_is_a_deliberate_opt_out():
    """The list stays short: an entry whose view requires a sign-in anyway is noise."""
    by_key = {route.key: route for route in all_routes()}
    needless = sorted(
        key for key in PUBLIC if key in by_key and not by_key[key].opts_out_of_sign_in
    )
    assert not needless, f"These PUBLIC entries require a sign-in anyway: {needless}"


def test_an_anonymous_visitor_is_refused_everywhere_else(client):
    """The test client does not check CSRF tokens: a POST reaches the view as a forged
    form would, so the refusal comes from the sign-in requirement, not from CSRF."""
    _walk_as(client, "an anonymous visitor")


def test_a_session_that_skipped_the_second_factor_is_refused_everywhere_else(client):
    """A user with TOTP whose session never passed it (a path into `login()` that skipped
    the challenge) is treated like an anonymous visitor on every URL, the admin's too.
    GET only: the gate (RequireTwoFactorMiddleware) closes the session before any view
    runs, whatever the method, and each request needs a fresh half-open session."""
    user = UserFactory(admin=True)  # a superuser: the account that reaches the most

    def half_signed_in():
        client.force_login(user)
        session = client.session
        session[signin.SESSION_KEY] = signin.SecondFactor.MISSING.value
        session.save()

    _walk_as(
        client, "a session without its second factor", methods=("get",), before_each=half_signed_in
    )
