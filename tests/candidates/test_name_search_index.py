"""The name search reads only the user's missions locales' matches: on PostgreSQL the
list reads them from the names' words (`YouthNameWord`, an index-only scan), and a
search the words cannot answer from a GIN index on (mission locale, name trigrams)
(candidates migration 0030), which needs the mission locale ids written as bigint
(`visible_to`). Whatever the path, the rows found are those in whose name every word
typed begins a word, accents and case ignored, in the user's missions locales only."""

from __future__ import annotations

import pytest
from django.db import connection
from django.urls import reverse

from accounts.enums import Role
from accounts.models import Membership, User
from candidates.forms import YouthFilterForm
from candidates.models import Youth
from candidates.text import normalise_name
from tests.accounts.factories import OrganisationFactory, make_member
from tests.candidates.factories import YouthFactory

pytestmark = pytest.mark.django_db

NAMES = [
    ("Lefèvre", "Zoé"),
    ("LEFEVRE", "anne"),
    ("Lefebvre", "Élie"),
    ("D'Arc-Lévy", "Éloïse"),
    ("<script>alert(1)</script>", "Inès"),
    ('=HYPERLINK("x")', "Paul"),
    ("Ligne\r\nCassée", "Jean"),
    ("100% _sûr_", "Back\\slash"),
    ("L" + "e" * 99, "Long"),
    # three words beginning with "le": the youth is found once
    ("Lemaire-Leroy", "Léa"),
]
QUERIES = [
    "lefevre",
    "LEFÈVRE",
    "  lef   vre ",
    "élo arc",
    "<script>",
    "=hyperlink(",
    "ligne cassee",
    "%",
    "_",
    "100% _s",
    "_sûr",
    "\\",
    "back\\",
    "sla",
    "'; DROP TABLE candidates_youth; --",
    "e" * 90,
    "l" + "e" * 90,
    "e" * 300,
    "zz",
    "é",
    "l",
    "le le",
    "fevre",
]


def _world():
    advisor = make_member(Role.ADVISOR)
    ml = advisor.memberships.get().organisation
    other_ml = OrganisationFactory(mission_locale=True)
    other_advisor = make_member(Role.ADVISOR, organisation=other_ml)
    for last, first in NAMES:
        YouthFactory(mission_locale=ml, advisor=advisor, last_name=last, first_name=first)
        # The same names in another mission locale: never shown to `advisor`.
        YouthFactory(
            mission_locale=other_ml, advisor=other_advisor, last_name=last, first_name=first
        )
    return advisor, ml, other_ml


def _expected(ml, text: str) -> list[int]:
    """The rule, in Python: every word of the query begins a word of the normalised
    name."""
    words = normalise_name(text).split()
    rows = Youth.objects.filter(mission_locale=ml).order_by("search_name", "pk")
    return [
        y.pk
        for y in rows
        if all(any(part.startswith(word) for part in y.search_name.split()) for word in words)
    ]


@pytest.mark.parametrize("text", QUERIES)
def test_a_search_shows_the_names_holding_every_word_and_only_the_users(client, text):
    advisor, ml, _other_ml = _world()
    client.force_login(advisor)
    response = client.get(reverse("candidates:youth_list"), {"q": text})
    assert response.status_code == 200
    shown = [pk for pk, *_ in response.context["page"].object_list]
    assert shown == _expected(ml, text)


def test_a_search_with_a_nul_character_is_refused_as_a_filter_not_an_error(client):
    advisor, ml, _other_ml = _world()
    client.force_login(advisor)
    response = client.get(reverse("candidates:youth_list"), {"q": "lef\x00vre"})
    assert response.status_code == 200
    # An invalid form lists the mission locale's running files, unfiltered.
    assert len(response.context["page"]) == len(NAMES)


def test_an_advisor_of_two_missions_locales_finds_in_both_and_nowhere_else():
    advisor, ml, other_ml = _world()
    second = OrganisationFactory(mission_locale=True)
    Membership.objects.create(user=advisor, organisation=second, role=Role.ADVISOR)
    YouthFactory(mission_locale=second, last_name="Lefèvre", first_name="Marc")
    advisor = User.objects.get(pk=advisor.pk)  # the scope read again
    form = YouthFilterForm({"q": "lefevre"}, advisors=User.objects.none())
    found = form.filter(Youth.objects.visible_to(advisor))
    assert {y.mission_locale_id for y in found} == {ml.pk, second.pk}
    assert len(found) == 3
    assert other_ml.pk not in {y.mission_locale_id for y in found}


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only")
def test_the_search_index_leads_with_the_mission_locale():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'candidates_youth'"
        )
        indexes = dict(cursor.fetchall())
        cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'btree_gin'")
        assert cursor.fetchone(), "btree_gin is not installed"
    assert "gin (mission_locale_id, search_name gin_trgm_ops)" in indexes["youth_ml_name_trgm"]
    # The former index (name trigrams alone) is replaced, not kept beside it.
    assert "candidates_youth_search_name_trgm" not in indexes


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only")
def test_the_list_search_reads_the_mission_locales_matches_from_the_index():
    """The search's statement as the list writes it can put both the mission locale and
    the name in the GIN index's condition; with the ids written as integers (not the
    column's bigint) only the name would be, and every mission locale's matches read."""
    from candidates.views.youths import filtered_youths

    advisor, ml, _other_ml = _world()
    _form, youths = filtered_youths(advisor, {"q": "lefevre"})
    sql, params = youths.values("pk").query.sql_with_params()
    with connection.cursor() as cursor:
        # With a few rows the mission locale's B-tree indexes are cheaper than any other:
        # dropped for this test (its transaction is rolled back), and the table read
        # only through an index.
        cursor.execute(
            "SELECT indexname FROM pg_indexes WHERE tablename = 'candidates_youth' "
            "AND indexdef LIKE '%%USING btree (mission_locale_id%%'"
        )
        for (name,) in cursor.fetchall():
            cursor.execute(f'DROP INDEX "{name}"')
        cursor.execute("ANALYZE candidates_youth")
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        cursor.execute("SET LOCAL enable_indexonlyscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = [row[0] for row in cursor.fetchall()]
    scans = [n for n, line in enumerate(plan) if "Bitmap Index Scan on youth_ml_name_trgm" in line]
    assert scans, "\n".join(plan)
    condition = plan[scans[0] + 1]
    assert "Index Cond" in condition and "mission_locale_id" in condition, "\n".join(plan)
    assert "search_name" in condition, "\n".join(plan)
