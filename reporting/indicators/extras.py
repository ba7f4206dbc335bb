"""The offers' and immersion's key figures and tables on the dashboards, after the
candidate pool's own."""

from __future__ import annotations

from . import immersion, offers

_MODULES = (offers, immersion)


def extra_kpis(*, scope, period, previous) -> list:
    rows = []
    for module in _MODULES:
        rows.extend(module.kpis(scope=scope, period=period, previous=previous))
    return rows


def extra_tables(*, scope, period, masked) -> list:
    tables = []
    for module in _MODULES:
        tables.extend(module.tables(scope=scope, period=period, masked=masked))
    return tables
