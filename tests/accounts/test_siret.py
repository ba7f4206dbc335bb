import pytest
from django.core.exceptions import ValidationError

from accounts.validators import luhn_is_valid, normalise_siret, validate_siret


@pytest.mark.parametrize("siret", ["73282932000074", "732 829 320 00074", "35600000000001"])
def test_valid_sirets_pass(siret):
    validate_siret(siret)


@pytest.mark.parametrize(
    ("siret", "code"),
    [
        ("73282932000075", "siret_checksum"),
        ("7328293200007", "siret_length"),
        ("7328293200007A", "siret_length"),
        ("", "siret_length"),
    ],
)
def test_invalid_sirets_are_refused_in_french(siret, code):
    with pytest.raises(ValidationError) as exc:
        validate_siret(siret)
    assert exc.value.code == code
    assert "SIRET" in exc.value.messages[0]


def test_luhn_and_normalisation():
    assert luhn_is_valid("79927398713")
    assert not luhn_is_valid("79927398710")
    assert normalise_siret("732 829.320\u00a000074") == "73282932000074"
