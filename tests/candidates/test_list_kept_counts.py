"""The youth list counts its youths from their kept counts (`YouthCount`, by status and
stage) where its filters are status and stage alone: the number it shows is the number
of youths its filters select, counted from the youths themselves, for every role,
status and stage, past the cap and on a page past the last; with another filter, or
for an admin, it counts its rows as before."""

from __future__ import annotations

import itertools
import json

import pytest
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts import pagination
from accounts.enums import Role
from accounts.models import Membership
from candidates.enums import PathwayStage, YouthStatus
from candidates.models import Youth
from candidates.views import youths as views
from tests.accounts.factories import UserFactory, make_member
from tests.candidates.factories import YouthFactory

pytestmark = pytest.mark.django_db

STAGES = [PathwayStage.INFORMATION, PathwayStage.DISCOVERY, PathwayStage.HIRED, PathwayStage.EXIT]


def _world():
    advisor = make_member(Role.ADVISOR)
    ml = advisor.memberships.get().organisation
    other = make_member(Role.ADVISOR)
    other_ml = other.memberships.get().organisation
    statuses = list(YouthStatus)
    for n in range(36):
        youth = YouthFactory(mission_locale=ml if n % 3 else other_ml, advisor=advisor)
        # every status in every stage, as a bulk write would leave them
        Youth.objects.filter(pk=youth.pk).update(
            current_stage=STAGES[n % len(STAGES)], status=statuses[(n // 4) % len(statuses)]
        )
    both = make_member(Role.ADVISOR, organisation=ml)
    Membership.objects.create(user=both, organisation=other_ml, role=Role.ADVISOR)
    admin = UserFactory(is_staff=True, is_superuser=True)
    return advisor, other, both, admin


KEPT = [
    {},
    {"page": "2"},
    {"page": "99"},
    {"status": "all"},
    {"status": "closed"},
    *({"stage": stage} for stage in STAGES),
    *(
        {"stage": stage, "status": status}
        for stage, status in itertools.product(STAGES, ["all", "closed"])
    ),
    {"sort": "-age"},
    {"status": "not-a-status"},
]
COUNTED = [
    {"q": "a"},
    {"advisor": "ADVISOR"},
    {"civis": "yes"},
    {"minors": "on"},
    {"outcome": "none"},
    {"no_contact_days": "30"},
]


def _direct_count(user, params) -> int:
    form = views.filter_form(user, QueryDict(mutable=True) | params)
    return form.filter(Youth.objects.visible_to(user)).count()


@pytest.mark.parametrize("cap", [pagination.COUNT_CAP, 5])
def test_the_list_shows_as_many_youths_as_its_filters_select(client, monkeypatch, cap):
    monkeypatch.setattr(views, "PAGE_SIZE", 4)
    monkeypatch.setattr(pagination, "COUNT_CAP", cap)
    advisor, other, both, admin = _world()
    url = reverse("candidates:youth_list")
    for user in (advisor, other, both, admin):
        client.force_login(user)
        views._PAGE_STATEMENTS.clear()
        for params in KEPT + COUNTED:
            params = {k: str(advisor.pk) if v == "ADVISOR" else v for k, v in params.items()}
            for _twice in range(2):  # compiled, then kept
                response = client.get(url, params)
                paginator = response.context["page"].paginator
                direct = _direct_count(user, params)
                # a form not valid lists the followed youths, whatever else it says
                valid = views.filter_form(user, QueryDict(mutable=True) | params).is_valid()
                exactly = user is not admin and (params in KEPT or not valid)
                assert paginator.counted_exactly is exactly, (user, params)
                assert paginator.count == min(direct, cap), (user, params)
                assert paginator.is_capped is (direct > cap), (user, params)
                assert paginator.total == (direct if exactly else min(direct, cap)), (user, params)
    # the advisor filter is a filter the counts do not hold
    assert views.filter_form(advisor, QueryDict(f"advisor={advisor.pk}")).is_valid()


def test_past_the_cap_the_list_says_how_many_and_which_it_shows(client, monkeypatch):
    monkeypatch.setattr(views, "PAGE_SIZE", 4)
    monkeypatch.setattr(pagination, "COUNT_CAP", 5)
    advisor, _other, _both, admin = _world()
    followed = _direct_count(advisor, {})
    assert followed > 5
    client.force_login(advisor)
    url = reverse("candidates:youth_list")
    body = client.get(url).content.decode()
    assert (
        f"{followed} jeunes : les pages montrent les 5 premiers dans cet ordre. "
        "Précisez la recherche ou les filtres pour voir les autres."
    ) in body
    assert "Plus de 5 jeunes" not in body
    # announced after a swap as shown
    swapped = client.get(url, {"page": "2"}, headers={"HX-Request": "true"})
    announced = json.loads(swapped.headers["HX-Trigger-After-Settle"])["portal:announce"]
    assert announced["message"] == f"{followed} jeunes affichés, page 2 sur 2"
    # a filter the counts do not hold: counted up to the cap
    body = client.get(url, {"minors": "on", "status": "all"}).content.decode()
    if _direct_count(advisor, {"minors": "on", "status": "all"}) > 5:
        assert "Plus de 5 jeunes" in body
    client.force_login(admin)
    assert "Plus de 5 jeunes" in client.get(url).content.decode()


def test_the_count_is_read_from_the_kept_counts_in_the_pages_statement(client):
    advisor, _other, _both, _admin = _world()
    client.force_login(advisor)
    url = reverse("candidates:youth_list")
    client.get(url)
    with CaptureQueriesContext(connection) as sent:
        response = client.get(url, {"stage": PathwayStage.DISCOVERY})
    assert response.status_code == 200
    statements = [query["sql"] for query in sent.captured_queries]
    (page,) = [sql for sql in statements if '"candidates_youthcount"' in sql]
    assert "COUNT(" not in page.upper()
    assert '"candidates_youth"' in page
    assert not [sql for sql in statements if "COUNT(" in sql.upper()]


def test_another_mission_locales_writes_never_count_in_the_list(client):
    advisor, other, _both, _admin = _world()
    client.force_login(advisor)
    url = reverse("candidates:youth_list")
    before = client.get(url).context["page"].paginator.total
    other_ml = other.memberships.get().organisation
    for _ in range(3):
        YouthFactory(mission_locale=other_ml)
    assert client.get(url).context["page"].paginator.total == before
    YouthFactory(mission_locale=advisor.memberships.get().organisation)
    assert client.get(url).context["page"].paginator.total == before + 1


def test_a_kept_page_does_not_build_its_counts_again(client, monkeypatch):
    """The kept counts' queryset is built when the page's statement is compiled, not on
    each request: the kept statement holds the sum already."""
    advisor, _other, _both, _admin = _world()
    built = []
    youth_counts = views._youth_counts
    monkeypatch.setattr(
        views, "_youth_counts", lambda *args: built.append(args) or youth_counts(*args)
    )
    views._PAGE_STATEMENTS.clear()
    client.force_login(advisor)
    url = reverse("candidates:youth_list")
    first = client.get(url).context["page"].paginator
    assert len(built) == 1 and first.counted_exactly
    again = client.get(url).context["page"].paginator
    assert len(built) == 1
    assert again.counted_exactly and again.total == first.total == _direct_count(advisor, {})
    # a page past the end is built by the ORM, and counts apart from the counts
    past = client.get(url, {"page": "99"}).context["page"]
    assert len(built) > 1 and past.paginator.total == first.total
    assert past.number == first.num_pages
