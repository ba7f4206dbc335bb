"""Counts the database keeps as deltas: tables written by triggers, one row per write
that moved something between groups, read as the sums of their rows by group
(`YouthCount`, `PathwayCount`, `OfferCount`). Folded daily into one row per group."""

from __future__ import annotations

from django.db import connection, transaction


def fold_deltas(model, keys: tuple[str, ...], sums: tuple[str, ...]) -> int:
    """Fold the deltas of `model` into one row per group of `keys` (the groups whose
    `sums` all add up to nothing dropped): no sum changes. Writers do not wait: the rows
    folded are those the statement sees, and the deltas written meanwhile stay as they
    are. Safe to run twice. Returns the number of rows left."""
    table = model._meta.db_table
    key_list = ", ".join(keys)
    columns = ", ".join((*keys, *sums))
    nonzero = " OR ".join(f"sum({name}) <> 0" for name in sums)
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f"""WITH folded AS (DELETE FROM {table} RETURNING {columns})
                    INSERT INTO {table} ({columns})
                    SELECT {key_list}, {", ".join(f"sum({name})" for name in sums)}
                    FROM folded GROUP BY {key_list} HAVING {nonzero}"""  # noqa: S608
            )
        else:  # SQLite: one writer at a time, the table cannot move in between
            cursor.execute(
                f"""CREATE TEMP TABLE folded AS SELECT {key_list},
                    {", ".join(f"sum({name}) AS {name}" for name in sums)}
                    FROM {table} GROUP BY {key_list} HAVING {nonzero}"""  # noqa: S608
            )
            cursor.execute(f"DELETE FROM {table}")  # noqa: S608
            cursor.execute(f"INSERT INTO {table} ({columns}) SELECT {columns} FROM folded")  # noqa: S608
            cursor.execute("DROP TABLE folded")
    return model.objects.count()
