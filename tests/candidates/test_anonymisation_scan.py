"""After anonymisation, no text column of any table holds the youth's names, email or
phone. The scan reads every CharField, TextField and JSONField of every installed model
(raw SQL), so a model added tomorrow is scanned without anyone listing it here.

The audit trail, once it exists, is scrubbed by its own function: if its table has to
be left out of this scan, say so in SKIPPED_TABLES with the reason."""

from __future__ import annotations

import json
import re

import pytest
from django.apps import apps
from django.db import connection, models
from django.utils import timezone

from candidates.enums import (
    PathwayStage,
    SubjectRequestStatus,
    YouthStatus,
)
from candidates.models import (
    DataSubjectRequest,
    ImportBatch,
    PathwayEvent,
    SubjectRequest,
    YouthNameWord,
)
from candidates.personal_data_registry import MASK, fold, holdings
from immersion.enums import Attendance, ContractOutcome, PoolRequestStatus
from immersion.models import CaeContract, Enrolment, PoolRequest
from offers.enums import ProposalStatus
from offers.models import Employment, Proposal

from .everything import EMAIL, FIRST_NAME, LAST_NAME, OTHER_LAST_NAME, PHONE, youth_with_everything

pytestmark = pytest.mark.django_db

#: Tables left out of the scan, each with its reason. None today.
SKIPPED_TABLES: dict[str, str] = {}

TEXT_FIELDS = (models.CharField, models.TextField, models.JSONField)
PHONE_DIGITS = PHONE.removeprefix("0")  # however it is written: 06 71..., +33 6 71...


def text_columns() -> list[tuple[str, list[models.Field]]]:
    """(table, its text fields) for every installed model that stores text."""
    tables = []
    for model in apps.get_models(include_auto_created=True):
        if model._meta.proxy or not model._meta.managed:
            continue
        if model._meta.db_table in SKIPPED_TABLES:
            continue
        fields = [f for f in model._meta.local_concrete_fields if isinstance(f, TEXT_FIELDS)]
        if fields:
            tables.append((model._meta.db_table, fields))
    return tables


def _texts(field: models.Field, raw: str) -> list[str]:
    """The column's value as text; a JSON value decoded first (a database may store
    "Zéphyrine" as "Z\\u00e9phyrine")."""
    if isinstance(field, models.JSONField):
        try:
            decoded = json.loads(raw)
        except ValueError:
            return [raw]
        return [json.dumps(decoded, ensure_ascii=False)]
    return [raw]


def names_the_youth(text: str) -> bool:
    folded = fold(text)
    return (
        fold(FIRST_NAME) in folded
        or fold(LAST_NAME) in folded
        or EMAIL.casefold() in text.casefold()
        or PHONE_DIGITS in re.sub(r"\D", "", text)
    )


def traces() -> dict[str, list[str]]:
    """{table: ["column: value", ...]} of every text naming the youth, in any table."""
    found: dict[str, list[str]] = {}
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for table, fields in text_columns():
            select = ", ".join(f"CAST({quote(f.column)} AS TEXT)" for f in fields)
            cursor.execute(f"SELECT {select} FROM {quote(table)}")  # noqa: S608 (names from the models)
            for row in cursor.fetchall():
                for field, raw in zip(fields, row, strict=True):
                    if raw and any(names_the_youth(text) for text in _texts(field, raw)):
                        found.setdefault(table, []).append(f"{field.column}: {raw[:160]}")
    return found


def _tables_with_text_to_erase() -> set[str]:
    """The tables the registry says hold text about the youth (their clear, replace or
    redact rule), the import batches and the admin's history. Not the names' words on
    SQLite, where no trigger writes them."""
    tables = {h.model._meta.db_table for h in holdings() if h.clear or h.replace or h.redact}
    if connection.vendor != "postgresql":
        tables.discard(YouthNameWord._meta.db_table)
    return tables | {ImportBatch._meta.db_table, "django_admin_log"}


def test_after_anonymisation_no_text_column_of_any_table_names_the_youth():
    world = youth_with_everything()
    youth = world.youth

    # The control: before, the youth is named in every table that should be cleaned, so
    # an empty scan afterwards proves the cleaning, not a blind scanner.
    before = traces()
    assert _tables_with_text_to_erase() <= set(before), (
        f"The world names the youth in none of: {_tables_with_text_to_erase() - set(before)}"
    )

    world.close_erasure()

    after = traces()
    assert not after, "Still naming the youth after anonymisation:\n" + "\n".join(
        f"  {table}.{hit}" for table, hits in after.items() for hit in hits
    )

    # What the indicators count stays.
    youth.refresh_from_db()
    assert youth.status == YouthStatus.ANONYMISED and youth.current_stage == PathwayStage.HIRED
    assert list(
        PathwayEvent.objects.filter(youth=youth).order_by("pk").values_list("stage", flat=True)
    ) == ["information", "discovery", "immersion", "hired"]
    # A source naming a record stays; a free label was text.
    sources = set(PathwayEvent.objects.filter(youth=youth).values_list("source", flat=True))
    assert any(s.startswith("offers.Proposal#") for s in sources)
    assert any(s.startswith("immersion.Enrolment#") for s in sources)
    statuses = sorted(Proposal.objects.filter(youth=youth).values_list("status", flat=True))
    assert statuses == sorted([ProposalStatus.DECLINED, ProposalStatus.WITHDRAWN, "hired"])
    employment = Employment.objects.get(youth=youth)
    assert (employment.weekly_hours, employment.contract_type) == (35, "cdi")
    attended = Enrolment.objects.get(youth=youth, attendance=Attendance.ATTENDED)
    assert attended.host_assessment == "recommend" and attended.host_comment == ""
    assert CaeContract.objects.get(youth=youth).outcome == ContractOutcome.OTHER
    assert set(PoolRequest.objects.filter(youth=youth).values_list("status", flat=True)) == {
        PoolRequestStatus.DECLINED
    }
    # The record of the requests stays, the youth's mentions masked.
    erasure = SubjectRequest.objects.get(pk=world.erasure.pk)
    assert erasure.status == SubjectRequestStatus.CLOSED and erasure.handled_by == world.new_manager
    assert MASK in erasure.outcome and "a bien accroché" in erasure.outcome
    assert DataSubjectRequest.objects.filter(youth=youth, kind="anonymise").exists()
    # The import keeps its counts and the other youth's row.
    batch = ImportBatch.objects.get(pk=world.batch.pk)
    assert batch.created_count == 2 and batch.rejected_rows == []
    assert [row["last_name"] for row in batch.valid_rows] == [OTHER_LAST_NAME]


def test_after_the_retention_job_no_text_column_of_any_table_names_the_youth():
    """The same scan when nobody asked: years without activity, the retention job
    announces the file, then anonymises it 30 days later (and purges the import rows)."""
    import datetime

    import time_machine

    from candidates import retention

    world = youth_with_everything()
    assert traces(), "the control: the youth is named before"
    notice_day = timezone.localdate() + datetime.timedelta(days=5 * 365)
    anonymisation_day = notice_day + datetime.timedelta(days=retention.NOTICE_DAYS)
    for day in (notice_day, anonymisation_day):
        with time_machine.travel(datetime.datetime(day.year, day.month, day.day, 12), tick=False):
            retention.apply_rules(today=day)

    world.youth.refresh_from_db()
    assert world.youth.status == YouthStatus.ANONYMISED
    after = traces()
    assert not after, "Still naming the youth after the retention job:\n" + "\n".join(
        f"  {table}.{hit}" for table, hits in after.items() for hit in hits
    )
