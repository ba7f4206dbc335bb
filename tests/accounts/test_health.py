import pytest
from django.urls import reverse

from tests.conftest import skip_or_fail


@pytest.mark.django_db
def test_health_is_public_and_checks_the_database(client, settings):
    settings.REDIS_URL = ""
    response = client.get(reverse("health"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "broker": "in-process"}


@pytest.mark.django_db
def test_health_reports_an_unreachable_broker(client, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    response = client.get(reverse("health"))
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "error"
    assert body["broker"].startswith("error")
    assert body["database"] == "ok"


@pytest.mark.django_db
def test_health_checks_the_real_redis(client, settings):
    if not settings.REDIS_URL:
        skip_or_fail("REDIS_URL is not set: no real Redis to check")
    response = client.get(reverse("health"))
    assert response.status_code == 200
    assert response.json()["broker"] == "ok"
