import pytest
from django.core import mail
from django.urls import reverse

from accounts.enums import AccessRequestStatus, InvitationStatus, OrganisationKind, Role
from accounts.models import CompanyAccessRequest, Invitation, Organisation
from tests.accounts.factories import ACCESS_REQUEST_SIRET, access_request_post, make_member
from tests.helpers import assert_refused

pytestmark = pytest.mark.django_db

SIRET = ACCESS_REQUEST_SIRET


def test_a_company_requests_access_and_gets_none_until_approved(
    client, region, lead, django_capture_on_commit_callbacks, tasks_in_process
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("accounts:request_company_access"), access_request_post(region)
        )
    assert response.status_code == 200
    assert "Demande envoyée" in response.content.decode()
    request = CompanyAccessRequest.objects.get()
    assert request.siret == SIRET
    assert request.status == AccessRequestStatus.PENDING
    assert not Organisation.objects.filter(siret=SIRET).exists()
    assert not Invitation.objects.exists()
    assert [m.to for m in mail.outbox] == [[lead.email]]
    assert "Une demande d'accès d'entreprise en attente" in mail.outbox[0].subject
    assert "Phocée Appels" in mail.outbox[0].body


def test_an_invalid_siret_is_refused_in_french_and_the_form_keeps_its_values(client, region):
    response = client.post(
        reverse("accounts:request_company_access"),
        access_request_post(region, siret="12345678901234"),
    )
    body = response.content.decode()
    assert "Ce SIRET n&#x27;est pas valide" in body
    assert 'value="Phocée Appels"' in body
    assert not CompanyAccessRequest.objects.exists()


def test_the_project_lead_approves_and_the_company_is_invited(
    client, region, lead, django_capture_on_commit_callbacks, tasks_in_process
):
    client.post(reverse("accounts:request_company_access"), access_request_post(region))
    request = CompanyAccessRequest.objects.get()
    client.force_login(lead)
    page = client.get(reverse("accounts:access_requests")).content.decode()
    assert "Phocée Appels" in page
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("accounts:decide_access_request", args=[request.pk, "approve"]))
    request.refresh_from_db()
    assert request.status == AccessRequestStatus.APPROVED
    company = Organisation.objects.get(siret=SIRET)
    assert company.kind == OrganisationKind.COMPANY
    assert company.region == region
    invitation = Invitation.objects.get()
    assert (invitation.email, invitation.organisation, invitation.role) == (
        "yanis@phocee-appels.fr",
        company,
        Role.RECRUITER,
    )
    assert invitation.status == InvitationStatus.PENDING
    assert mail.outbox[0].to == ["yanis@phocee-appels.fr"]
    # Deciding twice is refused and changes nothing.
    client.post(
        reverse("accounts:decide_access_request", args=[request.pk, "reject"]), {"reason": "x"}
    )
    request.refresh_from_db()
    assert request.status == AccessRequestStatus.APPROVED


def test_rejection_needs_a_reason_and_tells_the_requester(
    client, region, lead, django_capture_on_commit_callbacks, tasks_in_process
):
    client.post(reverse("accounts:request_company_access"), access_request_post(region))
    request = CompanyAccessRequest.objects.get()
    client.force_login(lead)
    client.post(
        reverse("accounts:decide_access_request", args=[request.pk, "reject"]), {"reason": ""}
    )
    request.refresh_from_db()
    assert request.status == AccessRequestStatus.PENDING
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("accounts:decide_access_request", args=[request.pk, "reject"]),
            {"reason": "Entreprise hors du périmètre de la convention."},
        )
    request.refresh_from_db()
    assert request.status == AccessRequestStatus.REJECTED
    assert "hors du périmètre" in mail.outbox[0].body
    assert not Organisation.objects.filter(siret=SIRET).exists()


def test_a_project_lead_of_another_region_never_sees_the_request(client, region):
    client.post(reverse("accounts:request_company_access"), access_request_post(region))
    request = CompanyAccessRequest.objects.get()
    other_lead = make_member(Role.PROJECT_LEAD)
    client.force_login(other_lead)
    assert "Phocée Appels" not in client.get(reverse("accounts:access_requests")).content.decode()
    assert_refused(
        client,
        other_lead,
        reverse("accounts:decide_access_request", args=[request.pk, "approve"]),
        method="post",
        must_not_contain=["Phocée Appels"],
    )
    assert_refused(
        client,
        other_lead,
        reverse("accounts:decide_access_request", args=[request.pk, "reject"]),
        method="post",
        data={"reason": "Hors périmètre."},
        must_not_contain=["Phocée Appels"],
    )
    request.refresh_from_db()
    assert request.status == AccessRequestStatus.PENDING


def test_an_unknown_decision_is_not_a_rejection(client, region, lead):
    client.post(reverse("accounts:request_company_access"), access_request_post(region))
    request = CompanyAccessRequest.objects.get()
    client.force_login(lead)
    response = client.post(
        reverse("accounts:decide_access_request", args=[request.pk, "ignorer"]),
        {"reason": "Hors périmètre."},
    )
    assert response.status_code == 404
    request.refresh_from_db()
    assert request.status == AccessRequestStatus.PENDING


def test_only_project_leads_open_the_review_page(client, region):
    for role in (Role.ADVISOR, Role.RECRUITER, Role.NATIONAL):
        assert_refused(
            client, make_member(role, region=region), reverse("accounts:access_requests")
        )
