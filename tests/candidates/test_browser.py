"""The advisor's morning in a real browser: create a youth, assess, move to discovery,
write a note and read the timeline; then import a spreadsheet with errors."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.enums import Role
from candidates.models import Youth
from tests.accounts.factories import (
    DEFAULT_PASSWORD,
    OrganisationFactory,
    RegionFactory,
    make_member,
)
from tests.conftest import ARTIFACTS
from tests.helpers import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_advisor_creates_assesses_moves_and_reads_the_timeline(browser_page):
    region = RegionFactory(paca=True)
    ml = OrganisationFactory(mission_locale=True, region=region, name="Mission locale de Marseille")
    advisor = make_member(Role.ADVISOR, organisation=ml, first_name="Camille", last_name="Roche")
    page = browser_page
    sign_in(page, advisor.email, DEFAULT_PASSWORD)
    page.wait_for_url(f"{page.live_server_url}/")
    page.get_by_role("link", name="Jeunes", exact=True).first.click()
    page.get_by_role("link", name="Inscrire un jeune").click()

    birth = (timezone.localdate() - timedelta(days=365 * 19)).strftime("%d/%m/%Y")
    page.fill("#id_first_name", "Éloïse")
    page.fill("#id_last_name", "Lefèvre")
    page.fill("#id_birth_date", birth)
    page.fill("#id_phone", "06 12 34 56 78 9")
    page.select_option("#id_advisor", label="Camille Roche")
    page.get_by_role("button", name="Enregistrer").click()
    # A malformed phone: the French message is next to the field, the input kept.
    assert "Numéro de téléphone invalide" in page.locator("#id_phone").locator("..").inner_text()
    assert page.input_value("#id_first_name") == "Éloïse"
    page.screenshot(path=str(ARTIFACTS / "candidates-create-error.png"), full_page=True)
    page.fill("#id_phone", "06 12 34 56 78")
    page.get_by_role("button", name="Enregistrer").click()
    page.get_by_role("heading", level=1, name="Éloïse LEFÈVRE").wait_for()

    page.get_by_role("link", name="Évaluer les aptitudes").click()
    page.select_option("#id_method", label="Mise en situation (appels simulés)")
    for field, score in [
        ("oral_expression", "4"),
        ("listening", "5"),
        ("written_french", "3"),
        ("computer_use", "4"),
        ("stress_handling", "4"),
    ]:
        page.select_option(f"#id_score_{field}", score)
    page.select_option("#id_outcome", label="Favorable")
    page.fill("#id_comment", "À l'aise au téléphone")
    page.get_by_role("button", name="Enregistrer").click()
    page.get_by_text("L'évaluation a été enregistrée.").wait_for()

    page.get_by_role("link", name="Changer d'étape").click()
    page.select_option("#id_stage", label="Découverte des métiers")
    page.fill("#id_note", "Visite d'un plateau prévue")
    page.get_by_role("button", name="Enregistrer").click()
    page.get_by_text("L'étape du parcours a été enregistrée.").wait_for()

    page.get_by_role("link", name="Ajouter un entretien").click()
    page.select_option("#id_channel", label="Téléphone")
    page.fill("#id_summary", "Motivée pour la journée découverte")
    page.get_by_role("button", name="Enregistrer").click()
    page.get_by_text("L'entretien a été enregistré.").wait_for()

    timeline = page.locator("ol.timeline").inner_text()
    for text in (
        "Étape : Découverte des métiers",
        "Visite d'un plateau prévue",
        "Évaluation : Favorable",
        "À l'aise au téléphone",
        "Entretien (Téléphone)",
        "Motivée pour la journée découverte",
        "Étape : Information",
    ):
        assert text in timeline
    page.screenshot(path=str(ARTIFACTS / "candidates-youth-timeline.png"), full_page=True)

    # The list filters without a full reload (htmx) and ignores accents.
    # Each step waits for its own answer: the list already shows Éloïse before the search,
    # and a filter changed before the page has loaded would not reach htmx at all.
    page.get_by_role("link", name="Jeunes du vivier").click()
    page.wait_for_url(f"{page.live_server_url}/jeunes/")
    results = page.locator("#youth-results")
    with page.expect_response(lambda r: "q=eloise" in r.url):
        page.fill("#id_q", "eloise LEFEVRE")
    results.get_by_role("link", name="LEFÈVRE Éloïse").wait_for()
    with page.expect_response(lambda r: "stage=immersion" in r.url):
        page.select_option("#id_stage", label="Immersion")
    results.get_by_text("Aucun jeune ne correspond").wait_for()
    assert "stage=immersion" in page.url
    with page.expect_response(lambda r: "stage=discovery" in r.url):
        page.select_option("#id_stage", label="Découverte des métiers")
    results.get_by_role("link", name="LEFÈVRE Éloïse").wait_for()
    page.screenshot(path=str(ARTIFACTS / "candidates-list.png"), full_page=True)


def test_import_preview_with_errors_then_confirm(browser_page, tmp_path):
    ml = OrganisationFactory(mission_locale=True, name="Mission locale de Marseille")
    advisor = make_member(Role.ADVISOR, organisation=ml, email="camille@ml.fr")
    birth = (timezone.localdate() - timedelta(days=365 * 20 + 40)).strftime("%d/%m/%Y")
    lines = [
        "Nom;Prénom;Date de naissance;Téléphone;Conseiller (e-mail)",
        f"Benali;Karim;{birth};0612345678;camille@ml.fr",
        f"Nguyen;Léa;{birth};;",
        "Rossi;Hugo;32/13/2004;;",
        f"Diallo;Awa;{birth};12;inconnu@ml.fr",
    ]
    path = tmp_path / "vivier.csv"
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("cp1252"))
    page = browser_page
    sign_in(page, advisor.email, DEFAULT_PASSWORD)
    page.wait_for_url(f"{page.live_server_url}/")
    page.goto(f"{page.live_server_url}/jeunes/import/")
    page.set_input_files("#id_file", str(path))
    page.get_by_role("button", name="Vérifier le fichier").click()
    page.get_by_role("button", name="Vérifier les lignes").click()
    page.locator("#rejected-rows").wait_for()
    rejected = page.locator("#rejected-rows").inner_text()
    assert "32/13/2004 : le mois 13 n'existe pas" in rejected and "Date de naissance" in rejected
    # Diallo's phone and advisor are wrong: imported without them, with the warnings.
    warned = page.locator("#valid-rows").inner_text()
    assert "inconnu@ml.fr" in warned and "Téléphone" in warned
    page.screenshot(path=str(ARTIFACTS / "candidates-import-preview.png"), full_page=True)
    page.get_by_label("Laisser sans conseiller").check()
    page.get_by_role("button", name="Importer 3 jeunes").click()
    page.get_by_text("3 jeune(s) importé(s)").wait_for()
    assert sorted(Youth.objects.values_list("last_name", flat=True)) == [
        "Benali",
        "Diallo",
        "Nguyen",
    ]
    page.screenshot(path=str(ARTIFACTS / "candidates-import-done.png"), full_page=True)


def test_import_flow_upload_columns_preview_import(browser_page, tmp_path):
    """The mission locale's Excel export (Windows-1252, semicolons, CRLF) through every
    step: the columns guessed from its titles, one changed by its label, the preview's
    flags, the choice for an unknown advisor, and all four youths imported."""
    ml = OrganisationFactory(mission_locale=True, name="Mission locale de Marseille")
    advisor = make_member(
        Role.ADVISOR,
        organisation=ml,
        email="camille.roche@ml-marseille.fr",
        first_name="Camille",
        last_name="Roche",
    )
    today = timezone.localdate()

    def born(years, days=40):
        return (today - timedelta(days=365 * years + days)).strftime("%d/%m/%Y")

    lines = [
        "NOM DE NAISSANCE;Prénom;Date naiss.;Tél;Mail;Diplôme;CIVIS;Référent;Remarque",
        f"BENALI;Karim;{born(22)};06 12 34 56 78;karim@exemple.fr;CAP;oui;camille.roche@ml-marseille.fr;Vente",
        f"NGUYEN;Léa;{born(23)};0698765432;lea@exemple.fr;BTS;non;Camille Roche;",
        f"DIALLO;Awa;{born(16)};;awa@exemple.fr;Brevet;O;sophie.martin@ml-marseille.fr;",
        f"ROSSI;Hugo;{born(24)};07 11 22 33 44;;Bac pro;N;ROCHE camille;Hôtellerie",
    ]
    path = tmp_path / "jeunes.csv"
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("cp1252"))
    page = browser_page
    sign_in(page, advisor.email, DEFAULT_PASSWORD)
    page.wait_for_url(f"{page.live_server_url}/")
    page.goto(f"{page.live_server_url}/jeunes/import/")
    page.set_input_files("#id_file", str(path))
    page.get_by_role("button", name="Vérifier le fichier").click()

    page.get_by_role("heading", level=1, name="Colonnes du fichier : jeunes.csv").wait_for()
    assert page.get_by_label("Date naiss.").input_value() == "birth_date"
    assert page.get_by_label("Référent").input_value() == "advisor"
    assert page.get_by_label("Remarque").input_value() == ""  # shown, ignored
    page.get_by_label("Remarque").select_option(label="Secteur précédent")
    page.screenshot(path=str(ARTIFACTS / "candidates-import-columns.png"), full_page=True)
    page.get_by_role("button", name="Vérifier les lignes").click()

    valid = page.locator("#valid-rows")
    valid.wait_for()
    text = valid.inner_text()
    assert "Mineur·e" in text and "CAP / BEP" in text and "Bac +2" in text
    assert "sophie.martin@ml-marseille.fr" in text
    assert page.locator("#rejected-rows").count() == 0
    page.screenshot(path=str(ARTIFACTS / "candidates-import-flow-preview.png"), full_page=True)
    page.get_by_label("M'assigner").check()
    page.get_by_role("button", name="Importer 4 jeunes").click()
    page.get_by_text("4 jeune(s) importé(s)").wait_for()
    youths = {y.last_name: y for y in Youth.objects.select_related("advisor")}
    assert sorted(youths) == ["BENALI", "DIALLO", "NGUYEN", "ROSSI"]
    assert {y.advisor for y in youths.values()} == {advisor}
    assert youths["ROSSI"].previous_sector == "Hôtellerie"
    assert youths["BENALI"].civis_start == today
    page.screenshot(path=str(ARTIFACTS / "candidates-import-flow-done.png"), full_page=True)
