"""Retention that runs by itself (candidates.retention): a file 24 months without
activity is announced to its advisor and managers 30 days before, then anonymised unless
something happened meanwhile; refusals leave the company's view after 6 months, import
rows go after 30 days, the access log after 12 months, mentors 2 years after their last
mentoring. Every rule is safe to run twice. The clock is frozen (time-machine)."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from accounts.enums import EmailStatus, Role
from accounts.models import OutgoingEmail
from candidates import retention
from candidates.access_log import AccessLogEntry, record_access
from candidates.emails import RETENTION_NOTICE
from candidates.enums import AccessKind, NoteChannel, YouthStatus
from candidates.models import (
    DataSubjectRequest,
    FollowUpNote,
    ImportBatch,
    Mentor,
    PathwayEvent,
    Youth,
)
from offers.models import Proposal
from tests.accounts.factories import make_member
from tests.offers.factories import ProposalFactory

from .factories import MentorFactory, MentoringPairFactory, YouthFactory
from .retention_world import ANONYMISATION_DAY, LAST_ACTIVITY, NOTICE_DAY, PARIS, at, d, make_team

pytestmark = pytest.mark.django_db


@pytest.fixture
def team():
    return make_team()


def _notices():
    return dict(
        Youth.objects.exclude(retention_notice_on=None).values_list("pk", "retention_notice_on")
    )


def _state():
    """What a run may change, to prove a second one changes nothing."""
    return (
        list(
            Youth.objects.order_by("pk").values_list(
                "pk", "status", "first_name", "retention_notice_on"
            )
        ),
        OutgoingEmail.objects.count(),
        DataSubjectRequest.objects.count(),
        list(Proposal.objects.order_by("pk").values_list("pk", "company_view_removed_at", "note")),
        list(ImportBatch.objects.order_by("pk").values_list("pk", "valid_rows", "rows_purged_at")),
        AccessLogEntry.objects.count(),
        list(Mentor.objects.order_by("pk").values_list("pk", "first_name", "anonymised_at")),
    )


def test_nothing_is_due_the_day_before_the_notice(team):
    with at(NOTICE_DAY - datetime.timedelta(days=1)):
        done = retention.apply_rules(today=NOTICE_DAY - datetime.timedelta(days=1))
    assert done["youth_notice"] == 0 and _notices() == {}


def test_advisor_and_manager_are_told_30_days_before_then_the_file_is_anonymised(
    team, tasks_in_process
):
    quiet, returning, colleague_s = team["quiet"], team["returning"], team["colleague_s"]
    with at(NOTICE_DAY):
        done = retention.apply_rules(today=NOTICE_DAY)
        assert done["youth_notice"] == 3 and done["youth_anonymise"] == 0
        assert _notices() == {
            quiet.pk: NOTICE_DAY,
            returning.pk: NOTICE_DAY,
            colleague_s.pk: NOTICE_DAY,
        }
        # One email each: the advisor (their two files), the colleague (theirs), the
        # manager (the three), recorded once.
        by_recipient = {m.to[0]: m for m in mail.outbox}
        assert set(by_recipient) == {
            team["advisor"].email,
            team["other_advisor"].email,
            team["manager"].email,
        }
        advisor_mail = by_recipient[team["advisor"].email]
        assert "Zéphyrine Oudinot" in advisor_mail.body and "Mathis Revenu" in advisor_mail.body
        assert str(colleague_s.last_name) not in advisor_mail.body
        assert "11/01/2026" in advisor_mail.body and "2 dossiers" in advisor_mail.subject
        assert reverse("candidates:youth_detail", args=[quiet.pk]) in advisor_mail.body
        manager_mail = by_recipient[team["manager"].email]
        assert (
            "3 dossiers" in manager_mail.subject
            and "suivi(e) par Claire Conseil" in manager_mail.body
        )
        assert (
            OutgoingEmail.objects.filter(kind=RETENTION_NOTICE, status=EmailStatus.SENT).count()
            == 3
        )
        # Run again the same day: nobody is told twice, nothing moves.
        before = _state()
        retention.apply_rules(today=NOTICE_DAY)
        assert _state() == before and len(mail.outbox) == 3

    # The day before the 30 days are over: still there.
    with at(ANONYMISATION_DAY - datetime.timedelta(days=1)):
        retention.apply_rules(today=ANONYMISATION_DAY - datetime.timedelta(days=1))
    quiet.refresh_from_db()
    assert quiet.status != YouthStatus.ANONYMISED

    with at(ANONYMISATION_DAY):
        done = retention.apply_rules(today=ANONYMISATION_DAY)
        assert done["youth_anonymise"] == 3
        before = _state()
        assert retention.apply_rules(today=ANONYMISATION_DAY) == dict.fromkeys(done, 0)
        assert _state() == before
    quiet.refresh_from_db()
    assert quiet.status == YouthStatus.ANONYMISED and quiet.first_name == "Anonyme"
    assert quiet.email == "" and quiet.last_name == f"#{quiet.pk}"
    journal = DataSubjectRequest.objects.get(youth=quiet, kind="anonymise")
    assert journal.actor is None and "24 mois sans activité" in journal.reason
    # What the indicators count stays; the followed youth is untouched.
    assert PathwayEvent.objects.filter(youth=quiet).exists()
    team["followed"].refresh_from_db()
    assert team["followed"].status != YouthStatus.ANONYMISED
    assert team["followed"].retention_notice_on is None


def test_activity_after_the_notice_cancels_the_anonymisation(team, tasks_in_process):
    quiet, returning = team["quiet"], team["returning"]
    with at(NOTICE_DAY):
        retention.apply_rules(today=NOTICE_DAY)
    # Ten days later Mathis comes back: his advisor records the meeting.
    meeting_day = NOTICE_DAY + datetime.timedelta(days=10)
    with at(meeting_day):
        FollowUpNote.objects.create(
            youth=returning,
            met_on=meeting_day,
            channel=NoteChannel.IN_PERSON,
            summary="Il revient, cherche une formation.",
            author=team["advisor"],
        )
    with at(ANONYMISATION_DAY):
        assert retention.youths_to_anonymise(ANONYMISATION_DAY).filter(pk=returning.pk).count() == 0
        retention.apply_rules(today=ANONYMISATION_DAY)
    returning.refresh_from_db()
    quiet.refresh_from_db()
    assert quiet.status == YouthStatus.ANONYMISED
    assert returning.status != YouthStatus.ANONYMISED and returning.first_name == "Mathis"
    # A new notice comes 24 months after the meeting, less 30 days, and not before.
    renewed = d(2027, 11, 23)
    with at(renewed - datetime.timedelta(days=1)):
        retention.apply_rules(today=renewed - datetime.timedelta(days=1))
    returning.refresh_from_db()
    assert returning.retention_notice_on == NOTICE_DAY
    with at(renewed):
        retention.apply_rules(today=renewed)
    returning.refresh_from_db()
    assert returning.retention_notice_on == renewed


def test_an_email_not_sent_yet_leaves_out_a_file_with_activity_since(team, monkeypatch):
    """The notice is built when it leaves: a file with activity since is not listed, and
    an advisor left with nothing to be told gets no email."""
    from accounts.tasks import send_email

    monkeypatch.setattr(send_email, "apply_async", lambda *args, **kwargs: None)
    with at(NOTICE_DAY):
        retention.notify_inactive_youths(today=NOTICE_DAY)
        assert mail.outbox == []
        PathwayEvent.objects.create(
            youth=team["colleague_s"],
            mission_locale_id=team["colleague_s"].mission_locale_id,
            stage="discovery",
            previous_stage="information",
            occurred_on=NOTICE_DAY,
            author=team["other_advisor"],
        )
        from accounts.mail import deliver_email

        for email in OutgoingEmail.objects.filter(kind=RETENTION_NOTICE):
            deliver_email(email_id=email.pk, final_attempt=True)
    statuses = dict(
        OutgoingEmail.objects.filter(kind=RETENTION_NOTICE).values_list(
            "recipient__email", "status"
        )
    )
    assert statuses[team["other_advisor"].email] == EmailStatus.SKIPPED
    manager_mail = next(m for m in mail.outbox if m.to == [team["manager"].email])
    assert "2 dossiers" in manager_mail.subject


def test_a_planned_appointment_or_a_recent_proposal_is_activity(team):
    with at(LAST_ACTIVITY):
        Youth.objects.filter(pk=team["quiet"].pk).update(next_appointment_on=d(2024, 6, 1))
    with at(d(2025, 2, 1)):
        ProposalFactory(youth=team["returning"])
    due = set(retention.youths_to_notify(NOTICE_DAY).values_list("pk", flat=True))
    assert due == {team["colleague_s"].pk}


def test_a_declined_proposal_leaves_the_company_s_view_after_six_months():
    with at(d(2026, 1, 5)):
        declined = ProposalFactory(declined=True, note="Zéphyrine est très motivée.")
        recent = ProposalFactory(declined=True, note="Un autre mot.")
        open_one = ProposalFactory(note="En cours.")
        recruiter = make_member(Role.RECRUITER, organisation=declined.offer.company)
    Proposal.objects.filter(pk__in=[declined.pk, open_one.pk]).update(
        status_changed_at=datetime.datetime(2026, 1, 5, 9, tzinfo=PARIS)
    )
    Proposal.objects.filter(pk=recent.pk).update(
        status_changed_at=datetime.datetime(2026, 1, 6, 9, tzinfo=PARIS)
    )
    assert Proposal.objects.visible_to(recruiter).filter(pk=declined.pk).exists()
    today = d(2026, 7, 6)
    with at(today):
        assert list(retention.declined_proposals_due(today).values_list("pk", flat=True)) == [
            declined.pk
        ]
        assert retention.remove_declined_proposals(today=today, batch_size=1) == 1
        assert retention.remove_declined_proposals(today=today) == 0
    declined.refresh_from_db()
    assert declined.note == "" and declined.company_view_removed_at is not None
    assert declined.status == "declined" and declined.decline_reason
    assert not Proposal.objects.visible_to(recruiter).filter(pk=declined.pk).exists()
    # The youth's mission locale keeps it.
    assert Proposal.objects.visible_to(declined.youth.advisor).filter(pk=declined.pk).exists()
    recent.refresh_from_db()
    open_one.refresh_from_db()
    assert recent.note == "Un autre mot." and open_one.company_view_removed_at is None


def test_the_company_can_no_longer_open_a_removed_refusal(client):
    with at(d(2026, 1, 5)):
        declined = ProposalFactory(declined=True)
        recruiter = make_member(Role.RECRUITER, organisation=declined.offer.company)
    Proposal.objects.filter(pk=declined.pk).update(
        status_changed_at=datetime.datetime(2026, 1, 5, 9, tzinfo=PARIS)
    )
    client.force_login(recruiter)
    board = reverse("offers:offer_board", args=[declined.offer.pk])
    detail = reverse("offers:proposal_detail", args=[declined.pk])
    assert detail in client.get(board).content.decode()
    with at(d(2026, 7, 6)):
        retention.remove_declined_proposals(today=d(2026, 7, 6))
    client.force_login(recruiter)
    assert detail not in client.get(board).content.decode()
    assert client.get(detail).status_code == 404


def test_import_rows_are_purged_30_days_after_the_import(advisor, ml):
    rows = [{"line": 2, "first_name": "Zéphyrine", "last_name": "Oudinot"}]
    with at(d(2026, 3, 1)):
        old = ImportBatch.objects.create(
            mission_locale=ml,
            uploaded_by=advisor,
            file_name="a.csv",
            file_sha256="a" * 64,
            valid_rows=rows,
            rejected_rows=[{"line": 3, "errors": ["x"]}],
            created_count=0,
        )
    with at(d(2026, 3, 2)):
        recent = ImportBatch.objects.create(
            mission_locale=ml,
            uploaded_by=advisor,
            file_name="b.csv",
            file_sha256="b" * 64,
            valid_rows=rows,
        )
    today = d(2026, 4, 1)
    with at(today):
        assert retention.purge_import_batches(today=today) == 1
        assert retention.purge_import_batches(today=today) == 0
    old.refresh_from_db()
    recent.refresh_from_db()
    assert old.valid_rows == [] and old.rejected_rows == [] and old.rows_purged_at
    assert old.file_name == "a.csv"
    assert recent.valid_rows == rows
    # A preview whose rows went cannot be confirmed any more.
    from django.core.exceptions import ValidationError

    from candidates.importing import confirm_import

    with pytest.raises(ValidationError, match="30 jours"):
        confirm_import(batch=old, actor=advisor)


def test_the_access_log_keeps_twelve_months():
    with at(d(2025, 3, 1)):
        youth = YouthFactory()
        record_access(user=youth.advisor, kind=AccessKind.YOUTH_FILE, youth=youth)
    with at(d(2025, 3, 3)):
        kept = record_access(user=youth.advisor, kind=AccessKind.YOUTH_FILE, youth=youth)
    today = d(2026, 3, 2)
    with at(today):
        assert retention.access_log_due(today).count() == 1
        assert retention.purge_old_access_log(today=today, batch_size=1) == 1
        assert retention.purge_old_access_log(today=today) == 0
    assert list(AccessLogEntry.objects.values_list("pk", flat=True)) == [kept.pk]


def test_mentors_are_anonymised_two_years_after_their_last_mentoring():
    with at(d(2023, 1, 10)):
        pair = MentoringPairFactory(
            started_on=d(2023, 1, 10),
            mentor__first_name="Gisèle",
            mentor__last_name="Parrain",
            mentor__email="gisele@exemple.fr",
            mentor__charter_signed_on=d(2023, 1, 2),
        )
        available = MentorFactory(charter_signed_on=d(2023, 1, 2))
        still_mentoring = MentoringPairFactory(started_on=d(2023, 1, 10)).mentor
    pair.ended_on = d(2024, 2, 1)
    pair.save()
    gisele = pair.mentor
    with at(d(2026, 1, 31)):
        assert set(retention.mentors_due(d(2026, 1, 31)).values_list("pk", flat=True)) == {
            available.pk
        }
    today = d(2026, 2, 2)
    with at(today):
        assert retention.anonymise_mentors(today=today) == 2  # Gisèle too, now
        assert retention.anonymise_mentors(today=today) == 0
    gisele.refresh_from_db()
    assert (gisele.first_name, gisele.last_name) == ("Anonyme", f"#{gisele.pk}")
    assert gisele.email == gisele.phone == gisele.occupation == "" and not gisele.is_active
    pair.refresh_from_db()
    assert pair.started_on == d(2023, 1, 10) and pair.ended_on == d(2024, 2, 1)
    available.refresh_from_db()
    assert available.anonymised_at is not None
    still_mentoring.refresh_from_db()
    assert still_mentoring.anonymised_at is None


def test_the_dry_run_lists_counts_and_ids_and_changes_nothing(team, capsys):
    with at(NOTICE_DAY):
        before = _state()
        call_command("apply_retention", "--dry-run", f"--today={NOTICE_DAY.isoformat()}")
        out = capsys.readouterr().out
        assert _state() == before
    lines = {line.split(":")[0]: line for line in out.splitlines() if not line.startswith(" ")}
    assert lines["youth_notice"].startswith("youth_notice: 3 ")
    assert lines["youth_anonymise"].startswith("youth_anonymise: 0 ")
    ids = sorted([team["quiet"].pk, team["returning"].pk, team["colleague_s"].pk])
    assert f"ids: {', '.join(map(str, ids))}" in out
    for youth in (team["quiet"], team["returning"]):
        assert youth.first_name not in out and youth.last_name not in out
    assert "Dry run" in out


def test_the_real_run_from_the_command(team, capsys):
    with at(NOTICE_DAY):
        call_command("apply_retention", f"--today={NOTICE_DAY.isoformat()}", "--batch-size=1")
    assert "youth_notice: 3" in capsys.readouterr().out
    assert len(_notices()) == 3


def test_the_job_is_on_the_beat_schedule():
    from django.conf import settings

    jobs = {job["task"] for job in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "candidates.tasks.apply_retention_rules" in jobs


def test_the_youth_page_says_when_an_announced_file_will_be_anonymised(team, client):
    quiet = team["quiet"]
    url = reverse("candidates:youth_detail", args=[quiet.pk])
    with at(NOTICE_DAY):
        retention.notify_inactive_youths(today=NOTICE_DAY)
        client.force_login(team["advisor"])
        page = client.get(url).content.decode()
        assert "il sera anonymisé le 11/01/2026" in page
        # The advisor records a meeting: the notice is cancelled, the page says nothing.
        FollowUpNote.objects.create(
            youth=quiet,
            met_on=NOTICE_DAY,
            channel=NoteChannel.PHONE,
            summary="Appel.",
            author=team["advisor"],
        )
        assert "il sera anonymisé" not in client.get(url).content.decode()
    # A file never announced: not a word.
    with at(NOTICE_DAY):
        page = client.get(reverse("candidates:youth_detail", args=[team["followed"].pk]))
    assert "il sera anonymisé" not in page.content.decode()


def test_every_activity_is_a_date_of_a_model_pointing_to_a_youth():
    """Each app's `ACTIVITY` names real date fields reached from a youth: a renamed
    field fails here, not in the night's job."""
    from django.db import models

    from candidates.personal_data_registry import activities, registered_models

    assert {a.model._meta.app_label for a in activities()} >= {"candidates", "offers", "immersion"}
    for activity in activities():
        assert activity.model in registered_models() or activity.model is Youth
        for name in activity.fields:
            model = activity.model
            *path, last = name.split("__")
            for part in path:
                model = model._meta.get_field(part).related_model
            field = model._meta.get_field(last)
            assert isinstance(field, models.DateField | models.DateTimeField), (activity, name)
        assert activity.model._base_manager.filter(activity.since(d(2020, 1, 1))).count() >= 0
