"""`accounts.compiled_shapes`: a query compiled once per shape gives, for any values,
the rows the ORM gives; a shape is which arguments are None, the booleans and the
tuples' lengths; an argument the ORM would transform is refused; a query that matches
nothing sends nothing; `CompiledList` pages and counts as a queryset would."""

from __future__ import annotations

import datetime

import pytest
from django.core.paginator import Paginator
from django.db.models import Q

from accounts.compiled_shapes import CompiledList, CompiledShapes
from accounts.enums import OrganisationKind
from accounts.models import Organisation
from tests.accounts.factories import OrganisationFactory, RegionFactory

pytestmark = pytest.mark.django_db


def _organisations(*, regions, kind, named, active, since):
    organisations = Organisation.objects.filter(region_id__in=regions)
    if kind is not None:
        organisations = organisations.filter(kind=kind)
    if named is not None:
        organisations = organisations.filter(Q(name=named) | Q(city=named))
    if active:
        organisations = organisations.filter(is_active=True)
    if since is not None:
        organisations = organisations.filter(created_at__gte=since)
    return organisations.order_by("name", "pk").values_list("pk", "name", "region__code")


@pytest.fixture
def organisations():
    north, south = RegionFactory(code="32"), RegionFactory(code="93")
    made = [
        OrganisationFactory(region=north, name="Alpha", company=True),
        OrganisationFactory(region=north, name="Bravo", mission_locale=True, city="Lille"),
        OrganisationFactory(region=south, name="Charlie", company=True, is_active=False),
        OrganisationFactory(region=south, name="Lille", mission_locale=True),
    ]
    return north, south, made


def test_each_shape_gives_the_rows_of_the_orm(organisations, django_assert_num_queries):
    north, south = organisations[0].pk, organisations[1].pk
    compiled = CompiledShapes(_organisations)
    hour_ago = datetime.datetime.now(datetime.UTC) - datetime.timedelta(hours=1)
    for arguments in (
        {"regions": (north,), "kind": None, "named": None, "active": False, "since": None},
        {"regions": (south,), "kind": None, "named": None, "active": False, "since": None},
        {"regions": (north, south), "kind": None, "named": None, "active": True, "since": None},
        {"regions": (north, south), "kind": OrganisationKind.COMPANY, "named": None,
         "active": False, "since": hour_ago},
        {"regions": (north, south), "kind": None, "named": "Lille", "active": False,
         "since": None},
        {"regions": (south, north), "kind": "nothing", "named": "x", "active": True,
         "since": hour_ago + datetime.timedelta(days=1)},
    ):  # fmt: skip
        expected = list(_organisations(**arguments))
        with django_assert_num_queries(1):
            assert compiled(**arguments) == expected, arguments
    # the same name twice in a query (name or city), a value per call
    lille = compiled(regions=(north, south), kind=None, named="Lille", active=False, since=None)
    assert [name for _pk, name, _code in lille] == ["Bravo", "Lille"]


def test_a_shape_is_compiled_once_and_the_memo_is_bounded(organisations):
    north, south = organisations[0].pk, organisations[1].pk
    built = []

    def build(**arguments):
        built.append(arguments)
        return _organisations(**arguments)

    compiled = CompiledShapes(build, size=2)
    base = {"kind": None, "named": None, "active": False, "since": None}
    compiled(regions=(north,), **base)
    compiled(regions=(south,), **base)
    assert len(built) == 1  # the same shape: one region
    # what `build` received are marks, never a value of the database
    assert built[0]["regions"][0] not in (north, south)
    compiled(regions=(north, south), **base)
    compiled(regions=(north,), **{**base, "active": True})
    assert len(built) == 3 and len(compiled._compiled) == 2


def test_an_argument_the_orm_transforms_is_refused():
    compiled = CompiledShapes(
        lambda part: Organisation.objects.filter(name__contains=part).values_list("pk")
    )
    with pytest.raises(ValueError, match="each argument"):
        compiled(part="Méd")


def test_a_query_that_can_match_nothing_is_not_sent(organisations, django_assert_num_queries):
    compiled = CompiledShapes(_organisations)
    with django_assert_num_queries(0):
        rows = compiled(regions=(), kind=None, named=None, active=False, since=None)
    assert rows == []
    listed = CompiledList(
        compiled, compiled, regions=(), kind=None, named=None, active=False, since=None
    )
    with django_assert_num_queries(0):
        assert listed.count() == 0


def test_a_compiled_list_pages_as_its_queryset(organisations):
    north, south = organisations[0].pk, organisations[1].pk
    arguments = {"regions": (north, south), "kind": None, "named": None, "active": False}
    rows = CompiledShapes(lambda **a: _organisations(**a, since=None))
    keys = CompiledShapes(lambda **a: _organisations(**a, since=None).order_by())
    page = Paginator(CompiledList(rows, keys, **arguments), 3).get_page(2)
    expected = Paginator(_organisations(**arguments, since=None), 3).get_page(2)
    assert page.paginator.count == expected.paginator.count == 4
    assert list(page.object_list) == list(expected.object_list)
    assert page.number == 2 and not page.has_next()


# The queries: one within the list (a number that is none reads the first page); past
# the end, that one finds no row, then the count and the last page apart; page 0 is
# not a page: the count and the last page.
@pytest.mark.parametrize(
    ("number", "queries"),
    [("1", 1), ("2", 1), (None, 1), ("x", 1), ("3", 3), ("99", 3), ("0", 2)],
)
def test_a_counted_list_reads_a_page_and_its_count_in_one_statement(
    organisations, django_assert_num_queries, number, queries
):
    """`CountedListPaginator`: the rows with the count as their last column, one query
    for a page within the list; the same page, count and rows as Django's `Paginator`
    over the queryset, whatever the number asked for (past the end, not a number)."""
    from accounts.pagination import CountedListPaginator, CountOf

    north, south = organisations[0].pk, organisations[1].pk
    arguments = {"regions": (north, south), "kind": None, "named": None, "active": False}
    rows = CompiledShapes(lambda **a: _organisations(**a, since=None))
    keys = CompiledShapes(lambda **a: _organisations(**a, since=None).order_by())
    counted = CompiledShapes(
        lambda **a: _organisations(**a, since=None).annotate(
            counted=CountOf(_organisations(**a, since=None).order_by().values("pk"))
        )
    )
    listed = CompiledList(rows, keys, counted=counted, **arguments)
    counted(**arguments)  # compiled
    expected = Paginator(_organisations(**arguments, since=None), 3).get_page(number)
    with django_assert_num_queries(queries):
        page = CountedListPaginator(listed, 3).get_page(number)
    assert (page.number, page.paginator.count, page.paginator.num_pages) == (
        expected.number,
        expected.paginator.count,
        expected.paginator.num_pages,
    )
    assert list(page.object_list) == list(expected.object_list)
    # Nothing matches: the first page, empty, from the one statement.
    nothing = CompiledList(rows, keys, counted=counted, **{**arguments, "named": "personne"})
    with django_assert_num_queries(1):
        page = CountedListPaginator(nothing, 3).get_page("1")
    assert (page.number, page.paginator.count, list(page.object_list)) == (1, 0, [])


def test_a_query_that_matches_nothing_without_an_empty_tuple_is_refused():
    # A small integer column's range refuses the numeric mark: the ORM would compile
    # the shape to nothing, for whatever value.
    from django.db import connection

    from immersion.models import CaeContract

    if connection.vendor != "postgresql":
        pytest.skip("a small integer column's range is PostgreSQL's (SQLite's hold 64 bits)")

    compiled = CompiledShapes(
        lambda hours: CaeContract.objects.filter(weekly_hours=hours).values_list("pk")
    )
    with pytest.raises(ValueError, match="matches nothing"):
        compiled(hours=26)


def test_statements_read_together_give_each_its_own_rows(organisations, django_assert_num_queries):
    """`run_together` gives each statement the rows `Statement.run` gives it (converted
    as the ORM reads them: an instant stays an aware datetime), none for None, each
    still a query of its own; on PostgreSQL they are sent in one pipeline, every query
    before any answer is read."""
    from django.db import connection

    from accounts.compiled_shapes import Statement, run_together

    north, south = organisations[0].pk, organisations[1].pk
    statements = [
        Statement.of(
            Organisation.objects.filter(region_id=north).order_by("name").values_list("name")
        ),
        None,
        Statement.of(
            Organisation.objects.filter(region_id=south)
            .order_by("name")
            .values_list("name", "created_at")
        ),
        Statement.of(Organisation.objects.none().values_list("pk")),  # nothing to send: None
    ]
    expected = [[] if statement is None else statement.run() for statement in statements]
    assert expected[0] == [("Alpha",), ("Bravo",)]
    assert expected[2][0][1].tzinfo is not None
    pipelined = []

    def seen(execute, sql, params, many, context):
        if connection.vendor == "postgresql":
            pipelined.append(connection.connection.pgconn.pipeline_status)
        return execute(sql, params, many, context)

    with django_assert_num_queries(2), connection.execute_wrapper(seen):
        assert run_together(*statements) == expected
    if connection.vendor == "postgresql":
        from psycopg.pq import PipelineStatus

        assert pipelined == [PipelineStatus.ON] * 2
    assert run_together(None, None) == [[], []]
