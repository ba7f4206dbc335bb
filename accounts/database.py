"""How the portal's queries reach PostgreSQL: prepared once a query recurs, except a
pattern match, planned for its pattern each time.

With `DATABASE_PREPARED_STATEMENTS` (settings), psycopg binds values server-side and
prepares a query once it has run `DATABASE_PREPARE_THRESHOLD` times on a connection;
after five runs of a prepared statement PostgreSQL may keep one generic plan for any
value. For most queries that plan is the one each value would get, without the
planning. Not for a name search (`LIKE '%word%'`): its best plan depends on the word.
Three letters and more, the trigram index finds the few names; one or two letters
hold no trigram, and the generic plan read the whole index (50-60 ms at 100,000 youths
where the plan made for the word took 4-29 ms). A query holding `LIKE` is therefore
never prepared: its unnamed statement is planned with its values, as before; unless it
says it may be (`PLANNED_FOR_ANY_PATTERN`): the names' words' search reads a range
whose bounds are parameters, the same plan for any word.
"""

from __future__ import annotations

#: What marks a query whose plan depends on a searched pattern (the ORM's `contains`,
#: `startswith`… lookups, and their case-insensitive forms, all write it).
PATTERN_MATCH = " LIKE "
#: What a query holding `PATTERN_MATCH` starts with when its plan does not depend on
#: the pattern: its index conditions are bounds given as parameters, its `LIKE`s only
#: filters (the list's name search through the names' words). It is prepared as any
#: other query.
PLANNED_FOR_ANY_PATTERN = "/* planned for any pattern */ "

_cursor_class = None


def pattern_planned_cursor_class():
    """Django's server-binding cursor, its queries holding `PATTERN_MATCH` never
    prepared."""
    global _cursor_class
    if _cursor_class is None:
        from django.db.backends.postgresql.base import ServerBindingCursor

        class PatternPlannedCursor(ServerBindingCursor):
            def execute(self, query, params=None, *, prepare=None, binary=None):
                if (
                    prepare is None
                    and isinstance(query, str)
                    and PATTERN_MATCH in query
                    and not query.startswith(PLANNED_FOR_ANY_PATTERN)
                ):
                    prepare = False
                return super().execute(query, params, prepare=prepare, binary=binary)

        _cursor_class = PatternPlannedCursor
    return _cursor_class


def prepares_statements(connection) -> bool:
    """Whether `connection` prepares its recurring queries (PostgreSQL, server-side
    binding, a threshold)."""
    options = connection.settings_dict.get("OPTIONS", {})
    return (
        connection.vendor == "postgresql"
        and options.get("server_side_binding") is True
        and options.get("prepare_threshold") is not None
    )


def plan_pattern_matches_for_their_values(sender, connection, **kwargs) -> None:
    """`connection_created`: a preparing connection's cursors leave pattern matches
    unprepared."""
    if prepares_statements(connection):
        connection.connection.cursor_factory = pattern_planned_cursor_class()
