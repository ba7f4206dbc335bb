"""The trail as people read it: each field by its French label, each value as the
portal shows it (a status by its label, not its code; a date dd/mm/yyyy; an advisor by
name), in a fixed number of queries whatever the entries.

django-auditlog keeps values as text ("None", "2026-03-01", "12" for a foreign key);
its own display looks a foreign key up once per value. Here the ids of a page's
entries are read in one query per model named (users, organisations, youths); other
foreign keys show as "Offre n°12".
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db import DEFAULT_DB_ALIAS, models
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.compiled_shapes import CompiledRows, Statement
from accounts.models import Organisation, User
from accounts.page_rows import instances_from_rows
from candidates.models import Youth

from .models import AuditEntry

#: Foreign keys shown by name: one query per model for a whole page.
NAMED_MODELS = (User, Organisation, Youth)
EMPTY = "—"


@dataclass(frozen=True)
class Change:
    label: str
    old: str
    new: str


@dataclass(frozen=True)
class EntryRow:
    entry: AuditEntry
    object_label: str
    action_label: str
    changes: list[Change]


def _model(entry: AuditEntry) -> type[models.Model] | None:
    # Django's cache of content types: no query per entry.
    return ContentType.objects.get_for_id(entry.content_type_id).model_class()


def _field(model, name: str) -> models.Field | None:
    if model is None:
        return None
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    return field if getattr(field, "concrete", False) else None


def _named_model(field) -> type[models.Model] | None:
    if field is None or not field.is_relation or not field.many_to_one:
        return None
    related = field.related_model
    return next((m for m in NAMED_MODELS if issubclass(related, m)), None)


def _parse_datetime(raw: str) -> datetime:
    moment = datetime.fromisoformat(raw)
    if timezone.is_naive(moment):  # django-auditlog keeps UTC without its offset
        moment = moment.replace(tzinfo=UTC)
    return timezone.localtime(moment)


def value_text(field, raw, names: dict) -> str:
    """One recorded value as the portal shows it."""
    if raw is None or raw in ("None", ""):
        return EMPTY
    raw = str(raw)
    if field is None:
        return raw
    if field.choices:
        labels = {str(key): label for key, label in field.flatchoices}
        return str(labels.get(raw, raw))
    if isinstance(field, models.BooleanField):
        return _("Oui") if raw == "True" else _("Non")
    try:
        if isinstance(field, models.DateTimeField):
            return date_format(_parse_datetime(raw), "d/m/Y H:i")
        if isinstance(field, models.DateField):
            return date_format(date.fromisoformat(raw[:10]), "d/m/Y")
    except ValueError:
        return raw
    if isinstance(field, models.JSONField):
        try:
            decoded = json.loads(raw)
        except ValueError:
            return raw
        if isinstance(decoded, list):
            return ", ".join(str(item) for item in decoded) or EMPTY
        return raw
    if field.is_relation and field.many_to_one:
        named = _named_model(field)
        if named is not None and raw.isdigit() and int(raw) in names.get(named, {}):
            return str(names[named][int(raw)])
        return _("%(what)s n°%(id)s") % {"what": field.related_model._meta.verbose_name, "id": raw}
    return raw


def _names(entries, known=()) -> dict:
    """{model: {pk: object}} of the users, organisations and youths the entries name,
    the `known` objects taken as they are and the others read, one query per model."""
    names: dict[type[models.Model], dict[int, models.Model]] = defaultdict(dict)
    for obj in known:
        if obj is not None:
            names[type(obj)][obj.pk] = obj
    wanted: dict[type[models.Model], set[int]] = defaultdict(set)
    for entry in entries:
        model = _model(entry)
        for name, values in (entry.changes or {}).items():
            named = _named_model(_field(model, name))
            if named is None:
                continue
            wanted[named].update(int(v) for v in values if str(v).isdigit())
    for model, pks in wanted.items():
        missing = pks - names[model].keys()
        if missing:
            names[model].update(model._base_manager.in_bulk(missing))
    return dict(names)


def action_label(entry: AuditEntry) -> str:
    if (entry.additional_data or {}).get("migrated_from"):
        return _("Ancien historique")
    return {
        AuditEntry.Action.CREATE: _("Création"),
        AuditEntry.Action.UPDATE: _("Modification"),
        AuditEntry.Action.DELETE: _("Suppression"),
        AuditEntry.Action.ACCESS: _("Consultation"),
    }.get(entry.action, str(entry.action))


def object_label(entry: AuditEntry) -> str:
    model = _model(entry)
    what = model._meta.verbose_name if model else entry.object_repr.partition("#")[0]
    return _("%(what)s n°%(id)s") % {"what": str(what).capitalize(), "id": entry.object_pk}


def changes_of(entry: AuditEntry, names: dict) -> list[Change]:
    model = _model(entry)
    changes = []
    for name, values in (entry.changes or {}).items():
        field = _field(model, name)
        old, new = (list(values) + [None, None])[:2]
        label = str(field.verbose_name) if field is not None else name
        changes.append(
            Change(label.capitalize(), value_text(field, old, names), value_text(field, new, names))
        )
    return changes


def describe(entries, known=()) -> list[EntryRow]:
    """The rows of a page: `entries` read once, then one query per named model, but for
    the objects the page holds already (`known`: the youth of the youth's page, their
    advisor and mission locale), whose names need no query."""
    entries = list(entries)
    names = _names(entries, known)
    return [
        EntryRow(entry, object_label(entry), action_label(entry), changes_of(entry, names))
        for entry in entries
    ]


def plain_text(entry: AuditEntry) -> str:
    """An entry's changes on one line, ids for foreign keys (no query): the subject
    export's column and the trail's CSV."""
    return "; ".join(
        f"{change.label} : {change.old} → {change.new}" for change in changes_of(entry, {})
    )


#: The latest changes a youth's page shows; the rest are on the youth's history page.
LATEST_ABOUT_YOUTH = 5
#: Every column of the entries, then what the page shows of their actor.
_ENTRY_FIELDS = tuple(field.attname for field in AuditEntry._meta.concrete_fields)
_ACTOR_FIELDS = ("id", "first_name", "last_name", "email")
_latest_rows = CompiledRows(
    lambda youth_id: AuditEntry.objects.about_youth(youth_id).values_list(
        *_ENTRY_FIELDS, *(f"actor__{name}" for name in _ACTOR_FIELDS)
    )[:LATEST_ABOUT_YOUTH]
)


def latest_about_youth(youth_id: int, *, using: str = DEFAULT_DB_ALIAS) -> list[AuditEntry]:
    """The latest entries about a youth, newest first, with their actor: what
    `about_youth(youth_id).select_related("actor")[:LATEST_ABOUT_YOUTH]` gives, from a
    query compiled once (the youth's page asks it at each opening; compiling it took
    longer than answering it). The actor holds their name and email; another of their
    fields would load when read."""
    return latest_from_rows(_latest_rows(youth_id, using=using), using=using)


def latest_about_youth_statement(
    youth_id: int, *, using: str = DEFAULT_DB_ALIAS
) -> Statement | None:
    """The query of `latest_about_youth`, for a page that reads it with its other
    queries (`run_together`); `latest_from_rows` makes the entries of its rows."""
    return _latest_rows.statement_for(youth_id, using=using)


def latest_from_rows(rows: list[tuple], *, using: str = DEFAULT_DB_ALIAS) -> list[AuditEntry]:
    entries = []
    width = len(_ENTRY_FIELDS)
    for row in rows:
        (entry,) = instances_from_rows(AuditEntry, _ENTRY_FIELDS, [row[:width]], using=using)
        actor = None
        if row[width] is not None:
            (actor,) = instances_from_rows(User, _ACTOR_FIELDS, [row[width:]], using=using)
        entry._state.fields_cache["actor"] = actor
        entries.append(entry)
    return entries
