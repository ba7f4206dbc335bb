"""Forms of the offers app: validation and French messages next to each field. The
services do the writes; their ValidationErrors come back onto the fields."""

from __future__ import annotations

import datetime
import unicodedata

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.forms.models import ModelChoiceIterator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.compiled_shapes import CompiledRows
from accounts.form_helpers import NOTE_MAX_LENGTH, TEXT_MAX_LENGTH, cap_text_fields, free_text
from accounts.page_rows import instances_from_rows
from candidates.models import Youth

from .enums import ContractType, DeclineReason, OfferStatus, ProposalStatus
from .models import OFFER_FIELDS, JobRole, Offer

#: A reason or a note exchanged on an offer or a proposal: it is mailed on to the other
#: side (recruiter, advisor), so it stays a few paragraphs.
REASON_MAX_LENGTH = 2_000


def date_input() -> forms.DateInput:
    return forms.DateInput(format="%d/%m/%Y", attrs={"placeholder": _("jj/mm/aaaa")})


def _date_fields(field: models.Field, **kwargs):
    if isinstance(field, models.DateField):
        kwargs.setdefault("widget", date_input())
    return field.formfield(**kwargs)


class OfferForm(forms.ModelForm):
    """A recruiter's offer. "Enregistrer le brouillon" keeps it; the place, dates, hours
    and description may wait until submission."""

    class Meta:
        model = Offer
        fields = list(OFFER_FIELDS)
        formfield_callback = _date_fields
        widgets = {
            "description": forms.Textarea(attrs={"rows": 5}),
            "requirements": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["job_role"].queryset = JobRole.objects.active()
        self.fields["positions"].error_messages["min_value"] = _(
            "Il faut au moins un poste à pourvoir."
        )
        self.fields["positions"].widget.attrs["min"] = 1
        self.fields["positions"].help_text = _(
            "Au-delà de 10 postes, le chargé de projet du CEPL accompagne le recrutement "
            "(article 4)."
        )
        cap_text_fields(self, {"description": TEXT_MAX_LENGTH, "requirements": NOTE_MAX_LENGTH})

    def clean_positions(self):
        positions = self.cleaned_data["positions"]
        if positions is not None and positions < 1:
            raise ValidationError(_("Il faut au moins un poste à pourvoir."))
        return positions

    def clean(self):
        cleaned = super().clean()
        start, closing = cleaned.get("start_date"), cleaned.get("closing_date")
        if start and closing and closing < start:
            self.add_error(
                "closing_date", _("La date de clôture ne peut précéder la date de début.")
            )
        return cleaned

    def _post_clean(self):
        # The service runs full_clean on the instance; here only the form's own checks.
        pass


class ReasonForm(forms.Form):
    reason = free_text(_("Motif"), max_length=REASON_MAX_LENGTH, rows=2)


class SendBackForm(forms.Form):
    reason = free_text(
        _("Ce que le recruteur doit revoir"),
        max_length=REASON_MAX_LENGTH,
        required=True,
        error_messages={"required": _("Indiquez au recruteur ce qu'il faut revoir.")},
    )


class ProposalNoteForm(forms.Form):
    """The note of an invitation to an interview or of a withdrawal: optional."""

    note = free_text(_("Motif"), max_length=REASON_MAX_LENGTH, rows=2)


INTERVIEW_LENGTHS = [
    (30, _("30 minutes")),
    (45, _("45 minutes")),
    (60, _("1 heure")),
    (90, _("1 h 30")),
]


class InterviewForm(forms.Form):
    """The recruiter's invitation to an interview: when, how long, where (a place, a
    video link, or both) and a word for the youth's advisor. The advisor receives it by
    email with a calendar file, so the youth can be told the time and the place."""

    day = forms.DateField(
        label=_("Date de l'entretien"),
        widget=date_input(),
        help_text=_("Au format jj/mm/aaaa, par exemple 14/01/2027."),
        error_messages={"required": _("Indiquez la date de l'entretien.")},
    )
    time = forms.TimeField(
        label=_("Heure"),
        widget=forms.TimeInput(format="%H:%M", attrs={"placeholder": _("hh:mm")}),
        help_text=_("Au format hh:mm, heure de Paris, par exemple 14:30."),
        error_messages={
            "required": _("Indiquez l'heure de l'entretien."),
            "invalid": _("Indiquez l'heure au format hh:mm, par exemple 14:30."),
        },
    )
    minutes = forms.TypedChoiceField(
        label=_("Durée"), choices=INTERVIEW_LENGTHS, coerce=int, initial=45
    )
    place = forms.CharField(
        label=_("Lieu"),
        max_length=200,
        required=False,
        help_text=_("Adresse de l'entretien, ou laissez vide pour un entretien en visio."),
    )
    video_link = forms.URLField(
        label=_("Lien de visioconférence"),
        max_length=500,
        required=False,
        assume_scheme="https",
        error_messages={"invalid": _("Indiquez une adresse web complète (https://...).")},
    )
    note = free_text(_("Message pour le conseiller"), max_length=REASON_MAX_LENGTH, rows=3)

    def clean_video_link(self):
        link = self.cleaned_data["video_link"]
        if link and not link.lower().startswith("https://"):
            raise ValidationError(_("Le lien de visioconférence doit commencer par https://."))
        # An invisible direction or control character can make a link read as another
        # address (a right-to-left override turns "exe.gpj" into "jpg.exe").
        if any(unicodedata.category(char) in ("Cc", "Cf") for char in link):
            raise ValidationError(_("Indiquez une adresse web complète (https://...)."))
        return link

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("place", "").strip() and not cleaned.get("video_link"):
            raise ValidationError(_("Indiquez un lieu ou un lien de visioconférence."))
        day, time = cleaned.get("day"), cleaned.get("time")
        if day and time:
            cleaned["starts_at"] = timezone.make_aware(datetime.datetime.combine(day, time))
        return cleaned


class DeclineForm(forms.Form):
    decline_reason = forms.ChoiceField(
        label=_("Motif du refus"),
        choices=[("", "—")] + list(DeclineReason.choices),
        error_messages={
            "required": _("Choisissez le motif du refus."),
            "invalid_choice": _("Choisissez le motif du refus."),
        },
    )
    note = free_text(_("Précision pour le conseiller"), max_length=REASON_MAX_LENGTH, rows=2)


class BulkDeclineForm(DeclineForm):
    proposals = forms.TypedMultipleChoiceField(
        label=_("Candidatures"),
        coerce=int,
        error_messages={"required": _("Cochez au moins une candidature.")},
    )

    def __init__(self, *args, proposal_choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["proposals"].choices = proposal_choices


class HireForm(forms.Form):
    contract_type = forms.ChoiceField(label=_("Type de contrat"), choices=ContractType.choices)
    start_date = forms.DateField(label=_("Date d'embauche"), widget=date_input())
    end_date = forms.DateField(
        label=_("Fin du contrat (CDD, intérim, CAE...)"), widget=date_input(), required=False
    )
    weekly_hours = forms.IntegerField(
        label=_("Heures par semaine"),
        min_value=1,
        max_value=48,
        error_messages={
            "min_value": _("Indiquez au moins une heure par semaine."),
            "max_value": _("La durée du travail ne peut dépasser 48 heures."),
        },
    )

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("La fin du contrat ne peut précéder son début."))
        return cleaned


class ProposeForm(forms.Form):
    youth = forms.ModelChoiceField(
        label=_("Jeune"),
        queryset=Youth.objects.none(),
        widget=forms.HiddenInput,
        error_messages={
            "invalid_choice": _(
                "Ce jeune ne peut pas être proposé (pas de votre mission locale, ou sans "
                "accord de partage du profil)."
            ),
            "required": _("Choisissez le jeune à proposer."),
        },
    )
    note = free_text(_("Mot pour le recruteur"), max_length=REASON_MAX_LENGTH)
    from_suggestion = forms.BooleanField(required=False, widget=forms.HiddenInput())

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        # Any youth of the user's missions locales is accepted here, so the service can
        # say precisely why one cannot be proposed (no consent, already hired...); the
        # page's search offers the proposable ones only (`matching.candidate_youths`),
        # never a list of the whole mission locale.
        self.fields["youth"].queryset = Youth.objects.visible_to(user).not_anonymised()


def _job_roles():
    return JobRole.objects.all()


# The job roles as the filter lists them (`JobRoleChoiceIterator`), compiled once per
# process: the query never changes.
_job_role_rows = CompiledRows(lambda: _job_roles().values_list("pk", "name"), arity=0)


class JobRoleChoiceIterator(ModelChoiceIterator):
    """The job roles' choices, read with one plain query compiled once per process:
    Django's iterator reads them through `QuerySet.iterator()`, a server-side cursor on
    PostgreSQL (declare, fetch, close: three round trips on every list page for seven
    rows), and building the query cost more than its answer. The same choices, in the
    same order, each with its job role as `JobRole.objects.all()` gives it (the id and
    the name, which is its label)."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        using = self.queryset.db
        yield from (
            self.choice(job_role)
            for job_role in instances_from_rows(
                JobRole, ("id", "name"), _job_role_rows(using=using), using=using
            )
        )


class JobRoleChoiceField(forms.ModelChoiceField):
    """Any job role (the active ones and the others, as offers may hold them)."""

    iterator = JobRoleChoiceIterator

    def __init__(self, **kwargs):
        super().__init__(queryset=_job_roles(), **kwargs)


class OfferFilterForm(forms.Form):
    """The advisors' filters on published offers."""

    job_role = JobRoleChoiceField(label=_("Métier"), required=False, empty_label=_("Tous"))
    contract_type = forms.ChoiceField(
        label=_("Contrat"), choices=[("", _("Tous"))] + list(ContractType.choices), required=False
    )
    full_time = forms.BooleanField(label=_("Temps plein seulement"), required=False)
    place = forms.CharField(
        label=_("Lieu (code postal, département ou commune)"), required=False, max_length=100
    )
    start_before = forms.DateField(
        label=_("Début au plus tard le"), required=False, widget=date_input()
    )

    #: Fields whose markup is a function of their value and the language alone, and the
    #: job roles' select, kept by its choices (`accounts.filter_fields`): the unbound
    #: form is drawn once per set of job roles (`{% filter_form %}`).
    fixed_filter_fields = frozenset({"contract_type", "full_time", "place", "start_before"})
    user_choice_filter_fields = frozenset({"job_role"})

    def filter(self, qs):
        if not self.is_valid():
            return qs
        data = self.cleaned_data
        if data["job_role"]:
            qs = qs.filter(job_role=data["job_role"])
        if data["contract_type"]:
            qs = qs.filter(contract_type=data["contract_type"])
        if data["full_time"]:
            qs = qs.full_time()
        place = data["place"].strip()
        if place.isdigit():
            qs = qs.filter(postcode__startswith=place)
        elif place:
            qs = qs.filter(city__icontains=place)
        if data["start_before"]:
            qs = qs.filter(start_date__lte=data["start_before"])
        return qs


class OfferStatusFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("État"),
        choices=[("", _("Tous")), *OfferStatus.choices],
        required=False,
    )


class ProposalFilterForm(forms.Form):
    """The filters of "Candidatures" (GET): a state; an offer ("offre", from an offer's
    page, kept as a hidden field while the others change); `news`, the proposals whose
    state changed in the last NEWS_DAYS days; `mine`, those of the youths the advisor
    follows."""

    NEWS_DAYS = 7

    status = forms.ChoiceField(
        label=_("État"), choices=[("", _("Tous")), *ProposalStatus.choices], required=False
    )
    offre = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    news = forms.BooleanField(label=_("Changées ces 7 derniers jours"), required=False)
    mine = forms.BooleanField(label=_("Mes jeunes seulement"), required=False)

    def filter(self, qs, *, user):
        if not self.is_valid():
            return qs
        data = self.cleaned_data
        if data["status"]:
            qs = qs.filter(status=data["status"])
        if data["offre"]:
            qs = qs.filter(offer_id=data["offre"])
        if data["news"]:
            qs = qs.with_news(timezone.now() - datetime.timedelta(days=self.NEWS_DAYS))
        if data["mine"]:
            qs = qs.filter(youth__advisor=user)
        return qs

    @property
    def offer_id(self) -> int | None:
        return self.cleaned_data.get("offre") if self.is_valid() else None
