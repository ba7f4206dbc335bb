"""Writing entries for what django-auditlog cannot see: `QuerySet.update()` and
`bulk_create()` send no signal, so the services that change rows in bulk call these
instead, and the trail stays complete.

Both write one entry per row changed, in one INSERT, with the same path, actor and
reason as the entries django-auditlog writes (the context of `audit/context.py`).
"""

from __future__ import annotations

from collections.abc import Iterable

from auditlog.diff import model_instance_diff
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.encoding import smart_str

from .context import current_actor_id, current_path, current_reason
from .models import AuditEntry, object_reference
from .registry import tracked

#: Entries written per INSERT.
BATCH_SIZE = 1000


def _as_text(value) -> str:
    """A value as django-auditlog writes it: a foreign key by its id, None as "None"."""
    if isinstance(value, models.Model):
        value = value.pk
    return smart_str(value)


def _write(model, changes_by_pk: dict, action: int) -> int:
    if not changes_by_pk:
        return 0
    entry = tracked()[model._meta.concrete_model]
    places = entry.locate_many(changes_by_pk)
    content_type = ContentType.objects.get_for_model(model)
    actor_id, reason = current_actor_id(), current_reason()
    now = timezone.now()
    AuditEntry.objects.bulk_create(
        [
            AuditEntry(
                content_type=content_type,
                object_pk=str(pk),
                object_id=pk,
                object_repr=object_reference(model, pk),
                action=action,
                changes=changes,
                actor_id=actor_id,
                timestamp=now,
                path=current_path(),
                youth_id=places.get(pk, (None, None))[0],
                organisation_id=places.get(pk, (None, None))[1],
                additional_data={"reason": reason} if reason else None,
            )
            for pk, changes in changes_by_pk.items()
        ],
        batch_size=BATCH_SIZE,
    )
    return len(changes_by_pk)


def audited_update(queryset: models.QuerySet, **values) -> int:
    """`queryset.update(**values)` that writes an entry for each row it changed, with
    each field's old and new value. Plain values only (no F() expressions): an entry
    says what the value became. Returns the rows updated."""
    model = queryset.model
    attnames = {name: model._meta.get_field(name).attname for name in values}
    before = list(queryset.values("pk", *attnames.values()))
    if not before:
        return 0
    pks = [row["pk"] for row in before]
    count = queryset.filter(pk__in=pks).update(**values)
    followed = set(tracked()[model._meta.concrete_model].fields)
    changes_by_pk = {}
    for row in before:
        changes = {
            name: [_as_text(row[attname]), _as_text(values[name])]
            for name, attname in attnames.items()
            if name in followed and _as_text(row[attname]) != _as_text(values[name])
        }
        if changes:
            changes_by_pk[row["pk"]] = changes
    _write(model, changes_by_pk, AuditEntry.Action.UPDATE)
    return count


def record_creations(objs: Iterable[models.Model]) -> int:
    """Entries for rows just made by `bulk_create` (their primary keys set), each field
    from nothing to its value, as django-auditlog writes a creation."""
    objs = list(objs)
    if not objs:
        return 0
    model = type(objs[0])
    changes_by_pk = {obj.pk: model_instance_diff(None, obj) or {} for obj in objs}
    return _write(model, changes_by_pk, AuditEntry.Action.CREATE)
