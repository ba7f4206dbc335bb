"""The key-figure tiles on top of each dashboard (value, target, trend in words, read from
the protected tables without a query), the data tables folded under "Voir les données",
and the hires target a scope is measured against: its own, or the figure says it is the
national one."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.urls import reverse

from accounts.enums import Role
from committees.enums import IndicatorKey, PlanItemStatus, PlanSection
from reporting import dashboard
from reporting.periods import Period
from reporting.review import render_review_html
from reporting.scopes import mission_locale_population, national_population, region_population
from reporting.tiles import key_figures
from tests.accounts.factories import make_member
from tests.committees.factories import ActionPlanFactory, PlanItemFactory

from .factories import AnnualReviewFactory

YEAR = Period(2025)


def url(kind, **params):
    from urllib.parse import urlencode

    return reverse("reporting:dashboard", args=[kind]) + "?" + urlencode(params)


def tables_of(scope, period=YEAR, *, masked=False):
    cache.clear()
    return {t.key: t for t in dashboard.build(scope, period, masked=masked)}


def test_tiles_show_value_target_and_trend_in_words(client, world):
    lead = make_member(Role.PROJECT_LEAD, region=world.region_a)
    client.force_login(lead)
    response = client.get(url("regional", year=2025))
    tiles = {tile.key: tile for tile in response.context["tiles"]}
    assert list(tiles) == [
        "hires",
        "registered",
        "positions_filled",
        "occupancy",
        "sessions",
        "stabilised",
    ]
    # region A: 1 hire in 2025 (none in 2024) against its plan's 120
    assert tiles["hires"].value == "1"
    assert tiles["hires"].target == (
        "Objectif d'embauches de la région (plan d'action) : 120 · taux d'atteinte : 0,8 %"
    )
    assert tiles["hires"].trend == "En hausse : +1 par rapport à 2024"
    assert tiles["hires"].direction == "up"
    assert tiles["registered"].value == "3"
    body = response.content.decode()
    # the trend is said in words; the arrow is decoration
    assert 'class="trend-arrow trend-up" aria-hidden="true"' in body
    assert "En hausse : +1 par rapport à 2024" in body
    # the tiles come first, then the charts, each with its data folded
    assert body.index('id="key-figures-title"') < body.index('class="img-fluid chart"')
    assert body.count("<summary>Voir les données") == 4
    assert body.count("<details") == 5  # the four charts' data, and every key figure


def test_tiles_of_a_masked_view_say_why_a_trend_is_missing(client, world):
    client.force_login(make_member(Role.NATIONAL))
    tiles = {t.key: t for t in client.get(url("national", year=2025)).context["tiles"]}
    assert tiles["hires"].value == "< 5"
    assert tiles["hires"].trend == (
        "Évolution non publiée : un des deux chiffres est masqué (secret statistique)"
    )
    assert tiles["hires"].direction == ""
    assert "taux d'atteinte : masqué" in tiles["hires"].target


def test_tiles_read_the_tables_without_a_query(world, django_assert_num_queries):
    tables = list(tables_of(national_population(), masked=True).values())
    with django_assert_num_queries(0):
        tiles = key_figures(tables)
    assert len(tiles) == 6


@pytest.mark.parametrize("kind", ["national", "regional", "local"])
def test_pages_with_tiles_keep_a_constant_number_of_queries(
    client, world, kind, django_assert_max_num_queries
):
    from .test_dashboards import _grow

    user = {
        "national": lambda: make_member(Role.NATIONAL),
        "regional": lambda: make_member(Role.PROJECT_LEAD, region=world.region_a),
        "local": lambda: make_member(Role.ADVISOR, organisation=world.ml1),
    }[kind]()
    client.force_login(user)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = []
    for size in (2, 20):
        _grow(world, size)
        cache.clear()
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url(kind, year=2025))
        assert len(response.context["tiles"]) == 6
        counts.append(len(captured))
    assert counts[0] == counts[1]
    with django_assert_max_num_queries(12):
        client.get(url(kind, year=2025))  # warm: the tiles add nothing


def test_the_national_target_is_named_national(world):
    tables = tables_of(national_population(), masked=True)
    kpis = tables["kpis"]
    assert kpis.row("target")[0] == "Objectif national d'embauches (article 1)"
    assert kpis.row("target_rate")[0] == "Taux d'atteinte de l'objectif national"
    note = tables["hires"].note.replace("\xa0", " ").replace("\u202f", " ")
    assert note == "Objectif national : 1 000 embauches par an (article 1)."


def test_a_region_is_measured_against_its_own_target(world):
    tables = tables_of(region_population(world.region_a))
    kpis = tables["kpis"]
    assert kpis.row("target")[1] == 120
    assert kpis.row("target_rate")[0] == "Taux d'atteinte de l'objectif de la région"
    assert kpis.row("target_rate")[1] == round(100 * 1 / 120, 1)
    assert tables["hires"].note == (
        "Objectif de la région : 120 embauches en 2025 (son plan d'action)."
    )
    assert "national" not in tables["hires"].note


def test_a_region_whose_plan_restates_the_national_target_says_so(world):
    plan = ActionPlanFactory(region=world.region_b, year=2025)
    PlanItemFactory(
        plan=plan,
        section=PlanSection.OFFERS,
        status=PlanItemStatus.PLANNED,
        indicator_key=IndicatorKey.HIRES,
        indicator_target=1000,
    )
    tables = tables_of(region_population(world.region_b))
    kpis = tables["kpis"]
    assert kpis.row("target")[1] == 1000
    assert "objectif national" in kpis.row("target")[0]
    assert kpis.row("target_rate")[0] == (
        "Taux d'atteinte de l'objectif national (repris par le plan de la région)"
    )
    assert "reprend l'objectif national" in tables["hires"].note
    assert "pas un objectif propre à la région" in tables["hires"].note
    # the regional review prints the same words: never a bare rate of the national target
    html = render_review_html(AnnualReviewFactory(year=2025, region=world.region_b))
    assert (
        "Taux d&#x27;atteinte de l&#x27;objectif national (repris par le plan de la région)" in html
    )
    assert "Taux d&#x27;atteinte de l&#x27;objectif de la région" not in html
    assert "reprend l&#x27;objectif national" in html


def test_without_a_target_there_is_no_rate(world):
    tables = tables_of(region_population(world.region_b))
    assert tables["kpis"].row("target") is None
    assert tables["kpis"].row("target_rate") is None
    assert tables["hires"].note == (
        "Le plan d'action de la région ne fixe pas d'objectif d'embauches pour 2025 : "
        "pas d'objectif ni de taux d'atteinte."
    )
    assert {row[3] for row in tables["hires"].rows} == {None}
    local = tables_of(mission_locale_population(world.ml1))
    assert local["kpis"].row("target_rate") is None
    assert local["hires"].note.startswith("Pas d'objectif d'embauches par mission locale")


def test_the_regional_review_measures_the_region_against_its_own_target(world):
    html = render_review_html(AnnualReviewFactory(year=2025, region=world.region_a))
    assert "Objectif d&#x27;embauches de la région (plan d&#x27;action)" in html
    assert "Objectif de la région : 120 embauches en 2025" in html
    assert "Objectif national" not in html
