"""How the immersion pages and emails name a youth to someone outside their mission
locale (a session's host, the project lead, a recruiter of the pool): always through
`candidates.sharing.youth_as_seen_by`, the one rule, consent included."""

from __future__ import annotations

from django.utils.translation import gettext as _

from candidates.sharing import youth_as_seen_by


def participant_placeholder(number: int) -> str:
    """How a list names a youth it may not show: "Participant·e 3", `number` being the
    row's place in the list shown (nothing of the youth)."""
    return _("Participant·e %(number)s") % {"number": number}


def participant_label(user, youth, number: int) -> str:
    """A youth in a session's roster or on the platform's list, as `user` may see them:
    the name for their own mission locale, "Prénom I." for a consenting youth, and
    otherwise `participant_placeholder(number)`."""
    return youth_as_seen_by(user, youth, placeholder=participant_placeholder(number)).label


def pool_request_youth_label(user, pool_request) -> str:
    """The youth a recruiter asked for, as `user` may see them: "Profil retiré" once the
    youth no longer shares their profile."""
    return youth_as_seen_by(user, pool_request.youth, placeholder=_("Profil retiré")).label
