"""The data migrations that move the enrolments' and the action items' bespoke logs into
the audit trail, run directly: every row becomes an entry (who, when, from, to, reason),
and the reverse puts the very same rows back."""

from __future__ import annotations

from datetime import timedelta
from importlib import import_module

import pytest
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone

from audit.enums import AuditPath
from audit.models import AuditEntry
from committees.enums import ActionItemStatus
from immersion.enums import EnrolmentStatus
from tests.committees.factories import ActionItemFactory
from tests.immersion.factories import SessionFactory

pytestmark = pytest.mark.django_db(transaction=True)


def _state_after(app: str, name: str):
    """The models as they were right after migration `app.name` (the log still there)."""
    return MigrationLoader(connection).project_state((app, name), at_end=True).apps


class _Table:
    """Create the removed log's table for the test, drop it afterwards."""

    def __init__(self, model):
        self.model = model

    def __enter__(self):
        with connection.schema_editor() as editor:
            editor.create_model(self.model)
        return self.model

    def __exit__(self, *exc):
        with connection.schema_editor() as editor:
            editor.delete_model(self.model)


def test_enrolment_logs_move_into_the_trail_and_back(ml):
    migration = import_module("immersion.migrations.0005_enrolment_log_into_audit_trail")
    state = _state_after("immersion", "0005_enrolment_log_into_audit_trail")
    session = SessionFactory()
    enrolment = session.enrolments.create(
        youth=ml.youth, status=EnrolmentStatus.CANCELLED, enrolled_by=ml.advisor
    )
    AuditEntry.objects.all().delete()
    day = timezone.now() - timedelta(days=30)
    with _Table(state.get_model("immersion", "EnrolmentLog")) as EnrolmentLog:
        rows = [
            ("waiting", "", day),
            ("promoted", "", day + timedelta(days=1)),
            ("cancelled", "Malade ce jour-là", day + timedelta(days=2)),
        ]
        for action, detail, at in rows:
            EnrolmentLog.objects.create(
                enrolment_id=enrolment.pk,
                actor_id=ml.advisor.pk,
                action=action,
                detail=detail,
                at=at,
            )
        logs = list(EnrolmentLog.objects.order_by("pk").values_list("pk", "action", "detail", "at"))

        with connection.schema_editor() as editor:
            migration.copy_logs_into_trail(state, editor)
        entries = list(AuditEntry.objects.order_by("timestamp", "pk"))
        assert [e.changes for e in entries] == [
            {"status": ["None", "waiting"]},
            {"status": ["waiting", "confirmed"]},
            {"status": ["confirmed", "cancelled"]},
        ]
        assert [e.action for e in entries] == [
            AuditEntry.Action.CREATE,
            AuditEntry.Action.UPDATE,
            AuditEntry.Action.UPDATE,
        ]
        assert {(e.path, e.actor_id, e.youth_id, e.organisation_id) for e in entries} == {
            (AuditPath.MIGRATION, ml.advisor.pk, ml.youth.pk, ml.home.pk)
        }
        assert [e.timestamp for e in entries] == [at for _a, _d, at in rows]
        assert entries[2].reason == "Malade ce jour-là"
        assert {e.object_repr for e in entries} == {f"immersion.Enrolment#{enrolment.pk}"}

        # Back: the same rows, ids included; the copies leave the trail.
        EnrolmentLog.objects.all().delete()
        with connection.schema_editor() as editor:
            migration.copy_trail_back_into_logs(state, editor)
        assert (
            list(EnrolmentLog.objects.order_by("pk").values_list("pk", "action", "detail", "at"))
            == logs
        )
        assert not AuditEntry.objects.filter(path=AuditPath.MIGRATION).exists()


def test_action_item_logs_move_into_the_trail_and_back(ml):
    migration = import_module("committees.migrations.0004_action_item_log_into_audit_trail")
    state = _state_after("committees", "0004_action_item_log_into_audit_trail")
    item = ActionItemFactory(status=ActionItemStatus.DONE, owner=ml.manager)
    AuditEntry.objects.all().delete()
    with _Table(state.get_model("committees", "ActionItemLog")) as ActionItemLog:
        first = ActionItemLog.objects.create(
            action_item_id=item.pk,
            actor_id=ml.manager.pk,
            from_status=ActionItemStatus.OPEN,
            to_status=ActionItemStatus.IN_PROGRESS,
        )
        second = ActionItemLog.objects.create(
            action_item_id=item.pk,
            actor_id=None,
            from_status=ActionItemStatus.IN_PROGRESS,
            to_status=ActionItemStatus.DONE,
        )
        logs = list(
            ActionItemLog.objects.order_by("pk").values_list(
                "pk", "actor_id", "from_status", "to_status", "created_at"
            )
        )
        with connection.schema_editor() as editor:
            migration.copy_logs_into_trail(state, editor)
        entries = list(AuditEntry.objects.order_by("pk"))
        assert [(e.changes, e.actor_id, e.timestamp) for e in entries] == [
            ({"status": ["open", "in_progress"]}, ml.manager.pk, first.created_at),
            ({"status": ["in_progress", "done"]}, None, second.created_at),
        ]
        assert {(e.path, e.object_repr) for e in entries} == {
            (AuditPath.MIGRATION, f"committees.ActionItem#{item.pk}")
        }

        ActionItemLog.objects.all().delete()
        with connection.schema_editor() as editor:
            migration.copy_trail_back_into_logs(state, editor)
        assert (
            list(
                ActionItemLog.objects.order_by("pk").values_list(
                    "pk", "actor_id", "from_status", "to_status", "created_at"
                )
            )
            == logs
        )
        assert not AuditEntry.objects.exists()
        # The next row takes a new id after those put back.
        third = ActionItemLog.objects.create(
            action_item_id=item.pk, from_status="done", to_status="open"
        )
        assert third.pk > second.pk
