"""Builds the figures of a dashboard (and of the review and the digest) for a scope and
a period: tables of figures, each with its chart when it has one.

All counting is done by the indicator functions, in the database: a fixed number of
queries whatever the number of rows. The result is cached a few minutes per scope and
period (figures move slowly; the bench shows the cold and the warm times).
"""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass

from django.core.cache import cache
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from accounts.enums import OrganisationKind
from accounts.models import Organisation, Region
from candidates.enums import PathwayStage
from convention_portal.db_router import reading_from_replica

from . import indicators as ind
from .disclosure import protect
from .periods import Period
from .scopes import Population
from .tables import Count, Days, Delta, Group, Rate, Table

CACHE_SECONDS = 5 * 60


def month_labels(year: int) -> list[str]:
    return [date_format(datetime.date(year, m, 1), "N") for m in range(1, 13)]


def _days(value):
    return None if value is None else Days(value)


def counted(indicator: str, period: Period, value: int, *group) -> Count:
    """A count of `indicator` over `period` (for `group`, in a breakdown): the same key in
    every table of a page is the same figure for disclosure control."""
    return Count(value, (indicator, period.key, *group))


@dataclass(frozen=True)
class HiresTarget:
    """The hires target a scope is measured against, and whose it is: "national" (Art. 1,
    the national scope), "region" (the region's action plan), "national_in_plan" (the
    region's plan restates the national 1,000: the figure says it is the national one),
    or no target ("" : a region whose plan sets none, a mission locale)."""

    annual: int | None
    source: str

    @classmethod
    def of(cls, scope: Population, annual: int | None) -> HiresTarget:
        if not annual:
            return cls(None, "")
        if scope.level == "national":
            return cls(annual, "national")
        if annual == ind.ANNUAL_HIRES_TARGET:
            return cls(annual, "national_in_plan")
        return cls(annual, "region")

    def for_period(self, period: Period) -> int | None:
        return ind.monthly_target(self.annual) if period.is_month else self.annual

    @property
    def labels(self) -> tuple[str, str]:
        """(the target's row label, the rate's row label) in the key figures."""
        if self.source == "national":
            return _("Objectif national d'embauches (article 1)"), _(
                "Taux d'atteinte de l'objectif national"
            )
        if self.source == "national_in_plan":
            return _(
                "Objectif d'embauches (l'objectif national, repris par le plan de la région)"
            ), _("Taux d'atteinte de l'objectif national (repris par le plan de la région)")
        return _("Objectif d'embauches de la région (plan d'action)"), _(
            "Taux d'atteinte de l'objectif de la région"
        )

    def note(self, scope: Population, year: int) -> str:
        """What the monthly hires table says of its target column."""
        if self.source == "national":
            return _("Objectif national : %(n)s embauches par an (article 1).") % {
                "n": number_format(self.annual, 0, force_grouping=True)
            }
        if self.source == "national_in_plan":
            return _(
                "Le plan d'action de la région pour %(year)s reprend l'objectif national "
                "(%(n)s embauches par an pour toute la France, article 1) : ce n'est pas un "
                "objectif propre à la région."
            ) % {"year": year, "n": number_format(self.annual, 0, force_grouping=True)}
        if self.source == "region":
            return _("Objectif de la région : %(n)s embauches en %(year)s (son plan d'action).") % {
                "year": year,
                "n": number_format(self.annual, 0, force_grouping=True),
            }
        if scope.level == "region":
            return _(
                "Le plan d'action de la région ne fixe pas d'objectif d'embauches pour "
                "%(year)s : pas d'objectif ni de taux d'atteinte."
            ) % {"year": year}
        return _(
            "Pas d'objectif d'embauches par mission locale : l'objectif est national, ou "
            "celui du plan d'action de la région."
        )


def kpi_table(
    scope: Population,
    period: Period,
    *,
    target: HiresTarget,
    youths: ind.pathway.YouthPass | None = None,
    today: datetime.date | None = None,
) -> Table:
    """The key figures of the period beside the same figures for the period before, with
    their change. `target` is the hires target of the period's year: the caller reads
    it once for the tables that show it. `youths`, the pass over the youths for (period,
    previous) when the caller made it for several tables. Figures as built (counts with
    their keys): `disclosure.protect` makes them showable."""
    previous = period.previous()
    today = today or timezone.localdate()
    events_now = ind.pathway.events_by_stage(scope=scope, period=period)
    events_before = ind.pathway.events_by_stage(scope=scope, period=previous)
    if youths is None:
        youths = ind.pathway.youth_pass(scope=scope, periods=(period, previous))
    (registered_now, _civis_now), (registered_before, _civis_before) = youths.kpis
    (civis_n, civis_d), (civis_n_before, civis_d_before) = youths.civis
    hires_now = counted("hires", period, events_now.get(PathwayStage.HIRED, 0))
    specs = [
        (
            "registered",
            _("Jeunes inscrits"),
            counted("registered", period, registered_now),
            counted("registered", previous, registered_before),
        ),
        (
            "hires",
            _("Embauches"),
            hires_now,
            counted("hires", previous, events_before.get(PathwayStage.HIRED, 0)),
        ),
        (
            "stabilised",
            _("Emplois stabilisés"),
            counted("stabilised", period, events_now.get(PathwayStage.STABILISED, 0)),
            counted("stabilised", previous, events_before.get(PathwayStage.STABILISED, 0)),
        ),
        (
            "exits",
            _("Sorties du parcours"),
            counted("exits", period, events_now.get(PathwayStage.EXIT, 0)),
            counted("exits", previous, events_before.get(PathwayStage.EXIT, 0)),
        ),
        (
            "pairs_started",
            _("Parrainages commencés"),
            counted(
                "pairs_started", period, ind.mentoring_pairs_started(scope=scope, period=period)
            ),
            counted(
                "pairs_started", previous, ind.mentoring_pairs_started(scope=scope, period=previous)
            ),
        ),
        (
            "pairs_active",
            _("Parrainages en cours"),
            counted("pairs_active", period, ind.mentoring_pairs_active(scope=scope, period=period)),
            counted(
                "pairs_active", previous, ind.mentoring_pairs_active(scope=scope, period=previous)
            ),
        ),
        (
            "civis",
            _("Part des jeunes en CIVIS"),
            Rate(counted("civis", period, civis_n), counted("pool", period, civis_d)),
            Rate(
                counted("civis", previous, civis_n_before),
                counted("pool", previous, civis_d_before),
            ),
        ),
        (
            "plan",
            _("Avancement du plan d'action (%(year)s)") % {"year": period.year},
            ind.action_plan_progress(scope=scope, year=period.year),
            ind.action_plan_progress(scope=scope, year=previous.year),
        ),
        *ind.extra_kpis(scope=scope, period=period, previous=previous, today=today),
    ]
    rows, keys = [], []
    for key, label, now, before in specs:
        keys.append(key)
        if isinstance(now, Days) or isinstance(before, Days) or key.endswith("days"):
            rows.append([label, _days(now), _days(before), None])
        else:
            rows.append([label, now, before, Delta(now, before)])
    period_target = target.for_period(period)
    if period_target:
        target_label, rate_label = target.labels
        rows[2:2] = [
            [target_label, period_target, None, None],
            [rate_label, Rate(hires_now, period_target), None, None],
        ]
        keys[2:2] = ["target", "target_rate"]
    notes = []
    if period.contains(today):
        notes.append(
            _(
                "Période en cours : les chiffres vont jusqu'au %(today)s ; la plateforme "
                "d'immersion est mesurée ce jour-là, la période précédente à sa fin."
            )
            % {"today": date_format(today, "SHORT_DATE_FORMAT")}
        )
    return Table(
        key="kpis",
        title=_("Chiffres clés"),
        columns=[_("Indicateur"), period.label, previous.label, _("Évolution")],
        rows=rows,
        row_keys=keys,
        note=" ".join(notes),
    )


def funnel_table(scope: Population, period: Period, *, at_stage: dict[str, int]) -> Table:
    """Youths entering each stage in the period, beside those at each stage now
    (`at_stage`: `youth_pass(...).at_stage`, counted with the other youth figures).
    Stages are not exclusive (a youth enters several): no total, no group."""
    entered = ind.funnel(scope=scope, period=period)
    stage_labels = [PathwayStage(s).label for s in entered]
    rows = [
        [
            str(label),
            counted("entered", period, entered[s], s),
            Count(at_stage.get(s, 0), ("at_stage", s)),
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
    table.chart_columns = {"values": 1, "shown": 1}
    table.chart_data = {
        "labels": [str(label) for label in stage_labels],
        "title": _("Entrées dans chaque étape · %(p)s") % {"p": period.label},
    }
    return table


def hires_table(scope: Population, year: int, *, target: HiresTarget) -> Table:
    """Monthly hires of the year, the same month a year before, the monthly target (from
    `target`, the year's, as for kpi_table). Each year's months add up to the year's
    hires, a key figure of the year's page."""
    period, previous = Period(year), Period(year - 1)
    now = ind.hires(scope=scope, period=period, by="month")
    before = ind.hires(scope=scope, period=previous, by="month")
    monthly = ind.monthly_target(target.annual)
    labels = month_labels(year)
    rows = []
    for m in range(1, 13):
        rows.append(
            [
                labels[m - 1],
                counted("hires", Period(year, m), now.get(datetime.date(year, m, 1), 0)),
                counted("hires", Period(year - 1, m), before.get(datetime.date(year - 1, m, 1), 0)),
                monthly,
            ]
        )
    table = Table(
        key="hires",
        title=_("Embauches par mois et objectif (%(year)s)") % {"year": year},
        columns=[_("Mois"), str(year), str(year - 1), _("Objectif mensuel")],
        rows=rows,
        note=target.note(scope, year),
        groups=[
            Group(("hires", p.key), tuple(row[column].key for row in rows))
            for p, column in ((period, 1), (previous, 2))
        ],
    )
    table.chart_kind = "hires"
    table.chart_columns = {"values": 1, "shown": 1, "previous": 2}
    table.chart_data = {
        "labels": labels,
        "target": monthly,
        "title": _("Embauches par mois · %(year)s") % {"year": year},
    }
    return table


def breakdown_by(scope: Population) -> str | None:
    """The breakdown under a dashboard: by region nationally, by mission locale for a
    region, none for a mission locale."""
    if scope.mission_locale_id:
        return None
    return "region" if not scope.region_id else "mission_locale"


def breakdown_table(
    scope: Population, period: Period, *, registered: dict[int, int]
) -> Table | None:
    """Nationally one row per region; for a region one row per mission locale.
    `registered`: youths registered in the period by the same groups
    (`youth_pass(..., by=breakdown_by(scope)).registered_by`). Each column adds up to
    the scope's key figure of the period (a group for disclosure control)."""
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
    columns = (("registered", registered), ("hires", hired), ("stabilised", stabilised))
    rows = [
        [names[k], *(counted(name, period, figures.get(k, 0), by, k) for name, figures in columns)]
        for k in keys
    ]
    return Table(
        key="breakdown",
        title=title,
        columns=[first, _("Jeunes inscrits"), _("Embauches"), _("Emplois stabilisés")],
        rows=rows,
        groups=[
            Group((name, period.key), tuple(row[index].key for row in rows))
            for index, (name, _figures) in enumerate(columns, start=1)
        ],
    )


def cache_key(scope: Population, period: Period, *, masked: bool) -> str:
    """v3: the protected tables (named rows, withheld cells), with their stamp under
    the same key + ":stamp" (`build_stamped`); an entry of an older shape is never read
    back."""
    return f"reporting:dashboard:v3:{scope.key}:{period.key}:{int(masked)}:{get_language()}"


def stamp_key(key: str) -> str:
    """Where the stamp of the tables cached under `key` is kept (`build_stamped`)."""
    return f"{key}:stamp"


def build(scope: Population, period: Period, *, masked: bool, refresh: bool = False) -> list[Table]:
    """Every table of the dashboard, cached a few minutes per scope, period and language.
    `refresh` computes them without reading the cache and overwrites its entry: the
    requests in the meantime are still served the previous figures, never a miss."""
    return build_stamped(scope, period, masked=masked, refresh=refresh)[0]


def build_stamped(
    scope: Population, period: Period, *, masked: bool, refresh: bool = False
) -> tuple[list[Table], str | None]:
    """`build`, with the stamp of that computation: a new one each time the tables are
    computed, so that what is drawn from them (the page's body, `views.dashboard_body`)
    can be cached under it and is never served with other figures. None when the cached
    tables lost their stamp (evicted apart): draw them afresh."""
    key = cache_key(scope, period, masked=masked)
    if not refresh:
        found = cache.get_many([key, stamp_key(key)])
        if key in found:
            return found[key], found.get(stamp_key(key))
    with reading_from_replica():
        tables = _compute(scope, period, masked=masked)
    stamp = uuid.uuid4().hex
    cache.set_many({key: tables, stamp_key(key): stamp}, CACHE_SECONDS)
    return tables, stamp


def _compute(scope: Population, period: Period, *, masked: bool) -> list[Table]:
    """The dashboard's tables, computed from the data (on the replica, when there is one),
    then protected together (disclosure control spans the tables of a page)."""
    today = timezone.localdate()
    # The key figures and the monthly hires both show the year's target: one read.
    target = HiresTarget.of(scope, ind.hires_target(scope=scope, period=Period(period.year)))
    # One pass over the youths for the key figures, the funnel and the breakdown.
    youths = ind.pathway.youth_pass(
        scope=scope, periods=(period, period.previous()), by=breakdown_by(scope)
    )
    tables = [
        kpi_table(scope, period, target=target, youths=youths, today=today),
        funnel_table(scope, period, at_stage=youths.at_stage),
        hires_table(scope, period.year, target=target),
    ]
    tables.extend(ind.extra_tables(scope=scope, period=period, today=today))
    breakdown = breakdown_table(scope, period, registered=youths.registered_by)
    if breakdown is not None:
        tables.append(breakdown)
    return protect(tables, masked=masked)


def warm(scope: Population, period: Period, *, masked: bool) -> list[Table]:
    """Recompute a dashboard into the cache and draw its charts into the charts' cache,
    so that its page and its chart images are both served warm."""
    from . import charts

    tables = build(scope, period, masked=masked, refresh=True)
    for table in tables:
        if table.has_chart:
            charts.draw(table.chart_kind, table.chart_data)
    return tables
