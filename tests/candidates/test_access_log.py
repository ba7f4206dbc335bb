"""The access log (candidates/access_log.py): every view and export that shows a youth's
personal data writes one entry (who, when, what, which youth or proposal, how many rows,
which page), ids only; a refused request writes none; the purge keeps 12 months.

The pages that read the log ("Consulté par", the journal) are in test_access_log_pages.py.
"""

from __future__ import annotations

import csv
import datetime
import io
from dataclasses import dataclass
from types import SimpleNamespace

import pytest
import time_machine
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from accounts.enums import Role
from candidates import access_log
from candidates.access_log import (
    WITHOUT_WAITING,
    AccessLogEntry,
    purge_access_log,
    record_access,
)
from candidates.enums import AccessKind, PathwayStage
from offers.enums import DeclineReason, ProposalStatus
from tests.accounts.factories import OrganisationFactory, UserFactory, make_member
from tests.offers.factories import ProposalFactory

from .factories import YouthFactory

pytestmark = pytest.mark.django_db

ACCESS_TABLE = AccessLogEntry._meta.db_table
PARIS = datetime.timezone(datetime.timedelta(hours=1))


@pytest.fixture
def scene():
    """A consenting youth of mission locale A proposed to company C's offer and invited
    to an interview (so C's recruiter sees the contact details); a second youth of A;
    the advisor of a neighbouring mission locale; an admin."""
    proposal = ProposalFactory(
        interview=True,
        youth__first_name="Yasmina",
        youth__last_name="Secretnom",
        youth__email="yasmina.secret@exemple.fr",
        youth__phone="0611223344",
    )
    youth = proposal.youth
    ml = youth.mission_locale
    YouthFactory(mission_locale=ml, advisor=youth.advisor, last_name="Second")
    return SimpleNamespace(
        youth=youth,
        ml=ml,
        proposal=proposal,
        advisor=youth.advisor,
        manager=make_member(Role.ML_MANAGER, organisation=ml),
        recruiter=make_member(Role.RECRUITER, organisation=proposal.offer.company),
        other_recruiter=make_member(Role.RECRUITER),
        neighbour=make_member(
            Role.ADVISOR,
            organisation=OrganisationFactory(mission_locale=True, region=ml.region),
        ),
        admin=UserFactory(admin=True),
        secrets=("Yasmina", "Secretnom", "yasmina.secret@exemple.fr", "0611223344"),
    )


@dataclass(frozen=True)
class Case:
    """A page that shows personal data, who opens it, and the entry it must write."""

    url_name: str
    who: str
    args: str  # "youth", "proposal" or a file format
    kind: AccessKind
    about_youth: bool = True
    on_proposal: bool = False
    rows: int | None = None
    query: dict | None = None

    def url(self, s) -> str:
        arg = {"youth": s.youth.pk, "proposal": s.proposal.pk}.get(self.args, self.args)
        return reverse(self.url_name, args=[arg])


CASES = [
    Case("candidates:youth_detail", "advisor", "youth", AccessKind.YOUTH_FILE),
    Case("candidates:youth_detail", "manager", "youth", AccessKind.YOUTH_FILE),
    Case("candidates:youth_detail", "admin", "youth", AccessKind.YOUTH_FILE),
    Case("candidates:youth_edit", "advisor", "youth", AccessKind.YOUTH_FILE),
    Case("candidates:youth_data_page", "advisor", "youth", AccessKind.YOUTH_DATA_PAGE),
    Case("candidates:youth_data_json", "manager", "youth", AccessKind.SUBJECT_EXPORT),
    # Both youths of the mission locale; the searched name never reaches the entry.
    Case(
        "candidates:youth_export",
        "advisor",
        "csv",
        AccessKind.LIST_EXPORT,
        about_youth=False,
        rows=2,
        query={"q": "s"},
    ),
    Case("candidates:youth_export", "manager", "xlsx", AccessKind.LIST_EXPORT, False, rows=2),
    Case(
        "offers:proposal_detail",
        "recruiter",
        "proposal",
        AccessKind.PROPOSAL_CONTACT,
        on_proposal=True,
    ),
    Case(
        "offers:proposal_detail",
        "advisor",
        "proposal",
        AccessKind.PROPOSAL_CONTACT,
        on_proposal=True,
    ),
    Case("admin:candidates_youth_change", "admin", "youth", AccessKind.YOUTH_FILE),
]


def _row_text(entry: AccessLogEntry) -> str:
    """Every column of the stored row, as text."""
    row = AccessLogEntry.objects.filter(pk=entry.pk).values().get()
    return " ".join(str(value) for value in row.values())


@pytest.mark.parametrize("case", CASES, ids=[f"{c.url_name}-{c.who}-{c.args}" for c in CASES])
def test_each_page_showing_personal_data_writes_one_entry(client, scene, case):
    user = getattr(scene, case.who)
    client.force_login(user)
    url = case.url(scene)
    before = timezone.now()
    response = client.get(url, case.query or {})
    assert response.status_code == 200
    entry = AccessLogEntry.objects.get()
    assert entry.user == user and entry.kind == case.kind
    assert before <= entry.at <= timezone.now()
    assert entry.youth_id == (scene.youth.pk if case.about_youth else None)
    assert (entry.object_type, entry.object_id) == (
        ("offers.proposal", scene.proposal.pk) if case.on_proposal else ("", None)
    )
    assert entry.rows == case.rows
    assert entry.url_name == case.url_name
    assert entry.path == url  # never the query string
    # The mission locale whose data it was: the youth's, or the exporter's only one.
    expected_ml = None if case.who == "admin" and not case.about_youth else scene.ml.pk
    assert entry.mission_locale_id == expected_ml
    # Ids only: nothing of the youth's name or contact in the row itself.
    stored = _row_text(entry)
    for secret in scene.secrets:
        assert secret not in stored


def test_a_second_opening_is_a_second_entry(client, scene):
    client.force_login(scene.advisor)
    url = reverse("candidates:youth_detail", args=[scene.youth.pk])
    client.get(url)
    client.get(url)
    assert AccessLogEntry.objects.filter(youth=scene.youth, user=scene.advisor).count() == 2


REFUSED = [
    # (who, URL name, argument, expected status)
    ("neighbour", "candidates:youth_detail", "youth", 404),
    ("neighbour", "candidates:youth_edit", "youth", 404),
    ("neighbour", "candidates:youth_data_page", "youth", 404),
    ("neighbour", "candidates:youth_data_json", "youth", 404),
    ("neighbour", "offers:proposal_detail", "proposal", 404),
    ("recruiter", "candidates:youth_detail", "youth", 403),
    ("recruiter", "candidates:youth_export", "csv", 403),
    ("advisor", "candidates:youth_export", "pdf", 404),
    ("other_recruiter", "offers:proposal_detail", "proposal", 404),
    # The admin sends a signed-in user without admin rights to its login page (then 403).
    ("advisor", "admin:candidates_youth_change", "youth", 302),
]


@pytest.mark.parametrize(
    ("who", "url_name", "arg", "status"), REFUSED, ids=[f"{r[0]}-{r[1]}-{r[2]}" for r in REFUSED]
)
def test_a_refused_request_writes_nothing(client, scene, who, url_name, arg, status):
    client.force_login(getattr(scene, who))
    value = {"youth": scene.youth.pk, "proposal": scene.proposal.pk}.get(arg, arg)
    response = client.get(reverse(url_name, args=[value]))
    assert response.status_code == status
    assert not AccessLogEntry.objects.exists()


# Written here, not read from offers.models: the rule the recruiter was promised.
STATUSES_SHOWING_CONTACT = {ProposalStatus.INTERVIEW, ProposalStatus.HIRED}


@pytest.mark.parametrize("status", list(ProposalStatus))
def test_the_contact_entry_comes_only_from_the_interview_on(client, scene, status):
    proposal = scene.proposal
    proposal.status = status
    proposal.decline_reason = DeclineReason.PROFILE_MISMATCH if status == "declined" else ""
    proposal.save(update_fields=["status", "decline_reason"])
    client.force_login(scene.recruiter)
    response = client.get(reverse("offers:proposal_detail", args=[proposal.pk]))
    assert response.status_code == 200
    shown = scene.youth.email in response.content.decode()
    entries = list(AccessLogEntry.objects.values_list("kind", "youth_id", "object_id"))
    if status in STATUSES_SHOWING_CONTACT:
        assert shown
        assert entries == [(AccessKind.PROPOSAL_CONTACT, scene.youth.pk, proposal.pk)]
    else:
        assert not shown and entries == []


def test_no_contact_entry_once_the_youth_withdrew_consent(client, scene):
    scene.youth.consent_withdrawn_at = timezone.now()
    scene.youth.save(update_fields=["consent_withdrawn_at"])
    client.force_login(scene.recruiter)
    response = client.get(reverse("offers:proposal_detail", args=[scene.proposal.pk]))
    assert response.status_code == 200 and "Secretnom" not in response.content.decode()
    assert not AccessLogEntry.objects.exists()


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_an_export_records_the_rows_the_file_holds(client, fmt):
    ml = OrganisationFactory(mission_locale=True)
    advisor = make_member(Role.ADVISOR, organisation=ml)
    for stage in (PathwayStage.IMMERSION, PathwayStage.IMMERSION, PathwayStage.DISCOVERY):
        YouthFactory(mission_locale=ml, advisor=advisor, in_stage=stage)
    YouthFactory(in_stage=PathwayStage.IMMERSION)  # another mission locale's
    client.force_login(advisor)
    url = reverse("candidates:youth_export", args=[fmt])
    for query, expected in (({"stage": "immersion"}, 2), ({}, 3)):
        content = client.get(url, query).content
        if fmt == "csv":
            lines = list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))
        else:
            lines = list(load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True))
        assert len(lines) - 1 == expected  # the titles, then one line per youth
        entry = AccessLogEntry.objects.order_by("-pk").first()
        assert (entry.kind, entry.rows, entry.mission_locale_id) == (
            AccessKind.LIST_EXPORT,
            expected,
            ml.pk,
        )
    assert AccessLogEntry.objects.count() == 2


def _access_inserts(captured) -> list[str]:
    return [q["sql"] for q in captured if q["sql"].startswith(f'INSERT INTO "{ACCESS_TABLE}"')]


def test_an_export_costs_one_insert_whatever_its_size(client):
    ml = OrganisationFactory(mission_locale=True)
    advisor = make_member(Role.ADVISOR, organisation=ml)
    YouthFactory.create_batch(2, mission_locale=ml, advisor=advisor)
    client.force_login(advisor)
    url = reverse("candidates:youth_export", args=["csv"])
    client.get(url)  # warm the session
    counts = []
    for more in (0, 40):
        YouthFactory.create_batch(more, mission_locale=ml, advisor=advisor)
        with CaptureQueriesContext(connection) as captured:
            client.get(url)
        assert len(_access_inserts(captured.captured_queries)) == 1
        counts.append(len(captured.captured_queries))
    assert counts[0] == counts[1]
    assert list(AccessLogEntry.objects.order_by("pk").values_list("rows", flat=True)) == [
        2,
        2,
        42,
    ]


def test_each_opening_costs_one_insert(client, scene):
    client.force_login(scene.recruiter)
    for url in (
        reverse("offers:proposal_detail", args=[scene.proposal.pk]),
        reverse("offers:proposal_detail", args=[scene.proposal.pk]),
    ):
        with CaptureQueriesContext(connection) as captured:
            client.get(url)
        assert len(_access_inserts(captured.captured_queries)) == 1
    client.force_login(scene.advisor)
    for name in ("youth_detail", "youth_data_page", "youth_data_json", "youth_edit"):
        with CaptureQueriesContext(connection) as captured:
            client.get(reverse(f"candidates:{name}", args=[scene.youth.pk]))
        assert len(_access_inserts(captured.captured_queries)) == 1, name


def test_a_saved_edit_is_not_an_opening(client, scene):
    """A POST changes the file (the audit trail's business); only the form shown is
    an opening."""
    client.force_login(scene.advisor)
    client.post(reverse("candidates:youth_edit", args=[scene.youth.pk]), {"last_name": ""})
    assert not AccessLogEntry.objects.exists()


# --- Retention -----------------------------------------------------------------------


def _entries_aged(days_ago: list[float], youth) -> None:
    now = timezone.now()
    for days in days_ago:
        entry = record_access(user=youth.advisor, kind=AccessKind.YOUTH_FILE, youth=youth)
        AccessLogEntry.objects.filter(pk=entry.pk).update(at=now - datetime.timedelta(days=days))


@time_machine.travel(datetime.datetime(2027, 3, 15, 10, 0, tzinfo=PARIS), tick=False)
def test_the_purge_deletes_entries_older_than_twelve_months_in_batches():
    youth = YouthFactory()
    _entries_aged([900, 500, 400, 366, 365.01, 364.99, 200, 1, 0], youth)
    with CaptureQueriesContext(connection) as captured:
        deleted = purge_access_log(batch_size=2)
    assert deleted == 5
    left = sorted(
        round((timezone.now() - at).total_seconds() / 86400, 2)
        for at in AccessLogEntry.objects.values_list("at", flat=True)
    )
    assert left == [0, 1, 200, 364.99]
    deletes = [q["sql"] for q in captured.captured_queries if q["sql"].startswith("DELETE")]
    # Five old entries, two at a time: three DELETEs, each bounded by a LIMIT.
    assert len(deletes) == 3 and all("LIMIT 2" in sql for sql in deletes)
    # Safe to run twice: nothing more goes.
    assert purge_access_log(batch_size=2) == 0
    assert AccessLogEntry.objects.count() == 4


def test_the_purge_keeps_a_year_by_default_and_counts_what_it_deleted():
    with time_machine.travel(datetime.datetime(2027, 1, 10, 9, 0, tzinfo=PARIS), tick=False):
        youth = YouthFactory()
        for _ in range(3):
            record_access(user=youth.advisor, kind=AccessKind.YOUTH_FILE, youth=youth)
    with time_machine.travel(datetime.datetime(2028, 1, 9, 9, 0, tzinfo=PARIS), tick=False):
        assert purge_access_log() == 0  # 364 days: kept
        assert AccessLogEntry.objects.count() == 3
    with time_machine.travel(datetime.datetime(2028, 1, 11, 9, 0, tzinfo=PARIS), tick=False):
        assert purge_access_log() == 3  # 366 days: gone
        assert not AccessLogEntry.objects.exists()


def test_a_shorter_retention_can_be_asked():
    with time_machine.travel(datetime.datetime(2027, 1, 10, 9, 0, tzinfo=PARIS), tick=False):
        youth = YouthFactory()
        record_access(user=youth.advisor, kind=AccessKind.YOUTH_FILE, youth=youth)
    with time_machine.travel(datetime.datetime(2027, 8, 10, 9, 0, tzinfo=PARIS), tick=False):
        assert purge_access_log() == 0
        assert purge_access_log(older_than_days=180) == 1
    with pytest.raises(ValueError):
        purge_access_log(batch_size=0)


def test_the_log_outlives_the_rows_it_names(client, scene):
    """No constraint and no cascade: deleting a youth or an account keeps the entries
    (the access log must prove who read a file, even one since deleted)."""
    client.force_login(scene.recruiter)
    client.get(reverse("offers:proposal_detail", args=[scene.proposal.pk]))
    recruiter_id, youth_id = scene.recruiter.pk, scene.youth.pk
    scene.proposal.delete()
    scene.youth.delete()
    scene.recruiter.delete()
    entry = AccessLogEntry.objects.for_list().get()
    assert (entry.user_id, entry.youth_id) == (recruiter_id, youth_id)
    assert entry.user is None and entry.youth is None


# --- the entry's commit: without waiting for the disk, that transaction only -------------


def _watch_access_inserts(seen: list):
    """An execute wrapper that notes, for each INSERT into the access log, the
    `synchronous_commit` its transaction runs with (PostgreSQL) and every statement."""

    def wrapper(execute, sql, params, many, context):
        seen.append(sql)
        if connection.vendor == "postgresql" and sql.startswith(f'INSERT INTO "{ACCESS_TABLE}"'):
            with context["connection"].cursor() as cursor:
                cursor.execute("SHOW synchronous_commit")
                seen.append(("synchronous_commit", cursor.fetchone()[0]))
        return execute(sql, params, many, context)

    return wrapper


def _synchronous_commit() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SHOW synchronous_commit")
        return cursor.fetchone()[0]


def _one_message(sql: str) -> list:
    """The results of `sql`'s statements, sent in one message as the access log sends
    its INSERT."""
    results = []
    with connection.cursor() as cursor:
        cursor.execute(sql)
        while True:
            results.append(cursor.fetchall() if cursor.description else None)
            if not cursor.nextset():
                return results


@pytest.mark.django_db(transaction=True)
def test_a_reading_is_committed_without_waiting_for_the_disk_and_only_its_own():
    youth = YouthFactory()
    with CaptureQueriesContext(connection) as captured:
        entry = record_access(user=youth.advisor, kind=AccessKind.YOUTH_FILE, youth=youth)
    assert AccessLogEntry.objects.filter(pk=entry.pk, youth=youth).exists()
    sent = [query["sql"] for query in captured.captured_queries]
    if connection.vendor != "postgresql":
        assert not any("synchronous_commit" in sql for sql in sent)
        return
    # One message, one round trip: the setting, then the ORM's INSERT, and nothing else
    # (no BEGIN nor COMMIT: PostgreSQL runs a message's statements as one transaction).
    assert len(sent) == 1
    assert sent[0].startswith(f'{WITHOUT_WAITING}; INSERT INTO "{ACCESS_TABLE}"')
    # The setting holds for the other statements of its message, and ends with them: the
    # connection's next writes wait for the disk.
    assert _one_message(f"{WITHOUT_WAITING}; SHOW synchronous_commit") == [None, [("off",)]]
    assert _synchronous_commit() == "on"


@pytest.mark.django_db(transaction=True)
def test_the_entry_sent_in_one_message_is_the_one_save_writes():
    youth = YouthFactory()
    sent = record_access(user=youth.advisor, kind=AccessKind.YOUTH_FILE, youth=youth)
    with transaction.atomic():  # inside a transaction: `save()`
        saved = record_access(user=youth.advisor, kind=AccessKind.YOUTH_FILE, youth=youth)
    assert sent.pk and not sent._state.adding and sent._state.db == "default"

    def row(entry):
        values = AccessLogEntry.objects.filter(pk=entry.pk).values().get()
        return {name: value for name, value in values.items() if name not in ("id", "at")}

    assert row(sent) == row(saved)
    assert AccessLogEntry.objects.get(pk=sent.pk).at == sent.at


@pytest.mark.django_db(transaction=True)
def test_the_entry_is_one_message_whatever_the_connections_binding():
    """The portal's connections bind their values server-side (prepared statements,
    `DATABASE_PREPARED_STATEMENTS`), which sends one statement a message: the entry
    goes through a client-binding cursor of the same connection, still one message."""
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's protocol: other databases save the entry")
    from psycopg import ClientCursor

    assert connection.settings_dict["OPTIONS"].get("server_side_binding") is True
    youth = YouthFactory()
    with CaptureQueriesContext(connection) as captured:
        record_access(user=youth.advisor, kind=AccessKind.YOUTH_FILE, youth=youth)
    assert [q["sql"].split(";")[0] for q in captured.captured_queries] == [WITHOUT_WAITING]
    with access_log._one_message_cursor(connection) as cursor:
        assert isinstance(cursor.cursor, ClientCursor)
    assert _synchronous_commit() == "on"


@pytest.mark.django_db(transaction=True)
def test_without_the_simple_protocol_the_entry_is_its_own_transaction(monkeypatch):
    """Without one message possible (another driver than psycopg 3), the entry commits
    in a transaction of its own, after the same setting."""
    monkeypatch.setattr(access_log, "_one_message_possible", lambda connection: False)
    youth = YouthFactory()
    seen: list = []
    with connection.execute_wrapper(_watch_access_inserts(seen)):
        entry = record_access(user=youth.advisor, kind=AccessKind.YOUTH_FILE, youth=youth)
    assert AccessLogEntry.objects.filter(pk=entry.pk, youth=youth).exists()
    if connection.vendor != "postgresql":
        return
    assert seen[0] == WITHOUT_WAITING
    assert ("synchronous_commit", "off") in seen
    assert _synchronous_commit() == "on"


@pytest.mark.django_db(transaction=True)
def test_inside_a_callers_transaction_the_entry_commits_with_it_as_durably():
    youth = YouthFactory()
    seen: list = []
    with transaction.atomic(), connection.execute_wrapper(_watch_access_inserts(seen)):
        record_access(user=youth.advisor, kind=AccessKind.YOUTH_FILE, youth=youth)
        if connection.vendor == "postgresql":
            assert _synchronous_commit() == "on"
    assert not any("SET LOCAL" in str(s) for s in seen)
    assert AccessLogEntry.objects.filter(youth=youth).count() == 1


@pytest.mark.django_db(transaction=True)
def test_the_durable_setting_makes_every_entry_wait_for_the_disk(settings):
    settings.ACCESS_LOG_DURABLE_COMMIT = True
    youth = YouthFactory()
    seen: list = []
    with connection.execute_wrapper(_watch_access_inserts(seen)):
        record_access(user=youth.advisor, kind=AccessKind.YOUTH_FILE, youth=youth)
    assert not any("SET LOCAL" in str(s) for s in seen)
    if connection.vendor == "postgresql":
        assert ("synchronous_commit", "on") in seen
    assert AccessLogEntry.objects.filter(youth=youth).count() == 1
