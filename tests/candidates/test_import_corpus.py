"""The import read against files as mission locales really send them (the corpus in
tests/candidates/import_corpus/), each with its expected outcome row by row. The clock
is frozen on 15/06/2025, the import date the ages are computed at."""

from __future__ import annotations

import datetime
import io
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from openpyxl import Workbook

from accounts.enums import Role
from candidates.importing import confirm_import, preview_import, start_import
from candidates.models import ImportBatch, Youth
from tests.accounts.factories import OrganisationFactory, make_member

pytestmark = pytest.mark.django_db

CORPUS = Path(__file__).parent / "import_corpus"
IMPORT_DAY = datetime.date(2025, 6, 15)


@pytest.fixture(autouse=True)
def frozen():
    moment = datetime.datetime(2025, 6, 15, 10, 0, tzinfo=ZoneInfo("Europe/Paris"))
    with time_machine.travel(moment, tick=False):
        yield


@pytest.fixture
def marseille():
    return OrganisationFactory(mission_locale=True, name="Mission locale de Marseille")


@pytest.fixture
def camille(marseille):
    return make_member(
        Role.ADVISOR,
        organisation=marseille,
        email="camille.roche@ml-marseille.fr",
        first_name="Camille",
        last_name="Roche",
    )


def corpus(name: str) -> bytes:
    return (CORPUS / name).read_bytes()


def _preview(ml, author, name, data=None):
    return preview_import(
        mission_locale=ml, actor=author, file_name=name, data=data or corpus(name)
    )


def _by_line(batch: ImportBatch) -> dict[int, dict]:
    return {row["line"]: row for row in batch.valid_rows}


def _reasons(batch: ImportBatch) -> dict[int, str]:
    return {
        row["line"]: " | ".join(row["reasons"])
        for row in batch.rejected_rows
        if not row.get("present")
    }


def test_the_excel_export_of_the_issue_imports_its_four_youths(marseille, camille):
    """Windows-1252, semicolons, CRLF; "CAP", "BTS", "Brevet"; a CIVIS column in oui/non;
    an advisor by email, one by name written twice, one unknown: all four imported."""
    data = corpus("excel_cp1252_semicolons.csv")
    assert b"\r\n" in data and "é".encode("cp1252") in data
    batch = start_import(mission_locale=marseille, actor=camille, file_name="jeunes.csv", data=data)
    assert batch.columns == [
        "last_name",
        "first_name",
        "birth_date",
        "phone",
        "email",
        "education_level",
        "civis",
        "advisor",
    ]
    batch = _preview(marseille, camille, "excel_cp1252_semicolons.csv")
    assert batch.rejected_rows == []
    rows = _by_line(batch)
    assert {line: row["education_level"] for line, row in rows.items()} == {
        2: "cap_bep",
        3: "bac_2",
        4: "none",
        5: "bac",
    }
    assert [rows[line].get("advisor_id") for line in (2, 3, 4, 5)] == [
        camille.pk,
        camille.pk,
        None,
        camille.pk,
    ]
    assert rows[4]["advisor_unknown"] == "sophie.martin@ml-marseille.fr"
    assert rows[4]["minor_age"] == 16 and "minor_age" not in rows[2]
    # CIVIS "oui"/"O" without a start date starts on the registration day, with a warning.
    assert rows[2]["civis_start"] == rows[4]["civis_start"] == "2025-06-15"
    assert "civis_start" not in rows[3] and "civis_start" not in rows[5]
    assert "date d'inscription (15/06/2025)" in " ".join(rows[2]["warnings"])
    assert rows[2]["phone"] == "0612345678" and rows[3]["email"] == "lea.nguyen@exemple.fr"

    confirm_import(batch=batch, actor=camille, unknown_advisor="none")
    youths = {y.last_name: y for y in Youth.objects.all()}
    assert sorted(youths) == ["BENALI", "DIALLO", "NGUYEN", "ROSSI"]
    assert youths["DIALLO"].advisor is None and youths["BENALI"].advisor == camille
    assert youths["BENALI"].civis_start == IMPORT_DAY and youths["NGUYEN"].civis_start is None

    # The same file again creates nobody.
    again = _preview(marseille, camille, "excel_cp1252_semicolons.csv")
    assert again.valid_rows == [] and again.skipped_count == 4
    assert confirm_import(batch=again, actor=camille).created_count == 0
    assert Youth.objects.count() == 4


def test_an_unknown_advisor_goes_to_the_person_importing_when_they_choose_it(marseille, camille):
    batch = _preview(marseille, camille, "excel_cp1252_semicolons.csv")
    confirm_import(batch=batch, actor=camille, unknown_advisor="me")
    assert Youth.objects.get(last_name="DIALLO").advisor == camille


def test_an_admin_who_chooses_me_leaves_the_youth_unassigned(marseille, camille):
    from tests.accounts.factories import UserFactory

    admin = UserFactory(admin=True)
    batch = _preview(marseille, admin, "excel_cp1252_semicolons.csv")
    confirm_import(batch=batch, actor=admin, unknown_advisor="me")
    assert Youth.objects.get(last_name="DIALLO").advisor is None


def test_the_libreoffice_csv_says_what_is_wrong_on_each_refused_row(marseille, camille):
    batch = _preview(marseille, camille, "libreoffice_utf8_commas.csv")
    assert _reasons(batch) == {
        3: "Date de naissance : 30/02/2004 : ce jour n'existe pas",
        4: "Date de naissance : 12/13/2004 : le mois 13 n'existe pas",
        5: "Date de naissance : né·e le 01/01/1990 : 35 ans, hors des 16-25 ans",
    }
    rows = _by_line(batch)
    assert sorted(rows) == [2, 6, 7]
    assert (rows[2]["education_level"], rows[2]["phone"], rows[2]["city"]) == (
        "higher",
        "0612345678",
        "Aix-en-Provence",
    )
    assert rows[6]["education_level"] == "bac_2" and rows[6]["postcode"] == "06000"
    assert rows[6]["birth_date"] == "2006-08-14" and "minor_age" not in rows[6]
    assert "email" not in rows[6]
    assert rows[6]["warnings"] == [
        "E-mail : « pas-un-email » n'est pas une adresse e-mail valide "
        "(valeur ignorée, champ laissé vide)"
    ]
    assert (rows[7]["first_name"], rows[7]["education_level"]) == ("Lucas, Jr", "cap_bep")


def test_an_xlsx_with_a_title_row_above_the_headers(marseille, camille):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Liste des jeunes suivis — export du 15/06/2025"])
    sheet.append([])
    sheet.append(
        ["Nom", "Prénom", "Date de naissance", "N° portable", "Niv. formation", "Conseiller"]
    )
    sheet.append(
        ["Durand", "Noé", datetime.datetime(2004, 3, 1), 612345678, "niveau 4", "Camille Roche"]
    )
    sheet.append(["Roux", "Lina", datetime.datetime(2009, 1, 20), None, "DNB", "Inconnu Total"])
    sheet.append(["Blanc", "Sacha", "31/04/2003", 698765432, "Niveau 5", None])
    buffer = io.BytesIO()
    workbook.save(buffer)
    batch = _preview(marseille, camille, "jeunes.xlsx", buffer.getvalue())
    assert batch.header_line == 3
    assert batch.headers[3] == "N° portable"
    assert _reasons(batch) == {6: "Date de naissance : 31/04/2003 : ce jour n'existe pas"}
    rows = _by_line(batch)
    assert (rows[4]["birth_date"], rows[4]["phone"], rows[4]["education_level"]) == (
        "2004-03-01",
        "0612345678",
        "bac",
    )
    assert rows[4]["advisor_id"] == camille.pk
    assert rows[5]["minor_age"] == 16 and rows[5]["education_level"] == "none"
    assert rows[5]["advisor_unknown"] == "Inconnu Total"


def test_a_file_with_extra_columns_shows_them_ignored_and_flags_its_own_duplicates(
    marseille, camille
):
    batch = start_import(
        mission_locale=marseille,
        actor=camille,
        file_name="extra.csv",
        data=corpus("extra_columns.csv"),
    )
    assert batch.columns == [
        "",
        "last_name",
        "first_name",
        "birth_date",
        "",
        "",
        "email",
        "",
        "education_level",
        "registered_on",
    ]
    batch = _preview(marseille, camille, "extra_columns.csv")
    rows = _by_line(batch)
    assert rows[2]["file_duplicates"] == [4]
    assert _reasons(batch) == {4: "Doublon de la ligne 2 du fichier"}
    assert (rows[2]["education_level"], rows[2]["registered_on"]) == ("bac", "2025-06-02")
    assert rows[3]["education_level"] == "bac_2"
    confirm_import(batch=batch, actor=camille)
    assert Youth.objects.get(last_name="Faure").registered_on == datetime.date(2025, 6, 2)


def test_every_everyday_education_level_name(marseille, camille):
    data = corpus("education_levels.csv")
    batch = _preview(marseille, camille, "education_levels.csv")
    expected = {}
    for line_no, line in enumerate(data.decode("utf-8-sig").splitlines()[1:], 2):
        cells = line.split(";")
        expected[line_no] = (cells[3], cells[4])
    assert batch.rejected_rows == []
    rows = _by_line(batch)
    got = {
        line: (name, rows[line].get("education_level", "")) for line, (name, _e) in expected.items()
    }
    assert got == expected
    [unknown] = [row for row in batch.valid_rows if "warnings" in row]
    assert unknown["warnings"] == [
        "Niveau de formation : « Permis poids lourd » non reconnu "
        "(valeur ignorée, champ laissé vide)"
    ]


def test_the_reasons_in_english(marseille, camille):
    from django.utils import translation

    with translation.override("en"):
        batch = _preview(marseille, camille, "libreoffice_utf8_commas.csv")
    assert _reasons(batch) == {
        3: "Date of birth: 30/02/2004: this day does not exist",
        4: "Date of birth: 12/13/2004: month 13 does not exist",
        5: "Date of birth: born on 01/01/1990: 35 years old, outside 16-25",
    }


def test_each_warning_and_refusal_says_what_is_wrong(marseille, camille):
    lines = [
        "Nom;Prénom;Date de naissance;CIVIS;Début CIVIS;Fin CIVIS;Date d'inscription;Mobilité",
        "Futur;Noé;01/01/2030;;;;;",
        "Civis;Léa;01/01/2003;peut-être;;;;",
        "Dates;Tom;01/01/2003;non;01/03/2025;01/02/2025;01/07/2025;à pied",
        "Jeune;Ali;01/07/2009;;;;;",
    ]
    data = ("\r\n".join(lines) + "\r\n").encode("cp1252")
    batch = _preview(marseille, camille, "v.csv", data)
    assert _reasons(batch) == {
        2: "Date de naissance : né·e le 01/01/2030 : date dans le futur",
        5: "Date de naissance : né·e le 01/07/2009 : 15 ans, hors des 16-25 ans",
    }
    rows = _by_line(batch)
    assert rows[3]["warnings"] == [
        "CIVIS (oui/non) : « peut-être » n'est ni oui ni non (valeur ignorée, champ laissé vide)"
    ]
    assert rows[4]["warnings"] == [
        "Mobilité : « à pied » inconnu (valeur ignorée, champ laissé vide ; valeurs possibles : "
        "Quartier / commune, Transports en commun, Permis B, sans véhicule, Permis B et véhicule)",
        "Date d'inscription : la date ne peut pas être dans le futur (date du jour retenue)",
        "CIVIS (oui/non) : « non » mais une date de début de CIVIS : la date est gardée",
        "Fin CIVIS : la fin du contrat CIVIS précède son début (champ laissé vide)",
    ]
    assert rows[4]["civis_start"] == "2025-03-01" and "civis_end" not in rows[4]
    assert "registered_on" not in rows[4]
