"""The dashboard in the browser at 1280, 390 and 320 px: the key-figure tiles come
first, a chart's data opens from the keyboard under "Voir les données", and nothing
makes the page wider than a 320 px screen."""

from __future__ import annotations

import pytest

from accounts.enums import Role
from tests.accounts.factories import enrol_totp, make_member

from .test_browser import _shot, _sign_in_with_totp

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_key_figures_and_folded_data_from_desktop_to_a_small_phone(browser_page, world):
    lead = make_member(Role.PROJECT_LEAD, region=world.region_a, totp=False)
    secret = enrol_totp(lead)
    page = browser_page
    _sign_in_with_totp(page, lead, secret)
    page.goto(f"{page.live_server_url}/indicateurs/tableau/regional/?year=2025")
    tiles = page.locator(".key-figure")
    assert tiles.count() == 6
    assert tiles.first.locator(".key-figure-label").inner_text() == "Embauches"
    assert "En hausse : +1 par rapport à 2024" in tiles.first.inner_text()
    _shot(page, "key-figures-1280")

    # A chart's data opens from the keyboard.
    summary = page.locator("summary", has_text="Voir les données").first
    table = page.locator("details.dashboard-data").nth(1).locator("table")
    assert not table.is_visible()
    summary.focus()
    page.keyboard.press("Enter")
    assert table.is_visible()
    assert page.evaluate("document.activeElement.tagName") == "SUMMARY"

    for width in (390, 320):
        page.set_viewport_size({"width": width, "height": 800})
        page.wait_for_timeout(100)
        # no horizontal scrolling of the page: wide tables scroll in their own box
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        box = tiles.first.bounding_box()
        assert box["width"] <= width
        _shot(page, f"key-figures-{width}")
