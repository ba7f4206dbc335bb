"""The national counts page: a year from the URL that the database cannot take never
breaks it, and small counts are masked as in every national view."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from immersion import services
from tests.accounts.factories import OrganisationFactory

from .factories import CaeContractFactory, CohortFactory, SessionFactory

pytestmark = pytest.mark.django_db

URL = reverse("immersion:national_counts")
OUT_OF_RANGE = "L&#x27;année doit être comprise entre 2006 et 2100"


def _cells(body: str, region_name: str) -> list[str]:
    """The cells of the first table row headed by the region."""
    row = re.search(
        r'<tr><th scope="row">' + re.escape(escape(region_name)) + r"</th>(.*?)</tr>", body
    )
    assert row, f"no row for {region_name}"
    return re.findall(r"<td>(.*?)</td>", row.group(1))


@pytest.mark.parametrize("value", ["99999", "0", "-3", "2005", "2101", "abc", "2025.5"])
def test_a_year_out_of_range_falls_back_to_this_year_with_a_message(client, world, value):
    client.force_login(world.national)
    response = client.get(URL, {"annee": value})
    assert response.status_code == 200
    body = response.content.decode()
    this_year = timezone.localdate().year
    assert f"{OUT_OF_RANGE} : voici les chiffres de {this_year}." in body
    assert f"Sessions et plateforme d'immersion en {this_year}" in body


def test_a_year_in_range_is_shown_without_a_message(client, world):
    client.force_login(world.national)
    for params in ({"annee": "2030"}, {}):
        response = client.get(URL, params)
        assert response.status_code == 200
        assert OUT_OF_RANGE not in response.content.decode()
    body = client.get(URL, {"annee": "2030"}).content.decode()
    assert "Sessions et plateforme d'immersion en 2030" in body
    # the year field offers the same bounds as the message
    assert 'name="annee" type="number" value="2030" min="2006" max="2100"' in body


def test_counts_from_1_to_4_are_masked_and_zero_and_5_shown(client, world):
    """PACA: one session of 2 seats, both taken, no one cancelled; another region has five
    sessions of 10 seats and nobody enrolled."""
    services.enrol_youths(actor=world.advisor, session=world.session, youths=world.youths[:2])
    year = timezone.localdate(world.session.starts_at).year
    host = OrganisationFactory(company=True, region=world.other_region)
    for _ in range(5):
        SessionFactory(host=host, starts_at=world.session.starts_at, capacity=10)
    platform = CohortFactory(region=world.paca, year=year)
    for youth in world.youths[:2]:
        CaeContractFactory(cohort=platform, youth=youth)
    CohortFactory(region=world.other_region, year=year)
    client.force_login(world.national)
    body = client.get(URL, {"annee": year}).content.decode()
    # Sessions, held, cancelled, seats, enrolled, present.
    masked = "&lt; 5"
    assert _cells(body, world.paca.name) == [masked, "0", "0", masked, masked, "0"]
    assert _cells(body, world.other_region.name) == ["5", "0", "0", "50", "0", "0"]
    assert "<td>6</td>" in body  # the six immersion days, by programme
    assert f"<td>{masked} / 50</td>" in body and "<td>0 / 50</td>" in body
    assert "les effectifs de 1 à 4 sont affichés" in body
