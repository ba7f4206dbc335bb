"""The immersion platform: cohorts and their CAE contracts."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.models import Region, User
from accounts.scope import get_scope
from accounts.years import add_months
from candidates.enums import PathwayStage
from candidates.models import Youth
from candidates.services import advance_pathway

from .. import permissions
from ..enums import (
    ContractOutcome,
)
from ..models import (
    CAE_MAX_MONTHS,
    DEFAULT_COHORT_SIZE,
    CaeContract,
    Cohort,
)

# --- The immersion platform ---------------------------------------------------------------


@transaction.atomic
def create_cohort(
    *, actor: User, region: Region, year: int, size: int = DEFAULT_COHORT_SIZE
) -> Cohort:
    """Open the platform of a region for a year; one cohort per region and year."""
    scope = get_scope(actor)
    if not scope.is_admin and region.pk not in scope.lead_region_ids:
        raise PermissionDenied
    if Cohort.objects.filter(region=region, year=year).exists():
        raise ValidationError({"year": _("Cette région a déjà une promotion pour cette année.")})
    cohort = Cohort(region=region, year=year, size=size, created_by=actor)
    cohort.full_clean()
    cohort.save()
    return cohort


@transaction.atomic
def set_cohort_size(*, actor: User, cohort: Cohort, size: int) -> Cohort:
    """The size is a setting of the cohort (`DEFAULT_COHORT_SIZE` by default); never
    below the contracts already signed."""
    locked = Cohort.objects.select_for_update().get(pk=cohort.pk)
    if not permissions.can_manage_cohort(actor, locked):
        raise PermissionDenied
    signed = locked.contracts.count()
    if size < 1:
        raise ValidationError({"size": _("Une promotion compte au moins un contrat.")})
    if size < signed:
        raise ValidationError(
            {
                "size": _(
                    "%(signed)s contrats sont déjà signés : la taille ne peut descendre en dessous."
                )
                % {"signed": signed}
            }
        )
    locked.size = size
    locked.save(update_fields=["size"])
    return locked


@transaction.atomic
def add_cae_contract(
    *,
    actor: User,
    cohort: Cohort,
    youth: Youth,
    employer: str,
    start_on: date,
    end_on: date,
    weekly_hours: int,
) -> CaeContract:
    """Sign a youth onto the platform with a CAE contract (Art. 12): at most 6 months,
    a youth of the cohort's region, once per cohort, and never past the cohort's size
    (the cohort row is locked while counting). The youth moves to "immersion"."""
    locked = Cohort.objects.select_for_update().get(pk=cohort.pk)
    if not permissions.can_add_contract(actor, locked):
        raise PermissionDenied
    scope = get_scope(actor)
    if not (
        scope.is_admin
        or youth.mission_locale_id in scope.mission_locale_ids
        or locked.region_id in scope.lead_region_ids
    ):
        raise PermissionDenied
    errors: dict[str, str] = {}
    if youth.mission_locale.region_id != locked.region_id:
        errors["youth"] = _("Ce jeune est suivi par une mission locale d'une autre région.")
    elif locked.contracts.filter(youth=youth).exists():
        errors["youth"] = _("Ce jeune a déjà un contrat dans cette promotion.")
    if start_on and end_on:
        if end_on <= start_on:
            errors["end_on"] = _("La fin du contrat doit suivre son début.")
        elif end_on > add_months(start_on, CAE_MAX_MONTHS):
            errors["end_on"] = _(
                "Un contrat CAE de la plateforme dure au plus %(months)s mois "
                "(fin au plus tard le %(day)s)."
            ) % {
                "months": CAE_MAX_MONTHS,
                "day": date_format(add_months(start_on, CAE_MAX_MONTHS), "d/m/Y"),
            }
    signed = locked.contracts.count()
    if signed >= locked.size:
        errors[NON_FIELD_ERRORS] = _(
            "La promotion est complète : %(signed)s contrats sur %(size)s."
        ) % {
            "signed": signed,
            "size": locked.size,
        }
    if errors:
        raise ValidationError(errors)
    contract = CaeContract(
        cohort=locked,
        youth=youth,
        employer=employer.strip(),
        start_on=start_on,
        end_on=end_on,
        weekly_hours=weekly_hours,
        created_by=actor,
    )
    contract.full_clean()
    contract.save()
    advance_pathway(
        youth=youth,
        stage=PathwayStage.IMMERSION,
        actor=actor,
        day=min(start_on, timezone.localdate()),
        source=contract.source_reference,
        note=_("Contrat CAE chez %(employer)s") % {"employer": contract.employer},
    )
    return contract


OUTCOME_STAGE = {
    ContractOutcome.HIRED: PathwayStage.HIRED,
    ContractOutcome.TRAINING: PathwayStage.TRAINING,
}


@transaction.atomic
def record_contract_outcome(
    *, actor: User, contract: CaeContract, outcome: str, note: str = "", recorded_on=None
) -> CaeContract:
    """Record how a CAE contract ended: hired, training or other. A hiring or a training
    moves the youth's pathway, the contract named as its source."""
    locked = (
        CaeContract.objects.select_for_update()
        .select_related("cohort", "youth")
        .get(pk=contract.pk)
    )
    if not permissions.can_record_contract_outcome(actor, locked):
        raise PermissionDenied
    recorded_on = recorded_on or timezone.localdate()
    if outcome not in ContractOutcome.values:
        raise ValidationError({"outcome": _("Indiquez l'issue du contrat.")})
    if recorded_on > timezone.localdate():
        raise ValidationError({"outcome": _("L'issue se note une fois connue, pas à l'avance.")})
    locked.outcome = outcome
    locked.outcome_note = note.strip()
    locked.outcome_recorded_on = recorded_on
    locked.save(update_fields=["outcome", "outcome_note", "outcome_recorded_on"])
    stage = OUTCOME_STAGE.get(outcome)
    if stage:
        advance_pathway(
            youth=locked.youth,
            stage=stage,
            actor=actor,
            day=recorded_on,
            source=locked.source_reference,
            note=_("Issue du contrat CAE chez %(employer)s") % {"employer": locked.employer},
        )
    return locked
