"""Every write of the candidate pool. Each service checks its rule, runs in one
transaction and leaves nothing half-saved when it refuses (ValidationError in French)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.enums import OrganisationKind, Role
from accounts.locks import lock_for_transaction
from accounts.models import InformationNotice, Membership, Organisation, User
from accounts.years import add_months
from audit.trail import audited_update, record_creations

from .enums import (
    CONSENT_METHODS,
    CONSENT_NOTICES,
    CheckInStatus,
    ConsentAction,
    ConsentMethod,
    ConsentPurpose,
    PathwayStage,
    YouthStatus,
)
from .models import (
    CONSENT_NOTE_MAX_LENGTH,
    MAX_AGE,
    MIN_AGE,
    SCORE_FIELDS,
    Assessment,
    ConsentRecord,
    DataSubjectRequest,
    FollowUpNote,
    InCompanyCheckIn,
    Mentor,
    MentoringMeeting,
    MentoringPair,
    PathwayEvent,
    VaeProject,
    Youth,
    YouthTransfer,
    age_on,
    refresh_first_in_year,
)
from .text import normalise_name

# The pathway (Annex 1): from each stage, the stages a youth may move to. A youth
# may step back (an immersion that did not suit them sends them back to discovery),
# leave at any time with a reason, and come back after an exit. "Stabilised" only
# follows "hired": a job is stabilised, never reached directly.
ALLOWED_MOVES: dict[str, frozenset[str]] = {
    PathwayStage.INFORMATION: frozenset(
        {
            PathwayStage.DISCOVERY,
            PathwayStage.IMMERSION,
            PathwayStage.TRAINING,
            PathwayStage.HIRED,
            PathwayStage.EXIT,
        }
    ),
    PathwayStage.DISCOVERY: frozenset(
        {PathwayStage.IMMERSION, PathwayStage.TRAINING, PathwayStage.HIRED, PathwayStage.EXIT}
    ),
    PathwayStage.IMMERSION: frozenset(
        {PathwayStage.DISCOVERY, PathwayStage.TRAINING, PathwayStage.HIRED, PathwayStage.EXIT}
    ),
    PathwayStage.TRAINING: frozenset(
        {PathwayStage.IMMERSION, PathwayStage.HIRED, PathwayStage.EXIT}
    ),
    PathwayStage.HIRED: frozenset(
        {
            PathwayStage.STABILISED,
            PathwayStage.DISCOVERY,
            PathwayStage.IMMERSION,
            PathwayStage.TRAINING,
            PathwayStage.EXIT,
        }
    ),
    PathwayStage.STABILISED: frozenset({PathwayStage.HIRED, PathwayStage.EXIT}),
    PathwayStage.EXIT: frozenset(
        {
            PathwayStage.INFORMATION,
            PathwayStage.DISCOVERY,
            PathwayStage.IMMERSION,
            PathwayStage.TRAINING,
        }
    ),
}

# A move to these stages must say what caused it: the contract or proposal of a hiring.
STAGES_REQUIRING_SOURCE = frozenset({PathwayStage.HIRED})

CHECK_IN_MONTHS = (1, 3, 6)

YOUTH_FIELDS = (
    "first_name",
    "last_name",
    "birth_date",
    "email",
    "phone",
    "postcode",
    "city",
    "education_level",
    "previous_sector",
    "skills",
    "mobility",
    "availability",
    "contract_wishes",
    "civis_start",
    "civis_end",
    "advisor",
)


def allowed_next_stages(youth: Youth) -> list[str]:
    """The stages the youth may move to now, in pathway order."""
    if youth.is_anonymised:
        return []
    allowed = ALLOWED_MOVES[youth.current_stage]
    return [stage for stage in PathwayStage.values if stage in allowed]


def check_birth_date(birth_date: date, registered_on: date, field: str = "birth_date") -> None:
    """The convention follows young people aged 16 to 25 when they register."""
    if birth_date > timezone.localdate():
        raise ValidationError({field: _("La date de naissance ne peut pas être dans le futur.")})
    age = age_on(birth_date, registered_on)
    if not MIN_AGE <= age <= MAX_AGE:
        raise ValidationError(
            {
                field: _(
                    "Le jeune doit avoir entre %(min)s et %(max)s ans à l'inscription "
                    "(ici %(age)s ans)."
                )
                % {"min": MIN_AGE, "max": MAX_AGE, "age": age}
            }
        )


# The roles of a mission locale's team: either may be a youth's referent advisor.
ADVISOR_ROLES = (Role.ADVISOR, Role.ML_MANAGER)


def mission_locale_advisors(mission_locales) -> QuerySet[User]:
    """The people who may be the referent advisor of a youth of `mission_locales` (one
    Organisation or pk, or several, or a queryset): an active advisor or manager
    membership of an active organisation (`Membership.objects.active()`, the rule of
    the user's scope). The youth forms offer exactly these, the services accept only
    these, the import matches e-mails against them and the list filters by them."""
    if isinstance(mission_locales, Organisation | int):
        mission_locales = [mission_locales]
    memberships = Membership.objects.active().filter(
        organisation__in=mission_locales, role__in=ADVISOR_ROLES
    )
    return User.objects.filter(pk__in=memberships.values("user_id"))


def _check_advisor(advisor: User | None, mission_locale: Organisation) -> None:
    if advisor is None:
        return
    if not mission_locale_advisors(mission_locale).filter(pk=advisor.pk).exists():
        raise ValidationError(
            {"advisor": _("Ce conseiller ne fait pas partie de la mission locale du jeune.")}
        )


DUPLICATE = "duplicate"
ALREADY_SENT = gettext_lazy(
    "Ce formulaire a déjà été envoyé : le jeune est inscrit (voir ci-dessous)."
)


def _lock_registrations(mission_locale: Organisation) -> None:
    """Registrations in one mission locale wait for each other, so that the duplicate
    check below sees what a registration sent at the same instant just created."""
    lock_for_transaction(f"youth-registration:{mission_locale.pk}")


@transaction.atomic
def register_youth(
    *,
    author: User,
    mission_locale: Organisation,
    registered_on: date | None = None,
    confirmed_not_duplicate: bool = False,
    submission_token: str | None = None,
    **fields,
) -> Youth:
    """Register a youth in a mission locale's pool.

    The youth is 16 to 25 on the registration day; the advisor belongs to that mission
    locale. A youth of the same name and birth date already followed there is refused
    (code "duplicate") unless the author confirmed it is another person; the same form
    (`submission_token`) never registers twice, even sent twice at the same instant.
    The pathway starts with an "information" event by the author, so the current stage
    always comes from an event.
    """
    if mission_locale.kind != OrganisationKind.MISSION_LOCALE:
        raise ValidationError(_("Un jeune est inscrit dans une mission locale."))
    unknown = set(fields) - set(YOUTH_FIELDS)
    if unknown:
        raise TypeError(f"unknown youth fields: {sorted(unknown)}")
    registered_on = registered_on or timezone.localdate()
    check_birth_date(fields["birth_date"], registered_on)
    _check_advisor(fields.get("advisor"), mission_locale)
    _lock_registrations(mission_locale)
    if submission_token and Youth.objects.filter(submission_token=submission_token).exists():
        raise ValidationError(ALREADY_SENT, code=DUPLICATE)
    if (
        not confirmed_not_duplicate
        and Youth.objects.possible_duplicates(
            mission_locale_id=mission_locale.pk,
            first_name=fields["first_name"],
            last_name=fields["last_name"],
            birth_date=fields["birth_date"],
        ).exists()
    ):
        raise ValidationError(
            _(
                "Un jeune de même nom et même date de naissance est déjà suivi : "
                "vérifiez ci-dessous avant d'enregistrer."
            ),
            code=DUPLICATE,
        )
    youth = Youth(
        submission_token=submission_token or None,
        mission_locale=mission_locale,
        registered_on=registered_on,
        created_by=author,
        current_stage=PathwayStage.INFORMATION,
        stage_changed_on=registered_on,
        **fields,
    )
    youth.search_name = normalise_name(youth.last_name, youth.first_name)
    youth.full_clean(exclude=["search_name"])
    youth.save()
    PathwayEvent.objects.create(
        youth=youth,
        stage=PathwayStage.INFORMATION,
        occurred_on=registered_on,
        author=author,
        note=_("Inscription dans le vivier."),
    )
    return youth


@transaction.atomic
def register_youths(*, author: User, mission_locale: Organisation, rows: list[dict]) -> list[Youth]:
    """Register many youths at once (a spreadsheet import), with the same rules as
    `register_youth`: 16 to 25 at registration, advisors of this mission locale, an
    "information" event each. Youths already in the mission locale (same name and birth
    date) are left out, so the same rows twice create nobody new. Each row holds
    YOUTH_FIELDS (advisor as `advisor_id`) and optionally `registered_on`.
    """
    if mission_locale.kind != OrganisationKind.MISSION_LOCALE:
        raise ValidationError(_("Un jeune est inscrit dans une mission locale."))
    _lock_registrations(mission_locale)
    allowed_advisors = set(mission_locale_advisors(mission_locale).values_list("pk", flat=True))
    existing = set(
        Youth.objects.filter(
            mission_locale=mission_locale, birth_date__in={row["birth_date"] for row in rows}
        ).values_list("search_name", "birth_date")
    )
    today = timezone.localdate()
    youths = []
    for row in rows:
        fields = dict(row)
        registered_on = fields.pop("registered_on", None) or today
        check_birth_date(fields["birth_date"], registered_on)
        if fields.get("advisor_id") and fields["advisor_id"] not in allowed_advisors:
            raise ValidationError(
                {"advisor": _("Ce conseiller ne fait pas partie de la mission locale du jeune.")}
            )
        unknown = set(fields) - set(YOUTH_FIELDS) - {"advisor_id"}
        if unknown:
            raise TypeError(f"unknown youth fields: {sorted(unknown)}")
        search_name = normalise_name(fields["last_name"], fields["first_name"])
        key = (search_name, fields["birth_date"])
        if key in existing:
            continue
        existing.add(key)
        youths.append(
            Youth(
                mission_locale=mission_locale,
                registered_on=registered_on,
                created_by=author,
                current_stage=PathwayStage.INFORMATION,
                stage_changed_on=registered_on,
                search_name=search_name,
                **fields,
            )
        )
    Youth.objects.bulk_create(youths, batch_size=1000)
    events = PathwayEvent.objects.bulk_create(
        [
            PathwayEvent(
                youth=youth,
                stage=PathwayStage.INFORMATION,
                occurred_on=youth.registered_on,
                author=author,
                note=_("Inscription dans le vivier (import)."),
            )
            for youth in youths
        ],
        batch_size=1000,
    )
    refresh_first_in_year([youth.pk for youth in youths])  # bulk_create bypasses save()
    # bulk_create sends no signal: the trail's entries are written here.
    record_creations(youths)
    record_creations(events)
    return youths


@transaction.atomic
def update_youth(*, youth: Youth, author: User, **fields) -> Youth:
    """Change a youth's file. The birth date is checked against the registration day;
    the advisor must belong to the youth's mission locale."""
    if youth.is_anonymised:
        raise ValidationError(_("Ce dossier est anonymisé : il ne peut plus être modifié."))
    unknown = set(fields) - set(YOUTH_FIELDS)
    if unknown:
        raise TypeError(f"unknown youth fields: {sorted(unknown)}")
    if "birth_date" in fields:
        check_birth_date(fields["birth_date"], youth.registered_on)
    if "advisor" in fields:
        _check_advisor(fields["advisor"], youth.mission_locale)
    for name, value in fields.items():
        setattr(youth, name, value)
    youth.search_name = normalise_name(youth.last_name, youth.first_name)
    youth.full_clean(exclude=["search_name"])
    youth.save()
    return youth


def _check_consent_step(
    *, action: str, author: User | None, method: str, notice, note: str
) -> InformationNotice | None:
    """The proof of one consent step, checked before anything is written; returns the
    notice to record. The method must prove that step (`enums.CONSENT_METHODS`); only
    the youth's own click in their space has no author, and it has no other; the notice
    is one of the sharing purpose's versions, the one in force when none is given. A
    consent needs a notice (an uninformed consent is none); a withdrawal never waits
    for one."""
    errors: dict[str, str] = {}
    if method not in CONSENT_METHODS[action]:
        errors["method"] = _("Ce mode de recueil ne prouve pas cette démarche.")
    elif (author is None) != (method == ConsentMethod.YOUTH_SPACE):
        errors["method"] = (
            _("Seul le jeune lui-même, dans son espace, enregistre sans conseiller.")
            if author is None
            else _("Un conseiller ne peut pas enregistrer au nom de l'espace du jeune.")
        )
    purpose = CONSENT_NOTICES[ConsentPurpose.PROFILE_SHARING]
    if notice is None:
        notice = InformationNotice.objects.current_for(purpose)
        if notice is None and action == ConsentAction.GIVEN:
            errors["notice"] = _(
                "Aucune mention d'information n'est publiée pour le partage du profil : "
                "le consentement ne peut pas être recueilli."
            )
    elif notice.purpose != purpose:
        errors["notice"] = _("Cette mention d'information ne porte pas sur le partage du profil.")
    if len(note) > CONSENT_NOTE_MAX_LENGTH:
        errors["note"] = _("Au plus %(limit)d caractères.") % {"limit": CONSENT_NOTE_MAX_LENGTH}
    if errors:
        raise ValidationError(errors)
    return notice


@transaction.atomic
def record_sharing_consent(
    *,
    youth: Youth,
    author: User | None,
    method: str,
    notice: InformationNotice | None = None,
    note: str = "",
) -> Youth:
    """The youth agrees that companies see their shared profile. Written with its proof
    (a `ConsentRecord`: when, who, how, which notice version they were given; the notice
    in force unless `notice` says which one they read) and copied onto the youth, where
    `permissions.can_see_shared_profile` reads it. `author` is None only when the youth
    does it themself (`ConsentMethod.YOUTH_SPACE`). Refused while the youth already
    consents (a second click records nothing twice) and on an anonymised file."""
    youth = Youth.objects.select_for_update().get(pk=youth.pk)
    if youth.is_anonymised:
        raise ValidationError(_("Ce dossier est anonymisé."))
    if youth.has_sharing_consent:
        raise ValidationError(_("Le consentement du jeune est déjà enregistré."))
    notice = _check_consent_step(
        action=ConsentAction.GIVEN, author=author, method=method, notice=notice, note=note
    )
    record = ConsentRecord.objects.create(
        youth=youth,
        action=ConsentAction.GIVEN,
        recorded_by=author,
        method=method,
        notice=notice,
        note=note,
    )
    youth.consent_shared_at = record.at
    youth.consent_recorded_by = author
    youth.consent_withdrawn_at = None
    youth.consent_withdrawn_by = None
    youth.save(
        update_fields=[
            "consent_shared_at",
            "consent_recorded_by",
            "consent_withdrawn_at",
            "consent_withdrawn_by",
            "updated_at",
        ]
    )
    return youth


@dataclass(frozen=True)
class SharingStopped:
    """What stopping the sharing changed in the other apps, for the advisor's message:
    the proposals withdrawn (`offers.Proposal`) and the pool requests declined
    (`immersion.PoolRequest`)."""

    youth: Youth
    withdrawn_proposals: list = field(default_factory=list)
    declined_pool_requests: list = field(default_factory=list)


def _stop_sharing_with_companies(*, youth: Youth, actor: User, reason: str) -> SharingStopped:
    """Companies stop seeing the youth anywhere, in the caller's transaction (which holds
    the youth's row lock, so no proposal or pool request can be made meanwhile: their
    services take the same lock). The pages already hide the youth through
    `permissions.can_see_shared_profile`; here what is still waiting on a company is
    closed with a logged reason: the open proposals are withdrawn, the pending pool
    requests declined. Imported here because offers and immersion import candidates."""
    from immersion.services import decline_pending_pool_requests
    from offers.services import withdraw_open_proposals

    return SharingStopped(
        youth=youth,
        withdrawn_proposals=withdraw_open_proposals(youth=youth, actor=actor, reason=reason),
        declined_pool_requests=decline_pending_pool_requests(
            youth=youth, actor=actor, reason=reason
        ),
    )


@transaction.atomic
def withdraw_sharing_consent(
    *,
    youth: Youth,
    author: User | None,
    method: str,
    notice: InformationNotice | None = None,
    note: str = "",
) -> SharingStopped:
    """The youth withdraws consent: from this moment no company user sees anything of
    them. `sharing_consented()` and `permissions.can_see_shared_profile` drop them at
    once (boards, proposal pages, the pool, session rosters, emails not yet sent); in
    the same transaction the open proposals are withdrawn and the pending pool requests
    declined, logged with the author and the reason "Consentement retiré". A hiring
    already made stays recorded (docs/offers.md). The withdrawal is written with the
    same proof as a consent (`ConsentRecord`: when, who, how, the notice in force),
    and a word in person or on the phone is enough (`enums.CONSENT_METHODS`). Returns
    what was closed, so the advisor is told."""
    youth = Youth.objects.select_for_update().get(pk=youth.pk)
    if youth.consent_shared_at is None or youth.consent_withdrawn_at is not None:
        raise ValidationError(_("Aucun consentement en cours à retirer."))
    notice = _check_consent_step(
        action=ConsentAction.WITHDRAWN, author=author, method=method, notice=notice, note=note
    )
    record = ConsentRecord.objects.create(
        youth=youth,
        action=ConsentAction.WITHDRAWN,
        recorded_by=author,
        method=method,
        notice=notice,
        note=note,
    )
    youth.consent_withdrawn_at = record.at
    youth.consent_withdrawn_by = author
    youth.save(update_fields=["consent_withdrawn_at", "consent_withdrawn_by", "updated_at"])
    return _stop_sharing_with_companies(youth=youth, actor=author, reason=_("Consentement retiré"))


@transaction.atomic
def record_pathway_event(
    *,
    youth: Youth,
    stage: str,
    author: User | None,
    occurred_on: date,
    note: str = "",
    source: str = "",
    exit_reason: str = "",
    follow_ups_from: date | None = None,
) -> PathwayEvent:
    """Move a youth along the pathway.

    Rules (ALLOWED_MOVES): only the moves of the table; a hiring names its source (the
    contract, or "offers.Proposal#12"); an exit names its reason; the date is neither in
    the future nor before the last event. The event is the source of truth; the youth's
    `current_stage` copy is updated with it. A hiring plans the 1/3/6-month in-company
    check-ins (safe to plan again), counted from `follow_ups_from` (the contract's start
    date, which may be after the hiring day) or else from `occurred_on`; the argument is
    ignored for the other stages. Other apps pass `source="app.Model#pk"`.
    """
    locked = Youth.objects.select_for_update().get(pk=youth.pk)
    if locked.is_anonymised:
        raise ValidationError(_("Ce dossier est anonymisé : son parcours est figé."))
    current = locked.current_stage
    errors: dict[str, str] = {}
    if stage not in PathwayStage.values:
        errors["stage"] = _("Étape inconnue.")
    elif stage == current:
        errors["stage"] = _("Le jeune est déjà à l'étape « %(stage)s ».") % {
            "stage": PathwayStage(stage).label
        }
    elif stage not in ALLOWED_MOVES[current]:
        errors["stage"] = _("Passage impossible de « %(from)s » à « %(to)s ».") % {
            "from": PathwayStage(current).label,
            "to": PathwayStage(stage).label,
        }
    source = source.strip()
    if stage in STAGES_REQUIRING_SOURCE and not source:
        errors["source"] = _(
            "Une embauche doit indiquer le contrat ou la candidature retenue : "
            "pas d'embauche sans offre ni contrat."
        )
    if stage == PathwayStage.EXIT and not exit_reason:
        errors["exit_reason"] = _("Indiquez le motif de la sortie.")
    if stage != PathwayStage.EXIT:
        exit_reason = ""
    if occurred_on > timezone.localdate():
        errors["occurred_on"] = _("La date ne peut pas être dans le futur.")
    else:
        last = (
            locked.pathway_events.order_by("-occurred_on")
            .values_list("occurred_on", flat=True)
            .first()
        )
        if last and occurred_on < last:
            errors["occurred_on"] = _(
                "La date ne peut précéder celle de la dernière étape (%(date)s)."
            ) % {"date": date_format(last, "d/m/Y")}
    if errors:
        raise ValidationError(errors)

    event = PathwayEvent.objects.create(
        youth=locked,
        stage=stage,
        previous_stage=current,
        occurred_on=occurred_on,
        author=author,
        note=note,
        source=source,
        exit_reason=exit_reason,
    )
    locked.current_stage = stage
    locked.stage_changed_on = occurred_on
    if stage == PathwayStage.EXIT:
        locked.status = YouthStatus.CLOSED
    elif locked.status == YouthStatus.CLOSED:
        locked.status = YouthStatus.ACTIVE
    locked.save(update_fields=["current_stage", "stage_changed_on", "status", "updated_at"])
    youth.current_stage, youth.stage_changed_on, youth.status = (
        locked.current_stage,
        locked.stage_changed_on,
        locked.status,
    )
    if stage == PathwayStage.HIRED:
        schedule_follow_ups_after_hiring(
            youth=locked, hired_on=follow_ups_from or occurred_on, author=author
        )
    return event


@transaction.atomic
def schedule_follow_ups_after_hiring(
    *, youth: Youth, hired_on: date, author: User | None
) -> list[InCompanyCheckIn]:
    """Plan the in-company follow-up at 1, 3 and 6 months after a hiring (Art. 3: the
    advisor follows the youth until the job is stable). `hired_on` is the day the job
    starts (the contract's start date when known, else the hiring day): the check-ins
    are due 1, 3 and 6 months after it. Keyed on (youth, hired_on, month): calling it
    twice for the same hiring plans nothing new."""
    check_ins = []
    for months in CHECK_IN_MONTHS:
        check_in, _created = InCompanyCheckIn.objects.get_or_create(
            youth=youth,
            hired_on=hired_on,
            months_after=months,
            defaults={"due_on": add_months(hired_on, months), "created_by": author},
        )
        check_ins.append(check_in)
    return check_ins


def _not_in_future(day: date | None, field: str, errors: dict) -> None:
    if day and day > timezone.localdate():
        errors[field] = _("La date ne peut pas être dans le futur.")


def _check_editable(youth: Youth) -> None:
    if youth.is_anonymised:
        raise ValidationError(_("Ce dossier est anonymisé : il ne peut plus être modifié."))


@transaction.atomic
def record_check_in(
    *,
    check_in: InCompanyCheckIn,
    author: User,
    done_on: date | None,
    outcome: str = "",
    note: str = "",
    missed: bool = False,
) -> InCompanyCheckIn:
    """Record how an in-company check-in went (or that it could not take place)."""
    check_in = InCompanyCheckIn.objects.select_for_update().get(pk=check_in.pk)
    if not check_in.is_planned:
        raise ValidationError(_("Ce suivi a déjà été enregistré."))
    if missed:
        check_in.status = CheckInStatus.MISSED
        check_in.done_on = None
        check_in.outcome = ""
    else:
        errors = {}
        if done_on is None:
            errors["done_on"] = _("Indiquez la date du suivi.")
        elif done_on > timezone.localdate():
            errors["done_on"] = _("La date ne peut pas être dans le futur.")
        elif done_on < check_in.hired_on:
            errors["done_on"] = _("Le suivi ne peut précéder l'embauche.")
        if not outcome:
            errors["outcome"] = _("Indiquez le bilan du suivi.")
        if errors:
            raise ValidationError(errors)
        check_in.status = CheckInStatus.DONE
        check_in.done_on = done_on
        check_in.outcome = outcome
    check_in.note = note
    check_in.recorded_by = author
    check_in.save(update_fields=["status", "done_on", "outcome", "note", "recorded_by"])
    return check_in


@transaction.atomic
def record_assessment(
    *,
    youth: Youth,
    author: User,
    assessed_on: date,
    method: str,
    scores: dict[str, int],
    outcome: str,
    comment: str = "",
) -> Assessment:
    """Record an aptitude assessment (Art. 6) on the five skills of the industry. The
    youth's list shows the outcome of the most recent assessment."""
    _check_editable(youth)
    errors: dict[str, str] = {}
    _not_in_future(assessed_on, "assessed_on", errors)
    if errors:
        raise ValidationError(errors)
    assessment = Assessment(
        youth=youth,
        assessed_on=assessed_on,
        method=method,
        assessor=author,
        outcome=outcome,
        comment=comment,
        **{name: scores.get(name) for name in SCORE_FIELDS},
    )
    assessment.full_clean()
    assessment.save()
    latest = youth.assessments.order_by("-assessed_on", "-pk").first()
    audited_update(Youth.objects.filter(pk=youth.pk), last_assessment_outcome=latest.outcome)
    youth.last_assessment_outcome = latest.outcome
    return assessment


@transaction.atomic
def add_follow_up_note(
    *,
    youth: Youth,
    author: User,
    met_on: date,
    channel: str,
    summary: str,
    next_appointment_on: date | None = None,
) -> FollowUpNote:
    """Write down a follow-up meeting and the next appointment. The youth's last contact
    and next appointment (for "no contact for N days" and "my follow-ups this week")
    follow the most recent note."""
    _check_editable(youth)
    errors: dict[str, str] = {}
    _not_in_future(met_on, "met_on", errors)
    if next_appointment_on and next_appointment_on < met_on:
        errors["next_appointment_on"] = _("Le prochain rendez-vous ne peut précéder l'entretien.")
    if not summary.strip():
        errors["summary"] = _("Écrivez le compte rendu de l'entretien.")
    if errors:
        raise ValidationError(errors)
    note = FollowUpNote.objects.create(
        youth=youth,
        author=author,
        met_on=met_on,
        channel=channel,
        summary=summary.strip(),
        next_appointment_on=next_appointment_on,
    )
    latest = youth.follow_up_notes.order_by("-met_on", "-pk").first()
    youth.last_contact_on = latest.met_on
    youth.next_appointment_on = latest.next_appointment_on
    audited_update(
        Youth.objects.filter(pk=youth.pk),
        last_contact_on=youth.last_contact_on,
        next_appointment_on=youth.next_appointment_on,
    )
    return note


@transaction.atomic
def save_mentor(
    *, author: User, mentor: Mentor | None = None, mission_locale=None, **fields
) -> Mentor:
    """Create or change a volunteer mentor of a mission locale."""
    if mentor is None:
        mentor = Mentor(mission_locale=mission_locale)
    for name, value in fields.items():
        setattr(mentor, name, value)
    errors: dict[str, str] = {}
    _not_in_future(mentor.charter_signed_on, "charter_signed_on", errors)
    if errors:
        raise ValidationError(errors)
    mentor.full_clean()
    mentor.save()
    return mentor


@transaction.atomic
def pair_mentor(*, youth: Youth, mentor: Mentor, started_on: date, author: User) -> MentoringPair:
    """Give a youth a mentor (Art. 14). The mentor belongs to the youth's mission locale,
    is available and has signed the national mentoring charter; a youth has at most one
    active mentor (also a database constraint, which holds under concurrency)."""
    locked = Youth.objects.select_for_update().get(pk=youth.pk)
    _check_editable(locked)
    errors: dict[str, str] = {}
    if mentor.mission_locale_id != locked.mission_locale_id:
        errors["mentor"] = _("Ce parrain ne fait pas partie de la mission locale du jeune.")
    elif not mentor.is_active:
        errors["mentor"] = _("Ce parrain n'est plus disponible.")
    elif mentor.charter_signed_on is None:
        errors["mentor"] = _("Ce parrain n'a pas encore signé la charte nationale du parrainage.")
    _not_in_future(started_on, "started_on", errors)
    if MentoringPair.objects.active().filter(youth=locked).exists():
        errors["mentor"] = _("Ce jeune a déjà un parrainage en cours : terminez-le d'abord.")
    if errors:
        raise ValidationError(errors)
    return MentoringPair.objects.create(
        youth=locked, mentor=mentor, started_on=started_on, created_by=author
    )


@transaction.atomic
def end_mentoring(
    *, pair: MentoringPair, ended_on: date, reason: str, author: User
) -> MentoringPair:
    """Close a mentoring pair; the youth may then get another mentor."""
    pair = MentoringPair.objects.select_for_update().get(pk=pair.pk)
    errors: dict[str, str] = {}
    if not pair.is_active:
        errors["ended_on"] = _("Ce parrainage est déjà terminé.")
    elif ended_on < pair.started_on:
        errors["ended_on"] = _("La fin du parrainage ne peut précéder son début.")
    _not_in_future(ended_on, "ended_on", errors)
    if errors:
        raise ValidationError(errors)
    pair.ended_on = ended_on
    pair.end_reason = reason
    pair.save(update_fields=["ended_on", "end_reason"])
    return pair


@transaction.atomic
def record_mentoring_meeting(
    *, pair: MentoringPair, met_on: date, note: str, author: User
) -> MentoringMeeting:
    """Write down a meeting between a mentor and their mentee."""
    errors: dict[str, str] = {}
    _not_in_future(met_on, "met_on", errors)
    if met_on < pair.started_on:
        errors["met_on"] = _("La rencontre ne peut précéder le début du parrainage.")
    if errors:
        raise ValidationError(errors)
    return MentoringMeeting.objects.create(pair=pair, met_on=met_on, note=note, author=author)


@transaction.atomic
def save_vae_project(
    *, youth: Youth, author: User, project: VaeProject | None = None, **fields
) -> VaeProject:
    """Create or update a VAE / certification project (Axe VII)."""
    _check_editable(youth)
    if project is None:
        project = VaeProject(youth=youth, created_by=author)
    for name, value in fields.items():
        setattr(project, name, value)
    errors: dict[str, str] = {}
    _not_in_future(project.started_on, "started_on", errors)
    if project.jury_on and project.started_on and project.jury_on < project.started_on:
        errors["jury_on"] = _("Le jury ne peut précéder le début du projet.")
    if errors:
        raise ValidationError(errors)
    project.full_clean()
    project.save()
    return project


@transaction.atomic
def move_youth_to_mission_locale(
    *, youth: Youth, mission_locale: Organisation, author: User, reason: str = ""
) -> YouthTransfer:
    """Hand a youth to another mission locale (they moved). From now on only the new
    mission locale sees the file; the advisor is left for the new team to choose, an
    active mentoring pair ends (mentors belong to a mission locale)."""
    locked = Youth.objects.select_for_update().get(pk=youth.pk)
    _check_editable(locked)
    if mission_locale.kind != OrganisationKind.MISSION_LOCALE or not mission_locale.is_active:
        raise ValidationError({"mission_locale": _("Choisissez une mission locale active.")})
    if mission_locale.pk == locked.mission_locale_id:
        raise ValidationError(
            {"mission_locale": _("Le jeune est déjà suivi par cette mission locale.")}
        )
    transfer = YouthTransfer.objects.create(
        youth=locked,
        from_mission_locale_id=locked.mission_locale_id,
        to_mission_locale=mission_locale,
        moved_by=author,
        reason=reason,
    )
    audited_update(
        MentoringPair.objects.active().filter(youth=locked),
        ended_on=timezone.localdate(),
        end_reason=str(_("Transfert vers une autre mission locale")),
    )
    locked.mission_locale = mission_locale
    locked.advisor = None
    locked.save(update_fields=["mission_locale", "advisor", "updated_at"])
    return transfer


def log_data_request(
    *, youth: Youth, actor: User, kind: str, reason: str = ""
) -> DataSubjectRequest:
    """Keep who read or exported a youth's whole file, and when (accountability)."""
    return DataSubjectRequest.objects.create(youth=youth, actor=actor, kind=kind, reason=reason)


@transaction.atomic
def anonymise_youth(*, youth: Youth, actor: User, reason: str = "") -> Youth:
    """Erase a youth's identity on request (or once their file has expired), keeping
    what the statistics need.

    Every app's part is in the personal-data registry (`personal_data_registry`, each
    app's `personal_data.py`): the identifying fields replaced (names, contact, exact
    birth date: 1 January of the birth year stays, postcode: its department stays), the
    free text that may name the youth cleared on every row that points to them (the
    consent records' notes included), the records of their requests kept with their
    names, email and phone masked, and the rows of spreadsheet imports that name them
    removed. Kept: mission locale, stages and their dates, statuses, scores and
    outcomes, contracts, counts, and the consent history (the proof, without its notes):
    the indicators for past periods do not move. A consent in force is withdrawn, its
    record saying "anonymisation". Like a withdrawn consent, it closes what still waits
    on a company (open proposals, pending pool requests), with the reason "Dossier
    anonymisé". Cannot be undone; logged with who and when, the reason masked like the
    rest. The steps are `anonymisation.anonymise_locked_youths`, which the retention job
    runs on its batches of expired files.
    """
    from .anonymisation import anonymise_locked_youths

    locked = Youth.objects.select_for_update().get(pk=youth.pk)
    _check_editable(locked)
    anonymise_locked_youths(youths=[locked], actor=actor, reason=reason)
    locked.refresh_from_db()
    return locked
