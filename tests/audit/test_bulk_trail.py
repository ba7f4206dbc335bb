"""The entries of a bulk creation (`audit.trail.record_creations`) hold what
django-auditlog writes for a creation, built from the instances in memory: the same
changes as its `model_instance_diff`, the same youth, organisation, path, actor and
reason, whether PostgreSQL receives them by COPY or any database by `bulk_create`."""

from __future__ import annotations

from datetime import timedelta

import pytest
from auditlog.diff import model_instance_diff
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.enums import Role
from audit import trail
from audit.context import audit_context, because
from audit.enums import AuditPath
from audit.models import AuditEntry
from audit.registry import tracked
from candidates.enums import ContractType, EducationLevel, PathwayStage
from candidates.models import Mentor, PathwayEvent, Youth
from tests.accounts.factories import make_member

from .helpers import entries_of

pytestmark = pytest.mark.django_db


def _as_auditlog_writes(obj) -> dict:
    """django-auditlog's changes of a creation, as the JSON column reads them back."""
    return {name: list(pair) for name, pair in (model_instance_diff(None, obj) or {}).items()}


def _youths(ml, count: int) -> list[Youth]:
    """Youths as an import builds them: every field the file may fill, some left empty."""
    today = timezone.localdate()
    youths = [
        Youth(
            mission_locale=ml.home,
            advisor=ml.advisor if n % 2 else None,
            created_by=ml.advisor,
            first_name=f"Léa{n}",
            last_name='O\'Brien "dit" Ñandú\\',
            search_name=f"obrien lea{n}",
            birth_date=today - timedelta(days=365 * 20 + n),
            email=f"lea{n}@exemple.fr" if n % 3 else "",
            phone="0612345678",
            postcode="13001",
            city="Marseille\t1er",
            education_level=EducationLevel.BAC if n % 2 else "",
            contract_wishes=[ContractType.CDI, ContractType.TEMPORARY] if n % 2 else [],
            civis_start=today - timedelta(days=10) if n % 4 == 0 else None,
            registered_on=today - timedelta(days=n),
            stage_changed_on=today - timedelta(days=n),
            current_stage=PathwayStage.INFORMATION,
        )
        for n in range(count)
    ]
    return Youth.objects.bulk_create(youths)


@pytest.mark.parametrize("count", [3, trail.COPY_FROM + 5])
def test_bulk_entries_hold_what_auditlog_writes_for_each_row(ml, count):
    """Few rows go through `bulk_create`, many through COPY on PostgreSQL: both write
    the very changes django-auditlog would, the youth and organisation of each row,
    the path, the actor and the reason."""
    youths = _youths(ml, count)
    events = PathwayEvent.objects.bulk_create(
        [
            PathwayEvent(
                youth=youth,
                mission_locale_id=youth.mission_locale_id,
                stage=PathwayStage.INFORMATION,
                occurred_on=youth.registered_on,
                author=ml.advisor,
                note="Inscription « import »\n2e ligne",
            )
            for youth in youths
        ]
    )
    with audit_context(path=AuditPath.IMPORT, actor=ml.advisor), because("reprise"):
        assert trail.record_creations(youths) == count
        assert trail.record_creations(events) == count
    for obj in [*youths, *events]:
        entry = entries_of(obj).get()
        assert entry.action == AuditEntry.Action.CREATE
        assert entry.changes == _as_auditlog_writes(obj)
        youth = obj if isinstance(obj, Youth) else obj.youth
        assert (entry.youth_id, entry.organisation_id) == (youth.pk, ml.home.pk)
        assert entry.path == AuditPath.IMPORT and entry.actor_id == ml.advisor.pk
        assert entry.reason == "reprise"
        assert entry.object_id == obj.pk and entry.object_pk == str(obj.pk)
        assert entry.changes_text == "" and entry.cid is None
    sample = entries_of(youths[1]).get().changes
    assert sample["last_name"] == ["None", 'O\'Brien "dit" Ñandú\\']
    assert sample["contract_wishes"] == ["None", '["cdi", "temporary"]']
    assert sample["consent_shared_at"] == ["None", "None"]  # as django-auditlog writes it
    assert "search_name" not in sample and "submission_token" not in sample
    assert entries_of(youths[0]).get().changes["email"] == ["None", ""]


def test_rows_holding_their_youth_are_located_without_a_query(ml):
    """Youths and rows built with their youth need no query to find whose they are;
    other rows are located in one query whatever their number."""
    youths = _youths(ml, 4)
    with CaptureQueriesContext(connection) as queries:
        trail.record_creations(youths)
    assert not [q for q in queries.captured_queries if "candidates_youth" in q["sql"]]
    mentors = Mentor.objects.bulk_create(
        [Mentor(mission_locale=ml.home, first_name=f"M{n}", last_name="Parrain") for n in range(3)]
    )
    with CaptureQueriesContext(connection) as queries:
        trail.record_creations(mentors)
    assert len([q for q in queries.captured_queries if "candidates_mentor" in q["sql"]]) == 1
    for mentor in mentors:
        entry = entries_of(mentor).get()
        assert entry.organisation_id == ml.home.pk
        assert entry.changes == _as_auditlog_writes(mentor)


def test_every_tracked_field_kind_reads_as_auditlog_writes_it(ml):
    """A date and time (UTC, without its zone), a JSON value (sorted keys), a foreign
    key (its id), a boolean, an empty text: the same text as django-auditlog's."""
    for model in tracked():
        fields = trail._creation_plan(model)
        assert {name for name, _a, _t, _n in fields} == set(tracked()[model].fields)
    manager = make_member(Role.ML_MANAGER, organisation=ml.home)
    youth = ml.youth
    youth.consent_shared_at = timezone.now()
    youth.consent_recorded_by = manager
    assert trail.creation_changes(youth) == _as_auditlog_writes(youth)
