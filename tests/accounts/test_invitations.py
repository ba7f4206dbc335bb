import re
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts.enums import InvitationStatus, Role
from accounts.models import Invitation, Membership, User
from tests.accounts.factories import OrganisationFactory, UserFactory, invite_advisor, make_member
from tests.helpers import assert_refused

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager():
    return make_member(Role.ML_MANAGER)


def _invite(client, manager, email="nouvelle@exemple.fr", role=Role.ADVISOR, organisation=None):
    client.force_login(manager)
    organisation = organisation or manager.memberships.get().organisation
    return client.post(
        reverse("accounts:invitations"),
        {
            "email": email,
            "first_name": "Inès",
            "last_name": "Roux",
            "organisation": organisation.pk,
            "role": role,
        },
    )


def test_a_manager_invites_an_advisor_who_creates_an_account(
    client, manager, django_capture_on_commit_callbacks, tasks_in_process
):
    with django_capture_on_commit_callbacks(execute=True):
        response = _invite(client, manager)
    assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert invitation.role == Role.ADVISOR
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["nouvelle@exemple.fr"]
    assert "Invitation à rejoindre" in message.subject
    assert "vous invite à rejoindre" in message.body
    path = re.search(r"http://testserver(/compte/invitation/\S+/)", message.body).group(1)

    client.logout()
    page = client.get(path)
    assert page.status_code == 200
    assert "Créer mon compte" in page.content.decode()
    response = client.post(
        path,
        {
            "first_name": "Inès",
            "last_name": "Roux",
            "password1": "Bonjour-Marseille-2026",
            "password2": "Bonjour-Marseille-2026",
        },
    )
    assert response.status_code == 302
    user = User.objects.get(email="nouvelle@exemple.fr")
    assert Membership.objects.filter(
        user=user, organisation=invitation.organisation, role=Role.ADVISOR
    ).exists()
    assert user.emailaddress_set.get().verified
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.ACCEPTED
    assert client.get(reverse("home")).status_code == 200
    # The link works once.
    again = client.get(path)
    assert again.status_code == 410
    assert "déjà été acceptée" in again.content.decode()


def test_an_expired_invitation_says_so_and_creates_nothing(client, manager):
    _invite(client, manager)
    invitation = Invitation.objects.get()
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - timedelta(days=1)
    )
    client.logout()
    url = reverse("accounts:accept_invitation", args=[invitation.token])
    response = client.post(
        url,
        {
            "first_name": "A",
            "last_name": "B",
            "password1": "Bonjour-Marseille-2026",
            "password2": "Bonjour-Marseille-2026",
        },
    )
    assert response.status_code == 410
    assert "Cette invitation a expiré le" in response.content.decode()
    assert not User.objects.filter(email=invitation.email).exists()


def _accept_as_ines(client, manager, password1, password2):
    """Invite, sign out, and answer the invitation as Inès Roussel with these
    passwords: (the invitation, the response)."""
    _invite(client, manager)
    invitation = Invitation.objects.get()
    client.logout()
    response = client.post(
        reverse("accounts:accept_invitation", args=[invitation.token]),
        {
            "first_name": "Inès",
            "last_name": "Roussel",
            "password1": password1,
            "password2": password2,
        },
    )
    return invitation, response


def test_mismatched_passwords_keep_what_was_typed(client, manager):
    invitation, response = _accept_as_ines(
        client, manager, "Bonjour-Marseille-2026", "autre-chose-2026"
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Les deux mots de passe ne sont pas identiques." in body
    assert 'value="Roussel"' in body
    assert not User.objects.filter(email=invitation.email).exists()


def test_a_weak_password_is_refused_and_an_unknown_link_is_404(client, manager):
    invitation, response = _accept_as_ines(client, manager, "12345678", "12345678")
    assert response.status_code == 200
    assert response.context["form"].errors["password1"]
    assert 'value="Roussel"' in response.content.decode()
    assert not User.objects.filter(email=invitation.email).exists()
    unknown = reverse("accounts:accept_invitation", args=["pas-un-jeton"])
    assert client.get(unknown).status_code == 404


def test_an_email_already_used_is_refused_with_a_clear_message(client, manager):
    existing = UserFactory()
    response = _invite(client, manager, email=existing.email.upper())
    assert response.status_code == 200
    assert "Un compte existe déjà avec cette adresse e-mail" in response.content.decode()
    assert not Invitation.objects.exists()


def test_a_second_pending_invitation_is_refused(client, manager):
    _invite(client, manager)
    response = _invite(client, manager)
    assert "Une invitation est déjà en attente pour cette adresse." in response.content.decode()
    assert Invitation.objects.count() == 1


def test_a_manager_cannot_invite_into_another_mission_locale(client, manager):
    other = OrganisationFactory(mission_locale=True)
    response = _invite(client, manager, organisation=other)
    assert response.status_code == 200
    assert not Invitation.objects.exists()


def test_a_manager_cannot_invite_a_recruiter(client, manager):
    response = _invite(client, manager, role=Role.RECRUITER)
    assert response.status_code == 200
    assert not Invitation.objects.exists()


def test_advisors_and_recruiters_cannot_invite(client):
    for role in (Role.ADVISOR, Role.RECRUITER):
        assert_refused(client, make_member(role), reverse("accounts:invitations"))


def test_a_project_lead_invites_recruiters_of_their_region_only(client):
    lead = make_member(Role.PROJECT_LEAD)
    region = lead.memberships.get().organisation.region
    company = OrganisationFactory(company=True, region=region)
    elsewhere = OrganisationFactory(company=True)
    client.force_login(lead)
    page = client.get(reverse("accounts:invitations")).content.decode()
    assert company.name in page
    assert elsewhere.name not in page
    _invite(client, lead, email="rh@exemple.fr", role=Role.RECRUITER, organisation=company)
    assert Invitation.objects.get().organisation == company
    _invite(client, lead, email="rh2@exemple.fr", role=Role.RECRUITER, organisation=elsewhere)
    assert Invitation.objects.count() == 1


def test_revoking_is_limited_to_who_may_invite(client, manager):
    _invite(client, manager)
    invitation = Invitation.objects.get()
    other_manager = make_member(Role.ML_MANAGER)
    assert_refused(
        client,
        other_manager,
        reverse("accounts:revoke_invitation", args=[invitation.pk]),
        method="post",
    )
    # the project lead of the same region invites into companies and partners, not into
    # the mission locale: its invitations are neither listed nor revocable for them
    mission_locale = manager.memberships.get().organisation
    lead = make_member(Role.PROJECT_LEAD, region=mission_locale.region)
    client.force_login(lead)
    assert invitation.email not in client.get(reverse("accounts:invitations")).content.decode()
    assert_refused(
        client, lead, reverse("accounts:revoke_invitation", args=[invitation.pk]), method="post"
    )
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.PENDING
    client.force_login(manager)
    client.post(reverse("accounts:revoke_invitation", args=[invitation.pk]))
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.REVOKED
    client.logout()
    assert (
        client.get(reverse("accounts:accept_invitation", args=[invitation.token])).status_code
        == 410
    )


def test_the_invitations_page_shows_only_my_organisations_invitations(client, manager):
    invite_advisor("secret@exemple.fr")  # by the manager of another mission locale
    client.force_login(manager)
    body = client.get(reverse("accounts:invitations")).content.decode()
    assert "secret@exemple.fr" not in body


def test_nightly_expiry_is_safe_to_run_twice(manager, client):
    from accounts.services import expire_invitations

    _invite(client, manager)
    Invitation.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    assert expire_invitations() == 1
    assert expire_invitations() == 0
    assert Invitation.objects.get().status == InvitationStatus.EXPIRED
