"""Where a web worker's garbage collections fall: inside the requests or after their
answers (`convention_portal/collector.py`).

Not a test. On the database `bench/server_bench.py` loaded, calls the production WSGI
application (`convention_portal.wsgi`, as gunicorn does) `--rounds` times a page,
signed in, and prints per page the p50/p95/p99 of building an answer (the application
called and its body read) and the time in collections, per request, inside that window
and after it (when the server closes the answer). `--python` undoes the worker's
collector first (Python's thresholds, no collection after the answer) to compare.

    .venv/bin/python bench/gc_pages.py --only board
    .venv/bin/python bench/gc_pages.py --only board --python
"""

from __future__ import annotations

import gc
import io
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def main() -> None:
    from bench import server_bench as server

    parser = server.arguments(__doc__)
    parser.add_argument("--rounds", type=int, default=400)
    parser.add_argument("--only", default="")
    parser.add_argument("--python", action="store_true", help="Python's own thresholds")
    args = parser.parse_args()
    server.in_process_environment(args)
    from django.core.signals import request_finished

    import convention_portal.wsgi as wsgi

    if args.python:
        gc.set_threshold(700, 10, 10)
        request_finished.disconnect(dispatch_uid="collect_after_response")

    spent = {"inside": False, "started": 0.0, True: 0.0, False: 0.0}

    def watch(phase, info):
        if phase == "start":
            spent["started"] = time.perf_counter()
        else:
            spent[spent["inside"]] += time.perf_counter() - spent["started"]

    gc.callbacks.append(watch)

    def answer(path: str, cookie: str) -> float:
        path, _, query = path.partition("?")
        environ = {
            "REQUEST_METHOD": "GET",
            "PATH_INFO": path,
            "QUERY_STRING": query,
            "SCRIPT_NAME": "",
            "SERVER_NAME": "testserver",
            "SERVER_PORT": "443",
            "HTTP_HOST": "testserver",
            "HTTP_COOKIE": cookie,
            "HTTP_X_FORWARDED_PROTO": "https",
            "wsgi.url_scheme": "https",
            "wsgi.input": io.BytesIO(b""),
            "wsgi.errors": sys.stderr,
        }
        statuses = []
        spent["inside"] = True
        started = time.perf_counter()
        body = wsgi.application(environ, lambda status, headers, exc=None: statuses.append(status))
        b"".join(body)
        took = time.perf_counter() - started
        spent["inside"] = False
        body.close()  # `request_finished`: the collector's turn
        assert statuses[0].startswith("200"), (path, statuses[0])
        return took

    floor = ("floor (bench/floor_urls.py)", "advisor", ["/__bench__/floor/"])
    print(
        "| page | p50 (ms) | p95 (ms) | p99 (ms) | collections inside (ms a request)"
        " | after the answer (ms a request) |\n|---|---:|---:|---:|---:|---:|"
    )
    for label, role, paths in [floor, *server.pages()]:
        if args.only not in label and label != floor[0]:
            continue
        cookie = server.role_cookie(role)
        for n in range(20):  # warm
            answer(paths[n % len(paths)], cookie)
        spent.update({True: 0.0, False: 0.0})
        times = sorted(answer(paths[n % len(paths)], cookie) for n in range(args.rounds))
        rounds = args.rounds

        def at(share: float, times=times, rounds=rounds) -> str:
            return f"{times[min(rounds - 1, int(rounds * share))] * 1000:.1f}"

        print(
            f"| {label} | {at(0.5)} | {at(0.95)} | {at(0.99)} | "
            f"{spent[True] / rounds * 1000:.3f} | {spent[False] / rounds * 1000:.3f} |",
            flush=True,
        )


if __name__ == "__main__":
    main()
