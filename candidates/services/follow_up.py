"""Following a youth: in-company check-ins, assessments, follow-up notes, VAE projects."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from audit.trail import audited_update

from ..enums import (
    CheckInStatus,
)
from ..models import (
    SCORE_FIELDS,
    Assessment,
    FollowUpNote,
    InCompanyCheckIn,
    VaeProject,
    Youth,
)
from ..permissions import can_edit_youth
from .rules import check_editable, not_in_future, require


@transaction.atomic
def record_check_in(
    *,
    check_in: InCompanyCheckIn,
    actor: User,
    done_on: date | None,
    outcome: str = "",
    note: str = "",
    missed: bool = False,
) -> InCompanyCheckIn:
    """Record how an in-company check-in went (or that it could not take place)."""
    check_in = (
        InCompanyCheckIn.objects.select_for_update().select_related("youth").get(pk=check_in.pk)
    )
    require(can_edit_youth(actor, check_in.youth))
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
    check_in.recorded_by = actor
    check_in.save(update_fields=["status", "done_on", "outcome", "note", "recorded_by"])
    return check_in


@transaction.atomic
def record_assessment(
    *,
    youth: Youth,
    actor: User,
    assessed_on: date,
    method: str,
    scores: dict[str, int],
    outcome: str,
    comment: str = "",
) -> Assessment:
    """Record an aptitude assessment (Art. 6) on the five skills of the industry. The
    youth's list shows the outcome of the most recent assessment."""
    check_editable(youth)
    require(can_edit_youth(actor, youth))
    errors: dict[str, str] = {}
    not_in_future(assessed_on, "assessed_on", errors)
    if errors:
        raise ValidationError(errors)
    assessment = Assessment(
        youth=youth,
        assessed_on=assessed_on,
        method=method,
        assessor=actor,
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
    actor: User,
    met_on: date,
    channel: str,
    summary: str,
    next_appointment_on: date | None = None,
) -> FollowUpNote:
    """Write down a follow-up meeting and the next appointment. The youth's last contact
    and next appointment (for "no contact for N days" and "my follow-ups this week")
    follow the most recent note."""
    check_editable(youth)
    require(can_edit_youth(actor, youth))
    errors: dict[str, str] = {}
    not_in_future(met_on, "met_on", errors)
    if next_appointment_on and next_appointment_on < met_on:
        errors["next_appointment_on"] = _("Le prochain rendez-vous ne peut précéder l'entretien.")
    if not summary.strip():
        errors["summary"] = _("Écrivez le compte rendu de l'entretien.")
    if errors:
        raise ValidationError(errors)
    note = FollowUpNote.objects.create(
        youth=youth,
        author=actor,
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
def save_vae_project(
    *, youth: Youth, actor: User, project: VaeProject | None = None, **fields
) -> VaeProject:
    """Create or update a VAE / certification project (Axe VII)."""
    check_editable(youth)
    require(can_edit_youth(actor, youth))
    if project is None:
        project = VaeProject(youth=youth, created_by=actor)
    for name, value in fields.items():
        setattr(project, name, value)
    errors: dict[str, str] = {}
    not_in_future(project.started_on, "started_on", errors)
    if project.jury_on and project.started_on and project.jury_on < project.started_on:
        errors["jury_on"] = _("Le jury ne peut précéder le début du projet.")
    if errors:
        raise ValidationError(errors)
    project.full_clean()
    project.save()
    return project
