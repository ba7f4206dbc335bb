"""The key-figure tiles on top of a dashboard: a few figures with their target and their
trend against the previous period, read from the dashboard's protected tables (no query
of their own, and nothing a table withholds: a tile shows the cells as the tables do).

The trend is said in words ("En hausse : +3 par rapport à février 2025"); the arrow
beside it is decoration, so the tile never speaks through colour alone."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from .tables import Table, format_cell


@dataclass(frozen=True)
class Tile:
    key: str
    label: str
    value: str
    target: str
    trend: str
    direction: str  # "up", "down", "flat" or "" (no comparison): the arrow's CSS class


# (tile key, key figures row) in the order shown.
TILES = (
    ("hires", "hires"),
    ("registered", "registered"),
    ("positions_filled", "positions_filled"),
    ("occupancy", "occupancy"),
    ("sessions", "sessions"),
    ("stabilised", "stabilised"),
)


def _trend(row: list, previous_label: str) -> tuple[str, str]:
    """(the trend in words, its direction) from a key figures row [label, now, before,
    change]."""
    now, before, change = row[1], row[2], row[3]
    if isinstance(change, int) and not isinstance(change, bool):
        if change > 0:
            return _("En hausse : %(change)s par rapport à %(previous)s") % {
                "change": f"+{format_cell(change)}",
                "previous": previous_label,
            }, "up"
        if change < 0:
            return _("En baisse : %(change)s par rapport à %(previous)s") % {
                "change": f"−{format_cell(-change)}",
                "previous": previous_label,
            }, "down"
        return _("Stable par rapport à %(previous)s") % {"previous": previous_label}, "flat"
    if isinstance(now, str) or isinstance(before, str):
        return _("Évolution non publiée : un des deux chiffres est masqué (secret statistique)"), ""
    return _("Pas de comparaison avec %(previous)s") % {"previous": previous_label}, ""


def key_figures(tables: list[Table]) -> list[Tile]:
    """The tiles of a dashboard, from its protected tables."""
    by_key = {table.key: table for table in tables}
    kpis = by_key.get("kpis")
    if kpis is None:
        return []
    previous_label = kpis.columns[2]
    tiles = []
    for key, row_key in TILES:
        row = kpis.row(row_key)
        if row is None:
            continue
        trend, direction = _trend(row, previous_label)
        tiles.append(
            Tile(
                key=key,
                label=str(row[0]),
                value=format_cell(row[1]),
                target=_target(key, kpis, by_key),
                trend=trend,
                direction=direction,
            )
        )
    return tiles


def _target(key: str, kpis: Table, by_key: dict[str, Table]) -> str:
    """What the figure is measured against, in words ("" when nothing)."""
    if key == "hires":
        target, rate = kpis.row("target"), kpis.row("target_rate")
        if target is None:
            return _("Pas d'objectif d'embauches pour ce périmètre")
        return _("%(target)s : %(value)s · taux d'atteinte : %(rate)s") % {
            "target": target[0],
            "value": format_cell(target[1]),
            "rate": format_cell(rate[1]),
        }
    if key == "positions_filled":
        offered, rate = kpis.row("positions_offered"), kpis.row("satisfaction")
        if offered is None:
            return ""
        return _("sur %(offered)s postes offerts · taux de satisfaction : %(rate)s") % {
            "offered": format_cell(offered[1]),
            "rate": format_cell(rate[1]),
        }
    if key == "occupancy":
        occupancy, signed = by_key.get("occupancy"), kpis.row("contracts")
        capacity = occupancy.rows[0][2] if occupancy is not None and occupancy.rows else None
        if not capacity:
            return _("Aucune promotion ouverte cette année")
        return _("Capacité : %(capacity)s contrats CAE · %(signed)s signés dans l'année") % {
            "capacity": format_cell(capacity),
            "signed": format_cell(signed[1]) if signed else "—",
        }
    return ""
