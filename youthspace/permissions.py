"""Predicates of the youth's space, each with its rule. Seeing a youth is the candidate
pool's rule (`Youth.objects.visible_to`, a 404); these decide who may act (403)."""

from __future__ import annotations

from accounts.scope import get_scope
from candidates.enums import YouthStatus

from .identity import can_sign_in


def can_invite_youth(user, youth) -> bool:
    """The advisors and managers of the youth's mission locale (admins too) invite a
    youth whose follow-up is running and who has an email address: the link is sent
    there."""
    scope = get_scope(user)
    if not (scope.is_admin or youth.mission_locale_id in scope.mission_locale_ids):
        return False
    return youth.status == YouthStatus.ACTIVE and bool(youth.email)


def can_write_next_step(user, youth) -> bool:
    """The youth's mission locale writes the next step agreed with the youth, on a file
    that is not anonymised."""
    scope = get_scope(user)
    if not (scope.is_admin or youth.mission_locale_id in scope.mission_locale_ids):
        return False
    return youth.status != YouthStatus.ANONYMISED


def can_use_space(space) -> bool:
    """A youth uses their space while their account is active and their file allows it
    (`identity.can_sign_in`: not anonymised, not closed for more than 30 days)."""
    return (
        space is not None
        and space.user_id is not None
        and space.user.is_active
        and can_sign_in(space.youth)
    )


def can_answer_enrolment(space, enrolment) -> bool:
    """A youth answers for their own enrolments only, while they are active and the
    session has not started."""
    return (
        space is not None
        and enrolment.youth_id == space.youth_id
        and enrolment.is_active
        and not enrolment.session.has_started
        and enrolment.session.is_enrolling
    )
