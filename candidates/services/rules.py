"""Rules shared by the pool's services."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import (
    Youth,
)


def not_in_future(day: date | None, field: str, errors: dict) -> None:
    if day and day > timezone.localdate():
        errors[field] = _("La date ne peut pas être dans le futur.")


def check_editable(youth: Youth) -> None:
    if youth.is_anonymised:
        raise ValidationError(_("Ce dossier est anonymisé : il ne peut plus être modifié."))


def require(allowed: bool) -> None:
    """The one way a pool service refuses a person the predicate refuses
    (`candidates.permissions`): PermissionDenied, which the page shows as a 403."""
    if not allowed:
        raise PermissionDenied(_("Vous ne pouvez pas faire cette action sur ce dossier."))
