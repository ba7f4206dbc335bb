"""The server benchmark's floor page (bench/floor_urls.py) exists only in the
benchmark's server: the product's URLconf does not route it, nothing in the product
imports `bench`, and the image leaves `bench/` out. Served with the benchmark's
URLconf, it costs what every signed-in page pays and no more: the session, the user and
the user's scope, the second-factor gate adding no query of its own."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, Resolver404, resolve, reverse

from accounts.enums import Role
from tests.accounts.factories import make_member

ROOT = Path(__file__).resolve().parent.parent
FLOOR = "/__bench__/floor/"


def test_the_product_urlconf_does_not_route_the_floor_page():
    with pytest.raises(Resolver404):
        resolve(FLOOR)
    with pytest.raises(NoReverseMatch):
        reverse("bench_floor")


def test_nothing_in_the_product_imports_the_benchmark_and_the_image_leaves_it_out():
    importing = [
        str(path.relative_to(ROOT))
        for path in ROOT.rglob("*.py")
        if path.relative_to(ROOT).parts[0] not in {"bench", "tests", ".venv", "var"}
        and any(
            line.strip().startswith(("import bench", "from bench"))
            for line in path.read_text(encoding="utf-8").splitlines()
        )
    ]
    assert not importing
    assert "bench/" in (ROOT / ".dockerignore").read_text().splitlines()


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.ADVISOR, Role.PROJECT_LEAD])
def test_the_floor_costs_the_session_the_user_and_the_scope(client, settings, role):
    settings.ROOT_URLCONF = "bench.floor_urls"
    anonymous = client.get(FLOOR)
    assert anonymous.status_code == 302 and "/connexion/login/" in anonymous.url
    client.force_login(make_member(role))  # a lead's second factor passed at sign-in
    client.get(FLOOR)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(FLOOR)
    assert response.status_code == 200
    assert len(queries) == 3, [q["sql"] for q in queries]
