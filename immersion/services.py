"""Every write of the immersion app. Each service checks its rule, runs in one
transaction, logs what changed and schedules its emails on commit; when it refuses
(ValidationError in French, or PermissionDenied) nothing is half-saved.

Capacity holds under concurrency because every service that takes or frees a seat
first locks the session's row (`select_for_update`), then counts: two advisors enrolling
in the same instant are served one after the other.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.models import Organisation, Region, User
from accounts.scope import get_scope
from accounts.years import add_months
from audit.context import because
from candidates.enums import PathwayStage
from candidates.models import PathwayEvent, Youth
from candidates.services import allowed_next_stages, record_pathway_event
from offers.enums import OfferStatus, ProposalOrigin
from offers.models import Offer

from . import permissions
from .enums import (
    STAGE_BY_KIND,
    Attendance,
    ContractOutcome,
    EnrolmentStatus,
    HostAssessment,
    ProgrammeKind,
    SessionStatus,
    audience_of,
)
from .models import (
    CAE_MAX_MONTHS,
    DEFAULT_COHORT_SIZE,
    HOST_KINDS,
    REASON_MAX_LENGTH,
    CaeContract,
    Cohort,
    Enrolment,
    PoolRequest,
    Session,
    SessionLog,
)

SESSION_FIELDS = (
    "kind",
    "title",
    "description",
    "host",
    "place",
    "city",
    "starts_at",
    "ends_at",
    "capacity",
    "registration_deadline",
)
# Changing these moves the session in people's calendars (RFC 5545 SEQUENCE).
CALENDAR_FIELDS = ("title", "place", "city", "starts_at", "ends_at")
NON_FIELD = "__all__"
# Attending only ever moves a youth forward along the pathway.
FORWARD_ORDER = PathwayStage.forward()


def _queue(task, *args) -> None:
    """Queue a task once the transaction has committed (never mail from inside it)."""
    transaction.on_commit(lambda: task.delay(*args))


# --- Sessions ---------------------------------------------------------------------------


def _check_session(session: Session, *, enrolled: int = 0) -> None:
    errors: dict[str, str] = {}
    if session.kind not in ProgrammeKind.values:
        errors["kind"] = _("Programme inconnu.")
    if session.host.kind not in HOST_KINDS:
        errors["host"] = _(
            "Une session est accueillie par une entreprise, un organisme de formation, "
            "une mission locale ou le CEPL."
        )
    elif session.host.region_id is None:
        errors["host"] = _("La structure d'accueil doit appartenir à une région.")
    if session.starts_at and session.ends_at and session.ends_at <= session.starts_at:
        errors["ends_at"] = _("La fin de la session doit suivre son début.")
    if session.capacity is None or session.capacity < 1:
        errors["capacity"] = _("Une session compte au moins une place.")
    elif session.capacity < enrolled:
        errors["capacity"] = _(
            "%(enrolled)s personnes sont déjà inscrites : la capacité ne peut descendre en dessous."
        ) % {"enrolled": enrolled}
    if (
        session.registration_deadline
        and session.starts_at
        and session.registration_deadline > timezone.localdate(session.starts_at)
    ):
        errors["registration_deadline"] = _(
            "La date limite d'inscription ne peut suivre le début de la session."
        )
    if errors:
        raise ValidationError(errors)


def _log_session(session: Session, *, actor: User | None, action: str, source: str, reason=""):
    SessionLog.objects.create(
        session=session,
        actor=actor,
        action=action,
        from_status=source,
        to_status=session.status,
        reason=reason,
    )


def _apply_transition(session: Session, *, action: str, actor: User | None, reason="") -> None:
    """Move the locked `session` along the table and write the log row (no save)."""
    sources, target = Session.TRANSITIONS[action]
    if session.status not in sources:
        raise ValidationError(
            _("Action « %(action)s » impossible : la session est « %(status)s ».")
            % {
                "action": Session.ACTION_LABELS[action],
                "status": SessionStatus(session.status).label,
            }
        )
    source = session.status
    session.status = target
    _log_session(session, actor=actor, action=action, source=source, reason=reason)


@transaction.atomic
def create_session(
    *,
    actor: User,
    host: Organisation,
    kind: str,
    title: str,
    place: str,
    city: str,
    starts_at: datetime,
    ends_at: datetime,
    capacity: int,
    registration_deadline: date,
    description: str = "",
    open_registrations: bool = False,
) -> Session:
    """Create a session. The project lead creates for any host of their region, a host
    for itself; the session belongs to the host's region and its audience follows the
    kind (advisor sessions for advisors). Registrations open now or later."""
    if not permissions.can_host_for(actor, host):
        raise PermissionDenied
    session = Session(
        region_id=host.region_id,
        kind=kind,
        audience=audience_of(kind),
        title=title.strip(),
        description=description,
        host=host,
        place=place.strip(),
        city=city.strip(),
        starts_at=starts_at,
        ends_at=ends_at,
        capacity=capacity,
        registration_deadline=registration_deadline,
        created_by=actor,
    )
    _check_session(session)
    if starts_at <= timezone.now():
        raise ValidationError({"starts_at": _("Une nouvelle session commence dans le futur.")})
    session.save()
    _log_session(session, actor=actor, action="create", source=SessionStatus.PLANNED)
    if open_registrations:
        _apply_transition(session, action="open", actor=actor)
        session.save(update_fields=["status", "updated_at"])
    return session


@transaction.atomic
def update_session(*, actor: User, session: Session, **fields) -> Session:
    """Change a session that is not over. The capacity never drops below the people
    already enrolled; raised, it promotes the waiting list in order. A change of date,
    time or place raises the calendar sequence so calendars update."""
    unknown = set(fields) - set(SESSION_FIELDS)
    if unknown:
        raise TypeError(f"unknown session fields: {sorted(unknown)}")
    locked = Session.objects.select_for_update().get(pk=session.pk)
    if not permissions.can_manage_session(actor, locked):
        raise PermissionDenied
    if locked.status in (SessionStatus.HELD, SessionStatus.CANCELLED):
        raise ValidationError(_("Une session réalisée ou annulée ne se modifie plus."))
    new_host = fields.get("host")
    if new_host is not None and new_host.pk != locked.host_id:
        if not permissions.can_host_for(actor, new_host):
            raise PermissionDenied
        if new_host.region_id != locked.region_id:
            raise ValidationError({"host": _("La structure d'accueil reste dans la région.")})
    moved = any(
        name in fields and fields[name] != getattr(locked, name) for name in CALENDAR_FIELDS
    )
    for name, value in fields.items():
        setattr(locked, name, value)
    locked.audience = audience_of(locked.kind)
    audience_changed = locked.audience != session.audience
    if "kind" in fields and audience_changed and (locked.confirmed_count or locked.waiting_count):
        raise ValidationError(
            {"kind": _("Des personnes sont inscrites : le public ne change plus.")}
        )
    _check_session(locked, enrolled=locked.confirmed_count)
    if moved:
        locked.sequence += 1
    locked.save()
    _fill_free_seats(locked, actor=actor)
    return locked


@transaction.atomic
def transition_session(*, actor: User, session: Session, action: str, reason: str = "") -> Session:
    """Open registrations, mark the session held (once started) or cancel it.

    Cancelling needs a reason that fits the session and its log row (a longer one
    would fail in the database), keeps every enrolment as it was (the history stays) and
    tells every advisor concerned by email, after commit.
    """
    if action not in Session.MANUAL_ACTIONS:
        raise ValidationError(_("Action inconnue."))
    locked = Session.objects.select_for_update().get(pk=session.pk)
    if not permissions.can_manage_session(actor, locked):
        raise PermissionDenied
    if action == "mark_held" and not locked.has_started:
        raise ValidationError(_("Une session ne peut être marquée réalisée avant son début."))
    reason = reason.strip()
    if action == "cancel" and not reason:
        raise ValidationError({"reason": _("Indiquez le motif de l'annulation.")})
    if len(reason) > REASON_MAX_LENGTH:
        raise ValidationError(
            {
                "reason": _("Au plus %(limit_value)d caractères (il y en a %(show_value)d).")
                % {"limit_value": REASON_MAX_LENGTH, "show_value": len(reason)}
            }
        )
    _apply_transition(locked, action=action, actor=actor, reason=reason)
    update = ["status", "updated_at"]
    if action == "cancel":
        locked.cancel_reason = reason
        locked.sequence += 1
        update += ["cancel_reason", "sequence"]
        from .tasks import notify_session_cancelled

        _queue(notify_session_cancelled, locked.pk)
    if action == "open" and locked.confirmed_count >= locked.capacity:
        _apply_transition(locked, action="mark_full", actor=actor)
    locked.save(update_fields=update)
    return locked


# --- Enrolments ---------------------------------------------------------------------------


def _check_enrolling(session: Session) -> None:
    if session.is_cancelled:
        raise ValidationError(_("Cette session est annulée : on ne peut plus s'y inscrire."))
    if session.status == SessionStatus.PLANNED:
        raise ValidationError(_("Les inscriptions à cette session ne sont pas encore ouvertes."))
    if not session.is_enrolling:
        raise ValidationError(_("Cette session est terminée : on ne peut plus s'y inscrire."))
    if session.registration_closed:
        raise ValidationError(
            _("La date limite d'inscription (%(day)s) est passée.")
            % {"day": date_format(session.registration_deadline, "d/m/Y")}
        )


def _seat_or_queue(session: Session, enrolment: Enrolment, *, actor: User | None) -> None:
    """Give the locked session's next seat, or a place on the waiting list."""
    if session.confirmed_count < session.capacity:
        enrolment.status = EnrolmentStatus.CONFIRMED
        session.confirmed_count += 1
    else:
        enrolment.status = EnrolmentStatus.WAITING
        session.waiting_count += 1
    enrolment.save()
    if session.confirmed_count >= session.capacity and session.status == SessionStatus.OPEN:
        _apply_transition(session, action="mark_full", actor=actor)


@transaction.atomic
def enrol_youths(*, actor: User, session: Session, youths: Iterable[Youth]) -> list[Enrolment]:
    """Enrol one youth, or a group (about ten, Annex 2) in one step, in a youth session.

    The advisor enrols only youths of their own mission locale, before the deadline, in
    an open session; a youth already enrolled (or waiting) is refused and the whole
    group with them. Seats go in the order given; past the capacity, youths go on the
    waiting list. The session row is locked first, so capacity holds under concurrency.
    """
    youths = list(youths)
    if not youths:
        raise ValidationError({"youths": _("Choisissez au moins un jeune.")})
    if len({youth.pk for youth in youths}) != len(youths):
        raise ValidationError({"youths": _("Le même jeune figure deux fois dans le groupe.")})
    locked = Session.objects.select_for_update().get(pk=session.pk)
    if not permissions.can_enrol_youths(actor, locked):
        raise PermissionDenied
    scope = get_scope(actor)
    if not scope.is_admin and any(
        youth.mission_locale_id not in scope.mission_locale_ids for youth in youths
    ):
        raise PermissionDenied
    _check_enrolling(locked)
    closed = [youth for youth in youths if youth.is_anonymised]
    if closed:
        raise ValidationError({"youths": _("Un dossier anonymisé ne peut être inscrit.")})
    already = list(
        locked.enrolments.active()
        .filter(youth__in=[youth.pk for youth in youths])
        .select_related("youth")
    )
    if already:
        raise ValidationError(
            {
                "youths": _("Déjà inscrit(e) à cette session : %(names)s.")
                % {"names": ", ".join(str(e.youth) for e in already)}
            }
        )
    enrolments = []
    now = timezone.now()
    for youth in youths:
        enrolment = Enrolment(session=locked, youth=youth, enrolled_by=actor, queued_at=now)
        _seat_or_queue(locked, enrolment, actor=actor)
        enrolments.append(enrolment)
    locked.save(update_fields=["confirmed_count", "waiting_count", "status", "updated_at"])
    session.confirmed_count, session.waiting_count, session.status = (
        locked.confirmed_count,
        locked.waiting_count,
        locked.status,
    )
    return enrolments


@transaction.atomic
def enrol_self(*, actor: User, session: Session) -> Enrolment:
    """An advisor enrols themselves in an advisor session of their region; same rules
    of deadline, capacity and waiting list as the youths."""
    locked = Session.objects.select_for_update().get(pk=session.pk)
    if not permissions.can_enrol_self(actor, locked):
        raise PermissionDenied
    _check_enrolling(locked)
    if locked.enrolments.active().filter(participant=actor).exists():
        raise ValidationError(_("Vous êtes déjà inscrit(e) à cette session."))
    enrolment = Enrolment(session=locked, participant=actor, enrolled_by=actor)
    _seat_or_queue(locked, enrolment, actor=actor)
    locked.save(update_fields=["confirmed_count", "waiting_count", "status", "updated_at"])
    return enrolment


def _fill_free_seats(session: Session, *, actor: User | None) -> list[Enrolment]:
    """Promote the waiting list in order into the locked session's free seats; each
    promoted person's advisor gets an email after commit."""
    from .tasks import notify_promotion

    promoted = []
    free = session.capacity - session.confirmed_count
    if free > 0 and session.waiting_count:
        now = timezone.now()
        for enrolment in session.enrolments.waiting_in_order()[:free]:
            enrolment.status = EnrolmentStatus.CONFIRMED
            enrolment.promoted_at = now
            enrolment.save(update_fields=["status", "promoted_at"])
            session.confirmed_count += 1
            session.waiting_count -= 1
            promoted.append(enrolment)
            _queue(notify_promotion, enrolment.pk)
    if session.confirmed_count >= session.capacity and session.status == SessionStatus.OPEN:
        _apply_transition(session, action="mark_full", actor=actor)
    elif session.confirmed_count < session.capacity and session.status == SessionStatus.FULL:
        _apply_transition(session, action="reopen", actor=actor)
    session.save(update_fields=["confirmed_count", "waiting_count", "status", "updated_at"])
    return promoted


@transaction.atomic
def cancel_enrolment(*, actor: User, enrolment: Enrolment, reason: str = "") -> list[Enrolment]:
    """Withdraw an enrolment before the session starts. The row stays (status
    "cancelled"); a freed seat goes to the first person waiting, whose advisor is told.
    Returns the promoted enrolments."""
    session = Session.objects.select_for_update().get(pk=enrolment.session_id)
    locked = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
    locked.session = session
    if not permissions.can_cancel_enrolment(actor, locked):
        raise PermissionDenied
    if not locked.is_active:
        raise ValidationError(_("Cette inscription est déjà annulée."))
    if session.has_started or not session.is_enrolling:
        raise ValidationError(_("La session a commencé ou n'accepte plus de changement."))
    if locked.is_confirmed:
        session.confirmed_count -= 1
    else:
        session.waiting_count -= 1
    locked.status = EnrolmentStatus.CANCELLED
    locked.cancelled_at = timezone.now()
    locked.cancelled_by = actor
    # The reason is kept with the change in the audit trail (the enrolment's history).
    with because(reason[:255]):
        locked.save(update_fields=["status", "cancelled_at", "cancelled_by"])
    enrolment.status = locked.status
    return _fill_free_seats(session, actor=actor)


def _advance_pathway(*, youth: Youth, stage: str, actor: User, day: date, source: str, note: str):
    """Move the youth forward to `stage` when the pathway allows it: never backwards
    (a hired youth attending a job meeting stays hired), never twice for one source."""
    youth = Youth.objects.get(pk=youth.pk)
    current = youth.current_stage
    if current not in FORWARD_ORDER or stage not in FORWARD_ORDER:
        return None
    if FORWARD_ORDER.index(stage) <= FORWARD_ORDER.index(current):
        return None
    if stage not in allowed_next_stages(youth):
        return None
    if PathwayEvent.objects.filter(youth=youth, source=source, stage=stage).exists():
        return None
    last = youth.pathway_events.order_by("-occurred_on").values_list("occurred_on", flat=True)
    last_day = last.first()
    day = min(max(day, last_day or day), timezone.localdate())
    return record_pathway_event(
        youth=youth, stage=stage, author=actor, occurred_on=day, note=note, source=source
    )


@transaction.atomic
def record_attendance(
    *,
    actor: User,
    enrolment: Enrolment,
    attendance: str,
    host_assessment: str = "",
    host_comment: str = "",
) -> Enrolment:
    """Whoever runs the session marks each confirmed person attended, no-show or excused,
    once it has started; for an immersion day the host adds an assessment. A youth who
    attended moves forward on their pathway (discovery, immersion or training, by the
    kind), the event naming this enrolment as its source. The session becomes "held"."""
    session = Session.objects.select_for_update().get(pk=enrolment.session_id)
    locked = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
    if not permissions.can_manage_session(actor, session):
        raise PermissionDenied
    errors: dict[str, str] = {}
    if not session.has_started:
        errors["attendance"] = _("La présence se note une fois la session commencée.")
    elif session.is_cancelled:
        errors["attendance"] = _("Cette session est annulée.")
    elif not locked.is_confirmed:
        errors["attendance"] = _(
            "Seules les personnes inscrites (hors liste d'attente) sont notées."
        )
    if attendance not in Attendance.values:
        errors["attendance"] = _("Indiquez la présence.")
    if host_assessment and host_assessment not in HostAssessment.values:
        errors["host_assessment"] = _("Avis inconnu.")
    if host_assessment and not session.has_host_assessment:
        errors["host_assessment"] = _("L'avis de l'entreprise concerne les journées d'immersion.")
    if host_assessment and attendance != Attendance.ATTENDED:
        errors["host_assessment"] = _("L'avis ne se donne que pour une personne présente.")
    if errors:
        raise ValidationError(errors)
    locked.attendance = attendance
    locked.host_assessment = host_assessment
    locked.host_comment = host_comment.strip()
    locked.attendance_recorded_by = actor
    locked.attendance_recorded_at = timezone.now()
    locked.save(
        update_fields=[
            "attendance",
            "host_assessment",
            "host_comment",
            "attendance_recorded_by",
            "attendance_recorded_at",
        ]
    )
    if session.status in (SessionStatus.OPEN, SessionStatus.FULL, SessionStatus.PLANNED):
        _apply_transition(session, action="mark_held", actor=actor)
        session.save(update_fields=["status", "updated_at"])
    stage = STAGE_BY_KIND.get(session.kind)
    if attendance == Attendance.ATTENDED and locked.youth_id and stage:
        _advance_pathway(
            youth=locked.youth,
            stage=stage,
            actor=actor,
            day=session.start_day,
            source=locked.source_reference,
            note=str(session.title),
        )
    return locked


# --- The immersion platform ---------------------------------------------------------------


@transaction.atomic
def create_cohort(
    *, actor: User, region: Region, year: int, size: int = DEFAULT_COHORT_SIZE
) -> Cohort:
    """Open the platform of a region for a year; one cohort per region and year."""
    scope = get_scope(actor)
    if not scope.is_admin and region.pk not in scope.lead_region_ids:
        raise PermissionDenied
    if Cohort.objects.filter(region=region, year=year).exists():
        raise ValidationError({"year": _("Cette région a déjà une promotion pour cette année.")})
    cohort = Cohort(region=region, year=year, size=size, created_by=actor)
    cohort.full_clean()
    cohort.save()
    return cohort


@transaction.atomic
def set_cohort_size(*, actor: User, cohort: Cohort, size: int) -> Cohort:
    """The size is a setting of the cohort (`DEFAULT_COHORT_SIZE` by default); never
    below the contracts already signed."""
    locked = Cohort.objects.select_for_update().get(pk=cohort.pk)
    if not permissions.can_manage_cohort(actor, locked):
        raise PermissionDenied
    signed = locked.contracts.count()
    if size < 1:
        raise ValidationError({"size": _("Une promotion compte au moins un contrat.")})
    if size < signed:
        raise ValidationError(
            {
                "size": _(
                    "%(signed)s contrats sont déjà signés : la taille ne peut descendre en dessous."
                )
                % {"signed": signed}
            }
        )
    locked.size = size
    locked.save(update_fields=["size"])
    return locked


@transaction.atomic
def add_cae_contract(
    *,
    actor: User,
    cohort: Cohort,
    youth: Youth,
    employer: str,
    start_on: date,
    end_on: date,
    weekly_hours: int,
) -> CaeContract:
    """Sign a youth onto the platform with a CAE contract (Art. 12): at most 6 months,
    a youth of the cohort's region, once per cohort, and never past the cohort's size
    (the cohort row is locked while counting). The youth moves to "immersion"."""
    locked = Cohort.objects.select_for_update().get(pk=cohort.pk)
    if not permissions.can_add_contract(actor, locked):
        raise PermissionDenied
    scope = get_scope(actor)
    if not (
        scope.is_admin
        or youth.mission_locale_id in scope.mission_locale_ids
        or locked.region_id in scope.lead_region_ids
    ):
        raise PermissionDenied
    errors: dict[str, str] = {}
    if youth.mission_locale.region_id != locked.region_id:
        errors["youth"] = _("Ce jeune est suivi par une mission locale d'une autre région.")
    elif locked.contracts.filter(youth=youth).exists():
        errors["youth"] = _("Ce jeune a déjà un contrat dans cette promotion.")
    if start_on and end_on:
        if end_on <= start_on:
            errors["end_on"] = _("La fin du contrat doit suivre son début.")
        elif end_on > add_months(start_on, CAE_MAX_MONTHS):
            errors["end_on"] = _(
                "Un contrat CAE de la plateforme dure au plus %(months)s mois "
                "(fin au plus tard le %(day)s)."
            ) % {
                "months": CAE_MAX_MONTHS,
                "day": date_format(add_months(start_on, CAE_MAX_MONTHS), "d/m/Y"),
            }
    signed = locked.contracts.count()
    if signed >= locked.size:
        errors[NON_FIELD] = _("La promotion est complète : %(signed)s contrats sur %(size)s.") % {
            "signed": signed,
            "size": locked.size,
        }
    if errors:
        raise ValidationError(errors)
    contract = CaeContract(
        cohort=locked,
        youth=youth,
        employer=employer.strip(),
        start_on=start_on,
        end_on=end_on,
        weekly_hours=weekly_hours,
        created_by=actor,
    )
    contract.full_clean()
    contract.save()
    _advance_pathway(
        youth=youth,
        stage=PathwayStage.IMMERSION,
        actor=actor,
        day=min(start_on, timezone.localdate()),
        source=contract.source_reference,
        note=_("Contrat CAE chez %(employer)s") % {"employer": contract.employer},
    )
    return contract


OUTCOME_STAGE = {
    ContractOutcome.HIRED: PathwayStage.HIRED,
    ContractOutcome.TRAINING: PathwayStage.TRAINING,
}


@transaction.atomic
def record_contract_outcome(
    *, actor: User, contract: CaeContract, outcome: str, note: str = "", recorded_on=None
) -> CaeContract:
    """Record how a CAE contract ended: hired, training or other. A hiring or a training
    moves the youth's pathway, the contract named as its source."""
    locked = (
        CaeContract.objects.select_for_update()
        .select_related("cohort", "youth")
        .get(pk=contract.pk)
    )
    if not permissions.can_record_contract_outcome(actor, locked):
        raise PermissionDenied
    recorded_on = recorded_on or timezone.localdate()
    if outcome not in ContractOutcome.values:
        raise ValidationError({"outcome": _("Indiquez l'issue du contrat.")})
    if recorded_on > timezone.localdate():
        raise ValidationError({"outcome": _("L'issue se note une fois connue, pas à l'avance.")})
    locked.outcome = outcome
    locked.outcome_note = note.strip()
    locked.outcome_recorded_on = recorded_on
    locked.save(update_fields=["outcome", "outcome_note", "outcome_recorded_on"])
    stage = OUTCOME_STAGE.get(outcome)
    if stage:
        _advance_pathway(
            youth=locked.youth,
            stage=stage,
            actor=actor,
            day=recorded_on,
            source=locked.source_reference,
            note=_("Issue du contrat CAE chez %(employer)s") % {"employer": locked.employer},
        )
    return locked


# --- The candidate pool -------------------------------------------------------------------


@transaction.atomic
def request_pool_proposal(
    *, recruiter: User, youth: Youth, offer: Offer, message: str = ""
) -> PoolRequest:
    """A recruiter asks the youth's advisor to propose this pool member to a published
    offer of their company. Only a consenting member of the pool of the recruiter's
    region, for an offer of the same region; the advisor is emailed after commit."""
    from .models import pool_members
    from .tasks import notify_pool_request

    scope = get_scope(recruiter)
    if not permissions.can_browse_pool(recruiter):
        raise PermissionDenied
    # The youth's lock: a consent withdrawn in the same instant either comes first (the
    # youth leaves the pool, refused below) or waits and declines this request.
    youth = Youth.objects.select_for_update().select_related("mission_locale").get(pk=youth.pk)
    if not pool_members(recruiter).filter(pk=youth.pk).exists():
        raise PermissionDenied
    if offer.company_id not in scope.company_ids:
        raise PermissionDenied
    if offer.status != OfferStatus.PUBLISHED:
        raise ValidationError(
            {"offer": _("Cette offre n'est pas publiée : on ne peut y proposer personne.")}
        )
    if offer.region_id != youth.mission_locale.region_id:
        raise ValidationError({"offer": _("Cette offre n'est pas dans la région du jeune.")})
    try:
        with transaction.atomic():
            pool_request = PoolRequest.objects.create(
                recruiter=recruiter,
                company_id=offer.company_id,
                youth=youth,
                offer=offer,
                message=message.strip(),
            )
    except IntegrityError:
        raise ValidationError(
            {"offer": _("Une demande pour ce jeune sur cette offre attend déjà une réponse.")}
        ) from None
    _queue(notify_pool_request, pool_request.pk)
    return pool_request


@transaction.atomic
def answer_pool_request(
    *, actor: User | None, pool_request: PoolRequest, action: str, note: str = ""
) -> PoolRequest:
    """The youth's advisor accepts, which proposes the youth to the offer through the
    offers app (origin: the immersion pool) with the same rules as any proposal, or
    declines with a note. The recruiter is told by email. `actor` None is the portal
    itself declining (the retention job anonymising an expired file): no one to check."""
    from offers.services import propose_youth

    from .tasks import notify_pool_answer

    # The youth first, as a consent withdrawal and `propose_youth` lock it: an answer and
    # a withdrawal at the same instant queue instead of deadlocking.
    Youth.objects.select_for_update().values_list("pk", flat=True).get(pk=pool_request.youth_id)
    locked = PoolRequest.objects.select_for_update().get(pk=pool_request.pk)
    if actor is None and action != "decline":
        raise PermissionDenied
    if actor is not None and not permissions.can_answer_pool_request(actor, locked):
        raise PermissionDenied
    if action not in PoolRequest.TRANSITIONS:
        raise ValidationError(_("Action inconnue."))
    sources, target = PoolRequest.TRANSITIONS[action]
    if locked.status not in sources:
        raise ValidationError(_("Cette demande a déjà reçu une réponse."))
    if action == "decline" and not note.strip():
        raise ValidationError({"note": _("Expliquez brièvement le refus au recruteur.")})
    if action == "accept":
        locked.proposal = propose_youth(
            offer=locked.offer,
            youth=locked.youth,
            actor=actor,
            note=note.strip(),
            origin=ProposalOrigin.IMMERSION_POOL,
        )
    locked.status = target
    locked.answered_by = actor
    locked.answered_at = timezone.now()
    locked.answer_note = note.strip()
    locked.save(update_fields=["status", "answered_by", "answered_at", "answer_note", "proposal"])
    _queue(notify_pool_answer, locked.pk)
    return locked


@transaction.atomic
def decline_pending_pool_requests(
    *, youth: Youth, actor: User | None, reason: str
) -> list[PoolRequest]:
    """The youth stopped sharing their profile with companies (consent withdrawn, file
    anonymised; `candidates.services` calls this in its transaction, holding the youth's
    row lock): the recruiters' requests still pending are declined with `reason`, as the
    advisor `actor` would. The recruiter's email and page name nobody
    (`candidates.sharing.youth_as_seen_by`)."""
    pending = list(PoolRequest.objects.pending().filter(youth_id=youth.pk).order_by("pk"))
    return [
        answer_pool_request(actor=actor, pool_request=request, action="decline", note=str(reason))
        for request in pending
    ]
