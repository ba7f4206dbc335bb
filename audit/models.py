"""The audit trail: one table, django-auditlog's entry with three columns of ours.

django-auditlog writes an entry for every create, update and delete of a tracked model
(`audit/registry.py`) with the changed fields, each `[old, new]` as text. Ours adds:

- `path`: how the change came (a page, an import, a job, the admin, a command);
- `youth`: the youth the row concerns (the youth, or the youth of a note, proposal,
  enrolment...), so their page reads their history with one indexed filter and
  anonymisation scrubs it (`audit/personal_data.py`);
- `organisation`: whose row it is (the youth's mission locale when written, the
  organisation of a membership), so a manager reads their mission locale's trail.

Nothing in an entry is a `str()` of the row: `object_repr` is "app.Model#id", so no name
is copied into the trail behind the fields themselves. The foreign keys carry no
database constraint and delete nothing: the trail outlives the rows it describes.
"""

from __future__ import annotations

from auditlog.cid import get_cid
from auditlog.models import AbstractLogEntry, LogEntryManager
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.model_base import PortalModel
from accounts.scope import get_scope

from .context import current_actor_id, current_path, current_reason
from .enums import AuditPath


def object_reference(model: type[models.Model], pk) -> str:
    """How an entry names its row: "candidates.Youth#12", never the row's `str()`."""
    return f"{model._meta.label}#{pk}"


class AuditEntryQuerySet(models.QuerySet):
    def visible_to(self, user) -> AuditEntryQuerySet:
        """Entries a user may read on the trail page: admins all; a mission locale
        manager those about the youths their mission locale follows today and those
        written while the row was their mission locale's (a youth since transferred, a
        membership of their team); nobody else (advisors read a youth's history on the
        youth's page only)."""
        scope = get_scope(user)
        if scope.is_admin:
            return self.all()
        managed = scope.managed_mission_locale_ids
        if not managed:
            return self.none()
        return self.filter(Q(youth__mission_locale_id__in=managed) | Q(organisation_id__in=managed))

    def about_youth(self, youth_id: int) -> AuditEntryQuerySet:
        return self.filter(youth_id=youth_id)

    def for_list(self) -> AuditEntryQuerySet:
        """What the pages show (the actor, the youth), in one query; content types come
        from Django's cache."""
        return self.select_related("actor", "youth")


class AuditEntryManager(LogEntryManager.from_queryset(AuditEntryQuerySet)):
    def log_create(self, instance, force_log: bool = False, **kwargs):
        """Called by django-auditlog for each change of a tracked model: adds the path,
        the actor, the reason, the youth and the organisation from the context and the
        registry; names the row by its reference, not its `str()`."""
        from .registry import tracked

        changes = kwargs.get("changes")
        if changes is None and not force_log:
            return None
        entry = tracked().get(type(instance)._meta.concrete_model)
        youth_id, organisation_id = entry.locate(instance) if entry else (None, None)
        reason = current_reason()
        kwargs.setdefault("content_type", ContentType.objects.get_for_model(instance))
        kwargs.setdefault("object_pk", str(instance.pk))
        if isinstance(instance.pk, int):
            kwargs.setdefault("object_id", instance.pk)
        kwargs.setdefault("object_repr", object_reference(type(instance), instance.pk))
        kwargs.setdefault("cid", get_cid())
        kwargs.setdefault("path", current_path())
        kwargs.setdefault("actor_id", current_actor_id())
        kwargs.setdefault("youth_id", youth_id)
        kwargs.setdefault("organisation_id", organisation_id)
        if reason:
            kwargs.setdefault("additional_data", {"reason": reason})
        return self.create(**kwargs)

    def log_m2m_changes(self, changed_queryset, instance, operation, field_name, **kwargs):
        """No tracked model follows a many-to-many field (the registry registers none)."""
        raise NotImplementedError("the audit trail tracks no many-to-many field")


class AuditEntry(AbstractLogEntry, PortalModel):
    path = models.CharField(
        _("chemin"), max_length=16, choices=AuditPath.choices, default=AuditPath.COMMAND
    )
    youth = models.ForeignKey(
        "candidates.Youth",
        verbose_name=_("jeune"),
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,  # the index below starts with it
        null=True,
        blank=True,
        related_name="+",
    )
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,  # the index below starts with it
        null=True,
        blank=True,
        related_name="+",
    )

    objects = AuditEntryManager()

    class Meta(AbstractLogEntry.Meta):
        ordering = ["-timestamp", "-pk"]
        verbose_name = _("entrée de la piste d'audit")
        verbose_name_plural = _("piste d'audit")
        indexes = [
            models.Index(fields=["youth", "-timestamp"], name="audit_youth_at"),
            models.Index(fields=["organisation", "-timestamp"], name="audit_organisation_at"),
        ]

    def __str__(self) -> str:
        return f"{self.object_repr} · {self.timestamp:%d/%m/%Y %H:%M}"

    @property
    def reason(self) -> str:
        return (self.additional_data or {}).get("reason", "")
