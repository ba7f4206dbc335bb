"""Forms of the reporting app: the dashboard filters, a review section, the digest
subscription."""

from __future__ import annotations

import datetime
from functools import lru_cache

from django import forms
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from .enums import ReviewSectionKey
from .periods import FIRST_YEAR, Period


def _month_choices():
    return [("", _("Toute l'année")), *_month_names(get_language())]


@lru_cache(maxsize=16)
def _month_names(language: str) -> tuple[tuple[str, str], ...]:
    """The twelve months' choices in `language` (the active one): named once per language
    rather than on every request of a dashboard."""
    return tuple(
        (str(m), date_format(datetime.date(2000, m, 1), "F").capitalize()) for m in range(1, 13)
    )


class DashboardFilterForm(forms.Form):
    """Period (a year, optionally a month) and scope (a region or a mission locale, among
    those the dashboard allows)."""

    year = forms.IntegerField(
        label=_("Année"),
        min_value=FIRST_YEAR,
        error_messages={
            "invalid": _("Saisissez une année, par exemple 2026."),
            "min_value": _(
                "Les chiffres commencent en %(limit_value)s (signature de la convention)."
            ),
        },
    )
    month = forms.TypedChoiceField(
        label=_("Mois"), choices=(), required=False, coerce=int, empty_value=None
    )
    region = forms.ModelChoiceField(
        label=_("Région"), queryset=None, required=False, empty_label=_("Toutes les régions")
    )
    mission_locale = forms.ModelChoiceField(
        label=_("Mission locale"),
        queryset=None,
        required=False,
        empty_label=_("Toutes les missions locales"),
    )

    def __init__(
        self,
        data=None,
        *,
        regions,
        mission_locales,
        region_required=False,
        mission_locale_required=False,
    ):
        today = timezone.localdate()
        if data is not None and not data.get("year"):
            data = data.copy()
            data["year"] = str(today.year)
        super().__init__(data)
        self.fields["year"].validators.append(_MaxYear(today.year))
        self.fields["month"].choices = _month_choices()
        if region_required:
            self.fields["region"].empty_label = None
            self.fields["region"].required = True
        if mission_locale_required:
            self.fields["mission_locale"].empty_label = None
            self.fields["mission_locale"].required = True
        for name, places in (("region", regions), ("mission_locale", mission_locales)):
            field = self.fields[name]
            field.queryset = places
            # One query tells whether the field is shown and gives its options (a value
            # sent is still checked against the queryset).
            found = list(places)
            if not found:
                del self.fields[name]
                continue
            choice = field.iterator(field).choice
            empty = [] if field.empty_label is None else [("", field.empty_label)]
            field.choices = [*empty, *(choice(place) for place in found)]
        for name, field in self.fields.items():
            css = "form-select" if isinstance(field, forms.ChoiceField) else "form-control"
            if self.is_bound and name in self.errors:
                css += " is-invalid"
                field.widget.attrs["aria-describedby"] = f"id_{name}-error"
            field.widget.attrs["class"] = css

    def clean(self):
        cleaned = super().clean()
        region, ml = cleaned.get("region"), cleaned.get("mission_locale")
        if region is not None and ml is not None and ml.region_id != region.pk:
            self.add_error(
                "mission_locale", _("Cette mission locale n'est pas dans la région choisie.")
            )
        year, month = cleaned.get("year"), cleaned.get("month")
        today = timezone.localdate()
        if year == today.year and month and month > today.month:
            self.add_error("month", _("Ce mois n'est pas encore commencé."))
        return cleaned

    @property
    def period(self) -> Period:
        return Period(self.cleaned_data["year"], self.cleaned_data.get("month"))


class _MaxYear:
    def __init__(self, limit):
        self.limit = limit

    def __call__(self, value):
        if value is not None and value > self.limit:
            raise forms.ValidationError(
                _("Cette année n'est pas encore commencée (au plus %(limit)s).")
                % {"limit": self.limit},
                code="max_value",
            )

    def __eq__(self, other):
        return isinstance(other, _MaxYear) and other.limit == self.limit


#: A section of the annual review: several pages of the printed review.
REVIEW_SECTION_MAX_LENGTH = 20_000


class ReviewSectionForm(forms.Form):
    key = forms.ChoiceField(choices=ReviewSectionKey.choices, widget=forms.HiddenInput)
    text = forms.CharField(
        label=_("Texte de la section"),
        required=False,
        max_length=REVIEW_SECTION_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "Mise en forme Markdown : **gras**, *italique*, listes à puces « - », titres « # »."
            " Laissez vide pour que la section apparaisse comme non rédigée."
        ),
        error_messages={
            "max_length": _("Au plus %(limit_value)d caractères (il y en a %(show_value)d).")
        },
    )


class SubscriptionForm(forms.Form):
    subscribed = forms.BooleanField(
        label=_("Recevoir chaque mois la synthèse des indicateurs par e-mail"), required=False
    )
