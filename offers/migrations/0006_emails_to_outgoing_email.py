"""Carry the offers app's email bookkeeping (OfferNotice.emailed_at) over to the one
record of every email, `accounts.OutgoingEmail` (kind `offers.<notice kind>`): an emailed
notice becomes a sent email, so nothing already sent is sent again, and one not emailed
yet a pending one. OfferNotice keeps only what it is for: the advisors' "new offers"
list, the `published` notices; the others are fully carried by the emails and go. The
`emailed_at` column is dropped by the next (schema) migration. Reverse: the notices and
their `emailed_at` come back from the emails."""

from django.db import migrations

PREFIX = "offers."
BATCH = 1000


def forward(apps, schema_editor):
    OfferNotice = apps.get_model("offers", "OfferNotice")
    OutgoingEmail = apps.get_model("accounts", "OutgoingEmail")
    batch = []
    for notice in OfferNotice.objects.order_by("pk").iterator(chunk_size=BATCH):
        emailed = notice.emailed_at is not None
        batch.append(
            OutgoingEmail(
                kind=f"{PREFIX}{notice.kind}",
                key=notice.key,
                recipient_id=notice.recipient_id,
                status="sent" if emailed else "pending",
                attempts=1 if emailed else 0,
                created_at=notice.created_at,
                last_attempt_at=notice.emailed_at,
                sent_at=notice.emailed_at,
            )
        )
        if len(batch) >= BATCH:
            OutgoingEmail.objects.bulk_create(batch, ignore_conflicts=True)
            batch = []
    OutgoingEmail.objects.bulk_create(batch, ignore_conflicts=True)
    OfferNotice.objects.exclude(kind="published").delete()


def _offer_id(apps, kind: str, key: str):
    """The offer a notice was about, from the email's key."""
    if kind in ("published", "expired"):
        return int(key)
    if kind in ("submitted", "sent_back"):
        model = apps.get_model("offers", "OfferTransition")
    else:  # proposed
        model = apps.get_model("offers", "Proposal")
    return model.objects.filter(pk=key).values_list("offer_id", flat=True).first()


def backward(apps, schema_editor):
    OfferNotice = apps.get_model("offers", "OfferNotice")
    Offer = apps.get_model("offers", "Offer")
    OutgoingEmail = apps.get_model("accounts", "OutgoingEmail")
    rows = OutgoingEmail.objects.filter(kind__startswith=PREFIX, recipient__isnull=False)
    for row in rows.order_by("pk").iterator(chunk_size=BATCH):
        kind = row.kind.removeprefix(PREFIX)
        emailed_at = (row.sent_at or row.last_attempt_at) if row.status != "pending" else None
        if row.status == "failed":
            emailed_at = None
        offer_id = _offer_id(apps, kind, row.key)
        if offer_id is None or not Offer.objects.filter(pk=offer_id).exists():
            continue
        OfferNotice.objects.update_or_create(
            kind=kind,
            key=row.key,
            recipient_id=row.recipient_id,
            defaults={"offer_id": offer_id, "emailed_at": emailed_at},
        )
    OutgoingEmail.objects.filter(kind__startswith=PREFIX).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_outgoing_email"),
        ("offers", "0005_withdraw_proposals_without_consent"),
    ]

    operations = [migrations.RunPython(forward, backward)]
