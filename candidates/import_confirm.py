"""Confirming an import: the youths of a previewed file's valid rows, created in bulk.

The largest file accepted holds about 50,000 youths. Confirming it writes 50,000 youths,
50,000 "information" events and 100,000 audit-trail entries, which takes longer than a
web request may: a file of more than IN_REQUEST_MAX_ROWS valid rows is confirmed by a
background job (`candidates.tasks.confirm_import_batch`), the preview page showing its
progress, then its result. On the embedded default (no REDIS_URL) the job runs
in-process when the request commits, as every task does.

The job is safe to run twice: it locks the import's row and confirms only an import
still waiting for it, all in one transaction, so a second run (or a redelivered
message) finds it confirmed and creates nobody; a run that fails leaves nothing and the
preview can be confirmed again.

A worker that dies mid-run without its message being delivered again (its queue lost,
the message dropped) leaves the import "confirming" with nothing created (its
transaction rolled back). The job tells its progress after each round of a few
seconds; past STALLED_AFTER without a word, the preview page says the import was
interrupted and offers to resume it (`queue_confirmation` again): a job still alive
after all holds the import's lock, so the resumed one waits for it, then finds the
import confirmed and creates nobody.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable
from datetime import date

from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import Func, IntegerField
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.enums import OrganisationKind
from accounts.models import User

from .enums import ImportStatus
from .models import ImportBatch
from .permissions import can_register_youths_in
from .services import (
    YOUTH_FIELDS,
    lock_registrations,
    mission_locale_advisors,
    register_youth_round,
)
from .services.rules import require

logger = logging.getLogger(__name__)

#: Valid rows a request confirms itself (a few seconds); a larger file goes to a job.
IN_REQUEST_MAX_ROWS = 2000
#: Rows written per round: each round's youths, events and trail entries are built,
#: written in bulk and let go before the next (a few thousand instances at once).
CONFIRM_CHUNK = 5000
#: How long the progress and the refusal of a job are kept for the page (seconds).
PROGRESS_TTL = 24 * 3600
#: A confirmation whose job has told no progress for this long (seconds) is taken as
#: interrupted and may be resumed. A round of CONFIRM_CHUNK rows takes a few seconds
#: (the largest file 20 s in all: docs/benchmarks.md); the rest is room for a job
#: waiting in the queue or for another import of the same mission locale.
STALLED_AFTER = 10 * 60


def progress_key(batch_id: int) -> str:
    return f"import-confirmation:{batch_id}"


def _tell_progress(batch_id: int, *, done: int, total: int) -> None:
    """Keep a confirmation's progress for the page, with when it was told (the job's
    sign of life, `confirmation_stalled`)."""
    cache.set(
        progress_key(batch_id),
        {"done": done, "total": total, "at": timezone.now().timestamp()},
        PROGRESS_TTL,
    )


def refusal_key(batch_id: int) -> str:
    return f"import-confirmation-refused:{batch_id}"


class ArrayLength(Func):
    """The number of elements of a JSON array column, counted by the database (the
    function is named differently on PostgreSQL and SQLite)."""

    function = "json_array_length"
    output_field = IntegerField()

    def as_postgresql(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, function="jsonb_array_length", **extra)


ASSIGN_TO_ME = "me"
LEAVE_UNASSIGNED = "none"
DATE_FIELDS = ("birth_date", "civis_start", "civis_end", "registered_on")
_SAVED_FIELDS = (set(YOUTH_FIELDS) - {"advisor"}) | {"advisor_id", "registered_on"}


def _fields(row: dict, me: int | None) -> dict:
    fields = {k: v for k, v in row.items() if k in _SAVED_FIELDS}
    for name in DATE_FIELDS:
        if fields.get(name):
            fields[name] = date.fromisoformat(fields[name])
    if row.get("advisor_unknown") and me:
        fields["advisor_id"] = me
    return fields


def _valid_rows(batch_id: int) -> Iterable[dict]:
    """The valid rows of an import in their order, read a round at a time on PostgreSQL
    (a server-side cursor over the JSON array), never all parsed at once."""
    if connection.vendor != "postgresql":
        yield from ImportBatch.objects.values_list("valid_rows", flat=True).get(pk=batch_id)
        return
    table = connection.ops.quote_name(ImportBatch._meta.db_table)
    with connection.chunked_cursor() as cursor:
        cursor.execute(
            f"SELECT row.value::text FROM {table}, "  # noqa: S608 (the table's own name)
            "jsonb_array_elements(valid_rows) WITH ORDINALITY AS row(value, n) "
            f"WHERE {table}.id = %s ORDER BY row.n",
            [batch_id],
        )
        while rows := cursor.fetchmany(CONFIRM_CHUNK):
            for (text,) in rows:
                yield json.loads(text)


def _rounds(rows: Iterable[dict], size: int) -> Iterable[list[dict]]:
    round_ = []
    for row in rows:
        round_.append(row)
        if len(round_) == size:
            yield round_
            round_ = []
    if round_:
        yield round_


def confirm_rows(
    *,
    batch: ImportBatch,
    actor: User,
    unknown_advisor: str,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Create the youths of a locked, previewed import's valid rows, a round at a time,
    in the caller's transaction; returns how many were created. `progress(done)` is
    told the rows handled after each round."""
    mission_locale = batch.mission_locale
    if mission_locale.kind != OrganisationKind.MISSION_LOCALE:
        raise ValidationError(_("Un jeune est inscrit dans une mission locale."))
    require(can_register_youths_in(actor, mission_locale.pk))
    lock_registrations(mission_locale)
    allowed_advisors = set(mission_locale_advisors(mission_locale).values_list("pk", flat=True))
    me = actor.pk if unknown_advisor == ASSIGN_TO_ME and actor.pk in allowed_advisors else None
    seen: set[tuple[str, date]] = set()
    created = done = 0
    for round_ in _rounds(_valid_rows(batch.pk), CONFIRM_CHUNK):
        created += len(
            register_youth_round(
                actor=actor,
                mission_locale=mission_locale,
                rows=[_fields(row, me) for row in round_],
                allowed_advisors=allowed_advisors,
                seen=seen,
            )
        )
        done += len(round_)
        if progress:
            progress(done)
    return created


def valid_count(batch_id: int) -> int:
    """The number of valid rows of an import, counted by the database."""
    return (
        ImportBatch.objects.filter(pk=batch_id)
        .annotate(count=ArrayLength("valid_rows"))
        .values_list("count", flat=True)
        .get()
    )


def _check_confirmable(batch: ImportBatch, *, allowed: tuple[str, ...]) -> None:
    if batch.status not in allowed:
        if batch.status == ImportStatus.CONFIRMING:
            raise ValidationError(_("L'import de ce fichier est déjà en cours."))
        raise ValidationError(_("Cet import a déjà été confirmé."))
    if batch.rows_purged_at is not None:
        raise ValidationError(
            _(
                "Cet aperçu a plus de 30 jours : ses lignes ont été effacées. "
                "Importez le fichier à nouveau."
            )
        )


def queue_confirmation(*, batch: ImportBatch, actor: User, unknown_advisor: str) -> ImportBatch:
    """Confirm a previewed import: in this request when it has at most
    IN_REQUEST_MAX_ROWS valid rows, else by a background job queued when this
    transaction commits (the import waits as "confirming" meanwhile, and cannot be
    confirmed or re-mapped twice). An import whose confirmation was interrupted
    (`confirmation_stalled`) is confirmed again the same way: nothing of the lost run
    was kept. Raises ValidationError when it is not waiting for confirmation. Returns
    the import as it stands after this request."""
    from .importing import confirm_import
    from .tasks import confirm_import_batch

    total = valid_count(batch.pk)
    with transaction.atomic():
        locked = (
            ImportBatch.objects.select_for_update()
            .only("pk", "status", "rows_purged_at")
            .get(pk=batch.pk)
        )
        # A confirmation interrupted (its job silent for STALLED_AFTER) may be resumed.
        resumed = confirmation_stalled(locked)
        allowed = (ImportStatus.PREVIEWED, ImportStatus.CONFIRMING) if resumed else None
        _check_confirmable(locked, allowed=allowed or (ImportStatus.PREVIEWED,))
        if resumed:
            logger.info("import %s: interrupted confirmation resumed", batch.pk)
        if total <= IN_REQUEST_MAX_ROWS:
            return confirm_import(batch=batch, actor=actor, unknown_advisor=unknown_advisor)
        locked.status = ImportStatus.CONFIRMING
        locked.save(update_fields=["status"])
        cache.delete(refusal_key(batch.pk))
        _tell_progress(batch.pk, done=0, total=total)
        confirm_import_batch.delay_on_commit(batch.pk, actor.pk, unknown_advisor)
    return ImportBatch.objects.defer("source_rows", "valid_rows", "rejected_rows").get(pk=batch.pk)


def progress_of(batch_id: int) -> dict:
    """{"done": rows handled, "total": valid rows} of a confirmation under way, as its
    job last told (zeros when unknown: the cache was emptied)."""
    told = cache.get(progress_key(batch_id)) or {}
    return {"done": told.get("done", 0), "total": told.get("total", 0)}


def confirmation_stalled(batch: ImportBatch) -> bool:
    """Whether an import is "confirming" but its job has told no progress for
    STALLED_AFTER seconds (or nothing at all is known of it: the cache was emptied):
    its worker died without the job being delivered again, and it may be resumed."""
    if batch.status != ImportStatus.CONFIRMING:
        return False
    told = cache.get(progress_key(batch.pk)) or {}
    return timezone.now().timestamp() - told.get("at", 0) > STALLED_AFTER


def refusal_of(batch_id: int) -> str:
    """Why the job could not confirm an import (empty when it did not refuse it)."""
    return cache.get(refusal_key(batch_id)) or ""


def run_confirmation(*, batch_id: int, actor_id: int, unknown_advisor: str) -> dict:
    """The job's work: confirm an import waiting for it (`confirm_import`), keyed on
    the import. Already confirmed (a second run): nothing. Refused (a rule broken since
    the preview, its advisor gone): nothing created, the import back to its preview
    with the reason for the page."""
    from .importing import confirm_import

    batch = ImportBatch.objects.filter(pk=batch_id).only("pk", "status").first()
    if batch is None or batch.status == ImportStatus.CONFIRMED:
        return {"batch": batch_id, "created": 0, "already": True}
    actor = User.objects.filter(pk=actor_id).first()
    try:
        if actor is None:
            raise ValidationError(_("La personne qui a lancé l'import n'a plus de compte."))
        batch = confirm_import(batch=batch, actor=actor, unknown_advisor=unknown_advisor)
    except (ValidationError, PermissionDenied) as exc:
        if ImportBatch.objects.filter(pk=batch_id, status=ImportStatus.CONFIRMED).exists():
            # Another run confirmed it while this one waited for the lock.
            return {"batch": batch_id, "created": 0, "already": True}
        # A person no longer allowed to register youths there (moved to another
        # mission locale since the preview) is a refusal too, not a failed job.
        message = " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
        ImportBatch.objects.filter(pk=batch_id, status=ImportStatus.CONFIRMING).update(
            status=ImportStatus.PREVIEWED
        )
        cache.set(refusal_key(batch_id), message, PROGRESS_TTL)
        logger.info("import %s refused at confirmation", batch_id)
        return {"batch": batch_id, "created": 0, "refused": True}
    return {"batch": batch_id, "created": batch.created_count}


def confirm_locked(
    *, batch: ImportBatch, actor: User, unknown_advisor: str, allowed: tuple[str, ...]
) -> ImportBatch:
    """Confirm an import in the caller's transaction: lock it, check it waits for
    confirmation, create its youths, mark it confirmed and drop its file's cells."""
    batch = (
        ImportBatch.objects.select_for_update(of=("self",))
        .select_related("mission_locale")
        .defer("source_rows", "valid_rows", "rejected_rows")
        .get(pk=batch.pk)
    )
    _check_confirmable(batch, allowed=allowed)
    total = valid_count(batch.pk)
    created = confirm_rows(
        batch=batch,
        actor=actor,
        unknown_advisor=unknown_advisor,
        progress=lambda done: _tell_progress(batch.pk, done=done, total=total),
    )
    batch.status = ImportStatus.CONFIRMED
    batch.confirmed_at = timezone.now()
    batch.created_count = created
    batch.skipped_count += total - created
    batch.source_rows = []
    batch.save(
        update_fields=["status", "confirmed_at", "created_count", "skipped_count", "source_rows"]
    )
    return batch
