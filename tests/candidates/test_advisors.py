"""A youth's referent advisor is an active advisor or manager of an active mission
locale: the youth forms offer only them, and the services and the import accept only
them (`services.mission_locale_advisors`)."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.enums import Role
from accounts.models import Organisation
from candidates.importing import preview_import
from candidates.models import Youth
from candidates.services import mission_locale_advisors, register_youth, register_youths
from tests.accounts.factories import UserFactory, make_member

from .factories import YouthFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def closed():
    """A youth whose mission locale was closed (organisation inactive); an admin still
    sees and edits the file."""
    youth = YouthFactory(last_name="Fermeture", city="Marseille")
    Organisation.objects.filter(pk=youth.mission_locale_id).update(is_active=False)
    youth.mission_locale.refresh_from_db()
    return youth


def youth_data(youth, **extra):
    return {
        "first_name": "Karim",
        "last_name": "Benali",
        "birth_date": "01/02/2005",
        "advisor": youth.advisor_id,
        **extra,
    }


def test_inactive_mission_locale_advisor_is_not_offered_in_the_youth_forms(client, closed):
    client.force_login(UserFactory(admin=True))
    edit = reverse("candidates:youth_edit", args=[closed.pk])
    assert closed.advisor not in client.get(edit).context["form"].fields["advisor"].queryset
    response = client.get(reverse("candidates:youth_list"))
    assert closed.advisor not in response.context["form"].fields["advisor"].queryset


def test_inactive_mission_locale_advisor_is_refused_on_edit_and_create(client, closed):
    client.force_login(UserFactory(admin=True))
    edit = reverse("candidates:youth_edit", args=[closed.pk])
    response = client.post(
        edit, {**youth_data(closed), "last_name": closed.last_name, "city": "Aubagne"}
    )
    assert response.status_code == 200
    assert "Conseiller inconnu" in response.context["form"].errors["advisor"][0]
    closed.refresh_from_db()
    assert closed.city == "Marseille"
    response = client.post(
        reverse("candidates:youth_create"),
        youth_data(closed, mission_locale=closed.mission_locale_id),
    )
    assert response.status_code == 200
    assert "Conseiller inconnu" in response.context["form"].errors["advisor"][0]
    assert not Youth.objects.filter(last_name="Benali").exists()


def test_services_and_import_refuse_an_inactive_mission_locale_advisor(closed):
    ml, advisor = closed.mission_locale, closed.advisor
    admin = UserFactory(admin=True)
    fields = {"first_name": "Karim", "last_name": "Benali", "birth_date": closed.birth_date}
    with pytest.raises(ValidationError) as exc:
        register_youth(actor=admin, mission_locale=ml, advisor=advisor, **fields)
    assert "advisor" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        register_youths(actor=admin, mission_locale=ml, rows=[{**fields, "advisor_id": advisor.pk}])
    assert "advisor" in exc.value.message_dict
    assert not Youth.objects.filter(last_name="Benali").exists()
    data = (
        "Nom;Prénom;Date de naissance;Conseiller (e-mail)\r\n"
        f"Benali;Karim;{closed.birth_date:%d/%m/%Y};{advisor.email}\r\n"
    ).encode()
    batch = preview_import(mission_locale=ml, actor=admin, file_name="vivier.csv", data=data)
    # The closed team's advisor is unknown to the import: the row waits for a choice.
    [row] = batch.valid_rows
    assert "advisor_id" not in row and row["advisor_unknown"] == advisor.email
    assert "n'est pas un conseiller" in " ".join(row["warnings"])


def test_mission_locale_advisors_are_the_active_team_members():
    youth = YouthFactory()
    ml = youth.mission_locale
    manager = make_member(Role.ML_MANAGER, organisation=ml)
    left = make_member(Role.ADVISOR, organisation=ml)
    left.memberships.update(is_active=False)
    elsewhere = make_member(Role.ADVISOR)
    assert set(mission_locale_advisors(ml)) == {youth.advisor, manager}
    assert set(mission_locale_advisors(ml.pk)) == {youth.advisor, manager}
    both = Organisation.objects.filter(pk__in=[ml.pk, elsewhere.memberships.get().organisation_id])
    assert set(mission_locale_advisors(both)) == {youth.advisor, manager, elsewhere}
