"""The charts as SVG drawn from a template: one shape per value, whole-number ticks, the
twelve months, the text alternative in the image and beside it, well-formed XML whatever
the labels, and the font widths the layout measures with."""

from __future__ import annotations

import io
import re
from pathlib import Path
from xml.etree import ElementTree

import pytest
from django.urls import reverse
from pypdf import PdfReader

from accounts.enums import Role
from reporting import charts
from reporting.chart_font import WIDTHS, text_width
from tests.accounts.factories import make_member
from tests.conftest import skip_or_fail
from tests.payloads import ALL

SVG = "{http://www.w3.org/2000/svg}"
DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
MONTHS = ["janv.", "févr.", "mars", "avr.", "mai", "juin"]
MONTHS += ["juil.", "août", "sept.", "oct.", "nov.", "déc."]
STAGES = ["Information", "Découverte des métiers", "Immersion", "Embauche", "Sortie"]

HIRES = {
    "labels": MONTHS,
    "values": [6, 7, 9, 0, 8, 7, 4, 2, 9, 10, 8, 7],
    "shown": ["6", "7", "9", "< 5", "8", "7", "4", "2", "9", "10", "8", "7"],
    "target": 8.3,
    "previous": [5, 6, 7, 6, 8, 6, 3, 2, 9, 9, 8, 7],
    "title": "Embauches par mois · 2025",
}
FUNNEL = {
    "labels": STAGES,
    "values": [480, 309, 120, 0, 9],
    "shown": ["480", "309", "120", "< 5", "9"],
    "title": "Entrées dans chaque étape · 2025",
}
OFFERS = {
    "labels": MONTHS,
    "registered": [12, 9, 14, 11, 13, 12, 8, 4, 15, 16, 14, 12],
    "filled": [8, 6, 9, 7, 9, 8, 5, 1, 10, 11, 9, 8],
    "title": "Offres : postes offerts et pourvus · 2025",
}
OCCUPANCY = {
    "labels": MONTHS,
    "values": [12, 18, 25, 31, 36, 40, 41, 38, 44, 47, 49, 46],
    "capacity": 50,
    "title": "Plateforme d'immersion · 2025",
}


def parse(svg: str) -> ElementTree.Element:
    assert svg.startswith("<?xml")
    return ElementTree.fromstring(svg.encode())  # noqa: S314 (the portal's own drawing)


def group(root, name: str) -> list[ElementTree.Element]:
    [found] = [g for g in root.iter(f"{SVG}g") if g.get("class") == name]
    return list(found)


def texts(root) -> list[str]:
    return [node.text for node in root.iter(f"{SVG}text")]


def bar_heights(root) -> list[float]:
    """The heights of the bars standing on the axis (the legend's swatches excluded)."""
    bars = group(root, "bars")
    bottom = max(float(r.get("y")) + float(r.get("height")) for r in bars)
    return [
        float(r.get("height"))
        for r in bars
        if abs(float(r.get("y")) + float(r.get("height")) - bottom) < 0.02
    ]


def test_hires_draw_a_bar_a_point_and_a_label_per_month():
    root = parse(charts.hires_chart(**HIRES))
    heights = bar_heights(root)
    assert len(heights) == 12
    # heights in proportion to the hires: 10 hires stand five times as tall as 2
    scale = heights[9] / 10
    assert heights == pytest.approx([v * scale for v in HIRES["values"]], abs=0.02)
    # the previous year: twelve dots on a line, plus the legend's
    assert len(group(root, "markers")) == 12 + 1
    lines = group(root, "lines")
    dashed = [line for line in lines if line.get("stroke-dasharray")]
    assert len(dashed) == 2  # the monthly target and its legend
    drawn = texts(root)
    assert drawn[drawn.index("janv.") : drawn.index("déc.") + 1] == MONTHS
    assert "< 5" in drawn and "Objectif mensuel (8)" in drawn and "Année précédente" in drawn


def test_funnel_draws_one_bar_per_stage_first_stage_on_top():
    root = parse(charts.funnel_chart(**FUNNEL))
    bars = group(root, "bars")
    assert len(bars) == len(STAGES)
    widths = [float(bar.get("width")) for bar in bars]
    assert widths[1] / widths[0] == pytest.approx(309 / 480, abs=0.01)
    assert widths[3] == 0  # the masked count is drawn at zero, labelled "< 5"
    tops = [float(bar.get("y")) for bar in bars]
    assert tops == sorted(tops)  # Information first, at the top
    assert set(STAGES) | {"< 5", "Jeunes"} <= set(texts(root))


def test_offers_draw_two_bars_a_month_the_filled_ones_hatched():
    root = parse(charts.offers_chart(**OFFERS))
    heights = bar_heights(root)
    assert len(heights) == 24
    hatched = [r for r in group(root, "bars") if r.get("fill") == "url(#hatch)"]
    assert len(hatched) == 12 + 1  # the filled positions and their legend
    assert root.find(f"{SVG}defs/{SVG}pattern[@id='hatch']") is not None


def test_occupancy_draws_a_point_per_month_and_the_capacity():
    root = parse(charts.occupancy_chart(**OCCUPANCY))
    assert group(root, "bars") == []
    assert len(group(root, "markers")) == 12 + 1
    polylines = group(root, "lines")
    [members] = [p for p in polylines if len(p.get("points").split()) == 12]
    ys = [float(point.split(",")[1]) for point in members.get("points").split()]
    # higher on the page for more members: 49 in November is the highest point
    assert ys.index(min(ys)) == OCCUPANCY["values"].index(49)
    assert "Capacité (50 contrats)" in texts(root)


@pytest.mark.parametrize(
    ("kind", "data"),
    [("funnel", FUNNEL), ("hires", HIRES), ("offers", OFFERS), ("occupancy", OCCUPANCY)],
)
def test_each_chart_carries_its_text_alternative(kind, data):
    """An accessible name (the title) and a description holding every value, masked
    counts as they are shown: the image says what its table says."""
    root = parse(charts.draw(kind, data))
    assert root.get("role") == "img"
    title = root.find(f"{SVG}title")
    description = root.find(f"{SVG}desc")
    assert root.get("aria-labelledby").split() == [title.get("id"), description.get("id")]
    assert title.text == data["title"]
    values = data.get("shown") or data.get("values") or data["registered"]
    for label, value in zip(data["labels"], values, strict=True):
        assert f"{label} {value}" in description.text
    for label, value in zip(data["labels"], data.get("filled", []), strict=False):
        assert f"{label} {value}" in description.text


def test_an_empty_chart_says_so_in_its_text_and_its_description():
    root = parse(
        charts.offers_chart(labels=MONTHS, registered=[0] * 12, filled=[0] * 12, title="x")
    )
    assert texts(root) == ["Aucune donnée pour cette période"]
    assert root.find(f"{SVG}desc").text == "Aucune donnée pour cette période"


def test_any_text_in_a_chart_stays_text():
    """Labels reach the SVG through the template's escaping: whatever they hold, the
    image parses and shows them as they were."""
    for payload in ALL:
        text = payload.text.replace("\x00", "")
        labels = [text, "b"]
        svg = charts.funnel_chart(labels=labels, values=[3, 4], shown=["3", "4"], title=text)
        root = parse(svg)
        # (an XML parser reads a carriage return as a line feed)
        expected = text.replace("\r\n", "\n").replace("\r", "\n") or None
        assert root.find(f"{SVG}title").text == expected
        assert "<script" not in svg


@pytest.mark.parametrize(
    ("top", "ticks"),
    [
        (2.35, [0, 1, 2]),
        (5, [0, 1, 2, 3, 4, 5]),
        (57.5, list(range(0, 55, 6))),
        (137.35, list(range(0, 136, 15))),
        (218.35, list(range(0, 201, 25))),
        (55000, list(range(0, 54001, 6000))),
        (61000, list(range(0, 56001, 8000))),
    ],
)
def test_count_ticks_are_whole_numbers_from_zero(top, ticks):
    assert charts.count_ticks(top) == ticks


def test_the_widths_measured_are_the_fonts():
    """The layout measures labels with a table of DejaVu Sans's advance widths: it must
    be the font WeasyPrint draws the text with."""
    if not DEJAVU.exists():
        skip_or_fail(f"{DEJAVU} is missing (Debian's fonts-dejavu-core)")
    from fontTools.ttLib import TTFont

    font = TTFont(DEJAVU)
    cmap, metrics = font.getBestCmap(), font["hmtx"]
    assert font["head"].unitsPerEm == 2048
    assert {char: metrics[cmap[ord(char)]][0] for char in WIDTHS} == WIDTHS
    assert text_width("Découverte des métiers", 9) == pytest.approx(108.18, abs=0.01)


@pytest.mark.django_db
def test_dashboard_charts_have_an_alternative_and_their_table_next(client, world):
    """Each chart says where its figures are: the table folded right under it, under
    "Voir les données" (opened from the keyboard), in a labelled, focusable box."""
    client.force_login(make_member(Role.NATIONAL))
    body = client.get(reverse("reporting:dashboard", args=["national"]) + "?year=2025")
    html = body.content.decode()
    images = re.findall(
        r'<img class="img-fluid chart"[^>]*alt="([^"]+)">\s*(?:<p[^>]*>[^<]*</p>\s*)?'
        r'<details class="dashboard-data[^"]*">\s*<summary>Voir les données'
        r'<span class="visually-hidden"> · ([^<]+)</span></summary>\s*'
        r'<div class="table-responsive" tabindex="0" role="region" aria-label="([^"]+)"',
        html,
    )
    assert len(images) == 4
    for alt, summary, region in images:
        title = region.removeprefix("Données : ")
        assert summary == title
        assert alt == (
            f"Graphique : {title}. Les chiffres sont dans le tableau « Voir les données » qui suit."
        )


@pytest.mark.django_db
def test_the_review_pdf_draws_the_charts_text(world):
    """WeasyPrint renders the charts' SVG: their titles and axis labels, which only the
    charts hold, are text in the PDF."""
    from reporting import services
    from reporting.review import render_review_pdf_bytes

    review = services.get_or_create_review(year=2025, region=world.region_a)
    pdf = render_review_pdf_bytes(review)
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "Entrées dans chaque étape · 2025" in text
    assert "Embauches par mois · 2025" in text
