"""Builds the figures of a dashboard (and of the review and the digest) for a scope and
a period: tables of figures, each with its chart when it has one.

All counting is done by the indicator functions, in the database: a fixed number of
queries whatever the number of rows. The result is cached a few minutes per scope and
period (figures move slowly; the bench shows the cold and the warm times).
"""

from __future__ import annotations

import datetime

from django.core.cache import cache
from django.utils.formats import date_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from accounts.enums import OrganisationKind
from accounts.models import Organisation, Region
from candidates.enums import PathwayStage
from convention_portal.db_router import reading_from_replica

from . import indicators as ind
from .periods import Period
from .scopes import ReportScope
from .tables import Days, Points, Table, chart_value, count_cell, is_small

CACHE_SECONDS = 5 * 60


def month_labels(year: int) -> list[str]:
    return [date_format(datetime.date(year, m, 1), "N") for m in range(1, 13)]


def _delta(current, previous):
    if isinstance(current, (int, float)) and isinstance(previous, (int, float)):
        return round(current - previous, 1) if isinstance(current, float) else current - previous
    return None


def _days(value):
    return None if value is None else Days(value)


def kpi_table(
    scope: ReportScope,
    period: Period,
    *,
    masked: bool,
    annual_target: int | None,
    youths: ind.pathway.YouthPass | None = None,
) -> Table:
    """The key figures of the period beside the same figures for the period before.
    `annual_target` is the hires target of the period's year (`ind.hires_target`): the
    caller reads it once for the tables that show it. `youths`, the pass over the youths
    for (period, previous) when the caller made it for several tables."""
    previous = period.previous()
    events_now = ind.pathway.events_by_stage(scope=scope, period=period)
    events_before = ind.pathway.events_by_stage(scope=scope, period=previous)
    if youths is None:
        youths = ind.pathway.youth_pass(scope=scope, periods=(period, previous))
    (registered_now, civis_now), (registered_before, civis_before) = youths.kpis
    target = ind.monthly_target(annual_target) if period.is_month else annual_target
    rows_spec = [
        (_("Jeunes inscrits"), "count", registered_now, registered_before),
        (
            _("Embauches"),
            "count",
            events_now.get(PathwayStage.HIRED, 0),
            events_before.get(PathwayStage.HIRED, 0),
        ),
        (
            _("Emplois stabilisés"),
            "count",
            events_now.get(PathwayStage.STABILISED, 0),
            events_before.get(PathwayStage.STABILISED, 0),
        ),
        (
            _("Sorties du parcours"),
            "count",
            events_now.get(PathwayStage.EXIT, 0),
            events_before.get(PathwayStage.EXIT, 0),
        ),
        (
            _("Parrainages commencés"),
            "count",
            ind.mentoring_pairs_started(scope=scope, period=period),
            ind.mentoring_pairs_started(scope=scope, period=previous),
        ),
        (
            _("Parrainages en cours"),
            "count",
            ind.mentoring_pairs_active(scope=scope, period=period),
            ind.mentoring_pairs_active(scope=scope, period=previous),
        ),
        (_("Part des jeunes en CIVIS"), "pct", civis_now, civis_before),
    ]
    rows_spec.append(
        (
            _("Avancement du plan d'action (%(year)s)") % {"year": period.year},
            "pct",
            ind.action_plan_progress(scope=scope, year=period.year),
            ind.action_plan_progress(scope=scope, year=previous.year),
        )
    )
    for extra in ind.extra_kpis(scope=scope, period=period, previous=previous):
        rows_spec.append(extra)
    rows = []
    for label, kind, now, before in rows_spec:
        if kind == "count":
            rows.append(
                [
                    label,
                    count_cell(now, masked=masked),
                    count_cell(before, masked=masked),
                    # a difference would give a masked count away
                    _delta(now, before)
                    if not masked or not (is_small(now) or is_small(before))
                    else None,
                ]
            )
        elif kind == "days":
            rows.append([label, _days(now), _days(before), None])
        else:
            delta = _delta(now, before)
            rows.append([label, now, before, None if delta is None else Points(delta)])
    if target:
        hires_now = events_now.get(PathwayStage.HIRED, 0)
        rows.insert(2, [_("Objectif d'embauches"), target, None, None])
        rows.insert(
            3, [_("Taux d'atteinte de l'objectif"), round(100 * hires_now / target, 1), None, None]
        )
    return Table(
        key="kpis",
        title=_("Chiffres clés"),
        columns=[_("Indicateur"), period.label, previous.label, _("Évolution")],
        rows=rows,
    )


def funnel_table(
    scope: ReportScope, period: Period, *, masked: bool, at_stage: dict[str, int]
) -> Table:
    """Youths entering each stage in the period, beside those at each stage now
    (`at_stage`: `youth_pass(...).at_stage`, counted with the other youth figures)."""
    entered = ind.funnel(scope=scope, period=period)
    stage_labels = [PathwayStage(s).label for s in entered]
    rows = [
        [
            str(label),
            count_cell(entered[s], masked=masked),
            count_cell(at_stage.get(s, 0), masked=masked),
        ]
        for label, s in zip(stage_labels, entered, strict=True)
    ]
    table = Table(
        key="funnel",
        title=_("Parcours : jeunes entrés dans chaque étape"),
        columns=[_("Étape"), _("Entrés sur la période"), _("À cette étape aujourd'hui")],
        rows=rows,
    )
    table.chart_kind = "funnel"
    table.chart_data = {
        "labels": [str(label) for label in stage_labels],
        "values": [chart_value(entered[s], masked=masked) for s in entered],
        "shown": [str(row[1]) for row in rows],
        "title": _("Entrées dans chaque étape · %(p)s") % {"p": period.label},
    }
    return table


def hires_table(scope: ReportScope, year: int, *, masked: bool, annual_target: int | None) -> Table:
    """Monthly hires of the year, the same month a year before, the monthly target (from
    `annual_target`, the year's, as for kpi_table)."""
    period, previous = Period(year), Period(year - 1)
    now = ind.hires(scope=scope, period=period, by="month")
    before = ind.hires(scope=scope, period=previous, by="month")
    target = ind.monthly_target(annual_target)
    labels = month_labels(year)
    values, previous_values, rows = [], [], []
    for m in range(1, 13):
        n = now.get(datetime.date(year, m, 1), 0)
        b = before.get(datetime.date(year - 1, m, 1), 0)
        values.append(n)
        previous_values.append(b)
        rows.append(
            [labels[m - 1], count_cell(n, masked=masked), count_cell(b, masked=masked), target]
        )
    table = Table(
        key="hires",
        title=_("Embauches par mois et objectif (%(year)s)") % {"year": year},
        columns=[_("Mois"), str(year), str(year - 1), _("Objectif mensuel")],
        rows=rows,
        note=_("Objectif national : %(n)s embauches par an (article 1).")
        % {"n": ind.ANNUAL_HIRES_TARGET},
    )
    table.chart_kind = "hires"
    table.chart_data = {
        "labels": labels,
        "values": [chart_value(v, masked=masked) for v in values],
        "shown": [str(row[1]) if row[1] else "" for row in rows],
        "target": target,
        "previous": None if masked else previous_values,
        "title": _("Embauches par mois · %(year)s") % {"year": year},
    }
    return table


def breakdown_by(scope: ReportScope) -> str | None:
    """The breakdown under a dashboard: by region nationally, by mission locale for a
    region, none for a mission locale."""
    if scope.mission_locale_id:
        return None
    return "region" if not scope.region_id else "mission_locale"


def breakdown_table(
    scope: ReportScope, period: Period, *, masked: bool, registered: dict[int, int]
) -> Table | None:
    """Nationally one row per region; for a region one row per mission locale.
    `registered`: youths registered in the period by the same groups
    (`youth_pass(..., by=breakdown_by(scope)).registered_by`)."""
    by = breakdown_by(scope)
    if by is None:
        return None
    hired, stabilised = ind.pathway.hires_and_stabilised_jobs(scope=scope, period=period, by=by)
    if by == "region":
        names = dict(Region.objects.values_list("pk", "name"))
        title, first = _("Par région"), _("Région")
    else:
        names = dict(
            Organisation.objects.filter(
                kind=OrganisationKind.MISSION_LOCALE, region_id=scope.region_id
            ).values_list("pk", "name")
        )
        title, first = _("Par mission locale"), _("Mission locale")
    keys = sorted(names, key=names.get)
    rows = [
        [
            names[k],
            count_cell(registered.get(k, 0), masked=masked),
            count_cell(hired.get(k, 0), masked=masked),
            count_cell(stabilised.get(k, 0), masked=masked),
        ]
        for k in keys
    ]
    return Table(
        key="breakdown",
        title=title,
        columns=[first, _("Jeunes inscrits"), _("Embauches"), _("Emplois stabilisés")],
        rows=rows,
    )


def cache_key(scope: ReportScope, period: Period, *, masked: bool) -> str:
    return f"reporting:dashboard:{scope.key}:{period.key}:{int(masked)}:{get_language()}"


def build(
    scope: ReportScope, period: Period, *, masked: bool, refresh: bool = False
) -> list[Table]:
    """Every table of the dashboard, cached a few minutes per scope, period and language.
    `refresh` computes them without reading the cache and overwrites its entry: the
    requests in the meantime are still served the previous figures, never a miss."""
    key = cache_key(scope, period, masked=masked)
    tables = None if refresh else cache.get(key)
    if tables is None:
        with reading_from_replica():
            tables = _compute(scope, period, masked=masked)
        cache.set(key, tables, CACHE_SECONDS)
    return tables


def _compute(scope: ReportScope, period: Period, *, masked: bool) -> list[Table]:
    """The dashboard's tables, computed from the data (on the replica, when there is one)."""
    # The key figures and the monthly hires both show the year's target: one read.
    annual_target = ind.hires_target(scope=scope, period=Period(period.year))
    # One pass over the youths for the key figures, the funnel and the breakdown.
    youths = ind.pathway.youth_pass(
        scope=scope, periods=(period, period.previous()), by=breakdown_by(scope)
    )
    tables = [
        kpi_table(scope, period, masked=masked, annual_target=annual_target, youths=youths),
        funnel_table(scope, period, masked=masked, at_stage=youths.at_stage),
        hires_table(scope, period.year, masked=masked, annual_target=annual_target),
    ]
    tables.extend(ind.extra_tables(scope=scope, period=period, masked=masked))
    breakdown = breakdown_table(scope, period, masked=masked, registered=youths.registered_by)
    if breakdown is not None:
        tables.append(breakdown)
    return tables


def warm(scope: ReportScope, period: Period, *, masked: bool) -> list[Table]:
    """Recompute a dashboard into the cache and draw its charts into the charts' cache,
    so that its page and its chart images are both served warm."""
    from . import charts

    tables = build(scope, period, masked=masked, refresh=True)
    for table in tables:
        if table.has_chart:
            charts.draw(table.chart_kind, table.chart_data)
    return tables
