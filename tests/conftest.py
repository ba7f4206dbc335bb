"""Strict test set-up shared by every app's tests.

- `celery_worker`: a real Celery worker process, through the real Redis, on the test
  database, sending mail to a real SMTP server (`smtp_server`) started here.
- `browser_page`: a real headless Chromium (Debian's) driven by Playwright.
Both skip with a reason where their service is missing, except under CI=true, where a
missing service is a failure.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from pathlib import Path

import pytest
from celery.exceptions import TimeoutError as CeleryTimeoutError
from django.conf import settings
from django.db import connections

from tests import celery_routing

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = "/usr/bin/chromium"
IN_CI = os.environ.get("CI", "").lower() == "true"


def skip_or_fail(reason: str) -> None:
    """Skip where a service is missing on a developer's machine; fail in CI."""
    if IN_CI:
        pytest.fail(f"CI=true and {reason}")
    pytest.skip(reason)


@pytest.fixture(autouse=True)
def _default_language():
    """A request in English (cookie or header) leaves English active in the thread:
    every test starts and ends in the portal's default language."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _no_count_deltas_left_by_a_flush(request, django_db_blocker):
    """On SQLite, the flush after a test that commits deletes every table in turn
    (`DELETE FROM`, where PostgreSQL truncates them): the youths and pathway events
    after their count tables, whose triggers then write a delta for each row deleted.
    The next test would count youths of missions locales that no longer exist. A test
    that commits starts with the count tables empty, as its database is."""
    marker = request.node.get_closest_marker("django_db")
    committed = {"transactional_db", "live_server"} & set(request.fixturenames) or (
        marker is not None and marker.kwargs.get("transaction")
    )
    if committed:
        from django.db import connection

        from candidates.models import PathwayCount, YouthCount

        if connection.vendor == "sqlite":
            with django_db_blocker.unblock(), connection.cursor() as cursor:
                for model in (YouthCount, PathwayCount):
                    cursor.execute(f"DELETE FROM {model._meta.db_table}")  # noqa: S608
    yield


@pytest.fixture(autouse=True)
def _clear_cache():
    """Rate limits and caches never leak from one test into another."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True, scope="session")
def _force_login_is_a_complete_sign_in():
    """`client.force_login(user)` stands for a complete sign-in: the password and, for a
    user who has one, the second factor. Without this, the portal's gate would close a
    session that skipped the TOTP challenge (which is the point of the gate). The tests
    of the sign-in itself go through the real forms (tests/accounts/test_entry_points.py).
    """
    from django.test.client import ClientMixin

    from accounts import signin

    original = ClientMixin.force_login

    def force_login(self, user, backend=None):
        original(self, user, backend)
        if signin.has_second_factor(user):
            session = self.session
            session[signin.SESSION_KEY] = signin.SecondFactor.PASSED.value
            session.save()

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(ClientMixin, "force_login", force_login)
        yield


@pytest.fixture
def tasks_in_process():
    """Run the tasks that the code under test queues right here, in this process.

    For unit tests of services and views that read `mail.outbox` after an on-commit
    task; opted into test by test, never global. The broker path itself is proved by
    the tests using `celery_worker`.
    """
    from convention_portal.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


@pytest.fixture
def tasks_retrying_in_process():
    """Like `tasks_in_process`, but a task that asks for a retry is run again at once,
    here (Celery's eager mode does so when errors do not propagate): a whole retry
    schedule plays out within the test, without its delays."""
    from convention_portal.celery import app

    previous = app.conf.task_always_eager, app.conf.task_eager_propagates
    app.conf.task_always_eager = True
    app.conf.task_eager_propagates = False
    yield
    app.conf.task_always_eager, app.conf.task_eager_propagates = previous


# --- SMTP -------------------------------------------------------------------------

# The EMAIL_TIMEOUT of tests that send through the real SMTP server: a stalled relay
# costs this long, not the 20 s of production.
TEST_EMAIL_TIMEOUT = 1.0


@dataclass
class SmtpServer:
    """The test SMTP server and how it behaves right now. By default it accepts every
    message; a test may make it:
    - `stall`: accept connections and never answer, not even the greeting;
    - `refuse_for_good`: answer 550 to every recipient (unknown mailbox);
    - `refuse_for_now = n`: answer 451 to the next n recipients, then accept;
    - `refuse`: answer 554 to the message itself (after DATA).
    `reset()` puts it back to accepting (the `relay` fixture does it after each test)."""

    host: str
    port: int
    messages: list = field(default_factory=list)
    refuse: bool = False
    stall: bool = False
    refuse_for_good: bool = False
    refuse_for_now: int = 0
    refusals: list = field(default_factory=list)
    stalled: list = field(default_factory=list)
    loop: object = None

    def wait_for(self, count: int, timeout: float = 60.0) -> list:
        deadline = time.monotonic() + timeout
        while len(self.messages) < count and time.monotonic() < deadline:
            time.sleep(0.1)
        return self.messages

    def reset(self) -> None:
        self.refuse = self.stall = self.refuse_for_good = False
        self.refuse_for_now = 0
        self.refusals.clear()
        self.hang_up()

    def hang_up(self) -> None:
        """Close the connections held silent, as a relay finally would."""
        while self.stalled:
            transport = self.stalled.pop()
            self.loop.call_soon_threadsafe(transport.close)


class _Handler:
    def __init__(self, server: SmtpServer):
        self.server = server

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802 - aiosmtpd's name
        if self.server.refuse_for_good:
            self.server.refusals.append(550)
            return f"550 5.1.1 <{address}>: Recipient address rejected: User unknown"
        if self.server.refuse_for_now > 0:
            self.server.refuse_for_now -= 1
            self.server.refusals.append(451)
            return "451 4.3.0 Mailbox temporarily unavailable, try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
        if self.server.refuse:
            return "554 Transaction failed (refused by the test server)"
        self.server.messages.append(
            message_from_bytes(envelope.original_content, policy=policy.default)
        )
        return "250 Message accepted for delivery"


def _smtp_controller(server: SmtpServer, port: int):
    """aiosmtpd's threaded server, whose connections may also be held silent."""
    from aiosmtpd.controller import Controller
    from aiosmtpd.smtp import SMTP

    class SilentCapableSMTP(SMTP):
        """While the test server stalls, a new connection is accepted and never answered:
        no greeting, nothing read. The client's own timeout is all that ends it."""

        _held_silent = False

        def connection_made(self, transport):
            if server.stall:
                self._held_silent = True
                server.stalled.append(transport)
                return
            super().connection_made(transport)

        def data_received(self, data):
            if not self._held_silent:
                super().data_received(data)

        def eof_received(self):
            return None if self._held_silent else super().eof_received()

        def connection_lost(self, error):
            if not self._held_silent:
                super().connection_lost(error)

    class SilentCapableController(Controller):
        def factory(self):
            return SilentCapableSMTP(self.handler, **self.SMTP_kwargs)

    return SilentCapableController(_Handler(server), hostname="127.0.0.1", port=port)


@pytest.fixture(scope="session")
def smtp_server():
    """A real SMTP server on 127.0.0.1; tests read the messages that arrived."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = SmtpServer(host="127.0.0.1", port=port)
    controller = _smtp_controller(server, port)
    controller.start()
    server.loop = controller.loop
    yield server
    server.reset()
    controller.stop()


@pytest.fixture
def relay(smtp_server, settings):
    """This test's emails go to the real SMTP server (not Django's memory outbox), with
    a short EMAIL_TIMEOUT; the server accepts again after the test."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = smtp_server.host
    settings.EMAIL_PORT = smtp_server.port
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = TEST_EMAIL_TIMEOUT
    smtp_server.reset()
    yield smtp_server
    smtp_server.reset()


# --- Celery worker ------------------------------------------------------------------


@dataclass
class WorkerHandle:
    queue: str
    process: subprocess.Popen
    log_path: Path
    smtp: SmtpServer
    private_root: Path

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")


def _database_url() -> str:
    db = settings.DATABASES["default"]
    return (
        f"postgres://{db.get('USER') or ''}:{db.get('PASSWORD') or ''}@"
        f"{db.get('HOST') or '127.0.0.1'}:{db.get('PORT') or 5432}/{db['NAME']}"
    )


@pytest.fixture(scope="session")
def celery_worker_process(django_db_setup, django_db_blocker, smtp_server, tmp_path_factory):
    """A real worker process consuming this test process's own queue on Redis, for
    the whole session; tests take it through `celery_worker`."""
    if not settings.REDIS_URL:
        skip_or_fail("REDIS_URL is not set: the worker tests need a real Redis")
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        skip_or_fail(
            "the worker tests need PostgreSQL (DATABASE_URL): a worker process cannot share SQLite's test database"
        )
    from accounts.tasks import ping

    queue = settings.CELERY_TASK_DEFAULT_QUEUE
    log_path = tmp_path_factory.mktemp("worker") / "worker.log"
    private_root = tmp_path_factory.mktemp("private")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "convention_portal.settings",
        "CONVENTION_PORTAL_IGNORE_DOTENV": "1",
        "DEBUG": "false",
        "SECRET_KEY": settings.SECRET_KEY,
        "DATABASE_URL": _database_url(),
        "REDIS_URL": settings.REDIS_URL,
        "CELERY_TASK_DEFAULT_QUEUE": queue,
        "EMAIL_URL": f"smtp://{smtp_server.host}:{smtp_server.port}",
        "EMAIL_TIMEOUT": str(TEST_EMAIL_TIMEOUT),
        "PRIVATE_MEDIA_ROOT": str(private_root),
        "SITE_URL": "http://testserver",
    }
    log = log_path.open("w")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "tests.worker_app",
            "worker",
            "-P",
            "solo",
            "-Q",
            queue,
            "-n",
            celery_routing.worker_name(queue),
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "-l",
            "INFO",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        ping.apply_async(queue=queue).get(timeout=240)
    except CeleryTimeoutError:
        process.kill()
        process.wait(timeout=10)
        log.close()
        raise AssertionError(f"the worker did not answer:\n{log_path.read_text()}") from None
    yield WorkerHandle(
        queue=queue,
        process=process,
        log_path=log_path,
        smtp=smtp_server,
        private_root=private_root,
    )
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
    log.close()


@pytest.fixture
def celery_worker(celery_worker_process, transactional_db):
    """The real worker, for one test, which sees committed rows (`transactional_db`).

    The tasks the test queues go to the worker (`celery_routing.hold`); other tests park
    theirs. After the test, and before the database is emptied for the next one, the
    worker is let finish what the test queued (an email sent on commit, say), and the
    tasks it holds for later (a retry) are revoked (`celery_routing.settle`). Emptying
    the tables while the worker still writes to them would wait on its locks, or
    deadlock with it."""
    celery_routing.hold(celery_worker_process.queue)
    try:
        yield celery_worker_process
    finally:
        celery_routing.release()
        celery_routing.settle(celery_worker_process.queue)


@pytest.fixture(scope="session", autouse=True)
def _parked_tasks_dropped():
    """The tasks parked by the tests outside the worker's are dropped with the session
    (Redis keeps its lists until then)."""
    yield
    if settings.REDIS_URL:
        celery_routing.drop_queue(celery_routing.parked_queue())


# --- Browser ------------------------------------------------------------------------


@pytest.fixture
def browser_page(live_server, request):
    """A page in Debian's headless Chromium; a screenshot is kept in test-artifacts/."""
    if not os.path.exists(CHROMIUM):
        skip_or_fail(f"no Chromium at {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import expect, sync_playwright

    # assertions retry as long as actions wait: a loaded CI machine answers slowly
    expect.set_options(timeout=15_000)

    # Playwright's sync API runs an event loop in this thread; Django refuses ORM calls
    # from such a thread unless told. Only for browser tests, never in the app.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        context = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900})
        page = context.new_page()
        page.set_default_timeout(15_000)
        page.live_server_url = live_server.url
        try:
            yield page
        finally:
            page.screenshot(path=str(ARTIFACTS / f"{request.node.name}-last.png"), full_page=True)
            context.close()
            browser.close()
            # ORM calls made while Playwright's loop runs open their own connections
            # (another async context): close them, or the test database cannot be dropped.
            connections.close_all()
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
