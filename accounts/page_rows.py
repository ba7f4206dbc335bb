"""For lists that make their rows once per page rather than through per-row template
tags (the board's cards, the sessions list and calendar, the matching suggestions): a
row's link and a choice's label looked up once for the page, not once per row."""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Field, ForeignObject, Lookup, QuerySet
from django.db.models.base import ModelState
from django.urls import get_script_prefix, get_urlconf, reverse

# A primary key no row has: `url_for_each` reverses it once and puts each row's in its place.
_PK_MARK = 2147483647


def url_for_each(viewname: str) -> Callable[[int], str]:
    """The link of `viewname` for each row of a list, from one `reverse` for the page
    instead of one per row (`{% url %}` cost as much as the rest of a row): the URL of a
    marker primary key, the row's put in its place. For views whose only argument is the
    pk."""
    head, tail = _around_pk(viewname, get_urlconf() or settings.ROOT_URLCONF, get_script_prefix())
    return lambda pk: f"{head}{pk}{tail}"


def url_of(viewname: str, pk: int) -> str:
    """`reverse(viewname, args=[pk])` for a page's links to one object (a youth's page
    links to a dozen of their forms): `{% url %}` cost 30 µs a link, this 1 µs."""
    return url_for_each(viewname)(pk)


@lru_cache(maxsize=1024)
def _around_pk(viewname: str, urlconf: str, prefix: str) -> tuple[str, str]:
    """What comes before and after the pk in `viewname`'s URL, reversed once per URL
    configuration and script prefix (what else a URL depends on: no language prefix)."""
    head, tail = reverse(viewname, urlconf=urlconf, args=[_PK_MARK]).split(str(_PK_MARK))
    return head, tail


def choice_labels(choices) -> dict[str, str]:
    """The choices' labels in the active language, translated once for the page."""
    return {value: str(label) for value, label in choices}


def instances_from_rows(model, attnames, rows, *, using: str) -> list:
    """`model` instances from rows of `values_list` (their values in `attnames`' order),
    for a page that asks a model's own rules (its properties, the predicates) of a
    hundred rows: Django's constructor walks every field of the model for each row (25
    µs for a youth's 36), this sets the loaded ones only (2 µs). They are the instances
    `.only(*attnames)` gives: a field left out loads when first read, one query a row,
    which the page's query-count test sees."""
    instances = []
    for row in rows:
        instance = model.__new__(model)
        state = ModelState()
        state.adding = False
        state.db = using
        instance._state = state
        instance.__dict__.update(zip(attnames, row, strict=True))
        instances.append(instance)
    return instances


# Values no row holds, standing for a query's arguments while it is compiled.
_ARGUMENT_MARKS = (-2147483001, -2147483002, -2147483003)


class CompiledRows:
    """The rows of a `values_list` query whose shape never changes, only its arguments
    (a youth's pathway, their proposals' moves): compiled by the ORM once per database,
    then run with each page's arguments. Compiling a query took 0.4 to 1 ms,
    several times what PostgreSQL takes to answer it. The SQL and the converters are the
    ORM's own (`build` makes the queryset); nothing is typed nor received but the
    arguments, passed as parameters. The query goes through the connection's cursor:
    query counts and execute wrappers see it."""

    def __init__(self, build: Callable[..., QuerySet], arity: int = 1, lists: tuple[int, ...] = ()):
        # `lists`: the positions of the arguments that are lists of ids, which the query
        # takes through `any_of` (one array parameter, whatever their number).
        self.build = build
        self.arity = arity
        self.lists = frozenset(lists)
        self._compiled: dict = {}

    def __call__(self, *args, using: str = DEFAULT_DB_ALIAS) -> list:
        connection = connections[using]
        if using not in self._compiled:
            self._compiled[using] = self._compile(using)
        sql, params, slots, converters = self._compiled[using]
        params = list(params)
        for index, argument in slots:
            params[index] = list(args[argument]) if argument in self.lists else args[argument]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        if not converters:
            return rows
        written = []
        for row in rows:
            row = list(row)
            for position, (functions, expression) in converters:
                value = row[position]
                for function in functions:
                    value = function(value, expression, connection)
                row[position] = value
            written.append(row)
        return written

    def _compile(self, using: str):
        marks = _ARGUMENT_MARKS[: self.arity]
        arguments = [[mark] if n in self.lists else mark for n, mark in enumerate(marks)]
        queryset = self.build(*arguments).using(using)
        compiler = queryset.query.get_compiler(using)
        sql, params = compiler.as_sql()
        slots = [(i, marks.index(_mark_of(p))) for i, p in enumerate(params) if _is_mark(p, marks)]
        if sorted(argument for _, argument in slots) != list(range(self.arity)):
            raise ValueError("each argument must be a parameter of the query, once")
        converters = compiler.get_converters([expression for expression, *_ in compiler.select])
        return sql, tuple(params), slots, list(converters.items())


def _mark_of(value):
    return value[0] if type(value) is list else value


def _is_mark(value, marks) -> bool:
    if type(value) is list:
        return len(value) == 1 and _is_mark(value[0], marks)
    return type(value) is int and value in marks


class AnyOf(Lookup):
    """`field__any_of=ids`: `field = ANY(%s)`, the ids as one array parameter, so that
    the query's SQL is the same for any number of them (`__in` writes one placeholder
    an id): a query filtered on a user's organisations or a page's rows can then be
    compiled once (`CompiledRows`, with the ids' argument in `lists`). The array is cast
    to the column's type; PostgreSQL uses the column's indexes. For a query by key
    or a grouped count: a list ordered on an index the column leads loses that order
    (PostgreSQL 15 reads an array's values as a set), and sorts every matching row
    where `__in` of one id read the first 25."""

    lookup_name = "any_of"
    prepare_rhs = False

    def get_db_prep_lookup(self, value, connection):
        return "%s", [list(value)]

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        # The array as the column's type, as `__in` compares the column with values
        # of its own type (psycopg types a list of small ints as `smallint[]`).
        array_type = self.lhs.output_field.cast_db_type(connection)
        return f"{lhs} = ANY(({rhs})::{array_type}[])", [*lhs_params, *rhs_params]


# A field and a foreign key alike (a relation keeps its own lookups).
Field.register_lookup(AnyOf)
ForeignObject.register_lookup(AnyOf)
