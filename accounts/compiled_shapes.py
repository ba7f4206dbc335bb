"""Queries whose shape varies a little from one page to the next (which filters are set,
how many regions a user's scope holds), compiled by the ORM once per shape: the
filtered lists' counterpart of `accounts.page_rows.CompiledRows`. Building and
compiling a list's query took 0.3 to 0.6 ms, several times what PostgreSQL takes to
answer it.

    SESSIONS = CompiledShapes(
        lambda regions, kind: Session.objects.filter(region_id__in=regions)
        .filter(**({"kind": kind} if kind is not None else {}))
        .values_list("pk", "title")
    )
    rows = SESSIONS(regions=(1, 2), kind=None)

`build` receives each argument as a mark of its type (an impossible number, text, date
or instant) and builds the queryset as it would with the real values; the marks are
found among the compiled query's parameters, and each call puts its values in their
place. The SQL may therefore depend only on what the shape holds: which arguments are
None, the value of each boolean and the length of each tuple (`region_id__in`). Any
other argument is a parameter of the query; one the ORM transforms (`__contains` wraps
it in `%`) is refused when compiled. The query runs through the connection's cursor:
query counts and execute wrappers see it.
"""

from __future__ import annotations

import datetime
from collections import OrderedDict
from collections.abc import Callable, Hashable

from django.core.exceptions import EmptyResultSet
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import QuerySet

# The first numeric mark: within the range of an integer column, positive (Django
# answers a lookup out of the column's range, a negative year say, with nothing), and
# beyond any primary key, count or year. (A small-integer column's range refuses it: a
# query of such a column compiles to nothing, and is refused.)
_INT_MARK = 2_147_482_000
_INSTANT_MARK = datetime.datetime(1901, 1, 1, tzinfo=datetime.UTC)
_DAY_MARK = datetime.date(1901, 1, 1)


def _mark(position: int, value):
    """A value no real argument holds, of `value`'s type, standing for it while the query
    is compiled; booleans and None stay as they are (they are the shape's)."""
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, int):
        return _INT_MARK + position
    if isinstance(value, str):
        return f"\x00argument {position}\x00"
    if isinstance(value, datetime.datetime):
        return _INSTANT_MARK + datetime.timedelta(seconds=position)
    if isinstance(value, datetime.date):
        return _DAY_MARK + datetime.timedelta(days=position)
    raise TypeError(f"no mark for an argument of type {type(value).__name__}")


def _key(param) -> tuple | None:
    """How a parameter is looked up among the marks (None for one that cannot be one):
    a number by its value, whichever class the backend wraps it in (psycopg's `Int4`
    for an integer column)."""
    if isinstance(param, int) and not isinstance(param, bool):
        return (int, int(param))
    try:
        hash(param)
    except TypeError:
        return None
    return (type(param), param)


# What `_compile` keeps for a shape that matches nothing.
_NOTHING = object()


def _flattened(arguments: dict) -> tuple[Hashable, list]:
    """The shape of `arguments` (names, None or not, booleans, tuples' lengths) and
    their values in order, a tuple's one by one."""
    shape, values = [], []
    for name in sorted(arguments):
        value = arguments[name]
        if isinstance(value, tuple):
            shape.append((name, len(value)))
            values.extend(value)
        elif value is None or isinstance(value, bool):
            shape.append((name, value))
        else:
            shape.append((name, type(value).__name__))
            values.append(value)
    return tuple(shape), values


class CompiledShapes:
    def __init__(self, build: Callable[..., QuerySet], size: int = 128):
        self.build = build
        self.size = size
        self._compiled: OrderedDict = OrderedDict()

    def __call__(self, *, using: str = DEFAULT_DB_ALIAS, **arguments) -> list:
        """The rows of the query built from `arguments`, converted as the ORM's
        `values_list` converts them."""
        return self.run("{}", (), using=using, **arguments)

    def run(
        self, template: str, extra: tuple, *, using: str = DEFAULT_DB_ALIAS, **arguments
    ) -> list:
        """The rows of the query put in `template` ("{} LIMIT %s OFFSET %s"), with the
        parameters `extra` after the query's own."""
        statement = self.statement(using=using, **arguments)
        if statement is None:
            return []
        sql, params, converters = statement
        connection = connections[using]
        with connection.cursor() as cursor:
            cursor.execute(template.format(sql), [*params, *extra])
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
            written.append(tuple(row))
        return written

    def statement(
        self, *, using: str = DEFAULT_DB_ALIAS, **arguments
    ) -> tuple[str, list, list] | None:
        """(SQL, parameters, converters) of the query built from `arguments`; None when
        the query can match nothing (`none()`, an empty `__in`), as the ORM sends none."""
        shape, values = _flattened(arguments)
        key = (using, shape)
        compiled = self._compiled.get(key)
        if compiled is None:
            compiled = self._compiled[key] = self._compile(using, arguments)
            if len(self._compiled) > self.size:
                self._compiled.popitem(last=False)
        if compiled is _NOTHING:
            return None
        sql, params, slots, converters = compiled
        params = list(params)
        for index, position, wrap in slots:
            value = values[position]
            params[index] = value if wrap is None else wrap(value)
        return sql, params, converters

    def _compile(self, using: str, arguments: dict):
        marks, position = {}, 0
        for name, value in arguments.items():
            if isinstance(value, tuple):
                marks[name] = tuple(_mark(position + n, item) for n, item in enumerate(value))
                position += len(value)
            else:
                marks[name] = _mark(position, value)
                position += value is not None and not isinstance(value, bool)
        # Each mark's place among the flattened values (`_flattened` orders by name).
        _shape, flat_marks = _flattened(marks)
        where = {_key(mark): n for n, mark in enumerate(flat_marks)}
        compiler = self.build(**marks).using(using).query.get_compiler(using)
        try:
            sql, params = compiler.as_sql()
        except EmptyResultSet:
            # Nothing to match is an empty tuple's doing (`region_id__in=()`, `none()`
            # when the scope holds nothing); with none, a mark was refused.
            if not any(value == () for value in arguments.values()):
                raise ValueError("the query matches nothing for any value") from None
            return _NOTHING
        # Each slot: the parameter's index, the argument's place, and the class the
        # backend wrapped the mark in (kept for the value: the same SQL types).
        slots = []
        for index, param in enumerate(params):
            position = where.get(_key(param))
            if position is not None:
                wrap = type(param) if type(param) is not type(flat_marks[position]) else None
                slots.append((index, position, wrap))
        if {position for _index, position, _wrap in slots} != set(range(len(flat_marks))):
            raise ValueError("each argument must be a parameter of the query, as given")
        converters = compiler.get_converters([expression for expression, *_ in compiler.select])
        return sql, tuple(params), slots, list(converters.items())


class CompiledList:
    """A filtered list for Django's `Paginator`: its count and a page's rows, each one
    query compiled once per shape. `rows` gives the rows in the list's order; `keys`
    the same matches, one column and unordered, which PostgreSQL counts from an index
    (counting `rows` would join and sort for nothing)."""

    def __init__(
        self, rows: CompiledShapes, keys: CompiledShapes, *, using=DEFAULT_DB_ALIAS, **arguments
    ):
        self.rows, self.keys = rows, keys
        self.using, self.arguments = using, arguments

    def count(self) -> int:
        found = self.keys.run(
            "SELECT COUNT(*) FROM ({}) AS counted", (), using=self.using, **self.arguments
        )
        return found[0][0] if found else 0

    def __getitem__(self, page: slice) -> list:
        if not isinstance(page, slice) or page.step is not None:
            raise TypeError("a page of the list is a slice")
        start = page.start or 0
        return self.rows.run(
            "{} LIMIT %s OFFSET %s",
            (page.stop - start, start),
            using=self.using,
            **self.arguments,
        )
