"""Every write of the immersion app. Each service checks its rule, runs in one
transaction, logs what changed and schedules its emails on commit; when it refuses
(ValidationError in French, or PermissionDenied) nothing is half-saved.

Capacity holds under concurrency because every service that takes or frees a seat
first locks the session's row (`select_for_update`), then counts: two advisors enrolling
in the same instant are served one after the other.

One module per concept (sessions and enrolments, the immersion platform, the
candidate pool); this package re-exports every service.
"""

from .platform import (
    OUTCOME_STAGE,
    add_cae_contract,
    create_cohort,
    record_contract_outcome,
    set_cohort_size,
)
from .pool import (
    answer_pool_request,
    decline_pending_pool_requests,
    request_pool_proposal,
)
from .sessions import (
    CALENDAR_FIELDS,
    SESSION_FIELDS,
    cancel_enrolment,
    create_session,
    enrol_self,
    enrol_youths,
    record_attendance,
    transition_session,
    update_session,
)

__all__ = [
    "CALENDAR_FIELDS",
    "OUTCOME_STAGE",
    "SESSION_FIELDS",
    "add_cae_contract",
    "answer_pool_request",
    "cancel_enrolment",
    "create_cohort",
    "create_session",
    "decline_pending_pool_requests",
    "enrol_self",
    "enrol_youths",
    "record_attendance",
    "record_contract_outcome",
    "request_pool_proposal",
    "set_cohort_size",
    "transition_session",
    "update_session",
]
