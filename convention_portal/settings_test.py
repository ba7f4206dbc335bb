"""Test settings: the application settings with a fixed key and fast hashing.

They never read a developer's .env, and never make Celery eager on their own: without
REDIS_URL the embedded default applies, with it tasks go to Redis and the worker tests
start a real worker.
"""

import os
import uuid

os.environ["CONVENTION_PORTAL_IGNORE_DOTENV"] = "1"
os.environ.setdefault("SECRET_KEY", "test-secret-key-not-for-production-use-0123456789")
os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
os.environ.setdefault("SITE_URL", "http://testserver")
# Each test closes its connection as a request would without persistent connections:
# threads and started processes of the browser and worker tests open their own.
os.environ.setdefault("CONN_MAX_AGE", "0")
# A shared cache is required outside DEBUG; the tests then swap in their own (below).
# Set only while the settings load: processes the tests start (a Celery worker, a
# `manage.py` run) must read their own environment.
_CACHE_URL_GIVEN = "CACHE_URL" in os.environ
os.environ.setdefault("CACHE_URL", "dbcache://portal_cache")

from .settings import *  # noqa: E402,F403

if not _CACHE_URL_GIVEN:
    del os.environ["CACHE_URL"]

# One Celery queue per test process (each pytest-xdist worker imports these settings
# itself): parallel runs, their workers and leftovers never cross. Not set through
# os.environ, which the xdist workers would inherit from the controller.
CELERY_TASK_DEFAULT_QUEUE = f"test-{os.getpid()}-{uuid.uuid4().hex[:8]}"
# Only the tests holding that process's worker send it their tasks; the others park
# theirs on a queue no worker consumes (tests/celery_routing.py says why).
CELERY_TASK_ROUTES = ("tests.celery_routing.route",)
# Each test process keeps its own cache: tests clear it, and a shared Redis database
# would be flushed under the feet of the other xdist workers.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "http"
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0
# Serve static files from the apps and packages directly, as in development.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# On SQLite the test database is a file, not memory: with an in-memory database the
# browser tests' live server shares one connection between its request threads, and two
# requests at once (a page and its chart images) can deadlock in the sqlite3 module.
# pytest-xdist gives each worker its own file (a _gw0, _gw1… suffix).
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    (BASE_DIR / "var").mkdir(exist_ok=True)  # noqa: F405
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / "var" / "test-db.sqlite3")}  # noqa: F405
