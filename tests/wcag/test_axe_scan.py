"""The automated WCAG 2.1 A/AA scan: axe-core in the real Chromium over the main pages
of every role (home, navigation, details, forms, forms sent with errors) and the pages
before sign-in, at 1280 px and at 320 px wide. Any violation fails the test, with the
list of what failed where. Each role's home is kept as a screenshot in test-artifacts/.

Slow by nature (about 150 scans): one test seeds the demo once and walks everything."""

from __future__ import annotations

import time
from urllib.parse import urlsplit

import pytest
from django.urls import reverse

from accounts import seed as accounts_seed
from accounts.discovery import app_modules
from accounts.enums import Role
from accounts.permissions import requires_two_factor
from tests.accounts.factories import DEFAULT_PASSWORD, enrol_totp, make_member
from tests.conftest import ARTIFACTS
from tests.helpers import sign_in

from .axe import session_cookie, violations
from .pages import ROLES, Page, anonymous_pages, pages_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = (1280, 320)
MINIMUM_PAGES = 40


@pytest.fixture
def demo(settings, tmp_path, tasks_in_process):
    """The demo seed (`manage.py seed_demo`), its emails kept in memory."""
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    demo = accounts_seed.seed(password="mot-de-passe-de-la-demo-42")
    for module in app_modules("seed"):
        if module is not accounts_seed:
            module.seed(demo)
    # Project leads and national staff reach their pages once their second factor is
    # enrolled (the demo leaves it to them); the set-up pages are scanned by
    # test_totp_set_up_pages_pass_wcag_21_aa.
    for user in demo.users.values():
        if requires_two_factor(user):
            enrol_totp(user)
    return demo


def _sign_in_steps() -> set[str]:
    names = ("account_login", "account_reauthenticate", "mfa_activate_totp", "mfa_authenticate")
    return {reverse(name) for name in names}


def _scan(
    page, base: str, target: Page, failures: list[str], where: str, *, signed_in: bool
) -> None:
    response = page.goto(base + target.url)
    assert response.status == 200, f"{where} {target.url}: {response.status}"
    if signed_in:
        # A page may redirect (the dashboards' index to the user's own), never to a
        # sign-in step: that page would be scanned instead of the one meant.
        assert urlsplit(page.url).path not in _sign_in_steps(), f"{where} {target.url}: {page.url}"
    if target.with_errors:
        # Send the page's form empty, past the browser's own checks, to get the
        # server's answer with its errors.
        page.evaluate("document.querySelectorAll('main form').forEach(f => f.noValidate = true)")
        page.locator("main form[method=post] [type=submit]").last.click()
        page.wait_for_load_state()
        summary = page.locator("[data-error-summary]")
        assert summary.count() >= 1, f"{where} {target.label}: no error summary"
        assert page.evaluate("document.activeElement.hasAttribute('data-error-summary')"), (
            f"{where} {target.label}: the focus is not on the error summary"
        )
    failures += [f"{where} {target.label}: {line}" for line in violations(page)]


def test_every_role_main_pages_pass_wcag_21_aa_at_1280_and_320_px(browser_page, demo):
    base = browser_page.live_server_url
    browser = browser_page.context.browser
    failures: list[str] = []
    scanned: set[Page] = set()
    walks = [("anonymous", None, anonymous_pages())]
    walks += [(key, demo.users[key], pages_for(key, demo.users[key])) for key in ROLES]
    started = time.monotonic()
    for key, user, pages in walks:
        for width in WIDTHS:
            print(f"{time.monotonic() - started:.0f}s {key} @{width}px: {len(pages)} pages")
            context = browser.new_context(locale="fr-FR", viewport={"width": width, "height": 900})
            if user is not None:
                context.add_cookies([session_cookie(base, user)])
            page = context.new_page()
            page.set_default_timeout(30_000)
            for target in pages:
                _scan(page, base, target, failures, f"{key} @{width}px", signed_in=user is not None)
                scanned.add(target)
                if target.url == "/" and not target.with_errors:
                    page.screenshot(path=str(ARTIFACTS / f"a11y-home-{key}-{width}.png"))
            context.close()
    assert len(scanned) >= MINIMUM_PAGES, f"only {len(scanned)} pages scanned"
    assert not failures, f"{len(failures)} WCAG 2.1 A/AA violations:\n" + "\n".join(failures)


def test_totp_set_up_pages_pass_wcag_21_aa(browser_page):
    """The password check and the TOTP set-up, as a project lead meets them at their first
    sign-in, including a wrong code: at 1280 px then 320 px."""
    lead = make_member(Role.PROJECT_LEAD, totp=False)
    page = browser_page
    base = page.live_server_url
    failures: list[str] = []
    sign_in(page, lead.email, DEFAULT_PASSWORD)
    page.wait_for_url(f"{base}{reverse('account_reauthenticate')}**")
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        failures += [f"password check @{width}px: {line}" for line in violations(page)]
    page.get_by_label("Mot de passe").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Confirmer").click()
    page.wait_for_url(f"{base}{reverse('mfa_activate_totp')}**")
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        failures += [f"TOTP set-up @{width}px: {line}" for line in violations(page)]
    page.screenshot(path=str(ARTIFACTS / "a11y-totp-set-up-320.png"), full_page=True)
    page.get_by_label("Code à 6 chiffres affiché par l'application").fill("000000")
    page.get_by_role("button", name="Activer").click()
    page.wait_for_load_state()
    assert page.evaluate("document.activeElement.hasAttribute('data-error-summary')")
    assert page.title().startswith("Erreur : ")
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        failures += [f"TOTP wrong code @{width}px: {line}" for line in violations(page)]
    assert not failures, "\n".join(failures)


YOUTH_WIDTHS = (390, 320)


def test_youth_space_pages_pass_wcag_21_aa_at_390_and_320_px(browser_page):
    """The young person's space (mobile first): signed in, before signing in, and the
    advisor's side of it."""
    from tests.youthspace.factories import full_space
    from youthspace.models import SessionAnswer

    from .pages import youth_space_advisor_pages, youth_space_pages, youth_space_public_pages

    space, _recruiter, _offer = full_space()
    enrolment = space.youth.enrolments.order_by("pk").first()
    SessionAnswer.objects.create(enrolment=enrolment, answer="coming", channel="space")
    base = browser_page.live_server_url
    browser = browser_page.context.browser
    failures: list[str] = []
    walks = [
        ("anonymous", None, youth_space_public_pages()),
        ("youth", space.user, youth_space_pages()),
        ("advisor", space.youth.advisor, youth_space_advisor_pages(space.youth)),
    ]
    for key, user, pages in walks:
        for width in YOUTH_WIDTHS:
            context = browser.new_context(locale="fr-FR", viewport={"width": width, "height": 844})
            if user is not None:
                context.add_cookies([session_cookie(base, user)])
            page = context.new_page()
            page.set_default_timeout(30_000)
            for target in pages:
                _scan(page, base, target, failures, f"{key} @{width}px", signed_in=user is not None)
            context.close()
    assert not failures, f"{len(failures)} WCAG 2.1 A/AA violations:\n" + "\n".join(failures)
