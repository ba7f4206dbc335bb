"""The offers' and immersion's key figures and tables on the dashboards, after the
candidate pool's own."""

from __future__ import annotations

from . import immersion, offers

_MODULES = (offers, immersion)


def extra_kpis(*, scope, period, previous, today) -> list:
    """(key, label, now, before) rows of the key figures, as `kpi_table` reads them."""
    rows = []
    for module in _MODULES:
        rows.extend(module.kpis(scope=scope, period=period, previous=previous, today=today))
    return rows


def extra_tables(*, scope, period, today) -> list:
    """The tables as built (counts with their keys), protected with the page's others."""
    tables = []
    for module in _MODULES:
        tables.extend(module.tables(scope=scope, period=period, today=today))
    return tables
