"""What the benchmarks share: the project on the import path, the environment they run
Django in, a fresh PostgreSQL database, and the percentiles they report."""

from __future__ import annotations

import math
import os
import statistics
import sys
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def configure(database_url: str, **extra_env: str) -> None:
    """Point Django at the benchmark's database, in-process: DEBUG (static files
    uncompiled; queries are reset per request), the test client's host, no .env file,
    no broker (tasks and emails stay in the process). `extra_env` adds or overrides."""
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DEBUG", "true")
    os.environ["ALLOWED_HOSTS"] = "testserver"
    os.environ["CONVENTION_PORTAL_IGNORE_DOTENV"] = "1"
    os.environ["DJANGO_SETTINGS_MODULE"] = "convention_portal.settings"
    os.environ.pop("REDIS_URL", None)
    os.environ.update(extra_env)


def database_name(url: str) -> str:
    return urlparse(url).path.lstrip("/")


def recreate_database(url: str) -> None:
    """Drop and create the database `url` names (through the `postgres` database)."""
    import psycopg

    name = database_name(url)
    admin = urlparse(url)._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')


def percentiles(samples: list[float]) -> tuple[float, float]:
    """(median, 95th percentile by nearest rank) of the samples."""
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


def report(label: str, timings: list[float]) -> str:
    """A Markdown row: label, p50 and p95 in ms, number of runs."""
    p50, p95 = percentiles(timings)
    return f"| {label} | {p50:.1f} | {p95:.1f} | {len(timings)} |"
