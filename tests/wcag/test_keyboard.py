"""Keyboard-only paths: after each htmx swap the focus lands on a sensible element (not
on <body>) and the page's live region says what happened in one sentence; a form sent
with errors puts the focus on its error summary, whose links lead to the fields."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from accounts.enums import Role
from committees.enums import ActionItemStatus
from committees.models import ActionItem
from tests.accounts.factories import OrganisationFactory, RegionFactory, make_member
from tests.candidates.factories import YouthFactory
from tests.committees.factories import ActionItemFactory, CommitteeMemberFactory
from tests.conftest import ARTIFACTS

from .axe import session_cookie

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _active(page) -> dict:
    return page.evaluate(
        "({id: document.activeElement.id, tag: document.activeElement.tagName,"
        " text: document.activeElement.textContent.trim(),"
        " summary: document.activeElement.hasAttribute('data-error-summary')})"
    )


@pytest.fixture
def mission_locale():
    region = RegionFactory(paca=True)
    return OrganisationFactory(
        mission_locale=True, region=region, name="Mission locale de Marseille"
    )


@pytest.fixture
def advisor(mission_locale):
    return make_member(Role.ADVISOR, organisation=mission_locale, first_name="Camille")


@pytest.fixture
def signed_in(browser_page):
    def sign(user):
        browser_page.context.add_cookies([session_cookie(browser_page.live_server_url, user)])
        return browser_page

    return sign


def test_youth_list_pagination_keeps_the_focus_and_says_which_page(
    signed_in, advisor, mission_locale
):
    for n in range(30):
        YouthFactory(mission_locale=mission_locale, advisor=advisor, last_name=f"Nom{n:02d}")
    page = signed_in(advisor)
    page.goto(page.live_server_url + reverse("candidates:youth_list"))
    page.get_by_role("link", name="Suivante").focus()
    page.keyboard.press("Enter")
    heading = page.locator("#youth-results-heading")
    expect(heading).to_contain_text("page 2 sur 2")
    expect(page.locator("#portal-announcer")).to_have_text("30 jeunes affichés, page 2 sur 2")
    assert _active(page)["id"] == "youth-results-heading"
    # The swapped list is not itself a live region: only the short sentence is read.
    assert page.locator("#youth-results").get_attribute("aria-live") is None
    # The next Tab goes on from the heading into the new page's content.
    page.keyboard.press("Tab")
    assert _active(page)["tag"] == "A"
    page.screenshot(path=str(ARTIFACTS / "a11y-keyboard-pagination.png"))


def test_next_month_in_the_calendar_keeps_the_focus_on_the_button(signed_in, advisor):
    page = signed_in(advisor)
    page.goto(page.live_server_url + reverse("immersion:session_calendar"))
    month = page.locator("#calendar-month").inner_text()
    page.get_by_role("link", name="Mois suivant").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#calendar-month")).not_to_have_text(month)
    assert _active(page)["id"] == "calendar-next"
    following = timezone.localdate().replace(day=1) + datetime.timedelta(days=32)
    expect(page.locator("#portal-announcer")).to_contain_text(str(following.year))
    expect(page.locator("#portal-announcer")).to_contain_text("0 session")
    # Pressed again, the same key goes one more month on.
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(rf"mois={following.month % 12 + 1}(&|$)"))
    assert _active(page)["id"] == "calendar-next"


def test_a_committee_action_button_leaves_the_focus_in_the_updated_row(signed_in, advisor):
    item = ActionItemFactory(owner=advisor, title="Relancer les entreprises")
    CommitteeMemberFactory(committee=item.committee, user=advisor)
    page = signed_in(advisor)
    page.goto(page.live_server_url + reverse("committees:my_action_items"))
    page.get_by_role("button", name="Commencer : Relancer les entreprises").focus()
    page.keyboard.press("Enter")
    row = page.locator(f"#action-{item.pk}")
    expect(row).to_contain_text("En cours")
    expect(page.locator("#portal-announcer")).to_have_text(
        "Action « Relancer les entreprises » : En cours"
    )
    active = _active(page)
    assert active["tag"] == "BUTTON"
    assert active["text"].startswith("Marquer terminée")
    assert page.evaluate(
        f"document.getElementById('action-{item.pk}').contains(document.activeElement)"
    )
    item.refresh_from_db()
    assert item.status == ActionItemStatus.IN_PROGRESS
    assert ActionItem.objects.count() == 1


def test_a_form_sent_with_errors_puts_the_focus_on_its_summary(signed_in, advisor):
    page = signed_in(advisor)
    page.goto(page.live_server_url + reverse("candidates:youth_create"))
    page.get_by_role("button", name="Enregistrer").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert _active(page)["summary"]
    assert page.title().startswith("Erreur : ")
    page.screenshot(path=str(ARTIFACTS / "a11y-form-error-summary.png"))
    # The summary's first link takes the keyboard to the field in error.
    page.keyboard.press("Tab")
    first = _active(page)
    assert first["tag"] == "A" and first["text"].startswith("Prénom")
    page.keyboard.press("Enter")
    assert _active(page)["id"] == "id_first_name"
