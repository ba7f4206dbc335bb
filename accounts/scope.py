"""Who may see what: the one place that reads a user's memberships.

Every `visible_to(user)` QuerySet method of every app asks `get_scope(user)` which
organisations and regions the user acts for, and in which role. The scope is read once
per request (one query) and kept on the user object.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from .enums import Role

_CACHE_ATTR = "_portal_scope"


@dataclass(frozen=True)
class MembershipInfo:
    organisation_id: int
    organisation_kind: str
    organisation_name: str
    region_id: int | None
    role: str

    @property
    def role_label(self) -> str:
        return Role(self.role).label


@dataclass(frozen=True)
class Scope:
    """What a user may act on: their active memberships (organisation, region, role),
    read once per request. Every `visible_to(user)` queryset and every predicate asks
    it. (The population a figure counts is `reporting.scopes.Population`.)"""

    user_id: int | None
    is_admin: bool = False
    memberships: tuple[MembershipInfo, ...] = field(default_factory=tuple)
    #: The sets below, made once per scope (a board's rule asks them for every card).
    _made: dict = field(default_factory=dict, init=False, repr=False, compare=False, hash=False)

    def has_role(self, *roles: str) -> bool:
        return any(m.role in roles for m in self.memberships)

    def organisation_ids(self, *roles: str) -> frozenset[int]:
        """Organisations the user acts for, in any of `roles` (all roles when none)."""
        key = ("organisations", roles)
        made = self._made.get(key)
        if made is None:
            made = self._made[key] = frozenset(
                m.organisation_id for m in self.memberships if not roles or m.role in roles
            )
        return made

    def region_ids(self, *roles: str) -> frozenset[int]:
        """Regions of the organisations the user acts for, in any of `roles`."""
        key = ("regions", roles)
        made = self._made.get(key)
        if made is None:
            made = self._made[key] = self._region_ids(roles)
        return made

    def _region_ids(self, roles: tuple[str, ...]) -> frozenset[int]:
        return frozenset(
            m.region_id
            for m in self.memberships
            if m.region_id is not None and (not roles or m.role in roles)
        )

    @property
    def is_national(self) -> bool:
        return self.has_role(Role.NATIONAL)

    # The sets the predicates ask of every row, kept on the scope once read (a board
    # of a hundred cards asks `mission_locale_ids` three times a card): an attribute
    # read where `organisation_ids` looked its set up again each time.
    @cached_property
    def mission_locale_ids(self) -> frozenset[int]:
        """Missions locales whose youths the user works with (advisors and managers)."""
        return self.organisation_ids(Role.ADVISOR, Role.ML_MANAGER)

    @property
    def managed_mission_locale_ids(self) -> frozenset[int]:
        return self.organisation_ids(Role.ML_MANAGER)

    @cached_property
    def company_ids(self) -> frozenset[int]:
        return self.organisation_ids(Role.RECRUITER)

    @property
    def lead_region_ids(self) -> frozenset[int]:
        return self.region_ids(Role.PROJECT_LEAD)


ANONYMOUS_SCOPE = Scope(user_id=None)


def get_scope(user) -> Scope:
    """The user's scope, read from their active memberships of active organisations."""
    if user is None or not user.is_authenticated or not user.is_active:
        return ANONYMOUS_SCOPE
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is not None:
        return cached
    from .models import Membership

    rows = (
        Membership.objects.active()
        .filter(user_id=user.pk)
        .values_list(
            "organisation_id",
            "organisation__kind",
            "organisation__name",
            "organisation__region_id",
            "role",
        )
        .order_by("organisation__name")
    )
    scope = Scope(
        user_id=user.pk,
        is_admin=user.is_superuser,
        memberships=tuple(MembershipInfo(*row) for row in rows),
    )
    setattr(user, _CACHE_ATTR, scope)
    return scope
