"""The pathway events counted by the database by mission locale, stage and month: what
the dashboards read instead of the events themselves (issue 18: a year's funnel counted
785,000 flagged events at 1,000,000 youths, a year's hires and exits by month, by stage
and by region tens of thousands each).

For each (mission locale, stage, month of the event): the events (`events`: hires,
stabilised jobs and exits are counted in events), and the youths entering the stage
(a youth enters a stage in a year, a month, once: the event flagged `first_in_year`,
`first_in_month`, by `refresh_first_in_year`). Triggers on `candidates_pathwayevent`
(candidates migration 0028) write one row of deltas per group a write changes. Every
writer counts, whatever the path: `save()` and its refresh of the flags, `bulk_create`,
a queryset's `update()`, a cascade from a youth, a transfer moving the events' mission
locale, raw SQL. Rows are only inserted, never updated (two writers never wait on the
same row); `compact_pathway_counts` folds them daily. The count of a group is the sum of
its rows; a year's figure sums its twelve months (the dashboards' periods are calendar
months and years)."""

from __future__ import annotations

from django.db import connection, models, transaction
from django.utils.translation import gettext_lazy as _

from accounts.kept_counts import fold_deltas
from accounts.model_base import PortalModel

from .pathway import PathwayEvent


class PathwayCount(PortalModel):
    """A delta of the pathway events of a mission locale to a stage in a month: all of
    them (`events`), those flagged `first_in_year` (`year_entries`) and those flagged
    `first_in_month` (`month_entries`). Written by the database's triggers only."""

    mission_locale = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("mission locale"),
        # deltas summing to nothing may outlive the mission locale's last event; no
        # constraint either, so that emptying the tables in any order never fails
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    stage = models.CharField(_("étape"), max_length=16)
    # the first day of the month of `PathwayEvent.occurred_on`
    month = models.DateField(_("mois"))
    events = models.IntegerField(_("événements"))
    year_entries = models.IntegerField(_("entrées de l'année"))
    month_entries = models.IntegerField(_("entrées du mois"))

    class Meta:
        verbose_name = _("décompte des événements du parcours")
        verbose_name_plural = _("décomptes des événements du parcours")

    def __str__(self) -> str:
        return (
            f"{self.mission_locale_id} · {self.stage} · {self.month:%m/%Y}: "
            f"{self.events:+d} ({self.year_entries:+d} / {self.month_entries:+d})"
        )


# The groups of the events as the triggers write them (the same expressions).
_MONTH_SQL = {
    "postgresql": "date_trunc('month', occurred_on)::date",
    "sqlite": "date(occurred_on, 'start of month')",
}
_KEYS = "mission_locale_id, stage, month"
_SUMS = ("events", "year_entries", "month_entries")
_COLUMNS = f"{_KEYS}, {', '.join(_SUMS)}"


def count_events_sql(vendor: str) -> str:
    """The INSERT counting the events into `PathwayCount`, one row per group."""
    events = PathwayEvent._meta.db_table
    return (
        f"INSERT INTO {PathwayCount._meta.db_table} ({_COLUMNS}) "  # noqa: S608
        f"SELECT mission_locale_id, stage, {_MONTH_SQL[vendor]}, count(*), "
        "sum(CASE WHEN first_in_year THEN 1 ELSE 0 END), "
        "sum(CASE WHEN first_in_month THEN 1 ELSE 0 END) "
        f"FROM {events} GROUP BY 1, 2, 3"
    )


def rebuild_pathway_counts() -> None:
    """Count the events again from their table: every delta replaced by one row per
    group. For a repair or after writes made with the triggers off (the benchmark's
    loader); the writers of events wait meanwhile (a share lock), so that no write is
    counted twice or missed."""
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"LOCK TABLE {PathwayEvent._meta.db_table} IN SHARE MODE")
        cursor.execute(f"DELETE FROM {PathwayCount._meta.db_table}")  # noqa: S608
        cursor.execute(count_events_sql(connection.vendor))


def compact_pathway_counts() -> int:
    """Fold the deltas into one row per group: the sums are unchanged, writers do not
    wait (`accounts.kept_counts.fold_deltas`). Returns the number of rows left."""
    return fold_deltas(PathwayCount, tuple(_KEYS.split(", ")), _SUMS)
