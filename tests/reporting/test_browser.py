"""The issue's browser test: a national user opens the national dashboard, changes the
period and downloads a CSV; the project lead writes a section of the annual review,
generates the PDF and downloads it."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from pypdf import PdfReader

from accounts.enums import Role
from tests.accounts.factories import DEFAULT_PASSWORD, enrol_totp, make_member, totp_code
from tests.conftest import ARTIFACTS
from tests.helpers import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _sign_in_with_totp(page, user, secret):
    sign_in(page, user.email, DEFAULT_PASSWORD)
    page.locator("input[name=code]").wait_for()
    page.locator("input[name=code]").fill(totp_code(secret))
    page.locator("input[name=code]").press("Enter")
    page.wait_for_url(f"{page.live_server_url}/")


def _charts_are_drawn(page):
    """Every chart image of the page has loaded (its own request) and has a size."""
    page.wait_for_function(
        "() => [...document.querySelectorAll('img.chart')]"
        ".every(img => img.complete && img.naturalWidth > 0)"
    )
    widths = page.locator("img.chart").evaluate_all("imgs => imgs.map(i => i.naturalWidth)")
    assert len(widths) == 4 and all(w > 300 for w in widths), widths
    # each chart's table shows whole: no box cuts off its last months
    clipped = page.locator("img.chart ~ [role=region]").evaluate_all(
        "boxes => boxes.filter(b => b.scrollHeight > b.clientHeight + 1).map(b => b.ariaLabel)"
    )
    assert clipped == [], clipped


def _shot(page, name):
    page.screenshot(path=str(ARTIFACTS / f"reporting-{name}.png"), full_page=True)


def test_national_dashboard_then_the_leads_annual_review(
    browser_page, world, settings, tmp_path, tasks_in_process
):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    national = make_member(Role.NATIONAL, totp=False, first_name="Claire", last_name="National")
    national_secret = enrol_totp(national)
    lead = make_member(Role.PROJECT_LEAD, region=world.region_a, totp=False)
    lead_secret = enrol_totp(lead)
    page = browser_page
    base = page.live_server_url

    # The national user opens the national dashboard from the navigation.
    _sign_in_with_totp(page, national, national_secret)
    page.get_by_role("link", name="Indicateurs").first.click()
    page.wait_for_url(f"{base}/indicateurs/tableau/national/")
    page.get_by_label("Année", exact=True).fill("2025")
    page.get_by_role("button", name="Afficher").click()
    page.wait_for_url("**year=2025**")
    page.get_by_text("France entière · 2025").wait_for()
    assert page.locator("img.chart").count() == 4
    _charts_are_drawn(page)
    assert page.get_by_text("Benali").count() == 0
    _shot(page, "national-2025")

    # Changing the period swaps the figures in place (htmx) and keeps the URL.
    page.get_by_label("Mois", exact=True).select_option(label="Mars")
    page.get_by_text("France entière · mars 2025").wait_for()
    assert "month=3" in page.url
    _charts_are_drawn(page)
    assert "month=3" in page.locator("img.chart").first.get_attribute("src")
    _shot(page, "national-march-2025")

    with page.expect_download() as download_info:
        page.get_by_role("link", name="CSV · Chiffres clés").click()
    download = download_info.value
    assert download.suggested_filename.endswith("-2025-03-kpis.csv")
    content = Path(download.path()).read_text(encoding="utf-8-sig")
    assert content.splitlines()[0] == "Indicateur;mars 2025;février 2025;Évolution"
    assert "Embauches;< 5;0;" in content

    page.get_by_role("button", name="Se déconnecter").click()

    # The project lead writes a section of the regional review and generates the PDF.
    _sign_in_with_totp(page, lead, lead_secret)
    page.get_by_role("link", name="Bilans annuels").first.click()
    page.get_by_role("link", name="Commencer Provence-Alpes-Côte d'Azur 2025").click()
    page.get_by_label(
        "Texte de la section : Modalités de la coopération mise en œuvre au niveau national et local"
    ).fill("Quatre réunions du comité technique régional, toutes tenues.")
    page.get_by_role(
        "button",
        name="Enregistrer la section Modalités de la coopération mise en œuvre au niveau national et local",
    ).click()
    page.get_by_text("La section est enregistrée.").wait_for()
    page.get_by_role("button", name="Générer le PDF").click()
    page.get_by_text("Prêt").wait_for()
    _shot(page, "review-generated")

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Télécharger v1").click()
    pdf = download_info.value
    assert pdf.suggested_filename == "bilan-2025-93-v1.pdf"
    text = "\n".join(
        p.extract_text() for p in PdfReader(io.BytesIO(Path(pdf.path()).read_bytes())).pages
    )
    assert "Bilan annuel 2025" in text
    assert "Quatre réunions du comité technique régional, toutes tenues." in text
    assert "Section non rédigée." in text
