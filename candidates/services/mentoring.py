"""Volunteer mentors and their pairing with youths (Art. 14)."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User

from ..models import (
    Mentor,
    MentoringMeeting,
    MentoringPair,
    Youth,
)
from ..permissions import can_edit_youth, can_manage_mentors
from .rules import check_editable, not_in_future, require


@transaction.atomic
def save_mentor(
    *, actor: User, mentor: Mentor | None = None, mission_locale=None, **fields
) -> Mentor:
    """Create or change a volunteer mentor of a mission locale."""
    require(can_manage_mentors(actor, mentor.mission_locale_id if mentor else mission_locale.pk))
    if mentor is None:
        mentor = Mentor(mission_locale=mission_locale)
    for name, value in fields.items():
        setattr(mentor, name, value)
    errors: dict[str, str] = {}
    not_in_future(mentor.charter_signed_on, "charter_signed_on", errors)
    if errors:
        raise ValidationError(errors)
    mentor.full_clean()
    mentor.save()
    return mentor


@transaction.atomic
def pair_mentor(*, youth: Youth, mentor: Mentor, started_on: date, actor: User) -> MentoringPair:
    """Give a youth a mentor (Art. 14). The mentor belongs to the youth's mission locale,
    is available and has signed the national mentoring charter; a youth has at most one
    active mentor (also a database constraint, which holds under concurrency)."""
    locked = Youth.objects.select_for_update().get(pk=youth.pk)
    check_editable(locked)
    require(can_edit_youth(actor, locked))
    errors: dict[str, str] = {}
    if mentor.mission_locale_id != locked.mission_locale_id:
        errors["mentor"] = _("Ce parrain ne fait pas partie de la mission locale du jeune.")
    elif not mentor.is_active:
        errors["mentor"] = _("Ce parrain n'est plus disponible.")
    elif mentor.charter_signed_on is None:
        errors["mentor"] = _("Ce parrain n'a pas encore signé la charte nationale du parrainage.")
    not_in_future(started_on, "started_on", errors)
    if MentoringPair.objects.active().filter(youth=locked).exists():
        errors["mentor"] = _("Ce jeune a déjà un parrainage en cours : terminez-le d'abord.")
    if errors:
        raise ValidationError(errors)
    return MentoringPair.objects.create(
        youth=locked, mentor=mentor, started_on=started_on, created_by=actor
    )


@transaction.atomic
def end_mentoring(
    *, pair: MentoringPair, ended_on: date, reason: str, actor: User
) -> MentoringPair:
    """Close a mentoring pair; the youth may then get another mentor."""
    pair = MentoringPair.objects.select_for_update().select_related("youth").get(pk=pair.pk)
    require(can_edit_youth(actor, pair.youth))
    errors: dict[str, str] = {}
    if not pair.is_active:
        errors["ended_on"] = _("Ce parrainage est déjà terminé.")
    elif ended_on < pair.started_on:
        errors["ended_on"] = _("La fin du parrainage ne peut précéder son début.")
    not_in_future(ended_on, "ended_on", errors)
    if errors:
        raise ValidationError(errors)
    pair.ended_on = ended_on
    pair.end_reason = reason
    pair.save(update_fields=["ended_on", "end_reason"])
    return pair


@transaction.atomic
def record_mentoring_meeting(
    *, pair: MentoringPair, met_on: date, note: str, actor: User
) -> MentoringMeeting:
    """Write down a meeting between a mentor and their mentee."""
    require(can_edit_youth(actor, pair.youth))
    errors: dict[str, str] = {}
    not_in_future(met_on, "met_on", errors)
    if met_on < pair.started_on:
        errors["met_on"] = _("La rencontre ne peut précéder le début du parrainage.")
    if errors:
        raise ValidationError(errors)
    return MentoringMeeting.objects.create(pair=pair, met_on=met_on, note=note, author=actor)
