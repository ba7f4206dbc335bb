"""The import's columns step and preview through the client: every column shown with a
labelled select, the choice remembered for the mission locale only, the preview's
flags and links, refusals, hostile cells, and queries that do not grow with the rows."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.enums import Role
from accounts.models import Membership
from candidates.enums import ImportStatus
from candidates.importing import confirm_import, map_columns, preview_import, start_import
from candidates.models import ImportBatch, ImportMapping, Youth
from tests.accounts.factories import OrganisationFactory, make_member
from tests.candidates.factories import YouthFactory, born
from tests.helpers import assert_refused
from tests.payloads import ALL, NUL, SCRIPT, STORABLE, VERY_LONG

pytestmark = pytest.mark.django_db

TITLES = "Nom;Prénom;Date naiss.;Commentaire;Portable"


def _file(*rows: str, titles: str = TITLES) -> bytes:
    return ("\r\n".join([titles, *rows]) + "\r\n").encode("cp1252")


def _upload(client, ml, data: bytes, name: str = "jeunes.csv"):
    response = client.post(
        reverse("candidates:import_upload"),
        {"mission_locale": ml.pk, "file": SimpleUploadedFile(name, data)},
    )
    assert response.status_code == 302, response.content.decode()[:500]
    return ImportBatch.objects.latest("pk"), response.url


def _columns_post(batch, **changes) -> dict:
    chosen = dict(enumerate(batch.columns))
    for index, field in changes.items():
        chosen[int(index.removeprefix("c"))] = field
    return {f"column_{index}": field for index, field in chosen.items()}


def test_the_columns_step_shows_every_column_with_a_labelled_select(client, advisor, ml):
    client.force_login(advisor)
    batch, url = _upload(client, ml, _file(f"Durand;Noé;{born(20)};RDV mardi;0612345678"))
    assert url == reverse("candidates:import_columns", args=[batch.pk])
    assert batch.status == ImportStatus.MAPPING
    body = client.get(url).content.decode()
    for index, title in enumerate(["Nom", "Prénom", "Date naiss.", "Commentaire", "Portable"]):
        assert f'<label for="id_column_{index}">{title}</label>' in body
    # The comment column is proposed as ignored, in plain sight, its values shown.
    assert batch.columns == ["last_name", "first_name", "birth_date", "", "phone"]
    assert "RDV mardi" in body and "— colonne ignorée —" in body
    preview = client.get(reverse("candidates:import_preview", args=[batch.pk]))
    assert preview.url == url


def test_the_person_importing_changes_a_match_and_the_preview_follows(client, advisor, ml):
    client.force_login(advisor)
    batch, url = _upload(client, ml, _file(f"Durand;Noé;{born(20)};Vente;0612345678"))
    response = client.post(url, _columns_post(batch, c3="previous_sector", c4=""))
    assert response.url == reverse("candidates:import_preview", args=[batch.pk])
    batch.refresh_from_db()
    [row] = batch.valid_rows
    assert row["previous_sector"] == "Vente" and "phone" not in row
    body = client.get(response.url).content.decode()
    assert "Colonnes ignorées :" in body and "« Portable »" in body
    # The columns may be chosen again until the import is confirmed.
    client.post(url, _columns_post(batch, c4="phone"))
    batch.refresh_from_db()
    assert batch.valid_rows[0]["phone"] == "0612345678"
    client.post(reverse("candidates:import_confirm", args=[batch.pk]))
    assert client.get(url).url == reverse("candidates:import_preview", args=[batch.pk])
    assert client.post(url, _columns_post(batch)).status_code == 302
    assert Youth.objects.get().phone == "0612345678"


@pytest.mark.parametrize(
    "changes,message",
    [
        ({"c3": "last_name"}, "« Nom » est choisi pour plusieurs colonnes."),
        ({"c2": ""}, "Colonnes obligatoires manquantes : Date de naissance."),
        ({"c3": "not_a_field"}, "Sélectionnez un choix valide"),
    ],
)
def test_an_unusable_choice_is_explained_and_changes_nothing(client, advisor, ml, changes, message):
    client.force_login(advisor)
    batch, url = _upload(client, ml, _file(f"Durand;Noé;{born(20)};;"))
    response = client.post(url, _columns_post(batch, **changes))
    assert response.status_code == 200
    assert message in response.content.decode()
    batch.refresh_from_db()
    assert batch.status == ImportStatus.MAPPING and batch.valid_rows == []
    assert not ImportMapping.objects.exists()


def test_the_choice_is_remembered_for_the_mission_locale_and_no_other(client, advisor, ml):
    client.force_login(advisor)
    batch, url = _upload(client, ml, _file(f"Durand;Noé;{born(20)};Vente;0612345678"))
    client.post(url, _columns_post(batch, c3="previous_sector", c4=""))
    assert ImportMapping.objects.get(mission_locale=ml).columns == {
        "nom": "last_name",
        "prenom": "first_name",
        "date naiss": "birth_date",
        "commentaire": "previous_sector",
        "portable": "",
    }
    # Next import, titles written differently: the same choice is proposed.
    again = start_import(
        mission_locale=ml,
        actor=advisor,
        file_name="b.csv",
        data=_file(
            f"Roux;Lina;{born(19)};x;y", titles="NOM;PRÉNOM;DATE NAISS;commentaire;Portable"
        ),
    )
    assert again.columns == ["last_name", "first_name", "birth_date", "previous_sector", ""]
    # Another mission locale gets the guesses, not this one's choice.
    stranger = make_member(Role.ADVISOR)
    elsewhere = start_import(
        mission_locale=stranger.memberships.get().organisation,
        actor=stranger,
        file_name="c.csv",
        data=_file(f"Roux;Lina;{born(19)};x;0612345678"),
    )
    assert elsewhere.columns == ["last_name", "first_name", "birth_date", "", "phone"]


def test_the_columns_step_refuses_other_mission_locales_and_non_advisors(client, advisor, ml):
    batch = start_import(
        mission_locale=ml,
        actor=advisor,
        file_name="v.csv",
        data=_file(f"Secretnom;Noé;{born(20)};;"),
    )
    url = reverse("candidates:import_columns", args=[batch.pk])
    data = _columns_post(batch)
    for role in (Role.ADVISOR, Role.ML_MANAGER, Role.RECRUITER, Role.PROJECT_LEAD, Role.NATIONAL):
        outsider = make_member(role)
        assert_refused(client, outsider, url, must_not_contain=["Secretnom"])
        assert_refused(client, outsider, url, method="post", data=data)
        assert_refused(
            client,
            outsider,
            reverse("candidates:import_preview", args=[batch.pk]),
            must_not_contain=["Secretnom"],
        )
    batch.refresh_from_db()
    assert batch.status == ImportStatus.MAPPING and not ImportMapping.objects.exists()
    # A manager of the same mission locale may carry on the import.
    manager = make_member(Role.ML_MANAGER, organisation=ml)
    client.force_login(manager)
    assert "Secretnom" in client.get(url).content.decode()


def test_the_preview_flags_minors_and_duplicates_in_the_pool_and_in_the_file(client, advisor, ml):
    neighbour = OrganisationFactory(mission_locale=True, name="Mission locale d'Aix")
    Membership.objects.create(user=advisor, organisation=neighbour, role=Role.ADVISOR)
    unseen = OrganisationFactory(mission_locale=True, name="Mission locale de Nice")
    here = YouthFactory(mission_locale=ml, advisor=advisor, last_name="Présent", first_name="Léo")
    there = YouthFactory(
        mission_locale=neighbour, advisor=advisor, last_name="Voisin", first_name="Inès"
    )
    hidden = YouthFactory(mission_locale=unseen, last_name="Caché", first_name="Tom")
    day = lambda youth: youth.birth_date.strftime("%d/%m/%Y")  # noqa: E731
    data = _file(
        f"PRESENT;leo;{day(here)};;",
        f"voisin;INES;{day(there)};;",
        f"Caché;Tom;{day(hidden)};;",
        f"Mineure;Zoé;{born(16)};;",
        f"Mineure;Zoé;{born(16)};;",
    )
    batch = preview_import(mission_locale=ml, actor=advisor, file_name="v.csv", data=data)
    rows = {row["line"]: row for row in batch.valid_rows}
    assert sorted(rows) == [3, 4, 5]
    assert rows[3]["duplicates"] == [there.pk]
    assert "duplicates" not in rows[4]  # a youth the importer may not see is not told
    assert rows[5]["minor_age"] == 16 and rows[5]["file_duplicates"] == [6]
    client.force_login(advisor)
    body = client.get(reverse("candidates:import_preview", args=[batch.pk])).content.decode()
    assert reverse("candidates:youth_detail", args=[there.pk]) in body
    assert "Mission locale d&#x27;Aix" in body and "Doublon possible" in body
    assert reverse("candidates:youth_detail", args=[here.pk]) in body  # already in the pool
    assert reverse("candidates:youth_detail", args=[hidden.pk]) not in body
    assert "Mission locale de Nice" not in body
    assert "Mineur·e" in body and "16 ans" in body
    assert "Doublon dans le fichier" in body and "Doublon de la ligne 5 du fichier" in body


def test_an_unknown_advisor_is_asked_about_in_the_preview(client, advisor, ml):
    data = _file(f"Durand;Noé;{born(20)};x;", titles="Nom;Prénom;Date naiss.;Référent;Portable")
    data = data.replace(b";x;", b";sophie@ml.fr;")
    batch = preview_import(mission_locale=ml, actor=advisor, file_name="v.csv", data=data)
    client.force_login(advisor)
    url = reverse("candidates:import_preview", args=[batch.pk])
    body = client.get(url).content.decode()
    assert "M&#x27;assigner" in body and "Laisser sans conseiller" in body
    assert "« sophie@ml.fr » n&#x27;est pas un conseiller" in body
    client.post(reverse("candidates:import_confirm", args=[batch.pk]), {"unknown_advisor": "x"})
    assert not Youth.objects.exists()
    client.post(reverse("candidates:import_confirm", args=[batch.pk]), {"unknown_advisor": "none"})
    assert Youth.objects.get().advisor is None


def _rows(count: int, ml, advisor) -> bytes:
    lines = []
    for n in range(count):
        youth = YouthFactory(mission_locale=ml, advisor=advisor, last_name=f"Pool{n}")
        lines.append(f"Pool{n};{youth.first_name};{youth.birth_date:%d/%m/%Y};;")
        lines.append(f"Neuf{n};Noé;{born(20)};;")
        lines.append(f"Mineur{n};Zoé;{born(16)};;x")
        lines.append(f"Faux{n};Léa;30/02/2004;;")
    return _file(*lines)


def test_the_preview_and_columns_pages_make_the_same_queries_whatever_the_rows(
    client, advisor, ml, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(advisor)
    counts = []
    for size in (2, 12):
        batch = preview_import(
            mission_locale=ml, actor=advisor, file_name="v.csv", data=_rows(size, ml, advisor)
        )
        assert len(batch.valid_rows) == 2 * size and batch.skipped_count == size
        queries = []
        for name in ("candidates:import_preview", "candidates:import_columns"):
            with CaptureQueriesContext(connection) as captured:
                assert client.get(reverse(name, args=[batch.pk])).status_code == 200
            queries.append(len(captured))
        counts.append(queries)
    assert counts[0] == counts[1]


def _hostile_file(text: str) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(["Nom", "Prénom", "Date de naissance", "Commune", text[:300]])
    writer.writerow([text, "Noé", born(20), "Marseille", "x"])
    writer.writerow(["Durand", text, born(21), text, text])
    return buffer.getvalue().encode("utf-8")


@pytest.mark.parametrize("payload", ALL, ids=str)
def test_hostile_cells_and_titles_never_break_a_step(client, advisor, ml, payload):
    client.force_login(advisor)
    response = client.post(
        reverse("candidates:import_upload"),
        {"mission_locale": ml.pk, "file": SimpleUploadedFile("v.csv", _hostile_file(payload.text))},
    )
    if payload is NUL:  # PostgreSQL stores no NUL: the file is refused with a message
        assert response.status_code == 200 and "binaire" in response.content.decode()
        assert not ImportBatch.objects.exists()
        return
    assert response.status_code == 302
    batch = ImportBatch.objects.get()
    page = client.get(response.url)
    assert page.status_code == 200 and SCRIPT.text not in page.content.decode()
    response = client.post(response.url, _columns_post(batch))
    assert response.status_code == 302
    page = client.get(response.url)
    assert page.status_code == 200 and SCRIPT.text not in page.content.decode()
    client.post(reverse("candidates:import_confirm", args=[batch.pk]))
    names = {(y.last_name, y.first_name): y.city for y in Youth.objects.all()}
    if payload in STORABLE:
        assert names[(payload.text, "Noé")] == "Marseille"
        assert names[("Durand", payload.text)] == payload.text
    if payload is VERY_LONG:  # too long for a name: refused; for a town: left empty
        assert names == {}
    if payload is SCRIPT:
        assert "&lt;script&gt;" in page.content.decode()


def test_confirming_drops_the_files_cells(advisor, ml):
    batch = start_import(
        mission_locale=ml, actor=advisor, file_name="v.csv", data=_file(f"Durand;Noé;{born(20)};;")
    )
    assert batch.source_rows
    batch = map_columns(batch=batch, actor=advisor, columns=batch.columns)
    batch = confirm_import(batch=batch, actor=advisor)
    assert batch.source_rows == [] and batch.created_count == 1


def test_anonymising_a_youth_purges_the_cells_of_a_file_not_confirmed_yet(advisor, ml):
    from candidates.services import anonymise_youth

    youth = YouthFactory(mission_locale=ml, advisor=advisor, last_name="Effacé", first_name="Zoé")
    batch = start_import(
        mission_locale=ml,
        actor=advisor,
        file_name="v.csv",
        data=_file(f"Effacé;Zoé;{youth.birth_date:%d/%m/%Y};;", f"Durand;Noé;{born(20)};;"),
    )
    manager = make_member(Role.ML_MANAGER, organisation=ml)
    anonymise_youth(youth=youth, actor=manager)
    batch.refresh_from_db()
    assert [cells[0] for _line, cells in batch.source_rows] == ["Durand"]
