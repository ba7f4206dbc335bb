"""Copy the enrolments' history (`EnrolmentLog`) into the audit trail, which replaces it.

Each log row becomes one entry of the trail, dated and signed like the row, through the
`migration` path, keeping the row's action and detail in `additional_data` (so the
reverse puts the very same rows back). The status each move came from is rebuilt from
the enrolment's earlier rows; a cancellation's detail (its reason) becomes the entry's
reason, as the services now write it."""

from django.db import migrations

BATCH_SIZE = 1000
SOURCE = "immersion.EnrolmentLog"
CREATE, UPDATE = 0, 1


def _entry(log, *, state, AuditEntry, content_type, mission_locales):
    """The trail's entry for one log row; `state` is the enrolment's status and
    attendance so far (updated here)."""
    data = {
        "migrated_from": SOURCE,
        "log_id": log.pk,
        "log_action": log.action,
        "log_detail": log.detail,
    }
    action = UPDATE
    if log.action in ("confirmed", "waiting") and "status" not in state:
        action = CREATE
        changes = {"status": ["None", log.action]}
        state["status"] = log.action
    elif log.action in ("confirmed", "waiting", "promoted", "cancelled"):
        target = "confirmed" if log.action == "promoted" else log.action
        changes = {"status": [state.get("status", "None"), target]}
        state["status"] = target
        if log.action == "cancelled" and log.detail:
            data["reason"] = log.detail
    elif log.action == "attendance":
        changes = {"attendance": [state.get("attendance", "None"), log.detail or "None"]}
        state["attendance"] = log.detail or "None"
    else:
        changes = {}
    youth_id = log.enrolment.youth_id
    return AuditEntry(
        content_type=content_type,
        object_pk=str(log.enrolment_id),
        object_id=log.enrolment_id,
        object_repr=f"immersion.Enrolment#{log.enrolment_id}",
        action=action,
        changes=changes,
        actor_id=log.actor_id,
        timestamp=log.at,
        path="migration",
        youth_id=youth_id,
        organisation_id=mission_locales.get(youth_id),
        additional_data=data,
    )


def _reset_sequence(schema_editor, model):
    """Rows put back with their ids: the next id must follow them (PostgreSQL)."""
    from django.core.management.color import no_style

    for sql in schema_editor.connection.ops.sequence_reset_sql(no_style(), [model]):
        schema_editor.execute(sql)


def copy_logs_into_trail(apps, schema_editor):
    EnrolmentLog = apps.get_model("immersion", "EnrolmentLog")
    AuditEntry = apps.get_model("audit", "AuditEntry")
    ContentType = apps.get_model("contenttypes", "ContentType")
    Youth = apps.get_model("candidates", "Youth")
    content_type, _ = ContentType.objects.get_or_create(app_label="immersion", model="enrolment")
    logs = EnrolmentLog.objects.select_related("enrolment").order_by("enrolment_id", "at", "pk")
    states: dict[int, dict] = {}
    batch = []
    youth_ids = set(
        EnrolmentLog.objects.exclude(enrolment__youth=None).values_list(
            "enrolment__youth_id", flat=True
        )
    )
    mission_locales = dict(
        Youth.objects.filter(pk__in=youth_ids).values_list("pk", "mission_locale_id")
    )
    for log in logs.iterator(chunk_size=BATCH_SIZE):
        state = states.setdefault(log.enrolment_id, {})
        batch.append(
            _entry(
                log,
                state=state,
                AuditEntry=AuditEntry,
                content_type=content_type,
                mission_locales=mission_locales,
            )
        )
        if len(batch) >= BATCH_SIZE:
            AuditEntry.objects.bulk_create(batch)
            batch = []
    AuditEntry.objects.bulk_create(batch)


def copy_trail_back_into_logs(apps, schema_editor):
    EnrolmentLog = apps.get_model("immersion", "EnrolmentLog")
    Enrolment = apps.get_model("immersion", "Enrolment")
    AuditEntry = apps.get_model("audit", "AuditEntry")
    entries = AuditEntry.objects.filter(additional_data__migrated_from=SOURCE)
    existing = set(Enrolment.objects.values_list("pk", flat=True))
    batch = []
    for entry in entries.order_by("pk").iterator(chunk_size=BATCH_SIZE):
        data = entry.additional_data
        if entry.object_id not in existing:
            continue
        batch.append(
            EnrolmentLog(
                pk=data["log_id"],
                enrolment_id=entry.object_id,
                actor_id=entry.actor_id,
                action=data["log_action"],
                detail=data["log_detail"],
                at=entry.timestamp,
            )
        )
        if len(batch) >= BATCH_SIZE:
            EnrolmentLog.objects.bulk_create(batch)
            batch = []
    EnrolmentLog.objects.bulk_create(batch)
    _reset_sequence(schema_editor, EnrolmentLog)
    entries.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("immersion", "0004_delete_sent_notification"),
        ("audit", "0001_audit_entry"),
        ("candidates", "0009_subject_requests"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(copy_logs_into_trail, copy_trail_back_into_logs)]
