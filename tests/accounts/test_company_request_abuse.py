"""The public company access request form, attacked.

What an attacker found: an existing address got "Un compte existe déjà avec cette
adresse e-mail" (the form told who has an account), and 30 requests in one second were
all accepted, each emailing the region's project leads.
"""

import re

import pytest
from django.core import mail
from django.urls import reverse

from accounts.enums import Role
from accounts.models import CompanyAccessRequest
from accounts.services import reject_company_access_request
from accounts.tasks import notify_access_request_received
from tests.accounts.factories import (
    ACCESS_REQUEST_SIRET,
    CompanyAccessRequestFactory,
    UserFactory,
    access_request_post,
    make_member,
)

pytestmark = pytest.mark.django_db

URL = reverse("accounts:request_company_access")


def _visible(response) -> str:
    """The page as a person sees it (the CSRF token changes on every page)."""
    return re.sub(r'value="[^"]{32,}"', 'value=""', response.content.decode())


def test_the_answer_is_the_same_whatever_the_address(
    client, region, lead, django_capture_on_commit_callbacks, tasks_in_process
):
    owner = UserFactory(email="deja.inscrite@exemple.fr", first_name="Maëlle")
    with django_capture_on_commit_callbacks(execute=True):
        new = client.post(URL, access_request_post(region, email="nouvelle@exemple.fr"))
    with django_capture_on_commit_callbacks(execute=True):
        known = client.post(URL, access_request_post(region, email="Deja.Inscrite@exemple.fr"))
    assert new.status_code == known.status_code == 200
    assert _visible(new) == _visible(known)
    assert "existe déjà" not in known.content.decode()
    # Only the new address makes a request; the owner of the known one is told instead.
    assert list(CompanyAccessRequest.objects.values_list("email", flat=True)) == [
        "nouvelle@exemple.fr"
    ]
    to_owner = [m for m in mail.outbox if m.to == [owner.email]]
    assert len(to_owner) == 1
    assert "Vous avez déjà un compte" in to_owner[0].body
    assert "/connexion/password/reset/" in to_owner[0].body
    assert "&#x27;" not in to_owner[0].body
    assert len([m for m in mail.outbox if m.to == [lead.email]]) == 1


def test_a_request_already_pending_gets_the_same_answer_and_is_not_recorded_twice(
    client, region, lead, django_capture_on_commit_callbacks, tasks_in_process
):
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(URL, access_request_post(region))
    with django_capture_on_commit_callbacks(execute=True):
        again = client.post(URL, access_request_post(region))
    assert _visible(first) == _visible(again)
    assert CompanyAccessRequest.objects.count() == 1
    assert len([m for m in mail.outbox if m.to == [lead.email]]) == 1


def test_thirty_requests_in_a_second_from_one_client_are_cut_at_five(client, region):
    answers = [
        client.post(URL, access_request_post(region, email=f"robot{index}@exemple.fr")).status_code
        for index in range(30)
    ]
    assert answers[:5] == [200] * 5
    assert set(answers[5:]) == {429}
    assert CompanyAccessRequest.objects.count() == 5
    refused = client.post(URL, access_request_post(region, email="encore@exemple.fr"))
    body = refused.content.decode()
    assert "Trop de demandes ont été envoyées" in body
    # What was typed is kept.
    assert 'value="Phocée Appels"' in body


def test_one_address_is_limited_whatever_the_client(client, region):
    for index in range(3):
        client.post(
            URL,
            access_request_post(
                region, siret=ACCESS_REQUEST_SIRET, company_name=f"Société {index}"
            ),
            REMOTE_ADDR=f"198.51.100.{index + 1}",
        )
    fourth = client.post(URL, access_request_post(region), REMOTE_ADDR="198.51.100.99")
    assert fourth.status_code == 429


def test_a_filled_honeypot_gets_the_usual_answer_and_stores_nothing(
    client, region, lead, django_capture_on_commit_callbacks, tasks_in_process
):
    page = client.get(URL).content.decode()
    # The trap is hidden from people and from screen readers.
    assert re.search(
        r'<div[^>]*class="d-none"[^>]*aria-hidden="true"[^>]*>.*?name="website"', page, re.S
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, access_request_post(region, website="https://spam.example"))
    assert response.status_code == 200
    assert "Demande envoyée" in response.content.decode()
    assert not CompanyAccessRequest.objects.exists()
    assert mail.outbox == []


def test_a_burst_of_requests_makes_one_email_per_lead(
    client, region, lead, django_capture_on_commit_callbacks, tasks_in_process
):
    """Requests from many addresses (each under the limits) in one quarter of an hour:
    the region's project leads hear once, not thirty times."""
    second_lead = make_member(Role.PROJECT_LEAD, region=region)
    for index in range(30):
        with django_capture_on_commit_callbacks(execute=True):
            client.post(
                URL,
                access_request_post(
                    region, email=f"contact{index}@exemple.fr", company_name=f"Société {index}"
                ),
                REMOTE_ADDR=f"198.51.100.{index + 1}",
            )
    assert CompanyAccessRequest.objects.count() == 30
    for person in (lead, second_lead):
        assert len([m for m in mail.outbox if m.to == [person.email]]) == 1


def test_the_email_lists_every_request_still_pending_when_it_leaves(region, lead, tasks_in_process):
    """Built when it leaves (at the end of the quarter hour): every pending request of
    the region is listed, a decided one is not."""
    for index in range(3):
        CompanyAccessRequestFactory(region=region, company_name=f"Appels {index}")
    decided = CompanyAccessRequestFactory(region=region, company_name="Déjà traitée")
    reject_company_access_request(actor=lead, access_request=decided, reason="Doublon.")
    mail.outbox.clear()
    notify_access_request_received(CompanyAccessRequest.objects.order_by("pk").first().pk)
    (email,) = [m for m in mail.outbox if m.to == [lead.email]]
    assert "3 demandes d'accès d'entreprises en attente" in email.subject
    for index in range(3):
        assert f"Appels {index}" in email.body
    assert "Déjà traitée" not in email.body
