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


# Unicode's bidirectional controls (embeddings, overrides, isolates, marks). In a link
# they make its text read differently from where it leads ("https://facture\u202efdp.exe"
# shows as "…exe.pdf"), so a link typed in a form may not hold one.
BIDI_CONTROLS = frozenset(
    "\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)


def validate_no_bidi_controls(value: str) -> None:
    """Refuse a link holding a bidirectional control character (see BIDI_CONTROLS)."""
    if any(char in BIDI_CONTROLS for char in value or ""):
        raise ValidationError(
            _("Ce lien contient un caractère de contrôle de sens d'écriture : retapez-le."),
            code="bidi_control",
        )
