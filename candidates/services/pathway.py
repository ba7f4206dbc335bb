"""A youth's pathway (Annex 1): the moves between stages, each one an event, and the
in-company follow-up a hiring plans."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.years import add_months

from ..enums import (
    PathwayStage,
    YouthStatus,
)
from ..models import (
    InCompanyCheckIn,
    PathwayEvent,
    Youth,
)
from ..permissions import can_edit_youth
from .rules import require

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


def allowed_next_stages(youth: Youth) -> list[str]:
    """The stages the youth may move to now, in pathway order."""
    if youth.is_anonymised:
        return []
    allowed = ALLOWED_MOVES[youth.current_stage]
    return [stage for stage in PathwayStage.values if stage in allowed]


@transaction.atomic
def record_pathway_event(*, youth: Youth, stage: str, actor: User, **details) -> PathwayEvent:
    """A person of the youth's mission locale moves the youth along the pathway
    (`permissions.can_edit_youth`, else PermissionDenied).

    Rules (ALLOWED_MOVES): only the moves of the table; a hiring names its source (the
    contract, or "offers.Proposal#12"); an exit names its reason; the date is neither in
    the future nor before the last event. The event is the source of truth; the youth's
    `current_stage` copy is updated with it. A hiring plans the 1/3/6-month in-company
    check-ins (safe to plan again), counted from `follow_ups_from` (the contract's start
    date, which may be after the hiring day) or else from `occurred_on`; the argument is
    ignored for the other stages. Other apps pass `source="app.Model#pk"`.
    """
    return _record_pathway(youth=youth, stage=stage, actor=actor, check_actor=True, **details)


@transaction.atomic
def record_pathway_consequence(
    *, youth: Youth, stage: str, actor: User | None, **details
) -> PathwayEvent:
    """The pathway move another app's service makes as a consequence of its own action,
    once it has checked its own actor: a recruiter hiring the youth on a proposal, a
    host recording that the youth attended. `actor` is recorded as the event's author,
    not checked against the pool's rules (a recruiter never edits a youth's file).
    Same rules as `record_pathway_event` otherwise."""
    return _record_pathway(youth=youth, stage=stage, actor=actor, check_actor=False, **details)


def _record_pathway(
    *,
    youth: Youth,
    stage: str,
    actor: User | None,
    occurred_on: date,
    note: str = "",
    source: str = "",
    exit_reason: str = "",
    follow_ups_from: date | None = None,
    check_actor: bool,
) -> PathwayEvent:
    """The move itself, for the two entries above."""
    locked = Youth.objects.select_for_update().get(pk=youth.pk)
    if locked.is_anonymised:
        raise ValidationError(_("Ce dossier est anonymisé : son parcours est figé."))
    if check_actor:
        require(can_edit_youth(actor, locked))
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
        mission_locale_id=locked.mission_locale_id,
        stage=stage,
        previous_stage=current,
        occurred_on=occurred_on,
        author=actor,
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
            youth=locked, hired_on=follow_ups_from or occurred_on, actor=actor
        )
    return event


@transaction.atomic
def schedule_follow_ups_after_hiring(
    *, youth: Youth, hired_on: date, actor: User | None
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
            defaults={"due_on": add_months(hired_on, months), "created_by": actor},
        )
        check_ins.append(check_in)
    return check_ins


def advance_pathway(*, youth: Youth, stage: str, actor: User, day: date, source: str, note: str):
    """Move the youth forward to `stage` when the pathway allows it, for an event of
    another app (a session attended, a contract signed): never backwards (a hired youth
    attending a job meeting stays hired), never twice for one source, never dated before
    the last event nor in the future. Returns the event, or None when nothing moved."""
    youth = Youth.objects.get(pk=youth.pk)
    current = youth.current_stage
    forward = PathwayStage.forward()
    if current not in forward or stage not in forward:
        return None
    if forward.index(stage) <= forward.index(current):
        return None
    if stage not in allowed_next_stages(youth):
        return None
    if PathwayEvent.objects.filter(youth=youth, source=source, stage=stage).exists():
        return None
    last = youth.pathway_events.order_by("-occurred_on").values_list("occurred_on", flat=True)
    last_day = last.first()
    day = min(max(day, last_day or day), timezone.localdate())
    return record_pathway_consequence(
        youth=youth, stage=stage, actor=actor, occurred_on=day, note=note, source=source
    )
