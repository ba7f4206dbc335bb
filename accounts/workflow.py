"""One way to move a row along its workflow and keep its history (CONVENTIONS.md,
"Workflows"), for every app: offers and proposals, sessions and pool requests, action
items and plan items, subject requests, commitments.

A workflow model has a `status` field and a transition table next to it,
`TRANSITIONS`: each action names the statuses it may start from and the status it
leads to. A service locks the row, checks the actor, then calls `move`: the table is
checked, the status set and, for a model whose moves are kept, one row written to its
log (a `TransitionLog`: who, when, from, to, by which action and why). The service then
saves the row with the fields it changed (each model has its own timestamps) and
schedules its emails on commit. Templates ask `can_move` through each app's
`available_actions`; they never compare statuses.

The pathway of a youth is not such a table: its stages are events of their own
(`candidates.PathwayEvent`, with `candidates.services.pathway.ALLOWED_MOVES`).
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .model_base import PortalModel

Table = dict[str, tuple[frozenset[str], str]]


class TransitionLog(PortalModel):
    """One move of a row: who, when, from, to, by which action and why. Each log model
    adds its foreign key to the moved row, named by `SUBJECT`, and its status fields
    (`from_status`, `to_status`) with the choices of its workflow."""

    SUBJECT: ClassVar[str]

    action = models.CharField(gettext_lazy("action"), max_length=16, blank=True, default="")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=gettext_lazy("par"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=gettext_lazy("Vide quand le portail l'a fait seul (une tâche planifiée)."),
    )
    reason = models.TextField(gettext_lazy("motif"), blank=True, default="")
    created_at = models.DateTimeField(gettext_lazy("le"), default=timezone.now)

    class Meta:
        abstract = True
        ordering = ["created_at", "pk"]


def can_move(obj, action: str) -> bool:
    """Whether `action` of the row's table may start from the row's status now."""
    sources, _target = type(obj).TRANSITIONS[action]
    return obj.status in sources


def target_of(obj, action: str, *, refused: str | None = None) -> str:
    """The status `action` leads the row to, or a ValidationError saying why not: an
    action unknown to the table, or one that cannot start from the current status."""
    table: Table = type(obj).TRANSITIONS
    if action not in table:
        raise ValidationError(_("Action inconnue."))
    sources, target = table[action]
    if obj.status not in sources:
        raise ValidationError(
            refused
            or _("Impossible depuis l'état « %(status)s ».") % {"status": obj.get_status_display()}
        )
    return target


def log_move(
    obj, *, log: type[TransitionLog], previous: str, actor, action: str = "", reason: str = ""
) -> TransitionLog:
    """Write the log row of a move already made on `obj` (its status is the new one)."""
    return log.objects.create(
        **{log.SUBJECT: obj},
        action=action,
        from_status=previous,
        to_status=obj.status,
        actor=actor,
        reason=reason,
    )


def move(
    obj,
    *,
    action: str,
    actor,
    log: type[TransitionLog] | None = None,
    reason: str = "",
    target: str | None = None,
    refused: str | None = None,
) -> TransitionLog | None:
    """Move `obj`, locked by the caller in its transaction, by `action`: check the
    table, set the status (`target` when the action may lead to several, else the
    table's), write the log row when the model keeps one. No save: the caller saves
    `status` with its own timestamps. Returns the log row."""
    table_target = target_of(obj, action, refused=refused)
    previous = obj.status
    obj.status = target or table_target
    if log is None:
        return None
    return log_move(obj, log=log, previous=previous, actor=actor, action=action, reason=reason)
