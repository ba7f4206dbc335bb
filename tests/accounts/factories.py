"""Factories of the accounts app: organisations of every kind and users in a role.

`make_member(Role.ADVISOR)` is an advisor of a fresh mission locale; pass
`organisation=` (or `region=`) to place them. `invite_advisor(email)` is a manager's
invitation through the service; `access_request_post(region)` is the public company
access request form as a company fills it in.
"""

import time

import factory
from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
    yield_hotp_counters_from_time,
)

from accounts import services
from accounts.enums import ROLES_REQUIRING_MFA, EmailStatus, OrganisationKind, Role
from accounts.models import (
    CompanyAccessRequest,
    Invitation,
    Membership,
    Organisation,
    OutgoingEmail,
    Region,
    User,
)
from accounts.seed import demo_siret

DEFAULT_PASSWORD = "un-mot-de-passe-solide-42"


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"R{n:02d}")
    name = factory.Sequence(lambda n: f"Région {n}")

    class Params:
        paca = factory.Trait(code="93", name="Provence-Alpes-Côte d'Azur")


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    kind = OrganisationKind.MISSION_LOCALE
    name = factory.Sequence(lambda n: f"Organisation {n}")
    region = factory.SubFactory(RegionFactory)
    postcode = "13001"
    city = "Marseille"

    class Params:
        mission_locale = factory.Trait(kind=OrganisationKind.MISSION_LOCALE)
        company = factory.Trait(
            kind=OrganisationKind.COMPANY,
            siret=factory.Sequence(lambda n: demo_siret(f"9{n:012d}")),
        )
        business_network = factory.Trait(kind=OrganisationKind.BUSINESS_NETWORK)
        training_body = factory.Trait(kind=OrganisationKind.TRAINING_BODY)
        cnml = factory.Trait(kind=OrganisationKind.CNML, region=None)
        afrc = factory.Trait(kind=OrganisationKind.AFRC, region=None)


STAFF_FIRST_NAMES = (
    "Adèle", "Basile", "Clémence", "Donatien", "Edwige", "Fulbert", "Gaëlle", "Hippolyte",
    "Irène", "Joachim", "Lucienne", "Marius", "Noémie", "Octave", "Philippine", "Solange",
)  # fmt: skip
STAFF_LAST_NAMES = (
    "Aubert", "Bouvier", "Charpentier", "Delorme", "Esnault", "Guillot", "Hamelin",
    "Jourdan", "Lacombe", "Marchal", "Noblet", "Perrot", "Sauvage", "Tessier", "Vallet",
)  # fmt: skip


class UserFactory(factory.django.DjangoModelFactory):
    """A user with a verified email and no membership (see `make_member`)."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"personne{n}@exemple.fr")
    # Staff names come from fixed lists that no youth in the tests is given: a refusal test
    # that looks for a youth's name in the answer must not trip on the viewer's own name
    # in the page header (a random "Inès" once met the youth "Inès Zerbib").
    first_name = factory.Iterator(STAFF_FIRST_NAMES)
    last_name = factory.Iterator(STAFF_LAST_NAMES)
    password = factory.PostGenerationMethodCall("set_password", DEFAULT_PASSWORD)

    class Params:
        admin = factory.Trait(is_superuser=True, is_staff=True)

    @factory.post_generation
    def verified_email(obj, create, extracted, **kwargs):
        if create:
            obj.save()
            EmailAddress.objects.get_or_create(
                user=obj, email=obj.email, defaults={"verified": True, "primary": True}
            )

    @factory.post_generation
    def totp(obj, create, extracted, **kwargs):
        """Admins get a second factor unless `totp=False` (they cannot work without one)."""
        if create and obj.is_superuser and extracted is not False:
            enrol_totp(obj)


def totp_code(secret: str) -> str:
    """The code an authenticator app shows right now for `secret`. Near the end of a
    30-second period it waits for the next one, as a person would, so the code is still
    valid when the portal checks it (allauth accepts no previous period)."""
    if time.time() % 30 > 27:
        time.sleep(30 - time.time() % 30 + 0.1)
    counter = next(iter(yield_hotp_counters_from_time()))
    return format_hotp_value(hotp_value(secret, counter))


def enrol_totp(user) -> str:
    """Give `user` a TOTP second factor, as after enrolment; returns the secret."""
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret


ORGANISATION_KIND_FOR_ROLE = {
    Role.ADVISOR: {"mission_locale": True},
    Role.ML_MANAGER: {"mission_locale": True},
    Role.RECRUITER: {"company": True},
    Role.PROJECT_LEAD: {"business_network": True},
    Role.NATIONAL: {"cnml": True},
    Role.PARTNER: {"training_body": True},
}


def make_member(
    role: str,
    organisation: Organisation | None = None,
    region: Region | None = None,
    *,
    totp: bool = True,
    **user_kwargs,
) -> User:
    """A user holding `role` in `organisation` (a fresh one of the right kind when not
    given, in `region` when given). Project leads and national staff come with their
    second factor already enrolled (the portal requires it) unless `totp=False`."""
    if organisation is None:
        org_kwargs = dict(ORGANISATION_KIND_FOR_ROLE[role])
        if region is not None and role != Role.NATIONAL:
            org_kwargs["region"] = region
        organisation = OrganisationFactory(**org_kwargs)
    user = UserFactory(**user_kwargs)
    Membership.objects.create(user=user, organisation=organisation, role=role)
    if totp and role in ROLES_REQUIRING_MFA:
        enrol_totp(user)
    return user


class OutgoingEmailFactory(factory.django.DjangoModelFactory):
    """A recorded email; `failed` is one the relay refused for good."""

    class Meta:
        model = OutgoingEmail

    kind = "reporting.monthly_digest"
    key = factory.Sequence(lambda n: f"{2000 + n // 12:04d}-{n % 12 + 1:02d}")
    recipient = factory.SubFactory(UserFactory)
    status = EmailStatus.PENDING

    class Params:
        failed = factory.Trait(
            status=EmailStatus.FAILED,
            attempts=1,
            last_error="SMTPRecipientsRefused 550: 5.1.1 <adresse masquée>: User unknown",
        )


class CompanyAccessRequestFactory(factory.django.DjangoModelFactory):
    """A company's pending request for an account, in `region`."""

    class Meta:
        model = CompanyAccessRequest

    company_name = factory.Sequence(lambda n: f"Appels Services n°{n}")
    siret = factory.Sequence(lambda n: demo_siret(f"8{n:012d}"))
    region = factory.SubFactory(RegionFactory)
    postcode = "13002"
    city = "Marseille"
    first_name = "Yanis"
    last_name = "Ferrand"
    email = factory.Sequence(lambda n: f"contact{n}@appels.example.fr")
    phone = "04 91 00 00 00"


def invite_advisor(email: str) -> Invitation:
    """The manager of a fresh mission locale invites a new advisor at `email`, through
    the service (which queues the invitation's email on commit)."""
    manager = make_member(Role.ML_MANAGER)
    return services.invite_member(
        inviter=manager,
        email=email,
        organisation=manager.memberships.get().organisation,
        role=Role.ADVISOR,
    )


ACCESS_REQUEST_SIRET = demo_siret("4440001110002")


def access_request_data(region, **overrides) -> dict:
    """Phocée Appels of Marseille asking for an account in `region`, as the public form
    gives it to `services.request_company_access` (the SIRET as people type it, in
    groups: the service keeps the digits). `overrides` change or add fields."""
    siret = ACCESS_REQUEST_SIRET
    return {
        "company_name": "Phocée Appels",
        "siret": f"{siret[:3]} {siret[3:6]} {siret[6:9]} {siret[9:]}",
        "region": region,
        "postcode": "13002",
        "city": "Marseille",
        "first_name": "Yanis",
        "last_name": "Ferrand",
        "email": "yanis@phocee-appels.fr",
        "phone": "04 91 00 00 00",
        "message": "Nous recrutons 15 téléconseillers.",
        **overrides,
    }


def access_request_post(region, **overrides) -> dict:
    """The same request as posted to the public form (the region by its id)."""
    return {**access_request_data(region), "region": region.pk, **overrides}
