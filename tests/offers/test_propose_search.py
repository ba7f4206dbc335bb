"""The proposal form's youth picker: a search among the youths proposable to the offer
(the advisor's missions locales, consenting, followed, not in a job, not already
proposed), never a drop-down of the whole mission locale."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from offers import services
from offers.models import Proposal
from tests.candidates.factories import YouthFactory
from tests.helpers import assert_refused

from .factories import OfferFactory

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


def test_the_search_offers_only_proposable_youths(client, world, youth):
    offer = OfferFactory(company=world.company, published=True)
    homonym = YouthFactory(
        mission_locale=world.ml,
        advisor=world.advisor,
        consented=True,
        first_name=youth.first_name,
        last_name=youth.last_name,
    )
    no_consent = YouthFactory(
        mission_locale=world.ml, advisor=world.advisor, last_name=youth.last_name
    )
    elsewhere = YouthFactory(mission_locale=world.ml_aix, consented=True, last_name=youth.last_name)
    client.force_login(world.advisor)
    url = reverse("offers:propose_search", args=[offer.pk])
    body = client.get(url, {"q": youth.last_name}, headers=HTMX).content.decode()
    assert f'value="{youth.pk}"' in body and f'value="{homonym.pk}"' in body
    assert f'value="{no_consent.pk}"' not in body and f'value="{elsewhere.pk}"' not in body
    assert "né·e en" in body and "2 jeunes trouvés." in body
    services.propose_youth(offer=offer, youth=youth, actor=world.advisor)
    body = client.get(url, {"q": youth.last_name}, headers=HTMX).content.decode()
    assert f'value="{youth.pk}"' not in body  # already proposed
    # The chosen youth comes back checked; another mission locale's id is ignored.
    body = client.get(url, {"q": "zzz", "youth": homonym.pk}, headers=HTMX).content.decode()
    assert f'value="{homonym.pk}" id="propose-youth-{homonym.pk}" checked' in body
    body = client.get(url, {"q": "zzz", "youth": elsewhere.pk}, headers=HTMX).content.decode()
    assert f'value="{elsewhere.pk}"' not in body


def test_the_page_lists_no_youth_before_a_search_and_keeps_a_suggested_one(client, world, youth):
    offer = OfferFactory(company=world.company, published=True)
    client.force_login(world.advisor)
    url = reverse("offers:offer_propose", args=[offer.pk])
    body = client.get(url).content.decode()
    assert 'id="propose-search"' in body and f'value="{youth.pk}"' not in body
    body = client.get(url, {"jeune": youth.pk}).content.decode()
    assert f'value="{youth.pk}" id="propose-youth-{youth.pk}" checked' in body
    response = client.get(reverse("offers:propose_search", args=[offer.pk]), {"q": youth.last_name})
    assert response.status_code == 302 and f"q={youth.last_name}" in response.url
    client.post(url, {"youth": youth.pk})
    assert Proposal.objects.get().youth == youth


def test_who_may_not_propose_gets_no_search(client, world, youth):
    offer = OfferFactory(company=world.company, published=True)
    # Three letters typed: the refusal page may echo them, never the name found.
    url = reverse("offers:propose_search", args=[offer.pk]) + f"?q={youth.last_name[:3]}"
    for user in (world.advisor_lyon, world.recruiter, world.lead):
        assert_refused(client, user, url, must_not_contain=[youth.last_name])


def test_the_propose_page_queries_do_not_grow_with_the_mission_locale(client, world, youth):
    offer = OfferFactory(company=world.company, published=True)
    url = reverse("offers:offer_propose", args=[offer.pk])
    client.force_login(world.advisor)

    def count():
        client.get(url, {"q": youth.last_name})
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url, {"q": youth.last_name}).status_code == 200
        return len(queries)

    before = count()
    YouthFactory.create_batch(
        40,
        mission_locale=world.ml,
        advisor=world.advisor,
        consented=True,
        last_name=youth.last_name,
    )
    assert count() == before
