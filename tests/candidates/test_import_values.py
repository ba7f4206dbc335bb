"""What the import guesses from column titles and reads from values, and the messages
it gives (French, and English from the catalogue)."""

from __future__ import annotations

import datetime

import pytest
from django.utils import translation

from candidates.import_columns import guess_field, header_key, propose_columns
from candidates.import_values import (
    AdvisorIndex,
    parse_date,
    parse_education_level,
    parse_yes_no,
)


@pytest.mark.parametrize(
    "title,field",
    [
        ("Nom", "last_name"),
        ("NOM", "last_name"),
        ("NOM DE NAISSANCE", "last_name"),
        ("Nom de famille", "last_name"),
        ("Nom d'usage", "last_name"),
        ("  nom  ", "last_name"),
        ("Patronyme", "last_name"),
        ("Prénom", "first_name"),
        ("PRENOM", "first_name"),
        ("Prénoms", "first_name"),
        ("Date de naissance", "birth_date"),
        ("Date naiss.", "birth_date"),
        ("DATE NAISS", "birth_date"),
        ("Né(e) le", "birth_date"),
        ("Née le", "birth_date"),
        ("DDN", "birth_date"),
        ("Naissance", "birth_date"),
        ("Tél", "phone"),
        ("Tél.", "phone"),
        ("TEL", "phone"),
        ("N° Tél portable", "phone"),
        ("Portable", "phone"),
        ("Téléphone mobile", "phone"),
        ("Mail", "email"),
        ("E-mail", "email"),
        ("e_mail", "email"),
        ("EMAIL", "email"),
        ("Adresse mail", "email"),
        ("Courriel", "email"),
        ("Niveau", "education_level"),
        ("Niv.", "education_level"),
        ("Niveau de formation", "education_level"),
        ("Diplôme", "education_level"),
        ("Dernier diplôme obtenu", "education_level"),
        ("CIVIS", "civis"),
        ("Civis (O/N)", "civis"),
        ("En CIVIS ?", "civis"),
        ("Début CIVIS", "civis_start"),
        ("Date d'entrée CIVIS", "civis_start"),
        ("Fin CIVIS", "civis_end"),
        ("Date fin civis", "civis_end"),
        ("Conseiller", "advisor"),
        ("Conseillère", "advisor"),
        ("Conseiller (e-mail)", "advisor"),
        ("Mail du conseiller", "advisor"),
        ("Nom du conseiller", "advisor"),
        ("Référent", "advisor"),
        ("REFERENTE", "advisor"),
        ("Conseiller référent", "advisor"),
        ("CP", "postcode"),
        ("Code postal", "postcode"),
        ("Ville", "city"),
        ("Commune de résidence", "city"),
        ("Date d'inscription", "registered_on"),
        ("Date 1er accueil", "registered_on"),
        ("Inscrit le", "registered_on"),
        ("Secteur", "previous_sector"),
        ("Compétences", "skills"),
        ("Mobilité", "mobility"),
        ("Permis", "mobility"),
        ("Dispo", "availability"),
        ("Disponibilité", "availability"),
        ("Contrats souhaités", "contract_wishes"),
        ("Nom Prénom", ""),
        ("Nationalité", ""),
        ("Commentaire", ""),
        ("N° dossier", ""),
        ("", ""),
        ("<script>alert(1)</script>", ""),
    ],
)
def test_a_title_is_guessed_whatever_its_accents_case_spacing_and_abbreviations(title, field):
    assert guess_field(title) == field


def test_titles_normalise_for_remembering():
    assert header_key(" Date  naiss. ") == "date naiss"
    assert header_key("N° Tél.") == "n tel"
    assert header_key("E-MAIL") == "e mail"


def test_the_mission_locales_choice_comes_before_the_guess_and_a_field_is_proposed_once():
    remembered = {"mail": "advisor", "commentaire": "skills", "tel": ""}
    assert propose_columns(["Nom", "Mail", "Commentaire", "Tél", "Nom de famille"], remembered) == [
        "last_name",
        "advisor",
        "skills",
        "",
        "",
    ]


@pytest.mark.parametrize(
    "text,level",
    [
        ("Brevet", "none"),
        ("DNB", "none"),
        ("sans diplôme", "none"),
        ("SANS DIPLOME", "none"),
        ("CAP", "cap_bep"),
        ("BEP", "cap_bep"),
        ("niveau 3", "cap_bep"),
        ("Bac", "bac"),
        ("Bac pro", "bac"),
        ("niveau 4", "bac"),
        ("BTS", "bac_2"),
        ("DUT", "bac_2"),
        ("BUT", "bac_2"),
        ("DEUG", "bac_2"),
        ("niveau 5", "bac_2"),
        ("Licence", "higher"),
        ("Master", "higher"),
        ("niveau 6", "higher"),
        ("niveau 7", "higher"),
        ("Bac +3 et plus", "higher"),
        ("higher", "higher"),
        ("Baccalauréat", "bac"),
    ],
)
def test_education_levels_from_everyday_names_and_official_levels(text, level):
    assert parse_education_level(text) == level


@pytest.mark.parametrize("text", ["Permis B", "niveau 9", "Bachelor", "capable", "-"])
def test_an_unknown_education_level_is_refused(text):
    with pytest.raises(ValueError):
        parse_education_level(text)


@pytest.mark.parametrize(
    "text,value",
    [
        ("oui", True),
        ("OUI", True),
        ("o", True),
        ("x", True),
        ("X", True),
        ("1", True),
        ("vrai", True),
        ("Vrai", True),
        ("non", False),
        ("n", False),
        ("0", False),
        ("faux", False),
    ],
)
def test_yes_and_no_in_french(text, value):
    assert parse_yes_no(text) is value


def test_neither_yes_nor_no_is_refused():
    with pytest.raises(ValueError):
        parse_yes_no("peut-être")


def test_advisors_by_email_or_name_accents_and_case_ignored_a_shared_name_finds_nobody():
    index = AdvisorIndex(
        [
            (1, "Camille.Roche@ml.fr", "Camille", "Roche"),
            (2, "helene@ml.fr", "Hélène", "Lefèvre"),
            (3, "dominique.a@ml.fr", "Dominique", "Martin"),
            (4, "dominique.b@ml.fr", "Dominique", "Martin"),
        ]
    )
    assert index.find("camille.roche@ml.fr") == 1
    assert index.find(" CAMILLE ROCHE ") == 1
    assert index.find("Roche Camille") == 1
    assert index.find("helene lefevre") == 2
    assert index.find("LEFÈVRE Hélène") == 2
    assert index.find("Dominique Martin") is None
    assert index.find("dominique.b@ml.fr") == 4
    assert index.find("inconnu@ml.fr") is None


@pytest.mark.parametrize(
    "text,message",
    [
        ("30/02/2004", "30/02/2004 : ce jour n'existe pas"),
        ("29/02/2003", "29/02/2003 : ce jour n'existe pas"),
        ("00/01/2004", "00/01/2004 : ce jour n'existe pas"),
        ("12/13/2004", "12/13/2004 : le mois 13 n'existe pas"),
        ("2004-00-10", "2004-00-10 : le mois 0 n'existe pas"),
        ("demain", "« demain » n'est pas une date jj/mm/aaaa"),
        ("12/03/04", "« 12/03/04 » n'est pas une date jj/mm/aaaa"),
    ],
)
def test_a_date_that_does_not_exist_says_why(text, message):
    with pytest.raises(ValueError) as exc:
        parse_date(text)
    assert exc.value.args[0] == message


@pytest.mark.parametrize(
    "text,day",
    [
        ("29/02/2004", datetime.date(2004, 2, 29)),
        ("1/3/2004", datetime.date(2004, 3, 1)),
        ("01.03.2004", datetime.date(2004, 3, 1)),
        ("01-03-2004", datetime.date(2004, 3, 1)),
        ("2004-03-01", datetime.date(2004, 3, 1)),
    ],
)
def test_dates_as_people_write_them(text, day):
    assert parse_date(text) == day


@pytest.mark.parametrize(
    "text,message",
    [
        ("30/02/2004", "30/02/2004: this day does not exist"),
        ("12/13/2004", "12/13/2004: month 13 does not exist"),
    ],
)
def test_date_messages_in_english(text, message):
    with translation.override("en"), pytest.raises(ValueError) as exc:
        parse_date(text)
    assert exc.value.args[0] == message
