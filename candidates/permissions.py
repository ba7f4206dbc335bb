"""Predicates of the candidate pool; each states its rule. Seeing a youth at all is
decided by `Youth.objects.visible_to(user)` (404 otherwise); these decide actions (403).

Where authorisation is checked, in every app: each service that acts for a person
checks that person with these predicates and raises PermissionDenied, so no page, job
or command can skip the rule; the view asks the same predicate first only to choose its
page (a 403, or the action left out). What another app's service does to the pool as a
consequence of its own checked action (a hiring, a session attended) goes through
`services.pathway.record_pathway_consequence`, which takes no second check."""

from __future__ import annotations

from accounts.scope import get_scope


def can_use_candidate_pool(user) -> bool:
    """Advisors and managers of a mission locale (and admins) open the pool pages;
    recruiters, project leads, partners and national staff never do."""
    scope = get_scope(user)
    return scope.is_admin or bool(scope.mission_locale_ids)


def can_see_youth_file(user, youth) -> bool:
    """The youth's file (surname, contact, birth date, notes) is for the advisors and
    managers of the youth's mission locale, and admins: the rule of
    `Youth.objects.visible_to`, for one youth already loaded through another app."""
    scope = get_scope(user)
    return scope.is_admin or youth.mission_locale_id in scope.mission_locale_ids


def can_see_shared_profile(user, youth) -> bool:
    """What a company may see of a youth, consent included: the one rule every page,
    export and email reaching someone outside the youth's mission locale goes through.

    The youth's own mission locale and admins see the file (`can_see_youth_file`), so
    the shared profile too. Everyone else (recruiters, session hosts, the project lead,
    other missions locales, partners) sees `Youth.shared_profile()` only while the youth
    consents to share it (recorded, not withdrawn since, file not anonymised), and
    without it nothing at all, not even a first name: the page shows a placeholder. How
    they reached the youth (a proposal to their company's offer, their region's pool, a
    session they run) is the page's scoped queryset; this decides what it shows.
    `Youth.objects.shared_with(user)` is the same rule for lists."""
    return can_see_youth_file(user, youth) or youth.has_sharing_consent


def can_edit_youth(user, youth) -> bool:
    """The advisors and managers of the youth's mission locale follow the youth: they
    edit the file, record the pathway, assessments, notes, mentoring and VAE. An
    anonymised file is frozen."""
    if youth.is_anonymised:
        return False
    scope = get_scope(user)
    return scope.is_admin or youth.mission_locale_id in scope.mission_locale_ids


def can_export_youth_data(user, youth) -> bool:
    """A youth's data-access request is answered by their mission locale's advisors
    and managers."""
    scope = get_scope(user)
    return scope.is_admin or youth.mission_locale_id in scope.mission_locale_ids


def can_anonymise_youth(user, youth) -> bool:
    """Anonymising cannot be undone: only a manager of the youth's mission locale (or
    an admin) does it."""
    if youth.is_anonymised:
        return False
    scope = get_scope(user)
    return scope.is_admin or youth.mission_locale_id in scope.managed_mission_locale_ids


def can_move_youth(user, youth) -> bool:
    """A youth who moves house is handed to another mission locale by a manager of the
    current one (or an admin)."""
    if youth.is_anonymised:
        return False
    scope = get_scope(user)
    return scope.is_admin or youth.mission_locale_id in scope.managed_mission_locale_ids


def can_register_youths_in(user, mission_locale_id: int) -> bool:
    """Advisors and managers register youths in their own mission locale only, one by
    one or by importing a spreadsheet."""
    scope = get_scope(user)
    return scope.is_admin or mission_locale_id in scope.mission_locale_ids


def can_manage_mentors(user, mission_locale_id: int) -> bool:
    """Mentors are recruited by a mission locale: its advisors and managers keep them."""
    scope = get_scope(user)
    return scope.is_admin or mission_locale_id in scope.mission_locale_ids


def can_see_access_log(user, youth) -> bool:
    """Who opened a youth's file ("Consulté par", the access log): the managers of the
    youth's mission locale and admins. Advisors do not: the log watches the team's own
    reads, so it is the manager's supervision tool (DOMAIN.md: the manager sees all of
    their mission locale), not a way for colleagues to watch each other."""
    scope = get_scope(user)
    return scope.is_admin or youth.mission_locale_id in scope.managed_mission_locale_ids


def can_read_access_log(user) -> bool:
    """The mission locale's access journal: its managers (their mission locale's
    entries only, `AccessLogEntry.objects.visible_to`) and admins."""
    scope = get_scope(user)
    return scope.is_admin or bool(scope.managed_mission_locale_ids)


def can_record_subject_request(user, youth) -> bool:
    """A youth's request to exercise a right over their data (access, rectification,
    erasure, objection) reaches whoever follows them: the advisors and managers of the
    youth's mission locale (and admins) record it. An anonymised file takes none: nothing
    is left to identify the youth by."""
    if youth.is_anonymised:
        return False
    scope = get_scope(user)
    return scope.is_admin or youth.mission_locale_id in scope.mission_locale_ids


def can_see_subject_requests(user) -> bool:
    """The "Demandes RGPD" page is for the managers of a mission locale (and admins): they
    answer for the mission locale's handling of its youths' rights."""
    scope = get_scope(user)
    return scope.is_admin or bool(scope.managed_mission_locale_ids)


def can_close_subject_request(user, subject_request) -> bool:
    """Closing a request says what was done, and closing an erasure anonymises the file
    for good: a manager of the youth's mission locale (or an admin), on an open request."""
    if not subject_request.is_open:
        return False
    scope = get_scope(user)
    return (
        scope.is_admin
        or subject_request.youth.mission_locale_id in scope.managed_mission_locale_ids
    )
