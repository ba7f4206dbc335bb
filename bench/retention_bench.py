"""Benchmark of the retention job (candidates.retention) on PostgreSQL.

Not a test: it loads a separate database (default `cp_retention_bench`, dropped and
recreated unless --keep), then runs the job twice, each time in a fresh process that
reports its duration and its memory:

1. on the notice day: every expired file (no activity for 24 months less 30 days) is
   announced and one email per advisor and manager recorded; then those emails are
   built and handed to a dummy backend, as the worker's `send_email` tasks would, timed
   apart;
2. 30 days later: those files are anonymised through every app's part of the registry;
   then the same day again, which must do nothing.

    .venv/bin/python bench/retention_bench.py \
        --database-url postgres://postgres@127.0.0.1:5432/cp_retention_bench

Memory: the growth of the process's resident set during the job (VmHWM minus the VmRSS
before it) and, with --tracemalloc, the peak of Python allocations (tracemalloc slows
the run down: time it without). Run it at two table sizes
(`--youths 50000 --expired 10000`, then the defaults): the memory must stay the same,
bounded by `--batch-size`, not by the table.
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import time
from datetime import datetime, timedelta
from datetime import time as day_time

from common import configure, database_name, recreate_database

FIRST = ["Inès", "Yanis", "Léa", "Mehdi", "Chloé", "Karim", "Sarah", "Lucas", "Amira", "Hugo"]
# Surnames of three syllables out of twenty: 8,000 of them, so that a surname is shared
# by a dozen youths of 100,000, not by thousands.
SYLLABLES = ["ma", "ber", "lo", "ri", "dan", "ca", "vel", "tou", "ni", "sar"]
SYLLABLES += ["go", "mel", "fa", "rou", "ti", "ben", "la", "chi", "mo", "dre"]


def surname(rng) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(3)).capitalize()


BATCH = 5000


def load(total: int, expired: int, today) -> None:
    """`total` youths over five missions locales (ten advisors and a manager each), of
    which `expired` were last seen 30 to 33 months ago, the others within the last 20
    months; each with two pathway events and a follow-up note. Around them: 100,000
    access-log entries (half older than 12 months), 200 imports of 50 rows (half older
    than 30 days), 5,000 refusals of active youths (half older than 6 months), 500
    mentors never paired since 2020."""
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from accounts.enums import OrganisationKind, Role
    from accounts.models import Membership, Organisation, Region, User
    from accounts.seed import demo_siret
    from candidates.access_log import AccessLogEntry
    from candidates.enums import AccessKind, MentorKind, NoteChannel, PathwayStage
    from candidates.models import FollowUpNote, ImportBatch, Mentor, PathwayEvent, Youth
    from candidates.text import normalise_name
    from offers.enums import ContractType, DeclineReason, OfferStatus, ProposalStatus
    from offers.models import JobRole, Offer, Proposal

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
        manager = User.objects.create_user(f"responsable{i}@bench.fr", "bench-password-123")
        Membership.objects.create(user=manager, organisation=ml, role=Role.ML_MANAGER)
        for j in range(10):
            user = User.objects.create_user(f"conseiller{i}-{j}@bench.fr", "bench-password-123")
            Membership.objects.create(user=user, organisation=ml, role=Role.ADVISOR)
            advisors.append(user)
    rng = random.Random(42)
    every = total // expired if expired else total + 1
    start = time.perf_counter()
    active_pks = []
    for offset in range(0, total, BATCH):
        youths = []
        for n in range(offset, min(offset + BATCH, total)):
            gone = n % every == 0 and n // every < expired
            days = rng.randint(915, 1000) if gone else rng.randint(30, 600)
            registered = today - timedelta(days=days)
            first, last = rng.choice(FIRST), surname(rng)
            ml_index = (n // 5) % 5
            youths.append(
                Youth(
                    mission_locale=mls[ml_index],
                    advisor=advisors[ml_index * 10 + (n // 25) % 10],
                    first_name=first,
                    last_name=last,
                    search_name=normalise_name(last, first),
                    birth_date=registered - timedelta(days=20 * 365),
                    email=f"jeune{n}@bench.fr",
                    phone="0612345678",
                    postcode="13001",
                    city="Marseille",
                    registered_on=registered,
                    current_stage=PathwayStage.DISCOVERY,
                    stage_changed_on=registered + timedelta(days=5),
                    last_contact_on=registered + timedelta(days=10),
                )
            )
        Youth.objects.bulk_create(youths, batch_size=BATCH)
        events, notes = [], []
        for youth in youths:
            for k, stage in enumerate((PathwayStage.INFORMATION, PathwayStage.DISCOVERY)):
                events.append(
                    PathwayEvent(
                        youth=youth,
                        mission_locale_id=youth.mission_locale_id,
                        stage=stage,
                        previous_stage=PathwayStage.INFORMATION if k else "",
                        occurred_on=youth.registered_on + timedelta(days=5 * k),
                        author=youth.advisor,
                        note=f"Entretien avec {youth.first_name} {youth.last_name}",
                    )
                )
            notes.append(
                FollowUpNote(
                    youth=youth,
                    met_on=youth.last_contact_on,
                    channel=NoteChannel.PHONE,
                    summary=f"{youth.first_name} cherche un poste en centre d'appels.",
                    author=youth.advisor,
                )
            )
            if youth.registered_on > today - timedelta(days=700):
                active_pks.append(youth.pk)
        PathwayEvent.objects.bulk_create(events, batch_size=BATCH)
        FollowUpNote.objects.bulk_create(notes, batch_size=BATCH)
        print(
            f"  {offset + len(youths):>7} youths ({time.perf_counter() - start:.0f} s)", flush=True
        )

    now = timezone.now()
    entries = [
        AccessLogEntry(
            user=advisors[n % 50],
            kind=AccessKind.YOUTH_FILE,
            youth_id=active_pks[n % len(active_pks)],
            mission_locale=mls[n % 5],
            at=now - timedelta(days=400 + n % 300 if n % 2 else n % 300),
            path="/jeunes/",
        )
        for n in range(100_000)
    ]
    AccessLogEntry.objects.bulk_create(entries, batch_size=BATCH)
    rows = [
        {"line": k + 2, "first_name": rng.choice(FIRST), "last_name": surname(rng)}
        for k in range(50)
    ]
    batches = ImportBatch.objects.bulk_create(
        [
            ImportBatch(
                mission_locale=mls[n % 5],
                uploaded_by=advisors[n % 50],
                file_name=f"import-{n}.csv",
                file_sha256=f"{n:064d}",
                valid_rows=rows,
                rejected_rows=rows[:5],
            )
            for n in range(200)
        ]
    )
    for n, batch in enumerate(batches):
        age = 40 + n if n % 2 else n % 25
        ImportBatch.objects.filter(pk=batch.pk).update(created_at=now - timedelta(days=age))
    company = Organisation.objects.create(
        kind=OrganisationKind.COMPANY,
        name="Centre d'appels",
        region=region,
        siret=demo_siret("9000000000001"),
    )
    role, _ = JobRole.objects.get_or_create(name="Téléconseiller / téléconseillère")
    offer = Offer.objects.create(
        company=company,
        region=region,
        job_role=role,
        contract_type=ContractType.CDI,
        positions=5,
        weekly_hours=35,
        status=OfferStatus.PUBLISHED,
    )
    proposals = Proposal.objects.bulk_create(
        [
            Proposal(
                offer=offer,
                youth_id=active_pks[n * 7 % len(active_pks)],
                note="Très motivé(e).",
                status=ProposalStatus.DECLINED,
                decline_reason=DeclineReason.PROFILE_MISMATCH,
            )
            for n in range(5000)
        ],
        batch_size=BATCH,
    )
    old = [p.pk for n, p in enumerate(proposals) if n % 2]
    Proposal.objects.filter(pk__in=old).update(status_changed_at=now - timedelta(days=200))
    Mentor.objects.bulk_create(
        [
            Mentor(
                mission_locale=mls[n % 5],
                first_name=rng.choice(FIRST),
                last_name=surname(rng),
                email=f"parrain{n}@bench.fr",
                kind=MentorKind.RETIRED,
                charter_signed_on=today - timedelta(days=2200),
            )
            for n in range(500)
        ]
    )
    Mentor.objects.update(
        created_at=timezone.make_aware(datetime.combine(today - timedelta(days=2200), day_time()))
    )
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    print(f"Loaded in {time.perf_counter() - start:.0f} s", flush=True)


def _vm(field: str) -> float:
    """A line of /proc/self/status, in MB."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    return 0.0


def _no_query_log() -> None:
    """DEBUG (the benchmarks' setting) keeps the last 9,000 queries' SQL in memory: a
    growth production does not have, and that would grow with the number of batches."""
    from django.conf import settings

    settings.DEBUG = False


def run_phase(day: str, batch_size: int, trace: bool) -> None:
    """One run of the job, in this fresh process: prints one JSON line. As on the
    worker, the job only records and queues its emails (here the queueing is skipped:
    there is no broker); `send_notices` then builds and sends them, as the worker's
    `send_email` tasks would, and is measured apart."""
    import tracemalloc

    import django

    django.setup()
    _no_query_log()
    from accounts.tasks import send_email
    from candidates import retention

    send_email.apply_async = lambda *args, **kwargs: None
    today = datetime.fromisoformat(day).date()
    rss_before = _vm("VmRSS")
    if trace:
        tracemalloc.start()
    start = time.perf_counter()
    done = retention.apply_rules(today=today, batch_size=batch_size)
    seconds = time.perf_counter() - start
    _current, peak = tracemalloc.get_traced_memory() if trace else (0, 0)
    print(
        json.dumps(
            {
                "day": day,
                "seconds": round(seconds, 1),
                "done": done,
                "tracemalloc_peak_mb": round(peak / 2**20, 1),
                "rss_growth_mb": round(_vm("VmHWM") - rss_before, 1),
            }
        )
    )


def send_notices(trace: bool) -> None:
    """Build and send (to a dummy backend) every notice email still pending, as the
    worker's `send_email` tasks do: prints one JSON line."""
    import tracemalloc

    import django

    django.setup()
    _no_query_log()
    from accounts.enums import EmailStatus
    from accounts.mail import deliver_email
    from accounts.models import OutgoingEmail
    from candidates.emails import RETENTION_NOTICE

    pending = list(
        OutgoingEmail.objects.filter(kind=RETENTION_NOTICE, status=EmailStatus.PENDING)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    rss_before = _vm("VmRSS")
    if trace:
        tracemalloc.start()
    start = time.perf_counter()
    results = [deliver_email(email_id=pk, final_attempt=True) for pk in pending]
    seconds = time.perf_counter() - start
    _current, peak = tracemalloc.get_traced_memory() if trace else (0, 0)
    print(
        json.dumps(
            {
                "day": "emails",
                "seconds": round(seconds, 1),
                "done": {
                    "notice_emails_sent": results.count("sent"),
                    "skipped": results.count("skipped"),
                },
                "tracemalloc_peak_mb": round(peak / 2**20, 1),
                "rss_growth_mb": round(_vm("VmHWM") - rss_before, 1),
            }
        )
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--database-url", default="postgres://postgres@127.0.0.1:5432/cp_retention_bench"
    )
    parser.add_argument("--youths", type=int, default=100_000)
    parser.add_argument("--expired", type=int, default=20_000)
    parser.add_argument("--batch-size", type=int, default=500)
    parser.add_argument("--keep", action="store_true", help="reuse the loaded database")
    parser.add_argument(
        "--tracemalloc",
        action="store_true",
        help="also measure the peak of Python allocations (slows the run down)",
    )
    parser.add_argument("--phase", help=argparse.SUPPRESS)
    args = parser.parse_args()

    configure(args.database_url, EMAIL_URL="dummymail://", LOG_LEVEL="WARNING")
    if args.phase == "emails":
        send_notices(args.tracemalloc)
        return
    if args.phase:
        run_phase(args.phase, args.batch_size, args.tracemalloc)
        return
    if not args.keep:
        print(
            f"Recreating {database_name(args.database_url)}: {args.youths} youths, "
            f"{args.expired} expired…"
        )
        recreate_database(args.database_url)
    import django

    django.setup()
    from django.db import connections
    from django.utils import timezone

    from candidates import retention
    from candidates.enums import YouthStatus
    from candidates.models import Youth

    today = timezone.localdate()
    if not args.keep:
        load(args.youths, args.expired, today)
    notice_day = today
    anonymisation_day = today + timedelta(days=retention.NOTICE_DAYS)
    connections.close_all()

    results = []
    phases = [notice_day.isoformat(), "emails", anonymisation_day.isoformat()]
    for day in [*phases, anonymisation_day.isoformat()]:
        out = subprocess.run(
            [
                sys.executable,
                __file__,
                "--database-url",
                args.database_url,
                "--batch-size",
                str(args.batch_size),
                "--phase",
                day,
                *(["--tracemalloc"] if args.tracemalloc else []),
            ],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        result = json.loads(out.strip().splitlines()[-1])
        results.append(result)
        print(json.dumps(result), flush=True)
    anonymised = Youth.objects.filter(status=YouthStatus.ANONYMISED).count()
    print(f"{Youth.objects.count()} youths, {anonymised} anonymised")
    if results[0]["done"]["youth_notice"] != args.expired or anonymised != args.expired:
        sys.exit("the job did not announce then anonymise every expired file")
    if set(results[3]["done"].values()) != {0}:
        sys.exit("the second run changed something")
    print("| run | seconds | done | Python peak (MB) | RSS growth (MB) |")
    print("|---|---|---|---|---|")
    labels = (
        "job, notice day",
        "notice emails, built and sent (the worker's send_email tasks)",
        "job, 30 days later",
        "job, 30 days later, again",
    )
    for label, result in zip(labels, results, strict=True):
        done = ", ".join(f"{k} {v}" for k, v in result["done"].items() if v)
        print(
            f"| {label} | {result['seconds']} | {done or 'nothing'} | "
            f"{result['tracemalloc_peak_mb']} | {result['rss_growth_mb']} |"
        )


if __name__ == "__main__":
    main()
