"""Benchmark through a real server: gunicorn with the production settings, wrk as a
closed-loop load generator, and a floor page measured in the same run.

Not a test. It loads a separate PostgreSQL database (dropped and recreated unless
--keep, see `bench/server_data.py`), collects the static files, starts gunicorn
(2 sync workers, DEBUG off, `bench.settings`: the product's settings plus the floor
page's URL), creates one signed-in session per role, then for 1 and 4 connections
measures the floor page and every page with `wrk` in `--slices` turns (the floor, then
each page, `--duration / --slices` seconds each, and the floor once more at the end),
so that the floor and the pages are sampled across the same stretch of time and a
drift of the machine falls on all alike. Each page's turns are pooled into one
distribution. It prints p50/p95/p99 in ms, each page's p95 divided by the floor's, and
the floor's lowest and highest p95 of a turn (the run's noise).

    .venv/bin/python bench/server_bench.py \
        --database-url postgres://postgres@127.0.0.1:5432/cp_perf_bench

Requires Debian's `wrk` (`apt-get install wrk`) and a Redis for the shared cache
(`--cache-url`, production refuses a per-process cache).
"""

from __future__ import annotations

import argparse
import http.client
import json
import math
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.common import database_name, recreate_database  # noqa: E402

FLOOR = "/__bench__/floor/"
# A page answering fewer times than this within `--duration` is measured apart.
MIN_REQUESTS = 10


def environment(args) -> dict[str, str]:
    """The production environment with benchmark values: DEBUG off, a shared cache,
    HTTPS as a proxy would announce it (the header is sent with every request)."""
    env = dict(os.environ)
    for name in ("REDIS_URL", "CACHE_URL", "DEBUG"):
        env.pop(name, None)
    env.update(
        DJANGO_SETTINGS_MODULE="bench.settings",
        CONVENTION_PORTAL_IGNORE_DOTENV="1",
        DATABASE_URL=args.database_url,
        SECRET_KEY="benchmark-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
        ALLOWED_HOSTS="127.0.0.1",
        CACHE_REDIS_URL=args.cache_url,
        LOG_LEVEL="WARNING",
        PYTHONPATH=str(ROOT),
    )
    env.update(dict(item.split("=", 1) for item in args.env))
    return env


def signed_in_cookie(user) -> str:
    """A session cookie for `user`, as the sign-in leaves it (second factor passed)."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from accounts.signin import SESSION_KEY as SECOND_FACTOR_KEY
    from accounts.signin import SecondFactor

    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store[SECOND_FACTOR_KEY] = SecondFactor.PASSED.value
    store.create()
    return f"{settings.SESSION_COOKIE_NAME}={store.session_key}"


def pages() -> list[tuple[str, str, list[str]]]:
    """(label, role, paths) of every page measured."""
    from datetime import timedelta

    from django.urls import reverse
    from django.utils import timezone

    from accounts.models import User
    from candidates.models import Youth
    from immersion.models import Session
    from offers.enums import OfferStatus
    from offers.models import Offer

    advisor = User.objects.get(email="conseiller0-0@bench.fr")
    board = Offer.objects.filter(
        status=OfferStatus.PUBLISHED, company__memberships__user__email="recruteur@bench.fr"
    ).get(positions=200)
    youth_ids = list(
        Youth.objects.filter(advisor=advisor).order_by("pk").values_list("pk", flat=True)[:50]
    )
    session = (
        Session.objects.filter(
            region__code="93",
            starts_at__gte=timezone.now() + timedelta(days=10),
            registration_deadline__gte=timezone.localdate(),
        )
        .order_by("starts_at")
        .first()
    )
    in_ml = Youth.objects.filter(mission_locale_id__in=advisor.memberships.values("organisation"))
    youth_list = reverse("candidates:youth_list")
    return [
        (f"youth list ({in_ml.count():,} in the mission locale)", "advisor", [youth_list]),
        ("youth list, page 40", "advisor", [f"{youth_list}?page=40"]),
        ("name search ?q=lefevre", "advisor", [f"{youth_list}?q=lefevre"]),
        (
            "youth page (50 youths in turn)",
            "advisor",
            [reverse("candidates:youth_detail", args=[pk]) for pk in youth_ids],
        ),
        (
            "national dashboard (warm)",
            "national",
            [reverse("reporting:dashboard", args=["national"])],
        ),
        ("published offers of the region", "advisor", [reverse("offers:browse_offers")]),
        ("recruiter's offers", "recruiter", [reverse("offers:my_offers")]),
        (
            "an offer's board (100 proposals)",
            "recruiter",
            [reverse("offers:offer_board", args=[board.pk])],
        ),
        (
            "matching suggestions (the mission locale's youths)",
            "advisor",
            [reverse("offers:offer_suggestions", args=[board.pk])],
        ),
        ("sessions list", "advisor", [reverse("immersion:session_list")]),
        ("sessions calendar", "advisor", [reverse("immersion:session_calendar")]),
        (
            "one session's page (enrolment form)",
            "advisor",
            [reverse("immersion:session_detail", args=[session.pk])],
        ),
    ]


def get(port: int, path: str, cookie: str) -> tuple[int, int]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
    conn.request("GET", path, headers={"Cookie": cookie, "X-Forwarded-Proto": "https"})
    response = conn.getresponse()
    body = response.read()
    conn.close()
    return response.status, len(body)


def wait_for(port: int, server: subprocess.Popen) -> None:
    for _ in range(120):
        if server.poll() is not None:
            raise SystemExit("gunicorn stopped: see its output above")
        try:
            get(port, "/health/", "")
            return
        except OSError:
            time.sleep(0.5)
    raise SystemExit("gunicorn did not answer within 60 s")


def closed_loop(port: int, paths: list[str], cookie: str, connections: int, rounds: int) -> dict:
    """For a page slower than wrk's run: `connections` threads each request it
    `rounds` times, one after the other (a closed loop, as wrk), timed one by one."""
    timings: list[float] = []

    def client(offset: int) -> None:
        for n in range(rounds):
            started = time.perf_counter()
            status, _size = get(port, paths[(offset + n) % len(paths)], cookie)
            timings.append((time.perf_counter() - started) * 1000)
            if status != 200:
                raise SystemExit(f"{paths[0]} answered {status}")

    threads = [threading.Thread(target=client, args=(i,)) for i in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    ordered = sorted(timings)

    def rank(share: float) -> float:
        return ordered[max(0, math.ceil(share * len(ordered)) - 1)]

    return {
        "p50": rank(0.5),
        "p95": rank(0.95),
        "p99": rank(0.99),
        "requests": len(ordered),
        "timings": ordered,
    }


def pooled(results: list[dict]) -> dict:
    """One distribution of a page's turns: a turn of wrk by its 400 quantiles, each
    weighing a 400th of its requests; a turn measured apart by its timings, one each.
    Percentiles by nearest rank, as wrk's."""
    points: list[tuple[float, float]] = []
    for result in results:
        if "timings" in result:
            points.extend((timing, 1.0) for timing in result["timings"])
        else:
            weight = result["requests"] / len(result["quantiles_us"])
            points.extend((value / 1000, weight) for value in result["quantiles_us"])
    points.sort()
    total = sum(weight for _value, weight in points)

    def rank(share: float) -> float:
        reached = 0.0
        for value, weight in points:
            reached += weight
            if reached >= share * total - 1e-9:
                return value
        return points[-1][0]

    merged = {
        "p50": rank(0.5),
        "p95": rank(0.95),
        "p99": rank(0.99),
        "requests": sum(result["requests"] for result in results),
        "turn_p95": [result["p95"] for result in results],
    }
    if any(result.get("slow") for result in results):
        merged |= {"slow": True, "rounds": next(r["rounds"] for r in results if r.get("slow"))}
    return merged


def run_wrk(
    port: int, paths: list[str], cookie: str, connections: int, duration: int, slow_rounds: int
) -> dict:
    command = [
        "wrk",
        "-t1",
        f"-c{connections}",
        f"-d{duration}s",
        "--timeout",
        "60s",
        "-H",
        f"Cookie: {cookie}",
        "-H",
        "X-Forwarded-Proto: https",
        "-s",
        str(BENCH / "wrk_report.lua"),
        f"http://127.0.0.1:{port}{paths[0]}",
        "--",
        *paths,
    ]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    result = json.loads(output.strip().splitlines()[-1])
    if result["non2xx"] or result["timeouts"]:
        raise SystemExit(f"{paths[0]}: {result['non2xx']} errors, {result['timeouts']} timeouts")
    if result["requests"] < MIN_REQUESTS:
        # Slower than the run itself: wrk counts only the answers within it. Measure
        # the page on its own, then let the server finish what wrk left running.
        time.sleep(1)
        result = closed_loop(port, paths, cookie, connections, rounds=slow_rounds)
        result["rounds"] = slow_rounds
        result["slow"] = True
    return result


#: The signed-in user of each role the pages are requested as.
ROLE_EMAILS = {
    "advisor": "conseiller0-0@bench.fr",
    "recruiter": "recruteur@bench.fr",
    "national": "national@bench.fr",
}


def role_cookie(role: str) -> str:
    """A session cookie of the signed-in user of `role` (`ROLE_EMAILS`)."""
    from accounts.models import User

    return signed_in_cookie(User.objects.get(email=ROLE_EMAILS[role]))


def arguments(description: str) -> argparse.ArgumentParser:
    """The database and cache arguments of this benchmark and of the scripts that
    request its pages in-process (`profile_pages`, `explain_pages`, `gc_pages`)."""
    parser = argparse.ArgumentParser(
        description=description, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--database-url", default="postgres://postgres@127.0.0.1:5432/cp_perf_bench"
    )
    parser.add_argument("--cache-url", default="redis://127.0.0.1:6379/14")
    return parser


def in_process_environment(args) -> None:
    """This process's environment as the server's, for the test client's host."""
    args.env = ["ALLOWED_HOSTS=testserver"]
    os.environ.update(environment(args))


def main() -> None:  # noqa: PLR0915
    parser = arguments(__doc__)
    parser.add_argument("--youths", type=int, default=100_000)
    parser.add_argument(
        "--advisor-share",
        type=float,
        default=None,
        help="share of the youths in the advisor's mission locale (0.5 up to 100,000, 0.2 past)",
    )
    parser.add_argument("--mission-locales", type=int, default=5)
    parser.add_argument(
        "--loader",
        choices=("python", "sql"),
        default=None,
        help="bulk_create in Python (up to 100,000 youths by default) or INSERT … SELECT "
        "generated by PostgreSQL (past it)",
    )
    parser.add_argument(
        "--events-per-youth",
        type=float,
        default=0,
        help="SQL loader: about this many pathway events a youth (10 for 10 million at "
        "1,000,000 youths); 0: the forward path only (3.5 on average)",
    )
    parser.add_argument("--duration", type=int, default=8, help="seconds per page and load")
    parser.add_argument(
        "--slices",
        type=int,
        default=4,
        help="turns the duration is cut into: the floor and every page in each turn",
    )
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--connections", default="1,4")
    parser.add_argument(
        "--env", action="append", default=[], help="NAME=value for the server (e.g. CONN_MAX_AGE=0)"
    )
    parser.add_argument("--only", default="", help="measure only the pages whose label has this")
    parser.add_argument("--skip", default="", help="leave out the pages whose label has this")
    parser.add_argument(
        "--slow-rounds",
        type=int,
        default=5,
        help="requests per connection for a page slower than --duration (measured apart)",
    )
    parser.add_argument("--keep", action="store_true", help="reuse the loaded database")
    parser.add_argument(
        "--load-only", action="store_true", help="load the data, then stop (no server)"
    )
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is missing: apt-get install wrk")
    env = environment(args)
    os.environ.update(env)
    # Stopped by SIGTERM: stop the server too (the `finally` below runs).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    if not args.keep:
        print(f"Recreating {database_name(args.database_url)}, loading {args.youths} youths…")
        recreate_database(args.database_url)
    import django

    django.setup()
    from django.core.management import call_command

    if not args.keep:
        from bench.server_data import load

        share = args.advisor_share or (0.5 if args.youths <= 100_000 else 0.2)
        loader = args.loader or ("python" if args.youths <= 100_000 else "sql")
        started = time.perf_counter()
        load(
            youths=args.youths,
            advisor_share=share,
            mission_locales=args.mission_locales,
            loader=loader,
            events_per_youth=args.events_per_youth,
        )
        print(f"Loaded in {time.perf_counter() - started:.0f} s ({loader} loader)", flush=True)
    else:
        call_command("migrate", verbosity=0)
    if args.load_only:
        return
    call_command("collectstatic", interactive=False, verbosity=0)
    # The cache is the benchmark's own database of Redis: emptied, so that no page is
    # served what an earlier run left there (the dashboard's figures are kept 5
    # minutes, under a key that names the scope, not the database: a run at 1,000,000
    # youths read the figures a run at 100,000 had just computed).
    import redis

    redis.Redis.from_url(args.cache_url).flushdb()
    cookies = {role: role_cookie(role) for role in ROLE_EMAILS}
    measured = [p for p in pages() if args.only in p[0] and not (args.skip and args.skip in p[0])]
    from django.db import connections as db_connections

    db_connections.close_all()
    server = subprocess.Popen(  # noqa: S603
        [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            "convention_portal.wsgi",
            f"--workers={args.workers}",
            f"--bind=127.0.0.1:{args.port}",
            "--timeout=600",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        wait_for(args.port, server)
        for label, role, paths in measured:
            for path in paths[:3] * 2:  # every worker warmed, caches filled
                status, size = get(args.port, path, cookies[role])
                if status != 200:
                    raise SystemExit(f"{label}: {path} answered {status}")
        for _ in range(4):
            get(args.port, FLOOR, cookies["advisor"])
        slices = max(1, args.slices)
        seconds = max(1, round(args.duration / slices))
        print(
            f"\n{len(measured)} pages, {slices} turns of {seconds} s each, "
            f"gunicorn {args.workers} workers"
        )
        for connections in [int(c) for c in args.connections.split(",")]:

            def measure(paths: list[str], role: str, conns: int = connections) -> dict:
                return run_wrk(args.port, paths, cookies[role], conns, seconds, args.slow_rounds)

            floor_turns = []
            turns: dict[str, list[dict]] = {label: [] for label, _role, _paths in measured}
            for _turn in range(slices):
                floor_turns.append(measure([FLOOR], "advisor"))
                for label, role, paths in measured:
                    turns[label].append(measure(paths, role))
            floor_turns.append(measure([FLOOR], "advisor"))
            floor = pooled(floor_turns)
            print(f"\n### {connections} connection{'s' if connections > 1 else ''}\n")
            print("| page | p50 (ms) | p95 (ms) | p99 (ms) | requests | p95 × floor |")
            print("|---|---:|---:|---:|---:|---:|")
            noise = f"{min(floor['turn_p95']):.1f}–{max(floor['turn_p95']):.1f}"
            rows = [(f"floor ({len(floor_turns)} turns, p95 of a turn {noise})", floor)]
            rows += [(label, pooled(turns[label])) for label, _role, _paths in measured]
            for label, result in rows:
                mark = f" ({result['rounds']} in turn per connection)" if result.get("slow") else ""
                print(
                    f"| {label}{mark} | {result['p50']:.1f} | {result['p95']:.1f} | "
                    f"{result['p99']:.1f} | {result['requests']} | "
                    f"{result['p95'] / floor['p95']:.1f} |",
                    flush=True,
                )
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()  # a worker still rendering a slow page
            server.wait()


if __name__ == "__main__":
    main()
