"""Every way into a session, for a user with a second factor and for one without.

The attack this guards against: `/admin/login/` signed a superuser in with the password
alone (no TOTP, no lock-out), and that session then exported every youth's file. Each
entry point below must end in the one sign-in, with its lock-out and, for the users who
have or need one, the second factor.
"""

import re

import pytest
from django.core import mail
from django.urls import reverse

from accounts import signin
from accounts.enums import Role
from tests.accounts.factories import (
    DEFAULT_PASSWORD,
    UserFactory,
    enrol_totp,
    make_member,
    totp_code,
)
from tests.candidates.factories import YouthFactory

pytestmark = pytest.mark.django_db

EXPORT = "/jeunes/export.csv?status=all"


def _password_step(client, user, password=DEFAULT_PASSWORD):
    return client.post(reverse("account_login"), {"login": user.email, "password": password})


def _signed_in(client) -> bool:
    return "_auth_user_id" in client.session


@pytest.fixture
def superuser():
    user = UserFactory(admin=True, totp=False, email="ops@exemple.fr")
    return user, enrol_totp(user)


@pytest.fixture
def youth():
    return YouthFactory(first_name="Zoé", last_name="Secretfile")


# --- Django's admin ---------------------------------------------------------------------


def test_the_admin_login_page_sends_people_to_the_portal_sign_in(client):
    response = client.get("/admin/login/?next=/admin/accounts/user/")
    assert response.status_code == 302
    assert response.url == (f"{reverse('account_login')}?next=/admin/accounts/user/")
    # An outside address in `next` is never followed.
    outside = client.get("/admin/login/?next=https://evil.example/")
    assert outside.url == f"{reverse('account_login')}?next=/admin/"


def test_the_admin_login_form_no_longer_signs_anyone_in(client, superuser, youth):
    user, _secret = superuser
    # The attack: 42 wrong passwords, then the right one, on the admin's own form.
    for _ in range(42):
        client.post("/admin/login/", {"username": user.email, "password": "pas-le-bon"})
    response = client.post("/admin/login/", {"username": user.email, "password": DEFAULT_PASSWORD})
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))
    assert not _signed_in(client)
    export = client.get(EXPORT)
    assert export.status_code == 302
    assert "Secretfile" not in export.content.decode()


def test_a_superuser_reaches_the_admin_only_after_the_totp_challenge(client, superuser):
    user, secret = superuser
    first = _password_step(client, user)
    assert first.url == reverse("mfa_authenticate")
    assert not _signed_in(client)
    assert client.get("/admin/").status_code == 302
    done = client.post(reverse("mfa_authenticate"), {"code": totp_code(secret)})
    assert done.status_code == 302
    assert client.get("/admin/").status_code == 200


def test_a_signed_in_user_without_admin_rights_is_refused_not_looped(client):
    client.force_login(make_member(Role.ADVISOR))
    assert client.get("/admin/login/").status_code == 403
    assert client.get("/admin/").status_code == 302  # to the login page, which refuses


def test_the_lock_out_counts_for_the_admin_too(client, superuser):
    user, secret = superuser
    for _ in range(5):
        _password_step(client, user, "pas-le-bon")
    locked = _password_step(client, user)
    assert locked.status_code == 200
    assert "Trop de tentatives de connexion échouées" in locked.content.decode()
    assert not _signed_in(client)


# --- A session opened by a path that skipped the challenge --------------------------------


def test_a_password_only_session_of_a_user_with_totp_reaches_nothing(client, youth):
    """`client.login()` is Django's bare authenticate() + login(): the shape of any path
    that would skip allauth's stages (a library view, a future feature)."""
    lead = make_member(Role.PROJECT_LEAD)  # enrolled
    assert client.login(email=lead.email, password=DEFAULT_PASSWORD)
    assert _signed_in(client)
    response = client.get(EXPORT)
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))
    assert not _signed_in(client)
    assert "Secretfile" not in response.content.decode()


def test_the_same_bare_login_of_an_admin_is_closed_too(client, superuser, youth):
    user, _secret = superuser
    assert client.login(email=user.email, password=DEFAULT_PASSWORD)
    assert client.get("/admin/").status_code == 302
    assert not _signed_in(client)


def test_between_password_and_code_nothing_is_reachable(client, youth):
    lead = make_member(Role.PROJECT_LEAD)
    assert _password_step(client, lead).url == reverse("mfa_authenticate")
    for url in (reverse("home"), EXPORT, "/admin/", "/connexion/email/"):
        assert client.get(url).status_code == 302, url
    assert not _signed_in(client)


def test_the_challenge_is_rate_limited(client):
    lead = make_member(Role.PROJECT_LEAD)
    _password_step(client, lead)
    for _ in range(5):
        client.post(reverse("mfa_authenticate"), {"code": "000000"})
    refused = client.post(reverse("mfa_authenticate"), {"code": "000000"})
    assert "Trop de tentatives" in refused.content.decode()
    assert not _signed_in(client)


# --- Users without a second factor -------------------------------------------------------


@pytest.mark.parametrize("role", [Role.PROJECT_LEAD, Role.NATIONAL])
def test_a_role_that_needs_a_second_factor_reaches_only_the_set_up(client, role, youth):
    user = make_member(role, totp=False)
    _password_step(client, user)
    assert _signed_in(client)
    assert client.session[signin.SESSION_KEY] == signin.SecondFactor.NOT_ENROLLED
    for url in (reverse("home"), EXPORT, "/indicateurs/", "/connexion/email/", "/admin/"):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.url.startswith(reverse("mfa_activate_totp")), url
    # The set-up and signing out stay open.
    assert client.get(reverse("mfa_activate_totp")).status_code in (200, 302)
    assert client.post(reverse("account_logout")).status_code == 302
    assert not _signed_in(client)


def test_an_advisor_without_a_second_factor_signs_in_with_the_password(client):
    advisor = make_member(Role.ADVISOR)
    _password_step(client, advisor)
    assert client.get(reverse("home")).status_code == 200


def test_an_advisor_who_enrolled_totp_is_challenged_too(client):
    advisor = make_member(Role.ADVISOR)
    secret = enrol_totp(advisor)
    assert _password_step(client, advisor).url == reverse("mfa_authenticate")
    client.post(reverse("mfa_authenticate"), {"code": totp_code(secret)})
    assert client.get(reverse("home")).status_code == 200


def test_enrolling_elsewhere_closes_a_session_still_waiting_for_set_up(client):
    lead = make_member(Role.PROJECT_LEAD, totp=False)
    _password_step(client, lead)
    enrol_totp(lead)  # from another browser
    response = client.get(reverse("home"))
    assert response.url.startswith(reverse("account_login"))
    assert not _signed_in(client)


# --- Password reset ------------------------------------------------------------------------


def _reset_password(client, user, new_password):
    client.post(reverse("account_reset_password"), {"email": user.email})
    link = re.search(r"https?://\S+/connexion/password/reset/key/\S+/", mail.outbox[-1].body)
    assert link, mail.outbox[-1].body
    path = link.group(0).split("testserver", 1)[1]
    form_page = client.get(path, follow=True)
    assert form_page.status_code == 200
    action = form_page.redirect_chain[-1][0] if form_page.redirect_chain else path
    return client.post(action, {"password1": new_password, "password2": new_password})


@pytest.mark.parametrize("with_totp", [True, False], ids=["with-totp", "without-totp"])
def test_a_password_reset_opens_no_session(client, with_totp):
    lead = make_member(Role.PROJECT_LEAD, totp=False)
    secret = enrol_totp(lead) if with_totp else None
    done = _reset_password(client, lead, "Nouveau-Mot-De-Passe-2026")
    assert done.status_code == 302
    assert not _signed_in(client)
    signed = client.post(
        reverse("account_login"),
        {"login": lead.email, "password": "Nouveau-Mot-De-Passe-2026"},
    )
    if with_totp:
        assert signed.url == reverse("mfa_authenticate")
        assert not _signed_in(client)
        client.post(reverse("mfa_authenticate"), {"code": totp_code(secret)})
        assert client.get(reverse("home")).status_code == 200
    else:
        assert client.get(reverse("home")).url.startswith(reverse("mfa_activate_totp"))


# --- An invitation being accepted -----------------------------------------------------------


def _accept(client, invitation):
    return client.post(
        reverse("accounts:accept_invitation", args=[invitation.token]),
        {
            "first_name": "Inès",
            "last_name": "Roussel",
            "password1": "Bonjour-Marseille-2026",
            "password2": "Bonjour-Marseille-2026",
        },
    )


@pytest.mark.parametrize(
    ("role", "needs_totp"),
    [(Role.ADVISOR, False), (Role.PROJECT_LEAD, True)],
    ids=["advisor", "project-lead"],
)
def test_an_accepted_invitation_opens_the_same_session_as_the_sign_in(
    client, role, needs_totp, youth
):
    from accounts.services import invite_member
    from tests.accounts.factories import OrganisationFactory

    organisation = OrganisationFactory(
        **({"mission_locale": True} if role == Role.ADVISOR else {"business_network": True})
    )
    invitation = invite_member(
        inviter=UserFactory(admin=True),
        email="ines@exemple.fr",
        organisation=organisation,
        role=role,
    )
    response = _accept(client, invitation)
    assert response.status_code == 302
    assert _signed_in(client)
    home = client.get(reverse("home"))
    if needs_totp:
        assert home.url.startswith(reverse("mfa_activate_totp"))
        assert client.get(EXPORT).url.startswith(reverse("mfa_activate_totp"))
    else:
        assert home.status_code == 200
