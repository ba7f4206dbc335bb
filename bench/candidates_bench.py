"""Benchmark of the candidate pool's pages with 100,000 youths on PostgreSQL.

Not a test: it loads a separate database (default `cp_bench`, dropped and recreated
unless --keep), then times the advisor's list, a filtered search and the youth page
through Django's test Client, in-process, and prints p50/p95 in milliseconds.

    .venv/bin/python bench/candidates_bench.py \
        --database-url postgres://postgres@127.0.0.1:5432/cp_bench

The advisor's own mission locale holds half of the youths (50,000); the other half is
spread over four other missions locales (the scoping filter must not read them).
"""

from __future__ import annotations

import argparse
import random
import time
from datetime import timedelta

from common import configure, database_name, recreate_database, report

FIRST = [
    "Inès",
    "Yanis",
    "Léa",
    "Mehdi",
    "Chloé",
    "Karim",
    "Sarah",
    "Lucas",
    "Amira",
    "Hugo",
    "Jade",
    "Nassim",
    "Manon",
    "Rayan",
    "Camille",
    "Sofiane",
    "Océane",
    "Théo",
    "Lina",
    "Éloïse",
]
LAST = [
    "Martin",
    "Benali",
    "Rossi",
    "Nguyen",
    "Haddad",
    "Lefèvre",
    "Garcia",
    "Mercier",
    "Diallo",
    "Fabre",
    "Bouzid",
    "Roux",
    "Amrani",
    "Giraud",
    "Ferrand",
    "Cohen",
    "Traoré",
    "Blanc",
    "Durand",
    "Petit",
    "Moreau",
    "Simon",
    "Laurent",
    "Michel",
    "Lefebvre",
    "Dupont",
]


def load(total: int) -> None:
    from django.core.management import call_command
    from django.utils import timezone

    from accounts.enums import OrganisationKind, Role
    from accounts.models import Membership, Organisation, Region, User
    from candidates.enums import AssessmentMethod, AssessmentOutcome, NoteChannel, PathwayStage
    from candidates.models import (
        Assessment,
        FollowUpNote,
        PathwayEvent,
        Youth,
        refresh_first_in_year,
    )
    from candidates.text import normalise_name

    call_command("migrate", verbosity=0)
    region = Region.objects.create(code="93", name="Provence-Alpes-Côte d'Azur")
    mls = [
        Organisation.objects.create(
            kind=OrganisationKind.MISSION_LOCALE, name=f"Mission locale {i}", region=region
        )
        for i in range(5)
    ]
    advisors = []
    for i, ml in enumerate(mls):
        for j in range(10):
            user = User.objects.create_user(
                f"conseiller{i}-{j}@bench.fr",
                "bench-password-123",
                first_name=FIRST[j],
                last_name=LAST[j],
            )
            Membership.objects.create(user=user, organisation=ml, role=Role.ADVISOR)
            advisors.append((ml, user))
    rng = random.Random(42)
    today = timezone.localdate()
    stages = [
        PathwayStage.INFORMATION,
        PathwayStage.DISCOVERY,
        PathwayStage.IMMERSION,
        PathwayStage.TRAINING,
        PathwayStage.HIRED,
        PathwayStage.STABILISED,
    ]
    batch = 5000
    start = time.perf_counter()
    for offset in range(0, total, batch):
        youths = []
        for n in range(offset, min(offset + batch, total)):
            ml_index = 0 if n % 2 == 0 else 1 + n % 4
            ml = mls[ml_index]
            advisor = advisors[ml_index * 10 + n % 10][1]
            first, last = rng.choice(FIRST), rng.choice(LAST)
            registered = today - timedelta(days=rng.randint(30, 900))
            depth = rng.randint(0, len(stages) - 1)
            youths.append(
                Youth(
                    mission_locale=ml,
                    advisor=advisor,
                    first_name=first,
                    last_name=last,
                    search_name=normalise_name(last, first),
                    birth_date=registered
                    - timedelta(days=rng.randint(16 * 365 + 10, 25 * 365 - 10)),
                    email=f"jeune{n}@bench.fr",
                    phone="0612345678",
                    registered_on=registered,
                    current_stage=stages[depth],
                    stage_changed_on=registered + timedelta(days=depth * 5),
                    last_contact_on=registered + timedelta(days=rng.randint(0, 25)),
                    last_assessment_outcome=rng.choice(AssessmentOutcome.values) if n % 2 else "",
                    civis_start=registered if n % 3 == 0 else None,
                )
            )
        Youth.objects.bulk_create(youths, batch_size=batch)
        events, notes, assessments = [], [], []
        for youth in youths:
            depth = stages.index(youth.current_stage)
            for k in range(depth + 1):
                events.append(
                    PathwayEvent(
                        youth=youth,
                        mission_locale_id=youth.mission_locale_id,
                        stage=stages[k],
                        previous_stage=stages[k - 1] if k else "",
                        occurred_on=youth.registered_on + timedelta(days=k * 5),
                        author=youth.advisor,
                        source="Contrat (bench)" if stages[k] == PathwayStage.HIRED else "",
                    )
                )
            notes.append(
                FollowUpNote(
                    youth=youth,
                    met_on=youth.last_contact_on,
                    channel=NoteChannel.PHONE,
                    summary="Point",
                    author=youth.advisor,
                )
            )
            if youth.last_assessment_outcome:
                assessments.append(
                    Assessment(
                        youth=youth,
                        assessed_on=youth.registered_on,
                        method=AssessmentMethod.INTERVIEW,
                        assessor=youth.advisor,
                        outcome=youth.last_assessment_outcome,
                        score_oral_expression=3,
                        score_listening=4,
                        score_written_french=3,
                        score_computer_use=4,
                        score_stress_handling=3,
                    )
                )
        PathwayEvent.objects.bulk_create(events, batch_size=batch)
        FollowUpNote.objects.bulk_create(notes, batch_size=batch)
        Assessment.objects.bulk_create(assessments, batch_size=batch)
        print(
            f"  {offset + len(youths):>7} youths loaded ({time.perf_counter() - start:.0f} s)",
            flush=True,
        )
    from django.db import connection

    refresh_first_in_year()  # bulk_create bypasses save(), which keeps these flags
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


def timed(client, url, params=None, runs=60) -> list[float]:
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        response = client.get(url, params or {})
        timings.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/cp_bench")
    parser.add_argument("--youths", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=60)
    parser.add_argument("--keep", action="store_true", help="reuse the loaded database")
    args = parser.parse_args()

    configure(args.database_url, CONN_MAX_AGE="600")
    if not args.keep:
        print(f"Recreating {database_name(args.database_url)} and loading {args.youths} youths…")
        recreate_database(args.database_url)
    import django

    django.setup()
    from django.test import Client
    from django.urls import reverse

    from accounts.models import User
    from candidates.models import PathwayEvent, Youth

    if not args.keep:
        load(args.youths)
    advisor = User.objects.get(email="conseiller0-0@bench.fr")
    client = Client()
    client.force_login(advisor)
    ml_youths = list(
        Youth.objects.filter(mission_locale__memberships__user=advisor).values_list(
            "pk", flat=True
        )[:5000]
    )
    print(
        f"{Youth.objects.count()} youths, {PathwayEvent.objects.count()} events; "
        f"{len(ml_youths) and Youth.objects.filter(mission_locale__memberships__user=advisor).count()} in the advisor's mission locale"
    )
    list_url = reverse("candidates:youth_list")
    timed(client, list_url, runs=5)  # warm up
    rng = random.Random(7)
    rows = [
        report(
            "list (first page, 25 of the mission locale's youths)",
            timed(client, list_url, runs=args.runs),
        ),
        report("list, page 40", timed(client, list_url, {"page": 40}, runs=args.runs)),
        report(
            "filtered search (name « lefevre », stage, sort by last contact)",
            timed(
                client,
                list_url,
                {"q": "lefevre", "stage": "discovery", "sort": "contact"},
                runs=args.runs,
            ),
        ),
        report(
            "filtered search, htmx fragment (« ines », no contact for 60 days, CIVIS)",
            [t for _ in range(1) for t in timed_htmx(client, list_url, args.runs)],
        ),
    ]
    page_timings = []
    for _ in range(args.runs):
        pk = rng.choice(ml_youths)
        page_timings += timed(client, reverse("candidates:youth_detail", args=[pk]), runs=1)
    rows.append(report("youth page (random youth, timeline)", page_timings))
    print("| page | p50 (ms) | p95 (ms) | requests |")
    print("|---|---|---|---|")
    print("\n".join(rows))


def timed_htmx(client, url, runs):
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        response = client.get(
            url,
            {"q": "ines", "no_contact_days": 60, "civis": "yes"},
            headers={"HX-Request": "true"},
        )
        timings.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200
    return timings


if __name__ == "__main__":
    main()
