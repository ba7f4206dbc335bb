"""The stamp of each mission locale's pool of youths, as the matching suggestions read it."""

from __future__ import annotations

import uuid

from django.db import connection, models, transaction
from django.db.models import CharField, Count, F, Max, Window
from django.db.models.expressions import RawSQL
from django.db.models.functions import RowNumber
from django.utils.translation import gettext_lazy as _

from accounts.model_base import PortalModel

# What the matching suggestions read of a youth: who is in the pool (the mission locale,
# the follow-up's status, the consent to share, the pathway stage), the score's criteria
# and the names that break ties. A change of any of them gives the youth's mission
# locale (both, on a transfer) a new stamp. Migration 0025 writes these columns into the
# database's triggers; a column added here needs a migration that rewrites them.
POOL_COLUMNS = (
    "mission_locale_id",
    "status",
    "consent_shared_at",
    "consent_withdrawn_at",
    "current_stage",
    "last_assessment_outcome",
    "skills",
    "previous_sector",
    "availability",
    "mobility",
    "postcode",
    "contract_wishes",
    "first_name",
    "last_name",
)


class PoolStampQuerySet(models.QuerySet):
    def of(self, mission_locale_ids) -> dict[int, str]:
        """Each mission locale's stamp: its latest row's id and token with its number of
        rows; "" for one that never had a youth (its pool is empty: the missions locales
        holding youths when the triggers came were stamped by the migration).

        The number of rows is part of it: ids are handed out when a row is written, not
        when it is committed, so a transaction committing after a later one adds a row
        below the latest id; the count still changes. `fold_pool_stamps` replaces a
        pool's rows by one new row (a new latest id, never seen before), so a stamp
        never comes back."""
        ids = list(mission_locale_ids)
        latest = (
            self.filter(mission_locale_id__in=ids)
            .annotate(
                rows=Window(Count("pk"), partition_by=[F("mission_locale_id")]),
                rank=Window(
                    RowNumber(), partition_by=[F("mission_locale_id")], order_by=F("pk").desc()
                ),
            )
            .filter(rank=1)
            .values_list("mission_locale_id", "rows", "pk", "stamp")
        )
        found = {ml: f"{rows}:{pk}:{stamp}" for ml, rows, pk, stamp in latest}
        return {pk: found.get(pk, "") for pk in ids}


# `PoolStampQuerySet.of` for one mission locale, as a scalar subquery: the latest row's
# id and token with the pool's number of rows (the window counts them before the LIMIT).
# Written out rather than through the ORM: Django took longer to compile the expression
# (a window in a cast in a concatenation) than the query it saves.
_STAMP_SQL = (
    "SELECT CAST(COUNT(*) OVER () AS TEXT) || ':' || CAST({id} AS TEXT) || ':' || {stamp} "
    "FROM {table} WHERE {pool} = %s ORDER BY {id} DESC LIMIT 1"
)


def pool_stamp_columns(mission_locale_ids) -> dict[str, RawSQL]:
    """`PoolStampQuerySet.of(mission_locale_ids)` as columns of another query (one a
    mission locale, `pool_stamp_<id>`), so that a page reads the stamps with a row it
    loads anyway, in the same statement (the same snapshot as `of`): one round trip
    less. Read back with `pool_stamps_read`."""
    quote = connection.ops.quote_name
    sql = _STAMP_SQL.format(
        id=quote(PoolStamp._meta.pk.column),
        stamp=quote(PoolStamp._meta.get_field("stamp").column),
        table=quote(PoolStamp._meta.db_table),
        pool=quote(PoolStamp._meta.get_field("mission_locale").column),
    )
    return {
        f"pool_stamp_{pk}": RawSQL(sql, (int(pk),), output_field=CharField())  # noqa: S611
        for pk in mission_locale_ids
    }


def pool_stamps_read(row, mission_locale_ids) -> dict[int, str]:
    """The stamps `pool_stamp_columns` put on `row`, as `PoolStampQuerySet.of` gives
    them: "" for a mission locale that never had a youth."""
    return {pk: getattr(row, f"pool_stamp_{pk}") or "" for pk in mission_locale_ids}


class PoolStamp(PortalModel):
    """A row a change: whenever a youth of the mission locale is added, removed or
    changed in one of `POOL_COLUMNS`, database triggers append a row with a random token
    (migration 0025), in the same transaction. Not the services: every path that writes
    a youth (services, import, transfers, anonymisation, the admin, a migration, a bulk
    `update()`) adds one, so what is kept under a stamp (`PoolStampQuerySet.of`; the
    matching suggestions' ranking, `offers.matching`) can never outlive the data it was
    computed from. Rows are only appended, never updated: two transactions writing
    youths of the same mission locale never wait for each other. A token rather than
    a counter: a database restored from a backup never hands out again a stamp that was
    cached before. `fold_pool_stamps` (daily) keeps one row a pool. A load that skips the
    triggers (PostgreSQL's `session_replication_role = replica`, as
    `bench/server_data.py` does) stamps the pools it wrote itself."""

    mission_locale = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("mission locale"),
        # No constraint, as `YouthCount`: a stamp written by a trigger while the database
        # is emptied (the tests' flush deletes the organisations before the youths) must
        # not fail it; a stamp of a deleted mission locale is never read.
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
        # the index below starts with it
        db_index=False,
    )
    stamp = models.CharField(_("empreinte"), max_length=36)

    objects = PoolStampQuerySet.as_manager()

    class Meta:
        verbose_name = _("empreinte du vivier")
        verbose_name_plural = _("empreintes des viviers")
        indexes = [models.Index(fields=["mission_locale", "id"], name="pool_stamp_latest")]

    def __str__(self) -> str:
        return f"{self.mission_locale_id}: {self.stamp}"


def fold_pool_stamps() -> int:
    """Each pool with more than one row: its rows replaced by one new row, with a new
    token (a stamp never seen before, so no ranking kept under an earlier one is read
    again). A row committed meanwhile stays beside it. Safe to run twice or beside the
    writers (they only append). Returns the pools folded."""
    folded = 0
    pools = (
        PoolStamp.objects.values("mission_locale_id")
        .annotate(rows=Count("pk"), latest=Max("pk"))
        .filter(rows__gt=1)
        .values_list("mission_locale_id", "latest")
    )
    for mission_locale_id, latest in list(pools):
        with transaction.atomic():
            PoolStamp.objects.create(mission_locale_id=mission_locale_id, stamp=uuid.uuid4().hex)
            PoolStamp.objects.filter(mission_locale_id=mission_locale_id, pk__lte=latest).delete()
        folded += 1
    return folded
