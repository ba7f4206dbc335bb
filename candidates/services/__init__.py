"""Every write of the candidate pool, one module per concept. Each service checks its
rule, runs in one transaction and leaves nothing half-saved when it refuses
(ValidationError in French). This package re-exports every service, so that
`from candidates.services import register_youth` is the one way to call them.
"""

from .consent import (
    SharingStopped,
    record_sharing_consent,
    stop_sharing_with_companies,
    withdraw_sharing_consent,
)
from .follow_up import (
    add_follow_up_note,
    record_assessment,
    record_check_in,
    save_vae_project,
)
from .mentoring import (
    end_mentoring,
    pair_mentor,
    record_mentoring_meeting,
    save_mentor,
)
from .pathway import (
    ALLOWED_MOVES,
    CHECK_IN_MONTHS,
    STAGES_REQUIRING_SOURCE,
    advance_pathway,
    allowed_next_stages,
    record_pathway_consequence,
    record_pathway_event,
    schedule_follow_ups_after_hiring,
)
from .registration import (
    ADVISOR_ROLES,
    ALREADY_SENT,
    DUPLICATE,
    YOUTH_FIELDS,
    check_birth_date,
    lock_registrations,
    mission_locale_advisors,
    move_youth_to_mission_locale,
    register_youth,
    register_youth_round,
    register_youths,
    update_youth,
)
from .rights import (
    anonymise_youth,
    log_data_request,
)

__all__ = [
    "advance_pathway",
    "ADVISOR_ROLES",
    "ALLOWED_MOVES",
    "ALREADY_SENT",
    "CHECK_IN_MONTHS",
    "DUPLICATE",
    "STAGES_REQUIRING_SOURCE",
    "SharingStopped",
    "YOUTH_FIELDS",
    "add_follow_up_note",
    "allowed_next_stages",
    "anonymise_youth",
    "check_birth_date",
    "end_mentoring",
    "log_data_request",
    "mission_locale_advisors",
    "move_youth_to_mission_locale",
    "pair_mentor",
    "record_assessment",
    "record_check_in",
    "record_mentoring_meeting",
    "record_pathway_consequence",
    "record_pathway_event",
    "record_sharing_consent",
    "register_youth",
    "lock_registrations",
    "register_youth_round",
    "register_youths",
    "save_mentor",
    "save_vae_project",
    "stop_sharing_with_companies",
    "schedule_follow_ups_after_hiring",
    "update_youth",
    "withdraw_sharing_consent",
]
