"""The automated WCAG 2.1 A/AA scan: axe-core in the real Chromium over the main pages
of every role (home, navigation, details, forms, forms sent with errors) and the pages
before sign-in, at 1280 px and at 320 px wide. Any violation fails the test, with the
list of what failed where. Each role's home is kept as a screenshot in test-artifacts/.

Slow by nature (about 150 scans): one test seeds the demo once and walks everything."""

from __future__ import annotations

import pytest

from accounts import seed as accounts_seed
from accounts.discovery import app_modules
from tests.conftest import ARTIFACTS

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
    return demo


def _scan(page, base: str, target: Page, failures: list[str], where: str) -> None:
    response = page.goto(base + target.url)
    assert response.status == 200, f"{where} {target.url}: {response.status}"
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
    page.wait_for_load_state("networkidle")
    failures += [f"{where} {target.label}: {line}" for line in violations(page)]


def test_every_role_main_pages_pass_wcag_21_aa_at_1280_and_320_px(browser_page, demo):
    base = browser_page.live_server_url
    browser = browser_page.context.browser
    failures: list[str] = []
    scanned: set[Page] = set()
    walks = [("anonymous", None, anonymous_pages())]
    walks += [(key, demo.users[key], pages_for(key, demo.users[key])) for key in ROLES]
    for key, user, pages in walks:
        for width in WIDTHS:
            context = browser.new_context(locale="fr-FR", viewport={"width": width, "height": 900})
            if user is not None:
                context.add_cookies([session_cookie(base, user)])
            page = context.new_page()
            page.set_default_timeout(30_000)
            for target in pages:
                _scan(page, base, target, failures, f"{key} @{width}px")
                scanned.add(target)
                if target.url == "/" and not target.with_errors:
                    page.screenshot(path=str(ARTIFACTS / f"a11y-home-{key}-{width}.png"))
            context.close()
    assert len(scanned) >= MINIMUM_PAGES, f"only {len(scanned)} pages scanned"
    assert not failures, f"{len(failures)} WCAG 2.1 A/AA violations:\n" + "\n".join(failures)
