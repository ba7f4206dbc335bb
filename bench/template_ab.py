"""What a part of a page's template costs in place: the page requested in-process with
its template as it is and with variants of it (a part left out, or written another
way), in turns, in one process.

Not a test. A part's cost measured alone (`timeit` on its tag) says little of what it
costs in a page: there the code and data it touches are cold, and a template node that
takes 5 µs in a loop takes 15 to 30 µs in a request. Here each variant serves batches of
`--batch` requests in turn with the others, `--rounds` times, and the median batch of
each is printed with its difference to the template as it is, so that the machine's
drift falls on every variant alike. A variant is `OLD=>NEW`: the template's text with
`OLD` replaced by `NEW` (`NEW` empty leaves the part out). It is written to a temporary
directory searched before the project's templates; the project's files are not touched.

    .venv/bin/python bench/template_ab.py \\
        --database-url postgres://postgres@127.0.0.1:5432/cp_perf_bench \\
        --page /sessions/ --role advisor --template immersion/session_list.html \\
        --variant '{% feed_links_section feed_links csrf_token %}=>'
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import server_bench as server  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--cache-url", default="redis://127.0.0.1:6379/14")
    parser.add_argument("--page", required=True)
    parser.add_argument("--role", default="advisor", choices=sorted(server.ROLE_EMAILS))
    parser.add_argument("--template", required=True, help="e.g. immersion/session_list.html")
    parser.add_argument("--variant", action="append", default=[], help="OLD=>NEW")
    parser.add_argument("--batch", type=int, default=25)
    parser.add_argument("--rounds", type=int, default=12)
    args = parser.parse_args()
    server.in_process_environment(args)
    import django

    django.setup()
    from django.conf import settings
    from django.template import engines
    from django.test import Client

    original = (ROOT / "templates" / args.template).read_text()
    variants = {"as it is": original}
    for variant in args.variant:
        old, new = variant.split("=>", 1)
        if old not in original:
            raise SystemExit(f"{args.template} holds no {old!r}")
        variants[variant] = original.replace(old, new)
    engine = engines["django"].engine
    with tempfile.TemporaryDirectory() as directory:
        written = Path(directory) / args.template
        written.parent.mkdir(parents=True, exist_ok=True)
        engine.dirs = [directory, *engine.dirs]
        # The cached loader keeps the loaders it wraps, each reading the engine's dirs.
        client = Client()
        client.cookies[settings.SESSION_COOKIE_NAME] = server.role_cookie(args.role).split("=", 1)[
            1
        ]
        times: dict[str, list[float]] = {name: [] for name in variants}
        sizes: dict[str, int] = {}
        for _round in range(args.rounds):
            for name, text in variants.items():
                written.write_text(text)
                for loader in engine.template_loaders:
                    loader.reset()
                for _warm in range(3):
                    response = client.get(args.page, secure=True)
                if response.status_code != 200:
                    raise SystemExit(f"{name}: {args.page} answered {response.status_code}")
                sizes[name] = len(response.content)
                started = time.perf_counter()
                for _request in range(args.batch):
                    client.get(args.page, secure=True)
                times[name].append((time.perf_counter() - started) / args.batch * 1000)
    base = statistics.median(times["as it is"])
    print(f"| variant of {args.template} | ms a request (median) | difference | bytes |")
    print("|---|---:|---:|---:|")
    for name, measured in times.items():
        median = statistics.median(measured)
        label = name.replace("|", "\\|")
        print(f"| `{label}` | {median:.2f} | {median - base:+.2f} | {sizes[name]} |")


if __name__ == "__main__":
    main()
