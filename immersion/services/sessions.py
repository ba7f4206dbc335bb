"""Sessions and their enrolments: creating, changing and moving a session, enrolling,
cancelling, the waiting list, and attendance."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.models import Organisation, User
from accounts.scope import get_scope
from accounts.workflow import log_move, move
from audit.context import because
from candidates.models import Youth
from candidates.services import advance_pathway

from .. import permissions
from ..enums import (
    STAGE_BY_KIND,
    Attendance,
    EnrolmentStatus,
    HostAssessment,
    ProgrammeKind,
    SessionStatus,
    audience_of,
)
from ..models import (
    HOST_KINDS,
    REASON_MAX_LENGTH,
    Enrolment,
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


def _apply_transition(session: Session, *, action: str, actor: User | None, reason="") -> None:
    """Move the locked `session` along the table and write the log row (no save)."""
    move(
        session,
        action=action,
        actor=actor,
        log=SessionLog,
        reason=reason,
        refused=_("Action « %(action)s » impossible : la session est « %(status)s ».")
        % {"action": Session.ACTION_LABELS[action], "status": session.get_status_display()},
    )


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
    log_move(session, log=SessionLog, previous=SessionStatus.PLANNED, actor=actor, action="create")
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
        from ..tasks import notify_session_cancelled

        notify_session_cancelled.delay_on_commit(locked.pk)
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
    from ..tasks import notify_promotion

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
            notify_promotion.delay_on_commit(enrolment.pk)
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
        advance_pathway(
            youth=locked.youth,
            stage=stage,
            actor=actor,
            day=session.start_day,
            source=locked.source_reference,
            note=str(session.title),
        )
    return locked
