"""Import of an existing pool from the advisors' spreadsheets.

Files come as French Excel writes them: CSV with semicolons, in UTF-8 (with or without
BOM) or Windows-1252, dates as dd/mm/yyyy; or XLSX. The preview rejects each bad row
with its line number and the reason; confirmation imports the valid rows. A youth
already in the mission locale (same name, accents and case ignored, and birth date)
is never created twice, so importing the same file again adds nothing.

Reading is bounded whatever the file: at most MAX_BYTES uploaded, an XLSX refused by
the shared zip-bomb guard (`accounts.uploads.check_archive`, with a tighter total for
what openpyxl will parse) before openpyxl opens it, at most MAX_ROWS non-empty rows,
MAX_LINES lines read (empty ones included) and MAX_COLUMNS columns; an XLSX part of at
most MAX_XML_TAGS tags, rows of at most MAX_ROW_XML of XML, MAX_READ_SECONDS of
reading. A damaged file is refused with a message, never an error page.
"""

from __future__ import annotations

import csv
import hashlib
import io
import math
import re
import time
import zipfile
import zlib
from dataclasses import dataclass
from datetime import date, datetime
from xml.etree.ElementTree import ParseError

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Organisation, User
from accounts.uploads import MB, ZIP_MAGIC, ArchiveLimits, check_archive
from reporting.exports import restore

from .enums import (
    Availability,
    ContractType,
    EducationLevel,
    ImportStatus,
    Mobility,
    ordered_contract_wishes,
)
from .models import ImportBatch, Youth
from .services import check_birth_date, mission_locale_advisors, register_youths
from .text import normalise_name
from .validators import normalise_phone, validate_french_phone

MAX_BYTES = 5 * MB
#: Non-empty rows under the titles.
MAX_ROWS = 5000
#: Lines read, empty ones included: past this the file is refused rather than read on
#: (a sheet may declare a million empty rows, a CSV hold millions of line breaks).
MAX_LINES = 10 * MAX_ROWS
#: Columns read in each row; the titles sit in the first ones.
MAX_COLUMNS = 100
#: What openpyxl may have to parse: an XLSX of MAX_ROWS full rows holds about 5 MB of
#: XML, so 25 MB leaves room and keeps a worker's memory safe.
XLSX_LIMITS = ArchiveLimits(max_entry_size=25 * MB, max_total_size=25 * MB)
#: openpyxl holds a whole row in memory (about 1 KB per cell): a row may not take more
#: XML than this. Excel's widest row, 16,384 cells, takes about 1 MB.
MAX_ROW_XML = 1 * MB
#: Tags in one XML part of an XLSX: MAX_ROWS rows of MAX_COLUMNS cells as Excel writes
#: them (`<c><v></v></c>`, four tags a cell), and some room. openpyxl reads about
#: 400,000 tags a second.
MAX_XML_TAGS = 5 * MAX_ROWS * MAX_COLUMNS
#: Reading the rows may not take longer.
MAX_READ_SECONDS = 10


@dataclass(frozen=True)
class Column:
    field: str
    header: str
    required: bool = False
    aliases: tuple[str, ...] = ()


# The export writes the same headers, so an exported list can be imported elsewhere.
COLUMNS = (
    Column("last_name", "Nom", True, ("nom de famille",)),
    Column("first_name", "Prénom", True, ("prenom",)),
    Column("birth_date", "Date de naissance", True, ("naissance", "date naissance", "ddn")),
    Column("email", "E-mail", aliases=("email", "courriel", "mail", "adresse e-mail")),
    Column("phone", "Téléphone", aliases=("tel", "telephone", "portable")),
    Column("postcode", "Code postal", aliases=("cp",)),
    Column("city", "Commune", aliases=("ville",)),
    Column("education_level", "Niveau de formation", aliases=("niveau", "diplome")),
    Column("previous_sector", "Secteur précédent", aliases=("secteur",)),
    Column("skills", "Compétences", aliases=("competences transferables",)),
    Column("mobility", "Mobilité"),
    Column("availability", "Disponibilité"),
    Column(
        "contract_wishes",
        "Contrats souhaités",
        aliases=("contrats", "contrat souhaite", "contrats recherches", "souhaits de contrat"),
    ),
    Column("civis_start", "Début CIVIS", aliases=("debut civis", "civis debut")),
    Column("civis_end", "Fin CIVIS", aliases=("civis fin",)),
    Column("advisor", "Conseiller (e-mail)", aliases=("conseiller", "email conseiller")),
    Column("registered_on", "Date d'inscription", aliases=("inscription", "inscrit le")),
)
DATE_FIELDS = ("birth_date", "civis_start", "civis_end", "registered_on")
CHOICE_FIELDS = {
    "education_level": EducationLevel,
    "mobility": Mobility,
    "availability": Availability,
}


# Short names advisors write for a contract type, besides its value and its label.
CONTRACT_ALIASES = {
    "interim": ContractType.TEMPORARY,
    "travail temporaire": ContractType.TEMPORARY,
    "apprentissage": ContractType.APPRENTICESHIP,
    "professionnalisation": ContractType.PROFESSIONALISATION,
    "contrat pro": ContractType.PROFESSIONALISATION,
}


def parse_contract_wishes(text: str) -> list[str]:
    """'CDI, Intérim' -> ['cdi', 'temporary'] (values or labels, accents and case
    ignored, separated by commas). Raises ValueError with the unknown parts."""
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
            wishes.append(_parse_choice(ContractType, part))
        except ValueError:
            unknown.append(part)
    if unknown:
        raise ValueError(unknown)
    return ordered_contract_wishes(wishes)


class ImportFileError(Exception):
    """The file cannot be read at all: the message says why, in French."""


def _header_key(text: str) -> str:
    return normalise_name(str(text or "").replace("(", " ").replace(")", " "))


_HEADER_INDEX = {}
for _column in COLUMNS:
    for _name in (_column.header, *_column.aliases):
        _HEADER_INDEX[_header_key(_name)] = _column


def _decode(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ImportFileError(
            _(
                "Encodage UTF-16 non pris en charge : enregistrez le fichier au format "
                "« CSV UTF-8 (délimité par des points-virgules) » ou en XLSX."
            )
        )
    # Anywhere in the file, not only at its start: PostgreSQL stores no NUL character.
    if b"\x00" in data:
        raise ImportFileError(_("Ce fichier n'est ni un CSV ni un XLSX lisible (contenu binaire)."))
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        raise ImportFileError(
            _(
                "Encodage du fichier non reconnu : enregistrez-le au format CSV UTF-8 ou "
                "CSV (Windows) avec des points-virgules."
            )
        ) from None


def _is_blank(row) -> bool:
    return all(cell is None or not str(cell).strip() for cell in row)


def _keep_rows(numbered_rows) -> list[tuple[int, list]]:
    """The non-empty rows (cut to MAX_COLUMNS) with their line numbers. Stops as soon
    as the titles and MAX_ROWS rows are passed (the caller refuses the file) and
    refuses a file of more than MAX_LINES lines: never a silent cut, never an endless
    read."""
    rows = []
    deadline = time.monotonic() + MAX_READ_SECONDS
    for line_no, row in numbered_rows:
        if time.monotonic() > deadline:
            raise ImportFileError(
                _(
                    "La lecture de ce fichier prend trop de temps : réenregistrez-le depuis "
                    "Excel ou découpez-le en plusieurs fichiers."
                )
            )
        if line_no > MAX_LINES:
            raise ImportFileError(
                _(
                    "Le fichier compte plus de %(max)s lignes (lignes vides comprises) : "
                    "supprimez les lignes vides ou découpez-le en plusieurs fichiers."
                )
                % {"max": MAX_LINES}
            )
        row = row[:MAX_COLUMNS]
        if row.count(None) == len(row) or _is_blank(row):
            continue
        width = len(row)
        while row[width - 1] is None:  # a sheet pads its rows to its widest one
            width -= 1
        rows.append((line_no, ["" if cell is None else cell for cell in row[:width]]))
        if len(rows) > MAX_ROWS + 1:
            break
    return rows


def _read_csv(data: bytes) -> list[tuple[int, list]]:
    text = _decode(data)
    first_line = text.split("\n", 1)[0]
    delimiter = max((";", ",", "\t"), key=first_line.count)
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        return _keep_rows(enumerate(reader, 1))
    except csv.Error as exc:
        raise ImportFileError(
            _("Le fichier CSV est mal formé (ligne %(line)s).") % {"line": reader.line_num}
        ) from exc


# What openpyxl raises on a damaged workbook: a broken archive or deflate stream (or a
# local header asking for a zip feature Python refuses: NotImplementedError, or a
# password: RuntimeError), XML that does not parse, a part or shared string that is
# missing, a value of the wrong type. Reading is lazy, so these come from the rows as
# well as from opening.
_XLSX_DAMAGE = (
    zipfile.BadZipFile,
    zlib.error,
    NotImplementedError,
    RuntimeError,
    ParseError,
    EOFError,
    KeyError,
    IndexError,
    ValueError,
    TypeError,
    AttributeError,
    OSError,
)


def _damaged_xlsx_message() -> str:
    return _("Ce fichier XLSX est illisible ou abîmé : réenregistrez-le depuis Excel.")


_ROW_START = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?row[\s>/]")


def _check_xml_parts(data: bytes) -> None:
    """Refuse a workbook that would keep openpyxl busy or fill the memory although
    `check_archive` let it through: a part with more than MAX_XML_TAGS tags (openpyxl
    spends a few microseconds on each, and reads a sheet twice when it does not state
    its dimensions), or a sheet row longer than MAX_ROW_XML (openpyxl builds a whole row
    in memory: one row of a million cells takes 850 MB). The parts are read whole, which
    `check_archive` has bounded; counting runs at the speed of the C byte functions."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for info in archive.infolist():
            if not (info.filename.startswith("xl/") and info.filename.endswith(".xml")):
                continue
            xml = archive.read(info)
            if xml.count(b"<") > MAX_XML_TAGS:
                raise ImportFileError(
                    _(
                        "Ce fichier contient trop de cellules pour être importé (plus de "
                        "%(rows)s lignes de %(columns)s colonnes) : supprimez les colonnes "
                        "inutiles ou découpez-le en plusieurs fichiers."
                    )
                    % {"rows": MAX_ROWS, "columns": MAX_COLUMNS}
                )
            if not info.filename.startswith("xl/worksheets/"):
                continue
            end = xml.rfind(b"sheetData>")
            starts = [match.start() for match in _ROW_START.finditer(xml)]
            if not starts:
                continue
            stops = [*starts[1:], max(end, starts[-1])]
            if any(stop - start > MAX_ROW_XML for start, stop in zip(starts, stops, strict=True)):
                raise ImportFileError(
                    _(
                        "Une ligne de ce fichier est anormalement longue (plus de 16 384 "
                        "cellules) : réenregistrez-le depuis Excel."
                    )
                )


def _read_xlsx(data: bytes) -> list[tuple[int, list]]:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    # Before openpyxl touches the archive: a 1 MB upload may unpack to gigabytes.
    try:
        check_archive(data, limits=XLSX_LIMITS)
    except ValidationError as exc:
        if exc.code == "archive_damaged":
            raise ImportFileError(_damaged_xlsx_message()) from exc
        raise ImportFileError(exc.messages[0]) from exc
    try:
        _check_xml_parts(data)
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            if not workbook.worksheets:
                raise ImportFileError(_("Ce fichier XLSX ne contient aucune feuille."))
            sheet = workbook.worksheets[0]
            # The declared dimensions may claim a million rows or 16,384 columns:
            # read what is there, up to MAX_COLUMNS.
            sheet.reset_dimensions()
            rows = _keep_rows(enumerate(sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS), 1))
        finally:
            workbook.close()
    except (InvalidFileException, *_XLSX_DAMAGE) as exc:
        raise ImportFileError(_damaged_xlsx_message()) from exc
    return rows


def read_spreadsheet(data: bytes, file_name: str) -> tuple[dict[str, int], list[tuple[int, list]]]:
    """The column positions and the data rows (with their line numbers) of a file.

    Raises ImportFileError with a French message when the file cannot be used at all.
    """
    if not data or not data.strip():
        raise ImportFileError(_("Le fichier est vide."))
    if len(data) > MAX_BYTES:
        raise ImportFileError(
            _("Le fichier dépasse %(mb)s Mo : découpez-le en plusieurs fichiers.")
            % {"mb": MAX_BYTES // (1024 * 1024)}
        )
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise ImportFileError(
            _(
                "Le format .xls (Excel 97-2003) n'est pas pris en charge : enregistrez en XLSX ou CSV."
            )
        )
    if data.startswith(ZIP_MAGIC) or file_name.lower().endswith(".xlsx"):
        rows = _read_xlsx(data)
    else:
        rows = _read_csv(data)
    if not rows:
        raise ImportFileError(_("Le fichier est vide."))
    header_line, header = rows[0]
    positions: dict[str, int] = {}
    for index, title in enumerate(header):
        column = _HEADER_INDEX.get(_header_key(title))
        if column and column.field not in positions:
            positions[column.field] = index
    missing = [c.header for c in COLUMNS if c.required and c.field not in positions]
    if missing:
        raise ImportFileError(
            _(
                "Colonnes obligatoires manquantes : %(missing)s. La première ligne doit porter les titres des colonnes (%(expected)s)."
            )
            % {
                "missing": ", ".join(missing),
                "expected": ", ".join(c.header for c in COLUMNS),
            }
        )
    data_rows = rows[1:]
    if not data_rows:
        raise ImportFileError(_("Le fichier ne contient aucune ligne de jeune sous les titres."))
    if len(data_rows) > MAX_ROWS:
        raise ImportFileError(
            _("Le fichier dépasse %(max)s lignes : découpez-le en plusieurs fichiers.")
            % {"max": MAX_ROWS}
        )
    return positions, data_rows


def _parse_date(value) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    for fmt in ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y"):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(text)


def _parse_choice(enum, value: str) -> str:
    key = normalise_name(value)
    for choice_value, label in enum.choices:
        if key in (normalise_name(choice_value), normalise_name(str(label))):
            return choice_value
    raise ValueError(value)


def _cell(row: list, position: int | None) -> object:
    if position is None or position >= len(row):
        return ""
    value = row[position]
    # A cell the portal's export neutralised ("'=...", "'+33...") reads back as typed.
    return restore(value).strip() if isinstance(value, str) else value


def validate_rows(
    *, positions: dict[str, int], rows: list[tuple[int, list]], mission_locale: Organisation
) -> tuple[list[dict], list[dict], list[dict]]:
    """Check every row: (valid rows ready to save, rejected rows with their reasons,
    rows of youths already in the pool). Reads the database twice, whatever the size."""
    today = timezone.localdate()
    advisors = {
        email.lower(): pk
        for pk, email in mission_locale_advisors(mission_locale).values_list("pk", "email")
    }
    labels = {c.field: c.header for c in COLUMNS}
    parsed = []
    for line_no, row in rows:
        values: dict = {}
        errors: list[str] = []

        def fail(field, message, values=values, errors=errors):
            errors.append(f"{labels[field]} : {message}")

        for column in COLUMNS:
            raw = _cell(row, positions.get(column.field))
            if raw in ("", None):
                if column.required:
                    fail(column.field, _("obligatoire"))
                continue
            if column.field in DATE_FIELDS:
                try:
                    values[column.field] = _parse_date(raw)
                except ValueError:
                    fail(column.field, _("« %(v)s » n'est pas une date jj/mm/aaaa") % {"v": raw})
                continue
            text = str(raw).strip()
            if column.field == "contract_wishes":
                try:
                    values["contract_wishes"] = parse_contract_wishes(text)
                except ValueError as exc:
                    fail(
                        "contract_wishes",
                        _(
                            "%(v)s inconnu (valeurs possibles, séparées par des virgules : %(choices)s)"
                        )
                        % {
                            "v": ", ".join(f"« {part} »" for part in exc.args[0]),
                            "choices": ", ".join(str(label) for _v, label in ContractType.choices),
                        },
                    )
            elif column.field in CHOICE_FIELDS:
                try:
                    values[column.field] = _parse_choice(CHOICE_FIELDS[column.field], text)
                except ValueError:
                    fail(
                        column.field,
                        _("« %(v)s » inconnu (valeurs possibles : %(choices)s)")
                        % {
                            "v": text,
                            "choices": ", ".join(
                                str(lbl) for _v, lbl in CHOICE_FIELDS[column.field].choices
                            ),
                        },
                    )
            elif column.field == "advisor":
                advisor_id = advisors.get(text.lower())
                if advisor_id is None:
                    fail(
                        "advisor",
                        _("« %(v)s » n'est pas un conseiller de la mission locale") % {"v": text},
                    )
                else:
                    values["advisor_id"] = advisor_id
            elif column.field == "email":
                try:
                    validate_email(text)
                    values["email"] = text.lower()
                except ValidationError:
                    fail("email", _("« %(v)s » n'est pas une adresse e-mail valide") % {"v": text})
            elif column.field == "phone":
                if isinstance(raw, (int, float)) and math.isfinite(raw):
                    text = f"0{int(raw)}"  # Excel drops the leading zero of numbers
                try:
                    validate_french_phone(text)
                    values["phone"] = normalise_phone(text)
                except ValidationError as exc:
                    fail("phone", exc.messages[0])
            elif column.field == "postcode":
                text = text.split(".")[0]
                if text.isdigit() and len(text) == 4:
                    text = f"0{text}"
                if not (text.isdigit() and len(text) == 5):
                    fail(
                        "postcode",
                        _("« %(v)s » n'est pas un code postal à cinq chiffres") % {"v": text},
                    )
                else:
                    values["postcode"] = text
            else:
                max_length = Youth._meta.get_field(column.field).max_length
                if max_length and len(text) > max_length:
                    fail(
                        column.field,
                        _("trop long (%(max)s caractères au plus)") % {"max": max_length},
                    )
                values[column.field] = text
        registered_on = values.get("registered_on", today)
        if registered_on > today:
            fail("registered_on", _("la date ne peut pas être dans le futur"))
        if "birth_date" in values:
            try:
                check_birth_date(values["birth_date"], registered_on)
            except ValidationError as exc:
                fail("birth_date", exc.message_dict["birth_date"][0])
        if (
            values.get("civis_start")
            and values.get("civis_end")
            and values["civis_end"] < values["civis_start"]
        ):
            fail("civis_end", _("la fin du contrat CIVIS précède son début"))
        name = " ".join(
            str(_cell(row, positions.get(f))) for f in ("first_name", "last_name")
        ).strip()
        parsed.append((line_no, name, values, errors))

    keys = {
        (normalise_name(v.get("last_name", ""), v.get("first_name", "")), v.get("birth_date"))
        for _n, _name, v, e in parsed
        if not e
    }
    existing = set(
        Youth.objects.filter(
            mission_locale=mission_locale, birth_date__in={k[1] for k in keys}
        ).values_list("search_name", "birth_date")
    )
    valid, rejected, present = [], [], []
    seen: dict[tuple, int] = {}
    for line_no, name, values, errors in parsed:
        if errors:
            rejected.append({"line": line_no, "name": name, "reasons": errors})
            continue
        key = (normalise_name(values["last_name"], values["first_name"]), values["birth_date"])
        if key in seen:
            rejected.append(
                {
                    "line": line_no,
                    "name": name,
                    "reasons": [_("Doublon de la ligne %(line)s du fichier") % {"line": seen[key]}],
                }
            )
            continue
        seen[key] = line_no
        if key in existing:
            present.append({"line": line_no, "name": name})
            continue
        valid.append(
            {
                "line": line_no,
                **{k: v.isoformat() if isinstance(v, date) else v for k, v in values.items()},
            }
        )
    return valid, rejected, present


@transaction.atomic
def preview_import(
    *, mission_locale: Organisation, author: User, file_name: str, data: bytes
) -> ImportBatch:
    """Read and check a file; keep the valid rows for confirmation. Nothing is imported
    yet. Raises ImportFileError (nothing saved) when the file is unusable."""
    positions, rows = read_spreadsheet(data, file_name)
    valid, rejected, present = validate_rows(
        positions=positions, rows=rows, mission_locale=mission_locale
    )
    return ImportBatch.objects.create(
        mission_locale=mission_locale,
        uploaded_by=author,
        file_name=file_name[:255],
        file_sha256=hashlib.sha256(data).hexdigest(),
        valid_rows=valid,
        rejected_rows=rejected
        + [{"line": p["line"], "name": p["name"], "present": True} for p in present],
        skipped_count=len(present),
    )


@transaction.atomic
def confirm_import(*, batch: ImportBatch, author: User) -> ImportBatch:
    """Create the youths of a previewed file's valid rows. A youth who entered the pool
    since the preview (same name and birth date) is skipped, never duplicated; a
    batch is confirmed once. The rows were checked at preview; `register_youths`
    checks them again and refuses the whole batch (nothing saved) if one went wrong. A
    preview whose rows the retention job emptied (30 days on) cannot be confirmed."""
    batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    if not batch.is_previewed:
        raise ValidationError(_("Cet import a déjà été confirmé."))
    if batch.rows_purged_at is not None:
        raise ValidationError(
            _(
                "Cet aperçu a plus de 30 jours : ses lignes ont été effacées. Importez le fichier à nouveau."
            )
        )
    rows = []
    for row in batch.valid_rows:
        fields = {k: v for k, v in row.items() if k != "line"}
        for name in DATE_FIELDS:
            if fields.get(name):
                fields[name] = date.fromisoformat(fields[name])
        rows.append(fields)
    created = register_youths(author=author, mission_locale=batch.mission_locale, rows=rows)
    batch.status = ImportStatus.CONFIRMED
    batch.confirmed_at = timezone.now()
    batch.created_count = len(created)
    batch.skipped_count += len(rows) - len(created)
    batch.save(update_fields=["status", "confirmed_at", "created_count", "skipped_count"])
    return batch
