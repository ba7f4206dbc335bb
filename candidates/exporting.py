"""The advisor's filtered list, with the import's column titles (written as CSV or XLSX
by the portal's one export writer, `reporting.exports`). Everything held about one youth
(the subject's access request) is `subject_export.py`, from the personal-data registry."""

from __future__ import annotations

from .importing import COLUMNS

EXTRA_HEADERS = ("Étape du parcours", "Dernier entretien", "Résultat de la dernière évaluation")


def export_rows(youths):
    """The header, then one row per youth (iterates in chunks, no per-row query). Values
    stay as they are (dates as dates): the export writer formats and neutralises them."""
    yield [c.header for c in COLUMNS] + list(EXTRA_HEADERS)
    for youth in youths.iterator(chunk_size=2000):
        yield [
            youth.last_name,
            youth.first_name,
            youth.birth_date,
            youth.email,
            youth.phone,
            youth.postcode,
            youth.city,
            youth.get_education_level_display(),
            youth.previous_sector,
            youth.skills,
            youth.get_mobility_display(),
            youth.get_availability_display(),
            youth.get_contract_wishes_display(),
            youth.civis_start,
            youth.civis_end,
            youth.advisor.email if youth.advisor else "",
            youth.registered_on,
            youth.get_current_stage_display(),
            youth.last_contact_on,
            youth.get_last_assessment_outcome_display(),
        ]
