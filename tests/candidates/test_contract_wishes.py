"""The contract types a youth looks for: the file's checkboxes, the shared profile, the
import and export columns and the field's own validation."""

import csv
import io
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import escape

from accounts.enums import Role
from candidates.enums import ContractType
from candidates.importing import confirm_import, preview_import
from candidates.models import Youth
from candidates.services import update_youth
from tests.accounts.factories import make_member

from .factories import YouthFactory, born

pytestmark = pytest.mark.django_db


def squash(html: str) -> str:
    return re.sub(r"\s+", " ", html).replace("  ", " ")


def youth_post(advisor, **overrides):
    data = {
        "mission_locale": advisor.memberships.get().organisation_id,
        "first_name": "Karim",
        "last_name": "Benali",
        "birth_date": born(20),
        "advisor": advisor.pk,
    }
    data.update(overrides)
    return data


def test_the_file_form_offers_labelled_checkboxes_and_saves_the_wishes_in_order(client):
    advisor = make_member(Role.ADVISOR)
    client.force_login(advisor)
    body = squash(client.get(reverse("candidates:youth_create")).content.decode())
    # A fieldset with its legend, one labelled checkbox per contract type.
    assert re.search(r"<legend[^>]*> Contrats souhaités </legend>", body)
    for index, (value, label) in enumerate(ContractType.choices):
        assert re.search(
            rf'<input type="checkbox" [^>]*name="contract_wishes" value="{value}" '
            rf'id="id_contract_wishes_{index}"> <label for="id_contract_wishes_{index}" '
            rf'class="form-check-label"> {re.escape(escape(str(label)))} </label>',
            body,
        ), value

    response = client.post(
        reverse("candidates:youth_create"),
        youth_post(advisor, contract_wishes=["professionalisation", "cdi"]),
    )
    assert response.status_code == 302
    youth = Youth.objects.get()
    assert youth.contract_wishes == ["cdi", "professionalisation"]
    assert youth.get_contract_wishes_display() == "CDI, Contrat de professionnalisation"

    # The edit form shows them checked; unticking everything means no preference.
    edit_url = reverse("candidates:youth_edit", args=[youth.pk])
    body = squash(client.get(edit_url).content.decode())
    checked = re.findall(r'name="contract_wishes" value="(\w+)" id="\w+" checked', body)
    assert checked == ["cdi", "professionalisation"]
    detail = client.get(reverse("candidates:youth_detail", args=[youth.pk])).content.decode()
    assert "CDI, Contrat de professionnalisation" in detail
    response = client.post(edit_url, youth_post(advisor))
    assert response.status_code == 302
    youth.refresh_from_db()
    assert youth.contract_wishes == []


def test_an_unknown_contract_in_the_form_is_refused_in_french_and_input_kept(client):
    advisor = make_member(Role.ADVISOR)
    client.force_login(advisor)
    response = client.post(
        reverse("candidates:youth_create"),
        youth_post(advisor, contract_wishes=["cdi", "freelance"]),
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["contract_wishes"] == ["« freelance » n'est pas un type de contrat connu."]
    assert 'value="Karim"' in response.content.decode()
    assert not Youth.objects.exists()


def test_the_service_refuses_unknown_or_repeated_contracts():
    youth = YouthFactory()
    with pytest.raises(ValidationError) as exc:
        update_youth(youth=youth, actor=youth.advisor, contract_wishes=["cdi", "bénévolat"])
    assert exc.value.message_dict["contract_wishes"] == ["Type de contrat inconnu : bénévolat."]
    with pytest.raises(ValidationError):
        update_youth(youth=youth, actor=youth.advisor, contract_wishes=["cdi", "cdi"])
    youth.refresh_from_db()
    assert youth.contract_wishes == []


def test_the_shared_profile_tells_the_wished_contracts():
    youth = YouthFactory(contract_wishes=["cdd", "temporary"], consented=True)
    assert youth.shared_profile()["contract_wishes"] == "CDD, Intérim"
    assert YouthFactory().shared_profile()["contract_wishes"] == ""


def test_import_reads_the_optional_column_and_warns_of_unknown_values_on_the_line():
    advisor = make_member(Role.ADVISOR)
    ml = advisor.memberships.get().organisation
    lines = [
        "Nom;Prénom;Date de naissance;Contrats souhaités",
        f"Lefèvre;Éloïse;{born(19)};CDI, intérim",
        f"Dupont;Hélène;{born(22)};",
        f"Martin;Léo;{born(21)};cdd,Contrat de professionnalisation, apprentissage",
        f"Bernard;Inès;{born(20)};CDI, freelance, bénévolat",
    ]
    data = ("\r\n".join(lines) + "\r\n").encode("utf-8")
    batch = preview_import(mission_locale=ml, actor=advisor, file_name="v.csv", data=data)
    wishes = {row["last_name"]: row.get("contract_wishes") for row in batch.valid_rows}
    assert wishes == {
        "Lefèvre": ["cdi", "temporary"],
        "Dupont": None,
        "Martin": ["cdd", "apprenticeship", "professionalisation"],
        "Bernard": ["cdi"],
    }
    assert batch.rejected_rows == []
    [reason] = batch.valid_rows[3]["warnings"]
    assert reason.startswith("Contrats souhaités : « freelance », « bénévolat » inconnu, ignoré")
    assert "CDI, CDD, Intérim" in reason

    confirm_import(batch=batch, actor=advisor)
    saved = dict(Youth.objects.values_list("last_name", "contract_wishes"))
    assert saved == {
        "Lefèvre": ["cdi", "temporary"],
        "Dupont": [],
        "Martin": ["cdd", "apprenticeship", "professionalisation"],
        "Bernard": ["cdi"],
    }


def test_export_writes_the_wishes_under_the_import_title_and_reads_back(client):
    youth = YouthFactory(contract_wishes=["cdi", "cae"])
    client.force_login(youth.advisor)
    response = client.get(reverse("candidates:youth_export", args=["csv"]))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    column = rows[0].index("Contrats souhaités")
    assert rows[1][column] == "CDI, CAE (contrat d'accompagnement dans l'emploi)"

    other = make_member(Role.ADVISOR)
    batch = preview_import(
        mission_locale=other.memberships.get().organisation,
        actor=other,
        file_name="export.csv",
        data=response.content,
    )
    # Only the advisor (of another mission locale) is not known: the wishes read back.
    [row] = batch.valid_rows
    assert row["contract_wishes"] == ["cdi", "cae"]
    assert len(row["warnings"]) == 1 and "n'est pas un conseiller" in row["warnings"][0]
    data = youth_data_json(client, youth)
    assert data["jeune"]["contrats_souhaites"] == [
        "CDI",
        "CAE (contrat d'accompagnement dans l'emploi)",
    ]


def youth_data_json(client, youth):
    return client.get(reverse("candidates:youth_data_json", args=[youth.pk])).json()
