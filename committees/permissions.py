"""Predicates of the committees app: each says its rule in its docstring. Seeing is a
matter of the scoped querysets (404); these decide who may act (403)."""

from __future__ import annotations

from accounts.scope import get_scope


def can_open_steering(user) -> bool:
    """The convention's and the action plans' pages are for those who steer the
    partnership: national staff (CNML, AFRC), project leads and admins. Which
    conventions and plans they see is `visible_to`."""
    scope = get_scope(user)
    return scope.is_admin or scope.is_national or bool(scope.lead_region_ids)


def sees_every_region(user) -> bool:
    """National staff and admins follow every region's plans (the page names each
    plan's region); a project lead sees their own region's."""
    scope = get_scope(user)
    return scope.is_admin or scope.is_national


def can_create_committee(user) -> bool:
    """Project leads (for their region), national staff (national committees) and admins."""
    scope = get_scope(user)
    return scope.is_admin or scope.is_national or bool(scope.lead_region_ids)


def can_manage_committee(user, committee) -> bool:
    """A committee is run by the project lead of its region; a national committee by the
    national staff (CNML, AFRC); admins run any. Plain members only take part."""
    scope = get_scope(user)
    if scope.is_admin:
        return True
    if committee.region_id is None:
        return scope.is_national
    return committee.region_id in scope.lead_region_ids


def can_manage_meeting(user, meeting) -> bool:
    """Whoever runs the committee prepares its meetings, minutes, decisions and documents."""
    return can_manage_committee(user, meeting.committee)


def can_act_on_action_item(user, item, action: str) -> bool:
    """The owner starts and completes their own action; whoever runs the committee may
    also cancel and reopen it."""
    if can_manage_committee(user, item.committee):
        return True
    return item.owner_id == user.pk and action in ("start", "complete")


def can_create_plan(user, region) -> bool:
    """A project lead draws up the action plan of their region (admins too)."""
    scope = get_scope(user)
    return scope.is_admin or region.pk in scope.lead_region_ids


def can_manage_plan(user, plan) -> bool:
    """The project lead of the plan's region runs it (Art. 4: the CEPL implements the
    plan); national staff only read it."""
    scope = get_scope(user)
    return scope.is_admin or plan.region_id in scope.lead_region_ids


def can_create_regional_convention(user, region) -> bool:
    """Art. 19: the signatories' regional representatives adapt the convention to their
    region. In the portal that is the project lead of the region (admins too). National
    staff follow every commitment but do not draw up a region's convention: DOMAIN.md
    gives them national committees and the annual review to change, nothing regional.
    The same rule as the region's action plan."""
    return can_create_plan(user, region)


def can_manage_convention(user, convention) -> bool:
    """National staff manage the national convention (its renewals); a regional
    convention is managed by the project lead of its region, who drew it up (see
    `can_create_regional_convention`). Admins manage any."""
    scope = get_scope(user)
    if scope.is_admin:
        return True
    if convention.region_id is None:
        return scope.is_national
    return convention.region_id in scope.lead_region_ids


def can_update_commitment(user, commitment) -> bool:
    """National staff follow every commitment; a project lead those of the regional
    convention of their region and those of the signatories of their region (the mission
    locale and the CEPL)."""
    scope = get_scope(user)
    if scope.is_admin or scope.is_national:
        return True
    return bool(
        commitment.convention.region_id in scope.lead_region_ids
        or commitment.signatory.region_id in scope.lead_region_ids
    )


def available_action_item_actions(item, user) -> list[tuple[str, str]]:
    """(action, label) pairs the user may apply to the item in its current status."""
    return [
        (action, item.ACTION_LABELS[action])
        for action, (sources, _target) in item.TRANSITIONS.items()
        if item.status in sources and can_act_on_action_item(user, item, action)
    ]


def available_plan_item_actions(item, user) -> list[tuple[str, str]]:
    """(action, label) pairs the user may apply to the plan item in its current status."""
    if not can_manage_plan(user, item.plan):
        return []
    return [
        (action, item.ACTION_LABELS[action])
        for action, (sources, _target) in item.TRANSITIONS.items()
        if item.status in sources
    ]
