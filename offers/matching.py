"""Matching suggestions: an advisor's youths ranked by fit for one offer, each with the
reasons of its score. Deterministic: the same data always gives the same order (ties
broken by name, then id). The points are in the tables below, so a reader can check a
rank by hand. Criteria: pathway stage, assessment outcome, skills, availability,
mobility and place, and the youth's contract wishes."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from candidates.enums import AssessmentOutcome, Availability, Mobility, PathwayStage, YouthStatus
from candidates.models import Youth

from .enums import ContractType
from .models import Offer, Proposal

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


def fast_scorer(offer: Offer, keywords: list[str]):
    """The same points as `score_youth`, without building the reasons: used to rank
    thousands of youths, the reasons being built for the shown ones only. A row is a
    tuple in SUGGESTION_FIELDS order. `test_matching` checks both agree."""
    full_time = offer.is_full_time
    work_study = offer.contract_type in WORK_STUDY
    offer_postcode = offer.postcode
    offer_department = offer_postcode[:2]
    outcome_points = dict(OUTCOME_POINTS)
    outcome_points[""] = 0
    if work_study:
        outcome_points[AssessmentOutcome.WITH_TRAINING] = WITH_TRAINING_ON_WORK_STUDY
    availability_points = dict(AVAILABILITY_POINTS)
    availability_points[""] = 0
    availability_points[Availability.PART_TIME] = (
        PART_TIME_WISH_UNMET if full_time else PART_TIME_WISH_MET
    )
    stage_points = STAGE_POINTS
    contract = offer.contract_type

    def score(row) -> int:
        (
            _pk,
            _first,
            _last,
            stage,
            outcome,
            skills,
            sector,
            availability,
            mobility,
            postcode,
            wishes,
        ) = row
        points = stage_points.get(stage, 0) + outcome_points[outcome]
        if wishes:
            points += CONTRACT_WISHED if contract in wishes else CONTRACT_NOT_WISHED
        points += availability_points[availability]
        if keywords:
            text = f"{skills} {sector}".lower()
            matched = sum(1 for word in keywords if word in text)
            points += min(SKILL_POINTS * matched, SKILL_CAP)
        if postcode and offer_postcode:
            if postcode == offer_postcode:
                points += SAME_COMMUNE
            elif postcode[:2] == offer_department:
                points += SAME_DEPARTMENT_MOBILE if mobility in MOBILE else SAME_DEPARTMENT_LOCAL
            elif mobility == Mobility.VEHICLE:
                points += FAR_WITH_VEHICLE
            else:
                points += FAR_NOT_MOBILE
        return points

    return score


def candidate_youths(offer: Offer, user):
    """Youths the user may propose to `offer`: theirs, consenting, followed, not in a
    job nor out, not already proposed to it."""
    already = Proposal.objects.active().filter(offer=offer).values("youth_id")
    return (
        Youth.objects.visible_to(user)
        .sharing_consented()
        .filter(status=YouthStatus.ACTIVE)
        .exclude(current_stage__in=(PathwayStage.HIRED, PathwayStage.STABILISED, PathwayStage.EXIT))
        .exclude(pk__in=already)
    )


def suggest_youths(*, offer: Offer, user, limit: int = 20) -> list[Suggestion]:
    """The `limit` best youths of the user's missions locales for `offer`, best first."""
    keywords = offer.job_role.keyword_list
    score = fast_scorer(offer, keywords)
    rows = candidate_youths(offer, user).values_list(*SUGGESTION_FIELDS)
    ranked = sorted(
        ((score(row), row) for row in rows),
        key=lambda item: (-item[0], item[1][2].lower(), item[1][1].lower(), item[1][0]),
    )
    return [
        score_youth(offer, keywords, dict(zip(SUGGESTION_FIELDS, row, strict=True)))
        for _points, row in ranked[:limit]
    ]
