"""Figures from the apps that may not have their models yet (offers, immersion): each
contributes key figures and tables when its indicators module is importable."""

from __future__ import annotations

from importlib import import_module

OPTIONAL_MODULES = ("reporting.indicators.offers", "reporting.indicators.immersion")


def _modules():
    for name in OPTIONAL_MODULES:
        try:
            yield import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise


def extra_kpis(*, scope, period, previous) -> list:
    rows = []
    for module in _modules():
        rows.extend(module.kpis(scope=scope, period=period, previous=previous))
    return rows


def extra_tables(*, scope, period, masked) -> list:
    tables = []
    for module in _modules():
        tables.extend(module.tables(scope=scope, period=period, masked=masked))
    return tables
