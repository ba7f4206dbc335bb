"""The youth's space in a real browser at 390 px: ask for a link, open it from the
message the real SMTP server received, confirm a session, withdraw consent; the
recruiter's board then no longer shows the youth. Each page is kept as a screenshot
in test-artifacts/ (youthspace-<page>-390.png)."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from tests.conftest import ARTIFACTS
from youthspace.models import SessionAnswer

from .factories import full_space

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LINK = re.compile(r"https?://\S+?(/espace/connexion/lien/\?t=[\w\-]+)")


def _board(recruiter, offer) -> str:
    client = Client()
    client.force_login(recruiter)
    return client.get(reverse("offers:offer_board", args=[offer.pk])).content.decode()


def _shot(page, name: str) -> None:
    page.screenshot(path=str(ARTIFACTS / f"youthspace-{name}-390.png"), full_page=True)


def test_a_youth_signs_in_by_link_confirms_a_session_and_withdraws_consent(
    browser_page, relay, tasks_in_process
):
    space, recruiter, board = full_space()
    youth = space.youth
    assert "Inès B." in _board(recruiter, board)
    page = browser_page
    page.set_viewport_size({"width": 390, "height": 844})
    base = page.live_server_url

    before = len(relay.messages)  # the advisor's invitation left already
    page.goto(f"{base}{reverse('youthspace:request_link')}")
    _shot(page, "request-link")
    page.get_by_label("Votre adresse e-mail").fill(youth.email)
    page.get_by_role("button", name="Recevoir mon lien").click()
    page.get_by_role("heading", name="Regardez vos e-mails").wait_for()
    message = relay.wait_for(before + 1)[-1]
    assert message["To"] == youth.email
    path = LINK.search(message.get_body(("plain",)).get_content()).group(1)

    page.goto(f"{base}{path}")
    page.wait_for_url(f"{base}{reverse('youthspace:home')}")
    assert "t=" not in page.url
    page.get_by_role("heading", name="Bonjour Inès").wait_for()
    assert "pièce d'identité" in page.content()
    _shot(page, "pathway")

    page.get_by_role("link", name="Mes rendez-vous").click()
    page.get_by_role("button", name="Je serai là : Journée d'immersion chez Méditel").click()
    page.get_by_text("C'est noté : vous serez là").wait_for()
    assert SessionAnswer.objects.filter(enrolment__youth=youth, answer="coming").count() == 1
    _shot(page, "sessions")

    page.get_by_role("link", name="Mes candidatures").click()
    page.get_by_text("Entretien prévu le").wait_for()
    assert "Non retenue" in page.content()
    _shot(page, "proposals")

    page.get_by_role("link", name="Mon conseiller").click()
    page.get_by_role("heading", name="Camille Roche").wait_for()
    _shot(page, "advisor")

    page.get_by_role("link", name="Mes données").click()
    _shot(page, "data")
    page.get_by_role("button", name="Retirer mon accord").click()
    page.get_by_text("Votre accord est retiré").wait_for()
    _shot(page, "data-withdrawn")

    youth.refresh_from_db()
    assert not youth.has_sharing_consent
    assert "Inès B." not in _board(recruiter, board)
    # The link served once: opened again, it offers a new one.
    page.goto(f"{base}{path}")
    page.wait_for_url(f"{base}{reverse('youthspace:request_link')}?lien=perime")
    page.get_by_text("déjà servi ou n'est plus valable").wait_for()
