"""The forms of the import's second and last steps: the field of each column, and who
gets the youths whose advisor the mission locale does not know."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .import_columns import FIELDS
from .importing import ASSIGN_TO_ME, LEAVE_UNASSIGNED, check_columns

#: Values shown under each column title on the columns step.
SAMPLE_VALUES = 3
SAMPLE_LENGTH = 60


def _samples(rows: list, index: int) -> list[str]:
    found = []
    for _line, cells in rows:
        if index < len(cells) and str(cells[index]).strip():
            text = str(cells[index]).strip()
            found.append(text if len(text) <= SAMPLE_LENGTH else text[:SAMPLE_LENGTH] + "…")
            if len(found) == SAMPLE_VALUES:
                break
    return found


class ImportColumnsForm(forms.Form):
    """One select per column of the file, labelled by the column's title; "ignorée"
    leaves the column out, in plain sight."""

    def __init__(self, *args, batch, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", _("— colonne ignorée —"))] + [
            (field, column.label) for field, column in FIELDS.items()
        ]
        self.columns = []
        for index, title in enumerate(batch.headers):
            name = f"column_{index}"
            self.fields[name] = forms.ChoiceField(
                label=title or _("Colonne %(n)s (sans titre)") % {"n": index + 1},
                choices=choices,
                required=False,
                initial=batch.columns[index] if index < len(batch.columns) else "",
            )
            self.columns.append(
                {"name": name, "samples": _samples(batch.source_rows, index), "index": index + 1}
            )

    def bound_columns(self):
        """Each column's select with its sample values, for the template's table."""
        return [{**column, "field": self[column["name"]]} for column in self.columns]

    def clean(self):
        cleaned = super().clean()
        chosen = [cleaned.get(column["name"], "") for column in self.columns]
        problems = check_columns(chosen, len(self.columns))
        if problems:
            raise ValidationError(problems)
        cleaned["columns"] = chosen
        return cleaned


class ImportConfirmForm(forms.Form):
    """Confirmation; when rows name an advisor the mission locale does not know, the
    person importing says who gets those youths (themself, if they are one of its
    advisors, or nobody)."""

    unknown_advisor = forms.ChoiceField(
        label=_("Jeunes dont le conseiller n'est pas reconnu"),
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
    )

    def __init__(self, *args, unknown_count: int, may_assign_self: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not unknown_count:
            del self.fields["unknown_advisor"]
            return
        choices = [(LEAVE_UNASSIGNED, _("Laisser sans conseiller"))]
        if may_assign_self:
            choices.insert(0, (ASSIGN_TO_ME, _("M'assigner")))
        self.fields["unknown_advisor"].choices = choices
        self.fields["unknown_advisor"].help_text = _(
            "%(n)s ligne(s) nomment un conseiller inconnu de la mission locale."
        ) % {"n": unknown_count}

    @property
    def advisor_choice(self) -> str:
        return self.cleaned_data.get("unknown_advisor") or LEAVE_UNASSIGNED
