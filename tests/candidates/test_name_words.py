"""The names' words (`YouthNameWord`) the list's search reads on PostgreSQL: the
database's triggers keep them equal to the youths' names whatever writes the youths,
the list reads a search from them through the index alone, and they are part of the
subject's export and of anonymisation. On SQLite the table stays empty and the list
searches the youths' table, with the same rule."""

from __future__ import annotations

from collections import Counter

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.enums import Role
from candidates.enums import PathwayStage, YouthStatus
from candidates.models import Youth, YouthNameWord, rebuild_name_words
from candidates.personal_data_registry import build_sections
from candidates.services.rights import anonymise_youth
from candidates.text import normalise_name
from candidates.views import youths as views
from tests.accounts.factories import OrganisationFactory, UserFactory, make_member
from tests.candidates.factories import YouthFactory

pytestmark = pytest.mark.django_db

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL only: its triggers write the words"
)


def _words_held() -> Counter:
    """Every row of the names' words, as (youth, mission locale, word, the word before
    it, name, status)."""
    return Counter(
        YouthNameWord.objects.values_list(
            "youth_id", "mission_locale_id", "word", "word_before", "search_name", "status"
        )
    )


def _words_of_the_youths() -> Counter:
    """What the rows must be: one per distinct word of each youth's name, with the word
    of the name just before it in code point order (Python's order of `str`), "" for
    the first."""
    expected = Counter()
    for youth in Youth.objects.all():
        words = sorted(set(youth.search_name.split()))
        for word, before in zip(words, ["", *words], strict=False):
            expected[
                (
                    youth.pk,
                    youth.mission_locale_id,
                    word,
                    before,
                    youth.search_name,
                    youth.status,
                )
            ] += 1
    return expected


@postgresql_only
def test_every_way_of_writing_youths_keeps_their_words():
    advisor = make_member(Role.ADVISOR)
    ml = advisor.memberships.get().organisation
    other_ml = OrganisationFactory(mission_locale=True)
    # One by one (the services' path) and in bulk (imports).
    youth = YouthFactory(mission_locale=ml, last_name="Lemaire-Leroy", first_name="Léa")
    Youth.objects.bulk_create(
        [
            Youth(
                mission_locale=ml,
                first_name=first,
                last_name="Dupont",
                search_name=normalise_name("Dupont", first),
                birth_date=youth.birth_date,
                registered_on=youth.registered_on,
            )
            for first in ("Anne", "Dupont", "")
        ]
    )
    assert _words_held() == _words_of_the_youths()
    # "dupont dupont" holds one word; "dupont" alone (no first name) one too.
    assert YouthNameWord.objects.filter(word="dupont").count() == 3
    assert set(YouthNameWord.objects.filter(youth=youth).values_list("word", "word_before")) == {
        ("lea", ""),
        ("lemaire", "lea"),
        ("leroy", "lemaire"),
    }

    # A write that changes neither the name, the mission locale nor the status leaves
    # the rows as they are.
    kept = set(YouthNameWord.objects.filter(youth=youth).values_list("pk", flat=True))
    Youth.objects.filter(pk=youth.pk).update(city="Aubagne", current_stage=PathwayStage.DISCOVERY)
    assert set(YouthNameWord.objects.filter(youth=youth).values_list("pk", flat=True)) == kept

    # The name (saved), the mission locale and the status (a queryset's update).
    youth.last_name, youth.search_name = "Martin", normalise_name("Martin", "Léa")
    youth.save()
    Youth.objects.filter(last_name="Dupont").update(mission_locale=other_ml)
    Youth.objects.filter(first_name="Anne").update(status=YouthStatus.CLOSED)
    assert _words_held() == _words_of_the_youths()
    assert not YouthNameWord.objects.filter(youth=youth, word="lemaire").exists()

    # Deleted youths take their words with them; so does emptying the table.
    Youth.objects.filter(first_name="Dupont").delete()
    assert _words_held() == _words_of_the_youths()
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no pending check on the table
        cursor.execute("TRUNCATE candidates_youth CASCADE")
    assert not YouthNameWord.objects.exists()


@postgresql_only
def test_rebuilding_the_words_writes_them_from_the_youths():
    """For a writer that ran with the triggers off (the benchmark's loader)."""
    YouthFactory.create_batch(3)
    with connection.cursor() as cursor:
        cursor.execute("SET session_replication_role = replica")
        YouthFactory(last_name="Sans-Déclencheur")
        cursor.execute("UPDATE candidates_youthnameword SET word = 'faux' WHERE id % 2 = 0")
        cursor.execute("UPDATE candidates_youthnameword SET word_before = 'faux' WHERE id % 3 = 0")
        cursor.execute("SET session_replication_role = DEFAULT")
    assert _words_held() != _words_of_the_youths()
    rebuild_name_words()
    rebuild_name_words()  # twice: the same rows
    assert _words_held() == _words_of_the_youths()


@postgresql_only
def test_an_anonymised_file_has_no_word_left_and_its_export_shows_them_before():
    youth = YouthFactory(last_name="Zerbib", first_name="Inès")
    actor = make_member(Role.ML_MANAGER, organisation=youth.mission_locale)
    section = next(s for s in build_sections(youth.pk) if s.key == "mots_du_nom")
    assert sorted(row[0] for row in section.rows) == ["ines", "zerbib"]
    anonymise_youth(youth=youth, actor=actor, reason="demande du jeune")
    assert not YouthNameWord.objects.filter(youth=youth).exists()
    section = next(s for s in build_sections(youth.pk) if s.key == "mots_du_nom")
    assert section.rows == []


def _list_statement(client, params) -> str:
    with CaptureQueriesContext(connection) as sent:
        response = client.get(reverse("candidates:youth_list"), params)
    assert response.status_code == 200
    return "\n".join(query["sql"] for query in sent.captured_queries)


@postgresql_only
def test_the_list_reads_a_search_from_the_words_where_they_answer_it(client):
    advisor = make_member(Role.ADVISOR)
    ml = advisor.memberships.get().organisation
    YouthFactory(mission_locale=ml, advisor=advisor, last_name="Lefèvre", first_name="Zoé")
    client.force_login(advisor)
    for params in ({"q": "lef"}, {"q": "lef", "sort": "-name", "status": "all"}):
        assert "candidates_youthnameword" in _list_statement(client, params), params
    # Filters the words do not hold, another order: the youths' table.
    for params in (
        {"q": "lef", "stage": PathwayStage.INFORMATION},
        {"q": "lef", "minors": "on"},
        {"q": "lef", "sort": "age"},
        {},
    ):
        assert "candidates_youthnameword" not in _list_statement(client, params), params
    # An admin sees every mission locale: the index, led by the mission locale, would
    # not serve; the youths' table's trigram index does.
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    assert "candidates_youthnameword" not in _list_statement(client, {"q": "lef"})


def _search_data(q: str, sort: str = "") -> dict:
    return {
        "q": q,
        "sort": sort,
        "status": "",
        "stage": "",
        "advisor": None,
        "civis": "",
        "outcome": "",
        "no_contact_days": None,
        "minors": False,
    }


@postgresql_only
def test_the_search_reads_its_range_of_the_index_alone():
    """The words' statement as the list writes it is an index-only scan of the mission
    locale's range of words (`word__words_from`, in code point order: collation "C"),
    the first word of each name kept by a column the index holds (`word_before`). Few
    rows here: the other ways of reading the table are turned off for the plan, the
    index must still be able to answer alone."""
    from candidates.views.youths import _name_word_keys

    advisor = make_member(Role.ADVISOR)
    ml = advisor.memberships.get().organisation
    for n in range(30):
        YouthFactory(mission_locale=ml, last_name=f"Lefèvre{n}", first_name="Zoé")
    keys = _name_word_keys(advisor, _search_data("le_f% lef"))
    sql, params = keys.values_list("youth_id", "search_name").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_bitmapscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "Index Only Scan using youth_name_word_search" in plan, plan
    assert "mission_locale_id" in plan and "(word >= " in plan and "(word < " in plan, plan
    # The range is the rule: no `LIKE` of the word itself beside it.
    assert "word_before)::text < " in plan and "(word)::text ~~" not in plan, plan
    assert "Heap Fetches" not in plan or "Heap Fetches: 0" in plan, plan


def _keys_plan(keys) -> str:
    sql, params = keys.values_list("youth_id").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_bitmapscan = off")
        cursor.execute(f"EXPLAIN {sql} LIMIT 25", params)
        return "\n".join(row[0] for row in cursor.fetchall())


@postgresql_only
@pytest.mark.parametrize("sort", ["", "-name"])
def test_one_words_entries_come_in_the_lists_order_from_the_index(client, sort):
    """A search whose range holds one word reads its entries in the list's order from
    the index (mission locale, word, name, youth): no sort, the page's entries and no
    more. With two words in the range, their entries are sorted by name, and the list
    shows them in name order, not in the words' ("dupont lefort" before "martin
    lefevre", although "lefevre" comes before "lefort")."""
    from django.http import QueryDict

    advisor = make_member(Role.ADVISOR)
    ml = advisor.memberships.get().organisation
    for n in range(30):
        YouthFactory(mission_locale=ml, last_name=f"Martin{n:02}", first_name="Lefèvre")
    form = views.filter_form(advisor, QueryDict(f"q=lefe&sort={sort}"))
    assert views._one_word_matches(advisor, form)
    keys = views._name_word_keys(advisor, _search_data("lefe", sort), one_word=True)
    plan = _keys_plan(keys)
    assert "Index Only Scan" in plan and "Sort" not in plan, plan
    # the page: the names in order, both ways
    client.force_login(advisor)
    url = reverse("candidates:youth_list")
    names = [row[1] for row in client.get(url, {"q": "lefe", "sort": sort}).context["page"]]
    expected = [f"Martin{n:02}" for n in range(30)]
    assert names == (expected if sort == "" else expected[::-1])[: views.PAGE_SIZE]
    # a second word in the range: sorted by name
    first = YouthFactory(mission_locale=ml, last_name="Dupont", first_name="Lefort")
    form = views.filter_form(advisor, QueryDict(f"q=lef&sort={sort}"))
    assert not views._one_word_matches(advisor, form)
    assert views._one_word_matches(advisor, views.filter_form(advisor, QueryDict("q=lefo")))
    plan = _keys_plan(views._name_word_keys(advisor, _search_data("lef", sort)))
    assert "Sort" in plan, plan
    page = client.get(url, {"q": "lef", "sort": sort}).context["page"]
    names = [row[1] for row in page.object_list]
    assert (
        names
        == (["Dupont", *expected] if sort == "" else [*expected[::-1], "Dupont"])[: views.PAGE_SIZE]
    )
    assert page.paginator.count == 31
    assert first.pk in [row[0] for row in client.get(url, {"q": "lef"}).context["page"]]
    # several missions locales: the index's order is each one's, the range is sorted
    both = make_member(Role.ADVISOR, organisation=ml)
    other_ml = OrganisationFactory(mission_locale=True, region=ml.region)
    both.memberships.create(organisation=other_ml, role=Role.ADVISOR)
    assert not views._one_word_matches(both, views.filter_form(both, QueryDict("q=lefe")))


@postgresql_only
def test_the_words_page_counts_the_range_apart_without_a_window(client):
    """The page's keys and the count in one statement: the count from the range's first
    cap + 1 entries, not a window buffering every match before the page's sort."""
    advisor = make_member(Role.ADVISOR)
    YouthFactory(mission_locale=advisor.memberships.get().organisation, last_name="Lefèvre")
    client.force_login(advisor)
    statement = _list_statement(client, {"q": "lef"})
    words = next(sql for sql in statement.split("\n") if '"one_pass"' in sql)
    assert "candidates_youthnameword" in words
    assert "OVER (" not in words, words
    assert f"LIMIT {views.SEARCH_COUNT_CAP + 1})" in words, words


def test_a_search_finds_each_youth_once_whatever_its_words(client):
    """Three words of one name begin with "le": the youth is listed once, and counted
    once, on both paths (the words on PostgreSQL, the youths' table on SQLite)."""
    advisor = make_member(Role.ADVISOR)
    ml = advisor.memberships.get().organisation
    twice = YouthFactory(mission_locale=ml, last_name="Lemaire-Leroy", first_name="Léa")
    once = YouthFactory(mission_locale=ml, last_name="Lefèvre", first_name="Paul")
    YouthFactory(mission_locale=ml, last_name="Malefant", first_name="Paul")
    client.force_login(advisor)
    response = client.get(reverse("candidates:youth_list"), {"q": "le"})
    page = response.context["page"]
    assert [row[0] for row in page.object_list] == [once.pk, twice.pk]
    assert page.paginator.count == 2


@pytest.mark.parametrize("params", [{}, {"sort": "-name"}, {"stage": PathwayStage.INFORMATION}])
def test_a_search_counts_up_to_its_cap_and_says_so(client, monkeypatch, params):
    """Past `SEARCH_COUNT_CAP` matches the page says "plus de" and shows the first ones
    in the order chosen, read from the names' words (a count apart) or from the youths'
    table (a filter the words do not hold), on both databases; the list itself keeps
    its own cap."""
    monkeypatch.setattr(views, "SEARCH_COUNT_CAP", 3)
    views._PAGE_STATEMENTS.clear()
    advisor = make_member(Role.ADVISOR)
    ml = advisor.memberships.get().organisation
    for n in range(5):
        YouthFactory(mission_locale=ml, last_name=f"Lefèvre{n}", current_stage="information")
    client.force_login(advisor)
    url = reverse("candidates:youth_list")
    for _ in range(2):  # compiled, then kept
        page = client.get(url, {"q": "lef", **params}).context["page"]
        assert page.paginator.is_capped and page.paginator.count == 3, params
        assert len(page.object_list) == 3, params
        names = [row[1] for row in page.object_list]
        expected = ["Lefèvre0", "Lefèvre1", "Lefèvre2"]
        assert names == (
            expected if params.get("sort") != "-name" else ["Lefèvre4", "Lefèvre3", "Lefèvre2"]
        )
    response = client.get(url, {"q": "lef", **params})
    assert "Plus de 3 jeunes" in response.content.decode()
    page = client.get(url, params).context["page"]
    assert not page.paginator.is_capped and page.paginator.count == 5


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite only: no triggers there")
def test_on_sqlite_the_words_stay_empty_and_the_list_searches_the_youths():
    youth = YouthFactory(last_name="Lefèvre", first_name="Zoé")
    assert not YouthNameWord.objects.exists()
    assert list(Youth.objects.search("lef")) == [youth]
