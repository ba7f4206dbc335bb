"""Demo data of the accounts app: regions, the signatories, organisations and one
user of every role. Idempotent: found by natural keys, never duplicated."""

from __future__ import annotations

from dataclasses import dataclass, field

from allauth.account.models import EmailAddress
from django.db import transaction

from .enums import OrganisationKind, Role
from .models import Membership, Organisation, Region, User
from .reference import ensure_regions, ensure_signatories
from .validators import luhn_is_valid


def demo_siret(prefix13: str) -> str:
    """A Luhn-valid SIRET built on 13 chosen digits (demo companies only)."""
    for check in range(10):
        candidate = f"{prefix13}{check}"
        if luhn_is_valid(candidate):
            return candidate
    raise ValueError(prefix13)


# The demo's other organisations (the signatories come from accounts.reference):
# (key, kind, name, region code or None, postcode, city, siret prefix)
ORGANISATIONS = [
    (
        "ml_aix",
        OrganisationKind.MISSION_LOCALE,
        "Mission locale du Pays d'Aix",
        "93",
        "13100",
        "Aix-en-Provence",
        "",
    ),
    (
        "ml_lyon",
        OrganisationKind.MISSION_LOCALE,
        "Mission locale de Lyon",
        "84",
        "69003",
        "Lyon",
        "",
    ),
    (
        "network_lyon",
        OrganisationKind.BUSINESS_NETWORK,
        "Réseau Entreprendre Rhône",
        "84",
        "69002",
        "Lyon",
        "",
    ),
    (
        "company_1",
        OrganisationKind.COMPANY,
        "Méditel Relation Client",
        "93",
        "13015",
        "Marseille",
        "4123456780001",
    ),
    (
        "company_2",
        OrganisationKind.COMPANY,
        "Provence Contact Services",
        "93",
        "13010",
        "Marseille",
        "5234567890001",
    ),
    (
        "company_3",
        OrganisationKind.COMPANY,
        "Calanques Assistance",
        "93",
        "13290",
        "Aix-en-Provence",
        "6345678900001",
    ),
    (
        "company_4",
        OrganisationKind.COMPANY,
        "Rhône Téléservices",
        "84",
        "69007",
        "Lyon",
        "7456789010001",
    ),
    (
        "company_5",
        OrganisationKind.COMPANY,
        "Francilienne d'Appels",
        "11",
        "75012",
        "Paris",
        "8567890120001",
    ),
    (
        "training_1",
        OrganisationKind.TRAINING_BODY,
        "Institut méditerranéen de la relation client",
        "93",
        "13003",
        "Marseille",
        "",
    ),
]

# (key, email, first, last, organisation key, role, staff)
USERS = [
    (
        "advisor",
        "conseillere@demo.portail-convention.fr",
        "Camille",
        "Durand",
        "ml_marseille",
        Role.ADVISOR,
    ),
    (
        "advisor_aix",
        "conseiller.aix@demo.portail-convention.fr",
        "Karim",
        "Benali",
        "ml_aix",
        Role.ADVISOR,
    ),
    (
        "ml_manager",
        "directrice.ml@demo.portail-convention.fr",
        "Sophie",
        "Martin",
        "ml_marseille",
        Role.ML_MANAGER,
    ),
    (
        "recruiter",
        "recruteur@demo.portail-convention.fr",
        "Julien",
        "Moreau",
        "company_1",
        Role.RECRUITER,
    ),
    (
        "recruiter_lyon",
        "recruteuse.lyon@demo.portail-convention.fr",
        "Léa",
        "Girard",
        "company_4",
        Role.RECRUITER,
    ),
    (
        "project_lead",
        "chargee.projet@demo.portail-convention.fr",
        "Nadia",
        "Haddad",
        "cepl",
        Role.PROJECT_LEAD,
    ),
    (
        "national_cnml",
        "national.cnml@demo.portail-convention.fr",
        "Pierre",
        "Lefèvre",
        "cnml",
        Role.NATIONAL,
    ),
    (
        "national_afrc",
        "national.afrc@demo.portail-convention.fr",
        "Claire",
        "Rousseau",
        "afrc",
        Role.NATIONAL,
    ),
    (
        "partner",
        "formation@demo.portail-convention.fr",
        "Marc",
        "Fontaine",
        "training_1",
        Role.PARTNER,
    ),
]
ADMIN_EMAIL = "admin@demo.portail-convention.fr"


@dataclass
class DemoData:
    """What later apps' seeds build on."""

    regions: dict[str, Region] = field(default_factory=dict)
    organisations: dict[str, Organisation] = field(default_factory=dict)
    users: dict[str, User] = field(default_factory=dict)
    created_users: list[User] = field(default_factory=list)


def _ensure_user(email, first, last, password, *, superuser=False) -> tuple[User, bool]:
    user = User.objects.filter(email=email).first()
    created = user is None
    if created:
        make = User.objects.create_superuser if superuser else User.objects.create_user
        user = make(email=email, password=password, first_name=first, last_name=last)
    EmailAddress.objects.get_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    return user, created


@transaction.atomic
def seed(*, password: str, reset_passwords: bool = False) -> DemoData:
    data = DemoData()
    data.regions = ensure_regions()
    data.organisations.update(ensure_signatories(data.regions))
    for key, kind, name, region_code, postcode, city, siret_prefix in ORGANISATIONS:
        siret = demo_siret(siret_prefix) if siret_prefix else ""
        lookup = {"siret": siret} if siret else {"kind": kind, "name": name}
        org, _ = Organisation.objects.get_or_create(
            **lookup,
            defaults={
                "kind": kind,
                "name": name,
                "region": data.regions.get(region_code),
                "postcode": postcode,
                "city": city,
            },
        )
        data.organisations[key] = org
    for company in ("company_1", "company_2"):
        org = data.organisations[company]
        if org.afrc_member_since is None:
            org.afrc_member_since = org.network_member_since = _date(2006, 6, 7)
            org.save(update_fields=["afrc_member_since", "network_member_since"])
    for key, email, first, last, org_key, role in USERS:
        user, created = _ensure_user(email, first, last, password)
        Membership.objects.get_or_create(
            user=user, organisation=data.organisations[org_key], defaults={"role": role}
        )
        data.users[key] = user
        if created:
            data.created_users.append(user)
    admin, created = _ensure_user(ADMIN_EMAIL, "Alex", "Admin", password, superuser=True)
    data.users["admin"] = admin
    if created:
        data.created_users.append(admin)
    if reset_passwords:
        for user in data.users.values():
            user.set_password(password)
            user.save(update_fields=["password"])
        data.created_users = list(data.users.values())
    return data


def _date(year, month, day):
    from datetime import date

    return date(year, month, day)
