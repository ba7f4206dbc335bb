import pytest
from django.core.management import call_command

from accounts.enums import OrganisationKind, Role
from accounts.models import Membership, Organisation, OutgoingEmail, Region, User
from accounts.reference import REGIONS


@pytest.mark.django_db(transaction=True)
def test_seed_demo_is_idempotent_and_covers_every_role(capsys, mailoutbox):
    # Real commits, as in `make run`: the jobs the workflows queue on commit run then.
    call_command("seed_demo")
    first = capsys.readouterr().out
    # The seed walks real workflows, whose jobs run here: their emails are recorded as
    # held, never sent, and the sign-ins end the output where a newcomer reads them.
    assert mailoutbox == []
    held = set(OutgoingEmail.objects.values_list("status", "last_error"))
    assert OutgoingEmail.objects.exists()
    assert held == {("skipped", "Données de démonstration : courriel jamais envoyé.")}
    assert first.rstrip().splitlines()[-1].lstrip().startswith("password: ")
    counts = (
        Region.objects.count(),
        Organisation.objects.count(),
        User.objects.count(),
        Membership.objects.count(),
    )
    call_command("seed_demo")
    second = capsys.readouterr().out
    assert (
        Region.objects.count(),
        Organisation.objects.count(),
        User.objects.count(),
        Membership.objects.count(),
    ) == counts

    # Every region of France (reference data of every install), the pilot's among them.
    assert Region.objects.count() == len(REGIONS) == 18
    assert Region.objects.filter(code="93", name="Provence-Alpes-Côte d'Azur").exists()
    kinds = set(Organisation.objects.values_list("kind", flat=True))
    assert {
        OrganisationKind.CNML,
        OrganisationKind.AFRC,
        OrganisationKind.MISSION_LOCALE,
        OrganisationKind.BUSINESS_NETWORK,
        OrganisationKind.COMPANY,
        OrganisationKind.TRAINING_BODY,
    } <= kinds
    assert Organisation.objects.filter(kind=OrganisationKind.MISSION_LOCALE).count() == 3
    assert Organisation.objects.filter(kind=OrganisationKind.COMPANY).count() == 5
    for company in Organisation.objects.filter(kind=OrganisationKind.COMPANY):
        company.full_clean()  # Luhn-valid SIRETs
    assert set(Membership.objects.values_list("role", flat=True)) == set(Role.values)
    assert User.objects.filter(is_superuser=True).exists()

    assert "password:" in first
    password = first.split("password:")[1].split()[0]
    assert User.objects.get(email="conseillere@demo.portail-convention.fr").check_password(password)
    assert "password:" not in second
