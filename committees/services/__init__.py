"""Every write of the committees app, one module per concept (meetings, their actions
and decisions, the action plan, the convention). Each service checks the actor, runs
in one transaction (nothing half-saved) and schedules its emails on commit. This
package re-exports every service.
"""

from .actions import (
    create_action_item,
    record_decision,
    transition_action_item,
)
from .convention import (
    add_additional_commitment,
    create_regional_convention,
    renew_convention,
    update_commitment,
)
from .meetings import (
    add_agenda_item,
    add_committee_member,
    attach_document,
    committees_without_recent_meeting,
    create_committee,
    previous_meeting,
    record_attendance,
    record_minutes,
    remove_committee_member,
    schedule_meeting,
    send_meeting_invitations,
    update_meeting,
)
from .plans import (
    add_plan_item,
    add_plan_note,
    create_plan,
    plan_progress,
    renew_plan,
    transition_plan_item,
    update_plan_item,
)

__all__ = [
    "add_additional_commitment",
    "add_agenda_item",
    "add_committee_member",
    "add_plan_item",
    "add_plan_note",
    "attach_document",
    "committees_without_recent_meeting",
    "create_action_item",
    "create_committee",
    "create_plan",
    "create_regional_convention",
    "plan_progress",
    "previous_meeting",
    "record_attendance",
    "record_decision",
    "record_minutes",
    "remove_committee_member",
    "renew_convention",
    "renew_plan",
    "schedule_meeting",
    "send_meeting_invitations",
    "transition_action_item",
    "transition_plan_item",
    "update_commitment",
    "update_meeting",
    "update_plan_item",
]
