"""Who may move a region's action plan through a committee's action.

The attack: national staff, who only read a region's plan, linked that plan's item to
an action of a national meeting (`plan_item=<id>` posted to the meeting's actions) and
moved it to "en cours", then "fait" by completing the action.
"""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from committees import services
from committees.enums import PlanItemStatus
from committees.models import ActionItem

from .factories import (
    CommitteeFactory,
    CommitteeMemberFactory,
    MeetingFactory,
    PlanItemFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def national_meeting(world):
    committee = CommitteeFactory(national=True, name="Comité national des signataires")
    CommitteeMemberFactory(committee=committee, user=world.national)
    return MeetingFactory(committee=committee)


@pytest.fixture
def paca_plan_item(world):
    return PlanItemFactory(plan__region=world.paca, title="Journées portes ouvertes")


def _due():
    return (timezone.localdate() + datetime.timedelta(days=15)).strftime("%d/%m/%Y")


def test_national_staff_cannot_link_a_region_plan_item_through_the_page(
    client, world, national_meeting, paca_plan_item
):
    client.force_login(world.national)
    page = client.get(reverse("committees:meeting_detail", args=[national_meeting.pk]))
    assert "Journées portes ouvertes" not in page.content.decode()
    response = client.post(
        reverse("committees:action_add", args=[national_meeting.pk]),
        {
            "title": "Suivre les portes ouvertes",
            "owner": world.national.pk,
            "due_on": _due(),
            "plan_item": paca_plan_item.pk,
        },
    )
    assert response.status_code == 400
    assert not ActionItem.objects.exists()
    paca_plan_item.refresh_from_db()
    assert paca_plan_item.status == PlanItemStatus.PLANNED


def test_the_service_refuses_it_whatever_the_form_offered(world, national_meeting, paca_plan_item):
    with pytest.raises(ValidationError) as refused:
        services.create_action_item(
            actor=world.national,
            meeting=national_meeting,
            title="Suivre les portes ouvertes",
            owner=world.national,
            due_on=timezone.localdate() + datetime.timedelta(days=15),
            plan_item=paca_plan_item,
        )
    assert "plan_item" in refused.value.message_dict
    paca_plan_item.refresh_from_db()
    assert paca_plan_item.status == PlanItemStatus.PLANNED


def test_the_region_project_lead_still_links_their_plan(world, paca_plan_item):
    meeting = MeetingFactory(committee=world.committee)
    item = services.create_action_item(
        actor=world.lead,
        meeting=meeting,
        title="Organiser les portes ouvertes",
        owner=world.advisor,
        due_on=timezone.localdate() + datetime.timedelta(days=15),
        plan_item=paca_plan_item,
    )
    paca_plan_item.refresh_from_db()
    assert item.plan_item == paca_plan_item
    assert paca_plan_item.status == PlanItemStatus.IN_PROGRESS
