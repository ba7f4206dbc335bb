"""Consent with its proof (issue 14, item 3): consenting to share a profile with
companies, and withdrawing, record when, who, how it was collected and the version of
the information notice the youth was given. The history shows on the youth's page (to
the youth's mission locale only) and in the subject export; the consents recorded
before the proof existed keep their history (data migration)."""

from __future__ import annotations

from datetime import timedelta
from importlib import import_module

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts.enums import NoticePurpose, Role
from accounts.models import InformationNotice
from accounts.services import publish_information_notices
from candidates.enums import ConsentAction, ConsentMethod
from candidates.models import CONSENT_NOTE_MAX_LENGTH, ConsentRecord, Youth
from candidates.permissions import can_see_shared_profile
from candidates.services import (
    anonymise_youth,
    record_sharing_consent,
    withdraw_sharing_consent,
)
from offers.enums import ProposalStatus
from tests.accounts.factories import make_member
from tests.accounts.test_information_notices import write_notice
from tests.offers.factories import ProposalFactory

from .factories import YouthFactory

pytestmark = pytest.mark.django_db


def sharing_notice() -> InformationNotice:
    return InformationNotice.objects.current_for(NoticePurpose.PROFILE_SHARING)


def history(youth: Youth) -> list[tuple]:
    return [
        (r.action, r.method, r.notice_id, r.recorded_by_id, r.note)
        for r in ConsentRecord.objects.filter(youth=youth).order_by("at", "pk")
    ]


# --- The services write the proof --------------------------------------------------------


def test_a_consent_is_recorded_with_how_and_the_notice_in_force():
    youth = YouthFactory()
    record_sharing_consent(
        youth=youth, actor=youth.advisor, method=ConsentMethod.SIGNED_FORM, note="Classé"
    )
    notice = sharing_notice()
    assert history(youth) == [
        (ConsentAction.GIVEN, ConsentMethod.SIGNED_FORM, notice.pk, youth.advisor.pk, "Classé")
    ]
    # The youth's copy, read by the one predicate and the lists, is in step.
    youth.refresh_from_db()
    record = youth.consent_records.get()
    assert (youth.consent_shared_at, youth.consent_recorded_by) == (record.at, youth.advisor)
    assert can_see_shared_profile(make_member(Role.RECRUITER), youth)
    assert list(Youth.objects.sharing_consented()) == [youth]


def test_a_withdrawal_records_the_same_and_still_withdraws_the_open_proposals():
    proposal = ProposalFactory(seen=True)
    youth = proposal.youth
    stopped = withdraw_sharing_consent(
        youth=youth, actor=youth.advisor, method=ConsentMethod.ORAL, note="Au téléphone"
    )
    assert [p.pk for p in stopped.withdrawn_proposals] == [proposal.pk]
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.WITHDRAWN
    notice = sharing_notice()
    assert history(youth)[-1] == (
        ConsentAction.WITHDRAWN,
        ConsentMethod.ORAL,
        notice.pk,
        youth.advisor.pk,
        "Au téléphone",
    )
    youth.refresh_from_db()
    assert youth.consent_withdrawn_at == youth.consent_records.first().at
    assert youth.consent_withdrawn_by == youth.advisor
    assert not can_see_shared_profile(make_member(Role.RECRUITER), youth)
    assert not Youth.objects.sharing_consented().exists()


def test_the_youth_may_consent_and_withdraw_themself_without_an_advisor():
    """The youth space comes later (its own issue); the services already take the
    youth's own click: no author, the method says so."""
    youth = YouthFactory()
    record_sharing_consent(youth=youth, actor=None, method=ConsentMethod.YOUTH_SPACE)
    withdraw_sharing_consent(youth=youth, actor=None, method=ConsentMethod.YOUTH_SPACE)
    notice = sharing_notice()
    assert history(youth) == [
        (ConsentAction.GIVEN, ConsentMethod.YOUTH_SPACE, notice.pk, None, ""),
        (ConsentAction.WITHDRAWN, ConsentMethod.YOUTH_SPACE, notice.pk, None, ""),
    ]


@pytest.mark.parametrize(
    ("method", "author", "field"),
    [
        # A word on the phone withdraws, it does not prove a consent.
        (ConsentMethod.ORAL, "advisor", "method"),
        (ConsentMethod.UNKNOWN, "advisor", "method"),
        (ConsentMethod.ANONYMISATION, "advisor", "method"),
        # Only the youth's own click has no author, and it has no other.
        (ConsentMethod.YOUTH_SPACE, "advisor", "method"),
        (ConsentMethod.EMAIL, None, "method"),
    ],
)
def test_a_consent_without_a_proof_is_refused_and_nothing_is_written(method, author, field):
    youth = YouthFactory()
    with pytest.raises(ValidationError) as refused:
        record_sharing_consent(youth=youth, actor=youth.advisor if author else None, method=method)
    assert field in refused.value.error_dict
    assert not ConsentRecord.objects.exists()
    youth.refresh_from_db()
    assert youth.consent_shared_at is None


def test_a_notice_of_another_purpose_and_a_long_note_are_refused():
    youth = YouthFactory()
    other = InformationNotice.objects.current_for(NoticePurpose.YOUTH_PATHWAY)
    with pytest.raises(ValidationError) as refused:
        record_sharing_consent(
            youth=youth,
            actor=youth.advisor,
            method=ConsentMethod.EMAIL,
            notice=other,
            note="x" * (CONSENT_NOTE_MAX_LENGTH + 1),
        )
    assert set(refused.value.error_dict) == {"notice", "note"}
    assert not ConsentRecord.objects.exists()


def test_a_second_consent_while_consenting_records_nothing():
    youth = YouthFactory(consented=True)
    with pytest.raises(ValidationError, match="déjà enregistré"):
        record_sharing_consent(youth=youth, actor=youth.advisor, method=ConsentMethod.EMAIL)
    assert youth.consent_records.count() == 1


def test_without_a_published_notice_no_consent_is_taken_but_a_withdrawal_always_is():
    """An uninformed consent is none; a withdrawal must never wait for a text."""
    consenting, other = YouthFactory(consented=True), YouthFactory()
    ConsentRecord.objects.all().delete()
    InformationNotice.objects.all().delete()
    with pytest.raises(ValidationError) as refused:
        record_sharing_consent(youth=other, actor=other.advisor, method=ConsentMethod.EMAIL)
    assert "notice" in refused.value.error_dict
    withdraw_sharing_consent(youth=consenting, actor=consenting.advisor, method=ConsentMethod.EMAIL)
    assert history(consenting) == [
        (ConsentAction.WITHDRAWN, ConsentMethod.EMAIL, None, consenting.advisor.pk, "")
    ]


def test_a_consent_points_to_the_version_shown_then(tmp_path):
    """A new version of the notice is published after a youth consented: their record
    still names the version they were given; the next consent takes the new one, unless
    the advisor says the youth signed the earlier one."""
    InformationNotice.objects.all().delete()
    sharing = NoticePurpose.PROFILE_SHARING
    write_notice(tmp_path, sharing, 1, "Partage, première version", "Texte un.")
    [first] = publish_information_notices(directory=tmp_path)
    before = YouthFactory()
    record_sharing_consent(youth=before, actor=before.advisor, method=ConsentMethod.EMAIL)

    write_notice(tmp_path, sharing, 2, "Partage, deuxième version", "Texte deux.")
    [second] = publish_information_notices(directory=tmp_path)
    assert before.consent_records.get().notice == first
    after, signed_earlier = YouthFactory(), YouthFactory()
    record_sharing_consent(youth=after, actor=after.advisor, method=ConsentMethod.EMAIL)
    record_sharing_consent(
        youth=signed_earlier,
        actor=signed_earlier.advisor,
        method=ConsentMethod.SIGNED_FORM,
        notice=first,
    )
    assert after.consent_records.get().notice == second
    assert signed_earlier.consent_records.get().notice == first


def test_anonymising_withdraws_with_its_own_method_and_clears_the_notes():
    youth = YouthFactory(consented=True)
    manager = make_member(Role.ML_MANAGER, organisation=youth.mission_locale)
    youth.consent_records.update(note=f"Formulaire signé par {youth.last_name}")
    anonymise_youth(youth=youth, actor=manager)
    assert [(r.action, r.method, r.note) for r in youth.consent_records.order_by("at")] == [
        (ConsentAction.GIVEN, ConsentMethod.SIGNED_FORM, ""),
        (ConsentAction.WITHDRAWN, ConsentMethod.ANONYMISATION, ""),
    ]
    youth.refresh_from_db()
    assert youth.consent_withdrawn_by == manager


# --- The data migration keeps the consents recorded before the proof ---------------------

MIGRATION = import_module("candidates.migrations.0007_consent_records_before_proof")


def test_the_migration_keeps_every_consent_and_withdrawal_recorded_before():
    consenting, withdrawn, never = YouthFactory(), YouthFactory(), YouthFactory()
    given_at = timezone.now() - timedelta(days=300)
    withdrawn_at = timezone.now() - timedelta(days=10)
    colleague = make_member(Role.ADVISOR, organisation=withdrawn.mission_locale)
    # The rows as they were before the proof: the youth's fields only, no record.
    Youth.objects.filter(pk=consenting.pk).update(
        consent_shared_at=given_at, consent_recorded_by=consenting.advisor
    )
    Youth.objects.filter(pk=withdrawn.pk).update(
        consent_shared_at=given_at,
        consent_recorded_by=withdrawn.advisor,
        consent_withdrawn_at=withdrawn_at,
        consent_withdrawn_by=colleague,
    )
    # A record written since, with its proof: the reverse must leave it.
    since = YouthFactory()
    record_sharing_consent(youth=since, actor=since.advisor, method=ConsentMethod.EMAIL)

    MIGRATION.keep_history(apps, None)

    assert [
        (r.action, r.at, r.recorded_by_id, r.method, r.notice_id)
        for r in consenting.consent_records.all()
    ] == [(ConsentAction.GIVEN, given_at, consenting.advisor.pk, ConsentMethod.UNKNOWN, None)]
    assert [
        (r.action, r.at, r.recorded_by_id, r.method) for r in withdrawn.consent_records.all()
    ] == [
        (ConsentAction.WITHDRAWN, withdrawn_at, colleague.pk, ConsentMethod.UNKNOWN),
        (ConsentAction.GIVEN, given_at, withdrawn.advisor.pk, ConsentMethod.UNKNOWN),
    ]
    assert not never.consent_records.exists()
    # Nobody's consent changed: the predicate reads the same fields as before.
    assert list(Youth.objects.sharing_consented().order_by("pk")) == [consenting, since]

    MIGRATION.forget_history(apps, None)
    assert list(ConsentRecord.objects.values_list("youth_id", flat=True)) == [since.pk]


def test_migrate_runs_the_functions_tested_here():
    """The functions tested above are the ones `migrate` runs, after the schema."""
    [operation] = MIGRATION.Migration.operations
    assert operation.code is MIGRATION.keep_history
    assert operation.reverse_code is MIGRATION.forget_history
    assert MIGRATION.Migration.dependencies == [("candidates", "0006_consent_record")]


# --- The history on the youth's page ---------------------------------------------------


def test_the_history_shows_to_the_youths_mission_locale_and_no_one_else(client):
    youth = YouthFactory(consented=True)
    withdraw_sharing_consent(
        youth=youth, actor=youth.advisor, method=ConsentMethod.EMAIL, note="Mail du 3 mars"
    )
    url = reverse("candidates:youth_detail", args=[youth.pk])
    manager = make_member(Role.ML_MANAGER, organisation=youth.mission_locale)
    notice = sharing_notice()
    for insider in (youth.advisor, manager):
        client.force_login(insider)
        body = client.get(url).content.decode()
        assert "Historique du consentement (preuves)" in body
        assert "En personne, formulaire signé" in body and "Par e-mail du jeune" in body
        assert "Mail du 3 mars" in body
        assert reverse("notices:version", args=[notice.slug, notice.version]) in body
        assert youth.advisor.get_full_name() in body
    # Another mission locale's advisor does not reach the youth's page at all; a
    # recruiter has no candidate pool pages.
    client.force_login(make_member(Role.ADVISOR, region=youth.mission_locale.region))
    assert client.get(url).status_code == 404
    client.force_login(make_member(Role.RECRUITER, region=youth.mission_locale.region))
    assert client.get(url).status_code == 403


def test_the_consent_form_offers_the_notice_versions_and_the_print_link(client):
    youth = YouthFactory()
    client.force_login(youth.advisor)
    response = client.get(reverse("candidates:consent", args=[youth.pk]))
    form = response.context["form"]
    notice = sharing_notice()
    assert [choice for choice, _label in form.fields["method"].choices] == [
        ConsentMethod.SIGNED_FORM,
        ConsentMethod.EMAIL,
    ]
    assert list(form.fields["notice"].queryset) == [notice]
    body = response.content.decode()
    assert reverse("notices:pdf", args=[notice.slug, notice.version]) in body
    assert f"version {notice.version} du {notice.published_on:%d/%m/%Y}" in body


def test_the_withdrawal_form_takes_a_word_and_records_the_notice_in_force(client):
    youth = YouthFactory(consented=True)
    client.force_login(youth.advisor)
    url = reverse("candidates:consent_withdraw", args=[youth.pk])
    form = client.get(url).context["form"]
    assert "notice" not in form.fields
    assert ConsentMethod.ORAL in dict(form.fields["method"].choices)
    assert ConsentMethod.YOUTH_SPACE not in dict(form.fields["method"].choices)


def test_a_consent_page_that_does_not_fit_the_youths_state_sends_back(client):
    consenting, not_consenting = YouthFactory(consented=True), YouthFactory()
    client.force_login(consenting.advisor)
    response = client.get(reverse("candidates:consent", args=[consenting.pk]))
    assert response.status_code == 302
    client.force_login(not_consenting.advisor)
    response = client.get(reverse("candidates:consent_withdraw", args=[not_consenting.pk]))
    assert response.status_code == 302
    # A POST that does not fit (a stale page) is refused by the service, nothing saved.
    response = client.post(
        reverse("candidates:consent_withdraw", args=[not_consenting.pk]),
        {"method": ConsentMethod.ORAL, "note": ""},
    )
    assert response.status_code == 200
    assert "Aucun consentement en cours à retirer." in response.content.decode()
    assert not ConsentRecord.objects.filter(youth=not_consenting).exists()
