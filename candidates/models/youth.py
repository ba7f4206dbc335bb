"""A youth of the pool, the ages the convention follows, and moves between missions locales."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from functools import cache

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Exists, F, OuterRef, Prefetch, Q, Value, prefetch_related_objects
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast, Concat
from django.db.models.lookups import In
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.compiled_shapes import CompiledShapes
from accounts.enums import OrganisationKind
from accounts.model_base import PortalModel
from accounts.scope import get_scope

from ..enums import (
    AssessmentOutcome,
    Availability,
    ContractType,
    EducationLevel,
    Mobility,
    PathwayStage,
    YouthStatus,
)
from ..text import normalise_name, searched_words
from ..validators import validate_contract_wishes, validate_french_phone

MIN_AGE = 16
MAX_AGE = 25
ADULT_AGE = 18


def years_ago(years: int, today: date) -> date:
    """The same day `years` earlier (29 February falls back to 28)."""
    try:
        return today.replace(year=today.year - years)
    except ValueError:
        return today.replace(year=today.year - years, day=28)


def age_on(birth_date: date, day: date) -> int:
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


def civis_in_force(start: date | None, end: date | None, day: date) -> bool:
    """A CIVIS contract runs on `day`: started, and not ended (no end: still running)."""
    return bool(start and start <= day and (end is None or day <= end))


def spaced_name(field: str) -> Concat:
    """`field` (a normalised name) after a space: " lef" in it is a word beginning with
    "lef", the first word included."""
    return Concat(Value(" "), F(field), output_field=models.CharField())


class YouthQuerySet(models.QuerySet):
    def visible_to(self, user) -> YouthQuerySet:
        """Youths a user may see: the advisors and managers of the youth's mission locale
        (admins too). Recruiters, project leads, partners and national staff see none:
        companies only ever get `shared_profile()` of consenting youths, through the
        offers and immersion apps."""
        scope = get_scope(user)
        return self.visible_in(is_admin=scope.is_admin, mission_locale_ids=scope.mission_locale_ids)

    def visible_in(self, *, is_admin: bool, mission_locale_ids) -> YouthQuerySet:
        """`visible_to` for the two facts of a user's scope it reads (`visible_to` is
        this for the user's): `visible_youth_file` compiles it once per shape of scope."""
        if is_admin:
            return self.all()
        if not mission_locale_ids:
            return self.none()
        # The ids as the column's type (bigint): the name search's GIN index on
        # (mission locale, name trigrams) matches no `bigint = integer` comparison
        # before PostgreSQL 18 (candidates migration 0026). B-tree indexes take either.
        typed = [Cast(Value(pk), models.BigIntegerField()) for pk in sorted(mission_locale_ids)]
        return self.filter(In(F("mission_locale_id"), typed))

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
        """Every word of `text` must begin a word of the name, accents and case ignored
        ("lef" finds "Lefèvre" and "Marie-Lefort", not "Malefant"). The first condition
        of each word is the one PostgreSQL's trigram index answers (candidates migration
        0030), the second the rule. The list reads its searches from the names' words
        instead (`YouthNameWord`, same rule), where it can."""
        qs = self.alias(spaced_search_name=spaced_name("search_name"))
        for word in searched_words(text):
            qs = qs.filter(search_name__contains=word, spaced_search_name__contains=f" {word}")
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

    def as_list_rows(self):
        """The columns of the list's rows, as tuples (`views.youths.list_rows` writes
        them): a page of model instances with their advisor and mission locale cost
        more time than its query."""
        return self.values_list(
            "pk",
            "last_name",
            "first_name",
            "birth_date",
            "civis_start",
            "civis_end",
            "current_stage",
            "advisor__first_name",
            "advisor__last_name",
            "last_contact_on",
            "last_assessment_outcome",
        )

    def with_file(self) -> YouthQuerySet:
        """A youth for the youth's page, saying in the same query which related sets of
        their file hold any row (`has_<set>`, an EXISTS each): `load_file(youth)` then
        reads only those, one query per set however many rows it holds. Most files are
        a pathway and a few proposals; their notes, check-ins, pairs, VAE projects,
        transfers... are empty, and reading an empty set costs as much as a full one."""
        return self.select_related("mission_locale", "advisor", "consent_recorded_by").annotate(
            **_compiled_file_flags(self.db)
        )


def visible_youth_file(user, pk: int) -> Youth | None:
    """`Youth.objects.visible_to(user).with_file().get(pk=pk)` (None where that finds
    nobody), by that query compiled once per process for each shape of scope (an admin;
    a user of one mission locale, of two...): the ORM built it on every opening of a
    youth's page, a millisecond of CPU, several times what PostgreSQL takes to answer.
    The SQL is the ORM's own, from `visible_in`; only the ids and the pk change."""
    scope = get_scope(user)
    found = _YOUTH_FILE(
        is_admin=scope.is_admin,
        mission_locale_ids=() if scope.is_admin else tuple(sorted(scope.mission_locale_ids)),
        pk=pk,
        using=Youth.objects.db,
    )
    return found[0] if found else None


#: The query of `visible_youth_file`, compiled once per shape of scope (an admin; a
#: user of one mission locale, of two...): a handful in a process.
_YOUTH_FILE = CompiledShapes(
    lambda *, is_admin, mission_locale_ids, pk: (
        Youth.objects.visible_in(is_admin=is_admin, mission_locale_ids=mission_locale_ids)
        .with_file()
        .filter(pk=pk)
    ),
    instances=True,
)


def youth_file_prefetches(only: Iterable[str] | None = None) -> list[Prefetch]:
    """The related sets of a youth's file, each with what its readers show (authors,
    mentors, meetings, missions locales); not the pathway, which the timeline reads as
    rows (`candidates.timeline.PATHWAY_ROW`). `build_timeline` passes them to
    `prefetch_related_objects`, which skips the sets `with_file()` already loaded.
    `only`: the names of the sets wanted (each set's queryset costs 15 µs to build)."""
    # The related models' modules import this one for their foreign key to Youth.
    from .follow_up import Assessment, FollowUpNote, InCompanyCheckIn, VaeProject
    from .mentoring import MentoringPair
    from .rights import ConsentRecord

    reads = {
        "follow_up_notes": lambda: FollowUpNote.objects.select_related("author"),
        "assessments": lambda: Assessment.objects.select_related("assessor"),
        "check_ins": lambda: InCompanyCheckIn.objects.select_related("recorded_by"),
        "mentoring_pairs": lambda: MentoringPair.objects.select_related("mentor").prefetch_related(
            "meetings"
        ),
        "vae_projects": lambda: VaeProject.objects.all(),
        "transfers": lambda: YouthTransfer.objects.select_related(
            "from_mission_locale", "to_mission_locale"
        ),
        "consent_records": lambda: ConsentRecord.objects.select_related("recorded_by", "notice"),
    }
    return [
        Prefetch(name, queryset=read())
        for name, read in reads.items()
        if only is None or name in only
    ]


#: The related sets of a file that most youths lack (every set of
#: `youth_file_prefetches`): `with_file()` asks whether they hold anything before
#: `load_file` reads them (the pathway has a row from the start).
SETS_OFTEN_EMPTY = (
    "follow_up_notes",
    "assessments",
    "check_ins",
    "mentoring_pairs",
    "vae_projects",
    "transfers",
    "consent_records",
)


@cache
def _compiled_file_flags(using: str) -> dict[str, RawSQL]:
    """The `has_<set>` EXISTS of `with_file()` as the ORM writes them, compiled once per
    database: a dozen subqueries cost more to compile on each request (about 0.2 ms
    each) than PostgreSQL takes to answer them. Each names the youth by the table's
    name, the alias a query on youths always gives its own table."""
    query = Youth.objects.using(using).annotate(**_file_flags()).query
    compiler = query.get_compiler(using)
    compiled = {name: compiler.compile(flag) for name, flag in query.annotations.items()}
    return {
        # The ORM's own SQL and parameters, nothing typed nor received.
        name: RawSQL(sql, params, output_field=models.BooleanField())  # noqa: S611
        for name, (sql, params) in compiled.items()
    }


def _file_flags() -> dict[str, Exists]:
    """What `with_file()` asks of the youth's file: whether each of its sets is empty."""
    from accounts.discovery import app_modules

    flags = {
        f"has_{prefetch.prefetch_to}": Exists(prefetch.queryset.filter(youth_id=OuterRef("pk")))
        for prefetch in youth_file_prefetches()
        if prefetch.prefetch_to in SETS_OFTEN_EMPTY
    }
    # The other apps' parts of the page (their `timeline` and `youth_page` modules) ask
    # the same of what they read, through their `youth_file_flags()`.
    for module in (*app_modules("timeline"), *app_modules("youth_page")):
        if hasattr(module, "youth_file_flags"):
            flags.update(module.youth_file_flags())
    return flags


def load_file(youth: Youth) -> Youth:
    """Read the related sets of `youth` (from `Youth.objects.with_file()`) as
    `prefetch_related` would, skipping the queries of the sets its `has_<set>` flags
    say are empty: those hold an empty result, so `.all()` reads nothing either way."""
    if not hasattr(youth, "_prefetched_objects_cache"):
        youth._prefetched_objects_cache = {}
    wanted = []
    for name in SETS_OFTEN_EMPTY:
        if getattr(youth, f"has_{name}", True):
            wanted.append(name)
        else:
            related = Youth._meta.get_field(name).related_model
            youth._prefetched_objects_cache[name] = _read_empty(related._default_manager.all())
    if wanted:
        prefetch_related_objects([youth], *youth_file_prefetches(wanted))
    return youth


def holds_file(youth: Youth) -> bool:
    """Whether `youth` holds every related set of its file, the mentoring pairs'
    meetings included (as `load_file` leaves it): nothing left for a reader to load."""
    held = getattr(youth, "_prefetched_objects_cache", {})
    return all(name in held for name in SETS_OFTEN_EMPTY) and all(
        "meetings" in getattr(pair, "_prefetched_objects_cache", {})
        for pair in held["mentoring_pairs"]
    )


def _read_empty(queryset: models.QuerySet) -> models.QuerySet:
    """`queryset` as already read and empty, the state `prefetch_related` leaves a set in."""
    empty = queryset.none()
    empty._result_cache = []
    empty._prefetch_done = True
    return empty


class Youth(PortalModel):
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
            models.Index(
                fields=["mission_locale", "search_name", "id"],
                include=["status"],
                name="youth_ml_name_covering",
            ),
            # Reporting: youths at each stage now, and registered in a period, by mission
            # locale, read from the index alone (deduplicated: a few MB for 1,000,000).
            # Its leading columns serve the lists filtered by stage as the former
            # (mission locale, stage) index did.
            models.Index(
                fields=["mission_locale", "current_stage", "status", "registered_on"],
                name="youth_ml_stage_counts",
            ),
            # Reporting: the files anonymised, which leave the pool (`in_pool_during`).
            models.Index(
                fields=["anonymised_at"],
                include=["registered_on", "mission_locale"],
                condition=Q(anonymised_at__isnull=False),
                name="youth_anonymised_pool",
            ),
            # Reporting: the CIVIS contracts, for the CIVIS share of a period.
            models.Index(
                fields=["civis_start"],
                include=["civis_end", "registered_on", "anonymised_at", "mission_locale"],
                condition=Q(civis_start__isnull=False),
                name="youth_civis_pool",
            ),
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
        return civis_in_force(self.civis_start, self.civis_end, timezone.localdate())

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


class YouthTransfer(PortalModel):
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
