"""The immersion platform: a yearly cohort of CAE contracts per region."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Count, F, Q
from django.utils.translation import gettext_lazy as _

from accounts.compiled_shapes import CompiledShapes
from accounts.enums import Role
from accounts.model_base import PortalModel
from accounts.scope import get_scope
from accounts.years import FIRST_YEAR, LAST_YEAR

from ..enums import (
    ContractOutcome,
)

DEFAULT_COHORT_SIZE = 50
CAE_MAX_MONTHS = 6

# --- The immersion platform ---------------------------------------------------------------


class CohortQuerySet(models.QuerySet):
    def visible_to(self, user) -> CohortQuerySet:
        """The platform of a region: its advisors, managers and project lead (admins all)."""
        return self.seen_through(**cohort_visibility(user))

    def seen_through(self, *, is_admin: bool, regions) -> CohortQuerySet:
        """`visible_to` for what it reads of the scope (`cohort_visibility`), for a
        query compiled once (`accounts.compiled_shapes`)."""
        if is_admin:
            return self.all()
        return self.filter(region_id__in=regions)

    def with_occupancy(self) -> CohortQuerySet:
        return self.select_related("region").annotate(contract_count=Count("contracts"))

    def as_occupancy_rows(self):
        """(pk, year, region's name, size, contracts signed) of each cohort, as tuples:
        what the sessions list says of the platform, without model instances."""
        return self.annotate(contract_count=Count("contracts")).values_list(
            "pk", "year", "region__name", "size", "contract_count"
        )


def cohort_visibility(user) -> dict:
    """What `CohortQuerySet.visible_to` reads of the user's scope, as `seen_through`
    takes it: admin or not, the regions (sorted) of their advisor, manager or project
    lead memberships (none for an admin, who sees all)."""
    scope = get_scope(user)
    if scope.is_admin:
        return {"is_admin": True, "regions": ()}
    return {
        "is_admin": False,
        "regions": tuple(
            sorted(scope.region_ids(Role.ADVISOR, Role.ML_MANAGER, Role.PROJECT_LEAD))
        ),
    }


def cohort_label(year: int, region_name: str) -> str:
    """How a cohort is named (its `__str__`), from its year and its region's name."""
    return _("Plateforme d'immersion %(year)s · %(region)s") % {
        "year": year,
        "region": region_name,
    }


class Cohort(PortalModel):
    """The immersion platform of a region for a year (Art. 12): `size` CAE contracts."""

    region = models.ForeignKey(
        "accounts.Region", verbose_name=_("région"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveIntegerField(
        _("année"), validators=[MinValueValidator(FIRST_YEAR), MaxValueValidator(LAST_YEAR)]
    )
    size = models.PositiveIntegerField(
        _("nombre de contrats CAE"),
        default=DEFAULT_COHORT_SIZE,
        validators=[MinValueValidator(1)],
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CohortQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "region__name"]
        verbose_name = _("promotion de la plateforme d'immersion")
        verbose_name_plural = _("promotions de la plateforme d'immersion")
        constraints = [
            models.UniqueConstraint(
                fields=["region", "year"],
                name="cohort_one_per_region_and_year",
                violation_error_message=_("Cette région a déjà une promotion pour cette année."),
            ),
            models.CheckConstraint(
                name="cohort_size_positive",
                condition=Q(size__gte=1),
                violation_error_message=_("Une promotion compte au moins un contrat."),
            ),
        ]

    def __str__(self) -> str:
        return cohort_label(self.year, self.region)

    @property
    def occupancy(self) -> int:
        """Contracts signed; `with_occupancy()` annotates it in the list's one query."""
        count = getattr(self, "contract_count", None)
        return self.contracts.count() if count is None else count

    @property
    def places_left(self) -> int:
        return max(self.size - self.occupancy, 0)


#: The sessions list's cohorts of the year (`as_occupancy_rows`), compiled once per
#: shape of scope: `cohort_visibility(user)` and the year are its arguments.
OCCUPANCY_ROWS = CompiledShapes(
    lambda is_admin, regions, year: (
        Cohort.objects.seen_through(is_admin=is_admin, regions=regions)
        .filter(year=year)
        .as_occupancy_rows()
    )
)


class CaeContractQuerySet(models.QuerySet):
    def visible_to(self, user) -> CaeContractQuerySet:
        """Contracts of the youths the user follows (their mission locale's), and every
        contract of the platforms of the project lead's region (admins all)."""
        scope = get_scope(user)
        if scope.is_admin:
            return self.all()
        return self.filter(
            Q(youth__mission_locale_id__in=scope.mission_locale_ids)
            | Q(cohort__region_id__in=scope.lead_region_ids)
        )


class CaeContract(PortalModel):
    """A CAE contract of the platform: at most 6 months, with its employer and hours."""

    cohort = models.ForeignKey(
        Cohort, verbose_name=_("promotion"), on_delete=models.PROTECT, related_name="contracts"
    )
    youth = models.ForeignKey(
        "candidates.Youth",
        verbose_name=_("jeune"),
        on_delete=models.CASCADE,
        related_name="cae_contracts",
    )
    employer = models.CharField(_("employeur"), max_length=200)
    start_on = models.DateField(_("début du contrat"))
    end_on = models.DateField(_("fin du contrat"))
    weekly_hours = models.PositiveSmallIntegerField(
        _("heures par semaine"), validators=[MinValueValidator(20), MaxValueValidator(35)]
    )
    outcome = models.CharField(
        _("issue du contrat"), max_length=16, choices=ContractOutcome.choices, blank=True
    )
    outcome_note = models.CharField(_("précision"), max_length=255, blank=True, default="")
    outcome_recorded_on = models.DateField(_("issue enregistrée le"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CaeContractQuerySet.as_manager()

    class Meta:
        ordering = ["start_on", "pk"]
        verbose_name = _("contrat CAE")
        verbose_name_plural = _("contrats CAE")
        constraints = [
            models.UniqueConstraint(
                fields=["cohort", "youth"],
                name="cae_contract_once_per_cohort",
                violation_error_message=_("Ce jeune a déjà un contrat dans cette promotion."),
            ),
            models.CheckConstraint(
                name="cae_contract_ends_after_start",
                condition=Q(end_on__gt=F("start_on")),
                violation_error_message=_("La fin du contrat doit suivre son début."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.youth} · {self.employer}"

    @property
    def has_outcome(self) -> bool:
        return bool(self.outcome)

    @property
    def source_reference(self) -> str:
        return f"immersion.CaeContract#{self.pk}"
