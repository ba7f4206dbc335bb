"""Writing entries for what django-auditlog cannot see: `QuerySet.update()` and
`bulk_create()` send no signal, so the services that change rows in bulk call these
instead, and the trail stays complete.

Both write one entry per row changed, in INSERTs of BATCH_SIZE entries, with the same
path, actor and reason as the entries django-auditlog writes (the context of
`audit/context.py`). A creation's changes are built from the instances in memory by
`creation_changes`, the same text django-auditlog's `model_instance_diff` writes
(`tests/audit/test_bulk_trail.py` compares them) at a fraction of its cost: an import of
50,000 youths writes 100,000 entries (docs/benchmarks.md).
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable, Iterable
from functools import cache

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import connection, models
from django.utils import timezone
from django.utils.encoding import smart_str

from .context import current_actor_id, current_path, current_reason
from .models import AuditEntry, object_reference
from .registry import tracked

#: Entries written per INSERT.
BATCH_SIZE = 5000
#: From this many entries at once, PostgreSQL receives them by COPY (`_copy`).
COPY_FROM = 100


def _as_text(value) -> str:
    """A value as django-auditlog writes it: a foreign key by its id, None as "None"."""
    if isinstance(value, models.Model):
        value = value.pk
    return smart_str(value)


def _write(model, changes_by_pk: dict, action: int, places: dict | None = None) -> int:
    """One entry per row; `places` ({pk: (youth id, organisation id)}) when the caller
    knows them, else read in one query."""
    if not changes_by_pk:
        return 0
    if places is None:
        places = tracked()[model._meta.concrete_model].locate_many(changes_by_pk)
    content_type = ContentType.objects.get_for_model(model)
    actor_id, reason, path = current_actor_id(), current_reason(), current_path()
    additional_data = {"reason": reason} if reason else None
    now = timezone.now()
    nowhere = (None, None)
    if len(changes_by_pk) >= COPY_FROM and connection.vendor == "postgresql":
        _copy(
            (
                (
                    content_type.pk,
                    str(pk),
                    pk,
                    object_reference(model, pk),
                    action,
                    "",
                    json.dumps(changes),
                    actor_id,
                    now,
                    path,
                    *places.get(pk, nowhere),
                    None if additional_data is None else json.dumps(additional_data),
                )
                for pk, changes in changes_by_pk.items()
            )
        )
        return len(changes_by_pk)
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
                path=path,
                youth_id=places.get(pk, nowhere)[0],
                organisation_id=places.get(pk, nowhere)[1],
                additional_data=additional_data,
            )
            for pk, changes in changes_by_pk.items()
        ],
        batch_size=BATCH_SIZE,
    )
    return len(changes_by_pk)


#: The columns `_copy` fills, in its rows' order; the others stay NULL, as when
#: `bulk_create` writes the same entries (no cid, no address, no serialised row).
_COPY_COLUMNS = (
    "content_type_id",
    "object_pk",
    "object_id",
    "object_repr",
    "action",
    "changes_text",
    "changes",
    "actor_id",
    "timestamp",
    "path",
    "youth_id",
    "organisation_id",
    "additional_data",
)


def _copy(rows: Iterable[tuple]) -> None:
    """Write entries with PostgreSQL's COPY: the same rows as `bulk_create` would,
    six times faster (psycopg formats them in C; `bulk_create` prepares each value in
    Python and quotes every JSON text into an array literal: docs/benchmarks.md)."""
    table = connection.ops.quote_name(AuditEntry._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(name) for name in _COPY_COLUMNS)
    with connection.cursor() as cursor:
        with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)


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


_NOTHING = "None"  # how django-auditlog writes the "before" of a creation


def _text_of(field: models.Field) -> Callable[[object], str] | None:
    """How django-auditlog's `get_field_value` then `smart_str` write a value of this
    field, when it is not plain `str()` (None as "None", a foreign key by its id): a
    JSON value dumped with sorted keys, an aware date and time in UTC without its zone.
    None for the plain case."""
    if isinstance(field, models.DateTimeField):

        def text(value):
            value = field.to_python(value)
            if value is not None and settings.USE_TZ and not timezone.is_naive(value):
                value = timezone.make_naive(value, timezone=datetime.UTC)
            return smart_str(value)

        return text
    if isinstance(field, models.JSONField):

        def text(value):
            value = field.to_python(value)
            try:
                return json.dumps(value, sort_keys=True, cls=field.encoder)
            except TypeError:
                return smart_str(value)

        return text
    return None


@cache
def _creation_plan(model: type[models.Model]) -> tuple[tuple[str, str, Callable | None, bool], ...]:
    """(name, attribute, how to write it, whether an empty value is written) of each
    field the trail follows. django-auditlog compares each value with "None": a plain
    field left empty reads "None" and is left out, but a foreign key or a date and time
    left empty stays None, so its creation entry holds ["None", "None"]."""
    entry = tracked()[model._meta.concrete_model]
    plan = []
    for name in entry.fields:
        field = model._meta.get_field(name)
        keeps_none = isinstance(field, models.DateTimeField) or (
            (field.one_to_one or field.many_to_one) and hasattr(field, "rel_class")
        )
        plan.append((field.name, field.attname, _text_of(field), keeps_none))
    return tuple(plan)


def creation_changes(obj: models.Model) -> dict[str, list[str]]:
    """A creation's changes as django-auditlog writes them (`model_instance_diff(None,
    obj)`): each tracked field whose value differs from "None", from "None" to it."""
    changes = {}
    values = obj.__dict__
    for name, attname, text, keeps_none in _creation_plan(type(obj)):
        value = values[attname] if attname in values else getattr(obj, attname)
        if value is None and keeps_none:
            changes[name] = [_NOTHING, _NOTHING]
            continue
        if text is not None:  # a JSON None reads "null"
            value = text(value)
        elif value is None:
            continue
        elif type(value) is not str:
            value = smart_str(value)
        if value != _NOTHING:
            changes[name] = [_NOTHING, value]
    return changes


def record_creations(objs: Iterable[models.Model]) -> int:
    """Entries for rows just made by `bulk_create` (their primary keys set), each field
    from nothing to its value, as django-auditlog writes a creation. Built from the
    instances as they are (no row read again); the youth and organisation of each come
    from the instances too when they hold them (a youth, a row with its youth loaded),
    else from one query."""
    objs = list(objs)
    if not objs:
        return 0
    model = type(objs[0])
    entry = tracked()[model._meta.concrete_model]
    changes_by_pk = {obj.pk: creation_changes(obj) for obj in objs}
    places = {}
    for obj in objs:
        place = entry.locate_loaded(obj)
        if place is None:
            places = None
            break
        places[obj.pk] = place
    return _write(model, changes_by_pk, AuditEntry.Action.CREATE, places)
