"""`YouthCount`: the youths counted by the database's triggers equal the youths counted
from their table, by (mission locale, stage, anonymised, month of registration), after
every kind of write: registration one by one and by import, stage changes, transfers,
anonymisation (one file, and the retention job's batch), deletion (one youth, a
queryset, a cascade), bulk `update()`, raw SQL; folding the deltas and counting again
change no sum. The dashboards read these counts (`reporting.indicators.pathway`)."""

from __future__ import annotations

import datetime
import random
from collections import Counter

import pytest
from django.db import connection
from django.db.models import Sum
from django.utils import timezone

from accounts.enums import Role
from candidates import services
from candidates.anonymisation import anonymise_locked_youths
from candidates.enums import PathwayStage as S
from candidates.enums import YouthStatus
from candidates.models import Youth, YouthCount, compact_youth_counts, rebuild_youth_counts
from reporting.indicators import pathway
from reporting.periods import Period
from reporting.scopes import Population, national_population
from tests.accounts.factories import OrganisationFactory, RegionFactory, make_member
from tests.candidates.factories import YouthFactory

pytestmark = pytest.mark.django_db

d = datetime.date


def counted() -> dict:
    """{group: youths} from the triggers' deltas (groups summing to nothing left out)."""
    keys = ("mission_locale_id", "stage", "anonymised", "status", "registered_month")
    rows = YouthCount.objects.values(*keys).annotate(n=Sum("youths"))
    return {tuple(row[key] for key in keys): row["n"] for row in rows if row["n"]}


def expected() -> dict:
    """{group: youths} counted from the youths themselves, in Python."""
    return dict(
        Counter(
            (
                youth.mission_locale_id,
                youth.current_stage,
                youth.status == YouthStatus.ANONYMISED,
                youth.status,
                youth.registered_on.replace(day=1),
            )
            for youth in Youth.objects.all()
        )
    )


def assert_counts_match():
    assert counted() == expected()


@pytest.fixture
def place():
    """Two regions, three missions locales, a manager of the first."""
    region_a, region_b = RegionFactory(code="93"), RegionFactory(code="84")
    mls = [
        OrganisationFactory(mission_locale=True, region=region)
        for region in (region_a, region_a, region_b)
    ]
    manager = make_member(Role.ML_MANAGER, organisation=mls[0])
    return mls, manager


def test_registrations_one_by_one_and_by_import_are_counted(place):
    mls, manager = place
    YouthFactory(mission_locale=mls[0])
    YouthFactory(mission_locale=mls[2], in_stage=S.IMMERSION)
    rows = [
        {
            "first_name": f"Jeune{i}",
            "last_name": "Import",
            "birth_date": d(2006, 1, i + 1),
            "registered_on": d(2025, 1 + i % 12, 1 + i % 28),
        }
        for i in range(30)
    ]
    services.register_youths(actor=manager, mission_locale=mls[0], rows=rows)
    assert Youth.objects.count() == 32
    assert_counts_match()


def test_stage_changes_transfers_and_anonymisation_move_the_counts(place):
    mls, manager = place
    youths = [YouthFactory(mission_locale=mls[0]) for _ in range(4)]
    today = timezone.localdate()
    services.record_pathway_event(
        youth=youths[0], stage=S.DISCOVERY, actor=manager, occurred_on=today
    )
    assert_counts_match()
    services.move_youth_to_mission_locale(youth=youths[1], mission_locale=mls[2], actor=manager)
    assert_counts_match()
    services.anonymise_youth(youth=youths[2], actor=manager)
    assert Youth.objects.get(pk=youths[2].pk).status == YouthStatus.ANONYMISED
    assert_counts_match()
    # the retention job's batch: anonymised together, in bulk
    locked = list(Youth.objects.select_for_update().filter(pk__in=[youths[0].pk, youths[3].pk]))
    anonymise_locked_youths(youths=locked, actor=None, reason_names_nobody=True)
    assert_counts_match()


def test_deletions_bulk_updates_and_raw_sql_are_counted(place):
    mls, _manager = place
    youths = [YouthFactory(mission_locale=mls[i % 3]) for i in range(9)]
    youths[0].delete()
    assert_counts_match()
    Youth.objects.filter(pk__in=[youths[1].pk, youths[2].pk]).delete()
    assert_counts_match()
    # a bulk update moving youths between groups, and one moving none
    Youth.objects.filter(mission_locale=mls[0]).update(
        current_stage=S.TRAINING, registered_on=d(2024, 2, 29)
    )
    Youth.objects.filter(mission_locale=mls[1]).update(status=YouthStatus.CLOSED)
    assert_counts_match()
    Youth.objects.filter(mission_locale=mls[2]).update(status=YouthStatus.ANONYMISED)
    assert_counts_match()
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {Youth._meta.db_table} SET registered_on = %s, mission_locale_id = %s "  # noqa: S608
            "WHERE id = %s",
            [d(2023, 12, 31), mls[1].pk, youths[4].pk],
        )
    assert_counts_match()
    # the mission locale's youths deleted with it (a cascade from the database's side)
    Youth.objects.filter(mission_locale=mls[1]).delete()
    assert_counts_match()


def test_random_writes_then_folding_and_counting_again_keep_every_sum(place):
    rng = random.Random(1806)
    mls, _manager = place
    stages = [S.INFORMATION, S.DISCOVERY, S.IMMERSION, S.HIRED, S.EXIT]
    youths = [
        YouthFactory(mission_locale=rng.choice(mls), registered_on=d(2024, 1, 1)) for _ in range(15)
    ]
    for _ in range(40):
        youth = rng.choice(youths)
        change = rng.choice(["stage", "month", "ml", "status"])
        fields = {
            "stage": {"current_stage": rng.choice(stages)},
            "month": {
                "registered_on": d(2024, 1, 1) + datetime.timedelta(days=rng.randint(0, 700))
            },
            "ml": {"mission_locale": rng.choice(mls)},
            "status": {"status": rng.choice(list(YouthStatus))},
        }[change]
        Youth.objects.filter(pk=youth.pk).update(**fields)
    assert_counts_match()
    rows_before = YouthCount.objects.count()
    left = compact_youth_counts()
    assert left == len(counted()) <= rows_before
    assert_counts_match()
    compact_youth_counts()  # twice: nothing moves
    assert YouthCount.objects.count() == left
    rebuild_youth_counts()
    assert YouthCount.objects.count() == left
    assert_counts_match()


def test_counting_again_after_the_triggers_were_bypassed(place):
    """A repair: rows written behind the triggers' back (PostgreSQL's replica role, as
    the benchmark's loader writes) are counted by `rebuild_youth_counts`."""
    mls, _manager = place
    YouthFactory(mission_locale=mls[0])
    YouthCount.objects.all().delete()
    assert counted() != expected()
    rebuild_youth_counts()
    rebuild_youth_counts()  # twice: the same counts
    assert_counts_match()


def normalised(rows) -> list[tuple]:
    return sorted(
        tuple(sorted(row.items()))
        for row in rows
        if any(v for k, v in row.items() if k[0] in "nre")
    )


@pytest.mark.parametrize(
    "periods", [(Period(2025), Period(2024)), (Period(2025, 3), Period(2025, 2))]
)
def test_the_dashboards_counts_equal_the_youths_counted_directly(place, periods):
    """What the youth pass reads (`_youth_counts`) against the same figures counted from
    the youths, nationally, for a region and for a mission locale, registrations
    falling on the edges of the periods."""
    rng = random.Random(str(periods))
    mls, manager = place
    for _ in range(25):
        youth = YouthFactory(
            mission_locale=rng.choice(mls),
            registered_on=rng.choice(
                [d(2024, 1, 1), d(2024, 12, 31), d(2025, 1, 1), d(2025, 2, 28), d(2025, 3, 1)]
                + [d(2025, 3, 31), d(2025, 4, 1), d(2025, 12, 31), d(2026, 1, 1)]
            ),
        )
        if rng.random() < 0.3:
            Youth.objects.filter(pk=youth.pk).update(
                status=rng.choice(list(YouthStatus)), current_stage=rng.choice(list(S))
            )
    scopes = [
        national_population(),
        Population(region_id=mls[0].region_id, label="r"),
        Population(region_id=mls[2].region_id, mission_locale_id=mls[2].pk, label="m"),
    ]
    for scope in scopes:
        got = pathway._youth_counts(scope=scope, periods=periods)
        direct = pathway.youth_counts_from_youths(scope=scope, periods=periods)
        assert normalised(got) == normalised(direct)


def test_the_daily_job_folds_the_counts(place, settings):
    from candidates.tasks import fold_youth_counts

    mls, _manager = place
    youths = [YouthFactory(mission_locale=mls[0], registered_on=d(2025, 5, 5)) for _ in range(3)]
    Youth.objects.filter(pk__in=[youth.pk for youth in youths]).update(current_stage=S.HIRED)
    assert YouthCount.objects.count() > len(expected())
    assert fold_youth_counts() == {"rows": len(expected())}
    assert_counts_match()
    jobs = {job["task"] for job in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "candidates.tasks.fold_youth_counts" in jobs


def _counted_by_sql(columns: str) -> dict:
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {columns}, sum(youths) FROM candidates_youthcount "  # noqa: S608
            f"GROUP BY {columns} HAVING sum(youths) <> 0"
        )
        return {tuple(row[:-1]): row[-1] for row in cursor.fetchall()}


@pytest.mark.django_db(transaction=True)
def test_the_counts_by_status_migrate_back_and_forth(place):
    """Candidates migration 0033 both ways on a database holding youths: back, 0020's
    triggers count by their groups (a youth written then counted); forward again, the
    counts by status equal the youths counted."""
    from django.db.migrations.executor import MigrationExecutor

    mls, _manager = place
    youths = [YouthFactory(mission_locale=mls[n % 3]) for n in range(6)]
    Youth.objects.filter(pk=youths[0].pk).update(status=YouthStatus.CLOSED)
    Youth.objects.filter(pk=youths[1].pk).update(status=YouthStatus.ANONYMISED)
    old_groups = "mission_locale_id, stage, anonymised"
    try:
        MigrationExecutor(connection).migrate([("candidates", "0032_name_word_before")])
        with connection.cursor() as cursor:
            columns = connection.introspection.get_table_description(
                cursor, "candidates_youthcount"
            )
        assert "status" not in {column.name for column in columns}
        YouthFactory(mission_locale=mls[0])
        Youth.objects.filter(pk=youths[2].pk).update(status=YouthStatus.CLOSED)
        direct = Counter(
            (youth.mission_locale_id, youth.current_stage, youth.status == YouthStatus.ANONYMISED)
            for youth in Youth.objects.all()
        )
        assert _counted_by_sql(old_groups) == dict(direct)
    finally:
        MigrationExecutor(connection).migrate([("candidates", "0033_youth_counts_status")])
    assert_counts_match()
    Youth.objects.filter(pk=youths[3].pk).update(status=YouthStatus.CLOSED)
    assert_counts_match()
    assert YouthCount.objects.filter(status="").count() == 0
