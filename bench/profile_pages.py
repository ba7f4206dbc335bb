"""Where each page of the server benchmark spends its time: in the database or in
Python (views, ORM, templates).

Not a test. On the database `bench/server_bench.py` loaded, requests each page
`--rounds` times in-process with the benchmark's settings (DEBUG off) and prints per
page: the mean time of a request, the part spent waiting for PostgreSQL, the CPU time
of this process (Python's own work, whatever else the machine runs), the number of
queries; with `--profile`, the functions taking most of the time (cProfile, cumulative).

    .venv/bin/python bench/profile_pages.py \\
        --database-url postgres://postgres@127.0.0.1:5432/cp_perf_bench --only board --profile
"""

from __future__ import annotations

import cProfile
import io
import pstats
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def main() -> None:
    from bench import server_bench as server

    parser = server.arguments(__doc__)
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--only", default="")
    parser.add_argument(
        "--path",
        action="append",
        default=[],
        help="ROLE:PATH, another page to measure (e.g. advisor:/mentions-legales/)",
    )
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--lines", type=int, default=25)
    parser.add_argument(
        "--sort", default="cumulative", help="cProfile's order: cumulative, tottime..."
    )
    args = parser.parse_args()
    server.in_process_environment(args)
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client

    spent = {"sql": 0.0, "queries": 0}

    def timed(execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            spent["sql"] += time.perf_counter() - started
            spent["queries"] += 1

    print(
        "| page | ms a request | of which SQL | CPU of this process (ms) | queries |\n"
        "|---|---:|---:|---:|---:|"
    )
    floor = ("floor (bench/floor_urls.py)", "advisor", ["/__bench__/floor/"])
    extra = [
        (f"{path} ({role})", role, [path]) for role, path in (p.split(":", 1) for p in args.path)
    ]
    for label, role, paths in [floor, *server.pages(), *extra]:
        if args.only not in label and label != floor[0] and (label, role, paths) not in extra:
            continue
        client = Client()
        cookie = server.role_cookie(role)
        client.cookies[settings.SESSION_COOKIE_NAME] = cookie.split("=", 1)[1]
        client.get(paths[0], secure=True)  # warm
        spent.update(sql=0.0, queries=0)
        profiler = cProfile.Profile() if args.profile else None
        with connection.execute_wrapper(timed):
            started = time.perf_counter()
            cpu_started = time.process_time()
            if profiler:
                profiler.enable()
            for n in range(args.rounds):
                response = client.get(paths[n % len(paths)], secure=True)
                assert response.status_code == 200, (label, response.status_code)
            if profiler:
                profiler.disable()
            total = time.perf_counter() - started
            cpu = time.process_time() - cpu_started
        print(
            f"| {label} | {total / args.rounds * 1000:.1f} | "
            f"{spent['sql'] / args.rounds * 1000:.1f} | {cpu / args.rounds * 1000:.1f} | "
            f"{spent['queries'] / args.rounds:.0f} |",
            flush=True,
        )
        if profiler:
            out = io.StringIO()
            pstats.Stats(profiler, stream=out).sort_stats(args.sort).print_stats(args.lines)
            print(out.getvalue())


if __name__ == "__main__":
    main()
