"""The figures read from the replica when DATABASE_REPLICA_URL is set; nothing else does.

The replica here is the same database under a second alias, as the issue asks: the
test checks which connection ran the queries, not replication itself.
"""

from __future__ import annotations

import json
import os

import pytest
from django.conf import settings
from django.db import connection

from candidates.models import Youth
from convention_portal import db_router
from tests.candidates.factories import YouthFactory
from tests.helpers import run_manage

_PROBE = """
import json
from django.db import connections
from django.test.utils import CaptureQueriesContext
from reporting import dashboard
from reporting.periods import Period
from reporting.scopes import national_population
from candidates.models import Youth
from accounts.models import User

period = Period(2025)
with CaptureQueriesContext(connections["default"]) as primary, \\
        CaptureQueriesContext(connections["replica"]) as replica:
    tables = dashboard.build(national_population(), period, masked=False, refresh=True)
figures = {"primary": len(primary), "replica": len(replica), "tables": len(tables)}
with CaptureQueriesContext(connections["default"]) as primary, \\
        CaptureQueriesContext(connections["replica"]) as replica:
    youth = Youth.objects.order_by("pk").first()
    Youth.objects.filter(pk=youth.pk).update(city="Aubagne")
    again = Youth.objects.get(pk=youth.pk).city
other = {"primary": len(primary), "replica": len(replica), "city": again}
print(json.dumps({"figures": figures, "other": other}))
"""


def test_outside_the_figures_the_router_keeps_the_primary(monkeypatch):
    router = db_router.ReplicaRouter()
    monkeypatch.setattr(db_router, "replica_configured", lambda: True)
    assert router.db_for_read(Youth) == "default"
    with db_router.reading_from_replica():
        assert router.db_for_read(Youth) == "replica"
        assert router.db_for_write(Youth) == "default"
    assert router.db_for_read(Youth) == "default"
    assert router.allow_migrate("replica", "candidates") is False
    assert router.allow_migrate("default", "candidates") is True


def test_without_a_replica_the_figures_read_the_primary():
    assert "replica" not in settings.DATABASES
    with db_router.reading_from_replica():
        assert db_router.ReplicaRouter().db_for_read(Youth) == "default"


@pytest.mark.django_db(transaction=True)
def test_the_dashboard_reads_the_replica_and_the_rest_the_primary():
    if connection.vendor != "postgresql":
        pytest.skip("a second alias of the same database needs a server database (PostgreSQL)")
    YouthFactory(city="Marseille")
    db = settings.DATABASES["default"]
    url = (
        f"postgres://{db.get('USER') or ''}:{db.get('PASSWORD') or ''}@"
        f"{db.get('HOST') or '127.0.0.1'}:{db.get('PORT') or 5432}/{db['NAME']}"
    )
    env = {
        **{k: v for k, v in os.environ.items() if k not in {"REDIS_URL", "CACHE_URL"}},
        "DJANGO_SETTINGS_MODULE": "convention_portal.settings",
        "CONVENTION_PORTAL_IGNORE_DOTENV": "1",
        "DEBUG": "true",
        "DATABASE_URL": url,
        "DATABASE_REPLICA_URL": url,
    }
    result = run_manage("shell", "-v", "0", "-c", _PROBE, env=env)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout.strip().splitlines()[-1])
    figures, other = report["figures"], report["other"]
    assert figures["tables"] > 0
    assert figures["replica"] > 0
    assert figures["primary"] == 0
    # A write, and the read that follows it, stay on the primary.
    assert other["replica"] == 0
    assert other["primary"] >= 2
    assert other["city"] == "Aubagne"
