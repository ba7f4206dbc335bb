"""A paginator that stops counting past a cap.

A list page counted every matching row on each request: 50,000 youths of a mission
locale, 200,000 at the largest, read only to print a number and the last page's.
Past `COUNT_CAP` rows the number is no help to anyone: the page says "plus de
10 000" and offers the pages of the first 10,000 rows, in the chosen order; filters
and the search narrow the list to what is wanted. The count reads at most
`COUNT_CAP + 1` rows (`SELECT COUNT(*) FROM (… LIMIT 10001)`), whatever the table.
"""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import EmptyResultSet
from django.core.paginator import Page, Paginator
from django.db import connections
from django.db.models import F, IntegerField, OrderBy, QuerySet, Subquery, Sum
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce
from django.utils.formats import number_format
from django.utils.functional import cached_property

from accounts.compiled_shapes import KeptStatements, Statement

COUNT_CAP = 10_000


class CappedPaginator(Paginator):
    """`count` is the number of rows up to `cap`; `is_capped` says there are more."""

    def __init__(self, object_list, per_page, *, cap: int | None = None, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.cap = COUNT_CAP if cap is None else cap

    @cached_property
    def _bounded_count(self) -> int:
        # Any `cap + 1` rows count the same: without the list's order PostgreSQL need
        # not sort the matches of a search before counting them (139 to 76 ms for 7,672
        # matches among 200,000 youths).
        rows = self.object_list
        if hasattr(rows, "order_by"):
            rows = rows.order_by()
        return rows[: self.cap + 1].count()

    @cached_property
    def count(self) -> int:
        return min(self._bounded_count, self.cap)

    @property
    def is_capped(self) -> bool:
        return self._bounded_count > self.cap

    @property
    def cap_display(self) -> str:
        """The cap as the language writes it (« 10 000 », "10,000")."""
        return number_format(self.cap, force_grouping=True)

    #: The rows were counted whatever their number (`CountedRowsPaginator`'s `summed`):
    #: past the cap, `total` says how many there are.
    counted_exactly = False

    @property
    def total(self) -> int:
        """Every row, counted exactly (`counted_exactly`); the capped count otherwise."""
        return self._bounded_count if self.counted_exactly else self.count

    @property
    def total_display(self) -> str:
        """`total` as the language writes it (« 50 000 »)."""
        return number_format(self.total, force_grouping=True)


class CountOf(Subquery):
    """The count of a queryset's rows (capped when it is sliced) as a column of another
    statement: PostgreSQL and SQLite run a subquery that reads nothing of the outer row
    once for the statement (an InitPlan), not once a row."""

    template = '(SELECT COUNT(*) FROM (%(subquery)s) AS "capped_rows")'
    output_field = IntegerField()


class SumOf(Subquery):
    """The sum of a one-column queryset's values (`values("field")`; 0 for no row) as a
    column of another statement, run once for it as `CountOf`."""

    template = '(SELECT COALESCE(SUM("%(column)s"), 0) FROM (%(subquery)s) AS "summed_rows")'
    output_field = IntegerField()

    def __init__(self, values: QuerySet, **extra):
        (field,) = values.query.values_select
        super().__init__(values, column=values.model._meta.get_field(field).column, **extra)


def sum_of(values: QuerySet) -> int:
    """`SumOf(values)` read alone."""
    (field,) = values.query.values_select
    return values.aggregate(summed=Coalesce(Sum(field), 0))["summed"]


def rows_and_count(found: list[tuple]) -> tuple[list[tuple], int]:
    """A page's rows read with the list's count as their last column: the rows without
    it, and the count (0 for no row)."""
    return [row[:-1] for row in found], (found[0][-1] if found else 0)


def number_of_page(number) -> int:
    """The page number asked for; the first page for what is not a number, as Django's
    `get_page`."""
    if isinstance(number, float) and not number.is_integer():
        return 1
    try:
        return int(number)
    except (TypeError, ValueError):
        return 1


class CountedRowsPaginator(CappedPaginator):
    """A `CappedPaginator` whose page's rows carry the capped count, one statement:

        SELECT the page's columns, (SELECT COUNT(*) FROM (the matches LIMIT cap + 1))
        FROM … ORDER BY … LIMIT per_page OFFSET …

    where the count and the page were two (a round trip, and the ORM's count query
    built on every request). `read(queryset)` makes the rows a page shows of an ordered
    queryset (a `values_list`); the page's `object_list` is a list of them. Past
    `keys_first_past` rows skipped, the page's keys are read first, in a subquery of
    the same statement, from the list's index alone, then only their rows (page 40
    otherwise read 1,000 rows from the table to keep the last 25).

    The count, `is_capped` and the rows are `CappedPaginator`'s; a page number past the
    last page, or not a page at all, takes its path (the count apart, then the page
    Django falls back to), then reads that page's rows. No orphans.

    `summed`, when given, builds a one-column queryset whose values sum to the number
    of rows (kept counts, `candidates.YouthCount`): the rows are then counted exactly
    from it, whatever their number, instead of up to the cap (`counted_exactly`,
    `total`); the pages still end at the cap. It is called only to build the page's
    statement or to count apart: a kept statement holds the sum already."""

    def __init__(
        self,
        object_list,
        per_page,
        *,
        read: Callable[[QuerySet], QuerySet],
        keys_first_past: int | None = None,
        summed: Callable[[], QuerySet] | None = None,
        **kwargs,
    ):
        super().__init__(object_list, per_page, **kwargs)
        if self.orphans:
            raise ValueError("CountedRowsPaginator reads each page's rows, never orphans")
        self.read = read
        self.keys_first_past = keys_first_past
        self.summed = summed

    @property
    def counted_exactly(self) -> bool:
        return self.summed is not None

    @cached_property
    def _bounded_count(self) -> int:
        if self.summed is None:
            return super()._bounded_count
        return sum_of(self.summed())

    def get_page(self, number):
        statement = self.page_statement(number)
        if statement is not None:
            page = self.page_of(statement.run(), number)
            if page is not None:
                return page
        number = super().get_page(number).number
        return self._get_page(self._rows((number - 1) * self.per_page), number, self)

    def page_statement(self, number) -> Statement | None:
        """The statement reading page `number`'s rows and the capped count; None for a
        number that is not a page within the cap (`get_page` counts apart)."""
        wanted = number_of_page(number)
        if wanted < 1 or (wanted - 1) * self.per_page >= self.cap:
            return None
        rows = self.object_list
        shown = self._shown((wanted - 1) * self.per_page)
        if self.summed is None:
            count = CountOf(rows.order_by().values("pk")[: self.cap + 1])
        else:
            count = SumOf(self.summed())
        return Statement.of(shown.annotate(capped_count=count))

    def page_of(self, found: list[tuple], number) -> Page | None:
        """The page of `page_statement(number)`'s rows, None past the last page."""
        wanted = number_of_page(number)
        # No row on the first page: nothing matches. No row further: past the end.
        if not found and wanted != 1:
            return None
        rows, self.__dict__["_bounded_count"] = rows_and_count(found)
        return self._get_page(rows, wanted, self)

    def _shown(self, bottom: int) -> QuerySet:
        rows = self.object_list
        top = min(bottom + self.per_page, self.cap)
        if self.keys_first_past is not None and bottom > self.keys_first_past:
            keys = rows[bottom:top].values("pk")
            return self.read(
                rows.model._default_manager.filter(pk__in=keys).order_by(*rows.query.order_by)
            )
        return self.read(rows)[bottom:top]

    def _rows(self, bottom: int) -> list[tuple]:
        return [tuple(row) for row in self._shown(bottom)]


class CountedListPaginator(Paginator):
    """Django's `Paginator` over a `CompiledList` given its `counted` query (its rows
    with the list's count as their last column): a page's rows and the count in one
    statement, where the count and the page were two. A page number past the last page,
    or not a page at all, takes `Paginator`'s path (the count apart, then the page it
    falls back to). No orphans."""

    def get_page(self, number):
        wanted = number_of_page(number)
        if wanted >= 1 and not self.orphans:
            found = self.object_list.counted_page((wanted - 1) * self.per_page, self.per_page)
            # No row on the first page: nothing matches. No row further: past the end.
            if found or wanted == 1:
                rows, self.__dict__["count"] = rows_and_count(found)
                return self._get_page(rows, wanted, self)
        return super().get_page(number)


def filters_query(request) -> str:
    """The request's query string without the page number: what a list's pagination
    links and export links carry, so the filters hold from page to page."""
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


class OnePassPaginator(CappedPaginator):
    """A `CappedPaginator` that reads, on PostgreSQL, the page's primary keys and the
    capped count in one query, where the count and the page would each read the
    matches (a name search reads the trigram index's matches twice):

        SELECT pk, LEAST(COUNT(*) OVER (), cap + 1) FROM (the matches' keys and
        order keys) ORDER BY … LIMIT per_page OFFSET …

    The matches are counted as they are read, and only the page's end is kept in order
    (PostgreSQL's top-N sort): sorting every match first, to keep the first cap + 1,
    took 3.8 of the 8 ms of the 7,672 "lefevre" of a mission locale of 200,000. The
    count is capped as `CappedPaginator`'s; the matches are read whatever their number,
    as that sort read them.

    then the page's rows by their keys (25 rows, in the list's order). Given `read`
    (as `CountedRowsPaginator`'s: the rows a page shows of a queryset), the rows are
    read in the same statement, the keys and their count a `WITH` before them, and the
    page's `object_list` is a list of those rows. The count and `is_capped` are the
    same as `CappedPaginator`'s; a page number past the last page, or not a page at
    all, takes `CappedPaginator`'s path (count, then the page it falls back to). Other
    databases take that path always. The queryset must be ordered by fields or
    `OrderBy` expressions, ending with a unique one (the pk).

    `keys`, when given, is where the keys and the count are read from instead: another
    queryset finding the same rows, one per row, in the same order, its `key` field
    naming the row's pk (the name search reads the names' words, `YouthNameWord`). It
    is a range of an index, read without the table: the count is then read apart, in
    the same statement, from the range's first `cap + 1` entries, and the page's keys
    without a window.
    `comment` starts the statement `page_statement` writes (a search through the
    names' words says PostgreSQL may prepare it: `accounts.database`)."""

    def __init__(
        self, object_list, per_page, *, read=None, keys=None, key="pk", comment="", **kwargs
    ):
        super().__init__(object_list, per_page, **kwargs)
        self.read = read
        self.keys = keys
        self.key = key
        self.comment = comment

    def get_page(self, number):
        rows = self.object_list
        if connections[rows.db].vendor != "postgresql":
            return self._counted_page(number)
        wanted = number_of_page(number)
        bottom = (wanted - 1) * self.per_page
        if wanted < 1 or bottom >= self.cap:
            return self._counted_page(number)
        if self.read is not None:
            statement = self.page_statement(number)
            page = None if statement is None else self.page_of(statement.run(), number)
            return self._counted_page(number) if page is None else page
        keys, counted = self._keys_and_count(bottom, min(self.per_page, self.cap - bottom))
        if not keys and wanted > 1:
            return super().get_page(number)
        self.__dict__["_bounded_count"] = counted
        return self._get_page(rows.filter(pk__in=keys), wanted, self)

    def page_statement(self, number) -> Statement | None:
        """With `read`, the statement reading page `number`'s rows and the capped count;
        None on another database than PostgreSQL, for a number that is not a page within
        the cap, or a queryset matching nothing:

            WITH one_pass AS (the keys and the count, as above)
            SELECT the page's columns, (SELECT total FROM one_pass LIMIT 1)
            FROM … WHERE (the list's filters) AND pk IN (SELECT pk FROM one_pass)
            ORDER BY (the list's order)"""
        rows = self.object_list
        wanted = number_of_page(number)
        bottom = (wanted - 1) * self.per_page
        if connections[rows.db].vendor != "postgresql" or wanted < 1 or bottom >= self.cap:
            return None
        try:
            one_pass, params = self._one_pass(bottom, min(self.per_page, self.cap - bottom))
        except EmptyResultSet:
            return None
        # PostgreSQL only: its quoting, written out.
        page_keys = RawSQL('SELECT "pk" FROM "one_pass"', ())  # noqa: S611
        total = RawSQL('SELECT "total" FROM "one_pass" LIMIT 1', (), output_field=IntegerField())  # noqa: S611
        shown = self.read(rows.filter(pk__in=page_keys)).annotate(capped_count=total)
        prefix = f'{self.comment}WITH "one_pass" AS ({one_pass}) '
        return Statement.of(shown, prefix=prefix, prefix_params=params)

    def page_of(self, found: list[tuple], number) -> Page | None:
        """The page of `page_statement(number)`'s rows, None past the last page."""
        wanted = number_of_page(number)
        if not found and wanted > 1:
            return None
        rows, self.__dict__["_bounded_count"] = rows_and_count(found)
        return self._get_page(rows, wanted, self)

    def _counted_page(self, number):
        """`CappedPaginator`'s page, its rows made by `read` when given."""
        page = super().get_page(number)
        if self.read is None:
            return page
        bottom = (page.number - 1) * self.per_page
        rows = self.read(self.object_list)[bottom : min(bottom + self.per_page, self.cap)]
        return self._get_page([tuple(row) for row in rows], page.number, self)

    def _one_pass(self, offset: int, limit: int) -> tuple[str, tuple]:
        """The statement reading the page's keys (`pk`) and the capped count (`total`),
        and its parameters; `EmptyResultSet` when the queryset is `none()`."""
        rows = self.object_list if self.keys is None else self.keys
        connection = connections[rows.db]
        quote = connection.ops.quote_name
        keys, outer_order = {}, []
        for n, item in enumerate(rows.query.order_by):
            if isinstance(item, str):
                item = F(item[1:]).desc() if item.startswith("-") else F(item).asc()
            elif not isinstance(item, OrderBy) and hasattr(item, "asc"):
                item = item.asc()
            if not isinstance(item, OrderBy):
                raise TypeError(f"OnePassPaginator cannot order by {item!r}")
            name = f"order_key_{n}"
            keys[name] = item.expression
            nulls = " NULLS FIRST" if item.nulls_first else " NULLS LAST" if item.nulls_last else ""
            outer_order.append(f"{quote(name)} {'DESC' if item.descending else 'ASC'}{nulls}")
        if not outer_order:
            raise TypeError("OnePassPaginator needs an ordered queryset")
        key = "pk" if self.keys is None or self.key == "pk" else "pk_of_row"
        if key != "pk":
            rows = rows.annotate(pk_of_row=F(self.key))
        matches = rows.annotate(**keys).values_list(key, *keys).order_by()
        sql, params = matches.query.get_compiler(using=rows.db).as_sql()
        # The ORM's own SQL inside, quoted names and directions around; values are
        # parameters.
        if self.keys is None:
            total, total_params = "LEAST(COUNT(*) OVER (), %s)", (self.cap + 1,)
        else:
            # An index's range: reading its first cap + 1 entries again costs less than
            # buffering every match for the window's count (2 of the 6 ms of the 7,672
            # "lefevre" of a mission locale of 200,000, with a cap of 1,000).
            total = (
                f"(SELECT COUNT(*) FROM (SELECT 1 FROM ({sql}) AS {quote('counted')}"  # noqa: S608
                f" LIMIT %s) AS {quote('capped')})"
            )
            total_params = (*params, self.cap + 1)
        statement = (
            f"SELECT {quote(key)} AS {quote('pk')}, {total} AS {quote('total')}"  # noqa: S608
            f" FROM ({sql}) AS {quote('matches')}"
            f" ORDER BY {', '.join(outer_order)} LIMIT %s OFFSET %s"
        )
        return statement, (*total_params, *params, limit, offset)

    def _keys_and_count(self, offset: int, limit: int) -> tuple[list, int]:
        rows = self.object_list
        try:
            statement, params = self._one_pass(offset, limit)
        except EmptyResultSet:  # `none()`: nothing to read
            return [], 0
        with connections[rows.db].cursor() as cursor:
            cursor.execute(statement, params)
            found = cursor.fetchall()
        return [pk for pk, _count in found], (found[0][1] if found else 0)


def kept_page(
    store: KeptStatements,
    shape,
    paginator: Callable[[QuerySet | None], CountedRowsPaginator],
    rows: Callable[[], QuerySet],
    number,
) -> Page:
    """A list's page `number`, read with its shape's statement kept in `store`: the
    first time, `paginator(rows())` compiles it as the ORM builds it for this request;
    then it runs as kept (only SQL is kept: never rows nor a count). `shape` holds
    everything the statement depends on (the user's scope, the filters' values, the
    page, the paginator's settings), or is None where the statement cannot be kept.
    Without a shape, for a number that is not a page within the cap, or past the last
    page, the ORM builds the page (`get_page`: it counts and falls back)."""
    if shape is not None:
        statement = store.get(shape)
        if statement is None:
            statement = paginator(rows()).page_statement(number)
            if statement is not None:
                store.keep(shape, statement)
        if statement is not None:
            page = paginator(None).page_of(statement.run(), number)
            if page is not None:
                return page
    return paginator(rows()).get_page(number)
