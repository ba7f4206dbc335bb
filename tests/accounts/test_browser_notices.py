"""The information notices and the consent pages in a real browser, with the keyboard
only: a visitor reaches the notices from the footer, an advisor records a consent with
its proof without touching the mouse."""

from __future__ import annotations

import pytest

from accounts.enums import NoticePurpose, Role
from accounts.models import InformationNotice
from candidates.enums import ConsentAction, ConsentMethod
from tests.accounts.factories import DEFAULT_PASSWORD, make_member
from tests.candidates.factories import YouthFactory
from tests.conftest import ARTIFACTS
from tests.helpers import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def tab_to(page, name: str, limit: int = 60) -> None:
    """Press Tab until the focused element's accessible text is `name` (the way a
    keyboard user gets there), failing if it never comes."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate(
            "() => (document.activeElement.innerText || document.activeElement.value || '')"
        )
        if focused.strip().startswith(name):
            return
    raise AssertionError(f"{name!r} is not reachable with the Tab key")


def test_a_visitor_reaches_the_notices_from_the_footer_with_the_keyboard(browser_page):
    page = browser_page
    page.goto(f"{page.live_server_url}/connexion/login/")
    tab_to(page, "Données personnelles : mentions d'information")
    page.keyboard.press("Enter")
    page.get_by_role(
        "heading", level=1, name="Données personnelles : mentions d'information"
    ).wait_for()
    tab_to(page, "Partage de votre profil avec les entreprises")
    page.keyboard.press("Enter")
    page.get_by_role(
        "heading", level=1, name="Partage de votre profil avec les entreprises"
    ).wait_for()
    # The sections of the text are headings a screen reader lists.
    assert page.get_by_role("heading", level=2, name="Ce que voient les entreprises").count() == 1
    page.screenshot(path=str(ARTIFACTS / "notices-sharing.png"), full_page=True)


def test_an_advisor_records_a_consent_with_the_keyboard_only(browser_page):
    advisor = make_member(Role.ADVISOR, first_name="Camille", last_name="Roche")
    youth = YouthFactory(
        mission_locale=advisor.memberships.get().organisation,
        advisor=advisor,
        first_name="Inès",
        last_name="Barbier",
    )
    page = browser_page
    sign_in(page, advisor.email, DEFAULT_PASSWORD)
    page.wait_for_url(f"{page.live_server_url}/")
    page.goto(f"{page.live_server_url}/jeunes/{youth.pk}/")
    tab_to(page, "Enregistrer le consentement du jeune")
    page.keyboard.press("Enter")
    page.get_by_role("heading", level=1, name="Consentement au partage du profil").wait_for()
    tab_to(page, "Imprimer la mention")  # the notice to hand over is one Tab away
    # Into the radio group (its first choice), then the arrow key to the second one.
    tab_to(page, ConsentMethod.SIGNED_FORM)
    page.keyboard.press("ArrowDown")
    assert page.get_by_label("Par e-mail du jeune").is_checked()
    tab_to(page, "Enregistrer le consentement")
    page.keyboard.press("Enter")
    page.get_by_text("Consentement au partage du profil enregistré.").wait_for()
    record = youth.consent_records.get()
    notice = InformationNotice.objects.current_for(NoticePurpose.PROFILE_SHARING)
    assert (record.action, record.method, record.notice, record.recorded_by) == (
        ConsentAction.GIVEN,
        ConsentMethod.EMAIL,
        notice,
        advisor,
    )
    page.get_by_role("heading", name="Historique du consentement (preuves)").wait_for()
    page.screenshot(path=str(ARTIFACTS / "consent-recorded.png"), full_page=True)
