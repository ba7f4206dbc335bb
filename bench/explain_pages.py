"""The query plans behind the server benchmark's pages, with their real parameters.

Not a test. On the database `bench/server_bench.py` loaded (run that first), requests
each page of the benchmark once in-process (the benchmark's settings, a signed-in
session per role), records its SQL, and prints for the `--top` slowest statements of
each page their time and `EXPLAIN (ANALYZE, BUFFERS)` plan, condensed to the nodes
that read tables (the index or the sequential scan each one uses).

    .venv/bin/python bench/explain_pages.py \
        --database-url postgres://postgres@127.0.0.1:5432/cp_perf_bench
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

SCAN = re.compile(r"(Seq Scan|Index Only Scan|Index Scan|Bitmap Index Scan|Bitmap Heap Scan)")
LEADING_COMMENT = re.compile(r"^\s*(/\*.*?\*/\s*)*", re.DOTALL)


def main() -> None:
    from bench import server_bench as server

    parser = server.arguments(__doc__)
    parser.add_argument("--top", type=int, default=2)
    parser.add_argument("--only", default="")
    parser.add_argument("--full", action="store_true", help="print the whole plans")
    args = parser.parse_args()
    server.in_process_environment(args)
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    for label, role, paths in server.pages():
        if args.only not in label:
            continue
        client = Client()
        cookie = server.role_cookie(role)
        client.cookies[settings.SESSION_COOKIE_NAME] = cookie.split("=", 1)[1]
        with CaptureQueriesContext(connection) as queries:
            response = client.get(paths[0], secure=True)
        assert response.status_code == 200, (label, response.status_code)
        print(f"\n#### {label}: {len(queries)} queries\n")
        slowest = sorted(queries, key=lambda q: -float(q["time"]))[: args.top]
        for query in slowest:
            # (a statement may open with a comment: `PLANNED_FOR_ANY_PATTERN`)
            statement = LEADING_COMMENT.sub("", query["sql"])
            if not statement.upper().startswith(("SELECT", "WITH")):
                # A write (the access log's entry): EXPLAIN ANALYZE would run it again.
                print(
                    f"- {float(query['time']) * 1000:.1f} ms (a write, not explained): "
                    f"`{query['sql'][:160]}…`"
                )
                continue
            with connection.cursor() as cursor:
                cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {query['sql']}")
                plan = [row[0] for row in cursor.fetchall()]
            print(f"- {float(query['time']) * 1000:.1f} ms: `{query['sql'][:160]}…`")
            for line in plan:
                if args.full or SCAN.search(line) or line.startswith("Execution Time"):
                    print(f"    {line.strip()}")


if __name__ == "__main__":
    main()
