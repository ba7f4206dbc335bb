"""Make every digest delivery (DigestDelivery) an email of the one record of every email,
`accounts.OutgoingEmail`, of kind `reporting.monthly_digest` keyed on the month
(`YYYY-MM`), with its state, attempts and last error: nothing already sent is sent
again, and the failed ones stay listed for admins. The table is dropped by the next
(schema) migration. Reverse: the deliveries come back from the emails."""

import datetime

from django.db import migrations

KIND = "reporting.monthly_digest"
BATCH = 1000


def forward(apps, schema_editor):
    DigestDelivery = apps.get_model("reporting", "DigestDelivery")
    OutgoingEmail = apps.get_model("accounts", "OutgoingEmail")
    batch = []
    for delivery in DigestDelivery.objects.order_by("pk").iterator(chunk_size=BATCH):
        batch.append(
            OutgoingEmail(
                kind=KIND,
                key=f"{delivery.month.year}-{delivery.month.month:02d}",
                recipient_id=delivery.user_id,
                status=delivery.status,  # pending, sent, failed: the same values
                attempts=delivery.attempts,
                last_error=delivery.last_error,
                created_at=delivery.created_at,
                last_attempt_at=delivery.sent_at,
                sent_at=delivery.sent_at,
            )
        )
        if len(batch) >= BATCH:
            OutgoingEmail.objects.bulk_create(batch, ignore_conflicts=True)
            batch = []
    OutgoingEmail.objects.bulk_create(batch, ignore_conflicts=True)


def backward(apps, schema_editor):
    DigestDelivery = apps.get_model("reporting", "DigestDelivery")
    OutgoingEmail = apps.get_model("accounts", "OutgoingEmail")
    rows = OutgoingEmail.objects.filter(kind=KIND, recipient__isnull=False)
    batch = []
    for row in rows.order_by("pk").iterator(chunk_size=BATCH):
        year, month = (int(part) for part in row.key.split("-"))
        batch.append(
            DigestDelivery(
                user_id=row.recipient_id,
                month=datetime.date(year, month, 1),
                # the old table had no "skipped": it recorded those as sent
                status="sent" if row.status == "skipped" else row.status,
                attempts=row.attempts,
                last_error=row.last_error,
                sent_at=row.sent_at or (row.last_attempt_at if row.status == "skipped" else None),
            )
        )
    DigestDelivery.objects.bulk_create(batch, ignore_conflicts=True, batch_size=BATCH)
    OutgoingEmail.objects.filter(kind=KIND).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_outgoing_email"),
        ("reporting", "0001_initial"),
    ]

    operations = [migrations.RunPython(forward, backward)]
