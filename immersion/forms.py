"""Forms of the immersion app: validation and layout only."""

from __future__ import annotations

import datetime
import re

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.filter_fields import shared
from accounts.form_helpers import NOTE_MAX_LENGTH, TEXT_MAX_LENGTH, free_text, submit_helper
from accounts.years import FIRST_YEAR, LAST_YEAR

from .enums import Attendance, Audience, ContractOutcome, HostAssessment, ProgrammeKind
from .models import DEFAULT_COHORT_SIZE, REASON_MAX_LENGTH, month_bounds

DATE_WIDGET = forms.DateInput(format="%d/%m/%Y", attrs={"placeholder": "jj/mm/aaaa"})
TIME_WIDGET = forms.TimeInput(format="%H:%M", attrs={"placeholder": "hh:mm"})
MONTH_PATTERN = re.compile(r"^(\d{4})-(\d{2})$")
# Where a service's error on a model field goes in the session form.
SESSION_ERROR_FIELDS = {"starts_at": "start_date", "ends_at": "end_time"}


class SessionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Programme"), choices=ProgrammeKind.choices)
    title = forms.CharField(label=_("Intitulé"), max_length=200)
    host = forms.ModelChoiceField(label=_("Structure d'accueil"), queryset=None)
    place = forms.CharField(label=_("Lieu (adresse)"), max_length=255)
    city = forms.CharField(label=_("Commune"), max_length=100)
    start_date = forms.DateField(label=_("Date de début"), widget=DATE_WIDGET)
    start_time = forms.TimeField(label=_("Heure de début"), widget=TIME_WIDGET)
    end_date = forms.DateField(label=_("Date de fin"), widget=DATE_WIDGET)
    end_time = forms.TimeField(label=_("Heure de fin"), widget=TIME_WIDGET)
    capacity = forms.IntegerField(label=_("Nombre de places"), min_value=1)
    registration_deadline = forms.DateField(
        label=_("Date limite d'inscription"), widget=DATE_WIDGET
    )
    description = free_text(_("Présentation"), max_length=TEXT_MAX_LENGTH)
    open_registrations = forms.BooleanField(
        label=_("Ouvrir les inscriptions dès maintenant"), required=False
    )

    def __init__(self, *args, hosts, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["host"].queryset = hosts
        self.fields["capacity"].error_messages["min_value"] = _(
            "Une session compte au moins une place."
        )
        if editing:
            del self.fields["open_registrations"]
        self.helper = submit_helper(_("Enregistrer") if editing else _("Créer la session"))

    @staticmethod
    def initial_for(session) -> dict:
        start = timezone.localtime(session.starts_at)
        end = timezone.localtime(session.ends_at)
        return {
            "kind": session.kind,
            "title": session.title,
            "host": session.host,
            "place": session.place,
            "city": session.city,
            "start_date": start.date(),
            "start_time": start.time(),
            "end_date": end.date(),
            "end_time": end.time(),
            "capacity": session.capacity,
            "registration_deadline": session.registration_deadline,
            "description": session.description,
        }

    def clean(self):
        data = super().clean()
        tz = timezone.get_current_timezone()
        if data.get("start_date") and data.get("start_time"):
            data["starts_at"] = timezone.make_aware(
                datetime.datetime.combine(data["start_date"], data["start_time"]), tz
            )
        if data.get("end_date") and data.get("end_time"):
            data["ends_at"] = timezone.make_aware(
                datetime.datetime.combine(data["end_date"], data["end_time"]), tz
            )
        if data.get("starts_at") and data.get("ends_at") and data["ends_at"] <= data["starts_at"]:
            self.add_error("end_time", _("La fin de la session doit suivre son début."))
        return data

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        names = ("kind", "title", "host", "place", "city", "capacity", "description")
        arguments = {name: data[name] for name in names}
        arguments.update(
            starts_at=data["starts_at"],
            ends_at=data["ends_at"],
            registration_deadline=data["registration_deadline"],
        )
        return arguments


class SessionFilterForm(forms.Form):
    """The list's filters (GET): every one optional; an invalid value is ignored. The
    fixed filters are shared by every form rather than copied for each
    (`accounts.filter_fields.shared`)."""

    kind = shared(forms.ChoiceField)(
        label=_("Programme"), choices=[("", _("Tous"))] + ProgrammeKind.choices, required=False
    )
    month = shared(forms.CharField)(
        label=_("Mois"),
        required=False,
        widget=forms.TextInput(attrs={"type": "month", "placeholder": "aaaa-mm"}),
    )
    city = forms.ChoiceField(label=_("Lieu"), required=False)
    audience = shared(forms.ChoiceField)(
        label=_("Public"), choices=[("", _("Tous"))] + Audience.choices, required=False
    )
    period = shared(forms.ChoiceField)(
        label=_("Période"),
        choices=[
            ("", _("À venir")),
            ("week", _("Cette semaine")),
            ("past", _("Passées")),
            ("all", _("Toutes")),
        ],
        required=False,
    )
    mine = shared(forms.BooleanField)(label=_("Avec mes jeunes inscrits"), required=False)

    #: Fields whose markup is a function of their value and the language alone (their
    #: choices, labels and help texts are the class's): `accounts.filter_fields` draws
    #: each state once. Not `city`, whose choices are the places the user sees.
    fixed_filter_fields = frozenset({"kind", "month", "audience", "period", "mine"})
    #: `city`'s choices are the places the user sees: its markup is kept by them too
    #: (users of a region share it; a new place is a new state).
    user_choice_filter_fields = frozenset({"city"})

    def __init__(self, *args, cities, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["city"].choices = [("", _("Tous"))] + [(c, c) for c in cities]

    def clean_month(self):
        value = self.cleaned_data["month"]
        if not value:
            return None
        match = MONTH_PATTERN.match(value)
        if not match or not 1 <= int(match[2]) <= 12:
            raise forms.ValidationError(_("Mois attendu au format aaaa-mm."))
        return int(match[1]), int(match[2])

    def criteria(self, *, with_period: bool = True) -> dict:
        """The filters as `SessionQuerySet.filtered` takes them (None for a filter not
        set). The list shows what is coming by default, past sessions newest first; a
        chosen month shows that whole month. The calendar has its own month
        (`with_period=False`)."""
        data = self.cleaned_data if self.is_valid() else {}
        criteria = {
            "kind": data.get("kind") or None,
            "audience": data.get("audience") or None,
            "city": data.get("city") or None,
            "youths_of": self.user.pk if data.get("mine") and self.user is not None else None,
            "starts_from": None,
            "starts_before": None,
            "newest_first": False,
        }
        period = data.get("period") if with_period else "all"
        if data.get("month"):
            criteria["starts_from"], criteria["starts_before"] = month_bounds(*data["month"])
        elif period == "week":
            monday = timezone.localdate() - datetime.timedelta(days=timezone.localdate().weekday())
            start = timezone.make_aware(datetime.datetime.combine(monday, datetime.time.min))
            criteria["starts_from"] = start
            criteria["starts_before"] = start + datetime.timedelta(days=7)
        elif period != "all":
            today = timezone.make_aware(
                datetime.datetime.combine(timezone.localdate(), datetime.time.min)
            )
            if period == "past":
                criteria["starts_before"], criteria["newest_first"] = today, True
            else:
                criteria["starts_from"] = today
        return criteria


class SessionCancelForm(forms.Form):
    """The reason given when cancelling a session: kept on the session and in its log,
    so it fits their column."""

    reason = forms.CharField(
        label=_("Motif de l'annulation"),
        max_length=REASON_MAX_LENGTH,
        error_messages={
            "required": _("Indiquez le motif de l'annulation."),
            "max_length": _("Au plus %(limit_value)d caractères (il y en a %(show_value)d)."),
        },
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "cancel-%s")
        super().__init__(*args, **kwargs)


class EnrolYouthsForm(forms.Form):
    youths = forms.ModelMultipleChoiceField(
        label=_("Jeunes à inscrire (un seul, ou un groupe d'une dizaine)"),
        queryset=None,
        # Never rendered from its queryset (a mission locale holds thousands of
        # youths): the page shows a search (`candidates.choices`); this validates.
        widget=forms.MultipleHiddenInput,
        error_messages={"required": _("Choisissez au moins un jeune.")},
    )

    def __init__(self, *args, youths, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["youths"].queryset = youths
        self.helper = submit_helper(_("Inscrire"))
        self.helper.form_id = "enrol-form"


class AttendanceForm(forms.Form):
    attendance = forms.ChoiceField(label=_("Présence"), choices=Attendance.choices)
    host_assessment = forms.ChoiceField(
        label=_("Avis de l'entreprise"),
        choices=[("", "—")] + HostAssessment.choices,
        required=False,
    )
    host_comment = forms.CharField(label=_("Commentaire"), max_length=1000, required=False)

    def __init__(self, *args, with_assessment: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not with_assessment:
            del self.fields["host_assessment"]
            del self.fields["host_comment"]
        # Compact controls: one row of the roster per person.
        for name, field in self.fields.items():
            css = "form-control" if name == "host_comment" else "form-select"
            field.widget.attrs["class"] = f"{css} form-control-sm {css}-sm"


class CohortForm(forms.Form):
    region = forms.ModelChoiceField(label=_("Région"), queryset=None)
    year = forms.IntegerField(label=_("Année"), min_value=FIRST_YEAR, max_value=LAST_YEAR)
    size = forms.IntegerField(
        label=_("Nombre de contrats CAE"),
        min_value=1,
        initial=DEFAULT_COHORT_SIZE,
        error_messages={"min_value": _("Une promotion compte au moins un contrat.")},
    )

    def __init__(self, *args, regions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = regions
        self.helper = submit_helper(_("Ouvrir la promotion"))


class CohortSizeForm(forms.Form):
    size = forms.IntegerField(
        label=_("Nombre de contrats CAE"),
        min_value=1,
        error_messages={"min_value": _("Une promotion compte au moins un contrat.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = submit_helper(_("Changer la taille"))
        self.helper.form_id = "size-form"


class CaeContractForm(forms.Form):
    youth = forms.ModelChoiceField(label=_("Jeune"), queryset=None)
    employer = forms.CharField(label=_("Employeur"), max_length=200)
    start_on = forms.DateField(label=_("Début du contrat"), widget=DATE_WIDGET)
    end_on = forms.DateField(label=_("Fin du contrat (6 mois au plus)"), widget=DATE_WIDGET)
    weekly_hours = forms.IntegerField(
        label=_("Heures par semaine"),
        min_value=20,
        max_value=35,
        error_messages={
            "min_value": _("Un contrat CAE compte au moins 20 heures par semaine."),
            "max_value": _("Au plus 35 heures par semaine."),
        },
    )

    def __init__(self, *args, youths, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["youth"].queryset = youths
        self.helper = submit_helper(_("Enregistrer le contrat"))
        self.helper.form_id = "contract-form"

    def clean(self):
        data = super().clean()
        if data.get("start_on") and data.get("end_on") and data["end_on"] <= data["start_on"]:
            self.add_error("end_on", _("La fin du contrat doit suivre son début."))
        return data


class ContractOutcomeForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Issue du contrat"), choices=ContractOutcome.choices)
    note = forms.CharField(label=_("Précision"), max_length=255, required=False)


class PoolRequestForm(forms.Form):
    offer = forms.ModelChoiceField(
        label=_("Offre concernée (vos offres publiées)"),
        queryset=None,
        error_messages={"required": _("Choisissez l'offre concernée.")},
    )
    message = free_text(_("Message au conseiller"), max_length=NOTE_MAX_LENGTH, rows=2)

    def __init__(self, *args, offers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["offer"].queryset = offers


class PoolAnswerForm(forms.Form):
    note = forms.CharField(label=_("Réponse au recruteur"), max_length=255, required=False)
