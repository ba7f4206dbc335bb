"""Who reads the access log: "Consulté par" on a youth's page and the full list behind
it, the mission locale's journal with its filters. Managers of the youth's mission locale
and admins; advisors do not; another mission locale's manager sees nothing."""

from __future__ import annotations

import datetime
from types import SimpleNamespace

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.enums import Role
from accounts.navigation import build_navigation
from candidates.access_log import RECENT_ON_YOUTH_PAGE, AccessLogEntry, record_access
from candidates.enums import AccessKind
from candidates.services import move_youth_to_mission_locale
from candidates.views.access import PAGE_SIZE
from tests.accounts.factories import OrganisationFactory, UserFactory, make_member
from tests.helpers import assert_refused

from .factories import YouthFactory, fill_file
from .test_youth_pages import DETAIL_PAGE_QUERIES

pytestmark = pytest.mark.django_db

PARIS = datetime.timezone(datetime.timedelta(hours=1))


@pytest.fixture
def ml():
    """Mission locale A (a youth followed by Camille, its manager Dominique) and the
    neighbouring mission locale B (its own youth, advisor and manager)."""
    ml_a = OrganisationFactory(mission_locale=True, name="Mission locale A")
    ml_b = OrganisationFactory(mission_locale=True, region=ml_a.region, name="Mission locale B")
    advisor = make_member(
        Role.ADVISOR, organisation=ml_a, first_name="Camille", last_name="Conseillere"
    )
    youth = YouthFactory(
        mission_locale=ml_a, advisor=advisor, first_name="Yasmina", last_name="Secretnom"
    )
    advisor_b = make_member(Role.ADVISOR, organisation=ml_b, first_name="Bruno", last_name="Voisin")
    return SimpleNamespace(
        a=ml_a,
        b=ml_b,
        youth=youth,
        advisor=advisor,
        manager=make_member(
            Role.ML_MANAGER, organisation=ml_a, first_name="Dominique", last_name="Directrice"
        ),
        youth_b=YouthFactory(mission_locale=ml_b, advisor=advisor_b, last_name="Autrenom"),
        advisor_b=advisor_b,
        manager_b=make_member(Role.ML_MANAGER, organisation=ml_b),
        recruiter=make_member(Role.RECRUITER, first_name="Julien", last_name="Recruteur"),
    )


def _open(user, youth, *, at=None, kind=AccessKind.YOUTH_FILE):
    entry = record_access(user=user, kind=kind, youth=youth)
    if at is not None:
        AccessLogEntry.objects.filter(pk=entry.pk).update(at=at)
    return entry


# --- "Consulté par" on the youth's page ------------------------------------------------


def test_the_manager_sees_who_opened_the_file(client, ml):
    # An opening in the past (the other entries are written now, after it).
    with time_machine.travel(datetime.datetime(2025, 3, 2, 14, 5, tzinfo=PARIS), tick=False):
        client.force_login(ml.advisor)
        client.get(reverse("candidates:youth_detail", args=[ml.youth.pk]))
    _open(ml.recruiter, ml.youth, kind=AccessKind.PROPOSAL_CONTACT)
    client.force_login(ml.manager)
    response = client.get(reverse("candidates:youth_detail", args=[ml.youth.pk]))
    body = response.content.decode()
    assert "Consulté par" in body
    assert "02/03/2025 14:05" in body and "Camille Conseillere" in body
    assert "Julien Recruteur" in body and "Coordonnées vues sur une candidature" in body
    # Newest first, this opening by the manager included.
    readers = [entry.user for entry in response.context["recent_access"]]
    assert readers == [ml.manager, ml.recruiter, ml.advisor]
    assert reverse("candidates:youth_access_log", args=[ml.youth.pk]) in body


def test_an_advisor_does_not_see_who_opened_the_file(client, ml):
    _open(ml.manager, ml.youth)
    client.force_login(ml.advisor)
    response = client.get(reverse("candidates:youth_detail", args=[ml.youth.pk]))
    body = response.content.decode()
    assert response.context["recent_access"] is None
    assert "Consulté par" not in body and "Dominique Directrice" not in body
    assert reverse("candidates:youth_access_log", args=[ml.youth.pk]) not in body


def test_the_admin_sees_who_opened_the_file(client, ml):
    _open(ml.advisor, ml.youth)
    client.force_login(UserFactory(admin=True))
    response = client.get(reverse("candidates:youth_detail", args=[ml.youth.pk]))
    assert "Camille Conseillere" in response.content.decode()


def test_consulte_par_shows_the_last_ten_in_one_query(client, ml, django_assert_num_queries):
    youth = fill_file(YouthFactory(hired=True, mission_locale=ml.a, advisor=ml.advisor), 1)
    url = reverse("candidates:youth_detail", args=[youth.pk])
    client.force_login(ml.manager)
    client.get(url)  # warm the session
    now = timezone.now()
    for more in (2, 30):
        for i in range(more):
            _open(ml.advisor, youth, at=now - datetime.timedelta(days=1, minutes=i))
        # The advisor's budget, plus the one query of "Consulté par".
        with django_assert_num_queries(DETAIL_PAGE_QUERIES + 1):
            response = client.get(url)
        shown = response.context["recent_access"]
        assert len(shown) == min(RECENT_ON_YOUTH_PAGE, more + 2)
        assert shown[0].user == ml.manager  # this opening, newest first
        assert [e.at for e in shown] == sorted((e.at for e in shown), reverse=True)


# --- The full list for one youth ------------------------------------------------------


def test_the_youth_list_shows_every_opening_to_the_manager_only(client, ml):
    for _ in range(RECENT_ON_YOUTH_PAGE + 2):
        _open(ml.advisor, ml.youth)
    _open(ml.recruiter, ml.youth, kind=AccessKind.PROPOSAL_CONTACT)
    _open(ml.advisor_b, ml.youth_b)  # another youth: not on this list
    url = reverse("candidates:youth_access_log", args=[ml.youth.pk])
    client.force_login(ml.manager)
    response = client.get(url)
    assert response.status_code == 200
    assert response.context["page"].paginator.count == RECENT_ON_YOUTH_PAGE + 3
    assert "Secretnom" in response.content.decode()
    assert "Bruno Voisin" not in response.content.decode()
    # An advisor of the mission locale: 403; the neighbouring manager: 404.
    assert_refused(client, ml.advisor, url, must_not_contain=["Julien Recruteur"])
    assert_refused(client, ml.manager_b, url, must_not_contain=["Secretnom"])


# --- The mission locale's journal ------------------------------------------------------


def test_the_journal_is_scoped_to_the_managers_mission_locale(client, ml):
    _open(ml.advisor, ml.youth)
    _open(ml.recruiter, ml.youth, kind=AccessKind.PROPOSAL_CONTACT)
    record_access(user=ml.advisor, kind=AccessKind.LIST_EXPORT, rows=7, mission_locale_id=ml.a.pk)
    _open(ml.advisor_b, ml.youth_b)
    record_access(user=ml.advisor_b, kind=AccessKind.LIST_EXPORT, rows=3, mission_locale_id=ml.b.pk)
    url = reverse("candidates:access_log")

    client.force_login(ml.manager)
    response = client.get(url)
    body = response.content.decode()
    assert {row.entry.user for row in response.context["rows"]} == {ml.advisor, ml.recruiter}
    assert response.context["page"].paginator.count == 3
    assert "Secretnom" in body and "7 lignes" in body
    assert "Autrenom" not in body and "Bruno Voisin" not in body

    # The other mission locale's manager sees theirs only: nothing of A.
    client.force_login(ml.manager_b)
    response = client.get(url)
    body = response.content.decode()
    assert {row.entry.user for row in response.context["rows"]} == {ml.advisor_b}
    assert "Secretnom" not in body and "Camille Conseillere" not in body
    assert "Julien Recruteur" not in body

    client.force_login(UserFactory(admin=True))
    assert client.get(url).context["page"].paginator.count == 5


@pytest.mark.parametrize("who", ["advisor", "recruiter"])
def test_the_journal_is_for_managers_and_admins(client, ml, who):
    _open(ml.manager, ml.youth)
    assert_refused(
        client,
        getattr(ml, who),
        reverse("candidates:access_log"),
        must_not_contain=["Secretnom", "Dominique Directrice"],
    )


def test_the_journal_filters_by_reader_kind_and_day(client, ml):
    day = datetime.datetime(2027, 3, 2, 12, 0, tzinfo=PARIS)
    _open(ml.advisor, ml.youth, at=day)
    _open(ml.advisor, ml.youth, at=day + datetime.timedelta(days=5))
    _open(ml.recruiter, ml.youth, at=day, kind=AccessKind.PROPOSAL_CONTACT)
    client.force_login(ml.manager)
    url = reverse("candidates:access_log")

    def count(**query):
        response = client.get(url, query)
        assert response.status_code == 200
        return response.context["page"].paginator.count

    assert count() == 3
    assert count(reader=ml.recruiter.pk) == 1
    assert count(kind=AccessKind.YOUTH_FILE) == 2
    assert count(since="03/03/2027") == 1
    assert count(until="02/03/2027") == 2
    assert count(since="02/03/2027", until="02/03/2027", kind=AccessKind.YOUTH_FILE) == 1
    # A reader of another mission locale is no choice: the filter is ignored, not a leak.
    assert count(reader=ml.advisor_b.pk) == 3
    assert count(since="pas une date") == 3


def test_a_youth_moved_away_is_no_longer_named_to_the_former_mission_locale(client, ml):
    _open(ml.advisor, ml.youth)
    move_youth_to_mission_locale(
        youth=ml.youth, mission_locale=ml.b, actor=ml.manager, reason="Déménagement"
    )
    url = reverse("candidates:access_log")
    # The former mission locale keeps the trace of its own reading, without the name.
    client.force_login(ml.manager)
    body = client.get(url).content.decode()
    assert "Camille Conseillere" in body and f"Jeune n°{ml.youth.pk}" in body
    assert "Secretnom" not in body
    # The new one sees who read the file before, with the name.
    client.force_login(ml.manager_b)
    body = client.get(url).content.decode()
    assert "Camille Conseillere" in body and "Secretnom" in body


def test_the_journal_query_count_does_not_grow(client, ml):
    client.force_login(ml.manager)
    url = reverse("candidates:access_log")
    client.get(url)  # warm the session
    counts = []
    for more, shown in ((2, 2), (60, PAGE_SIZE)):
        for _ in range(more):
            reader = make_member(Role.ADVISOR, organisation=ml.a)
            _open(reader, YouthFactory(mission_locale=ml.a, advisor=reader))
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert len(response.context["rows"]) == shown
        counts.append(len(captured.captured_queries))
    assert counts[0] == counts[1]


def test_the_navigation_offers_the_journal_to_managers_only(ml):
    def names(user):
        return [item.url_name for item in build_navigation(user)]

    assert "candidates:access_log" in names(ml.manager)
    assert "candidates:access_log" not in names(ml.advisor)
    assert "candidates:access_log" not in names(ml.recruiter)
