"""The candidate pool: youths, their pathway, assessments, follow-up and mentoring.

One module per concept; this package re-exports every model so that
`from candidates.models import Youth` stays the one way to import them.

The pathway events are the source of truth of a youth's stage; `Youth.current_stage`
is a copy kept by `services.record_pathway_event` only, for fast lists and filters.
"""

# Concepts of their own, in their own modules; imported here so Django registers them.
from ..access_log import AccessLogEntry
from ..subject_requests import SubjectRequest
from .follow_up import (
    SCORE_FIELDS,
    Assessment,
    AssessmentQuerySet,
    CheckInQuerySet,
    FollowUpNote,
    FollowUpNoteQuerySet,
    InCompanyCheckIn,
    VaeProject,
)
from .imports import (
    ImportBatch,
    ImportMapping,
)
from .mentoring import (
    Mentor,
    MentoringMeeting,
    MentoringPair,
    MentoringPairQuerySet,
    MentorQuerySet,
)
from .name_words import YouthNameWord, YouthNameWordQuerySet, rebuild_name_words
from .pathway import (
    SOURCE_REFERENCE,
    PathwayEvent,
    PathwayEventQuerySet,
    refresh_first_in_year,
)
from .pathway_counts import (
    PathwayCount,
    compact_pathway_counts,
    rebuild_pathway_counts,
)
from .pool import POOL_COLUMNS, PoolStamp, PoolStampQuerySet, fold_pool_stamps
from .rights import (
    CONSENT_NOTE_MAX_LENGTH,
    ConsentRecord,
    DataSubjectRequest,
)
from .youth import (
    ADULT_AGE,
    MAX_AGE,
    MIN_AGE,
    Youth,
    YouthQuerySet,
    YouthTransfer,
    age_on,
    civis_in_force,
    holds_file,
    load_file,
    visible_youth_file,
    years_ago,
    youth_file_prefetches,
)
from .youth_counts import YouthCount, compact_youth_counts, rebuild_youth_counts

__all__ = [
    "ADULT_AGE",
    "AccessLogEntry",
    "Assessment",
    "AssessmentQuerySet",
    "CONSENT_NOTE_MAX_LENGTH",
    "CheckInQuerySet",
    "ConsentRecord",
    "DataSubjectRequest",
    "FollowUpNote",
    "FollowUpNoteQuerySet",
    "ImportBatch",
    "ImportMapping",
    "InCompanyCheckIn",
    "MAX_AGE",
    "MIN_AGE",
    "Mentor",
    "MentorQuerySet",
    "MentoringMeeting",
    "MentoringPair",
    "MentoringPairQuerySet",
    "POOL_COLUMNS",
    "PathwayEvent",
    "PathwayEventQuerySet",
    "PoolStamp",
    "PoolStampQuerySet",
    "SCORE_FIELDS",
    "SOURCE_REFERENCE",
    "PathwayCount",
    "SubjectRequest",
    "VaeProject",
    "Youth",
    "YouthCount",
    "YouthNameWord",
    "YouthNameWordQuerySet",
    "YouthQuerySet",
    "YouthTransfer",
    "age_on",
    "civis_in_force",
    "compact_pathway_counts",
    "compact_youth_counts",
    "fold_pool_stamps",
    "rebuild_name_words",
    "rebuild_pathway_counts",
    "rebuild_youth_counts",
    "refresh_first_in_year",
    "years_ago",
    "holds_file",
    "load_file",
    "visible_youth_file",
    "youth_file_prefetches",
]
