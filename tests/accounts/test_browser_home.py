"""An advisor signs in through the real login page in headless Chromium."""

import pytest

from accounts.enums import Role
from tests.accounts.factories import (
    DEFAULT_PASSWORD,
    OrganisationFactory,
    RegionFactory,
    make_member,
)
from tests.conftest import ARTIFACTS
from tests.helpers import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_advisor_signs_in_and_sees_the_french_home_page(browser_page):
    region = RegionFactory(paca=True)
    ml = OrganisationFactory(mission_locale=True, region=region, name="Mission locale de Marseille")
    advisor = make_member(Role.ADVISOR, organisation=ml, first_name="Camille")
    page = browser_page
    sign_in(page, advisor.email, DEFAULT_PASSWORD)
    page.wait_for_url(f"{page.live_server_url}/")
    assert page.locator("html").get_attribute("lang") == "fr"
    assert page.get_by_role("heading", level=1).inner_text() == "Bonjour Camille"
    assert page.get_by_role("cell", name="Mission locale de Marseille").is_visible()
    assert page.get_by_role("cell", name="Conseiller").is_visible()
    assert page.get_by_text("Provence-Alpes-Côte d'Azur").is_visible()
    # Keyboard users reach the skip link first.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Aller au contenu"
    page.screenshot(path=str(ARTIFACTS / "advisor-home.png"), full_page=True)
