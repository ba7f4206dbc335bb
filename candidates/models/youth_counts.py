"""Youths counted by mission locale, stage, status and month of registration,
kept by the database itself: what the dashboards read instead of counting a million
youths (issue 18, the national dashboard cold at 1,000,000 youths).

Triggers on `candidates_youth` (candidates migration 0020) write one row of deltas per
group a write changes: +n for the youths a statement adds to a group, −n for those it
takes out (PostgreSQL: once per statement, from its transition tables; SQLite: once per
row). Every writer counts, whatever the path: the services, `bulk_create`, a queryset's
`update()`, a cascade, raw SQL. Rows are only inserted, never updated, so that two
writers never wait on the same row; `compact_youth_counts` folds them from time to time.
The count of a group is the sum of its rows."""

from __future__ import annotations

from django.db import connection, models, transaction
from django.utils.translation import gettext_lazy as _

from accounts.kept_counts import fold_deltas
from accounts.model_base import PortalModel

from .youth import Youth


class YouthCount(PortalModel):
    """A delta of the number of youths in a group (mission locale, current stage,
    status, anonymised or not, month of registration). Written by the database's
    triggers only."""

    mission_locale = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("mission locale"),
        # deltas summing to nothing may outlive the mission locale's last youth
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    stage = models.CharField(_("étape"), max_length=16)
    anonymised = models.BooleanField(_("anonymisé"))
    # `Youth.status`: the youth list counts its youths from here (`kept_youth_total`)
    status = models.CharField(_("statut"), max_length=16, db_default="")
    # the first day of the month of `Youth.registered_on`: the dashboards' periods are
    # calendar months and years
    registered_month = models.DateField(_("mois d'inscription"))
    youths = models.IntegerField(_("jeunes"))

    class Meta:
        verbose_name = _("décompte de jeunes")
        verbose_name_plural = _("décomptes de jeunes")

    def __str__(self) -> str:
        return f"{self.mission_locale_id} · {self.stage} · {self.registered_month:%m/%Y}: {self.youths:+d}"


# The groups of the youths as the triggers write them (the same expressions).
_GROUPS_SQL = {
    "postgresql": (
        "mission_locale_id, current_stage, status = 'anonymised', status, "
        "date_trunc('month', registered_on)::date"
    ),
    "sqlite": (
        "mission_locale_id, current_stage, status = 'anonymised', status, "
        "date(registered_on, 'start of month')"
    ),
}
_KEYS = "mission_locale_id, stage, anonymised, status, registered_month"
_COLUMNS = f"{_KEYS}, youths"


def rebuild_youth_counts() -> None:
    """Count the youths again from their table: every delta replaced by one row per
    group. For a backfill or a repair; the writers of youths wait meanwhile (a share
    lock), so that no write is counted twice or missed."""
    groups = _GROUPS_SQL[connection.vendor]
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"LOCK TABLE {Youth._meta.db_table} IN SHARE MODE")
        cursor.execute(f"DELETE FROM {YouthCount._meta.db_table}")  # noqa: S608
        cursor.execute(
            f"INSERT INTO {YouthCount._meta.db_table} ({_COLUMNS}) "  # noqa: S608
            f"SELECT {groups}, count(*) FROM {Youth._meta.db_table} GROUP BY 1, 2, 3, 4, 5"
        )


def compact_youth_counts() -> int:
    """Fold the deltas into one row per group: the sums are unchanged, writers do not
    wait (`accounts.kept_counts.fold_deltas`). Returns the number of rows left."""
    return fold_deltas(YouthCount, tuple(_KEYS.split(", ")), ("youths",))
