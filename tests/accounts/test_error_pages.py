"""The demo run (`DEBUG=true DEBUG_ERROR_PAGES=false`, as `make run` sets them) shows the
portal's own French error pages, not Django's technical ones."""

import pytest
from django.test import override_settings
from django.urls import reverse

from tests.accounts.factories import make_member

MIDDLEWARE_PATH = "accounts.middleware.PortalErrorPagesMiddleware"


def _demo_middleware(settings):
    return [*settings.MIDDLEWARE, MIDDLEWARE_PATH]


@pytest.mark.django_db
def test_an_unknown_address_shows_the_portals_page(client, settings):
    with override_settings(DEBUG=True, MIDDLEWARE=_demo_middleware(settings)):
        response = client.get("/nulle-part/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "Page introuvable" in page
    assert "URLconf" not in page


@pytest.mark.django_db
def test_an_object_out_of_reach_shows_the_portals_page(client, settings):
    advisor = make_member(role="advisor")
    client.force_login(advisor)
    with override_settings(DEBUG=True, MIDDLEWARE=_demo_middleware(settings)):
        response = client.get(reverse("candidates:youth_detail", args=[987654]))
    assert response.status_code == 404
    assert "Page introuvable" in response.content.decode()
    assert "Traceback" not in response.content.decode()


@pytest.mark.django_db
def test_a_development_run_keeps_djangos_technical_page(client):
    """Without the switch, a developer keeps the technical page that says which URL
    patterns were tried: the middleware is added only for the demo."""
    with override_settings(DEBUG=True):
        response = client.get("/nulle-part/")
    assert response.status_code == 404
    assert "URLconf" in response.content.decode()


def test_settings_add_the_middleware_only_for_a_demo_debug_run():
    import subprocess
    import sys

    code = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='convention_portal.settings';"
        "from django.conf import settings;"
        f"print('{MIDDLEWARE_PATH}' in settings.MIDDLEWARE)"
    )
    env_base = {"CONVENTION_PORTAL_IGNORE_DOTENV": "1", "PATH": "/usr/bin:/bin"}
    results = {}
    for name, extra in {
        "demo": {"DEBUG": "true", "DEBUG_ERROR_PAGES": "false"},
        "development": {"DEBUG": "true"},
        "production": {
            "DEBUG_ERROR_PAGES": "false",
            "SECRET_KEY": "x" * 50,
            "CACHE_URL": "redis://127.0.0.1:6379/1",
        },
    }.items():
        out = subprocess.run(
            [sys.executable, "-c", code],
            env={**env_base, **extra},
            capture_output=True,
            text=True,
            check=True,
        )
        results[name] = out.stdout.strip()
    assert results == {"demo": "True", "development": "False", "production": "False"}
