"""The candidate pool: youths, their pathway, assessments, follow-up and mentoring.

The pathway events are the source of truth of a youth's stage; `Youth.current_stage`
is a copy kept by `services.record_pathway_event` only, for fast lists and filters.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import F, Prefetch, Q, Window
from django.db.models.functions import ExtractYear, RowNumber
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.enums import OrganisationKind
from accounts.scope import get_scope

# The access log is its own concept module; imported here so Django registers its model.
from .access_log import AccessLogEntry  # noqa: F401
from .enums import (
    AssessmentMethod,
    AssessmentOutcome,
    Availability,
    CheckInOutcome,
    CheckInStatus,
    ConsentAction,
    ConsentMethod,
    ConsentPurpose,
    ContractType,
    DataRequestKind,
    EducationLevel,
    ExitReason,
    ImportStatus,
    MentorKind,
    Mobility,
    NoteChannel,
    PathwayStage,
    VaeStatus,
    YouthStatus,
)
from .text import normalise_name
from .validators import validate_contract_wishes, validate_french_phone

MIN_AGE = 16
MAX_AGE = 25
ADULT_AGE = 18
SOURCE_REFERENCE = re.compile(r"^(?P<model>[a-z_]+\.[A-Za-z]+)#(?P<pk>\d+)$")


def years_ago(years: int, today: date) -> date:
    """The same day `years` earlier (29 February falls back to 28)."""
    try:
        return today.replace(year=today.year - years)
    except ValueError:
        return today.replace(year=today.year - years, day=28)


def age_on(birth_date: date, day: date) -> int:
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


class YouthQuerySet(models.QuerySet):
    def visible_to(self, user) -> YouthQuerySet:
        """Youths a user may see: the advisors and managers of the youth's mission locale
        (admins too). Recruiters, project leads, partners and national staff see none:
        companies only ever get `shared_profile()` of consenting youths, through the
        offers and immersion apps."""
        scope = get_scope(user)
        if scope.is_admin:
            return self.all()
        if not scope.mission_locale_ids:
            return self.none()
        return self.filter(mission_locale_id__in=scope.mission_locale_ids)

    def not_anonymised(self) -> YouthQuerySet:
        return self.exclude(status=YouthStatus.ANONYMISED)

    def followed(self) -> YouthQuerySet:
        """Youths whose follow-up is running: the only ones a form offers to pick (a
        closed or anonymised file is never enrolled nor proposed)."""
        return self.filter(status=YouthStatus.ACTIVE)

    def sharing_consented(self) -> YouthQuerySet:
        """Youths whose profile may be shown to companies right now: consent recorded
        and not withdrawn since, and the record not anonymised."""
        return self.filter(
            consent_shared_at__isnull=False, consent_withdrawn_at__isnull=True
        ).not_anonymised()

    def shared_with(self, user) -> YouthQuerySet:
        """The youths of whom `user` may see at least the shared profile: the list form
        of `permissions.can_see_shared_profile` (same rule, in one query). Their own
        missions locales' youths for advisors and managers (they see the file), and
        for everyone else only those consenting right now. A page still narrows it to
        what it is about (an offer's proposals, a region's pool, a session)."""
        return self.visible_to(user) | self.sharing_consented()

    def minors(self, today: date | None = None) -> YouthQuerySet:
        today = today or timezone.localdate()
        return self.filter(birth_date__gt=years_ago(ADULT_AGE, today))

    def in_stage(self, *stages: str) -> YouthQuerySet:
        return self.filter(current_stage__in=stages)

    def search(self, text: str) -> YouthQuerySet:
        """Every word of `text` must appear in the name, accents and case ignored."""
        qs = self
        for word in normalise_name(text).split():
            qs = qs.filter(search_name__contains=word)
        return qs

    def possible_duplicates(
        self, *, mission_locale_id: int, first_name: str, last_name: str, birth_date: date
    ) -> YouthQuerySet:
        """Same name (accents and case ignored) and birth date in the same mission locale."""
        return self.filter(
            mission_locale_id=mission_locale_id,
            search_name=normalise_name(last_name, first_name),
            birth_date=birth_date,
        ).not_anonymised()

    def no_contact_since(self, days: int, today: date | None = None) -> YouthQuerySet:
        """No follow-up note for `days` days (never seen counts from the registration)."""
        today = today or timezone.localdate()
        limit = today - timedelta(days=days)
        return self.filter(
            Q(last_contact_on__lt=limit) | Q(last_contact_on__isnull=True, registered_on__lt=limit)
        )

    def for_list(self) -> YouthQuerySet:
        """What the advisor's list shows, in a fixed number of queries."""
        return self.select_related("advisor", "mission_locale")

    def with_file(self) -> YouthQuerySet:
        """A youth with their whole file loaded, for the youth's page, its timeline and
        the data-access page: one query per related set, however many rows it holds.
        Read the sets with `.all()` afterwards (a `.filter()` or `.first()` queries again)."""
        return self.select_related(
            "mission_locale", "advisor", "consent_recorded_by"
        ).prefetch_related(*youth_file_prefetches())


def youth_file_prefetches() -> list[Prefetch]:
    """The related sets of a youth's file, each with what its readers show (authors,
    mentors, meetings, missions locales). `build_timeline` passes them to
    `prefetch_related_objects`, which skips the sets `with_file()` already loaded."""
    return [
        Prefetch("pathway_events", queryset=PathwayEvent.objects.select_related("author")),
        Prefetch("follow_up_notes", queryset=FollowUpNote.objects.select_related("author")),
        Prefetch("assessments", queryset=Assessment.objects.select_related("assessor")),
        Prefetch("check_ins", queryset=InCompanyCheckIn.objects.select_related("recorded_by")),
        Prefetch(
            "mentoring_pairs",
            queryset=MentoringPair.objects.select_related("mentor").prefetch_related("meetings"),
        ),
        Prefetch("vae_projects", queryset=VaeProject.objects.all()),
        Prefetch(
            "transfers",
            queryset=YouthTransfer.objects.select_related(
                "from_mission_locale", "to_mission_locale"
            ),
        ),
        Prefetch(
            "consent_records",
            queryset=ConsentRecord.objects.select_related("recorded_by", "notice"),
        ),
    ]


class Youth(models.Model):
    mission_locale = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("mission locale"),
        on_delete=models.PROTECT,
        related_name="youths",
        limit_choices_to={"kind": OrganisationKind.MISSION_LOCALE},
    )
    advisor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("conseiller référent"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="followed_youths",
    )
    first_name = models.CharField(_("prénom"), max_length=100)
    last_name = models.CharField(_("nom"), max_length=100)
    # normalise_name(last_name, first_name): accent-insensitive search and duplicates.
    search_name = models.CharField(max_length=210, editable=False, db_index=True)
    # The one-time token of the form that registered the youth: the same form sent
    # twice (a double click, a reload) registers nobody twice.
    submission_token = models.CharField(
        max_length=64, null=True, blank=True, unique=True, editable=False
    )
    birth_date = models.DateField(_("date de naissance"))
    email = models.EmailField(_("adresse e-mail"), blank=True, default="")
    phone = models.CharField(
        _("téléphone"),
        max_length=20,
        blank=True,
        default="",
        validators=[validate_french_phone],
    )
    postcode = models.CharField(
        _("code postal"),
        max_length=5,
        blank=True,
        default="",
        validators=[RegexValidator(r"^\d{5}$", _("Le code postal compte cinq chiffres."))],
    )
    city = models.CharField(_("commune"), max_length=100, blank=True, default="")
    education_level = models.CharField(
        _("niveau de formation"), max_length=16, choices=EducationLevel.choices, blank=True
    )
    previous_sector = models.CharField(
        _("secteur d'activité précédent"), max_length=150, blank=True, default=""
    )
    skills = models.TextField(_("compétences transférables"), blank=True, default="")
    mobility = models.CharField(_("mobilité"), max_length=20, choices=Mobility.choices, blank=True)
    availability = models.CharField(
        _("disponibilité"), max_length=16, choices=Availability.choices, blank=True
    )
    # The contract types the youth looks for (ContractType values, in the choices'
    # order); empty: no preference. A JSON list works the same on SQLite and PostgreSQL.
    contract_wishes = models.JSONField(
        _("contrats souhaités"),
        default=list,
        blank=True,
        validators=[validate_contract_wishes],
    )
    civis_start = models.DateField(_("début du contrat CIVIS"), null=True, blank=True)
    civis_end = models.DateField(_("fin du contrat CIVIS"), null=True, blank=True)
    consent_shared_at = models.DateTimeField(
        _("consentement au partage du profil recueilli le"), null=True, blank=True
    )
    consent_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("consentement recueilli par"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    consent_withdrawn_at = models.DateTimeField(_("consentement retiré le"), null=True, blank=True)
    consent_withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("retrait enregistré par"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    status = models.CharField(
        _("état du suivi"), max_length=16, choices=YouthStatus.choices, default=YouthStatus.ACTIVE
    )
    # Copies kept by the services, for lists and filters; the events, notes and
    # assessments stay the source of truth.
    current_stage = models.CharField(
        _("étape du parcours"),
        max_length=16,
        choices=PathwayStage.choices,
        default=PathwayStage.INFORMATION,
    )
    stage_changed_on = models.DateField(_("étape atteinte le"), null=True, blank=True)
    last_contact_on = models.DateField(_("dernier entretien"), null=True, blank=True)
    next_appointment_on = models.DateField(_("prochain rendez-vous"), null=True, blank=True)
    last_assessment_outcome = models.CharField(
        _("résultat de la dernière évaluation"),
        max_length=16,
        choices=AssessmentOutcome.choices,
        blank=True,
    )
    registered_on = models.DateField(_("inscrit(e) le"), default=timezone.localdate)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("créé par"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)
    anonymised_at = models.DateTimeField(_("anonymisé le"), null=True, blank=True)
    # The day the advisor and the manager were told the file would be anonymised for
    # want of activity (`retention`): 30 days later it is, unless something happened.
    retention_notice_on = models.DateField(
        _("anonymisation annoncée le"), null=True, blank=True, editable=False
    )

    objects = YouthQuerySet.as_manager()

    class Meta:
        # `search_name` is the name without accents or capitals: the same order on
        # SQLite and PostgreSQL ("Écuyer" before "TRAORÉ").
        ordering = ["search_name", "pk"]
        verbose_name = _("jeune")
        verbose_name_plural = _("jeunes")
        indexes = [
            models.Index(fields=["mission_locale", "search_name"], name="youth_ml_name_order"),
            models.Index(fields=["mission_locale", "current_stage"]),
            models.Index(fields=["advisor", "next_appointment_on"]),
        ]
        constraints = [
            models.CheckConstraint(
                name="youth_civis_end_after_start",
                condition=Q(civis_end__isnull=True)
                | Q(civis_start__isnull=True)
                | Q(civis_end__gte=models.F("civis_start")),
                violation_error_message=_("La fin du contrat CIVIS ne peut précéder son début."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def age(self) -> int:
        return age_on(self.birth_date, timezone.localdate())

    @property
    def is_minor(self) -> bool:
        return self.age < ADULT_AGE

    @property
    def is_anonymised(self) -> bool:
        return self.status == YouthStatus.ANONYMISED

    @property
    def has_sharing_consent(self) -> bool:
        return (
            self.consent_shared_at is not None
            and self.consent_withdrawn_at is None
            and not self.is_anonymised
        )

    @property
    def is_in_civis(self) -> bool:
        today = timezone.localdate()
        return bool(
            self.civis_start
            and self.civis_start <= today
            and (self.civis_end is None or today <= self.civis_end)
        )

    @property
    def initial(self) -> str:
        return f"{self.last_name[:1].upper()}." if self.last_name else ""

    @property
    def shared_label(self) -> str:
        """How a youth is named outside their mission locale, when they consent: first
        name and the surname's initial ("Inès B."). The one place this rule is written;
        pages ask `candidates.sharing.youth_as_seen_by`, which decides whether it shows."""
        return f"{self.first_name} {self.initial}".strip()

    @property
    def contract_wish_labels(self) -> list[str]:
        """The wished contract types' French labels, in the choices' order."""
        wishes = set(self.contract_wishes or ())
        return [str(label) for value, label in ContractType.choices if value in wishes]

    def get_contract_wishes_display(self) -> str:
        return ", ".join(self.contract_wish_labels)

    def shared_profile(self) -> dict:
        """What a company may see of a consenting youth: no surname, contact or birth
        date; first name, initial, age, skills, wished contracts, latest assessment
        outcome and stage. Whether it may be shown at all is for
        `permissions.can_see_shared_profile` (through `sharing.youth_as_seen_by`)."""
        return {
            "label": self.shared_label,
            "first_name": self.first_name,
            "initial": self.initial,
            "age": self.age,
            "education_level": self.get_education_level_display(),
            "previous_sector": self.previous_sector,
            "skills": self.skills,
            "mobility": self.get_mobility_display(),
            "availability": self.get_availability_display(),
            "contract_wishes": self.get_contract_wishes_display(),
            "assessment_outcome": self.get_last_assessment_outcome_display(),
            "pathway_stage": self.get_current_stage_display(),
        }


class PathwayEventQuerySet(models.QuerySet):
    def visible_to(self, user) -> PathwayEventQuerySet:
        """Events of the youths the user may see."""
        return self.filter(youth__in=Youth.objects.visible_to(user))

    def chronological(self) -> PathwayEventQuerySet:
        return self.order_by("occurred_on", "created_at", "pk")


class PathwayEvent(models.Model):
    """One move along the pathway, with its author and where it came from.

    `source` is a free label ("CDI chez X") or a reference to the record that caused the
    move, written "app_label.Model#pk" (e.g. "offers.Proposal#12").
    """

    youth = models.ForeignKey(
        Youth, verbose_name=_("jeune"), on_delete=models.CASCADE, related_name="pathway_events"
    )
    stage = models.CharField(_("étape"), max_length=16, choices=PathwayStage.choices)
    previous_stage = models.CharField(
        _("étape précédente"), max_length=16, choices=PathwayStage.choices, blank=True
    )
    occurred_on = models.DateField(_("date"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("auteur"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    note = models.TextField(_("commentaire"), blank=True, default="")
    exit_reason = models.CharField(
        _("motif de sortie"), max_length=24, choices=ExitReason.choices, blank=True
    )
    source = models.CharField(
        _("origine (contrat, candidature, session)"), max_length=200, blank=True, default=""
    )
    created_at = models.DateTimeField(_("enregistré le"), auto_now_add=True)
    # The youth's first event at this stage in this calendar year (earliest date, then
    # the first recorded): counting these counts the youths entering a stage in a year
    # without a COUNT(DISTINCT) over the year's events. Kept by `refresh_first_in_year`
    # after every save and delete, and after every bulk write.
    first_in_year = models.BooleanField(
        _("première de l'année à cette étape"), default=False, editable=False
    )

    objects = PathwayEventQuerySet.as_manager()

    class Meta:
        ordering = ["occurred_on", "created_at", "pk"]
        verbose_name = _("étape du parcours")
        verbose_name_plural = _("étapes du parcours")
        indexes = [
            models.Index(fields=["youth", "occurred_on"]),
            # Reporting: counts of a stage over a period, read from the index alone.
            models.Index(
                fields=["stage", "occurred_on"], include=["youth"], name="pathway_stage_date_idx"
            ),
            # Reporting: every stage over a period (the funnel), from the index alone.
            models.Index(
                fields=["occurred_on", "stage"], include=["youth"], name="pathway_date_stage_idx"
            ),
            # Reporting: youths entering each stage in a year (the funnel of a year).
            models.Index(
                fields=["occurred_on", "stage"],
                include=["youth"],
                condition=Q(first_in_year=True),
                name="pathway_first_in_year_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                name="pathway_exit_has_reason",
                condition=~Q(stage=PathwayStage.EXIT) | ~Q(exit_reason=""),
                violation_error_message=_("Une sortie du parcours demande un motif."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.youth} · {self.get_stage_display()} ({self.occurred_on:%d/%m/%Y})"

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        refresh_first_in_year([self.youth_id])
        self.refresh_from_db(fields=["first_in_year"])

    def delete(self, *args, **kwargs):
        youth_id = self.youth_id
        result = super().delete(*args, **kwargs)
        refresh_first_in_year([youth_id])
        return result

    @property
    def source_reference(self) -> tuple[str, int] | None:
        """("offers.Proposal", 12) when `source` points at a record, else None."""
        match = SOURCE_REFERENCE.match(self.source)
        if not match:
            return None
        return match["model"], int(match["pk"])


class AssessmentQuerySet(models.QuerySet):
    def visible_to(self, user) -> AssessmentQuerySet:
        return self.filter(youth__in=Youth.objects.visible_to(user))


SCORE_FIELDS = (
    "score_oral_expression",
    "score_listening",
    "score_written_french",
    "score_computer_use",
    "score_stress_handling",
)


def _score_field(label):
    return models.PositiveSmallIntegerField(label, help_text=_("De 1 (à travailler) à 5 (acquis)."))


class Assessment(models.Model):
    """Aptitude assessment (Art. 6): the skills the customer-relations industry asks for."""

    youth = models.ForeignKey(
        Youth, verbose_name=_("jeune"), on_delete=models.CASCADE, related_name="assessments"
    )
    assessed_on = models.DateField(_("date de l'évaluation"))
    method = models.CharField(_("méthode"), max_length=16, choices=AssessmentMethod.choices)
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("évaluateur"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    score_oral_expression = _score_field(_("expression orale"))
    score_listening = _score_field(_("écoute"))
    score_written_french = _score_field(_("français écrit"))
    score_computer_use = _score_field(_("usage de l'informatique"))
    score_stress_handling = _score_field(_("gestion du stress"))
    outcome = models.CharField(_("résultat"), max_length=16, choices=AssessmentOutcome.choices)
    comment = models.TextField(_("commentaire"), blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = AssessmentQuerySet.as_manager()

    class Meta:
        ordering = ["-assessed_on", "-pk"]
        verbose_name = _("évaluation des aptitudes")
        verbose_name_plural = _("évaluations des aptitudes")
        constraints = [
            models.CheckConstraint(
                name=f"assessment_{name}_1_to_5",
                condition=Q(**{f"{name}__gte": 1, f"{name}__lte": 5}),
                violation_error_message=_("Les notes vont de 1 à 5."),
            )
            for name in SCORE_FIELDS
        ]

    def __str__(self) -> str:
        return f"{self.youth} · {self.assessed_on:%d/%m/%Y}"

    @property
    def scores(self) -> list[tuple[str, int]]:
        return [
            (self._meta.get_field(name).verbose_name, getattr(self, name)) for name in SCORE_FIELDS
        ]

    @property
    def average(self) -> float:
        return round(sum(getattr(self, name) for name in SCORE_FIELDS) / len(SCORE_FIELDS), 1)


class FollowUpNoteQuerySet(models.QuerySet):
    def visible_to(self, user) -> FollowUpNoteQuerySet:
        return self.filter(youth__in=Youth.objects.visible_to(user))


class FollowUpNote(models.Model):
    """A follow-up meeting (*entretien*) and the next appointment agreed."""

    youth = models.ForeignKey(
        Youth, verbose_name=_("jeune"), on_delete=models.CASCADE, related_name="follow_up_notes"
    )
    met_on = models.DateField(_("date de l'entretien"))
    channel = models.CharField(_("forme"), max_length=16, choices=NoteChannel.choices)
    summary = models.TextField(_("compte rendu"))
    next_appointment_on = models.DateField(_("prochain rendez-vous"), null=True, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("auteur"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = FollowUpNoteQuerySet.as_manager()

    class Meta:
        ordering = ["-met_on", "-pk"]
        verbose_name = _("entretien")
        verbose_name_plural = _("entretiens")

    def __str__(self) -> str:
        return f"{self.youth} · {self.met_on:%d/%m/%Y}"


class CheckInQuerySet(models.QuerySet):
    def visible_to(self, user) -> CheckInQuerySet:
        return self.filter(youth__in=Youth.objects.visible_to(user))

    def planned(self) -> CheckInQuerySet:
        return self.filter(status=CheckInStatus.PLANNED)


class InCompanyCheckIn(models.Model):
    """A follow-up in the company 1, 3 and 6 months after hiring (Art. 3)."""

    youth = models.ForeignKey(
        Youth, verbose_name=_("jeune"), on_delete=models.CASCADE, related_name="check_ins"
    )
    hired_on = models.DateField(_("date d'embauche"))
    months_after = models.PositiveSmallIntegerField(_("mois après l'embauche"))
    due_on = models.DateField(_("prévu le"))
    status = models.CharField(
        _("état"), max_length=16, choices=CheckInStatus.choices, default=CheckInStatus.PLANNED
    )
    done_on = models.DateField(_("réalisé le"), null=True, blank=True)
    outcome = models.CharField(
        _("bilan"), max_length=16, choices=CheckInOutcome.choices, blank=True
    )
    note = models.TextField(_("commentaire"), blank=True, default="")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("réalisé par"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = CheckInQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "pk"]
        verbose_name = _("suivi en entreprise")
        verbose_name_plural = _("suivis en entreprise")
        constraints = [
            models.UniqueConstraint(
                fields=["youth", "hired_on", "months_after"],
                name="check_in_once_per_hiring_and_month",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.youth} · {self.months_after} mois"

    @property
    def is_planned(self) -> bool:
        return self.status == CheckInStatus.PLANNED


class MentorQuerySet(models.QuerySet):
    def visible_to(self, user) -> MentorQuerySet:
        """Mentors are volunteers recruited by a mission locale: its advisors and managers
        see them."""
        scope = get_scope(user)
        if scope.is_admin:
            return self.all()
        return self.filter(mission_locale_id__in=scope.mission_locale_ids)


class Mentor(models.Model):
    """A volunteer mentor (*parrain / marraine*, Art. 14)."""

    mission_locale = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("mission locale"),
        on_delete=models.PROTECT,
        related_name="mentors",
    )
    first_name = models.CharField(_("prénom"), max_length=100)
    last_name = models.CharField(_("nom"), max_length=100)
    email = models.EmailField(_("adresse e-mail"), blank=True, default="")
    phone = models.CharField(_("téléphone"), max_length=20, blank=True, default="")
    kind = models.CharField(_("situation"), max_length=16, choices=MentorKind.choices)
    occupation = models.CharField(
        _("métier ou ancien métier"), max_length=150, blank=True, default=""
    )
    charter_signed_on = models.DateField(
        _("charte nationale du parrainage signée le"), null=True, blank=True
    )
    is_active = models.BooleanField(_("disponible"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # Two years after their last mentoring (the mentors' notice), the retention job
    # replaces their identity and contact.
    anonymised_at = models.DateTimeField(_("anonymisé le"), null=True, blank=True, editable=False)

    objects = MentorQuerySet.as_manager()

    class Meta:
        ordering = ["last_name", "first_name", "pk"]
        verbose_name = _("parrain ou marraine")
        verbose_name_plural = _("parrains et marraines")

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}"


class MentoringPairQuerySet(models.QuerySet):
    def visible_to(self, user) -> MentoringPairQuerySet:
        return self.filter(youth__in=Youth.objects.visible_to(user))

    def active(self) -> MentoringPairQuerySet:
        return self.filter(ended_on__isnull=True)


class MentoringPair(models.Model):
    mentor = models.ForeignKey(
        Mentor,
        verbose_name=_("parrain ou marraine"),
        on_delete=models.PROTECT,
        related_name="pairs",
    )
    youth = models.ForeignKey(
        Youth, verbose_name=_("jeune"), on_delete=models.CASCADE, related_name="mentoring_pairs"
    )
    started_on = models.DateField(_("début du parrainage"))
    ended_on = models.DateField(_("fin du parrainage"), null=True, blank=True)
    end_reason = models.CharField(_("motif de fin"), max_length=200, blank=True, default="")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = MentoringPairQuerySet.as_manager()

    class Meta:
        ordering = ["-started_on", "-pk"]
        verbose_name = _("parrainage")
        verbose_name_plural = _("parrainages")
        constraints = [
            models.UniqueConstraint(
                fields=["youth"],
                condition=Q(ended_on__isnull=True),
                name="mentoring_one_active_mentor_per_youth",
                violation_error_message=_("Ce jeune a déjà un parrainage en cours."),
            ),
            models.CheckConstraint(
                name="mentoring_ends_after_start",
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                violation_error_message=_("La fin du parrainage ne peut précéder son début."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.mentor} → {self.youth}"

    @property
    def is_active(self) -> bool:
        return self.ended_on is None


class MentoringMeeting(models.Model):
    pair = models.ForeignKey(
        MentoringPair,
        verbose_name=_("parrainage"),
        on_delete=models.CASCADE,
        related_name="meetings",
    )
    met_on = models.DateField(_("date de la rencontre"))
    note = models.TextField(_("ce qui a été abordé"), blank=True, default="")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-met_on", "-pk"]
        verbose_name = _("rencontre de parrainage")
        verbose_name_plural = _("rencontres de parrainage")

    def __str__(self) -> str:
        return f"{self.pair} · {self.met_on:%d/%m/%Y}"


class VaeProject(models.Model):
    """A VAE or certification project of a youth (Axe VII)."""

    youth = models.ForeignKey(
        Youth, verbose_name=_("jeune"), on_delete=models.CASCADE, related_name="vae_projects"
    )
    certification = models.CharField(_("certification visée"), max_length=200)
    certifier = models.CharField(_("certificateur"), max_length=150, blank=True, default="")
    status = models.CharField(
        _("état"), max_length=16, choices=VaeStatus.choices, default=VaeStatus.PROJECT
    )
    started_on = models.DateField(_("début du projet"))
    jury_on = models.DateField(_("date du jury"), null=True, blank=True)
    note = models.TextField(_("commentaire"), blank=True, default="")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-started_on", "-pk"]
        verbose_name = _("projet de VAE ou de certification")
        verbose_name_plural = _("projets de VAE ou de certification")

    def __str__(self) -> str:
        return f"{self.youth} · {self.certification}"


class ImportBatch(models.Model):
    """An uploaded spreadsheet: its columns matched to fields, then previewed, then its
    valid rows imported on confirmation.

    `source_rows` keeps the file's cells (as text) until confirmation, so the columns
    can be matched again without uploading the file twice; like the valid and rejected
    rows it is purged of a youth's rows when the youth is anonymised, and emptied once
    the import is confirmed."""

    mission_locale = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    file_name = models.CharField(_("fichier"), max_length=255)
    file_sha256 = models.CharField(max_length=64)
    status = models.CharField(
        _("état"), max_length=16, choices=ImportStatus.choices, default=ImportStatus.PREVIEWED
    )
    #: The titles of the file's columns, as written.
    headers = models.JSONField(default=list)
    #: The line number of the titles (an XLSX may hold a title row above them).
    header_line = models.PositiveIntegerField(default=1)
    #: The field chosen for each column ("" when the column is ignored).
    columns = models.JSONField(default=list)
    #: [line number, [cells as text]] of every non-empty row under the titles.
    source_rows = models.JSONField(default=list)
    valid_rows = models.JSONField(default=list)
    rejected_rows = models.JSONField(default=list)
    created_count = models.PositiveIntegerField(default=0)
    skipped_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    # 30 days after the upload the rows (names, contact) are emptied; the counts stay.
    rows_purged_at = models.DateTimeField(_("lignes effacées le"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("import de jeunes")
        verbose_name_plural = _("imports de jeunes")

    def __str__(self) -> str:
        return self.file_name

    @property
    def is_previewed(self) -> bool:
        return self.status == ImportStatus.PREVIEWED

    @property
    def is_mapping(self) -> bool:
        return self.status == ImportStatus.MAPPING


class ImportMapping(models.Model):
    """How a mission locale's spreadsheets name their columns: the normalised title
    ("date naiss") -> the field ("birth_date", or "" for a column it ignores). Saved
    when someone matches the columns of an import, proposed at the next one. Holds
    titles only, never a youth's data."""

    mission_locale = models.OneToOneField(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    columns = models.JSONField(default=dict)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("colonnes d'import d'une mission locale")
        verbose_name_plural = _("colonnes d'import des missions locales")

    def __str__(self) -> str:
        return str(self.mission_locale_id)


class DataSubjectRequest(models.Model):
    """Who exported or anonymised a youth's data, and when (GDPR accountability)."""

    youth = models.ForeignKey(
        Youth, verbose_name=_("jeune"), on_delete=models.CASCADE, related_name="data_requests"
    )
    kind = models.CharField(_("action"), max_length=16, choices=DataRequestKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("par"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    reason = models.CharField(_("motif ou référence de la demande"), max_length=255, blank=True)
    done_at = models.DateTimeField(_("le"), default=timezone.now)

    class Meta:
        ordering = ["-done_at"]
        verbose_name = _("demande sur les données personnelles")
        verbose_name_plural = _("demandes sur les données personnelles")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.done_at:%d/%m/%Y}"


#: The cap on a consent record's note ("formulaire classé au dossier papier").
CONSENT_NOTE_MAX_LENGTH = 1_000


class ConsentRecord(models.Model):
    """One step of a youth's consent, given or withdrawn: when, who recorded it (none
    when the youth did it in their own space), how it was collected, and the version of
    the information notice the youth was given. The history is the proof a controller
    must be able to show (GDPR Art. 7(1)); the `Youth.consent_*` fields copy its latest
    step for the one predicate and the lists (fast, indexed, no join). Written by
    `services.record_sharing_consent` / `withdraw_sharing_consent` / `anonymise_youth`
    only, never changed afterwards (anonymisation clears the note)."""

    youth = models.ForeignKey(
        Youth, verbose_name=_("jeune"), on_delete=models.CASCADE, related_name="consent_records"
    )
    purpose = models.CharField(
        _("objet"),
        max_length=32,
        choices=ConsentPurpose.choices,
        default=ConsentPurpose.PROFILE_SHARING,
    )
    action = models.CharField(_("action"), max_length=16, choices=ConsentAction.choices)
    at = models.DateTimeField(_("le"), default=timezone.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("enregistré par"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    method = models.CharField(_("recueilli"), max_length=16, choices=ConsentMethod.choices)
    # Null only for the steps recorded before the notices existed (data migration) and
    # for an anonymisation or a withdrawal while no notice was published.
    notice = models.ForeignKey(
        "accounts.InformationNotice",
        verbose_name=_("mention d'information remise"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="consent_records",
    )
    note = models.TextField(_("remarque"), blank=True, default="")

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("consentement (historique)")
        verbose_name_plural = _("consentements (historique)")
        indexes = [models.Index(fields=["youth", "-at"])]
        constraints = [
            # The youth's own click has no author; every other way has one when written
            # (SET_NULL may clear it later, when the account is deleted).
            models.CheckConstraint(
                name="consent_youth_space_has_no_author",
                condition=~Q(method=ConsentMethod.YOUTH_SPACE) | Q(recorded_by__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_action_display()} · {self.at:%d/%m/%Y}"

    @property
    def by_the_youth(self) -> bool:
        """The youth did it themself, in their own space: no advisor recorded it."""
        return self.method == ConsentMethod.YOUTH_SPACE


class YouthTransfer(models.Model):
    """A youth handed from one mission locale to another (they moved house)."""

    youth = models.ForeignKey(
        Youth, verbose_name=_("jeune"), on_delete=models.CASCADE, related_name="transfers"
    )
    from_mission_locale = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("mission locale d'origine"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    to_mission_locale = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("nouvelle mission locale"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    moved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    moved_on = models.DateField(_("date"), default=timezone.localdate)
    reason = models.CharField(_("motif"), max_length=255, blank=True, default="")

    class Meta:
        ordering = ["-moved_on", "-pk"]
        verbose_name = _("transfert de jeune")
        verbose_name_plural = _("transferts de jeunes")

    def __str__(self) -> str:
        return f"{self.youth} : {self.from_mission_locale} → {self.to_mission_locale}"


def refresh_first_in_year(youth_ids=None) -> None:
    """Set `PathwayEvent.first_in_year` on the events of these youths (of every youth
    when None): true on each youth's first event at a stage in a calendar year, false on
    the others. Two UPDATEs whatever the number of events; run after any write that
    bypasses `save()` (bulk_create, COPY)."""
    events = PathwayEvent._base_manager.all()
    if youth_ids is not None:
        events = events.filter(youth_id__in=list(youth_ids))
    firsts = (
        events.annotate(
            rank=Window(
                RowNumber(),
                partition_by=[F("youth_id"), F("stage"), ExtractYear("occurred_on")],
                order_by=[F("occurred_on").asc(), F("pk").asc()],
            )
        )
        .filter(rank=1)
        .values("pk")
    )
    events.filter(first_in_year=True).exclude(pk__in=firsts).update(first_in_year=False)
    events.filter(first_in_year=False, pk__in=firsts).update(first_in_year=True)


# A concept of its own, in its own module; imported here so Django registers the model.
from .subject_requests import SubjectRequest  # noqa: E402,F401
