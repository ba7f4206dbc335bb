"""Benchmark of the reporting charts: drawing time of each chart kind, the import cost of
`reporting.charts` and the memory a process holds once it has drawn them.

Not a test, and no database: it sets Django up (DEBUG, no `.env`, no broker), then
- times each kind's drawing function (the cache bypassed) on the data of a national
  dashboard of twelve months, `--draws` times after two warm-up draws;
- in `--imports` fresh interpreters, each with Django set up first (as a web or worker
  process is), times `import reporting.charts` and reads the process's resident memory
  (VmRSS) before the import, after it, and after drawing each kind once.

    .venv/bin/python bench/charts_bench.py
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time

from common import ROOT, configure, percentiles

MONTHS = ["janv.", "févr.", "mars", "avr.", "mai", "juin"]
MONTHS += ["juil.", "août", "sept.", "oct.", "nov.", "déc."]

# A national year: the shapes and sizes the dashboards draw.
DATA = {
    "funnel": {
        "labels": [
            "Information",
            "Découverte des métiers",
            "Immersion",
            "Formation / alternance",
            "Embauche",
            "Emploi stabilisé",
            "Sortie",
        ],
        "values": [48213, 30977, 12040, 8311, 0, 2630, 940],
        "shown": ["48213", "30977", "12040", "8311", "< 5", "2630", "940"],
        "title": "Entrées dans chaque étape · 2025",
    },
    "hires": {
        "labels": MONTHS,
        "values": [61, 74, 90, 0, 85, 70, 41, 22, 95, 101, 88, 79],
        "shown": ["61", "74", "90", "< 5", "85", "70", "41", "22", "95", "101", "88", "79"],
        "target": 83.3,
        "previous": [55, 60, 71, 64, 80, 66, 38, 20, 90, 92, 81, 70],
        "title": "Embauches par mois · 2025",
    },
    "offers": {
        "labels": MONTHS,
        "registered": [120, 98, 143, 110, 131, 127, 88, 40, 150, 161, 140, 122],
        "filled": [80, 61, 99, 70, 92, 85, 55, 19, 104, 111, 96, 83],
        "title": "Offres : postes offerts et pourvus · 2025",
    },
    "occupancy": {
        "labels": MONTHS,
        "values": [12, 18, 25, 31, 36, 40, 41, 38, 44, 47, 49, 46],
        "capacity": 50,
        "title": "Plateforme d'immersion · 2025",
    },
}

# Run in a fresh interpreter: Django set up first, then the import timed alone.
PROBE = """
import json, os, sys, time
sys.path.insert(0, {root!r})

def rss():
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024

import django
django.setup()
before = rss()
modules = len(sys.modules)
start = time.perf_counter()
import reporting.charts as charts
elapsed = (time.perf_counter() - start) * 1000
after = rss()
added = len(sys.modules) - modules
from django.utils import translation
translation.activate("fr")
for kind, data in json.loads({data!r}).items():
    charts.CHARTS[kind](**data)
print(json.dumps({{"import_ms": elapsed, "rss_before": before, "rss_import": after,
                   "rss_drawn": rss(), "modules": added}}))
"""


def time_draws(draws: int) -> dict[str, list[float]]:
    import django
    from django.utils import translation

    django.setup()
    translation.activate("fr")
    from reporting import charts

    timings: dict[str, list[float]] = {}
    for kind, data in DATA.items():
        for _warm_up in range(2):
            charts.CHARTS[kind](**data)
        samples = []
        for _draw in range(draws):
            start = time.perf_counter()
            charts.CHARTS[kind](**data)
            samples.append((time.perf_counter() - start) * 1000)
        timings[kind] = samples
    return timings


def probe_imports(runs: int) -> list[dict]:
    code = PROBE.format(root=str(ROOT), data=json.dumps(DATA))
    results = []
    for _run in range(runs):
        output = subprocess.run(
            [sys.executable, "-c", code], check=True, capture_output=True, text=True, env=os.environ
        ).stdout
        results.append(json.loads(output.strip().splitlines()[-1]))
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--draws", type=int, default=50)
    parser.add_argument("--imports", type=int, default=10)
    args = parser.parse_args()
    configure("sqlite:///:memory:")

    print("| chart | p50 (ms) | p95 (ms) | draws |")
    print("|---|---:|---:|---:|")
    for kind, samples in time_draws(args.draws).items():
        p50, p95 = percentiles(samples)
        print(f"| {kind} | {p50:.1f} | {p95:.1f} | {len(samples)} |")

    results = probe_imports(args.imports)
    print()
    print("| fresh process, Django set up | p50 | p95 | runs |")
    print("|---|---:|---:|---:|")
    rows = [
        ("`import reporting.charts` (ms)", "import_ms"),
        ("modules the import loads", "modules"),
        ("RSS before the import (MiB)", "rss_before"),
        ("RSS after the import (MiB)", "rss_import"),
        ("RSS after drawing each kind once (MiB)", "rss_drawn"),
    ]
    for label, key in rows:
        p50, p95 = percentiles([r[key] for r in results])
        print(f"| {label} | {p50:.1f} | {p95:.1f} | {len(results)} |")


if __name__ == "__main__":
    main()
