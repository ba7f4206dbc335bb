"""Each role's home page in headless Chromium, wide (1280 px) and on a phone (390 px),
kept as screenshots in test-artifacts/ to be looked at; and the phone's "Menu" button
used with the keyboard only (the disclosure pattern)."""

from __future__ import annotations

import re

import pytest
import time_machine
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from accounts.enums import Role
from tests.accounts.factories import make_member
from tests.accounts.home_scenes import WEDNESDAY, build_scene
from tests.conftest import ARTIFACTS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = {"desktop": 1280, "phone": 390}


def open_as(page, user, path: str = "/") -> None:
    """Open `path` signed in as `user`: the session of a complete sign-in (the test
    client's, second factor included) handed to the browser as its cookie."""
    client = Client()
    client.force_login(user)
    page.context.clear_cookies()
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": page.live_server_url,
            }
        ]
    )
    page.goto(f"{page.live_server_url}{path}")


def test_each_roles_home_at_desktop_and_phone_width(browser_page):
    page = browser_page
    with time_machine.travel(WEDNESDAY, tick=True):
        scene = build_scene(2)
        people = {
            "advisor": scene.home.advisor,
            "manager": scene.home.manager,
            "recruiter": scene.home.recruiter,
            "lead": scene.home.lead,
            "national": scene.national,
        }
        for role, user in people.items():
            for name, width in WIDTHS.items():
                page.set_viewport_size({"width": width, "height": 900})
                open_as(page, user)
                assert page.get_by_role("heading", name="Aujourd'hui").is_visible()
                menu_button = page.get_by_role("button", name="Menu")
                assert menu_button.is_visible() == (name == "phone")
                # Nothing wider than the screen: no sideways scrolling on a phone.
                assert page.evaluate("document.documentElement.scrollWidth") <= width
                page.screenshot(path=str(ARTIFACTS / f"home-{role}-{width}.png"), full_page=True)


def test_the_menu_button_opens_the_navigation_with_the_keyboard(browser_page):
    page = browser_page
    page.set_viewport_size({"width": 390, "height": 800})
    open_as(page, make_member(Role.ADVISOR), "/jeunes/")
    button = page.get_by_role("button", name="Menu")
    menu = page.locator("#portal-menu")
    assert button.get_attribute("aria-expanded") == "false"
    assert not menu.is_visible()
    button.focus()
    page.keyboard.press("Enter")
    expect(button).to_have_attribute("aria-expanded", "true")
    expect(menu).to_be_visible()
    expect(menu).to_have_class(re.compile(r"\bshow\b"))  # the opening transition is over
    page.screenshot(path=str(ARTIFACTS / "menu-open-390.png"))
    # The list follows the button: the next Tab lands on its first link.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('#portal-menu') !== null")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Accueil"
    # The current section says so to screen readers; Enter again folds the menu.
    assert menu.locator('[aria-current="true"]').inner_text().startswith("Jeunes")
    button.focus()
    page.keyboard.press("Enter")
    expect(button).to_have_attribute("aria-expanded", "false")
    expect(menu).to_be_hidden()
    # Wide, both rows show without a button: the sections, then "Jeunes"'s pages.
    page.set_viewport_size({"width": 1280, "height": 800})
    expect(button).to_be_hidden()
    expect(menu.get_by_role("link", name="Jeunes", exact=True).first).to_be_visible()
    page.screenshot(path=str(ARTIFACTS / "navigation-youths-1280.png"))
