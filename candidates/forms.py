"""Forms of the candidate pool: validation and French messages next to each field.
Services do the writes; their ValidationErrors are put back on the form's fields."""

from __future__ import annotations

import secrets

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower
from django.forms.models import model_to_dict
from django.utils import timezone
from django.utils.choices import BaseChoiceIterator
from django.utils.translation import gettext_lazy as _

from accounts.enums import OrganisationKind
from accounts.filter_fields import shared
from accounts.form_helpers import NOTE_MAX_LENGTH, TEXT_MAX_LENGTH, cap_text_fields, free_text
from accounts.models import InformationNotice, Organisation, User

from .enums import (
    CONSENT_METHODS,
    CONSENT_NOTICES,
    AccessKind,
    AssessmentOutcome,
    CheckInOutcome,
    ConsentAction,
    ConsentMethod,
    ConsentPurpose,
    ContractType,
    ExitReason,
    PathwayStage,
    SubjectRequestKind,
    YouthStatus,
    ordered_contract_wishes,
)
from .models import (
    CONSENT_NOTE_MAX_LENGTH,
    SCORE_FIELDS,
    Assessment,
    FollowUpNote,
    Mentor,
    VaeProject,
    Youth,
)
from .services import (
    ALREADY_SENT,
    YOUTH_FIELDS,
    allowed_next_stages,
    check_birth_date,
    mission_locale_advisors,
)


def new_submission_token() -> str:
    return secrets.token_urlsafe(32)


def date_input() -> forms.DateInput:
    return forms.DateInput(format="%d/%m/%Y", attrs={"placeholder": _("jj/mm/aaaa")})


def _date_fields(field: models.Field, **kwargs):
    """ModelForm callback: every date is typed dd/mm/yyyy."""
    if isinstance(field, models.DateField):
        kwargs.setdefault("widget", date_input())
    return field.formfield(**kwargs)


class YouthForm(forms.ModelForm):
    mission_locale = forms.ModelChoiceField(
        label=_("Mission locale"), queryset=Organisation.objects.none(), required=True
    )
    confirm_not_duplicate = forms.BooleanField(
        label=_("J'ai vérifié : il s'agit bien d'une autre personne."), required=False
    )
    # One token per form shown: sent twice, the form registers the youth once.
    submission_token = forms.CharField(
        widget=forms.HiddenInput, required=False, max_length=64, initial=new_submission_token
    )
    contract_wishes = forms.MultipleChoiceField(
        label=_("Contrats souhaités"),
        choices=ContractType.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Cochez les contrats que le jeune recherche ; aucun : pas de préférence."),
        error_messages={"invalid_choice": _("« %(value)s » n'est pas un type de contrat connu.")},
    )

    class Meta:
        model = Youth
        fields = list(YOUTH_FIELDS)
        formfield_callback = _date_fields
        widgets = {"skills": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, mission_locales, **kwargs):
        super().__init__(*args, **kwargs)
        self.duplicates = []
        if self.instance.pk:
            del self.fields["mission_locale"]
            del self.fields["submission_token"]
            ml_id = self.instance.mission_locale_id
        else:
            self.fields["mission_locale"].queryset = mission_locales
            only = list(mission_locales[:2])
            if len(only) == 1:
                self.fields["mission_locale"].initial = only[0]
                self.fields["mission_locale"].widget = forms.HiddenInput()
            ml_id = self.data.get("mission_locale") or (only[0].pk if len(only) == 1 else None)
            if ml_id and not str(ml_id).isdigit():
                ml_id = None
        self.fields["advisor"].queryset = (
            mission_locale_advisors(int(ml_id)) if ml_id else User.objects.none()
        )
        self.fields["advisor"].required = True
        self.fields["advisor"].error_messages["invalid_choice"] = _(
            "Conseiller inconnu dans cette mission locale."
        )
        self.fields["phone"].help_text = _("Dix chiffres, par exemple 06 12 34 56 78.")
        cap_text_fields(self, {"skills": NOTE_MAX_LENGTH})

    def clean_contract_wishes(self):
        return ordered_contract_wishes(self.cleaned_data["contract_wishes"])

    def clean_birth_date(self):
        birth_date = self.cleaned_data["birth_date"]
        registered_on = self.instance.registered_on if self.instance.pk else timezone.localdate()
        try:
            check_birth_date(birth_date, registered_on)
        except ValidationError as exc:
            raise ValidationError(exc.message_dict["birth_date"]) from None
        return birth_date

    def clean(self):
        cleaned = super().clean()
        ml = cleaned.get("mission_locale") or getattr(self.instance, "mission_locale", None)
        if (
            ml
            and cleaned.get("first_name")
            and cleaned.get("last_name")
            and cleaned.get("birth_date")
        ):
            self.find_duplicates(ml)
            token = cleaned.get("submission_token")
            if token and Youth.objects.filter(submission_token=token).exists():
                # The same form already registered its youth (a second click). That youth
                # may have been committed between the look-up above and this one: look
                # again, so the warning always links it.
                self.find_duplicates(ml)
                raise ValidationError(ALREADY_SENT, code="duplicate")
            if self.duplicates and not cleaned.get("confirm_not_duplicate"):
                raise ValidationError(
                    _(
                        "Un jeune de même nom et même date de naissance est déjà suivi : "
                        "vérifiez ci-dessous avant d'enregistrer."
                    ),
                    code="duplicate",
                )
        return cleaned

    def find_duplicates(self, mission_locale) -> None:
        """The youths of the mission locale with the typed name and birth date, for the
        page's warning (the service makes the same check when it saves)."""
        duplicates = Youth.objects.possible_duplicates(
            mission_locale_id=mission_locale.pk,
            first_name=self.cleaned_data["first_name"],
            last_name=self.cleaned_data["last_name"],
            birth_date=self.cleaned_data["birth_date"],
        )
        if self.instance.pk:
            duplicates = duplicates.exclude(pk=self.instance.pk)
        self.duplicates = list(duplicates[:5])

    def youth_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in YOUTH_FIELDS}


class PathwayMoveForm(forms.Form):
    stage = forms.ChoiceField(label=_("Nouvelle étape"))
    occurred_on = forms.DateField(label=_("Date"), widget=date_input())
    source = forms.CharField(
        label=_("Contrat ou candidature (pour une embauche)"),
        max_length=200,
        required=False,
        help_text=_("Par exemple : CDI téléconseiller chez Acme, depuis la candidature n° 12."),
    )
    exit_reason = forms.ChoiceField(
        label=_("Motif de sortie"), choices=[("", "—"), *ExitReason.choices], required=False
    )
    note = free_text(_("Commentaire"))

    def __init__(self, *args, youth, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["stage"].choices = [
            (stage, PathwayStage(stage).label) for stage in allowed_next_stages(youth)
        ]
        self.fields["occurred_on"].initial = timezone.localdate()

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("stage") == PathwayStage.EXIT and not cleaned.get("exit_reason"):
            self.add_error("exit_reason", _("Indiquez le motif de la sortie."))
        return cleaned


SCORE_CHOICES = [(i, str(i)) for i in range(1, 6)]


class AssessmentForm(forms.ModelForm):
    class Meta:
        model = Assessment
        fields = ["assessed_on", "method", *SCORE_FIELDS, "outcome", "comment"]
        formfield_callback = _date_fields
        widgets = {
            **{name: forms.Select(choices=[("", "—"), *SCORE_CHOICES]) for name in SCORE_FIELDS},
            "comment": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assessed_on"].initial = timezone.localdate()
        cap_text_fields(self, {"comment": NOTE_MAX_LENGTH})

    def clean_assessed_on(self):
        day = self.cleaned_data["assessed_on"]
        if day > timezone.localdate():
            raise ValidationError(_("La date ne peut pas être dans le futur."))
        return day


class FollowUpNoteForm(forms.ModelForm):
    class Meta:
        model = FollowUpNote
        fields = ["met_on", "channel", "summary", "next_appointment_on"]
        formfield_callback = _date_fields
        widgets = {"summary": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["met_on"].initial = timezone.localdate()
        cap_text_fields(self, {"summary": TEXT_MAX_LENGTH})


class CheckInForm(forms.Form):
    missed = forms.BooleanField(label=_("Le suivi n'a pas pu avoir lieu"), required=False)
    done_on = forms.DateField(label=_("Réalisé le"), widget=date_input(), required=False)
    outcome = forms.ChoiceField(
        label=_("Bilan"), choices=[("", "—"), *CheckInOutcome.choices], required=False
    )
    note = free_text(_("Commentaire"))


class MentorForm(forms.ModelForm):
    class Meta:
        model = Mentor
        fields = [
            "first_name",
            "last_name",
            "email",
            "phone",
            "kind",
            "occupation",
            "charter_signed_on",
            "is_active",
        ]
        formfield_callback = _date_fields


class PairForm(forms.Form):
    mentor = forms.ModelChoiceField(label=_("Parrain ou marraine"), queryset=Mentor.objects.none())
    started_on = forms.DateField(label=_("Début du parrainage"), widget=date_input())

    def __init__(self, *args, youth, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mentor"].queryset = Mentor.objects.filter(
            mission_locale_id=youth.mission_locale_id,
            is_active=True,
            charter_signed_on__isnull=False,
        )
        self.fields["started_on"].initial = timezone.localdate()


class PairEndForm(forms.Form):
    ended_on = forms.DateField(label=_("Fin du parrainage"), widget=date_input())
    end_reason = forms.CharField(label=_("Motif"), max_length=200, required=False)


class MeetingForm(forms.Form):
    met_on = forms.DateField(label=_("Date de la rencontre"), widget=date_input())
    note = free_text(_("Ce qui a été abordé"))


VAE_FIELDS = ("certification", "certifier", "status", "started_on", "jury_on", "note")


class VaeProjectForm(forms.Form):
    """The model's fields in a plain form: validating leaves the loaded project as it is
    in the database, and `save_vae_project` applies the cleaned data to it."""

    def __init__(self, *args, project: VaeProject | None = None, **kwargs):
        if project is not None:
            kwargs["initial"] = model_to_dict(project, fields=VAE_FIELDS)
        super().__init__(*args, **kwargs)
        self.fields.update(
            forms.fields_for_model(
                VaeProject,
                fields=VAE_FIELDS,
                formfield_callback=_date_fields,
                widgets={"note": forms.Textarea(attrs={"rows": 3})},
            )
        )
        cap_text_fields(self, {"note": NOTE_MAX_LENGTH})


class ImportUploadForm(forms.Form):
    mission_locale = forms.ModelChoiceField(
        label=_("Mission locale"), queryset=Organisation.objects.none()
    )
    file = forms.FileField(
        label=_("Fichier CSV ou XLSX"),
        help_text=_(
            "CSV enregistré par Excel (points-virgules, UTF-8 ou Windows), ou classeur XLSX. "
            "Première ligne : les titres des colonnes. Dates au format jj/mm/aaaa."
        ),
    )

    def __init__(self, *args, mission_locales, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mission_locale"].queryset = mission_locales
        only = list(mission_locales[:2])
        if len(only) == 1:
            self.fields["mission_locale"].initial = only[0]
            self.fields["mission_locale"].widget = forms.HiddenInput()


class MoveForm(forms.Form):
    mission_locale = forms.ModelChoiceField(
        label=_("Nouvelle mission locale"), queryset=Organisation.objects.none()
    )
    reason = forms.CharField(label=_("Motif"), max_length=255, required=False)

    def __init__(self, *args, youth, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mission_locale"].queryset = (
            Organisation.objects.active()
            .of_kind(OrganisationKind.MISSION_LOCALE)
            .exclude(pk=youth.mission_locale_id)
        )


class NoticeVersionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: InformationNotice) -> str:
        return _("« %(title)s », version %(version)s du %(day)s") % {
            "title": obj.title,
            "version": obj.version,
            "day": obj.published_on.strftime("%d/%m/%Y"),
        }


class ConsentForm(forms.Form):
    """How the advisor collected the youth's consent or its withdrawal, and (for a
    consent) the notice version the youth was given: the one in force, or an earlier
    one when the youth signed it before a new version came out."""

    method = forms.ChoiceField(label=_("Comment le jeune l'a-t-il exprimé ?"))
    notice = NoticeVersionChoiceField(
        label=_("Mention d'information remise au jeune"),
        queryset=InformationNotice.objects.none(),
        empty_label=None,
    )
    note = free_text(
        _("Remarque (facultative)"),
        max_length=CONSENT_NOTE_MAX_LENGTH,
        help_text=_("Par exemple : formulaire signé classé au dossier papier."),
    )

    def __init__(self, *args, action: str, **kwargs):
        super().__init__(*args, **kwargs)
        # The youth's own click comes from their space, never from this form.
        self.fields["method"].choices = [
            (method, ConsentMethod(method).label)
            for method in CONSENT_METHODS[action]
            if method != ConsentMethod.YOUTH_SPACE
        ]
        self.fields["method"].widget = forms.RadioSelect(choices=self.fields["method"].choices)
        if action == ConsentAction.GIVEN:
            # Newest first, and no empty choice: the version in force comes selected.
            self.fields["notice"].queryset = InformationNotice.objects.filter(
                purpose=CONSENT_NOTICES[ConsentPurpose.PROFILE_SHARING]
            ).order_by("-version")
        else:
            # A withdrawal records the notice in force; nothing to choose.
            del self.fields["notice"]


class AnonymiseForm(forms.Form):
    reason = forms.CharField(label=_("Référence de la demande"), max_length=255)
    confirm = forms.BooleanField(
        label=_("Je confirme : l'identité sera effacée définitivement."), required=True
    )


class SubjectRequestForm(forms.Form):
    """A youth's request to exercise a right over their data, as the advisor received it."""

    kind = forms.ChoiceField(label=_("Droit exercé"), choices=SubjectRequestKind.choices)
    received_on = forms.DateField(label=_("Demande reçue le"), widget=date_input())
    details = free_text(
        _("Ce que demande le jeune"),
        help_text=_("Par exemple : la copie de son dossier, corriger son adresse."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["received_on"].initial = timezone.localdate()


class CloseSubjectRequestForm(forms.Form):
    """What was done to answer a request; an erasure must be confirmed (it anonymises)."""

    outcome = free_text(_("Ce qui a été fait"), required=True)
    confirm_erasure = forms.BooleanField(
        label=_("Je confirme : le dossier sera anonymisé définitivement."), required=False
    )

    def __init__(self, *args, subject_request, **kwargs):
        super().__init__(*args, **kwargs)
        self.erasure = subject_request.is_erasure and not subject_request.youth.is_anonymised
        if self.erasure:
            self.fields["confirm_erasure"].required = True
        else:
            del self.fields["confirm_erasure"]


# Names sort on `search_name` (last then first name, without accents or capitals), so
# that "Écuyer" comes before "TRAORÉ" on SQLite as on PostgreSQL.
SORTS = {
    "name": ("search_name", "pk"),
    "-name": ("-search_name", "-pk"),
    "age": ("-birth_date", "pk"),
    "-age": ("birth_date", "pk"),
    "stage": ("current_stage", "last_name", "pk"),
    "contact": ("last_contact_on", "last_name", "pk"),
    "-contact": ("-last_contact_on", "last_name", "pk"),
    "registered": ("-registered_on", "-pk"),
}
# A name search, in the same order. `search_name` is already lower case, so LOWER()
# changes no row's place; it only keeps PostgreSQL from reading the mission locale's
# name index in order and filtering every row until 25 match (28,731 rows read for 93
# kept at 50,000 youths, 4 times that at 200,000): the trigram index finds the matches,
# then they are sorted (a few thousand rows at most).
SEARCH_SORTS = {
    "name": (Lower("search_name"), "pk"),
    "-name": (Lower("search_name").desc(), "-pk"),
}


class AdvisorChoices(forms.models.ModelChoiceIterator):
    """The advisors offered by the list's filter, read as (pk, names, email) in one
    plain query: Django's iterator loads whole users through a server-side cursor (three
    round trips on PostgreSQL), 1.8 ms of the list's time for a select. Labels are
    `str(user)`, as the field's own. The rows come from the field's `rows` when it has
    them (the same advisors, read without building the queryset)."""

    def __init__(self, field):
        self.field = field
        self.queryset = None if field.rows is not None else field.queryset

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        if self.queryset is None:
            rows = self.field.rows()
        else:
            rows = self.queryset.values_list("pk", "first_name", "last_name", "email")
        for pk, first_name, last_name, email in rows:
            yield (pk, str(User(first_name=first_name, last_name=last_name, email=email)))


class _ChoicesOf(BaseChoiceIterator):
    """A field's choices, read from the field each time they are iterated (Django keeps
    a choice iterator as it is, never reading it in advance)."""

    def __init__(self, field):
        self.field = field

    def __iter__(self):
        return iter(self.field.choices)


class AdvisorFilterField(forms.ModelChoiceField):
    """The advisors' choice, whose queryset may be given as a function building it
    (`advisors`): built only when the field is drawn or an advisor is chosen. The
    list's htmx swaps (every keystroke of a name search), its exports and the home
    page's counters draw no filter: building it took 0.46 ms of each."""

    iterator = AdvisorChoices
    _build = None
    #: None, or a function returning the queryset's advisors as (pk, first name, last
    #: name, email) rows in its order: what the select offers, read without the ORM.
    rows = None

    def _get_queryset(self):
        if self._build is not None:
            build, self._build = self._build, None
            self._set_queryset(build())
        return self._queryset

    def _set_queryset(self, queryset):
        if callable(queryset) and not hasattr(queryset, "all"):
            self._build, self._queryset = queryset, None
            # The widget's choices read the field's when iterated (building it then).
            self.widget.choices = _ChoicesOf(self)
            return
        self._build = None
        super()._set_queryset(queryset)

    queryset = property(_get_queryset, _set_queryset)

    def __deepcopy__(self, memo):
        result = super().__deepcopy__(memo)
        result._build = self._build
        result.rows = self.rows
        return result


class YouthFilterForm(forms.Form):
    """The list's filters (GET), applied by `filter` to the queryset scoped to the user.
    A form rather than a django-filter FilterSet: most filters are rules of the pool
    (accent-insensitive search, current stage, CIVIS in force, a default that depends on
    the stage), see docs/candidates.md, "List filters"."""

    q = shared(forms.CharField)(label=_("Nom ou prénom"), required=False)
    stage = shared(forms.ChoiceField)(
        label=_("Étape"), choices=[("", _("Toutes")), *PathwayStage.choices], required=False
    )
    advisor = AdvisorFilterField(
        label=_("Conseiller"), queryset=User.objects.none(), required=False, empty_label=_("Tous")
    )
    civis = shared(forms.ChoiceField)(
        label=_("CIVIS"),
        choices=[
            ("", _("Indifférent")),
            ("yes", _("En contrat CIVIS")),
            ("no", _("Sans CIVIS en cours")),
        ],
        required=False,
    )
    outcome = shared(forms.ChoiceField)(
        label=_("Dernière évaluation"),
        choices=[
            ("", _("Indifférent")),
            ("none", _("Pas encore évalué")),
            *AssessmentOutcome.choices,
        ],
        required=False,
    )
    no_contact_days = shared(forms.IntegerField)(
        label=_("Sans entretien depuis (jours)"), min_value=1, max_value=3650, required=False
    )
    minors = shared(forms.BooleanField)(label=_("Mineurs seulement"), required=False)
    status = shared(forms.ChoiceField)(
        label=_("Suivi"),
        choices=[("", _("En cours")), ("all", _("Tous")), (YouthStatus.CLOSED, _("Clos"))],
        required=False,
    )
    sort = shared(forms.ChoiceField)(
        label=_("Trier par"),
        choices=[
            ("name", _("Nom (A → Z)")),
            ("-name", _("Nom (Z → A)")),
            ("age", _("Plus jeunes d'abord")),
            ("-age", _("Plus âgés d'abord")),
            ("stage", _("Étape")),
            ("contact", _("Entretien le plus ancien")),
            ("-contact", _("Entretien le plus récent")),
            ("registered", _("Inscription la plus récente")),
        ],
        required=False,
    )

    #: Fields whose markup is a function of their value and the language alone (their
    #: choices, labels and help texts are the class's): `accounts.filter_fields` draws
    #: each state once.
    fixed_filter_fields = frozenset(
        {"q", "stage", "civis", "outcome", "no_contact_days", "minors", "status", "sort"}
    )
    #: `advisor`'s choices are the user's colleagues: its markup is kept by them too.
    user_choice_filter_fields = frozenset({"advisor"})

    def __init__(self, *args, advisors, advisor_rows=None, **kwargs):
        """`advisors`: the advisors offered, a queryset or a function returning it (built
        only when the field is drawn or an advisor chosen). `advisor_rows`: a function
        returning the same advisors as (pk, first name, last name, email) rows in the
        same order, which the select then offers (the queryset is built only when an
        advisor is chosen)."""
        super().__init__(*args, **kwargs)
        self.fields["advisor"].queryset = advisors
        self.fields["advisor"].rows = advisor_rows

    def filter(self, qs):
        """Apply the valid filters to `qs` (a scoped Youth queryset)."""
        if not self.is_valid():
            return qs.not_anonymised().exclude(status=YouthStatus.CLOSED).order_by(*SORTS["name"])
        return self.filter_with(qs, self.cleaned_data)

    #: The filters the youths' kept counts (`YouthCount`) hold, by status and stage;
    #: with any other set (or a search), the list counts its rows.
    KEPT_COUNT_FILTERS = frozenset({"status", "stage", "sort"})

    def counted_groups(self) -> tuple[list[str], list[str]] | None:
        """The statuses and stages of the youths the list shows (no stage: every
        stage), as `filter` selects them, when they are all its filters select by; the
        list then reads its count from the youths' kept counts. None when another filter
        is set."""
        if not self.is_valid():
            return [YouthStatus.ACTIVE], []
        data = self.cleaned_data
        if any(value for name, value in data.items() if name not in self.KEPT_COUNT_FILTERS):
            return None
        if data["status"] == "" and data["stage"] != PathwayStage.EXIT:
            statuses = [YouthStatus.ACTIVE]
        elif data["status"] == YouthStatus.CLOSED:
            statuses = [YouthStatus.CLOSED]
        else:  # every status but anonymised, as `not_anonymised`
            statuses = [status for status in YouthStatus if status != YouthStatus.ANONYMISED]
        return statuses, [data["stage"]] if data["stage"] else []

    @staticmethod
    def filter_with(qs, data):
        """`filter` for the cleaned values `data` (the list compiles a page's statement
        for a search with marks in place of the words). `counted_groups` says which
        youths it keeps, by status and stage."""
        if data["status"] == "" and data["stage"] != PathwayStage.EXIT:
            qs = qs.filter(status=YouthStatus.ACTIVE)
        elif data["status"] == "":
            qs = qs.not_anonymised()
        elif data["status"] == YouthStatus.CLOSED:
            qs = qs.filter(status=YouthStatus.CLOSED)
        else:
            qs = qs.not_anonymised()
        if data["q"]:
            qs = qs.search(data["q"])
        if data["stage"]:
            qs = qs.in_stage(data["stage"])
        if data["advisor"]:
            qs = qs.filter(advisor=data["advisor"])
        today = timezone.localdate()
        civis_now = models.Q(civis_start__lte=today) & (
            models.Q(civis_end__isnull=True) | models.Q(civis_end__gte=today)
        )
        if data["civis"] == "yes":
            qs = qs.filter(civis_now)
        elif data["civis"] == "no":
            qs = qs.exclude(civis_now)
        if data["outcome"] == "none":
            qs = qs.filter(last_assessment_outcome="")
        elif data["outcome"]:
            qs = qs.filter(last_assessment_outcome=data["outcome"])
        if data["no_contact_days"]:
            qs = qs.no_contact_since(data["no_contact_days"])
        if data["minors"]:
            qs = qs.minors()
        sort = data["sort"] or "name"
        if data["q"] and sort in SEARCH_SORTS:
            return qs.order_by(*SEARCH_SORTS[sort])
        return qs.order_by(*SORTS[sort])


class AccessLogFilterForm(forms.Form):
    """Filters of the access journal (GET): who read, what, between which days. No
    text: choices and dates only; an invalid filter is ignored, never an error page."""

    reader = forms.ModelChoiceField(
        label=_("Par"), queryset=User.objects.none(), required=False, empty_label=_("Tous")
    )
    kind = forms.ChoiceField(
        label=_("Accès"), choices=[("", _("Tous")), *AccessKind.choices], required=False
    )
    since = forms.DateField(label=_("Depuis le"), required=False, widget=date_input())
    until = forms.DateField(label=_("Jusqu'au"), required=False, widget=date_input())

    def __init__(self, *args, readers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reader"].queryset = readers

    def filter(self, entries):
        """Apply the filters that are valid to `entries` (a scoped AccessLogEntry
        queryset); days are calendar days in the portal's time zone."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        if data.get("reader"):
            entries = entries.filter(user=data["reader"])
        if data.get("kind"):
            entries = entries.filter(kind=data["kind"])
        if data.get("since"):
            entries = entries.filter(at__date__gte=data["since"])
        if data.get("until"):
            entries = entries.filter(at__date__lte=data["until"])
        return entries
