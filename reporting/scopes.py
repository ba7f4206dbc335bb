"""What a figure is about (the whole country, a region or a mission locale) and which
dashboards and scopes each user may open.

Dashboards: national (CNML and AFRC staff: aggregates only, small counts masked),
regional (the project lead of the region), local (the staff of a mission locale).
Admins may open all three.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.enums import OrganisationKind
from accounts.models import Organisation, Region
from accounts.scope import get_scope

NATIONAL = "national"
REGIONAL = "regional"
LOCAL = "local"

DASHBOARD_LABELS = {
    NATIONAL: gettext_lazy("Tableau de bord national"),
    REGIONAL: gettext_lazy("Tableau de bord régional"),
    LOCAL: gettext_lazy("Tableau de bord de la mission locale"),
}

# Counts under this threshold are shown as "< 5" in national views (no re-identification
# of a youth from a small cell).
SMALL_COUNT = 5


@dataclass(frozen=True)
class Population:
    """The population a figure counts: everything, one region or one mission locale.
    Not to be mixed up with `accounts.scope.Scope`, what a user may act on: a user's
    scope decides which populations they may open (`allowed_regions`,
    `allowed_mission_locales` below)."""

    region_id: int | None = None
    mission_locale_id: int | None = None
    label: str = ""

    @property
    def level(self) -> str:
        if self.mission_locale_id:
            return "mission_locale"
        if self.region_id:
            return "region"
        return "national"

    @property
    def key(self) -> str:
        return f"{self.level}:{self.mission_locale_id or self.region_id or 0}"

    def filter(self, qs, *, region: str, mission_locale: str):
        """Restrict `qs` to this scope, given the lookups to the region and the mission
        locale of its rows."""
        if self.mission_locale_id:
            return qs.filter(**{mission_locale: self.mission_locale_id})
        if self.region_id:
            return qs.filter(**{region: self.region_id})
        return qs


def national_population() -> Population:
    return Population(label=_("France entière"))


def region_population(region: Region) -> Population:
    return Population(region_id=region.pk, label=region.name)


def mission_locale_population(organisation: Organisation) -> Population:
    return Population(
        region_id=organisation.region_id, mission_locale_id=organisation.pk, label=organisation.name
    )


def dashboards_for(user) -> list[str]:
    """The dashboards a user may open, most general first."""
    scope = get_scope(user)
    kinds = []
    if scope.is_admin or scope.is_national:
        kinds.append(NATIONAL)
    if scope.is_admin or scope.lead_region_ids:
        kinds.append(REGIONAL)
    if scope.is_admin or scope.mission_locale_ids:
        kinds.append(LOCAL)
    return kinds


def is_masked(dashboard: str) -> bool:
    """National views show aggregates only: small counts are masked."""
    return dashboard == NATIONAL


def allowed_regions(user, dashboard: str):
    """Regions selectable on a dashboard: all on the national one, the lead's own on the
    regional one (all for admins), none on the local one."""
    scope = get_scope(user)
    if dashboard == NATIONAL:
        return (
            Region.objects.all() if (scope.is_admin or scope.is_national) else Region.objects.none()
        )
    if dashboard == REGIONAL:
        if scope.is_admin:
            return Region.objects.all()
        return Region.objects.filter(pk__in=scope.lead_region_ids)
    return Region.objects.none()


def allowed_mission_locales(user, dashboard: str):
    """Missions locales selectable: on the regional dashboard those of the lead's regions;
    on the local one the user's own (all for admins); none on the national one (the
    national view stops at regions)."""
    scope = get_scope(user)
    base = Organisation.objects.filter(kind=OrganisationKind.MISSION_LOCALE).order_by("name")
    if dashboard == REGIONAL:
        if scope.is_admin:
            return base
        return base.filter(region_id__in=scope.lead_region_ids)
    if dashboard == LOCAL:
        if scope.is_admin:
            return base
        return base.filter(pk__in=scope.mission_locale_ids)
    return base.none()


def digest_populations(user) -> list[Population]:
    """What the monthly digest tells a user: the national figures for national staff, their
    regions' for a project lead, their mission locale's for its staff."""
    scope = get_scope(user)
    scopes: list[Population] = []
    if scope.is_national:
        scopes.append(national_population())
    if scope.lead_region_ids:
        scopes.extend(
            region_population(r) for r in Region.objects.filter(pk__in=scope.lead_region_ids)
        )
    if scope.mission_locale_ids:
        scopes.extend(
            mission_locale_population(o)
            for o in Organisation.objects.filter(pk__in=scope.mission_locale_ids).order_by("name")
        )
    return scopes
