"""Predicates of the immersion app: each says its rule in its docstring. Seeing is a
matter of the scoped querysets (404); these decide who may act (403)."""

from __future__ import annotations

from accounts.enums import Role
from accounts.scope import get_scope
from accounts.workflow import can_move

from .enums import Audience
from .models import HOSTING_ROLES, ML_ROLES


def can_create_session(user) -> bool:
    """The project lead (for any host of their region) and the hosts themselves:
    recruiters for their company, training bodies' staff, mission locale managers."""
    scope = get_scope(user)
    return scope.is_admin or bool(scope.organisation_ids(*HOSTING_ROLES))


def can_host_for(user, organisation) -> bool:
    """A session may be hosted by `organisation` when the user acts for it, or when the
    user is the project lead of its region."""
    scope = get_scope(user)
    if scope.is_admin:
        return True
    if organisation.pk in scope.organisation_ids(*HOSTING_ROLES):
        return True
    return organisation.region_id in scope.lead_region_ids


def can_follow_region_feed(user, region) -> bool:
    """A region's calendar feed is for the members of an organisation of that region
    (what they see of it is `Session.objects.visible_to`), and admins."""
    return user.is_superuser or region.pk in get_scope(user).region_ids()


def can_manage_session(user, session) -> bool:
    """The project lead of the session's region and the members of its host run it:
    edit, open, cancel, mark attendance, see the participants' shared profiles."""
    scope = get_scope(user)
    if scope.is_admin:
        return True
    return session.region_id in scope.lead_region_ids or session.host_id in scope.organisation_ids(
        *HOSTING_ROLES
    )


def can_enrol_youths(user, session) -> bool:
    """Advisors and managers of a mission locale of the session's region enrol their own
    youths in a youth session (which youths: `Youth.objects.visible_to`)."""
    scope = get_scope(user)
    if session.audience != Audience.YOUTHS:
        return False
    if scope.is_admin:
        return True
    return session.region_id in scope.region_ids(*ML_ROLES)


def can_enrol_self(user, session) -> bool:
    """Advisors and managers of the session's region enrol themselves in advisor
    sessions (Annex 2, I-A)."""
    scope = get_scope(user)
    return session.audience == Audience.ADVISORS and session.region_id in scope.region_ids(
        *ML_ROLES
    )


def can_cancel_enrolment(user, enrolment) -> bool:
    """The youth's mission locale (advisors and managers), the advisor enrolled
    themselves, or whoever runs the session; and the youth themself, signed in to their
    own space ("Je ne pourrai pas venir", `youthspace`)."""
    scope = get_scope(user)
    if scope.is_admin or can_manage_session(user, enrolment.session):
        return True
    if enrolment.participant_id:
        return enrolment.participant_id == user.pk
    if enrolment.youth.mission_locale_id in scope.mission_locale_ids:
        return True
    # A youth's account belongs to no organisation: only then is the space looked up.
    if not scope.memberships:
        from youthspace.identity import space_of

        space = space_of(user)
        return space is not None and space.youth_id == enrolment.youth_id
    return False


def can_record_attendance(user, session) -> bool:
    """Whoever runs the session marks attendance, once it has started."""
    return can_manage_session(user, session) and session.has_started and not session.is_cancelled


def can_see_national_counts(user) -> bool:
    """National staff (and admins) read counts of sessions and enrolments, no names."""
    scope = get_scope(user)
    return scope.is_admin or scope.is_national


def can_manage_cohort(user, cohort) -> bool:
    """The project lead of the region runs the platform: size and contracts (admins too)."""
    scope = get_scope(user)
    return scope.is_admin or cohort.region_id in scope.lead_region_ids


def can_create_cohort(user) -> bool:
    scope = get_scope(user)
    return scope.is_admin or bool(scope.lead_region_ids)


def can_add_contract(user, cohort) -> bool:
    """The advisors and managers of the region sign their own youths onto the platform
    (the project lead sees no youth file: they run the size and read the occupancy)."""
    scope = get_scope(user)
    return scope.is_admin or cohort.region_id in scope.region_ids(*ML_ROLES)


def can_record_contract_outcome(user, contract) -> bool:
    """The project lead of the cohort's region, or the youth's mission locale."""
    scope = get_scope(user)
    return (
        can_manage_cohort(user, contract.cohort)
        or contract.youth.mission_locale_id in scope.mission_locale_ids
    )


def can_browse_pool(user) -> bool:
    """Recruiters browse the candidate pool of their company's region."""
    return bool(get_scope(user).region_ids(Role.RECRUITER))


def can_answer_pool_request(user, pool_request) -> bool:
    """The youth's mission locale (advisors and managers) answers a recruiter's request."""
    scope = get_scope(user)
    return scope.is_admin or pool_request.youth.mission_locale_id in scope.mission_locale_ids


def available_session_actions(session, user) -> list[tuple[str, str]]:
    """(action, label) pairs the user may apply to the session in its current status."""
    if not can_manage_session(user, session):
        return []
    actions = []
    for action in session.MANUAL_ACTIONS:
        if not can_move(session, action):
            continue
        if action == "mark_held" and not session.has_started:
            continue
        actions.append((action, session.ACTION_LABELS[action]))
    return actions


def available_pool_request_actions(pool_request, user) -> list[tuple[str, str]]:
    if not can_answer_pool_request(user, pool_request):
        return []
    return [
        (action, pool_request.ACTION_LABELS[action])
        for action in pool_request.TRANSITIONS
        if can_move(pool_request, action)
    ]
