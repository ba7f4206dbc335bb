"""Benchmark of the reporting app on 100,000 youths, 1,000,000 pathway events and
20,000 offers, on a separate PostgreSQL database.

Not a test: it loads a database of its own (default `cp_bench_reporting`, dropped and
recreated unless --keep), then times, in-process through Django's test Client or the
services, and prints p50/p95 in milliseconds:
- the national dashboard page (cold: the figures' and charts' caches cleared before
  each request; warm: served from the cache, as most requests are within its five
  minutes), then its four chart images, and the page plus its images one after the
  other;
- the monthly digest for 1,000 recipients (the management command, sending in-process
  to Django's in-memory mail backend);
- the annual review's PDF (national, figures computed cold).

    .venv/bin/python bench/reporting_bench.py \
        --database-url postgres://postgres@127.0.0.1:5432/cp_bench_reporting
"""

from __future__ import annotations

import argparse
import datetime
import random
import tempfile
import time

from common import configure, database_name, percentiles, recreate_database

STAGES = ["information", "discovery", "immersion", "training", "hired", "stabilised"]
REGIONS = 12
MISSION_LOCALES_PER_REGION = 8
COMPANIES = 400


def copy_rows(model, columns: list[str], rows) -> int:
    """COPY rows (tuples in `columns` order) into the model's table; every other
    NOT NULL column gets the field's default."""
    from django.db import connection

    fields = {f.column: f for f in model._meta.concrete_fields if not f.primary_key}
    extra = [c for c, f in fields.items() if c not in columns and not f.null]
    defaults = []
    for column in extra:
        value = fields[column].get_default()
        if value is None and fields[column].get_internal_type() == "DateTimeField":
            value = datetime.datetime.now(datetime.UTC)
        defaults.append(value)
    all_columns = columns + extra
    count = 0
    with connection.cursor() as cursor:
        raw = cursor.cursor
        sql = f"COPY {model._meta.db_table} ({', '.join(all_columns)}) FROM STDIN"
        with raw.copy(sql) as copy:
            for row in rows:
                copy.write_row(tuple(row) + tuple(defaults))
                count += 1
    return count


def load(youths: int, events_per_youth: int, offers: int, recipients: int) -> None:
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
    from django.core.management import call_command
    from django.db import connection

    from accounts.enums import OrganisationKind, Role
    from accounts.models import Membership, Organisation, Region, User
    from candidates.models import PathwayEvent, Youth, refresh_first_in_year
    from reporting.review import render_review_html  # noqa: F401 (import check)

    call_command("migrate", verbosity=0)
    rng = random.Random(2006)
    regions = [
        Region.objects.create(code=f"B{i:02d}", name=f"Région {i:02d}") for i in range(REGIONS)
    ]
    mls = [
        Organisation.objects.create(
            kind=OrganisationKind.MISSION_LOCALE, name=f"Mission locale {r.code}-{j}", region=r
        )
        for r in regions
        for j in range(MISSION_LOCALES_PER_REGION)
    ]
    cnml = Organisation.objects.create(kind=OrganisationKind.CNML, name="CNML")
    national = User.objects.create_user(email="national@bench.fr", password="bench-password-42")
    Membership.objects.create(user=national, organisation=cnml, role=Role.NATIONAL)
    TOTP.activate(national, generate_totp_secret())
    users = [
        User(email=f"conseiller{i}@bench.fr", first_name="Conseiller", last_name=str(i))
        for i in range(recipients)
    ]
    User.objects.bulk_create(users, batch_size=1000)
    users = list(User.objects.filter(email__startswith="conseiller").order_by("pk"))
    Membership.objects.bulk_create(
        [
            Membership(user=u, organisation=mls[i % len(mls)], role=Role.ADVISOR)
            for i, u in enumerate(users)
        ]
    )

    start = datetime.date(2022, 1, 1)
    span = (datetime.date(2026, 10, 31) - start).days
    youth_rows = []
    for index in range(youths):
        registered = start + datetime.timedelta(days=rng.randrange(span))
        ml = mls[index % len(mls)]
        youth_rows.append(
            (
                ml.pk,
                "Jeune",
                f"Bench{index}",
                f"bench{index} jeune",
                datetime.date(2003, 1, 1),
                registered,
                "active",
                "information",
                registered if index % 4 == 0 else None,
            )
        )
    t0 = time.perf_counter()
    copy_rows(
        Youth,
        [
            "mission_locale_id",
            "first_name",
            "last_name",
            "search_name",
            "birth_date",
            "registered_on",
            "status",
            "current_stage",
            "civis_start",
        ],
        youth_rows,
    )
    ids = list(Youth.objects.order_by("pk").values_list("pk", "registered_on", "mission_locale_id"))

    def events():
        for youth_id, registered, mission_locale_id in ids:
            reach = rng.randint(0, len(STAGES) - 1)
            day = registered
            previous = ""
            for i in range(events_per_youth):
                stage = STAGES[min(i * len(STAGES) // events_per_youth, reach)]
                day = day + datetime.timedelta(days=rng.randint(3, 25))
                yield (youth_id, mission_locale_id, stage, previous, day, "", "", "bench")
                previous = stage

    count = copy_rows(
        PathwayEvent,
        [
            "youth_id",
            "mission_locale_id",
            "stage",
            "previous_stage",
            "occurred_on",
            "note",
            "exit_reason",
            "source",
        ],
        events(),
    )
    # COPY bypasses save(): flag each youth's first event at a stage in a year, as the
    # portal does after every write
    refresh_first_in_year()
    with connection.cursor() as cursor:
        # What autovacuum does on a live database once rows have been inserted: the
        # statistics, and the visibility map that lets index-only scans skip the heap.
        cursor.execute("VACUUM ANALYZE")
    print(f"  {len(ids)} youths and {count} events loaded in {time.perf_counter() - t0:.0f} s")
    if offers:
        load_offers(rng, regions, offers, ids)


def load_offers(rng, regions, total: int, youth_ids) -> None:
    import django.utils.timezone as tz
    from django.db import connection

    from accounts.enums import OrganisationKind
    from accounts.models import Organisation
    from accounts.seed import demo_siret
    from offers.models import Employment, JobRole, Offer, Proposal

    roles = list(JobRole.objects.all()) or [JobRole.objects.create(name="Téléconseiller")]
    companies = Organisation.objects.bulk_create(
        [
            Organisation(
                kind=OrganisationKind.COMPANY,
                name=f"Entreprise {i}",
                region=regions[i % len(regions)],
                siret=demo_siret(f"8{i:012d}"),
            )
            for i in range(COMPANIES)
        ]
    )
    t0 = time.perf_counter()
    base = datetime.datetime(2022, 1, 1, 9, tzinfo=datetime.UTC)
    rows = []
    for index in range(total):
        company = companies[index % len(companies)]
        submitted = base + datetime.timedelta(hours=rng.randrange(24 * 1760))
        positions = rng.randint(1, 12)
        filled = rng.randint(0, positions)
        published = submitted + datetime.timedelta(days=2)
        rows.append(
            (
                company.pk,
                company.region_id,
                roles[index % len(roles)].pk,
                "cdi",
                positions,
                35,
                "filled" if filled == positions else "published",
                filled,
                submitted,
                published,
                published + datetime.timedelta(days=rng.randint(5, 60))
                if filled == positions
                else None,
            )
        )
    copy_rows(
        Offer,
        [
            "company_id",
            "region_id",
            "job_role_id",
            "contract_type",
            "positions",
            "weekly_hours",
            "status",
            "positions_filled",
            "submitted_at",
            "published_at",
            "filled_at",
        ],
        rows,
    )
    offer_ids = list(
        Offer.objects.order_by("pk").values_list("pk", "company_id", "submitted_at")[:10_000]
    )
    copy_rows(
        Proposal,
        ["offer_id", "youth_id", "status", "created_at", "status_changed_at"],
        (
            (offer_id, youth_ids[i * 7 % len(youth_ids)][0], "hired", when, when)
            for i, (offer_id, _company, when) in enumerate(offer_ids)
        ),
    )
    # a list, not an iterator: the connection is busy with the COPY while rows are read
    proposals = list(
        Proposal.objects.order_by("pk").values_list(
            "pk", "youth_id", "offer__company_id", "created_at"
        )
    )
    copy_rows(
        Employment,
        ["proposal_id", "youth_id", "company_id", "contract_type", "start_date", "weekly_hours"],
        (
            (pk, youth_id, company_id, "cdi", (created + datetime.timedelta(days=20)).date(), 35)
            for pk, youth_id, company_id, created in proposals
        ),
    )
    with connection.cursor() as cursor:
        # What autovacuum does on a live database once rows have been inserted: the
        # statistics, and the visibility map that lets index-only scans skip the heap.
        cursor.execute("VACUUM ANALYZE")
    print(
        f"  {total} offers, {len(offer_ids)} proposals and employments loaded in {time.perf_counter() - t0:.0f} s"
        f" ({tz.now():%H:%M})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--database-url", default="postgres://postgres@127.0.0.1:5432/cp_bench_reporting"
    )
    parser.add_argument("--youths", type=int, default=100_000)
    parser.add_argument("--events-per-youth", type=int, default=10)
    parser.add_argument("--offers", type=int, default=20_000)
    parser.add_argument("--recipients", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--keep", action="store_true", help="reuse the loaded database")
    parser.add_argument(
        "--dashboard-only",
        action="store_true",
        help="the national dashboard only (e.g. on the server benchmark's database)",
    )
    args = parser.parse_args()

    configure(
        args.database_url,
        CONN_MAX_AGE="600",
        PRIVATE_MEDIA_ROOT=tempfile.mkdtemp(prefix="cp_bench_reporting_"),
    )
    if not args.keep:
        print(f"Recreating {database_name(args.database_url)} and loading…")
        recreate_database(args.database_url)
    import django

    django.setup()
    from django.core.cache import cache
    from django.core.management import call_command
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django.urls import reverse

    from accounts.models import OutgoingEmail, User
    from candidates.models import PathwayEvent, Youth
    from offers.models import Offer
    from reporting import services
    from reporting.emails import MONTHLY_DIGEST
    from reporting.models import ReviewDocument

    setup_test_environment()  # in-memory mail backend, "testserver" allowed
    if args.keep:
        # The loaded database gets this code's migrations (a new index or counts table).
        call_command("migrate", interactive=False, verbosity=0)
    else:
        load(args.youths, args.events_per_youth, args.offers, args.recipients)
    print(
        f"{Youth.objects.count()} youths, {PathwayEvent.objects.count()} pathway events, "
        f"{Offer.objects.count()} offers"
    )
    national = User.objects.get(email="national@bench.fr")
    client = Client()
    client.force_login(national)
    # A national user with a second factor (the server benchmark's) passed it at sign-in.
    from accounts.signin import SESSION_KEY as SECOND_FACTOR_KEY
    from accounts.signin import SecondFactor

    session = client.session
    session[SECOND_FACTOR_KEY] = SecondFactor.PASSED.value
    session.save()
    url = reverse("reporting:dashboard", args=["national"])
    periods = [{"year": y} for y in (2023, 2024, 2025, 2026)] + [
        {"year": 2025, "month": m} for m in range(1, 13)
    ]
    chart_tables = ("funnel", "hires", "offers", "occupancy")
    chart_urls = [reverse("reporting:chart", args=["national", t]) for t in chart_tables]

    def timed(path, params):
        t0 = time.perf_counter()
        response = client.get(path, params)
        elapsed = (time.perf_counter() - t0) * 1000
        assert response.status_code == 200, (path, response.status_code)
        return elapsed

    # One request first, on a period not measured: the process's first request imports
    # and sets up what every later one reuses (templates, translations).
    timed(url, {"year": 2022})
    for chart in chart_urls:
        timed(chart, {"year": 2022})

    results = []
    cold_page, cold_charts, cold_whole, warm_page = [], [], [], []
    for run in range(args.runs):
        params = periods[run % len(periods)]
        cache.clear()  # figures and charts
        page = timed(url, params)
        # the browser then fetches the page's four chart images (here one after the
        # other; a browser asks for them together)
        drawn = [timed(chart, params) for chart in chart_urls]
        cold_page.append(page)
        cold_charts.extend(drawn)
        cold_whole.append(page + sum(drawn))
        warm_page.append(timed(url, params))
    results.append(
        ("national dashboard page, cold (cache cleared)", *percentiles(cold_page), len(cold_page))
    )
    results.append(
        ("one chart image after the cold page (drawn)", *percentiles(cold_charts), len(cold_charts))
    )
    results.append(
        (
            "cold page + its 4 chart images, one after the other",
            *percentiles(cold_whole),
            len(cold_whole),
        )
    )
    results.append(
        ("national dashboard page, warm (figures cached)", *percentiles(warm_page), len(warm_page))
    )

    if args.dashboard_only:
        print_results(results)
        return
    OutgoingEmail.objects.filter(kind=MONTHLY_DIGEST).delete()
    cache.clear()
    t0 = time.perf_counter()
    call_command("send_monthly_digest", "--month", "2026-10")
    digest_seconds = time.perf_counter() - t0
    from django.core import mail

    sent = len(mail.outbox)

    review = services.get_or_create_review(year=2025)
    samples = []
    for _run in range(3):
        cache.clear()
        document = ReviewDocument.objects.create(
            review=review, version=ReviewDocument.objects.count() + 1
        )
        t0 = time.perf_counter()
        services.render_review_document(document_id=document.pk)
        samples.append((time.perf_counter() - t0) * 1000)
        document.refresh_from_db()
        assert document.status == "done", document.error
    results.append(("annual review PDF (national, cold)", *percentiles(samples), len(samples)))

    print_results(results)
    print(f"| monthly digest, {sent} recipients (one run) | total {digest_seconds:.1f} s | | 1 |")


def print_results(results) -> None:
    print()
    print("| measure | p50 (ms) | p95 (ms) | runs |")
    print("|---|---:|---:|---:|")
    for label, p50, p95, n in results:
        print(f"| {label} | {p50:.0f} | {p95:.0f} | {n} |")


if __name__ == "__main__":
    main()
