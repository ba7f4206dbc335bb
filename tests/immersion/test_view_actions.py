"""The session page's actions through the client: open, enrol a group, enrol oneself,
answer a pool request; an htmx fragment holds the same rows as the full page."""

import re

import pytest
from django.urls import reverse

from immersion import services
from immersion.enums import PoolRequestStatus, SessionStatus
from immersion.models import Enrolment, Session
from offers.models import Proposal
from tests.candidates.factories import YouthFactory
from tests.offers.factories import OfferFactory

from .factories import CaeContractFactory, CohortFactory, SessionFactory

pytestmark = pytest.mark.django_db


def test_the_host_opens_registrations_and_an_advisor_enrols_a_group(client, world):
    session = SessionFactory(host=world.company, planned=True, capacity=2, title="Portes ouvertes")
    client.force_login(world.recruiter)
    response = client.post(reverse("immersion:session_action", args=[session.pk, "open"]))
    assert response.status_code == 302
    assert Session.objects.get(pk=session.pk).status == SessionStatus.OPEN
    client.force_login(world.advisor)
    page = client.get(reverse("immersion:session_detail", args=[session.pk])).content.decode()
    assert "Inès Zerbib" in page and "Nassim" not in page  # only my youths to pick
    response = client.post(
        reverse("immersion:enrol_youths", args=[session.pk]),
        {"youths": [youth.pk for youth in world.youths]},
        follow=True,
    )
    assert "2 inscrit(s), 1 sur liste d&#x27;attente." in response.content.decode()
    response = client.post(
        reverse("immersion:enrol_youths", args=[session.pk]),
        {"youths": [world.youths_aix[0].pk]},
        follow=True,
    )
    assert "Sélectionnez un choix valide" in response.content.decode()
    assert Enrolment.objects.filter(session=session).count() == 3


def test_an_advisor_enrols_themselves_in_an_advisor_session(client, world):
    meeting = SessionFactory(host=world.ml, for_advisors=True, title="Réunion des conseillers")
    client.force_login(world.advisor_2)
    page = client.get(reverse("immersion:session_detail", args=[meeting.pk])).content.decode()
    assert "M'inscrire à cette session" in page
    response = client.post(reverse("immersion:enrol_self", args=[meeting.pk]), follow=True)
    assert "Vous êtes inscrit(e)." in response.content.decode()
    assert "Me désinscrire" in response.content.decode()
    response = client.post(reverse("immersion:enrol_self", args=[meeting.pk]), follow=True)
    assert "Vous êtes déjà inscrit(e) à cette session." in response.content.decode()


def test_the_advisor_accepts_a_pool_request_from_the_page(client, world):
    youth = YouthFactory(mission_locale=world.ml, advisor=world.advisor, consented=True)
    CaeContractFactory(cohort=CohortFactory(region=world.paca), youth=youth)
    offer = OfferFactory(company=world.company, published=True)
    pool_request = services.request_pool_proposal(
        recruiter=world.recruiter, youth=youth, offer=offer
    )
    client.force_login(world.advisor)
    response = client.post(
        reverse("immersion:pool_request_answer", args=[pool_request.pk, "accept"]),
        {f"r{pool_request.pk}-note": "Je le propose."},
        follow=True,
    )
    assert "Votre réponse est envoyée au recruteur." in response.content.decode()
    pool_request.refresh_from_db()
    assert pool_request.status == PoolRequestStatus.ACCEPTED
    assert Proposal.objects.filter(offer=offer, youth=youth).exists()


def _rows(html: str) -> list[str]:
    return re.findall(r'<th scope="row"><a href="[^"]+">([^<]+)</a></th>', html)


def test_the_htmx_fragment_holds_the_same_rows_as_the_full_page(client, world):
    for i in range(3):
        SessionFactory(host=world.company, title=f"Immersion {i}")
    client.force_login(world.lead)
    url = reverse("immersion:session_list")
    full = client.get(url, {"audience": "youths"}).content.decode()
    fragment = client.get(
        url, {"audience": "youths"}, headers={"HX-Request": "true"}
    ).content.decode()
    assert _rows(fragment) == _rows(full) and len(_rows(full)) == 4
    assert "<html" not in fragment
