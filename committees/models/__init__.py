"""Models of the committees app, split by concept."""

from .convention import (
    Commitment,
    CommitmentLog,
    Convention,
    ConventionRenewal,
    Document,
)
from .meetings import (
    ActionItem,
    AgendaItem,
    Attendance,
    Committee,
    CommitteeMember,
    Decision,
    Meeting,
    committee_member_users,
)
from .plans import ActionPlan, PlanItem, PlanItemLog, PlanItemNote

__all__ = [
    "ActionItem",
    "ActionPlan",
    "AgendaItem",
    "Attendance",
    "Commitment",
    "CommitmentLog",
    "Committee",
    "CommitteeMember",
    "Convention",
    "ConventionRenewal",
    "Decision",
    "Document",
    "Meeting",
    "PlanItem",
    "PlanItemLog",
    "PlanItemNote",
    "committee_member_users",
]
