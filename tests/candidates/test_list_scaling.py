"""What keeps the youth list fast with a large mission locale: a count read from the
youths' kept counts, or one that stops at 10,000 rows (the page says "plus de
10 000"), and on PostgreSQL a trigram index on the
normalised name for the search, led by the mission locale (candidates migrations 0011
and 0026)."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.db import connection
from django.db.models.functions import Lower
from django.urls import reverse

from accounts import pagination
from accounts.enums import Role
from accounts.models import User
from accounts.pagination import CappedPaginator
from candidates.models import Youth
from tests.accounts.factories import make_member
from tests.candidates.factories import YouthFactory

pytestmark = pytest.mark.django_db


def test_the_paginator_counts_up_to_its_cap():
    advisor = make_member(Role.ADVISOR)
    ml = advisor.memberships.get().organisation
    YouthFactory.create_batch(7, mission_locale=ml, advisor=advisor)
    youths = Youth.objects.order_by("pk")
    exact = CappedPaginator(youths, 2, cap=7)
    assert (exact.count, exact.is_capped, exact.num_pages) == (7, False, 4)
    capped = CappedPaginator(youths, 2, cap=5)
    assert (capped.count, capped.is_capped, capped.num_pages) == (5, True, 3)
    assert [y.pk for y in capped.page(3)] == [youths[4].pk]


def test_past_the_cap_the_list_says_how_many_or_more_than(client, monkeypatch):
    """Filtered by status and stage alone, the list reads its exact number from the
    youths' kept counts; with another filter it counts up to the cap."""
    advisor = make_member(Role.ADVISOR)
    ml = advisor.memberships.get().organisation
    YouthFactory.create_batch(4, mission_locale=ml, advisor=advisor)
    client.force_login(advisor)
    url = reverse("candidates:youth_list")
    assert "4 jeunes" in client.get(url).content.decode()
    monkeypatch.setattr(pagination, "COUNT_CAP", 3)
    body = client.get(url).content.decode()
    assert "4 jeunes : les pages montrent les 3 premiers dans cet ordre." in body
    body = client.get(url, {"advisor": advisor.pk}).content.decode()
    assert "Plus de 3 jeunes : les pages montrent les 3 premiers dans cet ordre." in body


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only")
def test_the_name_search_has_a_trigram_index_on_postgresql():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE indexname = %s", ["youth_ml_name_trgm"]
        )
        (definition,) = cursor.fetchone()
    assert "gin (mission_locale_id, search_name gin_trgm_ops)" in definition


def test_a_name_search_keeps_the_name_order_both_ways():
    """A search is sorted by LOWER(search_name) (so that PostgreSQL reads the trigram
    index rather than walk the name index): the same order as the list's."""
    from candidates.forms import YouthFilterForm

    advisor = make_member(Role.ADVISOR)
    ml = advisor.memberships.get().organisation
    for first, last in [
        ("Zoé", "Dupont"),
        ("anne", "DUPONT"),
        ("Élie", "Dupond"),
        ("Léa", "Martin"),
    ]:
        YouthFactory(mission_locale=ml, advisor=advisor, first_name=first, last_name=last)
    scoped = Youth.objects.visible_to(advisor)
    for sort in ("name", "-name"):
        form = YouthFilterForm({"q": "dupon", "sort": sort}, advisors=User.objects.none())
        found = [y.search_name for y in form.filter(scoped)]
        assert found == sorted(found, reverse=sort == "-name")
        assert found[0] == ("dupond elie" if sort == "name" else "dupont zoe")
        assert len(found) == 3


#: Orderings by fields and by expressions, each way, ending with the pk.
ORDERINGS = [
    ("search_name", "pk"),
    ("-last_contact_on", "last_name", "-pk"),
    (Lower("search_name").desc(), "-pk"),
    (Lower("search_name"), "pk"),
]


def _seventeen_youths():
    """Seventeen youths of an advisor's mission locale, names and dates repeating (ties
    the orderings must break by pk); the mission locale."""
    advisor = make_member(Role.ADVISOR)
    ml = advisor.memberships.get().organisation
    for n in range(17):
        YouthFactory(
            mission_locale=ml,
            advisor=advisor,
            last_name=["Dupont", "dupond", "Martin"][n % 3],
            first_name=f"Prénom{n % 5}",
            last_contact_on=None if n % 4 == 0 else date(2026, 1, 1 + n % 6),
        )
    return ml


@pytest.mark.parametrize("cap", [7, 100])
def test_the_one_pass_paginator_pages_and_counts_as_the_capped_one(cap):
    """Every page number (valid, past the end, not a number) gives the same page, rows,
    count and "more than" as `CappedPaginator`, for orderings by fields and by
    expressions, each way (on SQLite both take the same path)."""
    from accounts.pagination import OnePassPaginator

    ml = _seventeen_youths()
    numbers = [None, "", "abc", "2.5", "-1", "0", "1", "2", "3", "4", "5", "99"]
    for ordering in ORDERINGS:
        youths = Youth.objects.filter(mission_locale=ml).order_by(*ordering)
        for number in numbers:
            expected = CappedPaginator(youths, 4, cap=cap).get_page(number)
            page = OnePassPaginator(youths, 4, cap=cap).get_page(number)
            assert [y.pk for y in page] == [y.pk for y in expected], (ordering, number)
            assert (page.number, page.paginator.count, page.paginator.is_capped) == (
                expected.number,
                expected.paginator.count,
                expected.paginator.is_capped,
            )
    nobody = Youth.objects.none().order_by("pk")
    page = OnePassPaginator(nobody, 4).get_page("3")
    assert (page.number, page.paginator.count, list(page)) == (1, 0, [])


@pytest.mark.parametrize("cap", [7, 100])
@pytest.mark.parametrize("keys_first_past", [None, 0, 4])
def test_the_paginators_reading_rows_page_and_count_as_the_capped_one(cap, keys_first_past):
    """`CountedRowsPaginator` (the count in the page's statement, the keys first past a
    point) and `OnePassPaginator` given `read` (the rows in the statement that counts)
    give every page number the same page, rows, count and "more than" as
    `CappedPaginator`, for orderings by fields and by expressions, each way."""
    from accounts.pagination import CountedRowsPaginator, OnePassPaginator

    ml = _seventeen_youths()
    YouthFactory(last_name="Dupont")  # another mission locale's

    def read(youths):
        return youths.values_list("pk", "last_contact_on", "advisor__last_name")

    numbers = [None, "", "abc", "2.5", 2.5, "-1", "0", "1", "2", "3", "4", "5", "99"]
    for ordering in ORDERINGS:
        youths = Youth.objects.filter(mission_locale=ml).order_by(*ordering)
        for number in numbers:
            expected = CappedPaginator(youths, 4, cap=cap).get_page(number)
            shown = [y.pk for y in expected]
            expected_rows = [tuple(row) for row in read(youths.filter(pk__in=shown))]
            expected_rows.sort(key=lambda row: shown.index(row[0]))
            for page in (
                CountedRowsPaginator(
                    youths, 4, cap=cap, read=read, keys_first_past=keys_first_past
                ).get_page(number),
                OnePassPaginator(youths, 4, cap=cap, read=read).get_page(number),
            ):
                assert list(page) == expected_rows, (ordering, number)
                assert (page.number, page.paginator.count, page.paginator.is_capped) == (
                    expected.number,
                    expected.paginator.count,
                    expected.paginator.is_capped,
                )
    nobody = Youth.objects.none().order_by("pk")
    for paginator in (
        CountedRowsPaginator(nobody, 4, read=read),
        OnePassPaginator(nobody, 4, read=read),
    ):
        page = paginator.get_page("3")
        assert (page.number, page.paginator.count, list(page)) == (1, 0, [])


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only")
def test_a_name_search_reads_its_page_and_its_count_in_one_statement(
    client, django_assert_num_queries
):
    """From the names' words here: the count reads the range's first entries apart, in
    the page's statement, without a window (`OnePassPaginator(keys=…)`). One query more
    than the list on PostgreSQL: whether the range holds one word (two probes of the
    index, `views.youths._one_word_matches`)."""
    advisor = make_member(Role.ADVISOR)
    ml = advisor.memberships.get().organisation
    YouthFactory.create_batch(3, mission_locale=ml, advisor=advisor, last_name="Lefèvre")
    client.force_login(advisor)
    url = reverse("candidates:youth_list")
    client.get(url)  # warm the session
    # The session, the user, their scope, the advisors offered, the page with its count.
    with django_assert_num_queries(5) as plain:
        client.get(url)
    probes = 1 if connection.vendor == "postgresql" else 0
    with django_assert_num_queries(len(plain.captured_queries) + probes) as searched:
        response = client.get(url, {"q": "lefevre"})
    statements = [query["sql"] for query in searched.captured_queries]
    probed = [
        sql for sql in statements if "candidates_youthnameword" in sql and "COUNT(" not in sql
    ]
    assert len(probed) == probes
    assert all("ORDER BY 1 DESC LIMIT 1" in sql for sql in probed), probed
    assert sum("COUNT(*)" in sql for sql in statements) == 1
    counted = next(sql for sql in statements if "COUNT(*)" in sql)
    assert "candidates_youthnameword" in counted and "OVER (" not in counted
    assert not any(sql.startswith("SELECT COUNT(*)") for sql in statements)
    # The page's rows are read in the statement that counts, not by their keys after.
    assert not any(re.search(r'"id" IN \(\d', sql) for sql in statements)
    assert "3 jeunes" in response.content.decode()
    YouthFactory.create_batch(30, mission_locale=ml, advisor=advisor, last_name="Lefebvre")
    with django_assert_num_queries(len(plain.captured_queries) + probes):
        response = client.get(url, {"q": "lefe", "page": "2"})
    assert len(response.context["page"]) == 8
    assert "33 jeunes · page 2 sur 2" in response.content.decode()


@pytest.mark.parametrize("sort", ["name", "-name", "age", "stage", "contact", "registered"])
def test_each_page_shows_the_rows_of_its_slice_in_the_lists_order(client, monkeypatch, sort):
    """The list reads a page's keys first, then their rows: the rows shown, and their
    order, are the page's slice of the filtered list, whatever the order chosen."""
    import re

    from django.core.paginator import Paginator

    from candidates.forms import YouthFilterForm
    from candidates.views import youths as views

    monkeypatch.setattr(views, "PAGE_SIZE", 4)
    monkeypatch.setattr(views, "KEYS_FIRST_PAST", 4)  # from page 2
    advisor = make_member(Role.ADVISOR)
    ml = advisor.memberships.get().organisation
    for n in range(11):
        YouthFactory(
            mission_locale=ml,
            advisor=advisor,
            last_name=["Dupont", "dupond", "Martin"][n % 3],
            last_contact_on=None if n % 4 == 0 else date(2026, 1, 1 + n % 6),
        )
    YouthFactory(last_name="Dupont")  # another mission locale's
    client.force_login(advisor)
    form = YouthFilterForm({"sort": sort}, advisors=User.objects.none())
    listed = form.filter(Youth.objects.visible_to(advisor))
    link = re.compile(r'<th scope="row"><a href="/jeunes/(\d+)/"')
    for number in ["1", "2", "3", "99", "x"]:
        response = client.get(reverse("candidates:youth_list"), {"sort": sort, "page": number})
        expected = [y.pk for y in Paginator(listed, 4).get_page(number)]
        assert [int(pk) for pk in link.findall(response.content.decode())] == expected
