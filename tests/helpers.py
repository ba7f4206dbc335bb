"""Shared test helpers. `assert_refused` is the one way every view test checks that a
user of another organisation or region gets 403 or 404, and never the data;
`run_manage` runs `manage.py` in a process of its own."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterable

from django.test import Client

from tests.conftest import ROOT


def assert_refused(
    client: Client,
    user,
    url: str,
    *,
    method: str = "get",
    data: dict | None = None,
    must_not_contain: Iterable[str] = (),
) -> None:
    """Sign `user` in and request `url`: the answer must be 403 or 404 and must not show
    any of `must_not_contain` (names, emails, titles of the data being protected)."""
    client.force_login(user)
    response = getattr(client, method)(url, data or {})
    assert response.status_code in (403, 404), (
        f"{user} got {response.status_code} on {method.upper()} {url}, expected 403 or 404"
    )
    body = response.content.decode(errors="replace")
    for text in must_not_contain:
        assert text not in body, f"{text!r} leaked to {user} on {url}"
    client.logout()


def sign_in(page, email: str, password: str) -> None:
    """Sign in through the real login form."""
    page.goto(f"{page.live_server_url}/connexion/login/")
    page.get_by_label("Courriel").fill(email)
    page.get_by_label("Mot de passe").fill(password)
    page.get_by_role("button", name="Connexion").click()


def run_manage(
    *args: str, env: dict[str, str], timeout: float = 120
) -> subprocess.CompletedProcess:
    """Run `manage.py <args>` from the project's folder in a new process whose whole
    environment is `env`, and return what it printed (text) and its exit code."""
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
