"""The subject export is complete according to the registry, in its three forms: the page,
the JSON and the ZIP (the JSON, one CSV per section through the portal's export writer,
a PDF summary with one page per section). Only the youth's own mission locale gets it."""

from __future__ import annotations

import csv
import io
import json
import zipfile

import pytest
from django.db import connection
from django.urls import reverse
from pypdf import PdfReader

from accounts.enums import Role
from candidates.enums import DataRequestKind
from candidates.models import DataSubjectRequest, YouthNameWord
from candidates.personal_data_registry import holdings
from candidates.subject_export import SubjectExport
from tests.accounts.factories import make_member

from .everything import EMAIL, LAST_NAME, youth_with_everything
from .factories import YouthFactory

pytestmark = pytest.mark.django_db


def _has_free_text(holding) -> bool:
    return bool(holding.clear or holding.redact)


def test_every_registered_model_gives_its_rows_and_its_free_text():
    world = youth_with_everything()
    export = SubjectExport.of(world.youth.pk)
    by_key = {section.key: section for section in export.sections}
    assert list(by_key) == [h.key for h in holdings()]
    for holding in holdings():
        section = by_key[holding.key]
        expected = holding.rows_of(world.youth.pk).count()
        if holding.model is YouthNameWord and connection.vendor != "postgresql":
            assert expected == 0  # written by PostgreSQL's triggers only
            continue
        assert expected >= 1, f"the world has no {holding.label}: the test proves nothing"
        assert len(section.rows) == expected, holding.label
        assert len(section.labels) == len(holding.columns)
        if _has_free_text(holding):
            # The text anonymisation clears or masks is shown to the youth first.
            assert any(LAST_NAME in str(value) for row in section.rows for value in row), (
                f"{holding.label}: its free text is not in the export"
            )
    data = export.as_dict()
    assert set(data) == {"document", *by_key}
    assert data["jeune"]["email"] == EMAIL and data["jeune"]["nom"] == LAST_NAME
    assert data["candidatures"][0]["offre"]  # the offer, not its id
    assert {row["etat"] for row in data["candidatures"]} == {"Refusée", "Proposée", "Embauche"}

    # Anonymised, the file keeps every row (nothing deleted) but its name's words, which
    # go with the name; only the open proposal's withdrawal, the consent's withdrawal
    # (method "anonymisation") and the journal's entry are added, and the audit trail's
    # entries of these very changes.
    world.close_erasure()
    after = {s.key: len(s.rows) for s in SubjectExport.of(world.youth.pk).sections}
    before = {s.key: len(s.rows) for s in export.sections}
    added = {key: after[key] - before[key] for key in before if after[key] != before[key]}
    assert added.pop("historique_des_modifications") >= 3
    assert added.pop("mots_du_nom", 0) == -before["mots_du_nom"]
    assert after["mots_du_nom"] == 0
    assert added == {"candidatures_historique": 1, "consentements": 1, "journal_des_demandes": 1}


def _queries() -> int:
    """Session, user, scope, the youth, the export logged, the access log's one INSERT,
    one query per section."""
    return 4 + 1 + 1 + len(holdings())


def test_the_zip_holds_the_json_a_csv_per_section_and_a_pdf_page_per_section(
    client, django_assert_num_queries
):
    world = youth_with_everything()
    youth = world.youth
    client.force_login(world.new_manager)  # the youth's mission locale now
    url = reverse("candidates:youth_data_zip", args=[youth.pk])
    client.get(reverse("candidates:youth_list"))  # warm the session
    with django_assert_num_queries(_queries()):
        response = client.get(url)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"] == f'attachment; filename="jeune-{youth.pk}-donnees.zip"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "sandbox; default-src 'none'"
    assert response["Cache-Control"] == "private, no-store"
    assert DataSubjectRequest.objects.filter(
        youth=youth, kind=DataRequestKind.EXPORT_ZIP, actor=world.new_manager
    ).exists()

    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert archive.testzip() is None
    folder = f"jeune-{youth.pk}"
    names = archive.namelist()
    sections = list(holdings())
    csv_names = [f"{folder}/csv/{i:02d}-{h.key}.csv" for i, h in enumerate(sections, start=1)]
    assert names == [f"{folder}/donnees.json", *csv_names, f"{folder}/synthese.pdf"]
    # No name in the archive's paths: only the youth's id.
    assert not any(LAST_NAME in name for name in names)

    data = json.loads(archive.read(f"{folder}/donnees.json"))
    assert data["jeune"]["nom"] == LAST_NAME
    for holding, name in zip(sections, csv_names, strict=True):
        content = archive.read(name).decode("utf-8")
        assert content.startswith("\ufeff")  # the writer's BOM, for French Excel
        rows = list(csv.reader(io.StringIO(content.removeprefix("\ufeff")), delimiter=";"))
        assert rows[0] == [str(column.label) for column in holding.columns]
        expected = 1 if holding.single else len(data[holding.key])
        assert len(rows) - 1 == expected, holding.key

    pdf = PdfReader(io.BytesIO(archive.read(f"{folder}/synthese.pdf")))
    # A cover, then each section from a new page, in order (this world's sections each
    # fit on one, but the history of changes, which runs over several).
    texts = [" ".join(page.extract_text().split()) for page in pdf.pages[1:]]
    assert len(pdf.pages) >= 1 + len(sections)
    starts = [
        next(i for i, text in enumerate(texts) if text.startswith(f"{n}. {str(h.title)[:20]}"))
        for n, h in enumerate(sections, start=1)
    ]
    assert starts == sorted(starts) and len(set(starts)) == len(sections)
    assert LAST_NAME in pdf.pages[1].extract_text()


def test_the_csv_of_the_zip_neutralises_formulas():
    youth = YouthFactory(skills='=HYPERLINK("http://exemple.org")', city="+cmd|calc")
    archive = zipfile.ZipFile(io.BytesIO(SubjectExport.of(youth.pk).zip_bytes(youth)))
    fiche = archive.read(f"jeune-{youth.pk}/csv/01-jeune.csv").decode("utf-8")
    assert "'=HYPERLINK" in fiche and "'+cmd|calc" in fiche
    assert ";=HYPERLINK" not in fiche and ";+cmd" not in fiche


def test_only_the_youths_mission_locale_gets_the_zip(client):
    youth = YouthFactory(last_name="Secretnom")
    url = reverse("candidates:youth_data_zip", args=[youth.pk])
    for outsider in (
        make_member(Role.ADVISOR),  # another mission locale
        make_member(Role.ML_MANAGER),
        make_member(Role.RECRUITER),
        make_member(Role.PROJECT_LEAD),
        make_member(Role.NATIONAL),
    ):
        client.force_login(outsider)
        assert client.get(url).status_code in (403, 404), outsider
    assert not DataSubjectRequest.objects.exists()
    client.force_login(youth.advisor)
    assert client.get(url).status_code == 200


def test_the_data_page_shows_every_section_escaped(client):
    youth = YouthFactory(skills="<script>alert(1)</script>")
    client.force_login(youth.advisor)
    body = client.get(reverse("candidates:youth_data_page", args=[youth.pk])).content.decode()
    for holding in holdings():
        assert f'id="data-{holding.key}"' in body
    assert "<script>alert(1)" not in body and "&lt;script&gt;alert(1)" in body
    assert reverse("candidates:youth_data_zip", args=[youth.pk]) in body
