"""The candidate pool's models the audit trail follows (`audit/registry.py`): the youth's
file and everything attached to it, and the mission locale's mentors."""

from audit.registry import Tracked

from .models import (
    Assessment,
    ConsentRecord,
    FollowUpNote,
    InCompanyCheckIn,
    Mentor,
    MentoringMeeting,
    MentoringPair,
    PathwayEvent,
    SubjectRequest,
    VaeProject,
    Youth,
    YouthTransfer,
)

TRACKED = [
    # The search key is the names folded (they are tracked themselves); the one-time
    # token of the registration form is a secret of the form, not a fact of the file.
    Tracked(Youth, to_youth="pk", exclude=("search_name", "submission_token")),
    # `first_in_year` and `first_in_month` are recomputed for the indicators by
    # `refresh_first_in_year`; the mission locale is the youth's, copied for the
    # indicators (tracked on the youth).
    Tracked(
        PathwayEvent,
        to_youth="youth",
        exclude=("first_in_year", "first_in_month", "mission_locale"),
    ),
    Tracked(Assessment, to_youth="youth"),
    Tracked(FollowUpNote, to_youth="youth"),
    Tracked(InCompanyCheckIn, to_youth="youth"),
    Tracked(MentoringPair, to_youth="youth"),
    Tracked(MentoringMeeting, to_youth="pair__youth"),
    Tracked(VaeProject, to_youth="youth"),
    Tracked(YouthTransfer, to_youth="youth"),
    Tracked(ConsentRecord, to_youth="youth"),
    Tracked(SubjectRequest, to_youth="youth"),
    Tracked(Mentor, organisation="mission_locale"),
]
