from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# La Poste's establishments share one SIREN whose SIRETs follow another rule (sum of
# the digits a multiple of 5), published by INSEE.
LA_POSTE_SIREN = "356000000"


def luhn_is_valid(digits: str) -> bool:
    """Luhn checksum on a string of digits."""
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char)
        if index % 2 == 1:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def normalise_siret(value: str) -> str:
    """Remove the spaces and dots people type in a SIRET."""
    return "".join(ch for ch in (value or "") if ch not in " .\u00a0")


def validate_siret(value: str) -> None:
    """A SIRET is 14 digits and passes the Luhn checksum (La Poste's own rule apart)."""
    siret = normalise_siret(value)
    if len(siret) != 14 or not siret.isdigit():
        raise ValidationError(_("Un SIRET compte exactement 14 chiffres."), code="siret_length")
    if siret.startswith(LA_POSTE_SIREN):
        valid = sum(int(ch) for ch in siret) % 5 == 0
    else:
        valid = luhn_is_valid(siret)
    if not valid:
        raise ValidationError(
            _("Ce SIRET n'est pas valide : vérifiez les chiffres saisis (clé de contrôle)."),
            code="siret_checksum",
        )
