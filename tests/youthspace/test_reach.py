"""The young person's role in the URL reach rule: signed in, a youth reaches their own
pages and the public ones (legal pages, notices), and is refused on every other URL of
the portal (the admin's included), GET and POST. The portal's home sends them to their space."""

from __future__ import annotations

import pytest

from tests.test_url_reach_anonymous import PUBLIC
from tests.url_walk import all_routes, refusal_problem
from youthspace.middleware import YOUTH_PAGES

from .factories import open_space

pytestmark = pytest.mark.django_db


def _youth_pages() -> set[str]:
    return {f"youthspace:{name}" for name in YOUTH_PAGES}


def test_the_youth_pages_exist():
    keys = {route.key for route in all_routes()}
    assert _youth_pages() <= keys


def test_a_youth_is_refused_everywhere_but_their_space(client):
    space = open_space()
    client.force_login(space.user)
    failures = []
    for route in all_routes():
        if route.key in PUBLIC or route.key in _youth_pages():
            continue
        for method in ("get", "post"):
            response = getattr(client, method)(route.url)
            if route.key == "home":
                assert response["Location"] == "/espace/"
                continue
            problem = refusal_problem(client, response)
            if problem:
                failures.append(f"{method.upper()} {route.url}: {problem} — {route.describe()}")
    assert not failures, "A youth reached:\n  " + "\n  ".join(failures)
