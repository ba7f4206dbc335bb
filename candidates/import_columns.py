"""Which field each column of an imported spreadsheet holds.

Mission locales name their columns as they please ("NOM DE NAISSANCE", "Date naiss.",
"Tél portable", "Référent"). A title is first normalised (no accents, lower case,
punctuation as spaces), then looked up in the mission locale's remembered mapping
(what someone chose at its last import), then in the exact names below, then matched
against the rules of `GUESSES`, in order. The person importing sees every column with
its proposed field and may change each one; a column left without a field is shown as
ignored, never dropped silently. docs/candidates.md lists the rules.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from .models import ImportMapping
from .text import normalise_name


@dataclass(frozen=True)
class Column:
    field: str
    header: str
    required: bool = False
    aliases: tuple[str, ...] = ()
    label: str = ""


# The export writes the same headers, so an exported list can be imported elsewhere.
COLUMNS = (
    Column("last_name", "Nom", True, ("nom de famille",), _("Nom")),
    Column("first_name", "Prénom", True, ("prenom",), _("Prénom")),
    Column(
        "birth_date",
        "Date de naissance",
        True,
        ("naissance", "date naissance", "ddn"),
        _("Date de naissance"),
    ),
    Column(
        "email",
        "E-mail",
        aliases=("email", "courriel", "mail", "adresse e-mail"),
        label=_("E-mail"),
    ),
    Column("phone", "Téléphone", aliases=("tel", "telephone", "portable"), label=_("Téléphone")),
    Column("postcode", "Code postal", aliases=("cp",), label=_("Code postal")),
    Column("city", "Commune", aliases=("ville",), label=_("Commune")),
    Column(
        "education_level",
        "Niveau de formation",
        aliases=("niveau", "diplome"),
        label=_("Niveau de formation"),
    ),
    Column(
        "previous_sector", "Secteur précédent", aliases=("secteur",), label=_("Secteur précédent")
    ),
    Column("skills", "Compétences", aliases=("competences transferables",), label=_("Compétences")),
    Column("mobility", "Mobilité", label=_("Mobilité")),
    Column("availability", "Disponibilité", label=_("Disponibilité")),
    Column(
        "contract_wishes",
        "Contrats souhaités",
        aliases=("contrats", "contrat souhaite", "contrats recherches", "souhaits de contrat"),
        label=_("Contrats souhaités"),
    ),
    Column(
        "civis_start", "Début CIVIS", aliases=("debut civis", "civis debut"), label=_("Début CIVIS")
    ),
    Column("civis_end", "Fin CIVIS", aliases=("civis fin",), label=_("Fin CIVIS")),
    Column(
        "advisor",
        "Conseiller (e-mail)",
        aliases=("conseiller", "email conseiller"),
        label=_("Conseiller (e-mail ou nom)"),
    ),
    Column(
        "registered_on",
        "Date d'inscription",
        aliases=("inscription", "inscrit le"),
        label=_("Date d'inscription"),
    ),
)
#: Fields an import reads that the export does not write: "CIVIS: oui/non".
IMPORT_ONLY = (Column("civis", "CIVIS", aliases=("civis",), label=_("CIVIS (oui/non)")),)
FIELDS = {column.field: column for column in (*COLUMNS, *IMPORT_ONLY)}
REQUIRED = tuple(c.field for c in COLUMNS if c.required)

# Rules tried in order on the normalised title (a space added at both ends). The order
# settles the overlaps: "Nom de naissance" is a name, "Date de naissance" a birth date,
# "Mail du conseiller" an advisor, "Début CIVIS" a date, "CIVIS" a yes/no.
GUESSES: tuple[tuple[str, str], ...] = (
    ("civis_end", r" fin\b.* civis | civis\b.* fin "),
    ("civis_start", r" (debut|entree|date|signature)\b.* civis | civis\b.* (debut|entree|date) "),
    ("civis", r" civis "),
    ("advisor", r" (conseill\w*|referent\w*|cons|cnsl|accompagnat\w*|suivi par|charge de suivi) "),
    ("last_name", r"^ nom (?!.*prenom)| patronyme | (last name|surname|nom de famille) "),
    ("first_name", r" prenoms? | first name "),
    ("birth_date", r" naiss\w* | ddn | nee? (e )?le | date de n | birth"),
    ("registered_on", r" inscri\w* | (1er|premier) accueil | date d entree "),
    ("email", r" (e ?mail|mail|courriel|mel|adresse electronique) "),
    ("phone", r" (tel\w*|portable|mobile|gsm|numero) "),
    ("postcode", r" (cp|code postal|code post|postal) "),
    ("city", r" (ville|commune|localite) "),
    ("education_level", r" (niveau|niv|diplome\w*|scolarite|etudes|formation) "),
    ("previous_sector", r" (secteur|experience|metier precedent) "),
    ("skills", r" competences? "),
    ("mobility", r" (mobilite|permis|vehicule) "),
    ("availability", r" dispo\w* "),
    ("contract_wishes", r" (contrats?|souhaits?) "),
)
_GUESSES = tuple((field, re.compile(pattern)) for field, pattern in GUESSES)
_PUNCTUATION = re.compile(r"[^\w\s]+")
_NAMES = ("last_name", "first_name")
_BOTH_NAMES = re.compile(r" nom\b.* prenoms? | prenoms?\b.* nom ")


def header_key(text) -> str:
    """'Date naiss.' -> 'date naiss', 'N° Tél.' -> 'n tel', 'E-mail' -> 'e mail': the
    form a title is remembered and matched under."""
    text = _PUNCTUATION.sub(" ", str(text or "").replace("°", " "))
    return normalise_name(text.replace("_", " "))


_EXACT = {header_key(name): c.field for c in FIELDS.values() for name in (c.header, *c.aliases)}


def guess_field(title) -> str:
    """The field a column title most likely holds, "" when none fits."""
    key = header_key(title)
    if not key:
        return ""
    if key in _EXACT:
        return _EXACT[key]
    spaced = f" {key} "
    for field, pattern in _GUESSES:
        if pattern.search(spaced):
            if field in _NAMES and _BOTH_NAMES.search(spaced):
                return ""  # "Nom Prénom" in one column: no field holds both
            return field
    return ""


def remembered_columns(mission_locale_id: int) -> dict[str, str]:
    """The titles a mission locale's last imports matched (normalised title -> field)."""
    mapping = ImportMapping.objects.filter(mission_locale_id=mission_locale_id).first()
    return dict(mapping.columns) if mapping else {}


def propose_columns(headers: list, remembered: dict[str, str]) -> list[str]:
    """A field (or "") for each title: the mission locale's own choice for that title
    first, then the guess. A field goes to its first column only: a later column
    proposing it again is proposed as ignored, and the person importing decides."""
    taken: set[str] = set()
    proposed = []
    for title in headers:
        key = header_key(title)
        field = remembered[key] if key in remembered else guess_field(title)
        if field not in FIELDS or field in taken:
            field = ""
        if field:
            taken.add(field)
        proposed.append(field)
    return proposed


def header_score(row: list) -> int:
    """How many distinct fields a row's cells look like titles of: the titles row of a
    sheet is the first with the best score (a title or a note may sit above it)."""
    return len({guess_field(cell) for cell in row} - {""})
