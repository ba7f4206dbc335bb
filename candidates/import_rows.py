"""Checking the rows of an imported spreadsheet once its columns are matched.

A row is refused only for its mandatory fields (name, first name, birth date of a
youth aged 16 to 25 at registration), each reason saying what is wrong. A value an
optional field cannot take ("Licence ès lettres" is read, "peut-être" is not) leaves
that field empty and puts a warning on the row, which is imported. An advisor the
mission locale does not know is kept aside for the person importing to choose
("m'assigner" or "laisser sans conseiller"). The preview also flags minors, youths
who may already be in the pool (same name, accents and case ignored, and birth date,
among those the person importing may see) and rows repeated within the file.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from datetime import date

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from reporting.exports import restore

from .enums import Availability, ContractType, Mobility
from .import_columns import FIELDS
from .import_values import AdvisorIndex, parse_date, parse_education_level, parse_yes_no
from .models import ADULT_AGE, MAX_AGE, MIN_AGE, Youth, age_on
from .services import mission_locale_advisors
from .text import normalise_name
from .validators import normalise_phone, validate_french_phone

#: Said of an optional value not read; translated only when a warning says it (most
#: rows have none: checking 50,000 rows looked it up 400,000 times).
IGNORED = gettext_lazy("valeur ignorée, champ laissé vide")
DATE_FIELDS = ("birth_date", "civis_start", "civis_end", "registered_on")
CHOICE_FIELDS = {"mobility": Mobility, "availability": Availability}
# Short names advisors write for a contract type, besides its value and its label.
CONTRACT_ALIASES = {
    "interim": ContractType.TEMPORARY,
    "travail temporaire": ContractType.TEMPORARY,
    "apprentissage": ContractType.APPRENTICESHIP,
    "professionnalisation": ContractType.PROFESSIONALISATION,
    "contrat pro": ContractType.PROFESSIONALISATION,
}


def parse_choice(enum, value: str) -> str:
    key = normalise_name(value)
    for choice_value, label in enum.choices:
        if key in (normalise_name(choice_value), normalise_name(str(label))):
            return choice_value
    raise ValueError(value)


def parse_contract_wishes(text: str) -> tuple[list[str], list[str]]:
    """'CDI, Intérim, CDII' -> (['cdi', 'temporary'], ['CDII']): the wishes read
    (values or labels, accents and case ignored, separated by commas) and the parts
    that are none."""
    from .enums import ordered_contract_wishes

    wishes, unknown = [], []
    for part in text.split(","):
        part = part.strip()
        if not part:
            continue
        alias = CONTRACT_ALIASES.get(normalise_name(part))
        if alias:
            wishes.append(alias)
            continue
        try:
            wishes.append(parse_choice(ContractType, part))
        except ValueError:
            unknown.append(part)
    return ordered_contract_wishes(wishes), unknown


def _cell(row: list, position: int | None) -> object:
    if position is None or position >= len(row):
        return ""
    value = row[position]
    # A cell the portal's export neutralised ("'=...", "'+33...") reads back as typed.
    return restore(value).strip() if isinstance(value, str) else value


def _day(value: date) -> str:
    # dd/mm/yyyy in every language (as date_format(value, "d/m/Y"), without its lookups)
    return f"{value.day:02d}/{value.month:02d}/{value.year:04d}"


class _Row:
    """One row being read: its values, the reasons to refuse it, its warnings, the name
    it gives (as written, for the preview)."""

    __slots__ = ("advisor_unknown", "errors", "line", "name", "values", "warnings")

    def __init__(self, line: int) -> None:
        self.line = line
        self.name = ""
        self.values: dict = {}
        self.errors: list[str] = []
        self.warnings: list[str] = []
        self.advisor_unknown = ""

    def fail(self, field: str, message: str) -> None:
        self.errors.append(_about(field, message))

    def warn(self, field: str, message: str) -> None:
        self.warnings.append(_about(field, message))


def _about(field: str, message: str) -> str:
    return _("%(field)s : %(message)s") % {"field": FIELDS[field].label, "message": message}


def _read_optional(row: _Row, field: str, raw, text: str, advisors: AdvisorIndex) -> None:
    """Read an optional field; a value it cannot take leaves it empty with a warning."""
    values = row.values
    ignored = IGNORED
    if field in DATE_FIELDS:
        try:
            values[field] = parse_date(raw)
        except ValueError as exc:
            row.warn(field, f"{exc.args[0]} ({ignored})")
    elif field == "education_level":
        try:
            values[field] = parse_education_level(text)
        except ValueError:
            row.warn(
                field, _("« %(v)s » non reconnu (%(ignored)s)") % {"v": text, "ignored": ignored}
            )
    elif field == "civis":
        try:
            values["civis"] = parse_yes_no(text)
        except ValueError:
            row.warn(
                field,
                _("« %(v)s » n'est ni oui ni non (%(ignored)s)") % {"v": text, "ignored": ignored},
            )
    elif field == "contract_wishes":
        wishes, unknown = parse_contract_wishes(text)
        if wishes:
            values[field] = wishes
        if unknown:
            row.warn(
                field,
                _("%(v)s inconnu, ignoré (valeurs possibles : %(choices)s)")
                % {
                    "v": ", ".join(f"« {part} »" for part in unknown),
                    "choices": ", ".join(str(label) for _v, label in ContractType.choices),
                },
            )
    elif field in CHOICE_FIELDS:
        try:
            values[field] = parse_choice(CHOICE_FIELDS[field], text)
        except ValueError:
            row.warn(
                field,
                _("« %(v)s » inconnu (%(ignored)s ; valeurs possibles : %(choices)s)")
                % {
                    "v": text,
                    "ignored": ignored,
                    "choices": ", ".join(str(lbl) for _v, lbl in CHOICE_FIELDS[field].choices),
                },
            )
    elif field == "advisor":
        advisor_id = advisors.find(text)
        if advisor_id is None:
            row.advisor_unknown = text[:254]
            row.warn(
                field,
                _("« %(v)s » n'est pas un conseiller de la mission locale : choisissez ci-dessous")
                % {"v": text},
            )
        else:
            values["advisor_id"] = advisor_id
    elif field == "email":
        try:
            validate_email(text)
            values["email"] = text.lower()
        except ValidationError:
            row.warn(
                field,
                _("« %(v)s » n'est pas une adresse e-mail valide (%(ignored)s)")
                % {"v": text, "ignored": ignored},
            )
    elif field == "phone":
        if isinstance(raw, int | float) and math.isfinite(raw):
            text = str(int(raw))
        if text.isdigit() and len(text) == 9 and text[0] != "0":
            text = f"0{text}"  # Excel drops the leading zero of numbers
        try:
            validate_french_phone(text)
            values["phone"] = normalise_phone(text)
        except ValidationError as exc:
            row.warn(field, f"{exc.messages[0]} ({ignored})")
    elif field == "postcode":
        text = text.split(".")[0]
        if text.isdigit() and len(text) == 4:
            text = f"0{text}"
        if text.isdigit() and len(text) == 5:
            values["postcode"] = text
        else:
            row.warn(
                field,
                _("« %(v)s » n'est pas un code postal à cinq chiffres (%(ignored)s)")
                % {"v": text, "ignored": ignored},
            )
    else:
        max_length = Youth._meta.get_field(field).max_length
        if max_length and len(text) > max_length:
            row.warn(
                field,
                _("trop long (%(max)s caractères au plus ; %(ignored)s)")
                % {"max": max_length, "ignored": ignored},
            )
        else:
            values[field] = text


def _read_row(line: int, cells: list, positions: dict, advisors: AdvisorIndex, today: date) -> _Row:
    row = _Row(line)
    row.name = " ".join(
        str(_cell(cells, positions.get(f))) for f in ("first_name", "last_name")
    ).strip()
    values = row.values
    for field, column in FIELDS.items():
        raw = _cell(cells, positions.get(field))
        if raw in ("", None):
            if column.required:
                row.fail(field, _("obligatoire"))
            continue
        text = str(raw).strip()
        if field == "birth_date":
            try:
                values[field] = parse_date(raw)
            except ValueError as exc:
                row.fail(field, exc.args[0])
        elif column.required:
            max_length = Youth._meta.get_field(field).max_length
            if len(text) > max_length:
                row.fail(field, _("trop long (%(max)s caractères au plus)") % {"max": max_length})
            else:
                values[field] = text
        else:
            _read_optional(row, field, raw, text, advisors)
    if values.get("registered_on") and values["registered_on"] > today:
        row.warn(
            "registered_on", _("la date ne peut pas être dans le futur (date du jour retenue)")
        )
        del values["registered_on"]
    registered_on = values.get("registered_on", today)
    birth = values.get("birth_date")
    if birth:
        if birth > today:
            row.fail("birth_date", _("né·e le %(day)s : date dans le futur") % {"day": _day(birth)})
        else:
            age = age_on(birth, registered_on)
            if not MIN_AGE <= age <= MAX_AGE:
                row.fail(
                    "birth_date",
                    _("né·e le %(day)s : %(age)s ans, hors des %(min)s-%(max)s ans")
                    % {"day": _day(birth), "age": age, "min": MIN_AGE, "max": MAX_AGE},
                )
    civis = values.pop("civis", None)
    if civis and not values.get("civis_start"):
        values["civis_start"] = registered_on
        row.warn(
            "civis",
            _("« oui » sans date de début : début fixé à la date d'inscription (%(day)s)")
            % {"day": _day(registered_on)},
        )
    elif civis is False and values.get("civis_start"):
        row.warn("civis", _("« non » mais une date de début de CIVIS : la date est gardée"))
    if values.get("civis_start") and values.get("civis_end"):
        if values["civis_end"] < values["civis_start"]:
            row.warn(
                "civis_end", _("la fin du contrat CIVIS précède son début (champ laissé vide)")
            )
            del values["civis_end"]
    return row


def _serialise(values: dict) -> dict:
    return {k: v.isoformat() if isinstance(v, date) else v for k, v in values.items()}


def validate_rows(
    *, positions: dict[str, int], rows: Iterable[tuple[int, list]], mission_locale, user=None
) -> tuple[list[dict], list[dict], list[dict]]:
    """Check every row: (rows to import, refused rows with their reasons, rows of youths
    already in this mission locale). `positions` maps a field to its column. The rows to
    import carry their warnings, `advisor_unknown`, `minor_age` and the possible
    duplicates (`duplicates`: youths `user` may see elsewhere; `file_duplicates`: lines
    repeating it). Reads the database a fixed number of times, whatever the size. `rows`
    is read once, in order: a caller may hand over rows it lets go as they are read."""
    today = timezone.localdate()
    advisors = AdvisorIndex(
        mission_locale_advisors(mission_locale).values_list(
            "pk", "email", "first_name", "last_name"
        )
    )
    parsed = [_read_row(line, cells, positions, advisors, today) for line, cells in rows]
    # Each readable row's name and birth date key, computed once.
    row_keys = [
        None
        if row.errors
        else (
            normalise_name(row.values["last_name"], row.values["first_name"]),
            row.values["birth_date"],
        )
        for row in parsed
    ]
    keys = set(row_keys)
    keys.discard(None)
    pool = Youth.objects.filter(mission_locale=mission_locale)
    if user is not None:
        pool = pool | Youth.objects.visible_to(user)
    known: dict[tuple, list[tuple[int, int]]] = {}
    matches = pool.filter(
        birth_date__in={k[1] for k in keys}, search_name__in={k[0] for k in keys}
    ).values_list("pk", "mission_locale_id", "search_name", "birth_date")
    for pk, ml_id, search_name, birth_date in matches.order_by("pk"):
        known.setdefault((search_name, birth_date), []).append((pk, ml_id))

    valid, rejected, present = [], [], []
    first_seen: dict[tuple, dict] = {}
    for index in range(len(parsed)):
        # Each checked row is let go once its entry is built: the rows, their checks
        # and the entries of a 50,000-row file are never all held at once.
        row, key = parsed[index], row_keys[index]
        parsed[index] = None
        name = row.name
        if row.errors:
            rejected.append({"line": row.line, "name": name[:210], "reasons": row.errors})
            continue
        if key in first_seen:
            first = first_seen[key]
            first.setdefault("file_duplicates", []).append(row.line)
            rejected.append(
                {
                    "line": row.line,
                    "name": name,
                    "reasons": [
                        _("Doublon de la ligne %(line)s du fichier") % {"line": first["line"]}
                    ],
                }
            )
            continue
        here = [pk for pk, ml_id in known.get(key, []) if ml_id == mission_locale.pk]
        if here:
            entry = {"line": row.line, "name": name, "present": True, "youth": here[0]}
            present.append(entry)
            first_seen[key] = entry
            continue
        entry = {"line": row.line, **_serialise(row.values)}
        if row.warnings:
            entry["warnings"] = row.warnings
        if row.advisor_unknown:
            entry["advisor_unknown"] = row.advisor_unknown
        age = age_on(row.values["birth_date"], today)
        if age < ADULT_AGE:
            entry["minor_age"] = age
        elsewhere = [pk for pk, _ml in known.get(key, [])]
        if elsewhere:
            entry["duplicates"] = elsewhere
        first_seen[key] = entry
        valid.append(entry)
    return valid, rejected, present
