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
    LIST_COUNTED_ROWS,
    LIST_KEYS,
    LIST_ROWS,
    ML_ROLES,
    ONE_SESSION,
    REASON_MAX_LENGTH,
    SESSION_PAGE_ENROLMENTS,
    CalendarFeedKey,
    Enrolment,
    EnrolmentQuerySet,
    Session,
    SessionLog,
    SessionQuerySet,
    enrolment_visibility,
    local_datetime,
    month_bounds,
    places_of,
    places_statement,
    session_hosts_for,
    session_places,
    session_visibility,
    status_css,
    visible_session_with_host,
)

__all__ = [
    "cohort_label",
    "cohort_visibility",
    "enrolment_visibility",
    "local_datetime",
    "month_bounds",
    "session_hosts_for",
    "places_of",
    "places_statement",
    "session_places",
    "session_visibility",
    "status_css",
    "visible_session_with_host",
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
    "LIST_COUNTED_ROWS",
    "LIST_KEYS",
    "LIST_ROWS",
    "ML_ROLES",
    "OCCUPANCY_ROWS",
    "ONE_SESSION",
    "SESSION_PAGE_ENROLMENTS",
    "PoolRequest",
    "PoolRequestQuerySet",
    "REASON_MAX_LENGTH",
    "Session",
    "SessionLog",
    "SessionQuerySet",
    "pool_members",
]
