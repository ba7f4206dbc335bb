"""After anonymisation, the youth's entries keep who changed what and when, and no
personal value: each field anonymisation erases is masked, the youth's names, email and
phone are masked anywhere else (a reason, a free label)."""

from __future__ import annotations

import json

import pytest
from django.utils import timezone

from audit.context import because
from audit.models import AuditEntry
from audit.personal_data import scrub_audit_trail
from candidates import services
from candidates.personal_data_registry import MASK, Identity

from .helpers import entries_of

pytestmark = pytest.mark.django_db


def _text_of(entries) -> str:
    return json.dumps(
        [(e.changes, e.additional_data, e.object_repr, e.changes_text) for e in entries],
        ensure_ascii=False,
    )


def test_anonymising_masks_every_personal_value_of_the_youth_s_entries(ml):
    youth = ml.youth
    note = services.add_follow_up_note(
        youth=youth,
        actor=ml.advisor,
        met_on=timezone.localdate(),
        channel="phone",
        summary="Zéphyrine Aubrac veut travailler à Marseille",
    )
    with because("Zéphyrine a déménagé chez sa tante"):
        youth.city = "Aubagne"
        youth.save(update_fields=["city"])
    entries = AuditEntry.objects.about_youth(youth.pk)
    before = _text_of(entries)
    assert "Aubrac" in before and "Zéphyrine" in before and youth.email in before

    services.anonymise_youth(youth=youth, actor=ml.manager, reason="Demande d'effacement")

    after = _text_of(AuditEntry.objects.about_youth(youth.pk))
    for secret in ("Aubrac", "Zéphyrine", youth.email, "0612345678", "Aubagne"):
        assert secret not in after, secret
    created = entries_of(youth, action=AuditEntry.Action.CREATE).get()
    assert created.changes["first_name"] == ["None", MASK]
    assert created.changes["email"] == ["None", MASK]
    # What the indicators count and who did what stay.
    assert created.changes["education_level"] == ["None", "bac"]
    assert created.changes["mission_locale"] == ["None", str(ml.home.pk)]
    moved = entries_of(youth, action=AuditEntry.Action.UPDATE).filter(changes__has_key="city")
    assert moved.get().changes["city"] == [MASK, MASK]
    assert moved.get().reason == f"{MASK} a déménagé chez sa tante"
    assert entries_of(note).get().changes["summary"] == ["None", MASK]
    # The anonymisation itself is in the trail, with nothing personal in it.
    status = entries_of(youth, action=AuditEntry.Action.UPDATE).filter(changes__has_key="status")
    assert status.get().changes["status"][1] == "anonymised"


def test_the_scrub_is_safe_twice_and_leaves_other_youths_alone(ml):
    identity = Identity.of(ml.youth)
    other_before = _text_of(AuditEntry.objects.about_youth(ml.other_youth.pk))
    first = scrub_audit_trail(youth_pk=ml.youth.pk, identity=identity)
    assert first >= 1
    scrubbed = _text_of(AuditEntry.objects.about_youth(ml.youth.pk))
    assert scrub_audit_trail(youth_pk=ml.youth.pk, identity=identity) == 0
    assert _text_of(AuditEntry.objects.about_youth(ml.youth.pk)) == scrubbed
    assert _text_of(AuditEntry.objects.about_youth(ml.other_youth.pk)) == other_before
