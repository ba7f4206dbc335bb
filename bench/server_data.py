"""The server benchmark's data: youths, pathway events, offers, proposals, sessions and
enrolments, written in large batches (`bulk_create` of 10,000 rows per statement).

At 100,000 youths: five missions locales of one region, the advisor's holding half of
the youths; 20,000 offers of 200 companies, 100,000 proposals (the board's offer 100);
5,000 sessions with 20 enrolments each. `--youths` scales the youths, events,
proposals; offers are a tenth of the youths (at least 20,000).
"""

from __future__ import annotations

import random
import time
from datetime import datetime, timedelta

FIRST = ["Inès", "Yanis", "Léa", "Mehdi", "Chloé", "Karim", "Sarah", "Lucas", "Amira", "Hugo"]
FIRST += ["Jade", "Nassim", "Manon", "Rayan", "Camille", "Sofiane", "Océane", "Théo", "Lina"]
LAST = ["Martin", "Benali", "Rossi", "Nguyen", "Haddad", "Lefèvre", "Garcia", "Mercier"]
LAST += ["Diallo", "Fabre", "Bouzid", "Roux", "Amrani", "Giraud", "Ferrand", "Cohen", "Traoré"]
LAST += ["Blanc", "Durand", "Petit", "Moreau", "Simon", "Laurent", "Michel", "Lefebvre", "Dupont"]
CITIES = ["Marseille", "Aix-en-Provence", "Aubagne", "Toulon", "Avignon", "Nice"]
SKILLS = ["Accueil du public, téléphone", "Vente en magasin, caisse", "Livraison", ""]
BATCH = 10_000
# The SQL loader checks its flags and counts against their definitions up to this size
# (a pass over every event: seconds at 100,000 youths, minutes at 1,000,000).
CHECKED_UP_TO = 100_000
BOARD_PROPOSALS = 100
PASSWORD = "bench-password-123"  # noqa: S105 (benchmark accounts, never a real one)


def _log(what: str, started: float) -> None:
    print(f"  {what} ({time.perf_counter() - started:.0f} s)", flush=True)


def load(  # noqa: PLR0915
    *,
    youths: int,
    advisor_share: float,
    mission_locales: int,
    loader: str = "python",
    events_per_youth: float = 0,
) -> None:
    """`loader="sql"` writes the youths, their events and the proposals with
    INSERT … SELECT statements computed by PostgreSQL (`load_youths_sql`,
    `load_proposals_sql`): the 1,000,000 scale in minutes. `events_per_youth` (SQL
    loader only) adds back-and-forth moves between information and discovery before
    each youth's path, for about that many events a youth (10: the issue's 10 million
    events at 1,000,000 youths)."""
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from accounts.enums import OrganisationKind, Role
    from accounts.models import Membership, Organisation, Region, User
    from accounts.seed import demo_siret
    from candidates.enums import PathwayStage
    from candidates.models import PathwayEvent, Youth, refresh_first_in_year
    from candidates.text import normalise_name
    from immersion.enums import EnrolmentStatus, ProgrammeKind, SessionStatus, audience_of
    from immersion.models import Enrolment, Session
    from offers.enums import ContractType, OfferStatus
    from offers.models import JobRole, Offer

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    rng = random.Random(42)
    now = timezone.now()
    today = timezone.localdate()
    paca = Region.objects.create(code="93", name="Provence-Alpes-Côte d'Azur")
    other = Region.objects.create(code="84", name="Auvergne-Rhône-Alpes")
    mls = [
        Organisation.objects.create(
            kind=OrganisationKind.MISSION_LOCALE,
            name=f"Mission locale {i}",
            region=paca if i < 5 else other,
        )
        for i in range(mission_locales)
    ]
    advisors = {}
    for i, ml in enumerate(mls):
        for j in range(3):
            user = User.objects.create_user(f"conseiller{i}-{j}@bench.fr", PASSWORD)
            Membership.objects.create(user=user, organisation=ml, role=Role.ADVISOR)
            advisors[i, j] = user
    cnml = Organisation.objects.create(kind=OrganisationKind.CNML, name="CNML")
    national = User.objects.create_user("national@bench.fr", PASSWORD)
    Membership.objects.create(user=national, organisation=cnml, role=Role.NATIONAL)
    TOTP.activate(national, generate_totp_secret())
    companies = [
        Organisation.objects.create(
            kind=OrganisationKind.COMPANY,
            name=f"Entreprise {i:03d}",
            region=paca if i % 4 else other,
            siret=demo_siret(f"9{i:012d}"),
        )
        for i in range(200)
    ]
    recruiter = User.objects.create_user("recruteur@bench.fr", PASSWORD)
    Membership.objects.create(user=recruiter, organisation=companies[1], role=Role.RECRUITER)

    stages = list(PathwayStage.forward())
    in_advisor_ml = int(youths * advisor_share)
    if loader == "sql":
        load_youths_sql(
            youths=youths,
            in_advisor_ml=in_advisor_ml,
            mls=mls,
            advisors=advisors,
            events_per_youth=events_per_youth,
        )
        _log(f"{youths} youths and their events (SQL)", started)
    else:
        for offset in range(0, youths, BATCH):
            rows = []
            for n in range(offset, min(offset + BATCH, youths)):
                index = 0 if n < in_advisor_ml else 1 + n % (mission_locales - 1)
                first, last = rng.choice(FIRST), rng.choice(LAST)
                registered = today - timedelta(days=rng.randint(30, 1800))
                depth = rng.randint(0, len(stages) - 1)
                rows.append(
                    Youth(
                        mission_locale=mls[index],
                        advisor=advisors[index, n % 3],
                        first_name=first,
                        last_name=last,
                        search_name=normalise_name(last, first),
                        birth_date=registered - timedelta(days=rng.randint(16 * 365 + 10, 9000)),
                        email=f"jeune{n}@bench.fr",
                        phone="0612345678",
                        postcode=rng.choice(["13001", "13015", "13100", "13010", "83000"]),
                        skills=rng.choice(SKILLS),
                        registered_on=registered,
                        current_stage=stages[depth],
                        stage_changed_on=registered + timedelta(days=depth * 5),
                        last_contact_on=registered + timedelta(days=rng.randint(0, 25)),
                        consent_shared_at=now if n % 10 else None,
                    )
                )
            Youth.objects.bulk_create(rows, batch_size=BATCH)
            events = [
                PathwayEvent(
                    youth=youth,
                    mission_locale_id=youth.mission_locale_id,
                    stage=stages[k],
                    previous_stage=stages[k - 1] if k else "",
                    occurred_on=youth.registered_on + timedelta(days=k * 5),
                    author=youth.advisor,
                )
                for youth in rows
                for k in range(stages.index(youth.current_stage) + 1)
            ]
            PathwayEvent.objects.bulk_create(events, batch_size=BATCH)
            _log(f"{offset + len(rows)} youths", started)
        refresh_first_in_year()  # bulk_create bypasses save(), which keeps these flags

    roles = list(JobRole.objects.all())
    statuses = [OfferStatus.PUBLISHED] * 5 + [OfferStatus.FILLED, OfferStatus.EXPIRED]
    statuses += [OfferStatus.SUBMITTED, OfferStatus.DRAFT]
    offers = []
    for n in range(max(20_000, youths // 10)):
        company = companies[n % len(companies)]
        status = rng.choice(statuses)
        published = now - timedelta(days=rng.randint(1, 400))
        positions = rng.choice([1, 1, 2, 3, 5])
        offers.append(
            Offer(
                company=company,
                region_id=company.region_id,
                job_role=rng.choice(roles),
                contract_type=rng.choice(ContractType.values),
                positions=positions,
                weekly_hours=35,
                postcode=rng.choice(["13001", "13015", "13100", "69007"]),
                city="Marseille",
                start_date=today + timedelta(days=rng.randint(-200, 60)),
                closing_date=today + timedelta(days=rng.randint(61, 120)),
                description=f"Offre {n}",
                status=status,
                positions_filled=positions if status == OfferStatus.FILLED else 0,
                submitted_at=None if status == OfferStatus.DRAFT else published,
                published_at=None
                if status in (OfferStatus.DRAFT, OfferStatus.SUBMITTED)
                else published,
                filled_at=published + timedelta(days=9) if status == OfferStatus.FILLED else None,
            )
        )
    Offer.objects.bulk_create(offers, batch_size=BATCH)
    board = Offer.objects.filter(company=companies[1], status=OfferStatus.PUBLISHED).first()
    board.positions = 200
    board.save(update_fields=["positions"])
    _log(f"{len(offers)} offers", started)

    advisor = advisors[0, 0]
    eligible = list(
        Offer.objects.exclude(status__in=(OfferStatus.DRAFT, OfferStatus.SUBMITTED))
        .exclude(pk=board.pk)
        .values_list("pk", flat=True)
    )
    per_offer = max(1, (youths - BOARD_PROPOSALS) // len(eligible))
    if loader == "sql":
        total = load_proposals_sql(
            board_id=board.pk,
            eligible=eligible,
            per_offer=max(1, round((youths - BOARD_PROPOSALS) / len(eligible))),
            mission_locale_id=mls[0].pk,
            advisor_id=advisor.pk,
        )
        _log(f"{total} proposals (SQL)", started)
        if youths <= CHECKED_UP_TO:
            check_sql_load()
            _log("flags and counts checked", started)
    else:
        _load_proposals(board, eligible, per_offer, mls[0], advisor, started)

    hosts = companies[1:41:4]  # in the advisor's region
    tz = timezone.get_current_timezone()
    origin = datetime.combine(today - timedelta(days=365), datetime.min.time())
    region_youths = list(
        Youth.objects.filter(mission_locale__region=paca).values_list("pk", "advisor_id")[:20_000]
    )
    sessions = []
    for i in range(5_000):
        kind = ProgrammeKind.values[i % len(ProgrammeKind.values)]
        host = hosts[i % len(hosts)]
        starts_at = timezone.make_aware(
            origin + timedelta(days=rng.randrange(730), hours=8 + rng.randrange(9)), tz
        )
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
                capacity=25,
                registration_deadline=timezone.localdate(starts_at) - timedelta(days=2),
                status=SessionStatus.OPEN,
                confirmed_count=20,
            )
        )
    sessions = Session.objects.bulk_create(sessions, batch_size=BATCH)
    enrolments = [
        Enrolment(
            session=session,
            youth_id=youth_id,
            status=EnrolmentStatus.CONFIRMED,
            enrolled_by_id=advisor_id,
        )
        for session in sessions
        for youth_id, advisor_id in rng.sample(region_youths, 20)
    ]
    Enrolment.objects.bulk_create(enrolments, batch_size=BATCH)
    _log(f"{len(sessions)} sessions, {len(enrolments)} enrolments", started)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    _log("VACUUM ANALYZE", started)


def _load_proposals(board, eligible, per_offer, ml, advisor, started) -> None:
    """The proposals, in Python (`bulk_create`): the board's offer gets 100, every other
    published or closed offer `per_offer`, of the advisor's mission locale's youths."""
    from candidates.models import Youth
    from offers.enums import ProposalStatus
    from offers.models import Proposal

    ml_youths = list(
        Youth.objects.filter(mission_locale=ml).order_by("pk").values_list("pk", flat=True)
    )
    proposal_statuses = [
        ProposalStatus.PROPOSED,
        ProposalStatus.SEEN,
        ProposalStatus.INTERVIEW,
        ProposalStatus.DECLINED,
    ]
    plan = [(board.pk, BOARD_PROPOSALS)] + [(pk, per_offer) for pk in eligible]
    batch, total = [], 0
    for index, (offer_id, count) in enumerate(plan):
        base = (index * 37) % len(ml_youths)
        for k in range(count):
            status = proposal_statuses[(index + k) % len(proposal_statuses)]
            batch.append(
                Proposal(
                    offer_id=offer_id,
                    youth_id=ml_youths[(base + k) % len(ml_youths)],
                    proposed_by=advisor,
                    status=status,
                    decline_reason="other" if status == ProposalStatus.DECLINED else "",
                )
            )
        if len(batch) >= BATCH:
            Proposal.objects.bulk_create(batch, batch_size=BATCH)
            total += len(batch)
            batch = []
    Proposal.objects.bulk_create(batch, batch_size=BATCH)
    _log(f"{total + len(batch)} proposals", started)


def _sql_text_array(values) -> str:
    from django.db import connection
    from django.db.backends.postgresql.psycopg_any import mogrify

    # A literal written as psycopg writes values client-side, whatever the connection's
    # binding (server-side by default: DATABASE_PREPARED_STATEMENTS).
    return mogrify("%s::text[]", [list(values)], connection)


class _IndexesDropped:
    """Drop a table's secondary indexes (not its primary key nor its unique
    constraints) and re-create them after the load: one sort per index instead of
    millions of insertions. Foreign keys are not checked while the session's
    replication role is "replica" (the loader writes ids it has just read)."""

    def __init__(self, *tables: str):
        self.tables = tables
        self.definitions: list[str] = []

    def __enter__(self):
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute(
                """SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)
                   FROM pg_index i
                   LEFT JOIN pg_constraint c ON c.conindid = i.indexrelid
                   WHERE i.indrelid::regclass::text = ANY(%s) AND c.oid IS NULL""",
                [list(self.tables)],
            )
            for name, definition in cursor.fetchall():
                self.definitions.append(definition)
                cursor.execute(f"DROP INDEX {name}")
            cursor.execute("SET session_replication_role = replica")
        return self

    def __exit__(self, *exc):
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("SET session_replication_role = DEFAULT")
            cursor.execute("SET maintenance_work_mem = '512MB'")
            for definition in self.definitions:
                cursor.execute(definition)
            if "candidates_youth" in self.tables:
                # The triggers did not run either: each pool its new stamp, so that no
                # matching ranking kept for former data is read (`candidates.PoolStamp`).
                cursor.execute(
                    """INSERT INTO candidates_poolstamp (mission_locale_id, stamp)
                       SELECT ml, gen_random_uuid()::text
                       FROM (SELECT DISTINCT mission_locale_id AS ml FROM candidates_youth) p"""
                )
        return False


def load_youths_sql(*, youths, in_advisor_ml, mls, advisors, events_per_youth) -> None:
    """The youths and their pathway events, generated by PostgreSQL.

    Each youth: a name drawn from FIRST × LAST (its `search_name` precomputed here), a
    registration 60 to 1,800 days ago, a stage along the forward path; then its events:
    `r` round trips information → discovery (r = 0 up to about events_per_youth − 3.5,
    by the youth's id), then the forward path from information to its stage, three days
    apart. `first_in_year` and `first_in_month` are computed as `refresh_first_in_year`
    would: a stage seen again within the same calendar year (month) is not a first (the
    same stage comes back six days later at the soonest). The youths are written with
    the triggers off (the replica role), so their counts (`candidates.YouthCount`, and
    the pathway events', `PathwayCount`) are then counted from the tables, and their
    names' words (`YouthNameWord`) written from them.
    `check_sql_load` compares them with their definitions."""
    import time

    from django.db import connection

    from candidates.enums import Availability, Mobility, PathwayStage
    from candidates.models import (
        rebuild_name_words,
        rebuild_pathway_counts,
        rebuild_youth_counts,
    )
    from candidates.text import normalise_name

    started = time.perf_counter()
    stages = [str(stage) for stage in PathwayStage.forward()]
    names = [(first, last) for last in LAST for first in FIRST]
    ml_ids = [ml.pk for ml in mls]
    advisor_ids = [advisors[i, j].pk for i in range(len(mls)) for j in range(3)]
    mobilities = ["", *Mobility.values]
    availabilities = ["", *Availability.values]
    postcodes = ["13001", "13015", "13100", "13010", "83000"]
    arrays = {
        "firsts": _sql_text_array(first for first, _ in names),
        "lasts": _sql_text_array(last for _, last in names),
        "search": _sql_text_array(normalise_name(last, first) for first, last in names),
        "stages": _sql_text_array(stages),
        "skills": _sql_text_array(SKILLS),
        "mobilities": _sql_text_array(mobilities),
        "availabilities": _sql_text_array(availabilities),
        "postcodes": _sql_text_array(postcodes),
    }
    others = len(mls) - 1
    with _IndexesDropped("candidates_youth"), connection.cursor() as cursor:
        cursor.execute("SELECT setseed(0.42)")
        cursor.execute(
            f"""
            INSERT INTO candidates_youth (
                first_name, last_name, search_name, birth_date, email, phone, postcode, city,
                education_level, previous_sector, skills, mobility, availability,
                contract_wishes, consent_shared_at, status, current_stage, stage_changed_on,
                last_contact_on, last_assessment_outcome, registered_on, created_at,
                updated_at, advisor_id, mission_locale_id)
            SELECT
                ({arrays["firsts"]})[name + 1], ({arrays["lasts"]})[name + 1],
                ({arrays["search"]})[name + 1],
                registered - (5850 + (random() * 3150)::int), 'jeune' || n || '@bench.fr',
                '0612345678', ({arrays["postcodes"]})[1 + floor(random() * 5)::int], '',
                '', '', ({arrays["skills"]})[1 + floor(random() * {len(SKILLS)})::int],
                ({arrays["mobilities"]})[1 + floor(random() * {len(mobilities)})::int],
                ({arrays["availabilities"]})[1 + floor(random() * {len(availabilities)})::int],
                '[]'::jsonb, CASE WHEN n %% 10 <> 0 THEN now() END, 'active',
                ({arrays["stages"]})[depth + 1], registered + depth * 3,
                registered + (random() * 25)::int, '', registered, now(), now(),
                (%(advisors)s::bigint[])[ml * 3 + n %% 3 + 1], (%(mls)s::bigint[])[ml + 1]
            FROM (
                SELECT n,
                    floor(random() * {len(names)})::int AS name,
                    floor(random() * {len(stages)})::int AS depth,
                    current_date - (60 + (random() * 1740)::int) AS registered,
                    CASE WHEN n < %(in_advisor)s THEN 0 ELSE 1 + n %% {others} END AS ml
                FROM generate_series(0, %(youths)s - 1) AS n
            ) AS drawn
            ORDER BY n
            """,  # noqa: S608 (numbers and arrays the loader writes)
            {
                "advisors": advisor_ids,
                "mls": ml_ids,
                "in_advisor": in_advisor_ml,
                "youths": youths,
            },
        )
    _log(f"{youths} youths", started)

    # Round trips per youth: 0 up to 2R, about R on average (R = (events_per_youth -
    # the forward path's 3.5) / 2), spread by the youth's id.
    spread = max(0.0, events_per_youth - (len(stages) + 1) / 2) + 1 if events_per_youth else 1

    # The k-th event of a youth with `r` round trips: information/discovery while
    # k < 2r, then the forward path from information.
    def stage_at(k: str) -> str:
        return (
            f"CASE WHEN {k} < 0 THEN '' WHEN {k} < 2 * r "
            f"THEN (ARRAY['information', 'discovery'])[({k}) % 2 + 1] "
            f"ELSE ({arrays['stages']})[({k}) - 2 * r + 1] END"
        )

    with _IndexesDropped("candidates_pathwayevent"), connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO candidates_pathwayevent (
                stage, previous_stage, occurred_on, note, exit_reason, source, created_at,
                author_id, youth_id, mission_locale_id, first_in_year, first_in_month)
            SELECT {stage_at("k")}, {stage_at("k - 1")}, day, '', '', '', now(), advisor_id, id,
                mission_locale_id,
                k - 2 * r >= 2 OR k < 2
                OR extract(year FROM day) <> extract(year FROM day - 6),
                k - 2 * r >= 2 OR k < 2
                OR date_trunc('month', day) <> date_trunc('month', day - 6)
            FROM (
                SELECT y.id, y.advisor_id, y.mission_locale_id, y.registered_on, r,
                    array_position({arrays["stages"]}, y.current_stage::text) - 1 AS depth
                FROM candidates_youth y,
                    LATERAL (SELECT floor((y.id * 7919 % 1000) / 1000.0 * {spread})::int
                             AS r) AS trips
            ) AS youth,
                LATERAL generate_series(0, 2 * r + depth) AS k,
                LATERAL (SELECT registered_on + k * 3 AS day) AS dated
            ORDER BY id, k
            """  # noqa: S608 (numbers and arrays the loader writes)
        )
        # The youth's stage was reached on its last event's day.
        cursor.execute(
            """UPDATE candidates_youth y SET stage_changed_on = e.day
               FROM (SELECT youth_id, max(occurred_on) AS day
                     FROM candidates_pathwayevent GROUP BY youth_id) AS e
               WHERE e.youth_id = y.id"""
        )
    _log(f"{youths} youths' events", started)
    rebuild_youth_counts()
    rebuild_pathway_counts()
    rebuild_name_words()
    _log(f"{youths} youths and their events counted, their names' words written", started)


def check_sql_load() -> None:
    """The SQL loader's shortcuts against their definitions: the events' flags as
    `refresh_first_in_year` sets them, the youths' counts as counted from the youths, the
    pathway events' counts as counted from the events,
    the offers' proposals as counted from the proposals (AssertionError on a
    difference). A pass over every event: run on the smaller
    loads."""
    from django.db import connection

    from candidates.models import PathwayCount, YouthCount

    with connection.cursor() as cursor:
        for flag, period in (
            ("first_in_year", "date_trunc('year', occurred_on)"),
            ("first_in_month", "date_trunc('month', occurred_on)"),
        ):
            cursor.execute(
                f"""SELECT count(*) FROM candidates_pathwayevent e JOIN (
                        SELECT id, row_number() OVER (
                            PARTITION BY youth_id, stage, {period} ORDER BY occurred_on, id
                        ) = 1 AS first FROM candidates_pathwayevent) AS x USING (id)
                    WHERE x.first <> e.{flag}"""  # noqa: S608 (the loader's own names)
            )
            (wrong,) = cursor.fetchone()
            assert wrong == 0, f"{wrong} events with a wrong {flag}"
        cursor.execute(
            f"""SELECT count(*) FROM (
                    SELECT mission_locale_id, stage, anonymised, status, registered_month,
                        sum(youths) AS n
                    FROM {YouthCount._meta.db_table} GROUP BY 1, 2, 3, 4, 5
                    HAVING sum(youths) <> 0
                ) AS counted FULL JOIN (
                    SELECT mission_locale_id, current_stage AS stage,
                        status = 'anonymised' AS anonymised, status,
                        date_trunc('month', registered_on)::date AS registered_month,
                        count(*) AS n
                    FROM candidates_youth GROUP BY 1, 2, 3, 4, 5
                ) AS direct
                    USING (mission_locale_id, stage, anonymised, status, registered_month)
                WHERE counted.n IS DISTINCT FROM direct.n"""  # noqa: S608
        )
        (wrong,) = cursor.fetchone()
        assert wrong == 0, f"{wrong} groups of youths miscounted"
        cursor.execute(
            f"""SELECT count(*) FROM (
                    SELECT mission_locale_id, stage, month, sum(events) AS n,
                        sum(year_entries) AS y, sum(month_entries) AS m
                    FROM {PathwayCount._meta.db_table} GROUP BY 1, 2, 3
                    HAVING sum(events) <> 0
                ) AS counted FULL JOIN (
                    SELECT mission_locale_id, stage,
                        date_trunc('month', occurred_on)::date AS month, count(*) AS n,
                        count(*) FILTER (WHERE first_in_year) AS y,
                        count(*) FILTER (WHERE first_in_month) AS m
                    FROM candidates_pathwayevent GROUP BY 1, 2, 3
                ) AS direct USING (mission_locale_id, stage, month)
                WHERE counted.n IS DISTINCT FROM direct.n OR counted.y IS DISTINCT FROM direct.y
                    OR counted.m IS DISTINCT FROM direct.m"""  # noqa: S608
        )
        (wrong,) = cursor.fetchone()
        assert wrong == 0, f"{wrong} groups of pathway events miscounted"
        cursor.execute(
            """SELECT count(*) FROM offers_offerproposals counted FULL JOIN (
                    SELECT offer_id, count(*) AS proposals, min(created_at) AS first
                    FROM offers_proposal GROUP BY offer_id
                ) AS direct USING (offer_id)
                WHERE counted.proposals IS DISTINCT FROM direct.proposals
                    OR counted.first_proposal_at IS DISTINCT FROM direct.first"""
        )
        (wrong,) = cursor.fetchone()
        assert wrong == 0, f"{wrong} offers' proposals miscounted"


def load_proposals_sql(*, board_id, eligible, per_offer, mission_locale_id, advisor_id) -> int:
    """The proposals of `_load_proposals`, generated by PostgreSQL: the board's offer gets
    BOARD_PROPOSALS, every eligible offer `per_offer` consecutive youths of the mission
    locale (from a different start each), statuses in turn."""
    from django.db import connection

    from offers.figures import rebuild_offer_counts, rebuild_proposal_counts

    statuses = _sql_text_array(["proposed", "seen", "interview", "declined"])
    with _IndexesDropped("offers_proposal"), connection.cursor() as cursor:
        cursor.execute(
            """CREATE TEMPORARY TABLE bench_ml_youth AS
               SELECT row_number() OVER (ORDER BY id) - 1 AS rn, id
               FROM candidates_youth WHERE mission_locale_id = %s""",
            [mission_locale_id],
        )
        cursor.execute("CREATE UNIQUE INDEX ON bench_ml_youth (rn)")
        cursor.execute("SELECT count(*) FROM bench_ml_youth")
        (count,) = cursor.fetchone()
        cursor.execute(
            f"""
            INSERT INTO offers_proposal (
                origin, note, status, decline_reason, created_at, status_changed_at,
                offer_id, proposed_by_id, youth_id, interview_link, interview_minutes,
                interview_place)
            SELECT 'advisor', '', status, CASE WHEN status = 'declined' THEN 'other' ELSE '' END,
                now(), now(), offer_id, %(advisor)s, y.id, '', 45, ''
            FROM (
                SELECT offer_id, ({statuses})[(idx + k) %% 4 + 1] AS status,
                    ((idx * 37) %% %(count)s + k) %% %(count)s AS rn
                FROM unnest(%(offers)s::bigint[], %(counts)s::int[])
                        WITH ORDINALITY AS plan(offer_id, wanted, idx1),
                    LATERAL (SELECT idx1 - 1 AS idx) AS i,
                    LATERAL generate_series(0, wanted - 1) AS k
            ) AS planned
            JOIN bench_ml_youth y USING (rn)
            """,  # noqa: S608 (numbers and arrays the loader writes)
            {
                "advisor": advisor_id,
                "count": count,
                "offers": [board_id, *eligible],
                "counts": [BOARD_PROPOSALS] + [per_offer] * len(eligible),
            },
        )
        total = cursor.rowcount
        cursor.execute("DROP TABLE bench_ml_youth")
    rebuild_proposal_counts()  # written with the triggers off
    rebuild_offer_counts()  # one row per group, as the nightly fold leaves them
    return total
