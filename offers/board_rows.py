"""What the board page reads, each in one query compiled once per process
(`accounts.compiled_shapes`) and made into instances without Django's per-field
constructor (`accounts.page_rows.instances_from_rows`): the offer with what its head
shows, and the cards' proposals with their youths. Building and compiling these queries
through the ORM, and Django's constructor, cost more than PostgreSQL's answer."""

from __future__ import annotations

import datetime

from django.db import DEFAULT_DB_ALIAS, models
from django.db.models.functions import TruncDate

from accounts.compiled_shapes import CompiledRows
from accounts.page_rows import instances_from_rows
from accounts.scope import get_scope

from .models import JobRole, Offer, Proposal

# What the board's head reads of its offer (`company_board_offer`): the offer's own
# columns its badges and links ask, then the job's and the company's names and the
# accompanying person's name and email.
BOARD_HEAD_OFFER = (
    "id",
    "company_id",
    "region_id",
    "job_role_id",
    "accompanied_by_id",
    "status",
    "positions",
    "positions_filled",
)
BOARD_HEAD_RELATED = (
    "job_role__name",
    "company__name",
    "accompanied_by__first_name",
    "accompanied_by__last_name",
    "accompanied_by__email",
)

# An offer by its key among the user's companies' offers (`of_companies`), compiled
# once per process.
_company_offer_rows = CompiledRows(
    lambda pk, company_ids: (
        Offer.objects.of_companies(company_ids)
        .filter(pk=pk)
        .values_list(*BOARD_HEAD_OFFER, *BOARD_HEAD_RELATED)
    ),
    arity=2,
    lists=(1,),
)


def company_board_offer(user, pk: int, *, using: str = DEFAULT_DB_ALIAS) -> Offer | None:
    """The offer `pk` with what the board's head shows (its job, company and
    accompanying person), from the offers of the companies the user recruits for
    (`of_user_companies`): the offers whose board is theirs (`is_recruiter_of`). None
    for an admin (not a recruiter of every company, though the board is theirs), for
    anyone recruiting for no company, and for an offer of another company: the caller
    then loads it through `visible_to`, to tell a hidden offer (404) from a forbidden
    board (403). One compiled query, made into instances without Django's constructor,
    which for the offer, its job, company and accompanying person cost more than the
    query."""
    from accounts.models import Organisation, User

    scope = get_scope(user)
    if scope.is_admin or not scope.company_ids:
        return None
    rows = _company_offer_rows(pk, sorted(scope.company_ids), using=using)
    if not rows:
        return None
    row = rows[0]
    split = len(BOARD_HEAD_OFFER)
    (offer,) = instances_from_rows(Offer, BOARD_HEAD_OFFER, [row[:split]], using=using)
    job_role_name, company_name, first_name, last_name, email = row[split:]
    (job_role,) = instances_from_rows(
        JobRole, ("id", "name"), [(offer.job_role_id, job_role_name)], using=using
    )
    (company,) = instances_from_rows(
        Organisation, ("id", "name"), [(offer.company_id, company_name)], using=using
    )
    Offer.job_role.field.set_cached_value(offer, job_role)
    Offer.company.field.set_cached_value(offer, company)
    accompanied_by = None
    if offer.accompanied_by_id is not None:
        (accompanied_by,) = instances_from_rows(
            User,
            ("id", "first_name", "last_name", "email"),
            [(offer.accompanied_by_id, first_name, last_name, email)],
            using=using,
        )
    Offer.accompanied_by.field.set_cached_value(offer, accompanied_by)
    return offer


# What a board card reads of a proposal and of its youth (`board_card_proposals`). The
# proposal's day is read as the database writes it in the portal's time zone
# (`created_day`, a date): reading the instant itself, through Django's time-zone
# loader, then turning it into the local day, cost more than the rest of the query.
BOARD_CARD_PROPOSAL = ("id", "offer_id", "youth_id", "status", "decline_reason", "created_day")
BOARD_CARD_YOUTH = (
    "id",
    "first_name",
    "last_name",
    "birth_date",
    "current_stage",
    "mission_locale_id",
    "consent_shared_at",
    "consent_withdrawn_at",
    "status",
)
# The youth's instants a card decides with (`has_sharing_consent`), read as the
# database's UTC wall time (`UTCWallTime`) and made aware again (UTC, as the ORM gives
# them) with the instances: psycopg reads a `timestamp` in C, where Django's loader of
# a `timestamptz` took 2.5 µs a value in Python, most of the board query's reading.
BOARD_CARD_INSTANTS = ("consent_shared_at", "consent_withdrawn_at")


class UTCWallTime(models.Func):
    """A `timestamptz` column as its UTC wall time (`AT TIME ZONE 'UTC'`), naive: the
    caller makes it aware (`datetime.UTC`). SQLite stores no time zone: the column."""

    template = "(%(expressions)s AT TIME ZONE 'UTC')"
    output_field = models.DateTimeField()

    def as_sqlite(self, compiler, connection, **extra_context):
        return compiler.compile(self.source_expressions[0])


def _board_card_query(offer_id) -> models.QuerySet:
    return (
        Proposal.objects.filter(offer_id=offer_id)
        .seen_by_company()
        .order_by("created_at", "pk")
        .values_list(
            *BOARD_CARD_PROPOSAL[:-1],
            TruncDate("created_at"),
            *(
                UTCWallTime(f"youth__{name}") if name in BOARD_CARD_INSTANTS else f"youth__{name}"
                for name in BOARD_CARD_YOUTH
            ),
        )
    )


# The board's query never changes but for the offer (the time zone of its days is the
# portal's, a setting): compiled once per process.
_board_card_rows = CompiledRows(_board_card_query)


def board_card_proposals(offer: Offer) -> list[Proposal]:
    """The board page's cards of `offer`, the proposals its company still sees
    (`seen_by_company`), oldest first, each with its youth, `offer` and `created_day`
    (the day of the proposal in the current time zone): one query of
    only the columns a card names or decides with (`sharing.board_cards_youths`),
    compiled once per process (`accounts.compiled_shapes.CompiledRows`: building and
    compiling it through the ORM took longer than PostgreSQL's answer), made into
    instances without Django's per-field constructor
    (`accounts.page_rows.instances_from_rows`)."""
    from candidates.models import Youth

    using = offer._state.db or DEFAULT_DB_ALIAS
    rows = _board_card_rows(offer.pk, using=using)
    split = len(BOARD_CARD_PROPOSAL)
    proposals = instances_from_rows(
        Proposal, BOARD_CARD_PROPOSAL, (row[:split] for row in rows), using=using
    )
    youths = instances_from_rows(
        Youth, BOARD_CARD_YOUTH, (row[split:] for row in rows), using=using
    )
    for youth in youths:
        for name in BOARD_CARD_INSTANTS:
            instant = youth.__dict__[name]
            if instant is not None:
                youth.__dict__[name] = instant.replace(tzinfo=datetime.UTC)
    youth_field, offer_field = Proposal.youth.field, Proposal.offer.field
    for proposal, youth in zip(proposals, youths, strict=True):
        youth_field.set_cached_value(proposal, youth)
        offer_field.set_cached_value(proposal, offer)
    return proposals
