"""Validators of the candidate pool's fields."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

_PHONE_SEPARATORS = re.compile(r"[\s.\-/]")
_FRENCH_PHONE = re.compile(r"^(?:\+33|0033|0)[1-9]\d{8}$")


def validate_contract_wishes(value) -> None:
    """A list of known contract types (offers' ContractType values), each once."""
    from .enums import ContractType

    if not isinstance(value, list):
        raise ValidationError(_("Liste de contrats attendue."), code="invalid_contract_wishes")
    unknown = [str(v) for v in value if v not in ContractType.values]
    if unknown:
        raise ValidationError(
            _("Type de contrat inconnu : %(values)s.") % {"values": ", ".join(unknown)},
            code="invalid_contract_wishes",
        )
    if len(set(value)) != len(value):
        raise ValidationError(
            _("Chaque type de contrat n'est indiqué qu'une fois."), code="invalid_contract_wishes"
        )


def normalise_phone(value: str) -> str:
    """'06 12.34-56 78' -> '0612345678'; '+33 6 12 34 56 78' -> '+33612345678'."""
    return _PHONE_SEPARATORS.sub("", value or "")


def validate_french_phone(value: str) -> None:
    """A French phone number: ten digits starting with 0, or +33 and nine digits."""
    if value and not _FRENCH_PHONE.match(normalise_phone(value)):
        raise ValidationError(
            _("Numéro de téléphone invalide : dix chiffres commençant par 0 (ou +33)."),
            code="invalid_phone",
        )
