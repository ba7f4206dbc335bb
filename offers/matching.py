"""Matching suggestions: an advisor's youths ranked by fit for one offer, each with the
reasons of its score. Deterministic: the same data always gives the same order (ties
broken by name, then id). The points are in the tables below, so a reader can check a
rank by hand. Criteria: pathway stage, assessment outcome, skills, availability,
mobility and place, and the youth's contract wishes."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS
from django.db.models import Case, F, Func, IntegerField, Q, Value, When
from django.db.models.functions import Concat, Least, Lower, StrIndex, Substr
from django.db.models.lookups import Exact, GreaterThan
from django.utils.translation import gettext as _

from accounts.compiled_shapes import CompiledRows
from accounts.enums import Role
from accounts.models import Organisation
from accounts.page_rows import instances_from_rows
from accounts.scope import get_scope
from candidates.enums import AssessmentOutcome, Availability, Mobility, PathwayStage, YouthStatus
from candidates.models import PoolStamp, Youth
from candidates.models.pool import pool_stamp_columns, pool_stamps_read

from .enums import ContractType
from .models import JobRole, Offer, Proposal

STAGE_POINTS = {
    PathwayStage.TRAINING: 30,
    PathwayStage.IMMERSION: 25,
    PathwayStage.DISCOVERY: 15,
    PathwayStage.INFORMATION: 5,
}
OUTCOME_POINTS = {
    AssessmentOutcome.FAVOURABLE: 30,
    AssessmentOutcome.WITH_TRAINING: 15,
    AssessmentOutcome.NOT_YET: 0,
    AssessmentOutcome.UNFAVOURABLE: -20,
}
# A work-study contract brings the training an assessment asked for.
WITH_TRAINING_ON_WORK_STUDY = 25
SKILL_POINTS, SKILL_CAP = 5, 20
AVAILABILITY_POINTS = {
    Availability.IMMEDIATE: 15,
    Availability.WITHIN_MONTH: 10,
    Availability.LATER: 0,
}
PART_TIME_WISH_MET, PART_TIME_WISH_UNMET = 10, -15
SAME_COMMUNE = 15
SAME_DEPARTMENT_MOBILE, SAME_DEPARTMENT_LOCAL = 10, 5
FAR_WITH_VEHICLE, FAR_NOT_MOBILE = 5, -10
# The youth's contract wishes (none: no preference, no line).
CONTRACT_WISHED, CONTRACT_NOT_WISHED = 10, -10
MOBILE = frozenset({Mobility.PUBLIC_TRANSPORT, Mobility.DRIVING_LICENCE, Mobility.VEHICLE})
WORK_STUDY = frozenset(ContractType.work_study())
SUGGESTION_FIELDS = (
    "pk",
    "first_name",
    "last_name",
    "current_stage",
    "last_assessment_outcome",
    "skills",
    "previous_sector",
    "availability",
    "mobility",
    "postcode",
    "contract_wishes",
)


# Reason code -> its French text (parameters filled in when shown). Scoring 5,000
# youths only computes codes and points; the texts are built for the rows displayed.
REASON_TEXTS = {
    "stage": lambda p: _("Parcours : %(stage)s") % {"stage": PathwayStage(p).label},
    "outcome": lambda p: _("Évaluation : %(outcome)s") % {"outcome": AssessmentOutcome(p).label},
    "outcome_work_study": lambda p: _(
        "Évaluation favorable après formation, et l'alternance la fournit"
    ),
    "not_assessed": lambda p: _("Pas encore évalué(e)"),
    "skills": lambda p: _("Compétences utiles au poste : %(words)s") % {"words": ", ".join(p)},
    "part_time_unmet": lambda p: _("Souhaite un temps partiel, le poste est à temps plein"),
    "part_time_met": lambda p: _("Souhaite un temps partiel, comme le poste"),
    "availability": lambda p: _("Disponibilité : %(a)s") % {"a": Availability(p).label},
    "same_commune": lambda p: _("Habite la commune du poste"),
    "same_department_mobile": lambda p: (
        _("Même département, mobilité : %(m)s") % {"m": Mobility(p).label}
    ),
    "same_department": lambda p: _("Même département"),
    "far_with_vehicle": lambda p: _("Loin du poste mais véhiculé(e)"),
    "far_not_mobile": lambda p: _("Loin du poste et peu mobile"),
    "contract_wished": lambda p: WISHED_TEXTS[p](),
    "contract_not_wished": lambda p: _("Ne souhaite pas ce type de contrat"),
}
# "Souhaite un CDI": each contract type with its French article.
WISHED_TEXTS = {
    ContractType.CDI: lambda: _("Souhaite un CDI"),
    ContractType.CDD: lambda: _("Souhaite un CDD"),
    ContractType.TEMPORARY: lambda: _("Souhaite une mission d'intérim"),
    ContractType.INTERNSHIP: lambda: _("Souhaite un stage"),
    ContractType.APPRENTICESHIP: lambda: _("Souhaite un contrat d'apprentissage"),
    ContractType.PROFESSIONALISATION: lambda: _("Souhaite un contrat de professionnalisation"),
    ContractType.CAE: lambda: _("Souhaite un CAE"),
}


@dataclass(frozen=True)
class Reason:
    code: str
    points: int
    param: object = None

    @property
    def text(self) -> str:
        return REASON_TEXTS[self.code](self.param)

    @property
    def is_positive(self) -> bool:
        return self.points > 0


@dataclass
class Suggestion:
    youth_id: int
    first_name: str
    last_name: str
    stage: str
    score: int = 0
    reasons: list[Reason] = field(default_factory=list)

    @property
    def stage_label(self) -> str:
        return PathwayStage(self.stage).label


def score_youth(offer: Offer, keywords: list[str], row: dict) -> Suggestion:
    """The score of one youth (a dict of SUGGESTION_FIELDS) for `offer`, with reasons."""
    reasons: list[Reason] = []
    stage = row["current_stage"]
    if stage in STAGE_POINTS:
        reasons.append(Reason("stage", STAGE_POINTS[stage], stage))
    outcome = row["last_assessment_outcome"]
    if not outcome:
        reasons.append(Reason("not_assessed", 0))
    elif outcome == AssessmentOutcome.WITH_TRAINING and offer.contract_type in WORK_STUDY:
        reasons.append(Reason("outcome_work_study", WITH_TRAINING_ON_WORK_STUDY))
    else:
        reasons.append(Reason("outcome", OUTCOME_POINTS[outcome], outcome))

    text = f"{row['skills']} {row['previous_sector']}".lower()
    matched = [word for word in keywords if word in text]
    if matched:
        reasons.append(
            Reason("skills", min(SKILL_POINTS * len(matched), SKILL_CAP), tuple(matched))
        )

    availability = row["availability"]
    if availability == Availability.PART_TIME:
        if offer.is_full_time:
            reasons.append(Reason("part_time_unmet", PART_TIME_WISH_UNMET))
        else:
            reasons.append(Reason("part_time_met", PART_TIME_WISH_MET))
    elif availability:
        reasons.append(Reason("availability", AVAILABILITY_POINTS[availability], availability))

    postcode, mobility = row["postcode"], row["mobility"]
    if postcode and offer.postcode:
        if postcode == offer.postcode:
            reasons.append(Reason("same_commune", SAME_COMMUNE))
        elif postcode[:2] == offer.postcode[:2]:
            if mobility in MOBILE:
                reasons.append(Reason("same_department_mobile", SAME_DEPARTMENT_MOBILE, mobility))
            else:
                reasons.append(Reason("same_department", SAME_DEPARTMENT_LOCAL))
        elif mobility == Mobility.VEHICLE:
            reasons.append(Reason("far_with_vehicle", FAR_WITH_VEHICLE))
        else:
            reasons.append(Reason("far_not_mobile", FAR_NOT_MOBILE))

    wishes = row.get("contract_wishes")  # absent or empty: no preference
    if wishes:
        if offer.contract_type in wishes:
            reasons.append(Reason("contract_wished", CONTRACT_WISHED, offer.contract_type))
        else:
            reasons.append(Reason("contract_not_wished", CONTRACT_NOT_WISHED))

    return Suggestion(
        youth_id=row["pk"],
        first_name=row["first_name"],
        last_name=row["last_name"],
        stage=stage,
        score=sum(reason.points for reason in reasons),
        reasons=reasons,
    )


def _proposable(youths):
    """Consenting, followed, not in a job nor out. Every column read here is in
    `candidates.models.pool.POOL_COLUMNS`, so a change gives the pool a new stamp."""
    return (
        youths.sharing_consented()
        .filter(status=YouthStatus.ACTIVE)
        .exclude(current_stage__in=(PathwayStage.HIRED, PathwayStage.STABILISED, PathwayStage.EXIT))
    )


def candidate_youths(offer: Offer, user):
    """Youths the user may propose to `offer`: theirs, consenting, followed, not in a
    job nor out, not already proposed to it."""
    already = Proposal.objects.active().filter(offer=offer).values("youth_id")
    return _proposable(Youth.objects.visible_to(user)).exclude(pk__in=already)


class CodePointLower(Func):
    """LOWER(text) ordered code point by code point, as Python sorts `str.lower()`:
    COLLATE "C" on PostgreSQL whatever the database's locale. SQLite already compares
    code points, but its LOWER() only lowers ASCII letters ("É" stays "É")."""

    function = "LOWER"

    def as_postgresql(self, compiler, connection, **extra_context):
        sql, params = self.as_sql(compiler, connection, **extra_context)
        return f'{sql} COLLATE "C"', params


def _points(field: str, points: dict, default: int = 0) -> Case:
    return Case(
        *(When(**{field: key}, then=Value(value)) for key, value in points.items()),
        default=Value(default),
        output_field=IntegerField(),
    )


def score_expression(offer: Offer, keywords: list[str]):
    """`score_youth(...).score` as one SQL expression over a Youth queryset, so the
    database ranks thousands of youths and sends back the shown ones only. The same
    tables, the same branches; `test_matching` checks both agree on a varied set.
    The skill text is lowered by the database (PostgreSQL lowers every letter;
    SQLite only ASCII ones)."""
    outcome_points = dict(OUTCOME_POINTS)
    if offer.contract_type in WORK_STUDY:
        outcome_points[AssessmentOutcome.WITH_TRAINING] = WITH_TRAINING_ON_WORK_STUDY
    availability_points = {
        Availability.PART_TIME: PART_TIME_WISH_UNMET if offer.is_full_time else PART_TIME_WISH_MET,
        **AVAILABILITY_POINTS,
    }
    score = _points("current_stage", STAGE_POINTS) + _points(
        "last_assessment_outcome", outcome_points
    )
    score += _points("availability", availability_points)

    if keywords:
        text = Lower(Concat(F("skills"), Value(" "), F("previous_sector")))
        matched = sum(
            (
                Case(
                    When(GreaterThan(StrIndex(text, Value(word)), 0), then=Value(1)),
                    default=Value(0),
                    output_field=IntegerField(),
                )
                for word in keywords
            ),
            start=Value(0),
        )
        score += Least(Value(SKILL_POINTS) * matched, Value(SKILL_CAP))

    if offer.postcode:
        score += Case(
            When(postcode="", then=Value(0)),
            When(postcode=offer.postcode, then=Value(SAME_COMMUNE)),
            When(
                Exact(Substr("postcode", 1, 2), Value(offer.postcode[:2])),
                then=Case(
                    When(mobility__in=MOBILE, then=Value(SAME_DEPARTMENT_MOBILE)),
                    default=Value(SAME_DEPARTMENT_LOCAL),
                ),
            ),
            When(mobility=Mobility.VEHICLE, then=Value(FAR_WITH_VEHICLE)),
            default=Value(FAR_NOT_MOBILE),
            output_field=IntegerField(),
        )

    # A JSON list of ContractType values: '"cdi"' appears in its text when wished. An
    # empty list (or a JSON null) is no preference.
    score += Case(
        When(contract_wishes__icontains=f'"{offer.contract_type}"', then=Value(CONTRACT_WISHED)),
        When(
            ~Q(contract_wishes=[]) & ~Q(contract_wishes=None) & Q(contract_wishes__isnull=False),
            then=Value(CONTRACT_NOT_WISHED),
        ),
        default=Value(0),
        output_field=IntegerField(),
    )
    return score


def _ranked(youths, offer: Offer, keywords: list[str]):
    """`youths` best first for `offer` (ties: last name, first name, lowered, then id)."""
    return youths.annotate(match_score=score_expression(offer, keywords)).order_by(
        F("match_score").desc(),
        CodePointLower("last_name"),
        CodePointLower("first_name"),
        "pk",
    )


# The ranking kept of a pool: its best youths, more than a page, so that those already
# proposed to the offer (left out when read) seldom leave it short.
RANKING_KEPT = 200
RANKING_SECONDS = 24 * 60 * 60
# Ids read beyond the page from the kept ranking, in case some youths were proposed to
# the offer since.
READ_SLACK = 20
# The points tables, in the key: a release that changes them never reads a ranking
# kept by the former one.
_TABLES = hashlib.sha256(
    repr(
        (
            STAGE_POINTS,
            OUTCOME_POINTS,
            WITH_TRAINING_ON_WORK_STUDY,
            SKILL_POINTS,
            SKILL_CAP,
            AVAILABILITY_POINTS,
            PART_TIME_WISH_MET,
            PART_TIME_WISH_UNMET,
            SAME_COMMUNE,
            SAME_DEPARTMENT_MOBILE,
            SAME_DEPARTMENT_LOCAL,
            FAR_WITH_VEHICLE,
            FAR_NOT_MOBILE,
            CONTRACT_WISHED,
            CONTRACT_NOT_WISHED,
            sorted(MOBILE),
            sorted(WORK_STUDY),
        )
    ).encode()
).hexdigest()[:16]


def ranking_key(offer: Offer, keywords: list[str], stamps: dict[int, str]) -> str:
    """The cache key of a ranking: what the score reads of the offer (not the offer
    itself: offers alike share it), the points tables and each pool's stamp."""
    criteria = repr(
        (str(offer.contract_type), offer.postcode, bool(offer.is_full_time), tuple(keywords))
    )
    pools = ",".join(f"{pk}:{stamp}" for pk, stamp in sorted(stamps.items()))
    digest = hashlib.sha256(f"{_TABLES}|{criteria}|{pools}".encode()).hexdigest()
    return f"offers:matching:ranking:v1:{digest}"


def ranked_pool(
    offer: Offer, keywords: list[str], mission_locale_ids, *, stamps: dict[int, str] | None = None
) -> list[int]:
    """The ids of the best `RANKING_KEPT` proposable youths of these missions locales
    for `offer` (all of them when fewer), best first, those already proposed to it
    included. Kept in the cache under the pools' stamps (`candidates.PoolStamp`), which
    the database changes with any change of a youth that the ranking reads: a kept
    ranking is never read once its data changed. The stamps are read before the ranking
    is computed, so a ranking is never older than the stamps it is kept under (at worst
    newer, and then computed again by the next page). `stamps`: the pools' stamps when
    the page read them already, with the offer (`candidates.models.pool.pool_stamp_columns`)."""
    if stamps is None:
        stamps = PoolStamp.objects.of(sorted(mission_locale_ids))
    key = ranking_key(offer, keywords, stamps)
    ranking = cache.get(key)
    if ranking is None:
        pool = _proposable(Youth.objects.filter(mission_locale_id__in=list(stamps)))
        ranking = list(_ranked(pool, offer, keywords).values_list("pk", flat=True)[:RANKING_KEPT])
        cache.set(key, ranking, RANKING_SECONDS)
    return ranking


def _rows_from_ranking(offer: Offer, user, ranking: list[int], limit: int) -> list | None:
    """The shown rows, read in the ranking's order through `candidate_youths`, so the
    page's rules apply to them as they are now (visibility, consent, the offer's
    proposals). None when the kept ranking runs out before the page is full: its end is
    not the pool's end, and only the whole query knows the next youths."""
    windows = [ranking[: limit + READ_SLACK]]
    if len(ranking) > len(windows[0]):
        windows.append(ranking)
    scope = get_scope(user)
    rows: list = []
    for window in windows:
        if not scope.is_admin and len(scope.mission_locale_ids) == 1:
            # An advisor's or a manager's one mission locale: the query compiled once.
            (mission_locale_id,) = scope.mission_locale_ids
            read = _candidate_rows(
                offer.pk, mission_locale_id, window, using=offer._state.db or DEFAULT_DB_ALIAS
            )
        else:
            read = (
                candidate_youths(offer, user)
                .filter(pk__in=window)
                .order_by()
                .values_list(*SUGGESTION_FIELDS)
            )
        found = {row[0]: row for row in read}
        rows = [found[pk] for pk in window if pk in found][:limit]
        if len(rows) == limit:
            return rows
    return rows if len(ranking) < RANKING_KEPT else None


def _candidate_rows_query(offer_id: int, mission_locale_id: int, youth_ids: list[int]):
    """`candidate_youths(offer, user)` for a user of the one mission locale
    `mission_locale_id` (`Youth.objects.visible_in`), among `youth_ids`, as rows of
    `SUGGESTION_FIELDS`."""
    already = Proposal.objects.active().filter(offer_id=offer_id).values("youth_id")
    youths = Youth.objects.visible_in(is_admin=False, mission_locale_ids=[mission_locale_id])
    return (
        _proposable(youths)
        .exclude(pk__in=already)
        .filter(pk__any_of=youth_ids)
        .order_by()
        .values_list(*SUGGESTION_FIELDS)
    )


# Compiled once per process: building the ORM's query took a millisecond of the
# suggestions page, PostgreSQL's answer a fraction of it.
_candidate_rows = CompiledRows(_candidate_rows_query, arity=3, lists=(2,))


def with_pool_stamps(offers, user):
    """`offers` with the stamps of the user's missions locales' pools, read in the same
    statement (`candidates.models.pool.pool_stamp_columns`): the suggestions page reads them with
    its offer, one round trip less. `pool_stamps(offer, user)` gives them back."""
    return offers.annotate(**pool_stamp_columns(sorted(get_scope(user).mission_locale_ids)))


# What the suggestions read of their offer (`suggestion_offer`): the offer's columns the
# score, the ranking's key and the page's rules ask, the job's name and keywords, the
# company's name.
SUGGESTION_OFFER = (
    "id",
    "company_id",
    "region_id",
    "job_role_id",
    "contract_type",
    "weekly_hours",
    "postcode",
    "status",
    "published_at",
)
SUGGESTION_OFFER_RELATED = ("job_role__name", "job_role__keywords", "company__name")


def _suggestion_offer_query(pk, region_ids, mission_locale_id):
    (stamp,) = pool_stamp_columns([mission_locale_id]).values()
    return (
        Offer.objects.once_published()
        .in_regions(region_ids)
        .filter(pk=pk)
        .annotate(pool_stamp=stamp)
        .values_list(*SUGGESTION_OFFER, *SUGGESTION_OFFER_RELATED, "pool_stamp")
    )


# Compiled once per process: the ORM took longer building the query than PostgreSQL
# answering it.
_suggestion_offer_rows = CompiledRows(_suggestion_offer_query, arity=3, lists=(1,))


def suggestion_offer(user, pk: int, *, using: str = DEFAULT_DB_ALIAS) -> Offer | None:
    """The offer `pk` as the suggestions load it through the ORM
    (`Offer.objects.once_published_for_missions_locales(user)`, its job and company,
    the stamp of the user's pool, `with_pool_stamps`), for an advisor or manager of one
    mission locale; None for anyone else and for an offer outside their regions (the
    caller then asks the ORM, which says 404). One compiled query, made into instances
    without Django's constructor. `pool_stamps(offer, user)` reads the stamp back."""
    scope = get_scope(user)
    if scope.is_admin or len(scope.mission_locale_ids) != 1:
        return None
    (mission_locale_id,) = scope.mission_locale_ids
    regions = sorted(scope.region_ids(Role.ADVISOR, Role.ML_MANAGER))
    rows = _suggestion_offer_rows(pk, regions, mission_locale_id, using=using)
    if not rows:
        return None
    row = rows[0]
    split = len(SUGGESTION_OFFER)
    (offer,) = instances_from_rows(Offer, SUGGESTION_OFFER, [row[:split]], using=using)
    job_role_name, keywords, company_name, stamp = row[split:]
    (job_role,) = instances_from_rows(
        JobRole,
        ("id", "name", "keywords"),
        [(offer.job_role_id, job_role_name, keywords)],
        using=using,
    )
    (company,) = instances_from_rows(
        Organisation, ("id", "name"), [(offer.company_id, company_name)], using=using
    )
    Offer.job_role.field.set_cached_value(offer, job_role)
    Offer.company.field.set_cached_value(offer, company)
    setattr(offer, f"pool_stamp_{mission_locale_id}", stamp)
    return offer


def pool_stamps(offer: Offer, user) -> dict[int, str]:
    """The stamps `with_pool_stamps` read with `offer`, as `PoolStampQuerySet.of` gives
    them."""
    return pool_stamps_read(offer, sorted(get_scope(user).mission_locale_ids))


def suggest_youths(
    *, offer: Offer, user, limit: int = 20, stamps: dict[int, str] | None = None
) -> list[Suggestion]:
    """The `limit` best youths of the user's missions locales for `offer`, best first
    (ties: last name, first name, lowered, then id). The database scores and ranks
    (`score_expression`); the ranking of the user's missions locales' pool is kept
    (`ranked_pool`), so that a page reads its twenty youths rather than scoring every
    youth of the pool. The reasons are built for the shown rows only (`score_youth`).
    `stamps`: the stamps of the user's missions locales' pools, read with the offer
    (`with_pool_stamps`), else read here."""
    keywords = offer.job_role.keyword_list
    scope = get_scope(user)
    rows = None
    if not scope.is_admin and limit <= RANKING_KEPT - READ_SLACK:
        ranking = ranked_pool(offer, keywords, scope.mission_locale_ids, stamps=stamps)
        rows = _rows_from_ranking(offer, user, ranking, limit)
    if rows is None:
        rows = _ranked(candidate_youths(offer, user), offer, keywords).values_list(
            *SUGGESTION_FIELDS
        )[:limit]
    return [
        score_youth(offer, keywords, dict(zip(SUGGESTION_FIELDS, row, strict=True))) for row in rows
    ]
