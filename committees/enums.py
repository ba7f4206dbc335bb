"""Statuses and kinds of the committees app, labels in French."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CommitteeKind(models.TextChoices):
    """The committees of Article 17 (and the Marseille pilot committee of the preamble)."""

    NATIONAL_SIGNATORIES = "national_signatories", _("Comité de pilotage national des signataires")
    NATIONAL_PROFESSIONALS = (
        "national_professionals",
        _("Comité de pilotage national des professionnels"),
    )
    REGIONAL_COMPANIES = "regional_companies", _("Comité d'entreprises régional")
    REGIONAL_TECHNICAL = "regional_technical", _("Comité technique régional")
    PILOT = "pilot", _("Comité de pilotage de l'action pilote")

    @classmethod
    def national(cls) -> tuple[str, ...]:
        """Kinds that belong to no region."""
        return (cls.NATIONAL_SIGNATORIES, cls.NATIONAL_PROFESSIONALS)


class CommitteeRole(models.TextChoices):
    CHAIR = "chair", _("Président")
    SECRETARY = "secretary", _("Secrétaire")
    MEMBER = "member", _("Membre")


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", _("Présent")
    EXCUSED = "excused", _("Excusé")
    ABSENT = "absent", _("Absent")


class ActionItemStatus(models.TextChoices):
    OPEN = "open", _("À faire")
    IN_PROGRESS = "in_progress", _("En cours")
    DONE = "done", _("Terminée")
    CANCELLED = "cancelled", _("Annulée")

    @classmethod
    def open_statuses(cls) -> tuple[str, ...]:
        return (cls.OPEN, cls.IN_PROGRESS)


class CommitmentStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Non engagé")
    IN_PROGRESS = "in_progress", _("En cours")
    MET = "met", _("Tenu")
    NOT_MET = "not_met", _("Non tenu")


class PlanSection(models.TextChoices):
    """The four sections of the pilot action plan (Annex 2)."""

    AWARENESS = "awareness", _("I - Sensibilisation")
    COMPANIES_COMMITTEE = "companies_committee", _("II - Comité de pilotage entreprises")
    IMMERSION = "immersion", _("III - Immersion")
    OFFERS = "offers", _("IV - Processus de diffusion des offres et de recrutement")


class AwarenessAudience(models.TextChoices):
    """The four parts of section I (awareness) of Annex 2."""

    ADVISORS = "advisors", _("A) Les accompagnateurs")
    YOUTHS = "youths", _("B) Les jeunes")
    COMPANIES = "companies", _("C) Les entreprises")
    COMMUNICATION = "communication", _("D) Opérations de communication")


class PlanItemStatus(models.TextChoices):
    PLANNED = "planned", _("Prévue")
    IN_PROGRESS = "in_progress", _("En cours")
    DONE = "done", _("Réalisée")
    DROPPED = "dropped", _("Abandonnée")

    @classmethod
    def open_statuses(cls) -> tuple[str, ...]:
        return (cls.PLANNED, cls.IN_PROGRESS)


class IndicatorKey(models.TextChoices):
    """Indicators a plan item may target; the reporting app computes their actual values."""

    HIRES = "hires", _("Jeunes recrutés")
    STABILISED_JOBS = "stabilised_jobs", _("Emplois stabilisés")
    JOB_MEETINGS_HELD = "job_meetings_held", _("Rencontres métiers organisées")
    OPEN_DAYS_HELD = "open_days_held", _("Journées portes ouvertes organisées")
    EVENT_ATTENDANCE = "event_attendance", _("Participants aux événements")
    OFFERS_REGISTERED = "offers_registered", _("Offres enregistrées")
    POSITIONS_FILLED = "positions_filled", _("Postes pourvus")
    IMMERSION_PLATFORM_MEMBERS = (
        "immersion_platform_members",
        _("Jeunes sur la plateforme d'immersion"),
    )
    ADVISORS_TRAINED = "advisors_trained", _("Conseillers sensibilisés")
    MENTORING_PAIRS = "mentoring_pairs", _("Binômes de parrainage")


class DocumentKind(models.TextChoices):
    PDF = "pdf", "PDF"
    DOCX = "docx", "DOCX (Word)"
    ODT = "odt", "ODT (OpenDocument)"
    XLSX = "xlsx", "XLSX (Excel)"
