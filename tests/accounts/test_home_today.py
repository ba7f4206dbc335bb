"""The home page's counters ("what do I do today?"): each one equals the number of rows
of the list it links to (followed with the client), another region's or organisation's
rows never count, zero says "Rien à faire", and the page runs the same number of queries
whatever the rows behind it."""

from __future__ import annotations

import re
from html import unescape
from urllib.parse import urlsplit

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import resolve, reverse

from accounts.enums import Role
from tests.accounts.factories import make_member
from tests.accounts.home_scenes import WEDNESDAY, build_scene

pytestmark = pytest.mark.django_db

COUNTER = re.compile(
    r'<a class="today-link stretched-link" href="([^"]+)" data-count="(\d+)">([^<]+)</a>'
)
ROLES = ("advisor", "manager", "recruiter", "lead")


@pytest.fixture(autouse=True)
def wednesday():
    with time_machine.travel(WEDNESDAY, tick=False):
        yield


def counters(client, user) -> list[tuple[int, str, str]]:
    """(count, url, label) of each counter of the user's home page."""
    client.force_login(user)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return [
        (int(count), unescape(url), unescape(label))
        for url, count, label in COUNTER.findall(response.content.decode())
    ]


def rows_listed(client, url: str) -> int:
    """How many rows the list at `url` shows (its own page count, never recomputed)."""
    response = client.get(url)
    assert response.status_code == 200, url
    context = response.context
    name = resolve(urlsplit(url).path).view_name
    if name == "candidates:due_this_week":
        return len(context["appointments"]) + len(context["check_ins"])
    if name == "committees:my_action_items":
        return len(context["rows"])
    if name == "committees:committee_list":
        return len(context["committees"])
    if name == "accounts:invitations":
        return len(context["invitations"])
    if name == "youthspace:answers":
        return len(context["rows"])
    if name == "accounts:access_requests":
        return len(context["access_requests"])
    if name == "reporting:dashboard":
        return -1
    return context["page"].paginator.count


@pytest.mark.parametrize("role", ROLES)
def test_each_counter_equals_the_rows_of_the_list_it_links_to(client, role):
    scene = build_scene(2)
    user = getattr(scene.home, role)
    found = counters(client, user)
    assert found, f"no counter on the {role}'s home"
    for count, url, label in found:
        listed = rows_listed(client, url)
        assert listed == count, f"{label}: the home says {count}, {url} lists {listed}"


EXPECTED = {
    # role -> {label fragment: count with n=2 rows behind each counter}
    "advisor": {
        "suivis à faire": 2,
        "sans entretien depuis 60 jours": 2,
        "nouvelles offres": 2,
        "candidatures de vos jeunes": 4,  # seen + interview, per offer
        "sessions cette semaine avec vos jeunes": 2,
        "réponses de jeunes depuis hier": 2,
    },
    "manager": {"demandes RGPD": 2, "invitations en attente": 2},
    "recruiter": {
        "candidatures à examiner": 2,
        "candidats en entretien": 2,
        "offres renvoyées": 2,
    },
    "lead": {
        "offres à valider": 2,
        "plus de dix postes": 2,
        "sessions cette semaine dans la région": 2,
        "actions en retard": 2,
        "comités sans réunion ce trimestre": 2,
    },
}


@pytest.mark.parametrize("role", ROLES)
def test_counters_count_the_users_own_rows_never_another_regions(client, role):
    """The scene puts two rows behind each counter in each region: the home says two
    (never four), so nothing of the other region or organisation counts."""
    scene = build_scene(2)
    found = {label: count for count, _url, label in counters(client, getattr(scene.home, role))}
    for fragment, expected in EXPECTED[role].items():
        matching = [count for label, count in found.items() if fragment in label]
        assert matching == [expected], f"{fragment!r} in {found}"


def test_the_managers_team_table_links_each_advisor_to_their_youths(client):
    scene = build_scene(1)
    client.force_login(scene.home.manager)
    body = client.get(reverse("home")).content.decode()
    assert "Charge de l&#x27;équipe" in body
    advisor = scene.home.advisor
    url = f"{reverse('candidates:youth_list')}?advisor={advisor.pk}"
    row = re.search(
        rf'<a href="{re.escape(url)}">[^<]+</a></th><td class="text-end">(\d+)</td>', body
    )
    assert row, body
    assert int(row[1]) == rows_listed(client, url) == 3
    # The other region's advisor is not in the table.
    assert f"?advisor={scene.other.advisor.pk}" not in body


def test_national_staff_read_the_months_hires_against_the_target(client):
    scene = build_scene(2)
    found = counters(client, scene.national)
    assert len(found) == 3  # hires, youths registered, offers registered
    count, url, label = found[0]
    assert count == 4  # national: both regions' hires of the month
    assert label == "4 embauches ce mois-ci"
    assert url == f"{reverse('reporting:dashboard', args=['national'])}?year=2026&month=12"
    client.force_login(scene.national)
    assert client.get(url).status_code == 200
    body = client.get(reverse("home")).content.decode()
    assert "objectif du mois : 83" in body
    assert "Rien à faire" not in body  # key figures, not tasks
    assert all(item_url == url for _count, item_url, _label in found)


@pytest.mark.parametrize("role", [Role.ADVISOR, Role.RECRUITER, Role.PROJECT_LEAD])
def test_zero_counters_say_there_is_nothing_to_do(client, role):
    user = make_member(role)
    found = counters(client, user)
    assert found and all(count == 0 for count, _url, _label in found)
    body = client.get(reverse("home")).content.decode()
    assert body.count("Rien à faire") == len(found)


def _home_queries(client, user) -> int:
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("home")).status_code == 200
    return len(queries)


@pytest.mark.parametrize("role", [*ROLES, "national"])
def test_the_home_runs_the_same_queries_for_one_row_or_many(client, role):
    few = build_scene(1)
    user = few.national if role == "national" else getattr(few.home, role)
    with_one = _home_queries(client, user)
    many = build_scene(4)
    user = many.national if role == "national" else getattr(many.home, role)
    assert _home_queries(client, user) == with_one
