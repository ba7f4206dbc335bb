"""Matching suggestions: an advisor's youths ranked by fit for one offer, each with the
reasons of its score. Deterministic: the same data always gives the same order (ties
broken by name, then id). The points are in the tables below, so a reader can check a
rank by hand."""

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
MOBILE = (Mobility.PUBLIC_TRANSPORT, Mobility.DRIVING_LICENCE, Mobility.VEHICLE)
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
)


@dataclass(frozen=True)
class Reason:
    text: str
    points: int

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


def department(postcode: str) -> str:
    return postcode[:2] if postcode else ""


def score_youth(offer: Offer, keywords: list[str], row: dict) -> Suggestion:
    """The score of one youth (a dict of SUGGESTION_FIELDS) for `offer`, with reasons."""
    reasons: list[Reason] = []
    stage = row["current_stage"]
    if stage in STAGE_POINTS:
        reasons.append(
            Reason(
                _("Parcours : %(stage)s") % {"stage": PathwayStage(stage).label},
                STAGE_POINTS[stage],
            )
        )
    outcome = row["last_assessment_outcome"]
    if outcome:
        points = OUTCOME_POINTS[outcome]
        if (
            outcome == AssessmentOutcome.WITH_TRAINING
            and offer.contract_type in ContractType.work_study()
        ):
            points = WITH_TRAINING_ON_WORK_STUDY
            text = _("Évaluation favorable après formation, et l'alternance la fournit")
        else:
            text = _("Évaluation : %(outcome)s") % {"outcome": AssessmentOutcome(outcome).label}
        reasons.append(Reason(text, points))
    else:
        reasons.append(Reason(_("Pas encore évalué(e)"), 0))

    text = f"{row['skills']} {row['previous_sector']}".lower()
    matched = [word for word in keywords if word in text]
    if matched:
        reasons.append(
            Reason(
                _("Compétences utiles au poste : %(words)s") % {"words": ", ".join(matched)},
                min(SKILL_POINTS * len(matched), SKILL_CAP),
            )
        )

    availability = row["availability"]
    if availability == Availability.PART_TIME:
        if offer.is_full_time:
            reasons.append(
                Reason(
                    _("Souhaite un temps partiel, le poste est à temps plein"), PART_TIME_WISH_UNMET
                )
            )
        else:
            reasons.append(
                Reason(_("Souhaite un temps partiel, comme le poste"), PART_TIME_WISH_MET)
            )
    elif availability:
        reasons.append(
            Reason(
                _("Disponibilité : %(a)s") % {"a": Availability(availability).label},
                AVAILABILITY_POINTS[availability],
            )
        )

    postcode, mobility = row["postcode"], row["mobility"]
    if postcode and offer.postcode:
        if postcode == offer.postcode:
            reasons.append(Reason(_("Habite la commune du poste"), SAME_COMMUNE))
        elif department(postcode) == department(offer.postcode):
            if mobility in MOBILE:
                reasons.append(
                    Reason(
                        _("Même département, mobilité : %(m)s") % {"m": Mobility(mobility).label},
                        SAME_DEPARTMENT_MOBILE,
                    )
                )
            else:
                reasons.append(Reason(_("Même département"), SAME_DEPARTMENT_LOCAL))
        elif mobility == Mobility.VEHICLE:
            reasons.append(Reason(_("Loin du poste mais véhiculé(e)"), FAR_WITH_VEHICLE))
        else:
            reasons.append(Reason(_("Loin du poste et peu mobile"), FAR_NOT_MOBILE))

    return Suggestion(
        youth_id=row["pk"],
        first_name=row["first_name"],
        last_name=row["last_name"],
        stage=stage,
        score=sum(reason.points for reason in reasons),
        reasons=reasons,
    )


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
    scored = [
        score_youth(offer, keywords, row)
        for row in candidate_youths(offer, user)
        .values(*SUGGESTION_FIELDS)
        .iterator(chunk_size=2000)
    ]
    scored.sort(key=lambda s: (-s.score, s.last_name.lower(), s.first_name.lower(), s.youth_id))
    return scored[:limit]
