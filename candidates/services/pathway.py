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
