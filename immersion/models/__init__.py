"""Immersion, discovery events and training (Art. 12, Axes III-V, Annex 2 I-A).

One shape serves every kind: a session has dates, a host, a place and a capacity;
people enrol (a youth by their advisor, or an advisor themselves); attendance and the
outcome are recorded. The immersion platform is a yearly cohort of CAE contracts per
region; its consenting members form the candidate pool companies browse.

`Session.confirmed_count` and `waiting_count` are copies kept by the services under the
session's row lock, so lists and calendars never count enrolments row by row.

One module per concept (sessions, the immersion platform, the candidate pool);
this package re-exports every model.
"""

from .platform import (
    CAE_MAX_MONTHS,
    DEFAULT_COHORT_SIZE,
    OCCUPANCY_ROWS,
    CaeContract,
    CaeContractQuerySet,
    Cohort,
    CohortQuerySet,
    cohort_label,
    cohort_visibility,
)
from .pool import (
    PoolRequest,
    PoolRequestQuerySet,
    pool_members,
)
from .sessions import (
    CALENDAR_ENTRIES,
    HOST_KINDS,
    HOSTING_ROLES,
    LIST_KEYS,
    LIST_ROWS,
    ML_ROLES,
    REASON_MAX_LENGTH,
    CalendarFeedKey,
    Enrolment,
    EnrolmentQuerySet,
    Session,
    SessionLog,
    SessionQuerySet,
    local_datetime,
    month_bounds,
    session_hosts_for,
    session_places,
    session_visibility,
    status_css,
)

__all__ = [
    "cohort_label",
    "cohort_visibility",
    "local_datetime",
    "month_bounds",
    "session_hosts_for",
    "session_places",
    "session_visibility",
    "status_css",
    "CALENDAR_ENTRIES",
    "CAE_MAX_MONTHS",
    "CaeContract",
    "CaeContractQuerySet",
    "CalendarFeedKey",
    "Cohort",
    "CohortQuerySet",
    "DEFAULT_COHORT_SIZE",
    "Enrolment",
    "EnrolmentQuerySet",
    "HOSTING_ROLES",
    "HOST_KINDS",
    "LIST_KEYS",
    "LIST_ROWS",
    "ML_ROLES",
    "OCCUPANCY_ROWS",
    "PoolRequest",
    "PoolRequestQuerySet",
    "REASON_MAX_LENGTH",
    "Session",
    "SessionLog",
    "SessionQuerySet",
    "pool_members",
]
