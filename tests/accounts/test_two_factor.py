import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import (
    SECRET_SESSION_KEY,
)
from django.urls import reverse

from accounts.enums import Role
from tests.accounts.factories import DEFAULT_PASSWORD, UserFactory, make_member, totp_code

pytestmark = pytest.mark.django_db


def _login(client, user):
    return client.post(
        reverse("account_login"), {"login": user.email, "password": DEFAULT_PASSWORD}
    )


@pytest.mark.parametrize("role", [Role.PROJECT_LEAD, Role.NATIONAL])
def test_roles_with_wide_views_must_enrol_a_second_factor(client, role):
    user = make_member(role, totp=False)
    _login(client, user)
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("mfa_activate_totp"))


def test_admins_must_enrol_a_second_factor(client):
    user = UserFactory(admin=True, totp=False)
    _login(client, user)
    assert client.get(reverse("home")).url.startswith(reverse("mfa_activate_totp"))


def test_advisors_are_not_forced(client):
    user = make_member(Role.ADVISOR)
    _login(client, user)
    assert client.get(reverse("home")).status_code == 200


@pytest.mark.django_db(transaction=True)
def test_totp_enrolment_then_challenge_at_next_sign_in(client):
    # Transactional: allauth announces the new factor once its transaction commits, and
    # the session counts it as passed from then on, as in production.
    user = make_member(Role.PROJECT_LEAD, totp=False)
    _login(client, user)
    # Adding a second factor asks for the password again (allauth's reauthentication).
    redirect = client.get(reverse("mfa_activate_totp"))
    assert redirect.url.startswith(reverse("account_reauthenticate"))
    client.post(reverse("account_reauthenticate"), {"password": DEFAULT_PASSWORD})
    page = client.get(reverse("mfa_activate_totp"))
    assert page.status_code == 200
    secret = client.session[SECRET_SESSION_KEY]
    wrong = client.post(reverse("mfa_activate_totp"), {"code": "000000"})
    assert wrong.status_code == 200
    assert not Authenticator.objects.filter(user=user).exists()
    response = client.post(reverse("mfa_activate_totp"), {"code": totp_code(secret)})
    assert response.status_code == 302
    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
    assert client.get(reverse("home")).status_code == 200

    client.post(reverse("account_logout"))
    challenge = _login(client, user)
    assert challenge.status_code == 302
    assert challenge.url == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session
    refused = client.post(reverse("mfa_authenticate"), {"code": "123456"})
    assert refused.status_code == 200
    assert "_auth_user_id" not in client.session
    accepted = client.post(reverse("mfa_authenticate"), {"code": totp_code(secret)})
    assert accepted.status_code == 302
    assert client.get(reverse("home")).status_code == 200
