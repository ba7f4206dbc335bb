"""What each app holds about a youth: the registry behind the subject's export and
anonymisation.

Every installed app that stores something about a youth has a `personal_data.py`
module (found with `accounts.discovery.app_modules("personal_data")`) declaring:

- `HOLDINGS`: one `Holding` per model pointing to a youth, directly or through another
  row (a proposal, an enrolment, a mentoring pair). It says what the model contributes
  to the subject's export (a section: a French title and labelled columns, read in one
  query) and its part of anonymisation: the identifying fields replaced, the free text
  cleared (a note may name the youth), the text kept as a record of what was done with
  the youth's names, email and phone masked in it. Dates, stages, statuses, scores and
  counts stay: the indicators count them (docs/indicators.md) and past figures must not
  move.
- optionally `PURGES`: functions `purge(*, youth_pk, identity) -> int` for what names a
  youth without pointing to them; or `BATCH_PURGES`, functions
  `purge(*, identities) -> int` doing the same for several youths at once
  (`identities`: {youth pk: Identity}), which the retention job's batches need (the
  rows of a spreadsheet import).
- optionally `ACTIVITY`: one `Activity` per dated row that is a contact with the youth
  (an event, a note, a proposal, an enrolment): the retention job anonymises a file
  only after 24 months without any (`candidates.retention`).

`tests/candidates/test_personal_data_registry.py` fails when a model pointing to a
youth is not registered; `test_anonymisation_scan.py` anonymises a youth who has
everything and then reads every text column of every table for their names, email and
phone.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cache, cached_property
from typing import Any

from django.db import models
from django.db.models import F, Q, Value
from django.db.models.functions import Cast, Concat
from django.utils.functional import Promise

from accounts.discovery import app_modules

logger = logging.getLogger(__name__)

#: What replaces the youth's names, email or phone in a text kept as a record.
MASK = "[…]"


# --- Who the youth is: finding them in a text ---------------------------------------------


def fold(text: str) -> str:
    """`text` without accents, case folded: "Inès" and "INES" fold alike."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def _folded_with_positions(text: str) -> tuple[str, list[int]]:
    """`fold(text)` and, for each of its characters, the index of the character of `text`
    it came from, so a match in the folded text maps back onto the original."""
    chars: list[str] = []
    positions: list[int] = []
    for index, char in enumerate(text):
        for folded in fold(char):
            chars.append(folded)
            positions.append(index)
    return "".join(chars), positions


_SEPARATORS = r"[\s.\-/]*"
#: Name parts shorter than this ("Da", "Le") are too common to mask on their own.
MIN_NAME_PART = 3


def _phone_pattern(phone: str) -> re.Pattern | None:
    """A French number however it is written: "06 12 34 56 78", "06.12.34.56.78",
    "+33 6 12 34 56 78", "0033612345678"."""
    digits = re.sub(r"\D", "", phone)
    if digits.startswith("33") and len(digits) == 11:
        digits = digits[2:]
    elif digits.startswith("0"):
        digits = digits[1:]
    if len(digits) < 6:
        return None
    prefix = r"(?:(?:\+|00)\s*33\s*(?:\(0\)\s*)?|0)?"
    body = _SEPARATORS.join(re.escape(d) for d in digits)
    return re.compile(rf"(?<!\d){prefix}{_SEPARATORS}{body}(?!\d)")


@dataclass(frozen=True)
class Identity:
    """The youth's names, email and phone as they were before anonymisation: what must
    not survive in any text."""

    first_name: str
    last_name: str
    email: str = ""
    phone: str = ""

    @classmethod
    def of(cls, youth) -> Identity:
        return cls(youth.first_name, youth.last_name, youth.email, youth.phone)

    @cached_property
    def _phone(self) -> re.Pattern | None:
        """The phone's pattern, compiled once: one identity is checked against many
        texts (every row of the recent imports)."""
        return _phone_pattern(self.phone)

    def _name_needles(self) -> list[str]:
        """The folded names, whole and by part ("Jean-Pierre" gives "jean-pierre", "jean",
        "pierre"), longest first so the whole name is masked in one piece."""
        needles = set()
        for name in (self.first_name, self.last_name):
            name = fold(name.strip())
            if name:
                needles.add(name)
                needles.update(p for p in re.split(r"[\s\-']+", name) if len(p) >= MIN_NAME_PART)
        return sorted(needles, key=len, reverse=True)

    def _spans(self, text: str) -> list[tuple[int, int]]:
        """Where the names (as words, accents and case ignored), the email and the phone
        are in `text`."""
        folded, positions = _folded_with_positions(text)
        spans = []
        for needle in self._name_needles():
            for match in re.finditer(re.escape(needle), folded):
                start, end = match.span()
                before = folded[start - 1] if start else " "
                after = folded[end] if end < len(folded) else " "
                if not before.isalnum() and not after.isalnum():
                    spans.append((positions[start], positions[end - 1] + 1))
        if self.email.strip():
            pattern = re.compile(re.escape(self.email.strip()), re.IGNORECASE)
            spans.extend(m.span() for m in pattern.finditer(text))
        phone = self._phone
        if phone:
            spans.extend(m.span() for m in phone.finditer(text))
        return spans

    def redact(self, text: str) -> str:
        """`text` with every mention of the youth replaced by MASK; the rest stays."""
        spans = sorted(self._spans(text))
        if not spans:
            return text
        merged: list[list[int]] = []
        for start, end in spans:
            # Overlapping, or apart by spaces only ("Inès Zerbib"): one mask.
            if merged and (start <= merged[-1][1] or not text[merged[-1][1] : start].strip()):
                merged[-1][1] = max(merged[-1][1], end)
            else:
                merged.append([start, end])
        out, cursor = [], 0
        for start, end in merged:
            out.append(text[cursor:start])
            out.append(MASK)
            cursor = end
        out.append(text[cursor:])
        return "".join(out)

    def is_named_in(self, text: str) -> bool:
        """Whether `text` is about this youth: both their first and last names appear (as
        words, accents and case ignored), or their email, or their phone. A first name
        alone or a common surname alone does not make a row theirs."""
        folded = f" {fold(text)} "

        def has(name: str) -> bool:
            name = fold(name.strip())
            return bool(name) and re.search(rf"(?<!\w){re.escape(name)}(?!\w)", folded) is not None

        if has(self.first_name) and has(self.last_name):
            return True
        if self.email.strip() and self.email.strip().casefold() in text.casefold():
            return True
        phone = self._phone
        return bool(phone and phone.search(text))


class IdentityFinder:
    """Which of many identities a text names (`Identity.is_named_in`), without running
    each one's full check: the identities are indexed by their last name's first word,
    the text is folded once, and only those whose last name's first word, email or
    phone digits appear in it are checked. For the retention job, which anonymises
    hundreds of youths at once against the rows of the recent imports."""

    def __init__(self, identities: Iterable[Identity]):
        self.by_word: dict[str, list[Identity]] = {}
        self.always: list[Identity] = []
        self.contacts: list[tuple[str, str, Identity]] = []
        for identity in identities:
            words = re.findall(r"\w+", fold(identity.last_name))
            if words:
                self.by_word.setdefault(words[0], []).append(identity)
            elif identity.last_name.strip():
                self.always.append(identity)
            digits = re.sub(r"\D", "", identity.phone)[-9:]
            email = identity.email.strip().casefold()
            if email or len(digits) >= 6:
                self.contacts.append((email, digits if len(digits) >= 6 else "", identity))

    def named_in(self, text: str) -> bool:
        """Whether `text` names any of the identities."""
        candidates = {id(identity): identity for identity in self.always}
        for word in set(re.findall(r"\w+", fold(text))):
            for identity in self.by_word.get(word, ()):
                candidates[id(identity)] = identity
        if self.contacts:
            lowered, digits = text.casefold(), re.sub(r"\D", "", text)
            for email, phone, identity in self.contacts:
                if (email and email in lowered) or (phone and phone in digits):
                    candidates[id(identity)] = identity
        return any(identity.is_named_in(text) for identity in candidates.values())


def texts_in(value) -> Iterable[str]:
    """Every string inside a JSON value (dicts, lists, nested)."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from texts_in(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from texts_in(item)


# --- The registry ------------------------------------------------------------------------


def _plain(value):
    """A value as the export carries it: no model instance, lazy string or tuple left."""
    if isinstance(value, models.Model | Promise):
        return str(value)
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


@dataclass(frozen=True)
class Column:
    """One labelled value of an export row. `value` is an attribute path of the row
    ("author", "offer.company", "get_stage_display": a method is called) or a function
    of the row. Whatever it reaches must come with the section's one query (see
    `Holding.related`)."""

    key: str
    label: str
    value: str | Callable[[models.Model], Any]

    def read(self, row: models.Model):
        if callable(self.value):
            return _plain(self.value(row))
        obj = row
        for part in self.value.split("."):
            obj = getattr(obj, part)
            if obj is None:
                return None
        return _plain(obj() if callable(obj) else obj)


@dataclass(frozen=True)
class Section:
    """A holding's rows for one youth, as the export shows them."""

    key: str
    title: str
    columns: tuple[Column, ...]
    rows: list[list]
    single: bool = False

    @property
    def labels(self) -> list[str]:
        return [str(c.label) for c in self.columns]


@dataclass(frozen=True)
class Holding:
    """What one model holds about a youth, and what anonymisation does to it.

    `to_youth` is the lookup from a row to the youth ("youth", "pair__youth",
    "proposal__youth"; "pk" for the youth's own file). The section reads the rows in one
    query (`related` are its `select_related`). Anonymisation, on every row of the youth:
    `replace` sets identifying fields to a value or a database expression; `clear`
    empties free text (except, for a field in `clear_unless`, the rows matching its
    condition: a pathway event's source that names a record, not a person); `redact`
    masks the youth's names, email and phone in text kept as a record (who asked what,
    what was done). Nothing is deleted: rows, dates, statuses and counts stay."""

    model: type[models.Model]
    to_youth: str
    key: str
    title: str
    columns: tuple[Column, ...]
    related: tuple[str, ...] = ()
    single: bool = False
    order: int = 50
    replace: dict[str, Any] = field(default_factory=dict)
    clear: tuple[str, ...] = ()
    clear_unless: dict[str, Q] = field(default_factory=dict)
    redact: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        return self.model._meta.label

    def rows_of(self, youth_pk: int) -> models.QuerySet:
        return self.model._default_manager.filter(**{self.to_youth: youth_pk})

    def section(self, youth_pk: int) -> Section:
        """The youth's rows of this model, in one query."""
        rows = [
            [column.read(row) for column in self.columns]
            for row in self.rows_of(youth_pk).select_related(*self.related)
        ]
        return Section(self.key, str(self.title), self.columns, rows, self.single)

    def anonymise(self, youth_pk: int, identity: Identity) -> int:
        """Apply the rule to the youth's rows; returns how many rows it concerned."""
        return self.anonymise_many({youth_pk: identity})

    def anonymise_many(self, identities: dict[int, Identity]) -> int:
        """Apply the rule to the rows of several youths at once (`identities`: each
        youth's pk and identity), a few statements whatever their number and without
        reading the rows' ids: the retention job anonymises its batches this way. Text
        kept as a record is masked with its own youth's identity. Returns how many rows
        it concerned."""
        rows = self.model._base_manager.filter(**{f"{self.to_youth}__in": list(identities)})
        updates = {name: "" for name in self.clear if name not in self.clear_unless}
        updates.update(self.replace)
        concerned = rows.update(**updates) if updates else rows.count()
        if not concerned:
            return 0
        for name, keep in self.clear_unless.items():
            rows.exclude(keep).exclude(**{name: ""}).update(**{name: ""})
        if self.redact:
            changed = []
            owned = rows.annotate(owner_pk=F(self.to_youth)).only("pk", *self.redact)
            for row in owned:
                identity = identities[row.owner_pk]
                before = [getattr(row, name) for name in self.redact]
                for name in self.redact:
                    setattr(row, name, identity.redact(getattr(row, name)))
                if before != [getattr(row, name) for name in self.redact]:
                    changed.append(row)
            self.model._base_manager.bulk_update(changed, list(self.redact), batch_size=500)
        scrub_admin_history(self.model, rows)
        return concerned


def scrub_admin_history(model: type[models.Model], rows) -> int:
    """Django's admin keeps each changed object's `str()` (a youth's name, "Inès Martin →
    Téléconseiller · Acme" for a proposal) in its history: replaced by the model's name
    and the row's id. `rows`: the rows' pks, or a queryset of them (read in the same
    statement)."""
    from django.contrib.admin.models import LogEntry
    from django.contrib.contenttypes.models import ContentType

    content_type = ContentType.objects.get_for_model(model, for_concrete_model=False)
    if isinstance(rows, models.QuerySet):
        object_ids = rows.annotate(object_key=Cast("pk", output_field=models.CharField())).values(
            "object_key"
        )
    else:
        object_ids = [str(pk) for pk in rows]
    return LogEntry.objects.filter(content_type=content_type, object_id__in=object_ids).update(
        object_repr=Concat(Value(f"{model._meta.verbose_name} #"), F("object_id"))
    )


@dataclass(frozen=True)
class Activity:
    """A date that proves the youth was followed: `model`'s rows of the youth (through
    `to_youth`, as in `Holding`), each of its `fields` (dates or date-times; a null one
    proves nothing). A date in the future (a planned appointment, a contract's end)
    counts as activity until it has passed."""

    model: type[models.Model]
    to_youth: str
    fields: tuple[str, ...]

    def since(self, day) -> Q:
        """A row dated on or after `day` in any of its fields."""
        condition = Q()
        for name in self.fields:
            condition |= Q(**{f"{name}__gte": _bound(self.model, name, day)})
        return condition


def _bound(model: type[models.Model], name: str, day):
    """`day` as the lower bound of a date field, or its first instant (Europe/Paris)
    for a date-time field."""
    import datetime

    from django.utils import timezone

    *path, last = name.split("__")
    for part in path:
        model = model._meta.get_field(part).related_model
    if isinstance(model._meta.get_field(last), models.DateTimeField):
        return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
    return day


@cache
def activities() -> tuple[Activity, ...]:
    """Every app's dated contacts with a youth (`ACTIVITY` of each `personal_data.py`)."""
    return tuple(
        activity
        for module in app_modules("personal_data")
        for activity in getattr(module, "ACTIVITY", ())
    )


@cache
def holdings() -> tuple[Holding, ...]:
    """Every app's holdings, in INSTALLED_APPS order then each module's, sorted by
    `order` (the youth's file first, the journal of requests last)."""
    found = [holding for module in app_modules("personal_data") for holding in module.HOLDINGS]
    return tuple(sorted(found, key=lambda h: h.order))


@cache
def purges() -> tuple[Callable[..., int], ...]:
    return tuple(
        purge for module in app_modules("personal_data") for purge in getattr(module, "PURGES", ())
    )


@cache
def batch_purges() -> tuple[Callable[..., int], ...]:
    return tuple(
        purge
        for module in app_modules("personal_data")
        for purge in getattr(module, "BATCH_PURGES", ())
    )


def registered_models() -> set[type[models.Model]]:
    return {holding.model for holding in holdings()}


def build_sections(youth_pk: int) -> list[Section]:
    """The subject export's sections: one query per holding, whatever the rows."""
    return [holding.section(youth_pk) for holding in holdings()]


def anonymise_holdings(*, youth_pk: int, identity: Identity) -> dict[str, int]:
    """Every holding's rule on the youth's rows, then every purge. Run inside the
    anonymisation service's transaction (it holds the youth's row lock). Returns the
    rows concerned per model (ids and counts only: this goes to the logs)."""
    return anonymise_holdings_of_many(identities={youth_pk: identity})


def anonymise_holdings_of_many(*, identities: dict[int, Identity]) -> dict[str, int]:
    """`anonymise_holdings` for several youths in one go: each holding's rule runs once
    for all of them (a few statements per model, not per youth), then every purge for
    each youth and every batch purge once. Run inside the caller's transaction, which holds the youths' row
    locks."""
    counts = {holding.label: holding.anonymise_many(identities) for holding in holdings()}
    for purge in purges():
        name = f"{purge.__module__}.{purge.__name__}"
        counts[name] = sum(
            purge(youth_pk=youth_pk, identity=identity) for youth_pk, identity in identities.items()
        )
    for purge in batch_purges():
        counts[f"{purge.__module__}.{purge.__name__}"] = purge(identities=identities)
    ids = sorted(identities)
    logger.info("%s youth(s) anonymised, ids %s to %s: %s", len(ids), ids[0], ids[-1], counts)
    return counts
