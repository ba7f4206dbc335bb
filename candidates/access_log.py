"""The access log: who opened or downloaded a youth's personal data, when, and how much.

The audit trail answers "who changed what"; this log answers "who read what". It records
each opening of a youth's file, of its data page, each download of its data, each
showing of a youth's contact details on a proposal, and each export of a list of youths
(with its number of rows). It is the mission locale manager's tool ("consulté par" on
each youth, the journal of the mission locale) and the data protection officer's proof.

One concept, one module: the QuerySet, the model (imported by `candidates.models` so
Django registers it) and its two writes, `record_access` (one INSERT per request) and
`purge_access_log` (the 12-month retention, in batches).

An entry holds ids only, never a name, an email or a phone number: the youth, the
proposal and the user are ids; the path is the URL without its query string (a search
may hold a name). Its foreign keys carry no database constraint and delete nothing: the
log outlives the rows it names for its 12 months (an access log that deleting a file or
an account erases would prove nothing).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import connections, models, router, transaction
from django.db.models import Q, Subquery
from django.db.models.sql import InsertQuery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.model_base import PortalModel
from accounts.scope import get_scope

from .enums import AccessKind

#: Entries are kept 12 months (CNIL: logs 6 to 12 months), then purged.
RETENTION_DAYS = 365
#: Rows deleted per statement by the purge: each batch is its own short transaction.
PURGE_BATCH_SIZE = 5000
#: The openings shown in "Consulté par" on a youth's page.
RECENT_ON_YOUTH_PAGE = 10


class AccessLogQuerySet(models.QuerySet):
    def visible_to(self, user) -> AccessLogQuerySet:
        """Entries a user may read: admins all of them; a mission locale manager those
        about the youths their mission locale follows today, and those recorded while
        the data read was their mission locale's (a youth since transferred, an export
        of their team); nobody else any (advisors included: the log watches the team's
        own reads, it is the manager's supervision tool)."""
        scope = get_scope(user)
        if scope.is_admin:
            return self.all()
        managed = scope.managed_mission_locale_ids
        if not managed:
            return self.none()
        return self.filter(
            Q(youth__mission_locale_id__in=managed) | Q(mission_locale_id__in=managed)
        )

    def about_youth(self, youth) -> AccessLogQuerySet:
        """The entries about one youth, newest first, with their reader: "Consulté par"
        on the youth's page reads its first few in one query."""
        return self.filter(youth=youth).select_related("user")

    def for_list(self) -> AccessLogQuerySet:
        """What the journal shows (the reader, the youth), in one query."""
        return self.select_related("user", "youth")


class AccessLogEntry(PortalModel):
    """One reading of personal data: who, when, what, of which youth or object, how many
    rows, through which page."""

    at = models.DateTimeField(_("le"), default=timezone.now)
    # Nullable only so that a join keeps the entry of a deleted account (no constraint).
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("par"),
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        related_name="+",
    )
    kind = models.CharField(_("accès"), max_length=24, choices=AccessKind.choices)
    youth = models.ForeignKey(
        "candidates.Youth",
        verbose_name=_("jeune"),
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,  # the indexes below start with it
        null=True,
        blank=True,
        related_name="+",
    )
    # Whose data it was when read: the youth's mission locale then, or the one mission
    # locale a list export covered (none for an admin's export across missions locales).
    mission_locale = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("mission locale"),
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,  # the indexes below start with it
        null=True,
        blank=True,
        related_name="+",
    )
    object_type = models.CharField(_("type d'objet"), max_length=64, blank=True, default="")
    object_id = models.PositiveBigIntegerField(_("identifiant de l'objet"), null=True, blank=True)
    rows = models.PositiveIntegerField(_("lignes exportées"), null=True, blank=True)
    url_name = models.CharField(_("page"), max_length=100, blank=True, default="")
    path = models.CharField(_("adresse"), max_length=255, blank=True, default="")

    objects = AccessLogQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("accès aux données personnelles")
        verbose_name_plural = _("journal des accès aux données personnelles")
        indexes = [
            # "Consulté par" on a youth's page; the mission locale's journal; the purge.
            models.Index(fields=["youth", "-at"], name="access_log_youth_at"),
            models.Index(fields=["mission_locale", "-at"], name="access_log_ml_at"),
            models.Index(fields=["at"], name="access_log_at"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.at:%d/%m/%Y %H:%M}"


def record_access(
    *,
    user,
    kind: AccessKind,
    youth=None,
    obj: models.Model | None = None,
    rows: int | None = None,
    mission_locale_id: int | None = None,
    request=None,
) -> AccessLogEntry:
    """Record that `user` read personal data: `youth` whose file, data or contact was
    shown, `obj` the record it was shown through (a proposal), `rows` the data rows of
    an export, `request` the page (its URL name and path, never its query string, which
    may hold a searched name).

    Called by the views once they have decided to show the data (a refused request, 404
    or 403, never gets this far, so it records nothing), one INSERT per request whatever
    the number of rows read. Ids only: the youth's mission locale is read from the
    loaded youth, no query. Committed at once, not with the page: a page is read, not
    changed, and the entry must stay even if rendering fails afterwards. On PostgreSQL,
    outside a caller's transaction, that commit does not wait for the disk
    (`settings.ACCESS_LOG_DURABLE_COMMIT`); inside one, the entry commits with it."""
    if youth is not None and mission_locale_id is None:
        mission_locale_id = youth.mission_locale_id
    match = getattr(request, "resolver_match", None)
    entry = AccessLogEntry(
        user=user,
        kind=kind,
        youth=youth,
        mission_locale_id=mission_locale_id,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=obj.pk if obj is not None else None,
        rows=rows,
        url_name=(match.view_name if match else "")[:100],
        path=(request.path if request is not None else "")[:255],
    )
    alias = router.db_for_write(AccessLogEntry)
    connection = connections[alias]
    if (
        connection.vendor != "postgresql"
        or connection.in_atomic_block
        or settings.ACCESS_LOG_DURABLE_COMMIT
    ):
        # inside a caller's transaction the entry commits with it, as durably as it
        entry.save(using=alias, force_insert=True)
        return entry
    if _one_message_possible(connection):
        _insert_without_waiting(entry, connection, alias)
        return entry
    with transaction.atomic(using=alias):
        # this transaction only: the entry is committed without waiting for the WAL's
        # flush to disk (settings.ACCESS_LOG_DURABLE_COMMIT says what that risks)
        with connection.cursor() as cursor:
            cursor.execute(WITHOUT_WAITING)
        entry.save(using=alias, force_insert=True)
    return entry


#: What makes the entry's own transaction commit without waiting for the WAL's flush.
WITHOUT_WAITING = "SET LOCAL synchronous_commit TO OFF"


def _one_message_possible(connection) -> bool:
    """Whether the entry can reach PostgreSQL as one text message of its simple
    protocol, where a message may hold several statements: psycopg 3 only, through a
    client-side binding cursor (`_one_message_cursor`), whatever the connection's
    other queries use (server-side binding sends one statement a message)."""
    from django.db.backends.postgresql.psycopg_any import is_psycopg3

    return is_psycopg3


def _one_message_cursor(connection):
    """A cursor of `connection` binding its values client-side, the queries' text
    sent whole: Django's own cursor when the connection binds so already, else
    psycopg's `ClientCursor` on the same connection, wrapped as Django wraps its
    cursors (so its query shows in `CaptureQueriesContext` and `execute_wrapper`)."""
    if not connection.settings_dict["OPTIONS"].get("server_side_binding"):
        return connection.cursor()
    from psycopg import ClientCursor

    connection.ensure_connection()
    return connection._prepare_cursor(ClientCursor(connection.connection))


def _insert_without_waiting(entry: AccessLogEntry, connection, alias: str) -> None:
    """INSERT `entry` as `save(force_insert=True)` would (the ORM's own INSERT, values
    and returned pk), sent in one message after `SET LOCAL synchronous_commit TO OFF`:
    PostgreSQL runs a message's statements as one transaction, committed after the
    last, so the setting holds for the entry's commit only. One round trip instead of
    four (BEGIN, SET LOCAL, INSERT, COMMIT) on every opening of a youth's file. The
    model's save signals have no receiver for the log."""
    meta = AccessLogEntry._meta
    query = InsertQuery(AccessLogEntry)
    query.insert_values(
        [field for field in meta.local_concrete_fields if field is not meta.auto_field], [entry]
    )
    compiler = query.get_compiler(using=alias)
    compiler.returning_fields = meta.db_returning_fields
    ((sql, params),) = compiler.as_sql()
    with _one_message_cursor(connection) as cursor:
        cursor.execute(f"{WITHOUT_WAITING}; {sql}", params)
        cursor.nextset()  # the INSERT's result, after the SET's
        (pk,) = cursor.fetchone()
    entry.pk = pk
    entry._state.adding = False
    entry._state.db = alias


def only_mission_locale_id(user) -> int | None:
    """The mission locale a list export covers when the user follows the youths of one
    only (its manager then reads the entry); None for an admin or a user of several."""
    scope = get_scope(user)
    if scope.is_admin or len(scope.mission_locale_ids) != 1:
        return None
    return next(iter(scope.mission_locale_ids))


def purge_access_log(
    *,
    older_than_days: int = RETENTION_DAYS,
    batch_size: int = PURGE_BATCH_SIZE,
    cutoff: datetime | None = None,
) -> int:
    """Delete the entries older than `older_than_days` (12 months by default: the
    retention of `docs/rgpd.md`), or than `cutoff` when given (the retention job's
    "12 months before the day it runs for"), `batch_size` at a time, and return how
    many went.

    For the retention job: each batch is one DELETE of the oldest entries (an id
    subquery with a LIMIT), committed on its own, so the memory used and the time a
    lock is held are bounded by the batch size, not the table. Safe to run twice: the
    second run finds nothing older than the cut-off."""
    if batch_size < 1:
        raise ValueError("batch_size must be positive")
    if cutoff is None:
        cutoff = timezone.now() - timedelta(days=older_than_days)
    total = 0
    while True:
        oldest = (AccessLogEntry.objects.filter(at__lt=cutoff).order_by("at", "pk").values("pk"))[
            :batch_size
        ]
        deleted, _by_model = AccessLogEntry.objects.filter(pk__in=Subquery(oldest)).delete()
        total += deleted
        if deleted < batch_size:
            return total
