"""Dashboards: who opens which, what they show (no name nationally, small counts
masked), the htmx filters, bad input, exports and a bounded number of queries."""

from __future__ import annotations

import csv
import datetime
import io
import re
from xml.etree import ElementTree

import pytest
import time_machine
from django.core.cache import cache
from django.urls import reverse
from openpyxl import load_workbook

from accounts.enums import Role
from candidates.enums import PathwayStage as S
from reporting import charts
from reporting.chart_font import text_width
from tests.accounts.factories import OrganisationFactory, make_member
from tests.helpers import assert_refused

from .factories import YouthFactory, walk

SVG = "http://www.w3.org/2000/svg"

NAMES = ["Benali", "Rossi", "Nguyen", "Haddad", "Inès", "Yanis"]


def url(kind, **params):
    from urllib.parse import urlencode

    return reverse("reporting:dashboard", args=[kind]) + ("?" + urlencode(params) if params else "")


@pytest.fixture
def national(world):
    return make_member(Role.NATIONAL)


@pytest.fixture
def lead(world):
    return make_member(Role.PROJECT_LEAD, region=world.region_a)


@pytest.fixture
def advisor(world):
    return make_member(Role.ADVISOR, organisation=world.ml1)


def test_home_sends_each_role_to_its_dashboard(client, national, lead, advisor):
    for user, kind in ((national, "national"), (lead, "regional"), (advisor, "local")):
        client.force_login(user)
        response = client.get(reverse("reporting:home"))
        assert response.status_code == 302
        assert response.url == reverse("reporting:dashboard", args=[kind])


def test_national_dashboard_shows_aggregates_without_any_name(client, national):
    client.force_login(national)
    response = client.get(url("national", year=2025))
    assert response.status_code == 200
    body = response.content.decode()
    for name in NAMES:
        assert name not in body
    assert "Chiffres clés" in body
    assert "Provence-Alpes-Côte d&#x27;Azur" in body
    # 1 hire in each region in 2025: masked
    assert "&lt; 5" in body
    # the four charts are images of their own, each next to its table
    chart_urls = re.findall(r'<img class="img-fluid chart" src="([^"]+)"', body)
    assert len(chart_urls) == 4
    assert {u.split("?")[0].rsplit("/", 1)[1] for u in chart_urls} == {
        "funnel.svg",
        "hires.svg",
        "offers.svg",
        "occupancy.svg",
    }
    assert all(u.endswith("?year=2025") for u in chart_urls)
    assert body.count("<table") >= len(chart_urls)


def chart_url(kind, table, **params):
    from urllib.parse import urlencode

    base = reverse("reporting:chart", args=[kind, table])
    return base + ("?" + urlencode(params) if params else "")


def test_chart_image_is_the_svg_of_its_tables_figures(client, national, lead):
    client.force_login(national)
    dashboard_tables = {t.key: t for t in client.get(url("national", year=2025)).context["tables"]}
    response = client.get(chart_url("national", "hires", year=2025))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml; charset=utf-8"
    assert "default-src 'none'" in response["Content-Security-Policy"]
    # the image's own policy, in place of the portal's (no 'self' anywhere)
    assert response["Content-Security-Policy"] == "default-src 'none'"
    svg = response.content.decode()
    assert svg == dashboard_tables["hires"].chart_svg
    assert svg.lstrip().startswith("<?xml") and "<svg" in svg
    # national view: the small monthly hires of 2025 are labelled "< 5" in the chart too
    assert "Embauches par mois · 2025" in svg
    assert "&lt; 5" in svg and "Objectif mensuel (83)" in svg
    # the regional lead's chart shows the same small counts as numbers
    client.force_login(lead)
    regional = client.get(chart_url("regional", "hires", year=2025)).content.decode()
    assert "Embauches par mois · 2025" in regional
    assert "&lt; 5" not in regional


def test_chart_images_are_refused_outside_the_scope(client, lead, advisor, world):
    assert_refused(client, lead, chart_url("national", "funnel", year=2025))
    assert_refused(
        client, lead, chart_url("regional", "funnel", region=world.region_b.pk, year=2025)
    )
    assert_refused(
        client, advisor, chart_url("local", "funnel", mission_locale=world.ml3.pk, year=2025)
    )
    recruiter = make_member(Role.RECRUITER, region=world.region_a)
    assert_refused(client, recruiter, chart_url("regional", "funnel", year=2025))


@pytest.mark.parametrize("table", ["kpis", "breakdown", "nothing"])
def test_tables_without_a_chart_have_no_image(client, national, table):
    client.force_login(national)
    assert client.get(chart_url("national", table, year=2025)).status_code == 404


def test_chart_image_of_bad_filters_is_404(client, national):
    client.force_login(national)
    assert client.get(chart_url("national", "funnel", year=1990)).status_code == 404


def test_chart_image_reads_the_dashboards_figures(client, national):
    """Once the page has computed the figures, its images only draw: they run the
    queries of the sign-in, filters and permissions, none of the figures'."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(national)
    client.get(url("national", year=2025))
    for table in ("funnel", "hires", "offers", "occupancy"):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(chart_url("national", table, year=2025)).status_code == 200
        assert len(captured) <= 6
        figures = [
            # the events or their counts (candidates_pathwayevent, candidates_pathwaycount)
            q["sql"]
            for q in captured
            if "candidates_pathway" in q["sql"] or "offers_" in q["sql"]
        ]
        assert figures == []
    # with the figures' cache gone, an image computes them again (same SVG)
    first = client.get(chart_url("national", "funnel", year=2025)).content
    cache.clear()
    with CaptureQueriesContext(connection) as captured:
        again = client.get(chart_url("national", "funnel", year=2025)).content
    assert again == first
    assert any("candidates_pathwaycount" in q["sql"] for q in captured)


def test_regional_dashboard_is_unmasked_and_broken_down_by_mission_locale(client, lead, world):
    client.force_login(lead)
    response = client.get(url("regional", year=2025))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Mission locale de Marseille" in body
    assert "Mission locale d&#x27;Aix" in body
    assert "&lt; 5" not in body
    assert "Mission locale de Lyon" not in body


def test_local_dashboard_of_a_mission_locale(client, advisor, world):
    client.force_login(advisor)
    response = client.get(url("local", year=2025))
    assert response.status_code == 200
    assert "Mission locale de Marseille" in response.content.decode()


def test_other_regions_and_dashboards_are_refused(client, lead, advisor, national, world):
    assert_refused(client, lead, url("national"))
    assert_refused(
        client,
        lead,
        url("regional", region=world.region_b.pk),
        must_not_contain=["Mission locale de Lyon"],
    )
    assert_refused(
        client,
        lead,
        url("regional", mission_locale=world.ml3.pk),
        must_not_contain=["Mission locale de Lyon"],
    )
    assert_refused(client, advisor, url("national"))
    assert_refused(client, advisor, url("regional"))
    assert_refused(
        client,
        advisor,
        url("local", mission_locale=world.ml3.pk),
        must_not_contain=["Mission locale de Lyon"],
    )
    assert_refused(client, national, url("local"))
    assert_refused(client, national, url("national", mission_locale=world.ml1.pk))
    recruiter = make_member(Role.RECRUITER, region=world.region_a)
    for target in (reverse("reporting:home"), url("national"), url("regional"), url("local")):
        assert_refused(client, recruiter, target)


def test_exports_are_refused_outside_the_scope(client, lead, advisor, world):
    export = reverse("reporting:export", args=["regional", "breakdown", "csv"])
    assert_refused(
        client,
        lead,
        f"{export}?region={world.region_b.pk}",
        must_not_contain=["Mission locale de Lyon"],
    )
    assert_refused(client, advisor, reverse("reporting:export", args=["national", "kpis", "csv"]))


def test_htmx_filter_answers_the_fragment(client, national):
    client.force_login(national)
    response = client.get(url("national", year=2024), headers={"HX-Request": "true"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "<html" not in body
    assert "Chiffres clés" in body
    assert "2024" in body


def test_a_period_without_data_says_so(client, national):
    client.force_login(national)
    response = client.get(url("national", year=2006, month=3))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Aucune donnée pour cette période" in body


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"year": "deux mille"}, "Saisissez une année, par exemple 2026."),
        ({"year": "1999"}, "Les chiffres commencent en 2006"),
        ({"year": "2999"}, "Cette année n&#x27;est pas encore commencée"),
        ({"year": "2025", "month": "13"}, "Sélectionnez un choix valide"),
    ],
)
def test_bad_filters_are_refused_next_to_the_field(client, national, params, message):
    client.force_login(national)
    response = client.get(url("national", **params))
    assert response.status_code == 200
    body = response.content.decode()
    assert message in body
    assert "invalid-feedback" in body
    # what was typed is kept
    assert f'value="{params["year"]}"' in body


@pytest.mark.parametrize(
    ("today", "year", "month"),
    [(datetime.date(2026, 3, 15), 2026, 4), (datetime.date(2026, 12, 5), 2026, 12)],
    ids=["next-month", "december-itself-is-fine"],
)
def test_future_month_is_refused(client, national, today, year, month):
    """The clock is frozen: the rule is the same whatever month the suite runs in."""
    client.force_login(national)
    with time_machine.travel(datetime.datetime(today.year, today.month, today.day, 12), tick=False):
        response = client.get(url("national", year=year, month=month))
    body = response.content.decode()
    if month > today.month:
        assert "Ce mois n&#x27;est pas encore commencé." in body
    else:
        assert response.status_code == 200
        assert "pas encore commencé" not in body


def test_csv_export_keeps_the_mask(client, national):
    client.force_login(national)
    response = client.get(
        reverse("reporting:export", args=["national", "breakdown", "csv"]) + "?year=2025"
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0] == ["Région", "Jeunes inscrits", "Embauches", "Emplois stabilisés"]
    assert ["Provence-Alpes-Côte d'Azur", "< 5", "< 5", "< 5"] in rows


def test_xlsx_export_of_the_regional_funnel(client, lead):
    client.force_login(lead)
    response = client.get(
        reverse("reporting:export", args=["regional", "funnel", "xlsx"]) + "?year=2025"
    )
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[1][0] == "Étape"
    assert ["Information", 3, 1] in [row[:3] for row in values]


@pytest.mark.parametrize(("table", "fmt"), [("nothing", "csv"), ("kpis", "pdf")])
def test_unknown_export_is_404(client, national, table, fmt):
    client.force_login(national)
    response = client.get(reverse("reporting:export", args=["national", table, fmt]))
    assert response.status_code == 404


def _grow(world, count):
    for index in range(count):
        youth = YouthFactory(
            mission_locale=world.ml1 if index % 2 else world.ml3,
            registered_on=datetime.date(2025, 1 + index % 12, 3),
        )
        walk(youth, (S.INFORMATION, youth.registered_on), (S.HIRED, youth.registered_on))


def test_dashboard_queries_do_not_grow_with_rows(
    client, national, lead, world, django_assert_max_num_queries
):
    OrganisationFactory(mission_locale=True, region=world.region_a, name="Mission locale d'Arles")
    counts = {}
    for size in (3, 30):
        _grow(world, size)
        for user, kind in ((national, "national"), (lead, "regional")):
            client.force_login(user)
            cache.clear()
            from django.db import connection
            from django.test.utils import CaptureQueriesContext

            with CaptureQueriesContext(connection) as captured:
                assert client.get(url(kind, year=2025)).status_code == 200
            counts[(kind, size)] = len(captured)
    assert counts[("national", 3)] == counts[("national", 30)]
    assert counts[("regional", 3)] == counts[("regional", 30)]
    with django_assert_max_num_queries(60):
        cache.clear()
        client.get(url("regional", year=2025))


def test_cached_dashboard_needs_few_queries(client, national, django_assert_max_num_queries):
    client.force_login(national)
    client.get(url("national", year=2025))
    # The session, the user, the user's scope, the regions to filter by.
    with django_assert_max_num_queries(4):
        client.get(url("national", year=2025))


def test_charts_are_deterministic_svg():
    kwargs = {"labels": ["a", "b"], "values": [3, 7], "shown": ["3", "7"], "title": "Test"}
    first = charts.funnel_chart(**kwargs)
    second = charts.funnel_chart(**kwargs)
    assert first == second
    assert charts.draw("funnel", kwargs) == first
    assert cache.get(charts.cache_key("funnel", kwargs)) == first
    assert first.lstrip().startswith("<?xml")
    assert "<dc:date>" not in first
    empty = charts.funnel_chart(labels=["a"], values=[0], shown=["0"], title="Vide")
    assert "Aucune donnée pour cette période" in empty


def test_warming_job_fills_the_national_dashboards_cache(
    world, client, national, django_assert_max_num_queries
):
    from reporting.tasks import warm_national_dashboard

    today = datetime.date.today()
    result = warm_national_dashboard()
    assert result == {"warmed": [str(today.year), f"{today.year}-{today.month:02d}"]}
    # the charts are drawn too: their images are served from the cache
    from reporting import dashboard
    from reporting.periods import Period
    from reporting.scopes import national_population

    tables = dashboard.build(national_population(), Period(today.year), masked=True)
    drawn = [t for t in tables if t.has_chart]
    assert len(drawn) == 4
    assert all(cache.get(charts.cache_key(t.chart_kind, t.chart_data)) for t in drawn)
    client.force_login(national)
    with django_assert_max_num_queries(4):
        assert client.get(url("national")).status_code == 200


def test_warming_overwrites_the_cached_figures_without_a_gap(world):
    """The job never deletes the entry before recomputing it: meanwhile the requests are
    served the previous figures."""
    from unittest import mock

    from reporting import dashboard
    from reporting.periods import Period
    from reporting.scopes import national_population
    from reporting.tasks import warm_national_dashboard

    year = Period(datetime.date.today().year)
    key = dashboard.cache_key(national_population(), year, masked=True)
    cache.set(key, ["stale"], 60)
    assert dashboard.build(national_population(), year, masked=True) == ["stale"]
    with mock.patch(
        "django.core.cache.backends.locmem.LocMemCache.delete",
        side_effect=AssertionError("the cached figures were deleted"),
    ):
        warm_national_dashboard()
    fresh = cache.get(key)
    assert fresh != ["stale"] and [t.key for t in fresh][:3] == ["kpis", "funnel", "hires"]
    assert dashboard.build(national_population(), year, masked=True) == fresh
    # refresh recomputes whatever the cache holds, and stores what it computed
    cache.set(key, ["stale"], 60)
    refreshed = dashboard.build(national_population(), year, masked=True, refresh=True)
    assert refreshed != ["stale"] and cache.get(key) == refreshed


def test_a_cold_dashboard_reads_the_hires_target_once(world):
    """The key figures (the period's target) and the monthly hires (the monthly target)
    share one read of the year's target: the same figures as hires_target's own."""
    from unittest import mock

    from reporting import dashboard
    from reporting import indicators as ind
    from reporting.periods import Period
    from reporting.scopes import Population

    scope = Population(region_id=world.region_a.pk, label="Provence-Alpes-Côte d'Azur")
    for period, period_target in ((Period(2025, 3), 10), (Period(2025), 120)):
        cache.clear()
        with mock.patch.object(ind, "hires_target", wraps=ind.hires_target) as read:
            tables = {t.key: t for t in dashboard.build(scope, period, masked=False)}
        assert read.call_count == 1
        assert tables["kpis"].row("target")[1] == period_target
        assert period_target == ind.hires_target(scope=scope, period=period)
        assert {row[3] for row in tables["hires"].rows} == {10}
        assert tables["hires"].chart_data["target"] == 10


def test_small_counts_are_masked_alike_in_cells_and_charts(world):
    from reporting import dashboard
    from reporting.periods import Period
    from reporting.scopes import national_population
    from reporting.tables import MASKED, count_cell, is_small

    assert [is_small(v) for v in (0, 1, 4, 5)] == [False, True, True, False]
    assert [count_cell(v, masked=True) for v in (0, 1, 4, 5, 12)] == [0, MASKED, MASKED, 5, 12]
    # the world's 2025 counts are all small: drawn as zeros nationally, as they are otherwise
    masked = {t.key: t for t in dashboard.build(national_population(), Period(2025), masked=True)}
    cache.clear()
    shown = {t.key: t for t in dashboard.build(national_population(), Period(2025), masked=False)}
    for key in ("funnel", "hires"):
        assert not any(masked[key].chart_data["values"])
        assert shown[key].chart_data["values"] == [row[1] for row in shown[key].rows]
        assert any(shown[key].chart_data["values"])
    assert MASKED in masked["hires"].chart_data["shown"]


def test_key_figures_include_the_action_plan_progress(client, lead):
    client.force_login(lead)
    body = client.get(url("regional", year=2025)).content.decode()
    assert "Avancement du plan d&#x27;action (2025)" in body
    assert "66,7 %" in body


def _text_boxes(svg):
    """(text, left, right, y) of every horizontal text of a chart, in the SVG's units
    (points), from its anchor and its width in the charts' font; turned texts are left
    out. The SVG must parse as XML."""
    boxes = []
    root = ElementTree.fromstring(svg.encode())  # noqa: S314 (the portal's own drawing)
    for node in root.iter(f"{{{SVG}}}text"):
        if node.get("transform"):
            continue
        size, x, y = (float(node.get(name)) for name in ("font-size", "x", "y"))
        width = text_width(node.text, size)
        left = {"start": x, "middle": x - width / 2, "end": x - width}[node.get("text-anchor")]
        boxes.append((node.text, left, left + width, y))
    return boxes


@pytest.mark.parametrize(
    ("kind", "data"),
    [
        (
            "funnel",
            {
                "labels": ["Information", "Découverte des métiers", "Formation / alternance"],
                "values": [48213, 30977, 0],
                "shown": ["48213", "30977", "< 5"],
                "title": "Entrées dans chaque étape · décembre 2025",
            },
        ),
        (
            "offers",
            {
                "labels": ["janv.", "févr.", "déc."],
                "registered": [120500, 98000, 1],
                "filled": [100000, 5, 0],
                "title": "Offres : postes offerts et pourvus · 2025",
            },
        ),
    ],
)
def test_chart_texts_stay_inside_the_image(kind, data):
    """Margins from measured label widths: no label may fall outside
    the image, however long the stage names or large the numbers."""
    svg = charts.draw(kind, data)
    width, height = (float(v) for v in re.search(r'viewBox="0 0 ([\d.]+) ([\d.]+)"', svg).groups())
    boxes = _text_boxes(svg)
    assert len(boxes) >= len(data["labels"])
    for text, left, right, y in boxes:
        assert left >= 0 and right <= width, (text, left, right, width)
        assert 0 < y <= height, (text, y, height)
    # the drawn texts include every label and every shown value
    texts = {box[0] for box in boxes}
    assert set(data["labels"]) <= texts
    assert set(data.get("shown", [])) <= texts


@pytest.mark.parametrize(
    ("kind", "data"),
    [
        (
            "funnel",
            {"labels": ["Information", "Embauche"], "values": [0, 2], "shown": ["< 5", "2"]},
        ),
        (
            "funnel",
            {"labels": ["Information", "Embauche"], "values": [0, 0], "shown": ["< 5", "0"]},
        ),
        (
            "hires",
            {"labels": ["janv.", "févr."], "values": [1, 0], "shown": ["1", "0"], "target": None},
        ),
        ("offers", {"labels": ["janv.", "févr."], "registered": [1, 2], "filled": [0, 1]}),
        ("occupancy", {"labels": ["janv.", "févr."], "values": [1, 2], "capacity": 3}),
    ],
)
def test_count_axes_have_whole_number_ticks(kind, data):
    """Small counts (a regional month, a masked national one) are people and positions:
    an axis graduated 0.2, 0.4… would read as fractions of a youth."""
    svg = charts.draw(kind, {**data, "title": "Petits effectifs"})
    numbers = [text for text, *_box in _text_boxes(svg) if re.fullmatch(r"[\d.,−-]+", text)]
    assert numbers, "the count axis has tick labels"
    assert all(re.fullmatch(r"\d+", number) for number in numbers), numbers


def _body(response) -> str:
    """The dashboard's figures: the page's `#dashboard-body`, or the htmx fragment."""
    html = response.content.decode()
    start = html.find('<div id="dashboard-body">')
    return html[start:] if start >= 0 else html


def test_the_drawn_figures_are_cached_with_their_tables_and_follow_each_computation(
    client, lead, world
):
    """The body of the page is drawn once per computation of its tables: the next
    request is served the same HTML without drawing it, and new figures (a refresh by
    the warming job, or an expired entry) are drawn anew, never hidden by the old body."""
    from unittest import mock

    from reporting import dashboard
    from reporting.periods import Period
    from reporting.scopes import region_population

    client.force_login(lead)
    first = _body(client.get(url("regional", year=2025)))
    with mock.patch("reporting.views.render_to_string", side_effect=AssertionError("drawn again")):
        assert _body(client.get(url("regional", year=2025))) == first
        # the htmx swap of the same filters is served the same figures
        swapped = client.get(url("regional", year=2025), headers={"HX-Request": "true"})
        assert swapped.content.decode().strip() in first
    # another query string has its own export links, so its own body
    other = _body(client.get(url("regional", year=2025, region=world.region_a.pk)))
    assert f"region={world.region_a.pk}" in other and f"region={world.region_a.pk}" not in first

    registered = re.search(r"Mission locale de Marseille</th><td[^>]*>(\d+)</td>", first)
    for _ in range(3):
        YouthFactory(mission_locale=world.ml1, registered_on=datetime.date(2025, 3, 3))
    dashboard.build(region_population(world.region_a), Period(2025), masked=False, refresh=True)
    after = _body(client.get(url("regional", year=2025)))
    now = re.search(r"Mission locale de Marseille</th><td[^>]*>(\d+)</td>", after)
    assert int(now.group(1)) == int(registered.group(1)) + 3


def test_the_cached_body_follows_the_language(client, lead, world):
    client.force_login(lead)
    french = _body(client.get(url("regional", year=2025)))
    english = _body(client.get(url("regional", year=2025), headers={"Accept-Language": "en"}))
    assert "Chiffres clés" in french
    assert "Chiffres clés" not in english and "Key figures" in english


def test_two_leads_of_two_regions_never_share_a_cached_body(client, lead, world):
    """The same address (no region in it: each lead's own region is taken) names two
    different sets of figures: each lead gets the body drawn from their own tables."""
    other = make_member(Role.PROJECT_LEAD, region=world.region_b)
    client.force_login(lead)
    first = _body(client.get(url("regional", year=2025)))
    client.force_login(other)
    second = _body(client.get(url("regional", year=2025)))
    # The breakdown's rows (the footer names the convention's signatories, Marseille too).
    marseille, lyon = "Mission locale de Marseille</th>", "Mission locale de Lyon</th>"
    assert marseille in first and lyon not in first
    assert lyon in second and marseille not in second
