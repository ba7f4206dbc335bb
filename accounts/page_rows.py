"""For lists that make their rows once per page rather than through per-row template
tags (the board's cards, the sessions list and calendar, the matching suggestions): a
row's link and a choice's label looked up once for the page, not once per row."""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import lru_cache

from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Field, ForeignObject, Lookup, QuerySet
from django.db.models.base import ModelState
from django.db.models.query import get_related_populators
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


def url_named(viewname: str) -> str:
    """`reverse(viewname)` for a view that takes no argument (a list a page's
    breadcrumbs link to), reversed once per URL configuration and script prefix."""
    return _reversed(viewname, get_urlconf() or settings.ROOT_URLCONF, get_script_prefix())


@lru_cache(maxsize=256)
def _reversed(viewname: str, urlconf: str, prefix: str) -> str:
    return reverse(viewname, urlconf=urlconf)


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


# Values no row holds, standing for a query's arguments while it is compiled: the
# first for the first argument, the next for the second...
_FIRST_ARGUMENT_MARK = -2147483001


def _argument_marks(arity: int) -> tuple[int, ...]:
    return tuple(_FIRST_ARGUMENT_MARK - n for n in range(arity))


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
        compiled = self._compiled[using]
        if compiled is None:
            # The ORM's empty query (`.none()`, an `__in` of nothing): no row, no query.
            return []
        sql, params, slots, converters = compiled[:4]
        params = list(params)
        for index, argument, wrap in slots:
            value = args[argument]
            params[index] = (
                _bound_list(value, connection) if argument in self.lists else wrap(value)
            )
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
        marks = _argument_marks(self.arity)
        arguments = [[mark] if n in self.lists else mark for n, mark in enumerate(marks)]
        queryset = self.build(*arguments).using(using)
        compiler = queryset.query.get_compiler(using)
        try:
            sql, params = compiler.as_sql()
        except EmptyResultSet:
            return None
        # An argument is bound as its mark was: a plain int, or an `Int4` where the ORM
        # typed it (a `Value` on PostgreSQL); a list of ids as `any_of` binds it.
        slots = [
            (i, marks.index(_mark_of(p)), type(p))
            for i, p in enumerate(params)
            if _is_mark(p, marks)
        ]
        if sorted(argument for _, argument, _ in slots) != list(range(self.arity)):
            raise ValueError("each argument must be a parameter of the query, once")
        converters = compiler.get_converters([expression for expression, *_ in compiler.select])
        return sql, tuple(params), slots, list(converters.items()), self._shape(compiler, using)

    def _shape(self, compiler, using: str):
        """What else a subclass keeps of the compiled query (never the compiler, which
        holds a connection)."""
        return None


class CompiledInstances(CompiledRows):
    """The model instances of a query whose shape never changes, only its arguments, as
    the ORM's own iteration builds them: `from_db` for each row, the `select_related`
    objects by Django's related populators, the annotations set on the instance. Its SQL
    compiled once per database as `CompiledRows` does (for a youth's page, the youth's
    own query with its file's flags cost more to compile than to run). What is kept per
    database are strings, parameters, converters and the populators' column positions:
    nothing that holds a connection."""

    def __call__(self, *args, using: str = DEFAULT_DB_ALIAS) -> list:
        rows = super().__call__(*args, using=using)
        if not rows:
            return []
        model, init_list, start, end, populators, annotations = self._compiled[using][4]
        instances = []
        for row in rows:
            instance = model.from_db(using, init_list, row[start:end])
            for populator in populators:
                populator.populate(row, instance)
            for name, position in annotations:
                setattr(instance, name, row[position])
            instances.append(instance)
        return instances

    def _shape(self, compiler, using: str):
        # As `django.db.models.query.ModelIterable` reads them, once.
        select, klass_info = compiler.select, compiler.klass_info
        start, end = klass_info["select_fields"][0], klass_info["select_fields"][-1] + 1
        init_list = [column[0].target.attname for column in select[start:end]]
        populators = get_related_populators(klass_info, select, using)
        annotations = tuple(compiler.annotation_col_map.items())
        return klass_info["model"], init_list, start, end, populators, annotations


def _mark_of(value):
    listed = _list_param(value) if type(value) in (list, str) else None
    return listed[0] if listed else value


def _list_param(value) -> list | None:
    """The ids of an `any_of` parameter: the list itself (PostgreSQL's array), or the
    JSON text SQLite receives; None for a parameter that is not one."""
    if type(value) is list:
        return value
    if not value.startswith("["):
        return None
    try:
        listed = json.loads(value)
    except ValueError:
        return None
    return listed if type(listed) is list else None


def _bound_list(value, connection):
    """A list of ids as `any_of` binds it on `connection`'s database."""
    return list(value) if connection.vendor == "postgresql" else json.dumps(list(value))


def _is_mark(value, marks) -> bool:
    if type(value) is list or type(value) is str:
        value = _list_param(value)
        return value is not None and len(value) == 1 and _is_mark(value[0], marks)
    return isinstance(value, int) and not isinstance(value, bool) and value in marks


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
        return "%s", [_bound_list(value, connection)]

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        # The array as the column's type, as `__in` compares the column with values
        # of its own type (psycopg types a list of small ints as `smallint[]`).
        array_type = self.lhs.output_field.cast_db_type(connection)
        return f"{lhs} = ANY(({rhs})::{array_type}[])", [*lhs_params, *rhs_params]

    def as_sqlite(self, compiler, connection):
        # The embedded default has no arrays: the ids as one JSON parameter, read as rows.
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        sql = f"{lhs} IN (SELECT value FROM json_each({rhs}))"  # noqa: S608 (placeholders)
        return sql, [*lhs_params, *rhs_params]


# A field and a foreign key alike (a relation keeps its own lookups).
Field.register_lookup(AnyOf)
ForeignObject.register_lookup(AnyOf)
