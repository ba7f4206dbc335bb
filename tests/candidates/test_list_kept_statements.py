"""The youth list's pages from statements compiled once per shape (`_kept_page`): for
every role and filter, the same statement as the ORM builds for the request, the same
rows and count, and never a shape shared across scopes. A search read from the names'
words (`YouthNameWord`) shows the rows and count of the same search on the youths'
table."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.enums import Role
from accounts.models import Membership
from candidates.enums import PathwayStage
from candidates.models import Youth
from candidates.views import youths as views
from tests.accounts.factories import UserFactory, make_member
from tests.candidates.factories import YouthFactory

pytestmark = pytest.mark.django_db

NAMES = [
    "Dupont",
    "Dupond",
    "Martin",
    "Du Pont",
    "Lefèvre",
    "Le_Fèvre",
    "Lefe%vre",
    "Lemaire-Leroy",
]


def _world():
    advisor = make_member(Role.ADVISOR)
    ml = advisor.memberships.get().organisation
    manager = make_member(Role.ML_MANAGER, organisation=ml)
    other = make_member(Role.ADVISOR)
    other_ml = other.memberships.get().organisation
    for n in range(30):
        YouthFactory(
            mission_locale=ml if n % 3 else other_ml,
            advisor=advisor if n % 2 else manager,
            last_name=NAMES[n % len(NAMES)],
            first_name=f"Prénom{n}",
            civis_start=date(2025, 1, 1) if n % 4 == 0 else None,
            minor=n % 5 == 0,
        )
    both = make_member(Role.ADVISOR, organisation=ml)
    Membership.objects.create(user=both, organisation=other_ml, role=Role.ADVISOR)
    admin = UserFactory(is_staff=True, is_superuser=True)
    return advisor, manager, other, both, admin


def _requests(advisor):
    return [
        {},
        {"page": "2"},
        {"page": "99"},
        {"page": "x"},
        {"q": "dup"},
        {"q": "du pon", "page": "2"},
        {"q": "le_f"},
        {"q": "e%v"},
        {"q": "lefe", "sort": "-name"},
        {"q": "zzzz"},
        {"q": "du"},
        {"q": "pon du"},
        {"q": "le", "page": "2"},
        {"q": "lef pr", "sort": "-name", "status": "all"},
        {"q": "prenom1", "status": "closed"},
        {"q": "prenom2", "stage": PathwayStage.INFORMATION},
        {"stage": PathwayStage.INFORMATION, "sort": "-age"},
        {"civis": "yes", "minors": "on"},
        {"civis": "no", "outcome": "none", "status": "all"},
        {"advisor": str(advisor.pk), "sort": "registered"},
        {"no_contact_days": "30", "sort": "contact"},
        {"sort": "not-a-sort"},
    ]


def _results(response) -> str:
    """The results' part of the page (the rest holds a fresh nonce each time)."""
    body = response.content.decode()
    return body[body.index('<div id="youth-results">') :]


def _page_statement_sql(user, params) -> str:
    """The page's statement as the ORM builds it for this request, as sent."""
    form = views.filter_form(user, QueryDict(mutable=True) | params)
    statement = views.page_statement(user, form, params.get("page"))
    with CaptureQueriesContext(connection) as sent:
        statement.run()
    return sent.captured_queries[0]["sql"]


# A search's count capped at 5: past it, the page of the names' words (their count read
# apart) and the youths' table's (a window's) must still say the same.
@pytest.mark.parametrize("search_cap", [views.SEARCH_COUNT_CAP, 5])
def test_each_role_sees_the_page_the_orm_builds_from_the_kept_statement(
    client, monkeypatch, search_cap
):
    monkeypatch.setattr(views, "PAGE_SIZE", 4)
    monkeypatch.setattr(views, "SEARCH_COUNT_CAP", search_cap)
    advisor, manager, other, both, admin = _world()
    url = reverse("candidates:youth_list")
    shown_by_scope = {}
    for user in (advisor, manager, other, both, admin):
        client.force_login(user)
        views._PAGE_STATEMENTS.clear()
        for params in _requests(advisor):
            compiled = client.get(url, params)
            with CaptureQueriesContext(connection) as sent:
                kept = client.get(url, params)
            # The ORM's page, built as before the statements were kept.
            form = views.filter_form(user, QueryDict(mutable=True) | params)
            youths = form.filter(Youth.objects.visible_to(user).for_list())
            expected = views._paginator(user, form, youths).get_page(params.get("page"))
            # A search read from the names' words finds what the youths' table does.
            with monkeypatch.context() as table_only:
                table_only.setattr(views, "_name_word_keys", lambda *args: None)
                table = views._paginator(user, form, youths).get_page(params.get("page"))
            assert list(table.object_list) == list(expected.object_list), (user, params)
            assert table.paginator.count == expected.paginator.count, (user, params)
            for response in (compiled, kept):
                page = response.context["page"]
                assert list(page.object_list) == list(expected.object_list), (user, params)
                assert (page.number, page.paginator.count, page.paginator.is_capped) == (
                    expected.number,
                    expected.paginator.count,
                    expected.paginator.is_capped,
                )
            assert _results(kept) == _results(compiled)
            if views._page_shape(user, form, params.get("page")) in views._PAGE_STATEMENTS:
                statement = _page_statement_sql(user, params)
                assert statement in [query["sql"] for query in sent.captured_queries]
            if params == {}:
                shown_by_scope[user] = {row[0] for row in expected.object_list}
        # Kept, not built each time: every page's statement, but a name search's on
        # other databases than PostgreSQL, where it counts apart (`OnePassPaginator`).
        for params in _requests(advisor):
            if params.get("q") and connection.vendor != "postgresql":
                continue
            form = views.filter_form(user, QueryDict(mutable=True) | params)
            assert views._page_shape(user, form, params.get("page")) in views._PAGE_STATEMENTS
    # Each scope its own rows: the kept statements never mix missions locales.
    visible = {
        user: set(Youth.objects.visible_to(user).values_list("pk", flat=True))
        for user in shown_by_scope
    }
    for user, shown in shown_by_scope.items():
        assert shown and shown <= visible[user]
    assert not shown_by_scope[advisor] & shown_by_scope[other]


def test_a_shape_is_one_scope_the_day_and_the_filters_but_not_the_words():
    advisor, manager, other, both, admin = _world()

    def shape(user, params):
        form = views.filter_form(user, QueryDict(mutable=True) | params)
        return views._page_shape(user, form, params.get("page"))

    assert shape(advisor, {"q": "dupont"}) == shape(manager, {"q": "martin"})
    assert shape(advisor, {"q": "dupont"}) != shape(advisor, {"q": "du pont"})
    assert len({shape(user, {}) for user in (advisor, other, both, admin)}) == 4
    assert shape(advisor, {}) != shape(advisor, {"page": "2"})
    assert shape(advisor, {"stage": "discovery"}) != shape(advisor, {})
    recruiter = make_member(Role.RECRUITER)
    assert shape(recruiter, {}) is None
