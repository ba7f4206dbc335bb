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
    CaeContract,
    CaeContractQuerySet,
    Cohort,
    CohortQuerySet,
)
from .pool import (
    PoolRequest,
    PoolRequestQuerySet,
    pool_members,
)
from .sessions import (
    HOST_KINDS,
    HOSTING_ROLES,
    ML_ROLES,
    REASON_MAX_LENGTH,
    CalendarFeedKey,
    Enrolment,
    EnrolmentQuerySet,
    Session,
    SessionLog,
    SessionQuerySet,
    local_datetime,
    session_hosts_for,
    session_places,
    status_css,
)

__all__ = [
    "local_datetime",
    "session_hosts_for",
    "session_places",
    "status_css",
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
    "ML_ROLES",
    "PoolRequest",
    "PoolRequestQuerySet",
    "REASON_MAX_LENGTH",
    "Session",
    "SessionLog",
    "SessionQuerySet",
    "pool_members",
]
