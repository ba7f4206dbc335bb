"""Every consent recorded before the proof existed keeps its history: one "given"
`ConsentRecord` per youth who consented (when and by whom, from the youth's row), and a
"withdrawn" one when the consent was withdrawn since. How it was collected was never
recorded: the method says so ("unknown"), and no notice is named. Data only, apart from
the schema; the reverse deletes exactly these records."""

from django.db import migrations

BATCH = 2_000


def keep_history(apps, schema_editor):
    Youth = apps.get_model("candidates", "Youth")
    ConsentRecord = apps.get_model("candidates", "ConsentRecord")
    youths = (
        Youth.objects.filter(consent_shared_at__isnull=False)
        .order_by("pk")
        .values_list(
            "pk",
            "consent_shared_at",
            "consent_recorded_by_id",
            "consent_withdrawn_at",
            "consent_withdrawn_by_id",
        )
    )
    batch = []
    for pk, shared_at, recorded_by, withdrawn_at, withdrawn_by in youths.iterator(BATCH):
        batch.append(
            ConsentRecord(
                youth_id=pk,
                purpose="profile_sharing",
                action="given",
                at=shared_at,
                recorded_by_id=recorded_by,
                method="unknown",
            )
        )
        if withdrawn_at is not None:
            batch.append(
                ConsentRecord(
                    youth_id=pk,
                    purpose="profile_sharing",
                    action="withdrawn",
                    at=withdrawn_at,
                    recorded_by_id=withdrawn_by,
                    method="unknown",
                )
            )
        if len(batch) >= BATCH:
            ConsentRecord.objects.bulk_create(batch)
            batch = []
    ConsentRecord.objects.bulk_create(batch)


def forget_history(apps, schema_editor):
    ConsentRecord = apps.get_model("candidates", "ConsentRecord")
    ConsentRecord.objects.filter(method="unknown").delete()


class Migration(migrations.Migration):
    dependencies = [("candidates", "0006_consent_record")]

    operations = [migrations.RunPython(keep_history, forget_history)]
