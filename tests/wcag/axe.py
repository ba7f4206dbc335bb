"""axe-core (shipped by axe-playwright-python, no npm) run in the page Playwright shows,
limited to WCAG 2.0 and 2.1, levels A and AA: the level the portal commits to
(docs/accessibility.md)."""

from __future__ import annotations

from axe_playwright_python.sync_playwright import Axe

WCAG_AA_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
OPTIONS = {"runOnly": {"type": "tag", "values": WCAG_AA_TAGS}, "resultTypes": ["violations"]}

_axe = Axe()


def violations(page) -> list[str]:
    """One line per element failing a rule: rule, impact, element and why."""
    lines = []
    for violation in _axe.run(page, options=OPTIONS).response["violations"]:
        for node in violation["nodes"]:
            checks = node.get("any") or node.get("all") or node.get("none") or [{}]
            lines.append(
                f"{violation['id']} ({violation['impact']}): {' '.join(node['target'])} "
                f"{node['html'][:160]!r} {checks[0].get('message', '')}"
            )
    return lines


def session_cookie(live_server_url: str, user) -> dict:
    """A browser cookie for a complete sign-in of `user` (password and, if enrolled, the
    second factor: tests/conftest.py's `force_login`), without typing in the login form
    for each of the scan's many users."""
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    return {
        "name": settings.SESSION_COOKIE_NAME,
        "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
        "url": live_server_url,
    }
