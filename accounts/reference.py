"""Reference data every install needs, demo or production: the regions and the four
signatories of the convention. `committees.convention.load_convention` creates them
(idempotent, found by natural key); the demo seed builds its people on top of them."""

from __future__ import annotations

from django.db import transaction

from .enums import OrganisationKind
from .models import Organisation, Region

# The regions of France (INSEE codes): organisations, plans and figures are scoped by them.
REGIONS = [
    ("84", "Auvergne-Rhône-Alpes"),
    ("27", "Bourgogne-Franche-Comté"),
    ("53", "Bretagne"),
    ("24", "Centre-Val de Loire"),
    ("94", "Corse"),
    ("44", "Grand Est"),
    ("32", "Hauts-de-France"),
    ("11", "Île-de-France"),
    ("28", "Normandie"),
    ("75", "Nouvelle-Aquitaine"),
    ("76", "Occitanie"),
    ("52", "Pays de la Loire"),
    ("93", "Provence-Alpes-Côte d'Azur"),
    ("01", "Guadeloupe"),
    ("02", "Martinique"),
    ("03", "Guyane"),
    ("04", "La Réunion"),
    ("06", "Mayotte"),
]

# The signatories of 7 June 2006: (key, kind, name, region code, postcode, city).
SIGNATORIES = [
    (
        "cnml",
        OrganisationKind.CNML,
        "CNML — Conseil national des missions locales",
        None,
        "75007",
        "Paris",
    ),
    (
        "afrc",
        OrganisationKind.AFRC,
        "AFRC — Association française de la relation client",
        None,
        "75008",
        "Paris",
    ),
    (
        "ml_marseille",
        OrganisationKind.MISSION_LOCALE,
        "Mission locale de Marseille",
        "93",
        "13001",
        "Marseille",
    ),
    (
        "cepl",
        OrganisationKind.BUSINESS_NETWORK,
        "CEPL — Club des entreprises du Pays de Lérins",
        "93",
        "13002",
        "Marseille",
    ),
]


@transaction.atomic
def ensure_regions() -> dict[str, Region]:
    """Every region, by its code; an existing region keeps its name."""
    return {
        code: Region.objects.get_or_create(code=code, defaults={"name": name})[0]
        for code, name in REGIONS
    }


@transaction.atomic
def ensure_signatories(regions: dict[str, Region]) -> dict[str, Organisation]:
    """The four signatories, found by kind and name."""
    found = {}
    for key, kind, name, region_code, postcode, city in SIGNATORIES:
        found[key], _created = Organisation.objects.get_or_create(
            kind=kind,
            name=name,
            defaults={"region": regions.get(region_code), "postcode": postcode, "city": city},
        )
    return found
