"""The convention and the signatories' commitments: updates, renewals, regional
conventions and additional commitments."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import Organisation, Region, User
from accounts.workflow import log_move

from ..enums import CommitmentStatus
from ..models import (
    Commitment,
    CommitmentLog,
    Convention,
    ConventionRenewal,
)
from ..permissions import (
    can_create_regional_convention,
    can_manage_convention,
    can_update_commitment,
)

# --- Convention and commitments -------------------------------------------------------------


def update_commitment(
    *,
    actor: User,
    commitment: Commitment,
    status: str,
    evidence_text: str = "",
    evidence_url: str = "",
    note: str = "",
) -> Commitment:
    """Record where a commitment stands and the evidence; every change is kept in its
    history with its author. Declaring it met needs some evidence."""
    if not can_update_commitment(actor, commitment):
        raise PermissionDenied(_("Vous ne suivez pas cet engagement."))
    with transaction.atomic():
        commitment = Commitment.objects.select_for_update().get(pk=commitment.pk)
        if (
            status == CommitmentStatus.MET
            and not (evidence_text.strip() or evidence_url)
            and not commitment.documents.exists()
        ):
            raise ValidationError(
                {"evidence_text": _("Un engagement tenu s'appuie sur une preuve : décrivez-la.")}
            )
        previous = commitment.status
        commitment.status = status
        commitment.evidence_text = evidence_text
        commitment.evidence_url = evidence_url
        commitment.full_clean()
        commitment.save()
        log_move(commitment, log=CommitmentLog, previous=previous, actor=actor, reason=note)
    return commitment


def renew_convention(
    *,
    actor: User,
    convention: Convention,
    renewed_on: datetime.date,
    extra_years: int,
    note: str = "",
) -> ConventionRenewal:
    """Record a renewal (Art. 20: concluded for 3 years, renewable)."""
    if not can_manage_convention(actor, convention):
        raise PermissionDenied(_("Vous ne gérez pas cette convention."))
    if renewed_on < convention.signed_on:
        raise ValidationError({"renewed_on": _("Un renouvellement suit la signature.")})
    renewal = ConventionRenewal(
        convention=convention, renewed_on=renewed_on, extra_years=extra_years, note=note
    )
    renewal.full_clean()
    renewal.save()
    return renewal


@transaction.atomic
def create_regional_convention(
    *,
    actor: User,
    parent: Convention,
    region: Region,
    title: str,
    signed_on: datetime.date,
    duration_years: int,
    signatories: list[Organisation],
) -> Convention:
    """Art. 19: signatories' regional representatives adapt the convention to their
    region. In the portal the project lead of the region does it (admins too); national
    staff do not (see `can_create_regional_convention`)."""
    if not can_create_regional_convention(actor, region):
        raise PermissionDenied(_("Vous ne pouvez pas créer de convention pour cette région."))
    convention = Convention(
        title=title,
        region=region,
        parent=parent,
        signed_on=signed_on,
        duration_years=duration_years,
    )
    convention.full_clean()
    convention.save()
    convention.signatories.set(signatories)
    return convention


def add_additional_commitment(
    *, actor: User, convention: Convention, signatory: Organisation, text: str
) -> Commitment:
    """An additional commitment of a regional convention (Art. 19: specific needs of the
    companies of the sites concerned)."""
    if not can_manage_convention(actor, convention):
        raise PermissionDenied(_("Vous ne gérez pas cette convention."))
    last = convention.commitments.order_by("-position").values_list("position", flat=True).first()
    commitment = Commitment(
        convention=convention,
        article=19,
        position=(last or 0) + 1,
        signatory=signatory,
        text=text,
        is_additional=True,
    )
    commitment.full_clean()
    commitment.save()
    return commitment
