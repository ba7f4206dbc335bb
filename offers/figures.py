"""Satisfaction of offers (Art. 20): positions offered and filled, time to the first
proposal and time to fill. Per offer, per company, or for any set of offers (the
reporting app passes a region's or the nation's). Aggregated in the database; no youth
appears in any figure."""

from __future__ import annotations

import functools
import operator
from dataclasses import dataclass
from datetime import timedelta

from django.db import connection, transaction
from django.db.models import (
    Avg,
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    Min,
    OuterRef,
    Q,
    Subquery,
    Sum,
)

from accounts.kept_counts import fold_deltas

from .enums import OfferStatus
from .models import Offer, OfferCount, OfferProposals, Proposal

DAY = timedelta(days=1)


def _days(value: timedelta | None) -> float | None:
    return None if value is None else round(value / DAY, 1)


@dataclass(frozen=True)
class OfferFigures:
    positions_offered: int
    positions_filled: int
    proposals: int
    days_to_first_proposal: float | None
    days_to_fill: float | None

    @property
    def fill_rate(self) -> float | None:
        """Positions filled / positions offered, in percent."""
        if not self.positions_offered:
            return None
        return round(100 * self.positions_filled / self.positions_offered, 1)


@dataclass(frozen=True)
class SatisfactionFigures(OfferFigures):
    offers: int = 0
    offers_filled: int = 0


def offer_figures(offer: Offer) -> OfferFigures:
    """The figures of one offer. Times count from publication: to the first proposal,
    and to the day the last position was filled (None until filled)."""
    row = Proposal.objects.filter(offer=offer).aggregate(count=Count("pk"), first=Min("created_at"))
    first = row["first"]
    return OfferFigures(
        positions_offered=offer.positions,
        positions_filled=offer.positions_filled,
        proposals=row["count"],
        days_to_first_proposal=(
            _days(first - offer.published_at) if first and offer.published_at else None
        ),
        days_to_fill=(
            _days(offer.filled_at - offer.published_at)
            if offer.filled_at and offer.published_at
            else None
        ),
    )


NO_FIGURES = SatisfactionFigures(
    positions_offered=0,
    positions_filled=0,
    proposals=0,
    days_to_first_proposal=None,
    days_to_fill=None,
)


def _with_first_proposal(registered):
    """The registered offers, each with the time of its first proposal."""
    first_proposal = (
        Proposal.objects.filter(offer_id=OuterRef("pk"))
        .order_by("created_at")
        .values("created_at")[:1]
    )
    return registered.order_by().annotate(first_proposal_at=Subquery(first_proposal))


def _aggregates(subset: Q | None = None) -> dict:
    """The aggregates of `SatisfactionFigures`, over the offers of `subset` when given
    (a FILTER on each, so that several subsets share one scan)."""

    def only(condition: Q | None = None) -> Q | None:
        if subset is None:
            return condition
        return subset if condition is None else subset & condition

    return {
        "offers": Count("pk", filter=only()),
        "offers_filled": Count("pk", filter=only(Q(status=OfferStatus.FILLED))),
        "positions_offered": Sum("positions", filter=only()),
        "positions_filled": Sum("positions_filled", filter=only()),
        "to_first": Avg(
            ExpressionWrapper(
                F("first_proposal_at") - F("published_at"), output_field=DurationField()
            ),
            filter=only(Q(published_at__isnull=False, first_proposal_at__isnull=False)),
        ),
        "to_fill": Avg(
            ExpressionWrapper(F("filled_at") - F("published_at"), output_field=DurationField()),
            filter=only(Q(published_at__isnull=False, filled_at__isnull=False)),
        ),
    }


def _figures(row: dict, proposals: int) -> SatisfactionFigures:
    return SatisfactionFigures(
        positions_offered=row["positions_offered"] or 0,
        positions_filled=row["positions_filled"] or 0,
        proposals=proposals,
        days_to_first_proposal=_days(row["to_first"]),
        days_to_fill=_days(row["to_fill"]),
        offers=row["offers"],
        offers_filled=row["offers_filled"],
    )


def figures_for_offers(offers) -> SatisfactionFigures:
    """Totals and average times of a set of offers (drafts never count). Averages only
    over the offers where the time exists. Two queries."""
    registered = offers.registered()
    row = _with_first_proposal(registered).aggregate(**_aggregates())
    proposals = Proposal.objects.filter(offer__in=registered).count()
    return _figures(row, proposals)


def figures_for_offer_sets(offers, subsets: list[Q]) -> list[SatisfactionFigures]:
    """`figures_for_offers(offers.filter(subset))` for each subset (conditions on the
    offers' own fields, e.g. two periods of submission), in one query whatever the
    number of subsets: each offer is joined once to its proposals' count and first
    proposal, then every aggregate is filtered by its subset. The subsets are evaluated
    once per figure: keep them cheap (the reporting passes ranges of `submitted_at`, not
    local dates, which cost a time zone conversion per offer and per figure)."""
    # each offer's first proposal and count as the database keeps them
    # (`OfferProposals`, one row per offer with proposals; none: no proposal), not
    # looked up through each offer's proposals (a year's 13,700 offers at the largest
    # scale) nor joined to every proposal (a million)
    per_offer = (
        offers.registered()
        .filter(functools.reduce(operator.or_, subsets))
        .order_by()
        .annotate(
            first_proposal_at=F("proposal_counts__first_proposal_at"),
            proposal_count=F("proposal_counts__proposals"),
        )
    )
    values = {}
    for i, subset in enumerate(subsets):
        values.update({f"{name}_{i}": agg for name, agg in _aggregates(subset).items()})
        values[f"proposals_{i}"] = Sum("proposal_count", filter=subset)
    row = per_offer.aggregate(**values)
    return [
        _figures({name: row[f"{name}_{i}"] for name in _aggregates()}, row[f"proposals_{i}"] or 0)
        for i in range(len(subsets))
    ]


def figures_grouped_by(offers, field: str) -> dict[int, SatisfactionFigures]:
    """{value of `field` (e.g. "company_id", "region_id"): figures} for a set of offers,
    in two grouped queries whatever the number of groups (drafts never count)."""
    registered = offers.registered()
    rows = _with_first_proposal(registered).values(field).annotate(**_aggregates())
    proposals = dict(
        Proposal.objects.filter(offer__in=registered)
        .order_by()
        .values_list(f"offer__{field}")
        .annotate(n=Count("pk"))
    )
    return {row[field]: _figures(row, proposals.get(row[field], 0)) for row in rows}


def figures_by_company(offers) -> list[tuple[int, str, SatisfactionFigures]]:
    """(company id, company name, figures) for each company of a set of offers, by name,
    in three queries whatever the number of companies."""
    from accounts.models import Organisation

    grouped = figures_grouped_by(offers, "company_id")
    names = Organisation.objects.filter(pk__in=grouped).order_by("name", "pk")
    return [(company.pk, company.name, grouped[company.pk]) for company in names]


def rebuild_proposal_counts() -> None:
    """Count each offer's proposals again from their table (`OfferProposals`, which the
    database's triggers keep): for a backfill or after writes made with the triggers
    off (the benchmark's loader). The writers of proposals wait meanwhile (PostgreSQL:
    a share lock), so that none is counted twice or missed."""
    table = OfferProposals._meta.db_table
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"LOCK TABLE {Proposal._meta.db_table} IN SHARE MODE")
        cursor.execute(f"DELETE FROM {table}")  # noqa: S608
        cursor.execute(
            f"INSERT INTO {table} (offer_id, proposals, first_proposal_at) "  # noqa: S608
            f"SELECT offer_id, count(*), min(created_at) FROM {Proposal._meta.db_table} "
            "GROUP BY offer_id"
        )


# --- The offers' figures the database keeps (PostgreSQL) -------------------------------

# The sums of `OfferCount`, and the groups it keeps them by.
COUNT_KEYS = ("region_id", "job_role_id", "month")
COUNT_SUMS = (
    "offers",
    "offers_filled",
    "positions_offered",
    "positions_filled",
    "proposals",
    "to_first_us",
    "to_first_offers",
    "to_fill_us",
    "to_fill_offers",
)


def offer_counts_kept() -> bool:
    """Whether the database keeps the offers' figures (`OfferCount`): PostgreSQL's
    triggers do (offers migration 0015); on SQLite the figures count the offers."""
    return connection.vendor == "postgresql"


def _mean(total_us, offers: int) -> timedelta | None:
    """The mean of `offers` times summed in microseconds (None for no offer)."""
    return timedelta(microseconds=float(total_us) / offers) if offers else None


def kept_figures_for_sets(counts, subsets: list[Q]) -> list[SatisfactionFigures]:
    """`figures_for_offer_sets` from the kept counts: `counts`, the `OfferCount` rows of
    the offers wanted (a region's, say), each subset a condition on their groups (a
    range of months). One query, over a few thousand rows whatever the offers."""
    row = counts.aggregate(
        **{
            f"{name}_{i}": Sum(name, filter=subset)
            for i, subset in enumerate(subsets)
            for name in COUNT_SUMS
        }
    )
    figures = []
    for i in range(len(subsets)):
        sums = {name: row[f"{name}_{i}"] or 0 for name in COUNT_SUMS}
        sums["to_first"] = _mean(sums["to_first_us"], sums["to_first_offers"])
        sums["to_fill"] = _mean(sums["to_fill_us"], sums["to_fill_offers"])
        figures.append(_figures(sums, sums["proposals"]))
    return figures


def rebuild_offer_counts() -> None:
    """Count every offer's figures again (`OfferCount`, which the database's triggers
    keep): for a repair or after writes made with the triggers off (the benchmark's
    loader). The writers of offers and proposals wait meanwhile, so that no write is
    counted twice or missed. PostgreSQL only; nothing to do elsewhere."""
    if not offer_counts_kept():
        return
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"LOCK TABLE {Offer._meta.db_table}, {OfferProposals._meta.db_table} "
            "IN SHARE ROW EXCLUSIVE MODE"
        )
        cursor.execute("SELECT offers_offer_counts_rebuild()")


def compact_offer_counts() -> int:
    """Fold the offers' figures' deltas into one row per group: the sums are unchanged,
    writers do not wait (`accounts.kept_counts.fold_deltas`). Returns the rows left."""
    return fold_deltas(OfferCount, COUNT_KEYS, COUNT_SUMS)
