"""Who is a young person: a user tied to a youth's file by `YouthSpace.user`.

The tie is read once, when the session opens (`user_logged_in`, whatever the path),
and kept in the session: the middleware then knows a youth's request without a query,
and every youth page loads the youth's own space through `space_of`.
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from candidates.enums import YouthStatus

#: The session key that marks a youth's session (the id of their space).
SESSION_KEY = "youthspace_space_id"
#: A youth whose follow-up was closed more than this long ago cannot sign in any more.
ARCHIVED_GRACE = timedelta(days=30)
_CACHE_ATTR = "_youthspace_space"


def space_of(user):
    """The youth's space of a signed-in user, with the youth, their mission locale and
    advisor (one query, kept on the user object); None for any other user."""
    if user is None or not user.is_authenticated:
        return None
    if hasattr(user, _CACHE_ATTR):
        return getattr(user, _CACHE_ATTR)
    from .models import YouthSpace

    space = (
        YouthSpace.objects.select_related("youth__mission_locale", "youth__advisor")
        .filter(user_id=user.pk)
        .first()
    )
    setattr(user, _CACHE_ATTR, space)
    return space


def is_youth_user(user) -> bool:
    """The user is a young person (their account is tied to a youth's space)."""
    return space_of(user) is not None


def can_sign_in(youth, today=None) -> bool:
    """A youth may use their space unless their file is anonymised, or their follow-up
    was closed more than 30 days ago (the space shows a pathway that is over; the
    advisor re-opens the follow-up to let them back)."""
    if youth.status == YouthStatus.ANONYMISED:
        return False
    if youth.status == YouthStatus.CLOSED:
        today = today or timezone.localdate()
        closed_on = youth.stage_changed_on or youth.updated_at.date()
        return today - closed_on <= ARCHIVED_GRACE
    return True


def is_youth_session(request) -> bool:
    return bool(getattr(request, "session", None) and request.session.get(SESSION_KEY))


def on_user_logged_in(sender, request, user, **kwargs) -> None:
    """Any login: mark a youth's session as one, and clear the mark otherwise."""
    if request is None or not hasattr(request, "session"):
        return
    space = space_of(user)
    if space is not None:
        request.session[SESSION_KEY] = space.pk
    else:
        request.session.pop(SESSION_KEY, None)
