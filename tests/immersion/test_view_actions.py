"""The session page's actions through the client: open, cancel, enrol a group, enrol
oneself, answer a pool request; an htmx fragment holds the same rows as the full page."""

import re

import pytest
from django.urls import reverse

from immersion import services
from immersion.enums import PoolRequestStatus, SessionStatus
from immersion.models import Enrolment, Session, SessionLog
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
    page = client.get(
        reverse("immersion:session_detail", args=[session.pk]), {"q": "zerbib"}
    ).content.decode()
    assert "Zerbib Inès" in page and "Nassim" not in page  # only my youths to pick
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


@pytest.fixture
def pool_request(world):
    """A recruiter's pending request for a youth of the advisor's on the CAE pool."""
    youth = YouthFactory(mission_locale=world.ml, advisor=world.advisor, consented=True)
    CaeContractFactory(cohort=CohortFactory(region=world.paca), youth=youth)
    offer = OfferFactory(company=world.company, published=True)
    return services.request_pool_proposal(recruiter=world.recruiter, youth=youth, offer=offer)


def test_the_advisor_accepts_a_pool_request_from_the_page(client, world, pool_request):
    client.force_login(world.advisor)
    response = client.post(
        reverse("immersion:pool_request_answer", args=[pool_request.pk, "accept"]),
        {f"r{pool_request.pk}-note": "Je le propose."},
        follow=True,
    )
    assert "Votre réponse est envoyée au recruteur." in response.content.decode()
    pool_request.refresh_from_db()
    assert pool_request.status == PoolRequestStatus.ACCEPTED
    assert Proposal.objects.filter(offer=pool_request.offer, youth=pool_request.youth).exists()


def test_a_cancellation_reason_too_long_is_refused_and_kept_as_typed(client, world):
    url = reverse("immersion:session_action", args=[world.session.pk, "cancel"])
    reason = (
        "Le plateau ferme pour travaux jusqu'à nouvel ordre, " * 6
    )  # 311 characters once stripped
    client.force_login(world.lead)
    response = client.post(url, {"reason": reason})
    body = response.content.decode()
    assert response.status_code == 200
    assert "Au plus 255 caractères (il y en a 311)." in body
    assert reason.strip().replace("'", "&#x27;") in body  # nothing typed is lost
    response = client.post(url, {"reason": "  "})
    assert "Indiquez le motif de l&#x27;annulation." in response.content.decode()
    assert Session.objects.get(pk=world.session.pk).status == SessionStatus.OPEN
    assert not SessionLog.objects.filter(session=world.session, action="cancel").exists()
    response = client.post(url, {"reason": reason[:255]}, follow=True)
    assert (
        "Session annulée : les conseillers des jeunes inscrits ont été prévenus par e-mail, "
        "avec le motif."
    ) in response.content.decode()
    session = Session.objects.get(pk=world.session.pk)
    assert session.status == SessionStatus.CANCELLED
    assert session.cancel_reason == reason[:255].strip()


def test_a_pool_answer_too_long_is_refused_with_the_forms_error(client, world, pool_request):
    client.force_login(world.advisor)
    for action in ("accept", "decline"):
        response = client.post(
            reverse("immersion:pool_request_answer", args=[pool_request.pk, action]),
            {f"r{pool_request.pk}-note": "Je le propose. " * 20},
            follow=True,
        )
        body = response.content.decode()
        assert "au plus 255 caractères (actuellement 299)" in body
        assert "Votre réponse est envoyée" not in body
        assert "Expliquez brièvement le refus" not in body
    pool_request.refresh_from_db()
    assert pool_request.status == PoolRequestStatus.PENDING
    assert not Proposal.objects.filter(offer=pool_request.offer, youth=pool_request.youth).exists()


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
