"""Prepared statements on PostgreSQL (`DATABASE_PREPARED_STATEMENTS`): a query that
recurs on a connection is prepared, planned once; a pattern match never is, planned
for its pattern each time (accounts/database.py)."""

import pytest
from django.conf import settings
from django.db import connection

from accounts.database import pattern_planned_cursor_class, prepares_statements
from candidates.models import Youth
from tests.candidates.factories import YouthFactory

pytestmark = pytest.mark.django_db


def _prepared_statements() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        return [row[0] for row in cursor.fetchall()]


def _postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("prepared statements are PostgreSQL's; other databases bind as before")


def test_the_portals_postgresql_connections_prepare_recurring_queries():
    _postgresql_only()
    assert settings.DATABASE_PREPARED_STATEMENTS is True
    assert prepares_statements(connection)
    connection.ensure_connection()
    assert connection.connection.cursor_factory is pattern_planned_cursor_class()


def test_a_recurring_query_is_prepared_and_a_pattern_match_never():
    _postgresql_only()
    youth = YouthFactory(last_name="Lefèvre")
    runs = settings.DATABASE_PREPARE_THRESHOLD + 2
    for _ in range(runs):
        by_place = Youth.objects.filter(mission_locale_id=youth.mission_locale_id)
        assert list(by_place.values_list("pk", flat=True)) == [youth.pk]
        by_name = Youth.objects.filter(search_name__contains="lefevre")
        assert list(by_name.values_list("pk", flat=True)) == [youth.pk]
    prepared = [sql for sql in _prepared_statements() if '"candidates_youth"' in sql]
    # The mission locale's query, planned once for the connection…
    assert any('"mission_locale_id" = $1' in sql for sql in prepared), prepared
    # …the name search never: a generic plan of `LIKE $1` read the whole trigram index
    # for a one-letter search.
    assert not any("LIKE" in sql for sql in prepared), prepared


def test_the_list_search_through_the_names_words_is_prepared_and_its_generic_plan_ranges(
    client,
):
    """The names' words' search holds `LIKE`s as filters only, its range written as
    two parameters (`word__words_from`): it says so (`PLANNED_FOR_ANY_PATTERN`), is
    prepared, and PostgreSQL's generic plan, made for no word in particular, still
    reads the range of the index."""
    from django.urls import reverse

    from accounts.database import PLANNED_FOR_ANY_PATTERN
    from accounts.enums import Role
    from tests.accounts.factories import make_member

    _postgresql_only()
    advisor = make_member(Role.ADVISOR)
    ml = advisor.memberships.get().organisation
    youth = YouthFactory(mission_locale=ml, last_name="Lefèvre", first_name="Zoé")
    client.force_login(advisor)
    for word in ("lef", "zo", "lefevre", "z", "le", "lef", "zoe", "lefe"):
        page = client.get(reverse("candidates:youth_list"), {"q": word}).context["page"]
        assert [row[0] for row in page.object_list] == [youth.pk], word
    prepared = [sql for sql in _prepared_statements() if sql.startswith(PLANNED_FOR_ANY_PATTERN)]
    assert len(prepared) == 1, prepared
    statement = prepared[0]
    assert "candidates_youthnameword" in statement and " LIKE " in statement
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL plan_cache_mode = force_generic_plan")
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_bitmapscan = off")
        cursor.execute("PREPARE words_search AS " + statement)
        cursor.execute(
            "SELECT parameter_types::text[] FROM pg_prepared_statements WHERE name = 'words_search'"
        )
        types = cursor.fetchone()[0]
        # EXPLAIN of a generic plan: each parameter a typed NULL.
        nulls = ", ".join(f"NULL::{kind}" for kind in types)
        cursor.execute(f"EXPLAIN EXECUTE words_search({nulls})")
        plan = "\n".join(row[0] for row in cursor.fetchall())
        cursor.execute("DEALLOCATE words_search")
    assert "Index Only Scan using youth_name_word_search" in plan, plan
    assert "(word >= $" in plan and "(word < ($" in plan, plan
