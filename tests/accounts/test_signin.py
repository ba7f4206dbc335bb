import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse

from accounts.enums import Role
from tests.accounts.factories import DEFAULT_PASSWORD, UserFactory, make_member

pytestmark = pytest.mark.django_db


def _login(client, email, password=DEFAULT_PASSWORD):
    return client.post(reverse("account_login"), {"login": email, "password": password})


def test_sign_in_with_email_and_password_lands_on_home(client):
    user = make_member(Role.ADVISOR)
    response = _login(client, user.email)
    assert response.status_code == 302
    assert response.url == reverse("home")
    home = client.get(reverse("home"))
    assert home.status_code == 200
    assert user.first_name in home.content.decode()


def test_pages_require_sign_in(client):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_login_page_is_in_french(client):
    body = client.get(reverse("account_login")).content.decode()
    assert '<html lang="fr">' in body
    assert "Connexion" in body
    assert 'href="#contenu"' in body  # skip link
    assert "<header" in body and "<main" in body and "<footer" in body


def test_wrong_password_gets_a_french_message_and_keeps_the_email(client):
    user = make_member(Role.ADVISOR)
    response = _login(client, user.email, "pas-le-bon")
    assert response.status_code == 200
    body = response.content.decode()
    assert "L’adresse e-mail ou le mot de passe sont incorrects." in body
    assert f'value="{user.email}"' in body


def test_repeated_failures_slow_the_attacker_down(client):
    user = make_member(Role.ADVISOR)
    for _ in range(5):
        _login(client, user.email, "pas-le-bon")
    response = _login(client, user.email, DEFAULT_PASSWORD)
    body = response.content.decode()
    assert response.status_code == 200
    assert "Trop de tentatives de connexion échouées" in body
    assert "_auth_user_id" not in client.session


def test_sign_out(client):
    user = make_member(Role.ADVISOR)
    _login(client, user.email)
    response = client.post(reverse("account_logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_unverified_email_cannot_sign_in_and_gets_a_verification_mail(client):
    user = UserFactory()
    EmailAddress.objects.filter(user=user).update(verified=False)
    response = _login(client, user.email)
    assert response.status_code == 302
    assert response.url == reverse("account_email_verification_sent")
    assert "_auth_user_id" not in client.session
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [user.email]
    assert "/connexion/confirm-email/" in mail.outbox[0].body


def test_password_reset_mail_is_in_french_and_works(client):
    user = make_member(Role.ADVISOR)
    client.post(reverse("account_reset_password"), {"email": user.email})
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [user.email]
    assert "réinitialisation de mot de passe" in message.subject
    link = re.search(r"https?://\S+/connexion/password/reset/key/\S+", message.body).group(0)
    path = link.split("testserver", 1)[1]
    form_page = client.get(path, follow=True)
    assert form_page.status_code == 200
    new_password = "un-nouveau-mot-de-passe-77"
    response = client.post(
        form_page.redirect_chain[-1][0] if form_page.redirect_chain else path,
        {"password1": new_password, "password2": new_password},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(new_password)


def test_no_open_sign_up(client):
    response = client.get(reverse("account_signup"))
    body = response.content.decode()
    assert "les inscriptions sont actuellement fermées" in body
    client.post(
        reverse("account_signup"),
        {
            "email": "intrus@exemple.fr",
            "password1": "x-Tres-long-42!",
            "password2": "x-Tres-long-42!",
        },
    )
    from accounts.models import User

    assert not User.objects.filter(email="intrus@exemple.fr").exists()


@pytest.mark.parametrize("proxies", [0, 1])
def test_the_per_address_limit_counts_the_client_behind_the_trusted_proxies(
    client, settings, proxies
):
    """Behind a reverse proxy every request comes from the proxy's address: without the
    number of trusted proxies the per-address limit would lock everybody out at once."""
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = proxies
    attacker = {"HTTP_X_FORWARDED_FOR": "203.0.113.7"}
    for index in range(10):
        client.post(
            reverse("account_login"),
            {"login": f"inconnu{index}@exemple.fr", "password": "pas-le-bon"},
            **attacker,
        )
    user = make_member(Role.ADVISOR)
    colleague = client.post(
        reverse("account_login"),
        {"login": user.email, "password": DEFAULT_PASSWORD},
        HTTP_X_FORWARDED_FOR="198.51.100.20",
    )
    if proxies:
        # Another person behind the same proxy signs in.
        assert colleague.status_code == 302
        client.logout()
        refused = client.post(
            reverse("account_login"),
            {"login": user.email, "password": DEFAULT_PASSWORD},
            **attacker,
        )
        assert refused.status_code in (200, 429)
        assert "_auth_user_id" not in client.session
    else:
        # Without a trusted proxy the header is ignored: anyone could forge it.
        assert colleague.status_code in (200, 429)
        assert "_auth_user_id" not in client.session


def test_a_link_to_the_former_sign_in_prefix_leads_to_the_same_page(client):
    """Emails sent before the sign-in moved to /connexion/ hold /comptes/ links (a
    password reset, an email confirmation): they still work, query string included."""
    response = client.get("/comptes/password/reset/key/1-set-password/?next=/jeunes/")
    assert response.status_code == 301
    assert response["Location"] == "/connexion/password/reset/key/1-set-password/?next=/jeunes/"
    assert client.get("/comptes/login/").url == reverse("account_login")
