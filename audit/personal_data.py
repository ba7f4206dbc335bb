"""The audit trail's part of a youth's data (see `candidates.personal_data_registry`):
the history of changes of their file and of what hangs on it, in the subject's export;
and, at anonymisation, no personal value left in it.

Anonymisation scrubs each entry about the youth with the rule the registry already
holds for the entry's model: a field that anonymisation replaces, clears or redacts
(names, contact, birth date, notes, comments...) has its old and new values masked
("[…]"; an empty value stays empty, it tells nothing); any other text value has the
youth's names, email and phone masked in it (an anonymised youth's entries keep who
changed what and when, the statuses and dates the indicators count). A reason kept
with an entry (a cancellation's) is masked the same way. Entries name their row by
reference ("offers.Proposal#12"), never by its `str()`, so nothing else names them.
"""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.utils.translation import gettext_lazy as _

from candidates.personal_data_registry import MASK, Column, Holding, Identity, holdings

from .display import object_label, plain_text
from .models import AuditEntry

#: Entries rewritten per UPDATE batch.
BATCH_SIZE = 500
EMPTY_VALUES = ("None", "", None)

HOLDINGS = [
    Holding(
        model=AuditEntry,
        to_youth="youth",
        key="historique_des_modifications",
        title=_("Historique des modifications"),
        order=96,
        related=("actor",),
        columns=(
            Column("date", _("Date"), "timestamp"),
            Column("par", _("Par"), "actor"),
            Column("chemin", _("Chemin"), "get_path_display"),
            Column("element", _("Élément"), object_label),
            Column("changements", _("Ce qui a changé"), plain_text),
            Column("motif", _("Motif"), "reason"),
        ),
    ),
]


def _personal_fields() -> dict[type, set[str]]:
    """{model: the fields anonymisation erases or masks}, from the registry."""
    return {
        holding.model: set(holding.clear) | set(holding.replace) | set(holding.redact)
        for holding in holdings()
    }


def _scrub_value(value, *, personal: bool, identity: Identity):
    if value in EMPTY_VALUES:
        return value
    if personal:
        return MASK
    if isinstance(value, str):
        return identity.redact(value)
    return value


def scrub_audit_trail(*, youth_pk: int, identity: Identity) -> int:
    """Mask every personal value of the youth's entries (see the module's docstring),
    in batches. Returns the entries rewritten. Safe to run twice: a masked value stays
    masked."""
    personal_fields = _personal_fields()
    changed = []
    total = 0
    entries = AuditEntry.objects.about_youth(youth_pk).only(
        "pk", "content_type", "changes", "additional_data", "changes_text", "serialized_data"
    )
    for entry in entries.iterator(chunk_size=BATCH_SIZE):
        model = ContentType.objects.get_for_id(entry.content_type_id).model_class()
        fields = personal_fields.get(model, set())
        changes = {
            name: [
                _scrub_value(value, personal=name in fields, identity=identity) for value in values
            ]
            for name, values in (entry.changes or {}).items()
        }
        data = entry.additional_data
        if isinstance(data, dict):
            data = {
                key: _scrub_value(value, personal=False, identity=identity)
                for key, value in data.items()
            }
        if (changes, data) != (entry.changes or {}, entry.additional_data) or (
            entry.changes_text or entry.serialized_data
        ):
            entry.changes, entry.additional_data = changes, data
            entry.changes_text, entry.serialized_data = "", None
            changed.append(entry)
        if len(changed) >= BATCH_SIZE:
            total += _save(changed)
            changed = []
    return total + _save(changed)


def _save(entries) -> int:
    AuditEntry.objects.bulk_update(
        entries, ["changes", "additional_data", "changes_text", "serialized_data"]
    )
    return len(entries)


PURGES = [scrub_audit_trail]
