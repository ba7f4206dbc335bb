"""Benchmark of the youth import with the largest file it accepts, on PostgreSQL.

Not a test: it recreates a separate database (default `cp_stream_bench`), writes a
French Excel CSV (Windows-1252, semicolons, CRLF) and an XLSX of MAX_ROWS youths (each
just under MAX_BYTES), then imports each through the services as the pages do: upload
(`start_import`), columns as proposed (`map_columns`), the preview page (rendered by
the test Client, first page), confirmation as its background job does it
(`import_confirm.run_confirmation`, in the process). It prints the time of each step,
the CPU time the process spent on it, and the peak memory.

    .venv/bin/python bench/import_bench.py \
        --database-url postgres://postgres@127.0.0.1:5432/cp_stream_bench

Each import runs in a fresh Python process, into a mission locale of its own, twice:
once for the times and the process's peak resident memory (`ru_maxrss`, what the
worker really takes, the interpreter and Django included), once under `tracemalloc`
for the peak of Python allocations (tracemalloc slows Python down, so its run is not
timed).
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from datetime import date, timedelta
from pathlib import Path

from common import ROOT, configure, database_name, recreate_database

FIRST = ["Inès", "Yanis", "Léa", "Mehdi", "Chloé", "Karim", "Sarah", "Lucas", "Amira", "Hugo"]
FIRST += ["Jade", "Nassim", "Manon", "Rayan", "Camille", "Sofiane", "Océane", "Théo", "Lina"]
LAST = ["Martin", "Benali", "Rossi", "Nguyen", "Haddad", "Lefèvre", "Garcia", "Mercier"]
LAST += ["Diallo", "Fabre", "Bouzid", "Roux", "Amrani", "Giraud", "Ferrand", "Traoré", "Blanc"]
CITIES = [("13003", "Marseille"), ("13100", "Aix-en-Provence"), ("83000", "Toulon")]
CITIES += [("84000", "Avignon"), ("06000", "Nice"), ("13200", "Arles"), ("04000", "Digne")]
LEVELS = ["CAP", "Bac pro", "BTS", "Brevet", "Licence", "niveau 4", "sans diplôme", "BEP"]
TITLES = [
    "NOM",
    "Prénom",
    "Date naiss.",
    "Mail",
    "Portable",
    "CP",
    "Ville",
    "Niveau",
    "CIVIS",
    "Référent",
    "Inscrit le",
]
ADVISORS = 5


def youth_rows(count: int, today: date) -> list[list[str]]:
    """`count` rows as a mission locale's export holds them: 1 % with a day that does
    not exist, a few unknown advisors, names and birth dates that repeat now and then."""
    rng = random.Random(42)
    rows = []
    for n in range(count):
        first, last = rng.choice(FIRST), rng.choice(LAST)
        registered = today - timedelta(days=rng.randint(0, 700))
        birth = registered - timedelta(days=rng.randint(16 * 365 + 10, 25 * 365 - 10))
        postcode, city = rng.choice(CITIES)
        advisor = f"c{rng.randrange(ADVISORS)}@ml.fr" if n % 50 else "ancien.conseiller@ml.fr"
        rows.append(
            [
                last.upper(),
                first,
                "30/02/2004" if n % 100 == 7 else f"{birth:%d/%m/%Y}",
                f"{first[:1].lower()}.{last.lower()}{n}@free.fr" if n % 3 else "",
                f"06{rng.randrange(10**8):08d}",
                postcode,
                city,
                rng.choice(LEVELS),
                "oui" if n % 4 == 0 else "non",
                advisor,
                f"{registered:%d/%m/%Y}",
            ]
        )
    return rows


def write_csv(rows: list[list[str]]) -> bytes:
    lines = [";".join(TITLES), *(";".join(row) for row in rows)]
    return ("\r\n".join(lines) + "\r\n").encode("cp1252")


def write_xlsx(rows: list[list[str]]) -> bytes:
    """As Excel saves it: dates as dates, the phone as text, shared strings."""
    from datetime import datetime

    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(TITLES)
    for row in rows:
        cells = list(row)
        for index in (2, 10):
            try:
                cells[index] = datetime.strptime(cells[index], "%d/%m/%Y")
            except ValueError:
                pass  # the day that does not exist stays text, as Excel keeps it
        sheet.append(cells)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _cpu_seconds() -> float:
    """CPU time of this process (user and system): what a step costs whatever else
    runs on the machine; PostgreSQL's own work is not in it."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def run_import(path: Path, label: str, trace: bool) -> dict:
    """One import of the file at `path` in this (fresh) process; returns the figures."""
    import django

    django.setup()
    from django.test import Client
    from django.urls import reverse

    from accounts.enums import OrganisationKind, Role
    from accounts.models import Membership, Organisation, Region, User
    from candidates.import_confirm import run_confirmation
    from candidates.importing import ASSIGN_TO_ME, map_columns, start_import

    region = Region.objects.get_or_create(code="93", defaults={"name": "PACA"})[0]
    ml = Organisation.objects.create(
        kind=OrganisationKind.MISSION_LOCALE, name=f"ML {label} {time.time_ns()}", region=region
    )
    advisors = []
    for index in range(ADVISORS):
        # The file names its advisors c0@ml.fr…: they are this mission locale's now.
        email = f"c{index}@ml.fr"
        User.objects.filter(email=email).update(email=f"{time.time_ns()}-{index}@bench.fr")
        user = User.objects.create_user(email, "bench-password-123")
        Membership.objects.create(user=user, organisation=ml, role=Role.ADVISOR)
        advisors.append(user)
    advisor = advisors[0]
    client = Client()
    client.force_login(advisor)
    if trace:
        # tracemalloc slows Python down several times: the reading limit (CPU time, a
        # guard against hostile files) would refuse the XLSX it reads in 10 s untraced.
        from candidates import importing

        importing.MAX_READ_SECONDS = 600
        tracemalloc.start()
    steps, cpu = {}, {}

    def timed(step, work):
        start, used = time.perf_counter(), _cpu_seconds()
        result = work()
        steps[step] = time.perf_counter() - start
        cpu[step] = _cpu_seconds() - used
        return result

    batch = timed(
        "upload (read, propose columns)",
        lambda: start_import(
            mission_locale=ml, actor=advisor, file_name=path.name, data=path.read_bytes()
        ),
    )
    batch = timed(
        "columns (check every row)",
        lambda: map_columns(batch=batch, actor=advisor, columns=batch.columns),
    )
    counts = (len(batch.valid_rows), len(batch.rejected_rows))
    batch.source_rows = batch.valid_rows = batch.rejected_rows = []
    response = timed(
        "preview page",
        lambda: client.get(reverse("candidates:import_preview", args=[batch.pk])),
    )
    assert response.status_code == 200, response.status_code
    page_kb = len(response.content) / 1024
    del response
    # What the job does (`candidates.tasks.confirm_import_batch`), in this process.
    result = timed(
        "confirm (the job creates the youths)",
        lambda: run_confirmation(
            batch_id=batch.pk, actor_id=advisor.pk, unknown_advisor=ASSIGN_TO_ME
        ),
    )
    assert "refused" not in result, result
    batch.refresh_from_db(fields=["created_count"])
    figures = {
        "steps": steps,
        "cpu": cpu,
        "valid": counts[0],
        "refused": counts[1],
        "created": batch.created_count,
        "page_kb": page_kb,
        "maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }
    if trace:
        figures["traced_peak_mb"] = tracemalloc.get_traced_memory()[1] / (1024 * 1024)
        tracemalloc.stop()
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--database-url", default="postgres://postgres@127.0.0.1:5432/cp_stream_bench"
    )
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--label", default="", help=argparse.SUPPRESS)
    parser.add_argument("--trace", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument(
        "--timed-only",
        action="store_true",
        help="skip the runs under tracemalloc (the times and ru_maxrss only)",
    )
    args = parser.parse_args()
    configure(args.database_url)
    if args.child:
        print(json.dumps(run_import(args.child, args.label, args.trace)))
        return

    print(f"Recreating {database_name(args.database_url)}…", flush=True)
    print(f"Load average before: {os.getloadavg()}", flush=True)
    recreate_database(args.database_url)
    import django

    django.setup()
    from django.core.management import call_command
    from django.utils import timezone

    from candidates.importing import MAX_BYTES, MAX_ROWS

    call_command("migrate", verbosity=0)
    rows = youth_rows(MAX_ROWS, timezone.localdate())
    results = []
    with tempfile.TemporaryDirectory() as folder:
        for label, writer in (("csv", write_csv), ("xlsx", write_xlsx)):
            path = Path(folder) / f"vivier.{label}"
            path.write_bytes(writer(rows))
            size = path.stat().st_size
            assert size <= MAX_BYTES, (label, size)
            print(f"{label}: {len(rows)} rows, {size / (1024 * 1024):.2f} MB", flush=True)
            figures = {}
            for trace in (False,) if args.timed_only else (False, True):
                cmd = [sys.executable, str(Path(__file__)), "--database-url", args.database_url]
                cmd += ["--child", str(path), "--label", label] + (["--trace"] * trace)
                done = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, check=False)
                if done.returncode:
                    sys.exit(done.stderr)
                run = json.loads(done.stdout.strip().splitlines()[-1])
                print(f"  {'traced' if trace else 'timed'}: {json.dumps(run)}", flush=True)
                figures = {**run, **figures} if trace else run
            results.append((label, size, figures))
    print(f"Load average after: {os.getloadavg()}", flush=True)
    print()
    print("| file | step | time (s) | CPU of the process (s) |")
    print("|---|---|---|---|")
    for label, size, figures in results:
        name = f"{label.upper()} {size / (1024 * 1024):.2f} MB, {MAX_ROWS} rows"
        for step, seconds in figures["steps"].items():
            print(f"| {name} | {step} | {seconds:.1f} | {figures['cpu'][step]:.1f} |")
        total, total_cpu = sum(figures["steps"].values()), sum(figures["cpu"].values())
        print(f"| {name} | **total** | **{total:.1f}** | {total_cpu:.1f} |")
    print()
    print(
        "| file | valid | refused | created | preview page (KB) | ru_maxrss (MB) | tracemalloc peak (MB) |"
    )
    print("|---|---|---|---|---|---|---|")
    for label, _size, f in results:
        print(
            f"| {label.upper()} | {f['valid']} | {f['refused']} | {f['created']} | "
            f"{f['page_kb']:.0f} | {f['maxrss_mb']:.0f} | {f.get('traced_peak_mb', 0):.0f} |"
        )


if __name__ == "__main__":
    main()
