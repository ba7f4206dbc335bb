"""Carry the immersion app's record of sent emails (SentNotification) over to the one
record of every email, `accounts.OutgoingEmail`, as sent emails of kind
`immersion.<kind>`: nothing already sent is sent again. The table itself is dropped by the
next (schema) migration. Reverse: the rows sent (or found without object) go back."""

from django.db import migrations

PREFIX = "immersion."
BATCH = 1000


def forward(apps, schema_editor):
    SentNotification = apps.get_model("immersion", "SentNotification")
    OutgoingEmail = apps.get_model("accounts", "OutgoingEmail")
    batch = []
    for row in SentNotification.objects.order_by("pk").iterator(chunk_size=BATCH):
        batch.append(
            OutgoingEmail(
                kind=f"{PREFIX}{row.kind}",
                key=row.key,
                recipient_id=row.recipient_id,
                status="sent",
                attempts=1,
                created_at=row.sent_at,
                last_attempt_at=row.sent_at,
                sent_at=row.sent_at,
            )
        )
        if len(batch) >= BATCH:
            OutgoingEmail.objects.bulk_create(batch, ignore_conflicts=True)
            batch = []
    OutgoingEmail.objects.bulk_create(batch, ignore_conflicts=True)


def backward(apps, schema_editor):
    SentNotification = apps.get_model("immersion", "SentNotification")
    OutgoingEmail = apps.get_model("accounts", "OutgoingEmail")
    rows = OutgoingEmail.objects.filter(kind__startswith=PREFIX)
    # The old table knew only "claimed": an email not sent yet had no row.
    SentNotification.objects.bulk_create(
        [
            SentNotification(
                kind=row.kind.removeprefix(PREFIX), key=row.key, recipient_id=row.recipient_id
            )
            for row in rows.filter(status__in=["sent", "skipped"], recipient__isnull=False)
        ],
        ignore_conflicts=True,
        batch_size=BATCH,
    )
    rows.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_outgoing_email"),
        ("immersion", "0002_calendar_feed_key"),
    ]

    operations = [migrations.RunPython(forward, backward)]
