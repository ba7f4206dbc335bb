"""Who may see what (issue 6): members see their committee's meetings and documents, the
project lead runs the committees and plan of their region, national staff see national
committees and every region's plan; everyone else gets 404 (403 for an action on
something they may see). Every view is tried by someone who must be refused."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.enums import OrganisationKind
from committees import services
from committees.enums import PlanSection
from committees.models import Convention
from tests.accounts.factories import OrganisationFactory
from tests.helpers import assert_refused

from .factories import (
    ActionItemFactory,
    ActionPlanFactory,
    CommitmentFactory,
    CommitteeFactory,
    CommitteeMemberFactory,
    ConventionFactory,
    MeetingFactory,
    PlanItemFactory,
)
from .files import PDF, upload

pytestmark = pytest.mark.django_db

SECRET_MINUTES = "Budget confidentiel du comité"
SECRET_ITEM = "Relancer Méditel en secret"


@pytest.fixture
def data(world):
    meeting = MeetingFactory(committee=world.committee, past=True, minutes=f"# {SECRET_MINUTES}")
    document = services.attach_document(
        actor=world.lead, meeting=meeting, uploaded=upload("compte-rendu.pdf", PDF)
    )
    item = ActionItemFactory(meeting=meeting, owner=world.advisor, title=SECRET_ITEM)
    seat = world.committee.members.get(user=world.advisor)
    plan = ActionPlanFactory(region=world.paca, title="Plan pilote Marseille")
    plan_item = PlanItemFactory(plan=plan, title="Plate-forme d'immersion secrète")
    national = ConventionFactory()
    cepl = OrganisationFactory(kind=OrganisationKind.BUSINESS_NETWORK, region=world.paca)
    regional = ConventionFactory(
        regional=True, parent=national, region=world.paca, title="Déclinaison PACA"
    )
    regional_commitment = CommitmentFactory(
        convention=regional, signatory=cepl, article=19, text="Engagement régional PACA"
    )
    national_commitment = CommitmentFactory(convention=national, text="Engagement national AFRC")
    return {
        "meeting": meeting,
        "document": document,
        "item": item,
        "seat": seat,
        "plan": plan,
        "plan_item": plan_item,
        "national": national,
        "regional": regional,
        "regional_commitment": regional_commitment,
        "national_commitment": national_commitment,
    }


def _url(name, *args):
    return reverse(f"committees:{name}", args=args)


# --- Committees, meetings and documents ---------------------------------------------------


def test_members_and_the_lead_see_the_committee_meeting_and_document(client, world, data):
    for user in (world.advisor, world.recruiter, world.lead):
        client.force_login(user)
        assert client.get(_url("committee_detail", world.committee.pk)).status_code == 200
        page = client.get(_url("meeting_detail", data["meeting"].pk))
        assert page.status_code == 200
        assert SECRET_MINUTES in page.content.decode()
        download = client.get(_url("document_download", data["document"].pk))
        assert download.status_code == 200
        assert b"".join(download.streaming_content).startswith(b"%PDF-")
        assert download["Content-Disposition"] == 'attachment; filename="compte-rendu.pdf"'
        assert download["Content-Type"] == "application/pdf"
        client.logout()


@pytest.mark.parametrize("who", ["outsider", "other_lead", "national"])
def test_others_never_see_a_regional_committee(client, world, data, who):
    user = getattr(world, who)
    secrets = [SECRET_MINUTES, world.committee.name, SECRET_ITEM]
    for url in (
        _url("committee_detail", world.committee.pk),
        _url("meeting_detail", data["meeting"].pk),
        _url("document_download", data["document"].pk),
        _url("meeting_create", world.committee.pk),
        _url("meeting_edit", data["meeting"].pk),
    ):
        assert_refused(client, user, url, must_not_contain=secrets)
    client.force_login(user)
    listing = client.get(_url("committee_list")).content.decode()
    assert world.committee.name not in listing


MANAGE_POSTS = [
    ("member_add", "committee", {"role": "member"}),
    ("meeting_create", "committee", {"title": "X"}),
    ("meeting_edit", "meeting", {"title": "X"}),
    ("agenda_add", "meeting", {"title": "Point pirate"}),
    ("minutes_save", "meeting", {"minutes": "piraté"}),
    ("attendance_save", "meeting", {}),
    ("decision_add", "meeting", {"text": "Décision pirate"}),
    ("action_add", "meeting", {"title": "Action pirate"}),
    ("document_upload", "meeting", {}),
    ("invitations_send", "meeting", {}),
]


@pytest.mark.parametrize(("name", "target", "payload"), MANAGE_POSTS)
@pytest.mark.parametrize("who", ["advisor", "recruiter", "other_lead", "outsider"])
def test_only_the_lead_runs_the_committee(client, world, data, name, target, payload, who):
    obj = world.committee if target == "committee" else data["meeting"]
    assert_refused(
        client,
        getattr(world, who),
        _url(name, obj.pk),
        method="post",
        data=payload,
        must_not_contain=[SECRET_ITEM] if who in ("other_lead", "outsider") else [],
    )
    data["meeting"].refresh_from_db()
    assert data["meeting"].minutes == f"# {SECRET_MINUTES}"
    assert not data["meeting"].decisions.exists()


def test_member_removal_is_refused_to_members_and_other_regions(client, world, data):
    for user in (world.advisor, world.other_lead, world.outsider):
        assert_refused(client, user, _url("member_remove", data["seat"].pk), method="post")
    assert world.committee.members.filter(pk=data["seat"].pk).exists()


def test_national_committees_are_seen_by_national_staff_only(client, world):
    committee = CommitteeFactory(national=True, name="Comité national des signataires")
    meeting = MeetingFactory(committee=committee, past=True, minutes="Relevé national")
    client.force_login(world.national)
    assert client.get(_url("meeting_detail", meeting.pk)).status_code == 200
    assert client.get(_url("meeting_create", committee.pk)).status_code == 200
    for user in (world.lead, world.advisor):
        assert_refused(
            client, user, _url("meeting_detail", meeting.pk), must_not_contain=["Relevé national"]
        )
    # A member of the national committee sees it, without running it.
    CommitteeMemberFactory(committee=committee, user=world.lead)
    client.force_login(world.lead)
    assert client.get(_url("meeting_detail", meeting.pk)).status_code == 200
    assert client.get(_url("meeting_create", committee.pk)).status_code == 403


def test_committee_creation_is_for_leads_and_national_staff(client, world):
    assert_refused(client, world.advisor, _url("committee_create"))
    client.force_login(world.lead)
    assert client.get(_url("committee_create")).status_code == 200
    response = client.post(
        _url("committee_create"),
        {
            "kind": "regional_technical",
            "name": "Comité technique PACA",
            "region": world.other_region.pk,
        },
    )
    assert response.status_code == 200  # another region is not offered
    assert "region" in response.context["form"].errors
    response = client.post(
        _url("committee_create"),
        {"kind": "regional_technical", "name": "Comité technique PACA", "region": world.paca.pk},
    )
    assert response.status_code == 302


# --- Action items -----------------------------------------------------------------------------


def test_my_action_items_shows_only_mine(client, world, data):
    client.force_login(world.advisor)
    assert SECRET_ITEM in client.get(_url("my_action_items")).content.decode()
    for user in (world.outsider, world.recruiter, world.other_lead):
        client.force_login(user)
        page = client.get(_url("my_action_items"))
        assert page.status_code == 200
        assert SECRET_ITEM not in page.content.decode()


def test_action_item_transitions(client, world, data):
    url = _url("action_item_transition", data["item"].pk, "complete")
    for user in (world.outsider, world.other_lead, world.national):
        assert_refused(client, user, url, method="post", must_not_contain=[SECRET_ITEM])
    # The recruiter sees the item (same committee) but is not its owner.
    assert_refused(client, world.recruiter, url, method="post")
    assert_refused(
        client,
        world.advisor,
        _url("action_item_transition", data["item"].pk, "cancel"),
        method="post",
    )
    client.force_login(world.advisor)
    assert client.post(url).status_code == 302
    data["item"].refresh_from_db()
    assert data["item"].status == "done"


# --- Action plan -----------------------------------------------------------------------------


def test_plan_pages_for_the_lead_and_national_staff(client, world, data):
    for user in (world.lead, world.national):
        client.force_login(user)
        assert "Plan pilote Marseille" in client.get(_url("plan_list")).content.decode()
        assert client.get(_url("plan_detail", data["plan"].pk)).status_code == 200
        assert client.get(_url("plan_item_detail", data["plan_item"].pk)).status_code == 200


@pytest.mark.parametrize("who", ["advisor", "recruiter", "outsider", "other_lead"])
def test_plan_pages_refused_to_others(client, world, data, who):
    user = getattr(world, who)
    secrets = ["Plate-forme d'immersion secrète"]
    for url in (
        _url("plan_detail", data["plan"].pk),
        _url("plan_item_detail", data["plan_item"].pk),
    ):
        assert_refused(client, user, url, must_not_contain=secrets)
    if who != "other_lead":
        assert_refused(client, user, _url("plan_list"))
    else:
        client.force_login(user)
        assert "Plan pilote Marseille" not in client.get(_url("plan_list")).content.decode()


@pytest.mark.parametrize("who", ["national", "other_lead", "advisor"])
def test_plan_changes_refused(client, world, data, who):
    user = getattr(world, who)
    item = data["plan_item"]
    for url, payload in (
        (_url("plan_renew", data["plan"].pk), {}),
        (
            _url("plan_item_add", data["plan"].pk),
            {"section": PlanSection.OFFERS, "title": "Pirate"},
        ),
        (_url("plan_note_add", item.pk), {"written_on": "01/01/2006", "text": "Pirate"}),
        (_url("plan_item_transition", item.pk, "complete"), {}),
        (_url("plan_item_edit", item.pk), {"section": PlanSection.OFFERS, "title": "Pirate"}),
    ):
        assert_refused(client, user, url, method="post", data=payload)
    item.refresh_from_db()
    assert item.status == "planned" and not item.notes.exists()
    assert item.title == "Plate-forme d'immersion secrète"
    assert data["plan"].region.action_plans.count() == 1


@pytest.mark.parametrize("who", ["national", "advisor"])
def test_plan_creation_refused_to_who_leads_no_region(client, world, data, who):
    assert_refused(
        client,
        getattr(world, who),
        _url("plan_create"),
        method="post",
        data={"region": world.paca.pk, "year": 2030, "title": "Pirate"},
    )
    assert data["plan"].region.action_plans.count() == 1


def test_plan_of_another_region_is_not_among_the_choices(client, world, data):
    # The lead of another region may create plans, but only for their own region: PACA
    # is not offered, so the post is a choice error and nothing is created.
    client.force_login(world.other_lead)
    response = client.post(
        _url("plan_create"), {"region": world.paca.pk, "year": 2030, "title": "Pirate"}
    )
    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["region"]
    assert "Pirate" in response.content.decode()
    assert list(response.context["form"].fields["region"].queryset) == [world.other_region]
    assert not world.paca.action_plans.filter(year=2030).exists()
    assert world.paca.action_plans.count() == 1


# --- Convention and commitments -------------------------------------------------------------


def test_convention_page_for_leads_and_national_staff(client, world, data):
    for user in (world.lead, world.national):
        client.force_login(user)
        page = client.get(_url("convention")).content.decode()
        assert "Engagement national AFRC" in page and "Engagement régional PACA" in page
    client.force_login(world.other_lead)
    page = client.get(_url("convention")).content.decode()
    assert "Engagement national AFRC" in page and "Engagement régional PACA" not in page


@pytest.mark.parametrize("who", ["advisor", "recruiter", "outsider"])
def test_convention_refused_to_field_staff(client, world, data, who):
    user = getattr(world, who)
    assert_refused(client, user, _url("convention"), must_not_contain=["Engagement national AFRC"])
    assert_refused(client, user, _url("commitment_detail", data["national_commitment"].pk))


def test_commitment_access(client, world, data):
    regional, national = data["regional_commitment"], data["national_commitment"]
    assert_refused(
        client,
        world.other_lead,
        _url("commitment_detail", regional.pk),
        must_not_contain=["Engagement régional PACA"],
    )
    assert_refused(
        client,
        world.other_lead,
        _url("commitment_update", regional.pk),
        method="post",
        data={"status": "met", "evidence_text": "x"},
    )
    assert_refused(
        client, world.other_lead, _url("commitment_document_upload", regional.pk), method="post"
    )
    # A lead reads the national commitments but only national staff update the AFRC's.
    assert_refused(
        client,
        world.lead,
        _url("commitment_update", national.pk),
        method="post",
        data={"status": "met", "evidence_text": "x"},
    )
    assert_refused(
        client,
        world.lead,
        _url("convention_renew", data["national"].pk),
        method="post",
        data={"renewed_on": "07/06/2009", "extra_years": 3},
    )
    assert_refused(
        client,
        world.other_lead,
        _url("additional_commitment_add", data["regional"].pk),
        method="post",
    )
    assert_refused(
        client,
        world.advisor,
        _url("regional_convention_create", data["national"].pk),
        method="post",
    )
    client.force_login(world.lead)
    response = client.post(
        _url("commitment_update", regional.pk),
        {"status": "in_progress", "note": "Première matinée"},
    )
    assert response.status_code == 302
    client.force_login(world.national)
    response = client.post(
        _url("convention_renew", data["national"].pk),
        {"renewed_on": "07/06/2009", "extra_years": 3},
    )
    assert response.status_code == 302
    assert data["national"].renewals.count() == 1


def _regional_payload(world, region) -> dict:
    # A signatory every poster of these tests may pick, so only the region decides.
    signatory = OrganisationFactory(
        kind=OrganisationKind.BUSINESS_NETWORK, region=world.other_region
    )
    return {
        "region": region.pk,
        "title": "Déclinaison pirate",
        "signed_on": "15/03/2007",
        "duration_years": 3,
        "signatories": [signatory.pk],
    }


def test_regional_convention_form_offers_the_regions_the_user_may_sign_for(client, world, data):
    # Art. 19: the region's project lead draws up its convention; national staff follow
    # the conventions but are not offered the form.
    client.force_login(world.lead)
    form = client.get(_url("convention")).context["regional_form"]
    assert list(form.fields["region"].queryset) == [world.paca]
    client.force_login(world.other_lead)
    form = client.get(_url("convention")).context["regional_form"]
    assert list(form.fields["region"].queryset) == [world.other_region]
    client.force_login(world.national)
    page = client.get(_url("convention"))
    assert "regional_form" not in page.context
    assert "Enregistrer une convention régionale" not in page.content.decode()


@pytest.mark.parametrize(
    ("who", "region"), [("national", "paca"), ("national", "other_region"), ("other_lead", "paca")]
)
def test_regional_convention_refused_outside_ones_region(client, world, data, who, region):
    assert_refused(
        client,
        getattr(world, who),
        _url("regional_convention_create", data["national"].pk),
        method="post",
        data=_regional_payload(world, getattr(world, region)),
    )
    assert not Convention.objects.filter(title="Déclinaison pirate").exists()
    assert list(Convention.objects.filter(region__isnull=False)) == [data["regional"]]


def test_regional_convention_created_by_the_region_lead(client, world, data):
    client.force_login(world.other_lead)
    response = client.post(
        _url("regional_convention_create", data["national"].pk),
        _regional_payload(world, world.other_region),
    )
    assert response.status_code == 302
    created = Convention.objects.get(title="Déclinaison pirate")
    assert created.region == world.other_region and created.parent == data["national"]


def test_regional_convention_renewed_by_its_region_lead_only(client, world, data):
    regional = data["regional"]
    payload = {"renewed_on": "15/03/2010", "extra_years": 3}
    for user in (world.other_lead, world.national, world.advisor):
        assert_refused(
            client, user, _url("convention_renew", regional.pk), method="post", data=payload
        )
    assert not regional.renewals.exists()
    client.force_login(world.lead)
    assert client.post(_url("convention_renew", regional.pk), payload).status_code == 302
    assert regional.renewals.count() == 1


def test_commitment_documents_follow_the_commitment(client, world, data):
    regional = data["regional_commitment"]
    document = services.attach_document(
        actor=world.lead, commitment=regional, uploaded=upload("preuve.pdf", PDF)
    )
    assert_refused(client, world.other_lead, _url("document_download", document.pk))
    assert_refused(client, world.advisor, _url("document_download", document.pk))
    client.force_login(world.national)
    response = client.get(_url("document_download", document.pk))
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


def test_upcoming_meeting_due_date_today_is_accepted(world, data):
    item = services.create_action_item(
        actor=world.lead,
        meeting=data["meeting"],
        title="Aujourd'hui",
        owner=world.advisor,
        due_on=timezone.localdate(),
    )
    assert item.due_on == timezone.localdate()
    assert item.due_on < timezone.localdate() + datetime.timedelta(days=1)


def test_navigation_per_role(client, world):
    client.force_login(world.advisor)
    home = client.get(reverse("home")).content.decode()
    assert "Mes actions" in home and "Comités" in home and "Plan d&#x27;action" not in home
    client.force_login(world.lead)
    home = client.get(reverse("home")).content.decode()
    assert "Plan d&#x27;action" in home and "Engagements" in home
    assert "Mettre à jour le plan d&#x27;action de votre région" in home
