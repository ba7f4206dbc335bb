"""The youth's space's models the audit trail follows (`audit/registry.py`): the space
(invitation, next step) and the youth's answers. The reminders' links hold only a
digest of their token: a secret of the link, not a fact of the file."""

from audit.registry import Tracked

from .models import AnswerLink, SessionAnswer, YouthSpace

TRACKED = [
    # The last visit moves on each visit: a fact for the advisor, not a change of the file.
    Tracked(YouthSpace, to_youth="youth", exclude=("last_visit_at",)),
    Tracked(SessionAnswer, to_youth="enrolment__youth"),
    Tracked(AnswerLink, to_youth="enrolment__youth", exclude=("digest",)),
]
