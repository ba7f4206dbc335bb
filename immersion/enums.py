"""Choices of the immersion app, labels in French (the users' vocabulary)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from candidates.enums import PathwayStage


class ProgrammeKind(models.TextChoices):
    """Every programme of the convention (Art. 12, Axes III-V, Annex 2 I-A)."""

    IMMERSION_PLATFORM = "immersion_platform", _("Plateforme d'immersion (contrats CAE)")
    IMMERSION_DAY = "immersion_day", _("Journée d'immersion en entreprise")
    OPEN_DAY = "open_day", _("Journée portes ouvertes / visite de site")
    JOB_MEETING = "job_meeting", _("Rencontre métiers mensuelle")
    LUNCH = "lunch", _("Déjeuner jeunes-entreprises")
    CALL_CENTRE_DAY = "call_centre_day", _("Journée nationale des centres d'appels")
    TRAINING = "training", _("Session de formation")
    APPRENTICESHIP = "apprenticeship", _("Alternance : contrat d'apprentissage")
    PROFESSIONALISATION = "professionalisation", _("Alternance : contrat de professionnalisation")
    GEIQ = "geiq", _("Alternance : GEIQ")
    ADVISOR_INFORMATION = "advisor_information", _("Conseillers : réunion d'information")
    ADVISOR_COMPANY_VISIT = "advisor_company_visit", _("Conseillers : visite d'entreprise")
    ADVISOR_IMMERSION = "advisor_immersion", _("Conseillers : immersion sur site")

    @classmethod
    def for_advisors(cls) -> tuple[str, ...]:
        return (cls.ADVISOR_INFORMATION, cls.ADVISOR_COMPANY_VISIT, cls.ADVISOR_IMMERSION)


class Audience(models.TextChoices):
    YOUTHS = "youths", _("Jeunes")
    ADVISORS = "advisors", _("Conseillers")


def audience_of(kind: str) -> str:
    """Advisor sessions (Annex 2, I-A) are for advisors; every other kind for youths."""
    return Audience.ADVISORS if kind in ProgrammeKind.for_advisors() else Audience.YOUTHS


# The pathway stage that attending a session of each kind leads to (Annex 1).
STAGE_BY_KIND: dict[str, str] = {
    ProgrammeKind.OPEN_DAY: PathwayStage.DISCOVERY,
    ProgrammeKind.JOB_MEETING: PathwayStage.DISCOVERY,
    ProgrammeKind.LUNCH: PathwayStage.DISCOVERY,
    ProgrammeKind.CALL_CENTRE_DAY: PathwayStage.DISCOVERY,
    ProgrammeKind.IMMERSION_DAY: PathwayStage.IMMERSION,
    ProgrammeKind.IMMERSION_PLATFORM: PathwayStage.IMMERSION,
    ProgrammeKind.TRAINING: PathwayStage.TRAINING,
    ProgrammeKind.APPRENTICESHIP: PathwayStage.TRAINING,
    ProgrammeKind.PROFESSIONALISATION: PathwayStage.TRAINING,
    ProgrammeKind.GEIQ: PathwayStage.TRAINING,
}

# Kinds after which the host writes a short assessment of each youth.
ASSESSED_KINDS = frozenset({ProgrammeKind.IMMERSION_DAY})


class SessionStatus(models.TextChoices):
    PLANNED = "planned", _("Prévue")
    OPEN = "open", _("Inscriptions ouvertes")
    FULL = "full", _("Complète")
    HELD = "held", _("Réalisée")
    CANCELLED = "cancelled", _("Annulée")


class EnrolmentStatus(models.TextChoices):
    CONFIRMED = "confirmed", _("Inscrit(e)")
    WAITING = "waiting", _("Liste d'attente")
    CANCELLED = "cancelled", _("Désinscrit(e)")


class Attendance(models.TextChoices):
    ATTENDED = "attended", _("Présent(e)")
    NO_SHOW = "no_show", _("Absent(e)")
    EXCUSED = "excused", _("Excusé(e)")


class HostAssessment(models.TextChoices):
    RECOMMEND = "recommend", _("Je recommande")
    TO_CONFIRM = "to_confirm", _("À confirmer")
    NOT_SUITED = "not_suited", _("Ne convient pas")


class ContractOutcome(models.TextChoices):
    HIRED = "hired", _("Embauche")
    TRAINING = "training", _("Formation")
    OTHER = "other", _("Autre")


class PoolRequestStatus(models.TextChoices):
    PENDING = "pending", _("En attente de réponse")
    ACCEPTED = "accepted", _("Le conseiller va proposer le jeune")
    DECLINED = "declined", _("Refusée")
