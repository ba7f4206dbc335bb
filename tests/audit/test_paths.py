"""Each way into the portal leaves entries with its path, its actor and each field's old
and new value: a page, an import, the admin, a bulk service, a management command (the
job on the real worker is in test_worker.py)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from accounts.enums import InvitationStatus, Role
from accounts.models import Membership
from accounts.services import expire_invitations, revoke_invitation
from audit.context import audit_context, because
from audit.enums import AuditPath
from audit.models import AuditEntry
from candidates import services as candidate_services
from candidates.importing import confirm_import, preview_import
from candidates.models import PathwayEvent, Youth
from tests.accounts.factories import UserFactory, invite_advisor
from tests.candidates.factories import MentoringPairFactory, YouthFactory

from .helpers import entries_of

pytestmark = pytest.mark.django_db


def test_a_page_records_who_changed_which_field_from_what_to_what(client, ml):
    client.force_login(ml.advisor)
    youth = ml.youth
    response = client.post(
        reverse("candidates:youth_edit", args=[youth.pk]),
        {
            "first_name": youth.first_name,
            "last_name": youth.last_name,
            "birth_date": youth.birth_date.strftime("%d/%m/%Y"),
            "advisor": youth.advisor_id,
            "city": "Aubagne",
            "education_level": "cap_bep",
        },
    )
    assert response.status_code == 302
    entry = entries_of(youth, action=AuditEntry.Action.UPDATE).get()
    assert entry.path == AuditPath.PAGE
    assert entry.actor == ml.advisor
    assert entry.youth_id == youth.pk and entry.organisation_id == ml.home.pk
    assert entry.changes["city"] == ["Marseille", "Aubagne"]
    assert entry.changes["education_level"] == ["bac", "cap_bep"]
    # Nothing of the row's str() is copied into the trail: it is named by reference.
    assert entry.object_repr == f"candidates.Youth#{youth.pk}"
    assert "Aubrac" not in entry.object_repr


def test_attached_objects_point_to_their_youth(ml):
    pair = MentoringPairFactory(youth=ml.youth)
    meeting = pair.meetings.create(met_on=timezone.localdate(), note="Premier café")
    entry = entries_of(meeting).get()
    assert entry.action == AuditEntry.Action.CREATE
    assert (entry.youth_id, entry.organisation_id) == (ml.youth.pk, ml.home.pk)
    assert entry.changes["note"] == ["None", "Premier café"]
    assert "id" not in entry.changes and "created_at" not in entry.changes


def test_an_import_marks_its_entries_import(ml):
    born = (timezone.localdate() - timedelta(days=365 * 20 + 40)).strftime("%d/%m/%Y")
    batch = preview_import(
        mission_locale=ml.home,
        actor=ml.advisor,
        file_name="vivier.csv",
        data=f"Nom;Prénom;Date de naissance\r\nImportée;Léa;{born}\r\n".encode(),
    )
    confirm_import(batch=batch, actor=ml.advisor)
    youth = Youth.objects.get(last_name="Importée")
    created = entries_of(youth).get()
    assert created.path == AuditPath.IMPORT and created.action == AuditEntry.Action.CREATE
    assert created.changes["last_name"] == ["None", "Importée"]
    assert created.youth_id == youth.pk and created.organisation_id == ml.home.pk
    event = PathwayEvent.objects.get(youth=youth)
    assert entries_of(event).get().path == AuditPath.IMPORT
    # The batch's own confirmation is no change of a followed model: outside the import,
    # the path is back to what it was.
    ml.youth.city = "Cassis"
    ml.youth.save(update_fields=["city"])
    assert entries_of(ml.youth).last().path == AuditPath.COMMAND


def test_the_admin_marks_its_entries_admin(client, ml):
    staff = UserFactory(admin=True)
    client.force_login(staff)
    membership = Membership.objects.get(user=ml.advisor)
    response = client.post(
        reverse("admin:accounts_membership_change", args=[membership.pk]),
        {
            "user": ml.advisor.pk,
            "organisation": ml.home.pk,
            "role": Role.ML_MANAGER,
            "is_active": "on",
            "_save": "Enregistrer",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    entry = entries_of(membership, action=AuditEntry.Action.UPDATE).get()
    assert entry.path == AuditPath.ADMIN and entry.actor == staff
    assert entry.changes == {"role": [Role.ADVISOR, Role.ML_MANAGER]}
    assert entry.organisation_id == ml.home.pk and entry.youth_id is None


def test_bulk_updates_write_their_entries(ml):
    """`.update()` sends no signal: the services write the entries themselves."""
    met_on = timezone.localdate() - timedelta(days=2)
    candidate_services.add_follow_up_note(
        youth=ml.youth, actor=ml.advisor, met_on=met_on, channel="phone", summary="Point"
    )
    youth_update = entries_of(ml.youth, action=AuditEntry.Action.UPDATE).get()
    assert youth_update.changes == {"last_contact_on": ["None", met_on.isoformat()]}
    assert youth_update.youth_id == ml.youth.pk

    stale = invite_advisor("ancienne@exemple.fr")
    fresh = invite_advisor("nouvelle@exemple.fr")
    type(stale).objects.filter(pk=stale.pk).update(expires_at=timezone.now() - timedelta(days=1))
    assert expire_invitations() == 1
    expired = entries_of(stale, action=AuditEntry.Action.UPDATE).get()
    assert expired.changes == {"status": [InvitationStatus.PENDING, InvitationStatus.EXPIRED]}
    assert expired.organisation_id == stale.organisation_id
    assert not entries_of(fresh, action=AuditEntry.Action.UPDATE).exists()
    # Twice: nothing more to change, nothing more written.
    assert expire_invitations() == 0
    assert entries_of(stale, action=AuditEntry.Action.UPDATE).count() == 1

    with audit_context(path=AuditPath.PAGE, actor=fresh.invited_by):
        revoke_invitation(actor=fresh.invited_by, invitation=fresh)
    revoked = entries_of(fresh, action=AuditEntry.Action.UPDATE).get()
    assert revoked.changes["status"] == [InvitationStatus.PENDING, InvitationStatus.REVOKED]
    assert (revoked.path, revoked.actor) == (AuditPath.PAGE, fresh.invited_by)


def test_a_transfer_ends_the_mentoring_pair_in_the_trail(ml):
    pair = MentoringPairFactory(youth=ml.youth)
    candidate_services.move_youth_to_mission_locale(
        youth=ml.youth, mission_locale=ml.other, actor=ml.manager, reason="Déménagement"
    )
    ended = entries_of(pair, action=AuditEntry.Action.UPDATE).get()
    assert ended.changes["ended_on"] == ["None", timezone.localdate().isoformat()]
    assert ended.changes["end_reason"][1] == "Transfert vers une autre mission locale"
    moved = entries_of(ml.youth, action=AuditEntry.Action.UPDATE).get()
    assert moved.changes["mission_locale"] == [str(ml.home.pk), str(ml.other.pk)]


def test_a_management_command_marks_its_entries_command(ml):
    call_command(
        "shell",
        command=(
            "from candidates.models import Youth; "
            f"youth = Youth.objects.get(pk={ml.youth.pk}); "
            "youth.city = 'La Ciotat'; youth.save(update_fields=['city'])"
        ),
    )
    entry = entries_of(ml.youth, action=AuditEntry.Action.UPDATE).get()
    assert entry.path == AuditPath.COMMAND and entry.actor is None
    assert entry.changes == {"city": ["Marseille", "La Ciotat"]}


def test_a_reason_goes_with_the_change_and_contexts_nest(ml):
    youth = YouthFactory(mission_locale=ml.home)
    with audit_context(path=AuditPath.PAGE, actor=ml.manager):
        with audit_context(path=AuditPath.JOB), because("Demande du jeune"):
            youth.city = "Aix"
            youth.save(update_fields=["city"])
        youth.city = "Arles"
        youth.save(update_fields=["city"])
    job, page = entries_of(youth, action=AuditEntry.Action.UPDATE)
    assert (job.path, job.actor, job.reason) == (AuditPath.JOB, ml.manager, "Demande du jeune")
    assert (page.path, page.actor, page.reason) == (AuditPath.PAGE, ml.manager, "")
