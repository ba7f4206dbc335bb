"""Queries compiled by the ORM once per shape, then run with each page's values as
parameters: the one way the portal keeps a query's SQL. A shape is what the SQL depends
on (which filters are set, how many regions a user's scope holds); building and
compiling a page's query took 0.3 to 1 ms, several times what PostgreSQL takes to
answer it. `CompiledShapes` takes its arguments by name, `CompiledRows` in order;
either gives rows (as `values_list`) or, with `instances`, the ORM's own instances;
`Statement` is a compiled query and how to read its rows (the lists' paginators make
theirs), `run_together` reads several in one exchange with PostgreSQL, `KeptStatements`
the bounded store of them; `any_of` passes a list of ids as
one parameter, so that its length is not part of the shape.

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
import json
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass, replace

from django.core.exceptions import EmptyResultSet
from django.core.signals import setting_changed
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Field, ForeignObject, Lookup, QuerySet
from django.db.models.query import get_related_populators
from django.dispatch import receiver

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
    if isinstance(value, list):
        # A list of ids, one `any_of` parameter: its mark a list of one mark.
        return [_INT_MARK + position]
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
    listed = _listed(param)
    if listed is not None:
        return (list, listed[0]) if len(listed) == 1 and type(listed[0]) is int else None
    try:
        hash(param)
    except TypeError:
        return None
    return (type(param), param)


def _listed(param) -> list | None:
    """The ids of an `any_of` parameter: the list itself (PostgreSQL's array), or the
    JSON text SQLite receives; None for a parameter that is not one."""
    if type(param) is list:
        return param
    if type(param) is not str or not param.startswith("["):
        return None
    try:
        listed = json.loads(param)
    except ValueError:
        return None
    return listed if type(listed) is list else None


# What `_compile` keeps for a shape that matches nothing.
_NOTHING = object()
# How a list of ids is bound: as `any_of` binds it.
_LIST = object()


def _flattened(arguments: dict) -> tuple[Hashable, list]:
    """The shape of `arguments` (names, None or not, booleans, tuples' lengths) and
    their values in order, a tuple's one by one."""
    shape, values = [], []
    for name in sorted(arguments):
        value = arguments[name]
        if isinstance(value, tuple):
            shape.append((name, len(value)))
            values.extend(value)
        elif isinstance(value, list):
            shape.append((name, list))
            values.append(value)
        elif value is None or isinstance(value, bool):
            shape.append((name, value))
        else:
            shape.append((name, type(value).__name__))
            values.append(value)
    return tuple(shape), values


class KeptStatements:
    """Compiled statements kept per process by their shape, the oldest dropped past
    `size`; emptied when a setting changes (tests override the database's and the
    lists' settings). Only SQL, parameters and how to read the rows: no row, no count."""

    def __init__(self, size: int = 128) -> None:
        self.size = size
        self._kept: OrderedDict[Hashable, object] = OrderedDict()
        _statement_stores.append(self)

    def get(self, key: Hashable):
        kept = self._kept.get(key)
        if kept is not None:
            self._kept.move_to_end(key)
        return kept

    def keep(self, key: Hashable, value) -> None:
        self._kept[key] = value
        if len(self._kept) > self.size:
            self._kept.popitem(last=False)

    def clear(self) -> None:
        self._kept.clear()

    def __len__(self) -> int:
        return len(self._kept)

    def __contains__(self, key: Hashable) -> bool:
        return key in self._kept


_statement_stores: list[KeptStatements] = []


@receiver(setting_changed)
def _forget_statements(**kwargs) -> None:
    for store in _statement_stores:
        store.clear()


@dataclass(frozen=True)
class Statement:
    """A query as the ORM compiled it: its SQL, its parameters and the ORM's converters
    of its columns. `run()` reads its rows as the ORM would (the same values), through
    the connection's cursor (query counts and execute wrappers see it)."""

    sql: str
    params: tuple
    converters: tuple
    using: str

    @classmethod
    def of(cls, queryset: QuerySet, *, prefix: str = "", prefix_params: tuple = ()):
        """`queryset`'s statement, after `prefix` (a `WITH`) and its parameters; None
        when it can match nothing (`none()`, an empty `__in`), as the ORM sends none."""
        compiler = queryset.query.get_compiler(using=queryset.db)
        try:
            sql, params = compiler.as_sql()
        except EmptyResultSet:
            return None
        return cls(
            f"{prefix}{sql}",
            (*prefix_params, *params),
            _converters(compiler),
            queryset.db,
        )

    def with_params(self, params) -> Statement:
        return replace(self, params=tuple(params))

    def run(self, template: str = "{}", extra: tuple = ()) -> list[tuple]:
        """The rows, the statement put in `template` ("{} LIMIT %s OFFSET %s") with
        the parameters `extra` after its own."""
        connection = connections[self.using]
        with connection.cursor() as cursor:
            cursor.execute(template.format(self.sql), [*self.params, *extra])
            found = cursor.fetchall()
        return self.converted(found)

    def converted(self, found: list[tuple]) -> list[tuple]:
        """`found`, the rows as the database gave them, as the ORM reads them."""
        if not self.converters:
            return found
        connection = connections[self.using]
        written = []
        for row in found:
            row = list(row)
            for position, (functions, expression) in self.converters:
                value = row[position]
                for function in functions:
                    value = function(value, expression, connection)
                row[position] = value
            written.append(tuple(row))
        return written


def run_together(*statements: Statement | None) -> list[list[tuple]]:
    """The rows of each statement (none for None), as `Statement.run` reads them, the
    statements sent to PostgreSQL together: a page's independent reads (a list's places,
    its platforms, its calendar links) wait for one answer, not for one each. Each is
    still its own query (query counts and execute wrappers see each), through psycopg's
    pipeline mode; SQLite, the embedded default, runs them one after the other."""
    present = [statement for statement in statements if statement is not None]
    if len({statement.using for statement in present}) > 1:
        raise ValueError("statements read together must share their database")
    connection = connections[present[0].using] if present else None
    if connection is None or len(present) < 2 or connection.vendor != "postgresql":
        found = iter([statement.run() for statement in present])
        return [[] if statement is None else next(found) for statement in statements]
    connection.ensure_connection()
    cursors = []
    try:
        with connection.connection.pipeline():
            for statement in present:
                cursor = connection.cursor()
                cursors.append(cursor)
                cursor.execute(statement.sql, statement.params)
            rows = iter(
                [
                    statement.converted(cursor.fetchall())
                    for statement, cursor in zip(present, cursors, strict=True)
                ]
            )
    finally:
        for cursor in cursors:
            cursor.close()
    return [[] if statement is None else next(rows) for statement in statements]


def _converters(compiler) -> tuple:
    return tuple(compiler.get_converters([column[0] for column in compiler.select]).items())


class CompiledShapes:
    """See the module's docstring. With `instances`, a call gives the model instances
    the ORM's own iteration builds of the query (`from_db` for each row, the
    `select_related` objects by Django's related populators, the annotations set on
    the instance) rather than rows."""

    def __init__(self, build: Callable[..., QuerySet], size: int = 128, *, instances=False):
        self.build = build
        self.instances = instances
        self._compiled = KeptStatements(size)

    def __call__(self, *, using: str = DEFAULT_DB_ALIAS, **arguments) -> list:
        """The rows of the query built from `arguments`, converted as the ORM's
        `values_list` converts them (or its instances)."""
        compiled = self._compiled_for(using, arguments)
        if compiled is _NOTHING:
            return []
        rows = self._bound(compiled, arguments, using).run()
        if not self.instances or not rows:
            return rows
        model, init_list, start, end, populators, annotations = compiled[4]
        made = []
        for row in rows:
            instance = model.from_db(using, init_list, row[start:end])
            for populator in populators:
                populator.populate(row, instance)
            for name, position in annotations:
                setattr(instance, name, row[position])
            made.append(instance)
        return made

    def run(
        self, template: str, extra: tuple, *, using: str = DEFAULT_DB_ALIAS, **arguments
    ) -> list:
        """The rows of the query put in `template` ("{} LIMIT %s OFFSET %s"), with the
        parameters `extra` after the query's own."""
        statement = self.statement(using=using, **arguments)
        return [] if statement is None else statement.run(template, extra)

    def statement(self, *, using: str = DEFAULT_DB_ALIAS, **arguments) -> Statement | None:
        """The statement of the query built from `arguments`; None when the query can
        match nothing (`none()`, an empty `__in`), as the ORM sends none."""
        compiled = self._compiled_for(using, arguments)
        return None if compiled is _NOTHING else self._bound(compiled, arguments, using)

    def _compiled_for(self, using: str, arguments: dict):
        key = (using, _flattened(arguments)[0])
        compiled = self._compiled.get(key)
        if compiled is None:
            compiled = self._compile(using, arguments)
            self._compiled.keep(key, compiled)
        return compiled

    def _bound(self, compiled, arguments: dict, using: str) -> Statement:
        sql, params, slots, converters = compiled[:4]
        values = _flattened(arguments)[1]
        params = list(params)
        for index, position, wrap in slots:
            value = values[position]
            if wrap is _LIST:
                params[index] = _bound_list(value, connections[using])
            else:
                params[index] = value if wrap is None else wrap(value)
        return Statement(sql, tuple(params), converters, using)

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
        where = {_key(mark): (n, None) for n, mark in enumerate(flat_marks)}
        # A backend may write a day or an instant as text (SQLite): its text too, the
        # value then written as the backend writes it.
        for n, mark in enumerate(flat_marks):
            adapt = _adapter_of(mark, connections[using].ops)
            if adapt is not None and type(adapt(mark)) is not type(mark):
                where.setdefault(_key(adapt(mark)), (n, adapt))
        compiler = self.build(**marks).using(using).query.get_compiler(using)
        try:
            sql, params = compiler.as_sql()
        except EmptyResultSet:
            # Nothing to match is an empty tuple's doing (`region_id__in=()`, `none()`
            # when the scope holds nothing); with none, a mark was refused.
            if not any(value == () for value in arguments.values()):
                raise ValueError("the query matches nothing for any value") from None
            return _NOTHING
        # Each slot: the parameter's index, the argument's place, and how the value is
        # bound: as the mark was (None), in the class the backend wrapped the mark in
        # (the same SQL types), or as `any_of` binds a list.
        slots = []
        for index, param in enumerate(params):
            position, adapt = where.get(_key(param), (None, None))
            if position is not None:
                mark = flat_marks[position]
                if type(mark) is list:
                    wrap = _LIST
                elif adapt is not None:
                    wrap = adapt
                else:
                    wrap = type(param) if type(param) is not type(mark) else None
                slots.append((index, position, wrap))
        if {position for _index, position, _wrap in slots} != set(range(len(flat_marks))):
            raise ValueError("each argument must be a parameter of the query, as given")
        compiled = (sql, tuple(params), slots, _converters(compiler))
        if self.instances:
            compiled += (_instance_parts(compiler, using),)
        return compiled


def _adapter_of(mark, ops):
    """How the backend writes a day or an instant argument (`ops`'s adapter), None for
    another kind of argument."""
    if isinstance(mark, datetime.datetime):
        return ops.adapt_datetimefield_value
    if isinstance(mark, datetime.date):
        return ops.adapt_datefield_value
    return None


def _instance_parts(compiler, using: str) -> tuple:
    """What `django.db.models.query.ModelIterable` reads of a compiler to build its
    instances, read once; none of it holds a connection."""
    select, klass_info = compiler.select, compiler.klass_info
    start, end = klass_info["select_fields"][0], klass_info["select_fields"][-1] + 1
    init_list = [column[0].target.attname for column in select[start:end]]
    populators = get_related_populators(klass_info, select, using)
    annotations = tuple(compiler.annotation_col_map.items())
    return klass_info["model"], init_list, start, end, populators, annotations


class CompiledRows(CompiledShapes):
    """A query whose arguments are given in order (`build(pk, other)`, called
    `rows(pk, other)`): its shape never changes but for the lists of ids among them
    (`lists`: their positions), each one array parameter through `any_of`, whatever
    its length."""

    def __init__(
        self,
        build: Callable[..., QuerySet],
        arity: int = 1,
        lists: tuple[int, ...] = (),
        *,
        instances: bool = False,
    ):
        self.arity = arity
        self._names = tuple(f"argument_{n:03d}" for n in range(arity))
        self._lists = frozenset(lists)
        names = self._names
        super().__init__(
            lambda **marks: build(*(marks[name] for name in names)), size=8, instances=instances
        )

    def __call__(self, *args, using: str = DEFAULT_DB_ALIAS) -> list:
        return super().__call__(using=using, **self._arguments(args))

    def statement_for(self, *args, using: str = DEFAULT_DB_ALIAS) -> Statement | None:
        """The statement of `rows(*args)`, to read with a page's other queries
        (`run_together`); None when it can match nothing. Its rows are those of the
        call, for a query of rows (not `instances`)."""
        return self.statement(using=using, **self._arguments(args))

    def _arguments(self, args: tuple) -> dict:
        if len(args) != self.arity:
            raise TypeError(f"{self.arity} arguments expected, {len(args)} given")
        return {
            name: list(value) if n in self._lists else value
            for n, (name, value) in enumerate(zip(self._names, args, strict=True))
        }


class AnyOf(Lookup):
    """`field__any_of=ids`: `field = ANY(%s)`, the ids as one array parameter, so that
    the query's SQL is the same for any number of them (`__in` writes one placeholder
    an id): a query filtered on a user's organisations or a page's rows can then be
    compiled once (a list argument of `CompiledShapes`). The array is cast to the
    column's type; PostgreSQL uses the column's indexes. For a query by key or a
    grouped count: a list ordered on an index the column leads loses that order
    (PostgreSQL 15 reads an array's values as a set), and sorts every matching row
    where `__in` of one id read the first 25. SQLite, the embedded default, reads the
    ids from one JSON parameter."""

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
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        sql = f"{lhs} IN (SELECT value FROM json_each({rhs}))"  # noqa: S608 (placeholders)
        return sql, [*lhs_params, *rhs_params]


# A field and a foreign key alike (a relation keeps its own lookups).
Field.register_lookup(AnyOf)
ForeignObject.register_lookup(AnyOf)


def _bound_list(value, connection):
    """A list of ids as `any_of` binds it on `connection`'s database."""
    return list(value) if connection.vendor == "postgresql" else json.dumps(list(value))


class CompiledList:
    """A filtered list for Django's `Paginator`: its count and a page's rows, each one
    query compiled once per shape. `rows` gives the rows in the list's order; `keys`
    the same matches, one column and unordered, which PostgreSQL counts from an index
    (counting `rows` would join and sort for nothing). `counted`, when given, is `rows`
    with the count of `keys` as a last column (`accounts.pagination.CountOf`): a page and
    the count in one statement (`accounts.pagination.CountedListPaginator`)."""

    def __init__(
        self,
        rows: CompiledShapes,
        keys: CompiledShapes,
        *,
        counted: CompiledShapes | None = None,
        using=DEFAULT_DB_ALIAS,
        **arguments,
    ):
        self.rows, self.keys, self.counted = rows, keys, counted
        self.using, self.arguments = using, arguments

    def counted_page(self, start: int, size: int) -> list:
        """`size` rows from `start`, each with the list's count last (`counted`)."""
        return self.counted.run(
            "{} LIMIT %s OFFSET %s", (size, start), using=self.using, **self.arguments
        )

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
