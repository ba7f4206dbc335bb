"""Setting up the second factor: one secret for the whole set-up, a QR code whose alt
text describes it (the secret is shown apart, labelled, for typing by hand), and words
saying why the password is asked again and that the step is mandatory."""

import re

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY
from django.urls import reverse

from accounts.enums import Role
from tests.accounts.factories import DEFAULT_PASSWORD, make_member, totp_code

pytestmark = pytest.mark.django_db


@pytest.fixture
def lead_at_set_up(client):
    """A project lead signed in without a second factor, past the password check."""
    lead = make_member(Role.PROJECT_LEAD, totp=False)
    client.post(reverse("account_login"), {"login": lead.email, "password": DEFAULT_PASSWORD})
    reauth = client.get(reverse("mfa_activate_totp"))
    assert reauth.url.startswith(reverse("account_reauthenticate"))
    client.post(reverse("account_reauthenticate"), {"password": DEFAULT_PASSWORD})
    return lead


def test_the_password_check_says_why_it_is_asked_and_that_the_factor_is_mandatory(client):
    lead = make_member(Role.PROJECT_LEAD, totp=False)
    client.post(reverse("account_login"), {"login": lead.email, "password": DEFAULT_PASSWORD})
    response = client.get(reverse("account_reauthenticate"))
    body = response.content.decode()
    assert "saisissez de nouveau votre mot de passe" in body
    assert "La double authentification est obligatoire pour votre rôle" in body


def test_one_secret_for_the_whole_set_up(client, lead_at_set_up):
    client.get(reverse("mfa_activate_totp"))
    secret = client.session[SECRET_SESSION_KEY]
    # A reload, then another page (the gate sends the lead back to the set-up), then a
    # wrong code: the QR code scanned first stays valid.
    client.get(reverse("mfa_activate_totp"))
    assert client.get(reverse("home")).url.startswith(reverse("mfa_activate_totp"))
    client.get(reverse("mfa_activate_totp"))
    client.post(reverse("mfa_activate_totp"), {"code": "000000"})
    assert client.session[SECRET_SESSION_KEY] == secret
    response = client.post(reverse("mfa_activate_totp"), {"code": totp_code(secret)})
    assert response.status_code == 302
    assert Authenticator.objects.filter(user=lead_at_set_up, type="totp").exists()
    # Activation ends the set-up: its secret leaves the session.
    assert SECRET_SESSION_KEY not in client.session


def test_the_qr_code_is_described_and_the_secret_shown_apart(client, lead_at_set_up):
    response = client.get(reverse("mfa_activate_totp"))
    secret = client.session[SECRET_SESSION_KEY]
    body = response.content.decode()
    alt = re.search(r'<img[^>]*class="[^"]*totp-qr[^"]*"[^>]*alt="([^"]*)"', body).group(1)
    assert secret not in alt
    assert "Code QR à scanner" in alt
    grouped = " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))
    assert f'<code class="fs-6 user-select-all" id="totp-secret">{grouped}</code>' in body
    assert "Clé de configuration (à saisir à la main)" in body
    assert "Cette étape est obligatoire pour votre rôle." in body
    assert "codes de secours" in body


def test_a_wrong_code_is_summarised_at_the_top(client, lead_at_set_up):
    client.get(reverse("mfa_activate_totp"))
    response = client.post(reverse("mfa_activate_totp"), {"code": "000000"})
    body = response.content.decode()
    assert "data-error-summary" in body
    assert 'href="#id_code"' in body
