import pytest
from django.urls import reverse

from accounts.enums import Role
from tests.accounts.factories import UserFactory, make_member

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        (Role.ADVISOR, ["Conseiller"]),
        (Role.ML_MANAGER, ["Responsable de mission locale", "Mon équipe", "Invitations"]),
        (Role.RECRUITER, ["Recruteur"]),
        (Role.PROJECT_LEAD, ["Chargé de projet", "Demandes d&#x27;entreprises", "Invitations"]),
        (Role.NATIONAL, ["Équipe nationale", "national"]),
        (Role.PARTNER, ["Partenaire"]),
    ],
)
def test_each_role_has_a_home_page_with_its_organisation_role_and_next_steps(
    client, role, expected
):
    user = make_member(role)
    organisation = user.memberships.get().organisation
    client.force_login(user)
    response = client.get(reverse("home"))
    body = response.content.decode()
    assert response.status_code == 200
    assert organisation.name in body
    if organisation.region:
        assert organisation.region.name in body
    for text in expected:
        assert text in body


def test_a_user_without_organisation_is_told_so(client):
    client.force_login(UserFactory())
    assert "aucune organisation active" in client.get(reverse("home")).content.decode()


def test_advisors_do_not_see_management_entries(client):
    client.force_login(make_member(Role.ADVISOR))
    body = client.get(reverse("home")).content.decode()
    assert reverse("accounts:invitations") not in body
    assert reverse("accounts:team") not in body


def test_language_switch_to_english(client):
    client.force_login(make_member(Role.ADVISOR))
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    body = client.get(reverse("home")).content.decode()
    assert '<html lang="en">' in body


def test_every_page_names_the_portals_icon(client):
    from django.contrib.staticfiles import finders

    page = client.get(reverse("account_login")).content.decode()
    assert '<link rel="icon" href="/static/img/favicon.svg" type="image/svg+xml">' in page
    assert finders.find("img/favicon.svg")


def test_error_pages_are_french(client):
    client.force_login(make_member(Role.ADVISOR))
    response = client.get("/nulle-part/")
    assert response.status_code == 404
    assert "Page introuvable" in response.content.decode()


def test_profile_keeps_what_was_typed_and_links_the_digest_subscription(client):
    user = make_member(Role.ADVISOR)
    client.force_login(user)
    page = client.get(reverse("accounts:profile")).content.decode()
    assert reverse("reporting:digest_preview") in page
    response = client.post(
        reverse("accounts:profile"),
        {"first_name": "Inès", "last_name": "", "phone": "04 91", "language": "fr"},
    )
    assert response.status_code == 200
    assert 'value="Inès"' in response.content.decode()
    user.refresh_from_db()
    assert user.first_name != "Inès"
    client.post(
        reverse("accounts:profile"),
        {"first_name": "Inès", "last_name": "Roux", "phone": "04 91 00 00 00", "language": "en"},
    )
    user.refresh_from_db()
    assert (user.first_name, user.last_name, user.language) == ("Inès", "Roux", "en")
