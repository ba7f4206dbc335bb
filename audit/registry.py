"""Which models the audit trail follows: each app lists its own in an `audited.py`
module (`TRACKED`, found with `accounts.discovery.app_modules`), registered with
django-auditlog when the `audit` app is ready. No central list to forget a model in:
`tests/audit/test_registry.py` fails when a model pointing to a youth is not tracked.

A `Tracked` says how to find, from a row, the youth it concerns (the same lookup as
the personal-data registry: `"pk"` for the youth itself, `"youth"`, `"pair__youth"`)
and the organisation it belongs to, so the youth's page reads its history and a
mission locale manager reads their mission locale's trail, each by one indexed filter.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from auditlog.registry import auditlog
from django.db import models

from accounts.discovery import app_modules

#: Fields never worth an entry: timestamps the database sets itself, and derived
#: columns a service recomputes (a search key, a flag of the indicators).
NEVER_TRACKED = ("created_at", "updated_at")


@dataclass(frozen=True)
class Tracked:
    """One model the trail follows. `to_youth`: the lookup from a row to its youth
    (None when the model is about no youth); `organisation`: the lookup to the
    organisation the row belongs to (defaults to the youth's mission locale);
    `exclude`: fields left out (secrets, derived columns)."""

    model: type[models.Model]
    to_youth: str | None = None
    organisation: str | None = None
    exclude: tuple[str, ...] = ()

    @property
    def excluded(self) -> list[str]:
        return [*NEVER_TRACKED, *self.exclude]

    @property
    def fields(self) -> list[str]:
        """The columns followed: the row's own fields (django-auditlog would otherwise
        also list the reverse relations of a new row), its id and exclusions aside."""
        excluded = set(self.excluded)
        return [
            field.name
            for field in self.model._meta.concrete_fields
            if not field.primary_key and field.name not in excluded
        ]

    def _youth_lookup(self) -> str | None:
        return self.to_youth

    def _organisation_lookup(self) -> str | None:
        if self.organisation:
            return self.organisation
        if self.to_youth == "pk":
            return "mission_locale"
        if self.to_youth:
            return f"{self.to_youth}__mission_locale"
        return None

    def locate_many(self, pks) -> dict[int, tuple[int | None, int | None]]:
        """{pk: (youth id, organisation id)} of the rows, in one query."""
        youth, organisation = self._youth_lookup(), self._organisation_lookup()
        if not youth and not organisation:
            return {pk: (None, None) for pk in pks}
        fields = ["pk", *(lookup for lookup in (youth, organisation) if lookup)]
        found = {}
        for row in self.model._base_manager.filter(pk__in=list(pks)).values_list(*fields):
            rest = iter(row[1:])
            found[row[0]] = (next(rest) if youth else None, next(rest) if organisation else None)
        return found

    def locate_loaded(self, instance) -> tuple[int | None, int | None] | None:
        """The youth and organisation of one row from what the instance already holds
        (a youth's own mission locale, a row's youth loaded with it), without a query;
        None when it would take one."""
        if self.to_youth == "pk" and self.organisation is None:
            if hasattr(instance, "mission_locale_id"):
                return instance.pk, instance.mission_locale_id
            return None
        if self.to_youth and self.organisation is None and "__" not in self.to_youth:
            # The row's youth already loaded (the services lock and check it): no query.
            youth = instance._state.fields_cache.get(self.to_youth)
            if youth is not None:
                return youth.pk, youth.mission_locale_id
        return None

    def locate(self, instance) -> tuple[int | None, int | None]:
        """The youth and organisation of one row. A deleted row is gone from the
        database: its direct foreign keys still say whose it was."""
        loaded = self.locate_loaded(instance)
        if loaded is not None:
            return loaded
        found = self.locate_many([instance.pk]).get(instance.pk)
        if found is not None:
            return found
        youth_id = (
            getattr(instance, f"{self.to_youth}_id", None)
            if self.to_youth and "__" not in self.to_youth
            else None
        )
        organisation_id = (
            getattr(instance, f"{self.organisation}_id", None)
            if self.organisation and "__" not in self.organisation
            else None
        )
        return youth_id, organisation_id


@cache
def tracked() -> dict[type[models.Model], Tracked]:
    """Every app's tracked models, by model."""
    found: dict[type[models.Model], Tracked] = {}
    for module in app_modules("audited"):
        for entry in module.TRACKED:
            if entry.model in found:
                raise ValueError(f"{entry.model._meta.label} is tracked twice")
            found[entry.model] = entry
    return found


def register_all() -> None:
    """Connect django-auditlog's signals for every tracked model (idempotent)."""
    for model, entry in tracked().items():
        if not auditlog.contains(model):
            auditlog.register(model, include_fields=entry.fields)
