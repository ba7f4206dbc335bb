"""What other apps' jobs tell the youths through their space (`services.send_to_youth`):
the session reminder two days before (from `immersion.tasks.send_session_reminders`,
the one reminder job) and an interview set by the company (from
`offers.tasks.notify_advisors_of_interview`). Only youths whose space is open and
usable hear anything; the builders check again when each email leaves."""

from __future__ import annotations

from .emails import INTERVIEW, SESSION_REMINDER
from .models import YouthSpace
from .permissions import can_use_space
from .services import send_to_youth


def remind_youths_of_session(session) -> int:
    """Each youth enrolled (confirmed or waiting) with a usable space gets the reminder
    with its answer links, keyed on the enrolment (run twice, sent once)."""
    spaces = {
        space.youth_id: space
        for space in YouthSpace.objects.select_related("youth", "user").filter(
            youth__enrolments__session=session,
            youth__enrolments__status__in=("confirmed", "waiting"),
            user__isnull=False,
        )
    }
    queued = 0
    for enrolment in session.enrolments.active().filter(youth_id__in=list(spaces)):
        space = spaces[enrolment.youth_id]
        if can_use_space(space):
            queued += len(send_to_youth(kind=SESSION_REMINDER, key=str(enrolment.pk), space=space))
    return queued


def tell_youth_of_interview(proposal) -> int:
    """The youth hears the date, time and place of the interview, keyed like the
    advisors' email (the proposal and the interview's time)."""
    space = (
        YouthSpace.objects.select_related("youth", "user")
        .filter(youth_id=proposal.youth_id)
        .first()
    )
    if not can_use_space(space):
        return 0
    key = f"{proposal.pk}:{int(proposal.interview_at.timestamp())}"
    return len(send_to_youth(kind=INTERVIEW, key=key, space=space))
