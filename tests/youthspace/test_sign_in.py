"""Access to the youth's space: the advisor's invitation, the one-time link (15
minutes, once), the request form (same answer, rate-limited), the 30-day session, and
the youths who may not sign in."""

from __future__ import annotations

import datetime
import logging
import re

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts.enums import Role
from candidates.enums import PathwayStage, YouthStatus
from candidates.services import anonymise_youth, record_pathway_event
from tests.accounts.factories import make_member
from tests.candidates.factories import YouthFactory
from youthspace.identity import SESSION_KEY
from youthspace.models import YouthSpace

from .factories import last_link, open_space, path_of

pytestmark = pytest.mark.django_db


def _ask_link(client, email):
    return client.post(reverse("youthspace:request_link"), {"email": email})


def test_the_advisor_invites_the_youth_who_signs_in_once(client, send_now):
    youth = YouthFactory()
    client.force_login(youth.advisor)
    with send_now():
        response = client.post(reverse("youthspace:invite", args=[youth.pk]))
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [youth.email]
    url = path_of(last_link())
    client.logout()
    response = client.get(url)
    # Straight to an address without the token, which leaves in no Referer.
    assert response.status_code == 302
    assert response["Location"] == reverse("youthspace:home")
    assert response["Referrer-Policy"] == "no-referrer"
    assert client.session[SESSION_KEY] == youth.space.pk
    page = client.get(reverse("youthspace:home"))
    assert page.status_code == 200
    assert youth.first_name in page.content.decode()
    space = YouthSpace.objects.get(youth=youth)
    assert space.activated_at is not None and space.last_visit_at is not None
    # Used: a second opening gets the page that offers a new link.
    client.logout()
    again = client.get(url, follow=True)
    assert again.redirect_chain[-1][0] == reverse("youthspace:request_link") + "?lien=perime"
    assert "15 minutes" in again.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_link_expires_after_15_minutes(client, send_now):
    space = open_space()
    with time_machine.travel(timezone.now(), tick=False) as clock:
        with send_now():
            _ask_link(client, space.youth.email)
        url = path_of(last_link())
        clock.shift(datetime.timedelta(minutes=15, seconds=1))
        response = client.get(url)
    assert response["Location"].endswith("?lien=perime")
    assert "_auth_user_id" not in client.session


def test_the_link_works_just_before_15_minutes(client, send_now):
    space = open_space()
    with time_machine.travel(timezone.now(), tick=False) as clock:
        with send_now():
            _ask_link(client, space.youth.email)
        url = path_of(last_link())
        clock.shift(datetime.timedelta(minutes=14, seconds=50))
        assert client.get(url).status_code == 302


def test_the_session_lasts_30_days_at_most(client, send_now):
    space = open_space()
    with send_now():
        _ask_link(client, space.youth.email)
    client.get(path_of(last_link()))
    expiry = client.session.get_expiry_date()
    assert expiry <= timezone.now() + datetime.timedelta(days=30)
    assert expiry > timezone.now() + datetime.timedelta(days=29)


def test_the_request_form_answers_the_same_for_any_address(client, send_now):
    space = open_space()
    with send_now():
        known = _ask_link(client, space.youth.email)
        unknown = _ask_link(client, "personne@exemple.fr")
    assert known.status_code == unknown.status_code == 200
    csrf = re.compile(rb'name="csrfmiddlewaretoken" value="[^"]+"')
    assert csrf.sub(b"", known.content) == csrf.sub(b"", unknown.content)
    assert len(mail.outbox) == 1


def test_an_advisor_address_gets_no_youth_link(client, send_now):
    youth = YouthFactory()
    with send_now():
        _ask_link(client, youth.advisor.email)
    assert mail.outbox == []


def test_link_requests_are_limited_per_address_and_per_client(client, send_now):
    space = open_space()
    with send_now():
        answers = [_ask_link(client, space.youth.email).status_code for _ in range(4)]
    assert answers == [200, 200, 200, 429]
    assert len(mail.outbox) == 3


def test_link_requests_are_limited_per_client_whatever_the_addresses(client):
    answers = [_ask_link(client, f"x{n}@exemple.fr").status_code for n in range(11)]
    assert answers == [200] * 10 + [429]


def test_an_anonymised_youth_cannot_sign_in(client, send_now):
    space = open_space()
    with send_now():
        _ask_link(client, space.youth.email)
    url = path_of(last_link())
    manager = make_member(Role.ML_MANAGER, organisation=space.youth.mission_locale)
    anonymise_youth(youth=space.youth, actor=manager, reason="test")
    assert client.get(url)["Location"].endswith("?lien=perime")
    with send_now():
        _ask_link(client, space.youth.email)
    assert len(mail.outbox) == 1


def _close(youth, days_ago):
    with time_machine.travel(timezone.now() - datetime.timedelta(days=days_ago)):
        record_pathway_event(
            youth=youth,
            stage=PathwayStage.EXIT,
            actor=youth.advisor,
            occurred_on=timezone.localdate(),
            exit_reason="moved",
        )


def test_a_youth_archived_more_than_30_days_ago_cannot_sign_in(client, send_now):
    space = open_space()
    _close(space.youth, 31)
    space.youth.refresh_from_db()
    assert space.youth.status == YouthStatus.CLOSED
    with send_now():
        _ask_link(client, space.youth.email)
    assert mail.outbox == []


def test_a_youth_archived_recently_still_signs_in(client, send_now):
    space = open_space()
    _close(space.youth, 5)
    with send_now():
        _ask_link(client, space.youth.email)
    assert client.get(path_of(last_link())).status_code == 302


def test_a_signed_in_youth_archived_long_ago_is_signed_out(client, send_now):
    space = open_space()
    client.force_login(space.user)
    assert client.get(reverse("youthspace:home")).status_code == 200
    _close(space.youth, 40)
    response = client.get(reverse("youthspace:home"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_tokens_never_reach_the_logs(client, send_now, caplog):
    caplog.set_level(logging.DEBUG)
    space = open_space()
    with send_now():
        _ask_link(client, space.youth.email)
    url = path_of(last_link())
    token = url.split("t=", 1)[1]
    client.get(url)
    client.get(url)  # used: refused, logged
    assert token not in caplog.text
    assert space.youth.email not in caplog.text


def test_a_minor_of_16_or_17_uses_the_space_like_anyone(client, send_now):
    space = open_space(minor=True)
    assert space.youth.is_minor
    with send_now():
        _ask_link(client, space.youth.email)
    assert client.get(path_of(last_link()))["Location"] == reverse("youthspace:home")
    client.post(reverse("youthspace:consent"), {"action": "give"})
    space.youth.refresh_from_db()
    assert space.youth.has_sharing_consent


def test_a_youth_who_set_a_password_still_cannot_use_the_staff_sign_in(client):
    """A password set through "forgotten password" opens nothing: the staff sign-in
    sends the youth to the page that sends their link, with no session opened."""
    from tests.accounts.factories import DEFAULT_PASSWORD

    space = open_space()
    space.user.set_password(DEFAULT_PASSWORD)
    space.user.save()
    from allauth.account.models import EmailAddress

    EmailAddress.objects.update_or_create(
        user=space.user, email=space.user.email, defaults={"verified": True, "primary": True}
    )
    response = client.post(
        reverse("account_login"), {"login": space.user.email, "password": DEFAULT_PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("youthspace:request_link")
    assert "_auth_user_id" not in client.session
    assert SESSION_KEY not in client.session
