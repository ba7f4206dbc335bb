"""A paginator that stops counting past a cap.

A list page counted every matching row on each request: 50,000 youths of a mission
locale, 200,000 at the largest, read only to print a number and the last page's.
Past `COUNT_CAP` rows the number is no help to anyone: the page says "plus de
10 000" and offers the pages of the first 10,000 rows, in the chosen order; filters
and the search narrow the list to what is wanted. The count reads at most
`COUNT_CAP + 1` rows (`SELECT COUNT(*) FROM (… LIMIT 10001)`), whatever the table.
"""

from __future__ import annotations

from django.core.exceptions import EmptyResultSet
from django.core.paginator import Paginator
from django.db import connections
from django.db.models import F, OrderBy
from django.utils.formats import number_format
from django.utils.functional import cached_property

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

        SELECT pk, COUNT(*) OVER () FROM (the matches' keys in the list's order,
        LIMIT cap + 1) ORDER BY … LIMIT per_page OFFSET …

    then the page's rows by their keys (25 rows, in the list's order). The count and
    `is_capped` are the same as `CappedPaginator`'s; a page number past the last page,
    or not a page at all, takes `CappedPaginator`'s path (count, then the page it
    falls back to). Other databases take that path always. The queryset must be ordered
    by fields or `OrderBy` expressions, ending with a unique one (the pk)."""

    def get_page(self, number):
        rows = self.object_list
        if connections[rows.db].vendor != "postgresql":
            return super().get_page(number)
        try:
            wanted = int(number)
        except (TypeError, ValueError):
            wanted = 1
        bottom = (wanted - 1) * self.per_page
        if wanted < 1 or bottom >= self.cap:
            return super().get_page(number)
        keys, counted = self._keys_and_count(bottom, min(self.per_page, self.cap - bottom))
        if not keys and wanted > 1:
            return super().get_page(number)
        self.__dict__["_bounded_count"] = counted
        return self._get_page(rows.filter(pk__in=keys), wanted, self)

    def _keys_and_count(self, offset: int, limit: int) -> tuple[list, int]:
        rows = self.object_list
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
        capped = rows.annotate(**keys).values_list("pk", *keys)[: self.cap + 1]
        try:
            sql, params = capped.query.get_compiler(using=rows.db).as_sql()
        except EmptyResultSet:  # `none()`: nothing to read
            return [], 0
        # The ORM's own SQL inside, quoted names and directions around; values are
        # parameters.
        statement = (
            f"SELECT {quote('pk')}, COUNT(*) OVER () FROM ({sql}) AS {quote('capped')}"  # noqa: S608
            f" ORDER BY {', '.join(outer_order)} LIMIT %s OFFSET %s"
        )
        with connection.cursor() as cursor:
            cursor.execute(statement, (*params, limit, offset))
            found = cursor.fetchall()
        return [pk for pk, _count in found], (found[0][1] if found else 0)
