"""The enrolment form's youth picker: a search among the followed youths of the
advisor's missions locales, never a list of the whole mission locale.

What is checked: the matches and their labels (homonyms told apart by birth year and
advisor), the youths never offered (another mission locale, a closed follow-up, already
enrolled), the ticked youths carried back with each search, the refusals, and a session
page whose queries do not grow with the mission locale's youths.
"""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from candidates.enums import YouthStatus
from immersion import services
from immersion.models import Enrolment
from tests.candidates.factories import YouthFactory
from tests.helpers import assert_refused

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


def _search(client, session, **params):
    url = reverse("immersion:enrol_search", args=[session.pk])
    return client.get(url, params, headers=HTMX)


def test_the_search_offers_matching_youths_labelled_apart(client, world):
    older = YouthFactory(
        mission_locale=world.ml,
        advisor=world.advisor_2,
        first_name="Inès",
        last_name="Zerbib",
        birth_date=datetime.date(2003, 5, 1),
    )
    client.force_login(world.advisor)
    body = _search(client, world.session, q="ines zerb").content.decode()
    assert (
        f"Zerbib Inès — né·e en {world.youths[0].birth_date.year}, suivi·e par Camille Durand"
        in body
    )
    assert "Zerbib Inès — né·e en 2003, suivi·e par Louis Vidal" in body
    assert f'value="{older.pk}"' in body
    assert "Yanis" not in body and "Nassim" not in body
    assert "2 jeunes trouvés." in body
    assert 'hx-swap-oob="innerHTML"' in body  # the status line, outside the swapped area


def test_the_search_never_offers_another_mission_locale_nor_closed_or_enrolled_youths(
    client, world
):
    closed = YouthFactory(
        mission_locale=world.ml, advisor=world.advisor, last_name="Zerbib", first_name="Sami"
    )
    closed.status = YouthStatus.CLOSED
    closed.save(update_fields=["status"])
    services.enrol_youths(actor=world.advisor, session=world.session, youths=[world.youths[1]])
    client.force_login(world.advisor)
    body = _search(client, world.session, q="zerbib").content.decode()
    assert "Inès" in body and "Léa" in body
    assert "Sami" not in body  # follow-up closed
    assert "Yanis" not in body  # already enrolled
    client.force_login(world.advisor_aix)
    body = _search(client, world.session, q="zerbib").content.decode()
    assert "Zerbib" not in body and "Aucun jeune trouvé." in body
    # Ticked ids sent back by hand are filtered the same way.
    body = _search(
        client, world.session, q="aouadi", youths=[world.youths[0].pk, "x", closed.pk]
    ).content.decode()
    assert "Zerbib" not in body and "Nassim" in body


def test_an_enrolment_of_a_youth_the_search_does_not_offer_is_refused(client, world):
    closed = YouthFactory(mission_locale=world.ml, advisor=world.advisor, last_name="Clos")
    closed.status = YouthStatus.CLOSED
    closed.save(update_fields=["status"])
    url = reverse("immersion:enrol_youths", args=[world.session.pk])
    client.force_login(world.advisor)
    for youth in (world.youths_aix[0], closed):
        response = client.post(url, {"youths": [youth.pk]}, follow=True)
        assert "Sélectionnez un choix valide" in response.content.decode()
    assert not Enrolment.objects.exists()


def test_ticked_youths_stay_ticked_across_searches(client, world):
    client.force_login(world.advisor)
    body = _search(client, world.session, q="lea", youths=[world.youths[0].pk]).content.decode()
    ticked = f'value="{world.youths[0].pk}" id="enrol-youth-{world.youths[0].pk}" checked'
    assert ticked in body
    assert f'value="{world.youths[2].pk}" id="enrol-youth-{world.youths[2].pk}">' in body


def test_without_htmx_the_search_opens_the_session_page_with_its_results(client, world):
    client.force_login(world.advisor)
    url = reverse("immersion:enrol_search", args=[world.session.pk])
    response = client.get(url, {"q": "yanis", "csrfmiddlewaretoken": "x"})
    assert response.status_code == 302
    assert "csrfmiddlewaretoken" not in response.url and "q=yanis" in response.url
    page = client.get(response.url).content.decode()
    assert "Zerbib Yanis — né·e en" in page and "Zerbib Inès" not in page
    assert 'id="enrol-search"' in page and "autofocus" in page


def test_the_session_page_lists_no_youth_before_a_search(client, world):
    client.force_login(world.advisor)
    page = client.get(reverse("immersion:session_detail", args=[world.session.pk])).content
    page = page.decode()
    assert 'id="enrol-search"' in page and "Zerbib" not in page
    assert "Tapez au moins deux lettres" in page


def test_who_may_not_enrol_youths_gets_no_search(client, world):
    url = reverse("immersion:enrol_search", args=[world.session.pk])
    assert_refused(client, world.recruiter, url, must_not_contain=["Zerbib"])
    assert_refused(client, world.other_advisor, f"{url}?q=zerbib", must_not_contain=["Zerbib"])


def test_the_session_page_queries_do_not_grow_with_the_mission_locale(client, world):
    url = reverse("immersion:session_detail", args=[world.session.pk])
    client.force_login(world.advisor)

    def count(params):
        client.get(url, params)  # sessions and caches warm
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url, params)
        assert response.status_code == 200
        return len(queries)

    ticked = {"q": "zerbib", "youths": [world.youths[0].pk]}
    small, small_search = count({}), count(ticked)
    YouthFactory.create_batch(60, mission_locale=world.ml, advisor=world.advisor)
    YouthFactory.create_batch(
        30, mission_locale=world.ml, advisor=world.advisor_2, last_name="Zerbib"
    )
    assert count({}) == small
    assert count(ticked) == small_search
