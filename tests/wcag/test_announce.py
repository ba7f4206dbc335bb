"""htmx swaps say what they did in one sentence (HX-Trigger-After-Settle, read into the
page's one live region by static/js/portal.js) instead of whole tables being live
regions."""

import json
import re

import pytest
from django.urls import reverse

from accounts.announce import EVENT
from accounts.enums import Role
from accounts.models import Membership
from tests.accounts.factories import OrganisationFactory, RegionFactory, make_member
from tests.candidates.factories import YouthFactory
from tests.committees.factories import ActionItemFactory, CommitteeMemberFactory

pytestmark = pytest.mark.django_db


def _announced(response) -> str:
    header = response.headers["HX-Trigger-After-Settle"]
    assert header.isascii()  # HTTP headers: non-ASCII letters travel escaped
    return json.loads(header)[EVENT]["message"]


@pytest.fixture
def advisor():
    region = RegionFactory(paca=True)
    ml = OrganisationFactory(mission_locale=True, region=region)
    advisor = make_member(Role.ADVISOR, organisation=ml)
    for _n in range(26):
        YouthFactory(mission_locale=ml, advisor=advisor)
    return advisor


def test_the_youth_list_says_how_many_and_which_page(client, advisor):
    client.force_login(advisor)
    url = reverse("candidates:youth_list")
    response = client.get(url, {"page": 2}, HTTP_HX_REQUEST="true")
    assert _announced(response) == "26 jeunes affichés, page 2 sur 2"
    assert "HX-Trigger-After-Settle" not in client.get(url).headers


def test_a_single_page_says_only_how_many(client, advisor):
    client.force_login(advisor)
    ml = Membership.objects.get(user=advisor).organisation
    YouthFactory(mission_locale=ml, advisor=advisor, last_name="Zyxwv")
    response = client.get(reverse("candidates:youth_list"), {"q": "Zyxwv"}, HTTP_HX_REQUEST="true")
    assert _announced(response) == "1 jeune affiché"


def test_the_calendar_says_the_month_and_its_sessions(client, advisor):
    client.force_login(advisor)
    response = client.get(
        reverse("immersion:session_calendar"), {"annee": 2026, "mois": 3}, HTTP_HX_REQUEST="true"
    )
    assert re.fullmatch(r"mars 2026 : 0 sessions?", _announced(response))


def test_an_action_button_says_the_new_status(client, advisor):
    item = ActionItemFactory(owner=advisor, title="Relancer les entreprises")
    CommitteeMemberFactory(committee=item.committee, user=advisor)
    client.force_login(advisor)
    response = client.post(
        reverse("committees:action_item_transition", args=[item.pk, "complete"]),
        HTTP_HX_REQUEST="true",
    )
    assert _announced(response) == "Action « Relancer les entreprises » : Terminée"


def test_in_english_the_sentence_is_english(client, advisor):
    client.force_login(advisor)
    response = client.get(
        reverse("candidates:youth_list"),
        {"page": 2},
        HTTP_HX_REQUEST="true",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert _announced(response) == "26 young people shown, page 2 of 2"
