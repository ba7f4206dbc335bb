"""No link the portal shows leads to a page that refuses the user who sees it.

For each role, a walk from the home page, the profile and every navigation entry: every
link on those pages is followed once per URL pattern, and none may answer 403. A link
to a page the user may not open is a dead end that says "forbidden" to somebody who
did nothing wrong; the page showing it must ask the same predicate as the page behind.
"""

from __future__ import annotations

import html
import re
from urllib.parse import urlsplit

import pytest
from django.urls import Resolver404, resolve, reverse

from accounts.enums import Role
from accounts.navigation import build_navigation
from tests.accounts.factories import make_member
from tests.url_reach_scenes import offer, sessions

pytestmark = pytest.mark.django_db

HREF = re.compile(r'href="([^"#]+)"')
# Links that are not pages: files handed out, sign-out and language forms post.
SKIPPED_PREFIXES = ("/static/", "/media/")


def _links(body: str) -> list[str]:
    found = []
    for raw in HREF.findall(body):
        url = html.unescape(raw)
        parts = urlsplit(url)
        if parts.scheme or parts.netloc or not parts.path.startswith("/"):
            continue
        if parts.path.startswith(SKIPPED_PREFIXES):
            continue
        found.append(url)
    return found


def _walk(client, user) -> dict[str, tuple[str, int]]:
    """{url name: (first url met, status)} for every link on the user's start pages."""
    client.force_login(user)
    start = [reverse("home"), reverse("accounts:profile")]
    start += [item.url for item in build_navigation(user)]
    answers: dict[str, tuple[str, int]] = {}
    for page in start:
        response = client.get(page, follow=True)
        assert response.status_code == 200, f"{user} cannot open their own entry {page}"
        for url in _links(response.content.decode()):
            try:
                name = resolve(urlsplit(url).path).view_name
            except Resolver404:
                answers[url] = (url, 404)
                continue
            if name in answers or name in ("account_logout",):
                continue
            answers[name] = (url, client.get(url).status_code)
    return answers


@pytest.mark.parametrize(
    "role", ["advisor", "ml_manager", "recruiter", "project_lead", "national", "partner"]
)
def test_no_link_shown_to_a_role_answers_403(client, role):
    scene = offer()
    sessions_scene = sessions()
    users = {
        "advisor": scene.advisor,
        "recruiter": scene.insider,
        "project_lead": scene.lead,
        "ml_manager": make_member(
            Role.ML_MANAGER, organisation=scene.advisor.memberships.get().organisation
        ),
        "national": make_member(Role.NATIONAL),
        "partner": make_member(Role.PARTNER, region=scene.offer.region),
    }
    assert sessions_scene  # sessions in the region: their lists have rows to link to
    answers = _walk(client, users[role])
    refused = {name: url for name, (url, status) in answers.items() if status == 403}
    assert refused == {}, f"links shown to a {role} that answer 403: {refused}"
    assert len(answers) >= 3  # the walk met links: a walk of nothing proves nothing
