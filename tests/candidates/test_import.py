import io
from datetime import datetime, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook

from accounts.enums import Role
from candidates.enums import ImportStatus
from candidates.importing import ImportFileError, confirm_import, preview_import
from candidates.models import ImportBatch, Youth
from tests.accounts.factories import make_member
from tests.candidates.factories import born

pytestmark = pytest.mark.django_db


HEADER = "Nom;Prénom;Date de naissance;E-mail;Téléphone;Code postal;Niveau de formation;Conseiller (e-mail)"


def csv_bytes(encoding="utf-8", bom=False):
    lines = [
        HEADER,
        f"Lefèvre;Éloïse;{born(19)};eloise@exemple.fr;06 12 34 56 78;13001;Baccalauréat;conseil@ml.fr",
        f"Dupont;Hélène;{born(22)};;;;;",
        "Martin;Léo;31/02/2004;;;;;",
        f"Petit;Zoé;{born(30)};;;;;",
        f"Bernard;Inès;{born(20)};pas-un-email;123;;Licence ès lettres;inconnu@ml.fr",
        f";Sans nom;{born(20)};;;;;",
        f"LEFEVRE;eloise;{born(19)};;;;;",
    ]
    text = "\r\n".join(lines) + "\r\n"
    data = text.encode(encoding)
    return (b"\xef\xbb\xbf" + data) if bom else data


@pytest.mark.parametrize("encoding,bom", [("utf-8", False), ("utf-8", True), ("cp1252", False)])
def test_preview_lists_every_rejected_row_with_its_line(advisor, ml, encoding, bom):
    batch = preview_import(
        mission_locale=ml, actor=advisor, file_name="vivier.csv", data=csv_bytes(encoding, bom)
    )
    # Bernard's optional fields are wrong: imported without them, each with a warning.
    assert [row["last_name"] for row in batch.valid_rows] == ["Lefèvre", "Dupont", "Bernard"]
    assert batch.valid_rows[0]["first_name"] == "Éloïse"
    bernard = batch.valid_rows[2]
    warnings = " ".join(bernard["warnings"])
    assert "adresse e-mail valide" in warnings and "Téléphone" in warnings
    assert "n'est pas un conseiller" in warnings
    assert bernard["education_level"] == "higher"  # "Licence ès lettres"
    assert bernard["advisor_unknown"] == "inconnu@ml.fr"
    assert not {"email", "phone", "advisor_id"} & set(bernard)
    rejected = {row["line"]: " ".join(row["reasons"]) for row in batch.rejected_rows}
    assert rejected[4] == "Date de naissance : 31/02/2004 : ce jour n'existe pas"
    assert rejected[5].startswith("Date de naissance : né·e le ")
    assert rejected[5].endswith(" ans, hors des 16-25 ans")
    assert "Nom : obligatoire" in rejected[7]
    assert "Doublon de la ligne 2" in rejected[8]
    assert set(rejected) == {4, 5, 7, 8}
    assert not Youth.objects.exists()


def test_confirm_imports_valid_rows_and_the_same_file_twice_adds_nothing(advisor, ml):
    data = csv_bytes()
    batch = confirm_import(
        batch=preview_import(mission_locale=ml, actor=advisor, file_name="v.csv", data=data),
        actor=advisor,
    )
    assert batch.created_count == 3
    assert Youth.objects.get(last_name="Bernard").advisor is None
    youth = Youth.objects.get(last_name="Lefèvre")
    assert (youth.advisor, youth.phone, youth.education_level) == (advisor, "0612345678", "bac")
    assert youth.pathway_events.count() == 1
    again = preview_import(mission_locale=ml, actor=advisor, file_name="v.csv", data=data)
    assert again.valid_rows == []
    assert again.skipped_count == 3
    confirm_import(batch=again, actor=advisor)
    assert Youth.objects.count() == 3


def test_xlsx_with_real_dates(advisor, ml):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Nom", "Prénom", "Date de naissance", "Téléphone"])
    sheet.append(["Durand", "Noé", datetime(timezone.localdate().year - 20, 3, 1), 612345678])
    sheet.append(["Roux", "Lina", "pas une date", ""])
    buffer = io.BytesIO()
    workbook.save(buffer)
    batch = preview_import(
        mission_locale=ml, actor=advisor, file_name="v.xlsx", data=buffer.getvalue()
    )
    assert [r["last_name"] for r in batch.valid_rows] == ["Durand"]
    assert batch.valid_rows[0]["phone"] == "0612345678"
    assert batch.rejected_rows[0]["line"] == 3


@pytest.mark.parametrize(
    "data,name,message",
    [
        (b"", "v.csv", "vide"),
        (b"Nom;Prenom\r\nA;B\r\n", "v.csv", "Colonnes obligatoires manquantes : Date de naissance"),
        (b"Nom;Prenom;Ville\r\nA;B;C\r\n", "v.csv", "Date de naissance"),
        (HEADER.encode() + b"\r\n", "v.csv", "aucune ligne"),
        ("Nom;Prénom".encode("utf-16"), "v.csv", "UTF-16"),
        (b"\x00\x01garbage" * 1000, "v.csv", "binaire"),
        (b"PK\x03\x04 not really a zip", "v.xlsx", "XLSX est illisible"),
        (b"\xd0\xcf\x11\xe0 old excel", "v.xls", ".xls"),
        (b"x" * (5 * 1024 * 1024 + 1), "v.csv", "dépasse"),
    ],
)
def test_broken_files_give_a_clear_message_and_change_nothing(advisor, ml, data, name, message):
    with pytest.raises(ImportFileError) as exc:
        preview_import(mission_locale=ml, actor=advisor, file_name=name, data=data)
    assert message in str(exc.value)
    assert not ImportBatch.objects.exists()


def test_upload_page_preview_and_confirm(client, advisor, ml):
    client.force_login(advisor)
    response = client.post(
        reverse("candidates:import_upload"),
        {"mission_locale": ml.pk, "file": SimpleUploadedFile("v.csv", csv_bytes("cp1252"))},
    )
    batch = ImportBatch.objects.get()
    assert response.url == reverse("candidates:import_columns", args=[batch.pk])
    # Before the columns are confirmed, the preview sends back to them.
    assert client.get(reverse("candidates:import_preview", args=[batch.pk])).url == response.url
    columns = client.get(response.url).context["form"]
    response = client.post(
        response.url,
        {f.html_name: f.value() or "" for f in columns if f.name.startswith("column_")},
    )
    assert response.url == reverse("candidates:import_preview", args=[batch.pk])
    body = client.get(response.url).content.decode()
    assert "Doublon de la ligne 2" in body
    # Bernard names an unknown advisor: the choice is asked before importing.
    client.post(reverse("candidates:import_confirm", args=[batch.pk]))
    assert not Youth.objects.exists()
    client.post(reverse("candidates:import_confirm", args=[batch.pk]), {"unknown_advisor": "me"})
    batch.refresh_from_db()
    assert batch.status == ImportStatus.CONFIRMED and batch.source_rows == []
    assert Youth.objects.count() == 3
    assert Youth.objects.get(last_name="Bernard").advisor == advisor
    client.post(reverse("candidates:import_confirm", args=[batch.pk]), {"unknown_advisor": "me"})
    assert Youth.objects.count() == 3


def test_upload_of_garbage_shows_the_message_next_to_the_field(client, advisor, ml):
    client.force_login(advisor)
    response = client.post(
        reverse("candidates:import_upload"),
        {"mission_locale": ml.pk, "file": SimpleUploadedFile("v.csv", b"\x00\xff" * 5000)},
    )
    assert response.status_code == 200
    assert "binaire" in response.context["form"].errors["file"][0]
    assert not ImportBatch.objects.exists()


def test_import_pages_refuse_another_mission_locale(client, advisor, ml):
    from tests.helpers import assert_refused

    batch = preview_import(mission_locale=ml, actor=advisor, file_name="v.csv", data=csv_bytes())
    stranger = make_member(Role.ADVISOR)
    assert_refused(
        client,
        stranger,
        reverse("candidates:import_preview", args=[batch.pk]),
        must_not_contain=["Lefèvre"],
    )
    assert_refused(
        client, stranger, reverse("candidates:import_confirm", args=[batch.pk]), method="post"
    )
    other_ml_upload = client
    other_ml_upload.force_login(stranger)
    response = other_ml_upload.post(
        reverse("candidates:import_upload"),
        {"mission_locale": ml.pk, "file": SimpleUploadedFile("v.csv", csv_bytes())},
    )
    assert response.status_code == 200 and "mission_locale" in response.context["form"].errors
    assert not Youth.objects.exists()


def test_twenty_megabytes_of_garbage_are_refused_before_reading(client, advisor, ml):
    client.force_login(advisor)
    garbage = SimpleUploadedFile("vivier.csv", b"\x8f\x00garbage;" * (20 * 1024 * 1024 // 10))
    response = client.post(
        reverse("candidates:import_upload"), {"mission_locale": ml.pk, "file": garbage}
    )
    assert response.status_code == 200
    assert "dépasse 5 Mo" in response.context["form"].errors["file"][0]
    assert not ImportBatch.objects.exists() and not Youth.objects.exists()


def test_register_youths_refuses_the_whole_batch_on_a_bad_row(advisor, ml):
    from django.core.exceptions import ValidationError

    from candidates.services import register_youths

    stranger = make_member(Role.ADVISOR)
    birth = timezone.localdate() - timedelta(days=365 * 20)
    rows = [
        {"first_name": "Léa", "last_name": "Nguyen", "birth_date": birth, "advisor_id": advisor.pk},
        {"first_name": "Hugo", "last_name": "Roux", "birth_date": birth, "advisor_id": stranger.pk},
    ]
    with pytest.raises(ValidationError):
        register_youths(actor=advisor, mission_locale=ml, rows=rows)
    assert not Youth.objects.exists()
    created = register_youths(actor=advisor, mission_locale=ml, rows=rows[:1] * 2)
    assert len(created) == 1
    assert Youth.objects.get().pathway_events.get().stage == "information"
