"""The hostile payload table of every accounts form that stores text, run by
`tests/test_hostile_input.py` (see `tests/hostile_forms.py` for what each payload must
give); and the checks of the accounts' own: an email past its column, a line break
kept out of the leads' mail headers."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from accounts.enums import Role
from accounts.forms import (
    AcceptInvitationForm,
    CompanyAccessRequestForm,
    InvitationForm,
    ProfileForm,
    RejectAccessRequestForm,
)
from accounts.models import CompanyAccessRequest, Invitation, User
from tests.accounts.factories import (
    CompanyAccessRequestFactory,
    OrganisationFactory,
    RegionFactory,
    access_request_post,
    invite_advisor,
    make_member,
)
from tests.hostile_forms import (
    MESSAGE,
    FormCase,
    Situation,
    errors_of,
    post_typed,
    stored,
)
from tests.payloads import CRLF

pytestmark = pytest.mark.django_db


def _profile() -> Situation:
    user = make_member(Role.ADVISOR)
    return Situation(
        url=reverse("accounts:profile"),
        data={"first_name": "Inès", "last_name": "Roux", "phone": "", "language": "fr"},
        user=user,
        read=stored(User.objects.filter(pk=user.pk)),
    )


def _invitation() -> Situation:
    lead = make_member(Role.PROJECT_LEAD)
    region = lead.memberships.get().organisation.region
    company = OrganisationFactory(company=True, region=region)
    return Situation(
        url=reverse("accounts:invitations"),
        data={
            "email": "nouvelle@exemple.fr",
            "first_name": "Inès",
            "last_name": "Roux",
            "organisation": company.pk,
            "role": Role.RECRUITER,
        },
        user=lead,
        read=stored(Invitation.objects.all()),
        # The names typed are shown to the invited person, on the page that accepts.
        page=lambda: reverse(
            "accounts:accept_invitation", args=[Invitation.objects.latest("pk").token]
        ),
    )


def _accept_invitation() -> Situation:
    invitation = invite_advisor("nouvelle@exemple.fr")
    return Situation(
        url=reverse("accounts:accept_invitation", args=[invitation.token]),
        data={
            "first_name": "Inès",
            "last_name": "Roux",
            "password1": "Bonjour-Marseille-2026",
            "password2": "Bonjour-Marseille-2026",
        },
        user=None,
        read=stored(User.objects.filter(email="nouvelle@exemple.fr")),
        page=reverse("accounts:profile"),
    )


def _company_access_request() -> Situation:
    region = RegionFactory(paca=True)
    return Situation(
        url=reverse("accounts:request_company_access"),
        data=access_request_post(region),
        user=None,
        read=stored(CompanyAccessRequest.objects.all()),
        page=reverse("accounts:access_requests"),
        viewer=make_member(Role.PROJECT_LEAD, region=region),
    )


def _access_request_rejection() -> Situation:
    region = RegionFactory(paca=True)
    lead = make_member(Role.PROJECT_LEAD, region=region)
    access_request = CompanyAccessRequestFactory(region=region)
    return Situation(
        url=reverse("accounts:decide_access_request", args=[access_request.pk, "reject"]),
        data={"reason": "Entreprise hors du champ de la convention."},
        user=lead,
        read=stored(CompanyAccessRequest.objects.all(), reason="decision_reason"),
        page=reverse("accounts:access_requests"),
    )


CASES = [
    FormCase(
        "profile",
        (ProfileForm,),
        _profile,
        # The phone number of a colleague takes any text up to 20 characters.
        text=("first_name", "last_name", "phone"),
    ),
    FormCase(
        "invitation",
        (InvitationForm,),
        _invitation,
        text=("first_name", "last_name"),
        constrained=("email",),
    ),
    FormCase(
        "accept-invitation",
        (AcceptInvitationForm,),
        _accept_invitation,
        text=("first_name", "last_name"),
    ),
    FormCase(
        "company-access-request",
        (CompanyAccessRequestForm,),
        _company_access_request,
        text=("company_name", "city", "first_name", "last_name", "phone", "message"),
        constrained=("siret", "postcode", "email"),
    ),
    FormCase(
        "access-request-rejection",
        (RejectAccessRequestForm,),
        _access_request_rejection,
        text=("reason",),
        refusal=MESSAGE,
    ),
]


def test_an_email_longer_than_its_column_is_refused_next_to_the_field(client):
    # Django's EmailField takes 320 characters; the column holds 254. A valid address
    # past that reached PostgreSQL and gave a DataError, an HTTP 500.
    situation = _invitation()
    email = "a" * 250 + "@exemple.fr"
    response = post_typed(client, situation, "email", email)
    assert response.status_code == 200
    assert errors_of(response, "email") == [
        "Assurez-vous que cette valeur comporte au plus 254 caractères (actuellement 261)."
    ]
    assert not Invitation.objects.exists()


def test_a_line_break_in_the_public_request_stays_out_of_the_leads_mail_headers(
    client, django_capture_on_commit_callbacks, tasks_in_process
):
    # Anyone may post this form, and the company's name reaches the mail to the region's
    # project leads (in its body: the subject counts the requests waiting).
    situation = _company_access_request()
    with django_capture_on_commit_callbacks(execute=True):
        response = post_typed(client, situation, "company_name", CRLF.text)
    assert response.status_code == 200
    assert CompanyAccessRequest.objects.get().company_name == CRLF.text
    [message] = mail.outbox
    assert message.to == [situation.viewer.email]
    mime = message.message()
    assert "\r" not in message.subject and "\n" not in message.subject, message.subject
    assert not message.bcc and "Bcc" not in mime
    assert "Bcc: victim@example.org" in message.body  # plain text in the body, no header
