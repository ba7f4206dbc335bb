"""Forms of the committees app: validation and layout only."""

from __future__ import annotations

import datetime

from django import forms
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from accounts.form_helpers import (
    MINUTES_MAX_LENGTH,
    NOTE_MAX_LENGTH,
    TEXT_MAX_LENGTH,
    free_text,
    link_field,
    submit_helper,
)
from accounts.markdown import has_unsafe_content
from accounts.years import FIRST_YEAR, LAST_YEAR

from .enums import (
    AttendanceStatus,
    AwarenessAudience,
    CommitmentStatus,
    CommitteeKind,
    CommitteeRole,
    IndicatorKey,
    PlanSection,
)
from .models import AgendaItem, Commitment, Meeting

DATE_WIDGET = forms.DateInput(format="%d/%m/%Y", attrs={"placeholder": "jj/mm/aaaa"})
AGENDA_ITEM_MAX_LENGTH = AgendaItem._meta.get_field("title").max_length


class CommitteeForm(forms.Form):
    kind = forms.ChoiceField(label=_("Type de comité"), choices=CommitteeKind.choices)
    name = forms.CharField(label=_("Nom"), max_length=200)
    region = forms.ModelChoiceField(
        label=_("Région"),
        queryset=None,
        required=False,
        help_text=_("Sans objet pour un comité national."),
    )
    description = free_text(_("Mission"), max_length=TEXT_MAX_LENGTH)

    def __init__(self, *args, regions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = regions
        self.helper = submit_helper(_("Créer le comité"))

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        if kind and kind not in CommitteeKind.national() and not data.get("region"):
            self.add_error("region", _("Un comité régional ou pilote a une région."))
        return data


class MemberForm(forms.Form):
    user = forms.ModelChoiceField(label=_("Personne"), queryset=None, required=False)
    organisation = forms.ModelChoiceField(label=_("ou organisation"), queryset=None, required=False)
    role = forms.ChoiceField(
        label=_("Rôle"), choices=CommitteeRole.choices, initial=CommitteeRole.MEMBER
    )

    def __init__(self, *args, users, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = users
        self.fields["organisation"].queryset = organisations

    def clean(self):
        data = super().clean()
        if bool(data.get("user")) == bool(data.get("organisation")):
            raise forms.ValidationError(
                _("Choisissez une personne ou une organisation, pas les deux.")
            )
        return data


class MeetingForm(forms.Form):
    title = forms.CharField(label=_("Intitulé"), max_length=200)
    starts_on = forms.DateField(label=_("Date"), widget=DATE_WIDGET)
    starts_time = forms.TimeField(
        label=_("Heure"), widget=forms.TimeInput(format="%H:%M", attrs={"placeholder": "hh:mm"})
    )
    duration_minutes = forms.IntegerField(
        label=_("Durée (minutes)"), min_value=15, max_value=600, initial=120
    )
    place = forms.CharField(label=_("Lieu"), max_length=255, required=False)
    video_url = link_field(
        _("Lien de visioconférence"),
        max_length=Meeting._meta.get_field("video_url").max_length,
        required=False,
    )
    agenda = free_text(_("Ordre du jour (un point par ligne)"), max_length=NOTE_MAX_LENGTH, rows=4)
    prepare_from_previous = forms.BooleanField(
        label=_("Reprendre les actions encore ouvertes de la réunion précédente"),
        required=False,
        initial=True,
    )

    def __init__(self, *args, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["agenda"]
            del self.fields["prepare_from_previous"]
        self.helper = submit_helper(_("Enregistrer") if editing else _("Planifier la réunion"))

    def clean_video_url(self):
        url = self.cleaned_data["video_url"]
        if url and not url.lower().startswith("https://"):
            raise forms.ValidationError(_("Le lien de visioconférence commence par https://."))
        return url

    def clean_agenda(self):
        # Each line becomes a point of the agenda: one too long for its column is
        # refused here rather than cut.
        agenda = self.cleaned_data["agenda"]
        for line in agenda.splitlines():
            if len(line.strip()) > AGENDA_ITEM_MAX_LENGTH:
                raise forms.ValidationError(
                    _(
                        "Un point de l'ordre du jour tient en %(limit)s caractères au plus "
                        "(une ligne en compte %(length)s)."
                    )
                    % {"limit": AGENDA_ITEM_MAX_LENGTH, "length": len(line.strip())}
                )
        return agenda

    def clean(self):
        data = super().clean()
        if not data.get("place") and not data.get("video_url") and not self.has_error("video_url"):
            self.add_error("place", _("Indiquez un lieu ou un lien de visioconférence."))
        if data.get("starts_on") and data.get("starts_time"):
            data["starts_at"] = timezone.make_aware(
                datetime.datetime.combine(data["starts_on"], data["starts_time"])
            )
        return data


class AgendaItemForm(forms.Form):
    title = forms.CharField(label=_("Nouveau point"), max_length=255)


class MinutesForm(forms.Form):
    minutes = free_text(
        _("Compte rendu (Markdown)"),
        max_length=MINUTES_MAX_LENGTH,
        rows=12,
        help_text=_(
            "Titres avec #, listes avec -, liens [texte](https://…). Les scripts et liens javascript: sont retirés."
        ),
    )

    @property
    def was_neutralised(self) -> bool:
        return has_unsafe_content(self.cleaned_data.get("minutes", ""))


class AttendanceForm(forms.Form):
    def __init__(self, *args, users, initial_statuses, **kwargs):
        super().__init__(*args, **kwargs)
        self.users = list(users)
        for user in self.users:
            self.fields[f"user_{user.pk}"] = forms.ChoiceField(
                label=str(user),
                choices=[("", "—"), *AttendanceStatus.choices],
                required=False,
                initial=initial_statuses.get(user.pk, ""),
            )

    def statuses(self) -> dict[int, str]:
        return {
            user.pk: self.cleaned_data[f"user_{user.pk}"]
            for user in self.users
            if self.cleaned_data.get(f"user_{user.pk}")
        }


class ActionItemFields(forms.Form):
    """The fields of an action item, shared by the decision and action forms."""

    owner = forms.ModelChoiceField(label=_("Responsable"), queryset=None, required=False)
    due_on = forms.DateField(label=_("Échéance"), widget=DATE_WIDGET, required=False)
    plan_item = forms.ModelChoiceField(
        label=_("Action du plan concernée"), queryset=None, required=False
    )

    def __init__(self, *args, owners, plan_items, **kwargs):
        super().__init__(*args, **kwargs)
        # Everyone the actor may see is offered; the service refuses a non-member with a
        # message next to the field.
        self.fields["owner"].queryset = owners
        self.fields["plan_item"].queryset = plan_items
        self.fields["plan_item"].label_from_instance = lambda item: (
            f"{item.plan.year} · {item.get_section_display().split(' - ')[0]} · "
            f"{Truncator(item.title).chars(90)}"
        )


class DecisionForm(ActionItemFields):
    text = free_text(_("Décision"), max_length=TEXT_MAX_LENGTH, required=True)
    action_title = forms.CharField(
        label=_("Action qui en découle (facultatif)"), max_length=255, required=False
    )
    field_order = ["text", "action_title", "owner", "due_on", "plan_item"]

    def clean(self):
        data = super().clean()
        if data.get("action_title"):
            if not data.get("owner"):
                self.add_error("owner", _("Indiquez le responsable de l'action."))
            if not data.get("due_on") and not self.has_error("due_on"):
                self.add_error("due_on", _("Indiquez une échéance."))
        return data


class ActionItemForm(ActionItemFields):
    title = forms.CharField(label=_("Action"), max_length=255)
    field_order = ["title", "owner", "due_on", "plan_item"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].required = True
        self.fields["due_on"].required = True


class DocumentForm(forms.Form):
    """The upload field only: `services.attach_document` reads the content (once) and
    its error is shown next to this field."""

    file = forms.FileField(
        label=_("Document (PDF, DOCX, ODT ou XLSX, 10 Mo au plus)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.docx,.odt,.xlsx"}),
    )


class PlanForm(forms.Form):
    region = forms.ModelChoiceField(label=_("Région"), queryset=None)
    year = forms.IntegerField(label=_("Année"), min_value=FIRST_YEAR, max_value=LAST_YEAR)
    title = forms.CharField(label=_("Intitulé"), max_length=200)

    def __init__(self, *args, regions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = regions


class PlanItemForm(forms.Form):
    section = forms.ChoiceField(label=_("Section"), choices=PlanSection.choices)
    audience = forms.ChoiceField(
        label=_("Public (section I)"),
        choices=[("", "—"), *AwarenessAudience.choices],
        required=False,
    )
    title = forms.CharField(label=_("Action"), max_length=300)
    owner_organisation = forms.ModelChoiceField(
        label=_("Organisation responsable"), queryset=None, required=False
    )
    due_on = forms.DateField(label=_("Échéance"), widget=DATE_WIDGET, required=False)
    indicator_key = forms.ChoiceField(
        label=_("Indicateur visé"), choices=[("", "—"), *IndicatorKey.choices], required=False
    )
    indicator_target = forms.IntegerField(label=_("Cible"), min_value=1, required=False)

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner_organisation"].queryset = organisations

    def clean(self):
        data = super().clean()
        if bool(data.get("indicator_key")) != bool(data.get("indicator_target")):
            self.add_error("indicator_target", _("Un indicateur visé va avec une cible chiffrée."))
        return data


class PlanNoteForm(forms.Form):
    written_on = forms.DateField(label=_("Date"), widget=DATE_WIDGET, initial=timezone.localdate)
    text = free_text(_("Avancement"), max_length=NOTE_MAX_LENGTH, required=True)


class CommitmentForm(forms.Form):
    status = forms.ChoiceField(label=_("État"), choices=CommitmentStatus.choices)
    evidence_text = free_text(_("Éléments de preuve"), max_length=TEXT_MAX_LENGTH)
    evidence_url = link_field(
        _("Lien vers une preuve"),
        max_length=Commitment._meta.get_field("evidence_url").max_length,
        required=False,
    )
    note = forms.CharField(label=_("Commentaire pour l'historique"), required=False, max_length=500)

    def clean_evidence_url(self):
        url = self.cleaned_data["evidence_url"]
        if url and not url.lower().startswith(("https://", "http://")):
            raise forms.ValidationError(_("Le lien commence par https://."))
        return url


class RenewalForm(forms.Form):
    renewed_on = forms.DateField(label=_("Renouvelée le"), widget=DATE_WIDGET)
    extra_years = forms.IntegerField(
        label=_("Prolongation (années)"), min_value=1, max_value=10, initial=3
    )
    note = forms.CharField(label=_("Observation"), max_length=255, required=False)


class RegionalConventionForm(forms.Form):
    region = forms.ModelChoiceField(label=_("Région"), queryset=None)
    title = forms.CharField(label=_("Intitulé"), max_length=255)
    signed_on = forms.DateField(label=_("Signée le"), widget=DATE_WIDGET)
    duration_years = forms.IntegerField(
        label=_("Durée (années)"), min_value=1, max_value=10, initial=3
    )
    signatories = forms.ModelMultipleChoiceField(label=_("Signataires"), queryset=None)

    def __init__(self, *args, regions, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = regions
        self.fields["signatories"].queryset = organisations


class AdditionalCommitmentForm(forms.Form):
    signatory = forms.ModelChoiceField(label=_("Signataire"), queryset=None)
    text = free_text(_("Engagement supplémentaire"), max_length=TEXT_MAX_LENGTH, required=True)

    def __init__(self, *args, convention, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["signatory"]
        field.queryset = convention.signatories.all()
        if not self.is_bound:
            # The convention page shows one form per regional convention, with the
            # signatories prefetched: offer them from that cache, since the field's own
            # queryset would run a query per form. A posted choice is still checked
            # against the queryset.
            field.choices = [
                ("", field.empty_label),
                *((org.pk, field.label_from_instance(org)) for org in convention.signatories.all()),
            ]
