"""The project lead's pages, used the way they are meant to be: every form posts, the
service runs, the page shows the result."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.enums import OrganisationKind
from committees.enums import AttendanceStatus, CommitmentStatus, PlanItemStatus
from committees.models import ActionPlan, Attendance, CommitteeMember, Convention, Meeting
from tests.accounts.factories import OrganisationFactory

from .factories import (
    ActionPlanFactory,
    CommitmentFactory,
    ConventionFactory,
    MeetingFactory,
    PlanItemFactory,
)
from .files import ODT, XLSX, upload

pytestmark = pytest.mark.django_db


def _url(name, *args):
    return reverse(f"committees:{name}", args=args)


@pytest.fixture
def lead_client(client, world):
    client.force_login(world.lead)
    return client


def test_committee_membership_pages(lead_client, world):
    response = lead_client.get(_url("committee_detail", world.committee.pk))
    assert "Ajouter au comité" in response.content.decode()
    lead_client.post(
        _url("member_add", world.committee.pk), {"user": world.outsider.pk, "role": "member"}
    )
    assert CommitteeMember.objects.filter(committee=world.committee, user=world.outsider).exists()
    # Both or neither: refused with a French message.
    response = lead_client.post(
        _url("member_add", world.committee.pk),
        {
            "user": world.outsider.pk,
            "organisation": world.outsider.memberships.get().organisation_id,
            "role": "member",
        },
        follow=True,
    )
    assert "pas les deux" in response.content.decode()
    seat = CommitteeMember.objects.get(committee=world.committee, user=world.outsider)
    lead_client.post(_url("member_remove", seat.pk))
    assert not CommitteeMember.objects.filter(pk=seat.pk).exists()


def test_schedule_edit_and_run_a_meeting(lead_client, world, django_capture_on_commit_callbacks):
    day = timezone.localdate() + datetime.timedelta(days=14)
    response = lead_client.post(
        _url("meeting_create", world.committee.pk),
        {
            "title": "Réunion de janvier",
            "starts_on": day.strftime("%d/%m/%Y"),
            "starts_time": "09:30",
            "duration_minutes": 90,
            "video_url": "https://visio.example.org/comite",
            "agenda": "Bilan\nPerspectives",
        },
    )
    meeting = Meeting.objects.get(title="Réunion de janvier")
    assert response.url == _url("meeting_detail", meeting.pk)
    assert (
        timezone.localtime(meeting.starts_at).strftime("%d/%m/%Y %H:%M") == f"{day:%d/%m/%Y} 09:30"
    )
    page = lead_client.get(_url("meeting_edit", meeting.pk))
    assert f'value="{day:%d/%m/%Y}"' in page.content.decode()
    lead_client.post(
        _url("meeting_edit", meeting.pk),
        {
            "title": "Réunion de janvier",
            "starts_on": day.strftime("%d/%m/%Y"),
            "starts_time": "10:00",
            "duration_minutes": 90,
            "place": "CEPL",
        },
    )
    meeting.refresh_from_db()
    assert meeting.sequence == 1 and meeting.place == "CEPL"
    lead_client.post(_url("agenda_add", meeting.pk), {"title": "Questions diverses"})
    assert meeting.agenda_items.count() == 3
    lead_client.post(
        _url("attendance_save", meeting.pk),
        {
            f"user_{world.advisor.pk}": AttendanceStatus.PRESENT,
            f"user_{world.recruiter.pk}": AttendanceStatus.EXCUSED,
        },
    )
    assert dict(Attendance.objects.values_list("user_id", "status")) == {
        world.advisor.pk: "present",
        world.recruiter.pk: "excused",
    }
    for name, content in (("tableau.xlsx", XLSX), ("note.odt", ODT)):
        assert (
            lead_client.post(
                _url("document_upload", meeting.pk), {"file": upload(name, content)}
            ).status_code
            == 302
        )
    assert sorted(meeting.documents.values_list("kind", flat=True)) == ["odt", "xlsx"]
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = lead_client.post(_url("invitations_send", meeting.pk), follow=True)
    assert len(callbacks) == 1
    assert "Les invitations partent" in response.content.decode()
    detail = lead_client.get(_url("meeting_detail", meeting.pk)).content.decode()
    assert (
        "Questions diverses" in detail
        and "tableau.xlsx" in detail
        and "Invitations envoyées le" in detail
    )


def test_plan_pages(lead_client, world):
    page = lead_client.get(_url("plan_list")).content.decode()
    assert "Créer un plan" in page
    year = timezone.localdate().year
    response = lead_client.post(
        _url("plan_create"), {"region": world.paca.pk, "year": year, "title": f"Plan PACA {year}"}
    )
    plan = ActionPlan.objects.get(region=world.paca, year=year)
    assert response.url == _url("plan_detail", plan.pk)
    again = lead_client.post(
        _url("plan_create"), {"region": world.paca.pk, "year": year, "title": "Doublon"}
    )
    assert again.status_code == 400
    assert "déjà un plan" in again.content.decode()
    for typed, bound in (
        (2005, "supérieure ou égale à 2006"),
        (2101, "inférieure ou égale à 2100"),
    ):
        refused = lead_client.post(
            _url("plan_create"), {"region": world.paca.pk, "year": typed, "title": "Hors bornes"}
        )
        body = refused.content.decode()
        assert bound in body and 'value="Hors bornes"' in body
        assert not ActionPlan.objects.filter(year=typed).exists()
    lead_client.post(
        _url("plan_item_add", plan.pk),
        {
            "section": "awareness",
            "audience": "youths",
            "title": "Rencontres métiers",
            "due_on": "31/12/2030",
            "indicator_key": "job_meetings_held",
            "indicator_target": 12,
        },
    )
    bad = lead_client.post(
        _url("plan_item_add", plan.pk),
        {"section": "offers", "title": "Sans cible", "indicator_key": "hires"},
    )
    assert bad.status_code == 400
    assert "cible chiffrée" in bad.content.decode()
    item = plan.items.get()
    assert item.indicator_target == 12
    lead_client.post(
        _url("plan_note_add", item.pk),
        {
            "written_on": timezone.localdate().strftime("%d/%m/%Y"),
            "text": "Première rencontre tenue",
        },
    )
    lead_client.post(_url("plan_item_transition", item.pk, "start"))
    detail = lead_client.get(_url("plan_item_detail", item.pk)).content.decode()
    assert "Première rencontre tenue" in detail and "Marquer réalisée" in detail
    edit = lead_client.post(
        _url("plan_item_edit", item.pk),
        {
            "section": "awareness",
            "audience": "youths",
            "title": "Rencontres métiers mensuelles",
            "due_on": "30/11/2030",
            "indicator_key": "job_meetings_held",
            "indicator_target": "",
        },
    )
    assert edit.status_code == 400
    assert "cible chiffrée" in edit.content.decode()
    assert 'value="Rencontres métiers mensuelles"' in edit.content.decode()
    lead_client.post(
        _url("plan_item_edit", item.pk),
        {
            "section": "awareness",
            "audience": "youths",
            "title": "Rencontres métiers mensuelles",
            "due_on": "30/11/2030",
            "indicator_key": "job_meetings_held",
            "indicator_target": 10,
        },
    )
    item.refresh_from_db()
    assert (item.title, item.due_on, item.indicator_target) == (
        "Rencontres métiers mensuelles",
        datetime.date(2030, 11, 30),
        10,
    )
    assert item.status == PlanItemStatus.IN_PROGRESS
    lead_client.post(_url("plan_item_transition", item.pk, "complete"))
    item.refresh_from_db()
    assert item.status == PlanItemStatus.DONE
    page = lead_client.get(_url("plan_detail", plan.pk)).content.decode()
    assert "100 %" in page
    response = lead_client.post(_url("plan_renew", plan.pk))
    renewed = ActionPlan.objects.get(region=world.paca, year=year + 1)
    assert response.url == _url("plan_detail", renewed.pk)
    assert renewed.items.get().status == PlanItemStatus.PLANNED
    assert "Renouveler pour l" not in lead_client.get(_url("plan_detail", plan.pk)).content.decode()


def test_national_view_is_read_only(client, world):
    plan = ActionPlanFactory(region=world.paca)
    PlanItemFactory(plan=plan, done=True)
    PlanItemFactory(plan=ActionPlanFactory(region=world.other_region), overdue=True)
    client.force_login(world.national)
    page = client.get(_url("plan_list")).content.decode()
    assert "Vue nationale" in page and "Créer un plan" not in page
    assert "Provence-Alpes-Côte d&#x27;Azur" in page and world.other_region.name in page
    detail = client.get(_url("plan_detail", plan.pk)).content.decode()
    assert "Ajouter une action au plan" not in detail and "Renouveler" not in detail


def test_plan_list_shows_the_latest_year_first(client, world):
    ActionPlanFactory(region=world.paca, year=2006, title="Plan pilote 2006")
    ActionPlanFactory(region=world.other_region, year=2026, title="Plan 2026 autre région")
    ActionPlanFactory(region=world.paca, year=2026, title="Plan 2026 PACA")
    client.force_login(world.national)
    page = client.get(_url("plan_list")).content.decode()
    pilot = page.index("Plan pilote 2006")
    assert page.index("Plan 2026 autre région") < pilot
    assert page.index("Plan 2026 PACA") < pilot


def test_convention_pages(client, world):
    national = ConventionFactory()
    cepl = OrganisationFactory(
        kind=OrganisationKind.BUSINESS_NETWORK, region=world.paca, name="CEPL"
    )
    national.signatories.add(cepl)
    commitment = CommitmentFactory(
        convention=national,
        signatory=cepl,
        article=4,
        text="Confier à un chargé de projet le suivi",
    )
    client.force_login(world.lead)
    page = client.get(_url("convention")).content.decode()
    assert "07/06/2009" in page and "Bilan par signataire" in page
    client.post(
        _url("regional_convention_create", national.pk),
        {
            "region": world.paca.pk,
            "title": "Déclinaison PACA",
            "signed_on": "15/03/2007",
            "duration_years": 3,
            "signatories": [cepl.pk],
        },
    )
    regional = Convention.objects.get(region=world.paca)
    client.post(
        _url("additional_commitment_add", regional.pk),
        {"signatory": cepl.pk, "text": "Matinée de recrutement"},
    )
    assert regional.commitments.get().is_additional
    response = client.post(_url("commitment_update", commitment.pk), {"status": "met"})
    assert response.status_code == 400
    assert "preuve" in response.content.decode()
    client.post(
        _url("commitment_document_upload", commitment.pk), {"file": upload("lettre.xlsx", XLSX)}
    )
    response = client.post(
        _url("commitment_update", commitment.pk), {"status": "met", "note": "Lettre de mission"}
    )
    assert response.status_code == 302
    commitment.refresh_from_db()
    assert commitment.status == CommitmentStatus.MET
    detail = client.get(_url("commitment_detail", commitment.pk)).content.decode()
    assert "Lettre de mission" in detail and "lettre.xlsx" in detail


def test_meeting_detail_for_a_member_has_no_management_forms(client, world):
    meeting = MeetingFactory(committee=world.committee)
    client.force_login(world.advisor)
    page = client.get(_url("meeting_detail", meeting.pk)).content.decode()
    assert "Enregistrer une décision" not in page and "Envoyer les invitations" not in page


def _row(html: str, item_id: int) -> str:
    import re

    from django.test.html import parse_html

    match = re.search(rf'<tr id="action-{item_id}".*?</tr>', html, re.S)
    assert match, f"no row for action {item_id}"
    row = re.sub(
        r'name="csrfmiddlewaretoken" value="[^"]+"', 'name="csrfmiddlewaretoken"', match.group(0)
    )
    return parse_html(row)


def test_htmx_swaps_the_row_as_the_full_page_renders_it(client, world):
    from .factories import ActionItemFactory

    item = ActionItemFactory(
        meeting=MeetingFactory(committee=world.committee, past=True), owner=world.advisor
    )
    client.force_login(world.advisor)
    url = _url("action_item_transition", item.pk, "start")
    fragment = client.post(url, headers={"HX-Request": "true"})
    assert fragment.status_code == 200
    assert "<html" not in fragment.content.decode()
    full = client.get(_url("my_action_items")).content.decode()
    assert _row(fragment.content.decode(), item.pk) == _row(full, item.pk)
    assert "En cours" in fragment.content.decode()
    # A step no longer possible is said in the row, nothing changes.
    again = client.post(url, headers={"HX-Request": "true"}).content.decode()
    assert "Impossible depuis l&#x27;état « En cours »." in again


def test_the_lead_closes_an_action_from_the_meeting_page(client, world):
    from .factories import ActionItemFactory

    meeting = MeetingFactory(committee=world.committee, past=True)
    item = ActionItemFactory(meeting=meeting, owner=world.advisor, title="Relancer Méditel")
    client.force_login(world.lead)
    page = client.get(_url("meeting_detail", meeting.pk)).content.decode()
    assert "Annuler" in page and 'name="next" value="meeting"' in page
    response = client.post(_url("action_item_transition", item.pk, "cancel"), {"next": "meeting"})
    assert response.url == _url("meeting_detail", meeting.pk)
    item.refresh_from_db()
    assert item.status == "cancelled"


def test_committee_page_warns_when_a_quarter_went_by(client, world):
    client.force_login(world.lead)
    url = _url("committee_detail", world.committee.pk)
    assert "plus d'un trimestre" in client.get(url).content.decode()
    MeetingFactory(committee=world.committee)
    assert "plus d'un trimestre" not in client.get(url).content.decode()


def test_the_convention_page_says_when_the_convention_is_not_loaded(client, world):
    client.force_login(world.national)
    response = client.get(_url("convention"))
    assert response.status_code == 200
    assert "manage.py load_convention" in response.content.decode()
    client.force_login(world.advisor)
    assert client.get(_url("convention")).status_code == 404
