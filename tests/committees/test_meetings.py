"""Meetings, decisions and action items: the services and their rules."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from audit.models import AuditEntry
from committees import services
from committees.enums import ActionItemStatus, PlanItemStatus
from committees.models import ActionItem, AgendaItem, Decision, Meeting

from .factories import ActionItemFactory, ActionPlanFactory, MeetingFactory, PlanItemFactory

pytestmark = pytest.mark.django_db


def _in(days: int) -> datetime.datetime:
    return timezone.now() + datetime.timedelta(days=days)


def test_a_meeting_is_prepared_from_the_previous_ones_open_action_items(world):
    previous = MeetingFactory(committee=world.committee, past=True)
    open_item = ActionItemFactory(meeting=previous, owner=world.advisor, title="Relancer Méditel")
    ActionItemFactory(meeting=previous, owner=world.recruiter, title="Déjà faite", done=True)
    meeting = services.schedule_meeting(
        actor=world.lead,
        committee=world.committee,
        title="Réunion de décembre",
        starts_at=_in(10),
        place="CEPL",
        agenda=["Bilan annuel", ""],
        prepare_from_previous=True,
    )
    assert meeting.prepared_from == previous
    points = list(meeting.agenda_items.all())
    assert [p.carried_action for p in points] == [open_item, None]
    assert "Relancer Méditel" in points[0].title
    assert points[1].title == "Bilan annuel"


def test_without_preparation_the_agenda_is_only_what_was_typed(world):
    previous = MeetingFactory(committee=world.committee, past=True)
    ActionItemFactory(meeting=previous, owner=world.advisor)
    meeting = services.schedule_meeting(
        actor=world.lead,
        committee=world.committee,
        title="R",
        starts_at=_in(3),
        video_url="https://visio.example.org/r",
        agenda=["Un point"],
    )
    assert meeting.prepared_from is None
    assert list(meeting.agenda_items.values_list("title", flat=True)) == ["Un point"]


def test_only_whoever_runs_the_committee_schedules(world):
    for user in (world.advisor, world.other_lead, world.national):
        with pytest.raises(PermissionDenied):
            services.schedule_meeting(
                actor=user, committee=world.committee, title="R", starts_at=_in(3), place="Ici"
            )
    assert not Meeting.objects.exists()


def test_a_meeting_needs_a_place_or_a_link(world):
    with pytest.raises(ValidationError) as info:
        services.schedule_meeting(
            actor=world.lead, committee=world.committee, title="R", starts_at=_in(3)
        )
    assert "lieu" in str(info.value)
    assert not Meeting.objects.exists() and not AgendaItem.objects.exists()


def test_moving_a_meeting_raises_its_calendar_sequence(world):
    meeting = MeetingFactory(committee=world.committee)
    meeting = services.update_meeting(actor=world.lead, meeting=meeting, title="Nouveau titre")
    assert meeting.sequence == 0
    meeting = services.update_meeting(actor=world.lead, meeting=meeting, starts_at=_in(40))
    assert meeting.sequence == 1


def test_action_item_owner_must_sit_on_the_committee(world):
    meeting = MeetingFactory(committee=world.committee, past=True)
    with pytest.raises(ValidationError) as info:
        services.create_action_item(
            actor=world.lead,
            meeting=meeting,
            title="X",
            owner=world.outsider,
            due_on=timezone.localdate(),
        )
    assert "membre du comité" in info.value.message_dict["owner"][0]
    # Sitting through one's organisation counts.
    item = services.create_action_item(
        actor=world.lead,
        meeting=meeting,
        title="Y",
        owner=world.recruiter,
        due_on=timezone.localdate(),
    )
    assert item.owner == world.recruiter


def test_action_item_due_date_is_not_in_the_past_on_creation(world):
    meeting = MeetingFactory(committee=world.committee, past=True)
    with pytest.raises(ValidationError) as info:
        services.create_action_item(
            actor=world.lead,
            meeting=meeting,
            title="X",
            owner=world.advisor,
            due_on=timezone.localdate() - datetime.timedelta(days=1),
        )
    assert info.value.message_dict["due_on"] == ["L'échéance ne peut pas être dans le passé."]
    assert not ActionItem.objects.exists()


@pytest.mark.parametrize("bad", ["owner", "due_on_past", "due_on_missing", "plan_item"])
def test_a_decision_with_a_bad_action_saves_nothing(world, bad):
    # The action is checked inside the decision's transaction: its refusal undoes the
    # decision already written.
    meeting = MeetingFactory(committee=world.committee, past=True)
    foreign = PlanItemFactory(plan=ActionPlanFactory(region=world.other_region))
    action = {
        "owner": world.advisor,
        "due_on": timezone.localdate(),
        "plan_item": None,
    }
    if bad == "owner":
        action["owner"] = world.outsider
    elif bad == "due_on_past":
        action["due_on"] = timezone.localdate() - datetime.timedelta(days=1)
    elif bad == "due_on_missing":
        action["due_on"] = None
    else:
        action["plan_item"] = foreign
    with pytest.raises(ValidationError) as info:
        services.record_decision(
            actor=world.lead, meeting=meeting, text="On y va", action_title="Faire", **action
        )
    assert list(info.value.message_dict) == [bad.removesuffix("_past").removesuffix("_missing")]
    assert not Decision.objects.exists()
    assert not ActionItem.objects.exists()
    foreign.refresh_from_db()
    assert foreign.status == PlanItemStatus.PLANNED and not foreign.logs.exists()


def test_a_decision_and_its_action_are_saved_together(world):
    meeting = MeetingFactory(committee=world.committee, past=True)
    decision = services.record_decision(
        actor=world.lead,
        meeting=meeting,
        text="On y va",
        action_title="Faire",
        owner=world.advisor,
        due_on=timezone.localdate() + datetime.timedelta(days=7),
    )
    assert decision.action_items.get().owner == world.advisor


def test_plan_item_of_another_region_is_refused(world):
    meeting = MeetingFactory(committee=world.committee, past=True)
    foreign = PlanItemFactory(plan=ActionPlanFactory(region=world.other_region))
    with pytest.raises(ValidationError) as info:
        services.create_action_item(
            actor=world.lead,
            meeting=meeting,
            title="X",
            owner=world.advisor,
            due_on=timezone.localdate(),
            plan_item=foreign,
        )
    assert "plan_item" in info.value.message_dict


def test_transitions_follow_the_table_and_are_logged(world):
    item = ActionItemFactory(
        meeting=MeetingFactory(committee=world.committee, past=True), owner=world.advisor
    )
    services.transition_action_item(actor=world.advisor, item=item, action="start")
    with pytest.raises(ValidationError) as info:
        services.transition_action_item(actor=world.advisor, item=item, action="start")
    assert "Impossible" in info.value.messages[0]
    # The owner may not cancel; whoever runs the committee may.
    with pytest.raises(PermissionDenied):
        services.transition_action_item(actor=world.advisor, item=item, action="cancel")
    with pytest.raises(PermissionDenied):
        services.transition_action_item(actor=world.recruiter, item=item, action="complete")
    services.transition_action_item(actor=world.advisor, item=item, action="complete")
    item.refresh_from_db()
    assert item.status == ActionItemStatus.DONE and item.completed_at is not None
    # Each move is in the audit trail: status from and to.
    moves = AuditEntry.objects.filter(
        object_repr=f"committees.ActionItem#{item.pk}", action=AuditEntry.Action.UPDATE
    ).order_by("pk")
    assert [entry.changes["status"] for entry in moves] == [
        ["open", "in_progress"],
        ["in_progress", "done"],
    ]


def test_completing_the_last_linked_action_completes_the_plan_item(world):
    plan_item = PlanItemFactory(plan=ActionPlanFactory(region=world.paca))
    meeting = MeetingFactory(committee=world.committee, past=True)
    first = services.create_action_item(
        actor=world.lead,
        meeting=meeting,
        title="Un",
        owner=world.advisor,
        due_on=timezone.localdate(),
        plan_item=plan_item,
    )
    second = services.create_action_item(
        actor=world.lead,
        meeting=meeting,
        title="Deux",
        owner=world.recruiter,
        due_on=timezone.localdate(),
        plan_item=plan_item,
    )
    plan_item.refresh_from_db()
    assert plan_item.status == PlanItemStatus.IN_PROGRESS
    services.transition_action_item(actor=world.advisor, item=first, action="complete")
    plan_item.refresh_from_db()
    assert plan_item.status == PlanItemStatus.IN_PROGRESS
    services.transition_action_item(actor=world.recruiter, item=second, action="complete")
    plan_item.refresh_from_db()
    assert plan_item.status == PlanItemStatus.DONE
    assert plan_item.notes.count() == 2


def test_invitations_leave_after_commit(world, django_capture_on_commit_callbacks):
    meeting = MeetingFactory(committee=world.committee)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.send_meeting_invitations(actor=world.lead, meeting=meeting)
    assert len(callbacks) == 1
    meeting.refresh_from_db()
    assert meeting.invitations_sent_at is not None


def test_no_invitations_for_a_past_meeting(world):
    meeting = MeetingFactory(committee=world.committee, past=True)
    with pytest.raises(ValidationError):
        services.send_meeting_invitations(actor=world.lead, meeting=meeting)


def test_national_committees_are_created_by_national_staff_only(world):
    from committees.enums import CommitteeKind

    with pytest.raises(PermissionDenied):
        services.create_committee(
            actor=world.lead, kind=CommitteeKind.NATIONAL_PROFESSIONALS, name="X", region=world.paca
        )
    committee = services.create_committee(
        actor=world.national,
        kind=CommitteeKind.NATIONAL_PROFESSIONALS,
        name="Professionnels",
        region=world.paca,
    )
    assert committee.region is None
    with pytest.raises(PermissionDenied):
        services.create_committee(
            actor=world.national, kind=CommitteeKind.REGIONAL_TECHNICAL, name="Y", region=world.paca
        )
