"""A youth's subject export (right of access, GDPR article 15) in its three forms: the
page, the JSON, and a ZIP holding the JSON, one CSV per section (written by the portal's
one export writer, `reporting.exports`, which neutralises formulas) and a PDF summary
with one page per section (rendered by `reporting.pdf`, WeasyPrint).

What goes in is the registry's (`personal_data_registry.build_sections`): every app's
section, one query each."""

from __future__ import annotations

import datetime
import io
import json
import zipfile
from dataclasses import dataclass

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from reporting.exports import csv_bytes
from reporting.pdf import render_pdf

from .personal_data_registry import Section, build_sections

JSON_NAME = "donnees.json"
PDF_NAME = "synthese.pdf"


def json_value(value):
    """A value as JSON carries it: dates in ISO 8601, moments in Paris time."""
    if isinstance(value, datetime.datetime):
        return (
            timezone.localtime(value).isoformat() if timezone.is_aware(value) else value.isoformat()
        )
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, list):
        return [json_value(v) for v in value]
    return value


def display_value(value) -> str:
    """A value as a person reads it on the page and in the PDF (dd/mm/yyyy, Paris time)."""
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, bool):
        return _("oui") if value else _("non")
    if isinstance(value, datetime.datetime):
        return date_format(
            timezone.localtime(value) if timezone.is_aware(value) else value, "d/m/Y H:i"
        )
    if isinstance(value, datetime.date):
        return date_format(value, "d/m/Y")
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


def _cell(value):
    """A value as the CSV writer takes it: dates stay dates (it writes dd/mm/yyyy)."""
    if isinstance(value, bool):
        return _("oui") if value else _("non")
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return value


@dataclass(frozen=True)
class ShownSection:
    """A section ready for a template: its title, labels and values as text (no query
    and no formatting left to the template)."""

    key: str
    title: str
    labels: list[str]
    rows: list[list[str]]
    single: bool

    @property
    def fields(self) -> list[tuple[str, str]]:
        """(label, value) pairs of a one-row section (the youth's file)."""
        return list(zip(self.labels, self.rows[0], strict=True)) if self.rows else []


@dataclass(frozen=True)
class SubjectExport:
    """Everything held about one youth, read once, in every form."""

    youth_pk: int
    sections: list[Section]
    made_at: datetime.datetime

    @classmethod
    def of(cls, youth_pk: int) -> SubjectExport:
        return cls(youth_pk, build_sections(youth_pk), timezone.now())

    def shown(self) -> list[ShownSection]:
        return [
            ShownSection(
                section.key,
                section.title,
                section.labels,
                [[display_value(v) for v in row] for row in section.rows],
                section.single,
            )
            for section in self.sections
        ]

    def as_dict(self) -> dict:
        """The JSON document: each section under its key (the youth's file as one object,
        the others as lists of objects), and what the document is."""
        data: dict = {
            "document": {
                "objet": _("Données personnelles détenues par le Portail Convention"),
                "etabli_le": json_value(self.made_at),
                "sections": {s.key: s.title for s in self.sections},
            }
        }
        for section in self.sections:
            keys = [c.key for c in section.columns]
            rows = [dict(zip(keys, map(json_value, row), strict=True)) for row in section.rows]
            data[section.key] = (rows[0] if rows else {}) if section.single else rows
        return data

    def json_bytes(self) -> bytes:
        return json.dumps(self.as_dict(), ensure_ascii=False, indent=2).encode("utf-8")

    def csv_files(self) -> list[tuple[str, bytes]]:
        """One CSV per section ("03-evaluations.csv"), its labels as the first row."""
        return [
            (
                f"{index:02d}-{section.key}.csv",
                csv_bytes([section.labels, *([_cell(v) for v in row] for row in section.rows)]),
            )
            for index, section in enumerate(self.sections, start=1)
        ]

    def pdf_bytes(self, youth) -> bytes:
        """The summary: a cover listing the sections and their row counts, then one page
        per section."""
        return render_pdf(
            "candidates/subject_export_pdf.html",
            {"youth_label": str(youth), "sections": self.shown(), "made_at": self.made_at},
        )

    def zip_bytes(self, youth) -> bytes:
        """The JSON, a CSV per section and the PDF summary in one archive, under a folder
        named after the youth's id (never their name)."""
        folder = f"jeune-{self.youth_pk}"
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            archive.writestr(f"{folder}/{JSON_NAME}", self.json_bytes())
            for name, content in self.csv_files():
                archive.writestr(f"{folder}/csv/{name}", content)
            archive.writestr(f"{folder}/{PDF_NAME}", self.pdf_bytes(youth))
        return buffer.getvalue()
