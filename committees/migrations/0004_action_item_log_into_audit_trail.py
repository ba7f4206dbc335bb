"""Copy the action items' history (`ActionItemLog`) into the audit trail, which replaces
it: each row becomes one entry (status from and to, who, when) through the `migration`
path, keeping the row's id so the reverse puts the very same rows back."""

from django.db import migrations

BATCH_SIZE = 1000
SOURCE = "committees.ActionItemLog"
UPDATE = 1


def _reset_sequence(schema_editor, model):
    """Rows put back with their ids: the next id must follow them (PostgreSQL)."""
    from django.core.management.color import no_style

    for sql in schema_editor.connection.ops.sequence_reset_sql(no_style(), [model]):
        schema_editor.execute(sql)


def copy_logs_into_trail(apps, schema_editor):
    ActionItemLog = apps.get_model("committees", "ActionItemLog")
    AuditEntry = apps.get_model("audit", "AuditEntry")
    ContentType = apps.get_model("contenttypes", "ContentType")
    content_type, _ = ContentType.objects.get_or_create(app_label="committees", model="actionitem")
    batch = []
    for log in ActionItemLog.objects.order_by("pk").iterator(chunk_size=BATCH_SIZE):
        batch.append(
            AuditEntry(
                content_type=content_type,
                object_pk=str(log.action_item_id),
                object_id=log.action_item_id,
                object_repr=f"committees.ActionItem#{log.action_item_id}",
                action=UPDATE,
                changes={"status": [log.from_status, log.to_status]},
                actor_id=log.actor_id,
                timestamp=log.created_at,
                path="migration",
                additional_data={"migrated_from": SOURCE, "log_id": log.pk},
            )
        )
        if len(batch) >= BATCH_SIZE:
            AuditEntry.objects.bulk_create(batch)
            batch = []
    AuditEntry.objects.bulk_create(batch)


def copy_trail_back_into_logs(apps, schema_editor):
    ActionItemLog = apps.get_model("committees", "ActionItemLog")
    ActionItem = apps.get_model("committees", "ActionItem")
    AuditEntry = apps.get_model("audit", "AuditEntry")
    entries = AuditEntry.objects.filter(additional_data__migrated_from=SOURCE)
    existing = set(ActionItem.objects.values_list("pk", flat=True))
    batch = []
    for entry in entries.order_by("pk").iterator(chunk_size=BATCH_SIZE):
        if entry.object_id not in existing:
            continue
        from_status, to_status = entry.changes["status"]
        log = ActionItemLog(
            pk=entry.additional_data["log_id"],
            action_item_id=entry.object_id,
            actor_id=entry.actor_id,
            from_status=from_status,
            to_status=to_status,
        )
        batch.append((log, entry.timestamp))
    # created_at is auto_now_add: set after the insert, in one statement per row.
    ActionItemLog.objects.bulk_create([log for log, _at in batch], batch_size=BATCH_SIZE)
    for log, at in batch:
        ActionItemLog.objects.filter(pk=log.pk).update(created_at=at)
    _reset_sequence(schema_editor, ActionItemLog)
    entries.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("committees", "0003_delete_sent_notification"),
        ("audit", "0001_audit_entry"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(copy_logs_into_trail, copy_trail_back_into_logs)]
