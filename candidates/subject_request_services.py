"""Every write of the subject requests (`subject_requests.SubjectRequest`): recording a
youth's request to exercise a right, and closing it with what was done. Each service
checks its rule, runs in one transaction and saves nothing when it refuses
(ValidationError in French, PermissionDenied for an actor without the right)."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.workflow import target_of
from accounts.years import add_months

from .enums import SubjectRequestKind
from .models import Youth
from .permissions import can_close_subject_request, can_record_subject_request
from .services import anonymise_youth
from .subject_requests import RESPONSE_MONTHS, SubjectRequest


def due_date(received_on: date) -> date:
    """The answer is due one calendar month after the request is received (GDPR article
    12.3): 31 January gives 28 (or 29) February."""
    return add_months(received_on, RESPONSE_MONTHS)


@transaction.atomic
def record_subject_request(
    *, youth: Youth, actor: User, kind: str, received_on: date, details: str = ""
) -> SubjectRequest:
    """Record a youth's request (access, rectification, erasure, objection) the day it was
    received, whatever the channel (in person, by mail, by email), with its due date one
    month later. The advisors and managers of the youth's mission locale record it
    (`can_record_subject_request`); an anonymised file takes none (nothing left to
    identify the youth by). The date is not in the future, nor before the youth was
    registered."""
    locked = Youth.objects.select_for_update().get(pk=youth.pk)
    if not can_record_subject_request(actor, locked):
        raise PermissionDenied
    errors: dict[str, str] = {}
    if kind not in SubjectRequestKind.values:
        errors["kind"] = _("Choisissez le droit exercé.")
    if received_on > timezone.localdate():
        errors["received_on"] = _("La date de réception ne peut pas être dans le futur.")
    elif received_on < locked.registered_on:
        errors["received_on"] = _("La demande ne peut précéder l'inscription du jeune.")
    if errors:
        raise ValidationError(errors)
    return SubjectRequest.objects.create(
        youth=locked,
        kind=kind,
        received_on=received_on,
        due_on=due_date(received_on),
        details=details.strip(),
        recorded_by=actor,
    )


@transaction.atomic
def close_subject_request(
    *, subject_request: SubjectRequest, actor: User, outcome: str
) -> SubjectRequest:
    """Close a request with what was done, by a manager of the youth's mission locale
    (`can_close_subject_request`). Closing an erasure request anonymises the file through
    `services.anonymise_youth` in the same transaction (already anonymised: nothing more
    to do), which masks the youth's names in this request's texts like everywhere else.

    Locks the youth first, then the request, in the order anonymisation takes them, so a
    closing and an anonymisation at the same instant queue instead of deadlocking."""
    youth = Youth.objects.select_for_update().get(pk=subject_request.youth_id)
    locked = SubjectRequest.objects.select_for_update().get(pk=subject_request.pk)
    locked.youth = youth
    if not can_close_subject_request(actor, locked):
        raise PermissionDenied
    target = target_of(locked, "close", refused=_("Cette demande est déjà close."))
    if not outcome.strip():
        raise ValidationError({"outcome": _("Indiquez ce qui a été fait.")})
    locked.status = target
    locked.outcome = outcome.strip()
    locked.handled_by = actor
    locked.closed_on = timezone.localdate()
    locked.save(update_fields=["status", "outcome", "handled_by", "closed_on"])
    if locked.is_erasure and not youth.is_anonymised:
        anonymise_youth(
            youth=youth,
            actor=actor,
            reason=_("Demande d'effacement n° %(pk)s") % {"pk": locked.pk},
        )
        locked.refresh_from_db()
    return locked
