"""Benchmark of the sessions' list and calendar with 5,000 sessions and 100,000
enrolments on PostgreSQL, and of 20 parallel enrolments into a 10-seat session.

Not a test: it loads a separate database (default `cp_bench_immersion`, dropped and
recreated unless --keep), then times the list (first page, a filtered htmx fragment)
and the calendar month through Django's test Client, in-process, as a signed-in
advisor of the region, and prints p50/p95 in milliseconds. Then 20 threads, each with
its own connection, enrol a youth at the same instant into a 10-seat session: the
script checks exactly 10 confirmed and 10 waiting and prints the latencies.

    .venv/bin/python bench/immersion_bench.py \
        --database-url postgres://postgres@127.0.0.1:5432/cp_bench_immersion
"""

from __future__ import annotations

import argparse
import random
import threading
import time
from datetime import date, datetime, timedelta

from common import configure, database_name, recreate_database, report

FIRST = ["Inès", "Yanis", "Léa", "Mehdi", "Chloé", "Karim", "Sarah", "Lucas", "Amira", "Hugo"]
LAST = ["Martin", "Benali", "Rossi", "Nguyen", "Haddad", "Lefèvre", "Garcia", "Mercier"]
CITIES = ["Marseille", "Aix-en-Provence", "Aubagne", "Toulon", "Avignon", "Nice"]


def load(sessions_total: int, enrolments_total: int) -> None:
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from accounts.enums import OrganisationKind, Role
    from accounts.models import Membership, Organisation, Region, User
    from accounts.seed import demo_siret
    from candidates.models import Youth
    from candidates.text import normalise_name
    from immersion.enums import EnrolmentStatus, ProgrammeKind, SessionStatus, audience_of
    from immersion.models import Enrolment, Session

    call_command("migrate", verbosity=0)
    rng = random.Random(11)
    region = Region.objects.create(code="93", name="Provence-Alpes-Côte d'Azur")
    other = Region.objects.create(code="84", name="Auvergne-Rhône-Alpes")
    mls = [
        Organisation.objects.create(
            kind=OrganisationKind.MISSION_LOCALE, name=f"Mission locale {i}", region=region
        )
        for i in range(5)
    ]
    hosts = [
        Organisation.objects.create(
            kind=kind,
            name=f"{kind} {i}",
            region=region if i % 10 else other,
            siret=demo_siret(f"9{i:012d}") if kind == OrganisationKind.COMPANY else "",
        )
        for i in range(30)
        for kind in (OrganisationKind.COMPANY, OrganisationKind.TRAINING_BODY)
    ]
    advisors = []
    for i, ml in enumerate(mls):
        user = User.objects.create_user(f"conseiller{i}@bench.fr", "bench-password-123")
        Membership.objects.create(user=user, organisation=ml, role=Role.ADVISOR)
        advisors.append(user)
    today = timezone.localdate()
    youths = Youth.objects.bulk_create(
        [
            Youth(
                mission_locale=mls[i % 5],
                advisor=advisors[i % 5],
                first_name=FIRST[i % len(FIRST)],
                last_name=f"{LAST[i % len(LAST)]}{i}",
                search_name=normalise_name(f"{LAST[i % len(LAST)]}{i}", FIRST[i % len(FIRST)]),
                birth_date=date(today.year - 20, 1 + i % 12, 1 + i % 28),
                registered_on=today - timedelta(days=300),
            )
            for i in range(10_000)
        ],
        batch_size=5000,
    )
    tz = timezone.get_current_timezone()
    kinds = ProgrammeKind.values
    start = datetime.combine(today - timedelta(days=365), datetime.min.time())
    per_session = max(1, enrolments_total // sessions_total)
    sessions = []
    for i in range(sessions_total):
        kind = kinds[i % len(kinds)]
        host = hosts[i % len(hosts)]
        starts_at = timezone.make_aware(
            start + timedelta(days=rng.randrange(730), hours=8 + rng.randrange(9)), tz
        )
        capacity = per_session + rng.randrange(0, 5)
        sessions.append(
            Session(
                region_id=host.region_id,
                kind=kind,
                audience=audience_of(kind),
                title=f"Session {i} · {ProgrammeKind(kind).label}",
                host=host,
                place=f"{i} rue de la République",
                city=CITIES[i % len(CITIES)],
                starts_at=starts_at,
                ends_at=starts_at + timedelta(hours=3),
                capacity=capacity,
                registration_deadline=timezone.localdate(starts_at) - timedelta(days=2),
                status=SessionStatus.OPEN,
            )
        )
    sessions = Session.objects.bulk_create(sessions, batch_size=2000)
    enrolments = []
    for session in sessions:
        chosen = rng.sample(youths, per_session)
        for n, youth in enumerate(chosen):
            confirmed = n < session.capacity
            enrolments.append(
                Enrolment(
                    session=session,
                    youth=youth,
                    status=EnrolmentStatus.CONFIRMED if confirmed else EnrolmentStatus.WAITING,
                    enrolled_by=youth.advisor,
                )
            )
        session.confirmed_count = min(per_session, session.capacity)
        session.waiting_count = max(0, per_session - session.capacity)
    Enrolment.objects.bulk_create(enrolments, batch_size=10_000)
    Session.objects.bulk_update(sessions, ["confirmed_count", "waiting_count"], batch_size=2000)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


def timed(client, url, params=None, runs=60, headers=None) -> list[float]:
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        response = client.get(url, params or {}, headers=headers or {})
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return timings


def concurrent_enrolments() -> tuple[int, int, list[float]]:
    """20 advisors enrol one youth each at the same instant into a 10-seat session."""
    from django.db import connections
    from django.utils import timezone

    from accounts.enums import OrganisationKind, Role
    from accounts.models import Membership, Organisation, User
    from candidates.models import Youth
    from immersion.enums import EnrolmentStatus, SessionStatus
    from immersion.models import Enrolment, Session
    from immersion.services import enrol_youths

    host = Organisation.objects.filter(kind=OrganisationKind.COMPANY).first()
    ml = Organisation.objects.create(
        kind=OrganisationKind.MISSION_LOCALE, name="ML concurrence", region=host.region
    )
    starts_at = timezone.now() + timedelta(days=20)
    session = Session.objects.create(
        region=host.region,
        kind="immersion_day",
        audience="youths",
        title="Concurrence : 10 places",
        host=host,
        place="1 place de la Bourse",
        city="Marseille",
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=3),
        capacity=10,
        registration_deadline=timezone.localdate() + timedelta(days=10),
        status=SessionStatus.OPEN,
    )
    pairs = []
    stamp = int(time.time())
    for i in range(20):
        advisor = User.objects.create_user(f"concurrent{stamp}-{i}@bench.fr", "bench-pw-123")
        Membership.objects.create(user=advisor, organisation=ml, role=Role.ADVISOR)
        youth = Youth.objects.create(
            mission_locale=ml,
            advisor=advisor,
            first_name="Concurrent",
            last_name=str(i),
            search_name=f"{i} concurrent",
            birth_date=date(2005, 1, 1),
        )
        pairs.append((advisor, youth))
    barrier = threading.Barrier(len(pairs))
    latencies: list[float] = []
    lock = threading.Lock()

    def enrol(advisor, youth):
        try:
            barrier.wait()
            started = time.perf_counter()
            enrol_youths(actor=advisor, session=session, youths=[youth])
            with lock:
                latencies.append((time.perf_counter() - started) * 1000)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=enrol, args=pair) for pair in pairs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    statuses = list(Enrolment.objects.filter(session=session).values_list("status", flat=True))
    return (
        statuses.count(EnrolmentStatus.CONFIRMED),
        statuses.count(EnrolmentStatus.WAITING),
        latencies,
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--database-url", default="postgres://postgres@127.0.0.1:5432/cp_bench_immersion"
    )
    parser.add_argument("--sessions", type=int, default=5_000)
    parser.add_argument("--enrolments", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=60)
    parser.add_argument("--keep", action="store_true", help="reuse the loaded database")
    args = parser.parse_args()

    configure(args.database_url)  # promotion emails, if any, stay in-process
    if not args.keep:
        print(f"Recreating {database_name(args.database_url)}…", flush=True)
        recreate_database(args.database_url)
    import django

    django.setup()
    from django.test import Client
    from django.urls import reverse
    from django.utils import timezone

    from accounts.models import User
    from immersion.models import Enrolment, Session

    if not args.keep:
        started = time.perf_counter()
        load(args.sessions, args.enrolments)
        print(f"Loaded in {time.perf_counter() - started:.0f} s", flush=True)
    advisor = User.objects.get(email="conseiller0@bench.fr")
    region_sessions = Session.objects.visible_to(advisor)
    print(
        f"{Session.objects.count()} sessions ({region_sessions.count()} in the advisor's "
        f"region), {Enrolment.objects.count()} enrolments"
    )
    client = Client()
    client.force_login(advisor)
    list_url = reverse("immersion:session_list")
    calendar_url = reverse("immersion:session_calendar")
    today = timezone.localdate()
    month = {"annee": today.year, "mois": today.month}
    in_month = region_sessions.in_month(today.year, today.month).count()
    timed(client, list_url, runs=5)
    timed(client, calendar_url, month, runs=5)
    rows = [
        report(
            "list, upcoming sessions (first page of 50)", timed(client, list_url, runs=args.runs)
        ),
        report(
            "list, htmx fragment (kind, city, month filters)",
            timed(
                client,
                list_url,
                {"kind": "job_meeting", "city": "Marseille", "month": today.strftime("%Y-%m")},
                runs=args.runs,
                headers={"HX-Request": "true"},
            ),
        ),
        report(
            f"calendar, this month ({in_month} sessions)",
            timed(client, calendar_url, month, runs=args.runs),
        ),
    ]
    confirmed, waiting, latencies = concurrent_enrolments()
    print("| page | p50 (ms) | p95 (ms) | requests |")
    print("|---|---|---|---|")
    print("\n".join(rows))
    print(report("enrolment, 20 at once into 10 seats (service call)", latencies))
    print(f"Concurrency: {confirmed} confirmed, {waiting} waiting (expected 10 and 10)")
    if (confirmed, waiting) != (10, 10):
        raise SystemExit("capacity not respected")


if __name__ == "__main__":
    main()
