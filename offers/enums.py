"""Choices of the offers app, labels in French (the users' vocabulary)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ContractType(models.TextChoices):
    CDI = "cdi", _("CDI")
    CDD = "cdd", _("CDD")
    TEMPORARY = "temporary", _("Intérim")
    INTERNSHIP = "internship", _("Stage")
    APPRENTICESHIP = "apprenticeship", _("Contrat d'apprentissage")
    PROFESSIONALISATION = "professionalisation", _("Contrat de professionnalisation")
    CAE = "cae", _("CAE (contrat d'accompagnement dans l'emploi)")

    @classmethod
    def work_study(cls) -> tuple[str, ...]:
        """Contracts that include training (alternance)."""
        return (cls.APPRENTICESHIP, cls.PROFESSIONALISATION)


class OfferStatus(models.TextChoices):
    DRAFT = "draft", _("Brouillon")
    SUBMITTED = "submitted", _("Soumise au chargé de projet")
    PUBLISHED = "published", _("Publiée")
    FILLED = "filled", _("Pourvue")
    PARTLY_FILLED = "partly_filled", _("Partiellement pourvue")
    CLOSED_UNFILLED = "closed_unfilled", _("Close sans recrutement")
    EXPIRED = "expired", _("Expirée")
    WITHDRAWN = "withdrawn", _("Retirée")

    @classmethod
    def closed(cls) -> tuple[str, ...]:
        return (cls.FILLED, cls.PARTLY_FILLED, cls.CLOSED_UNFILLED, cls.EXPIRED, cls.WITHDRAWN)


class OfferAction(models.TextChoices):
    SUBMIT = "submit", _("Soumettre au chargé de projet")
    SEND_BACK = "send_back", _("Renvoyer au recruteur")
    PUBLISH = "publish", _("Valider et publier")
    WITHDRAW = "withdraw", _("Retirer l'offre")
    CLOSE = "close", _("Clore l'offre")
    FILL = "fill", _("Tous les postes pourvus")
    EXPIRE = "expire", _("Date de clôture passée")


class ProposalStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposée")
    SEEN = "seen", _("Vue")
    INTERVIEW = "interview", _("Entretien")
    HIRED = "hired", _("Embauche")
    DECLINED = "declined", _("Refusée")
    WITHDRAWN = "withdrawn", _("Retirée")

    @classmethod
    def active(cls) -> tuple[str, ...]:
        return (cls.PROPOSED, cls.SEEN, cls.INTERVIEW, cls.HIRED)

    @classmethod
    def open(cls) -> tuple[str, ...]:
        """Still waiting for a decision."""
        return (cls.PROPOSED, cls.SEEN, cls.INTERVIEW)


class ProposalAction(models.TextChoices):
    MARK_SEEN = "mark_seen", _("Marquer comme vue")
    INVITE = "invite", _("Convoquer en entretien")
    HIRE = "hire", _("Embaucher")
    DECLINE = "decline", _("Refuser")
    WITHDRAW = "withdraw", _("Retirer la candidature")


class DeclineReason(models.TextChoices):
    PROFILE_MISMATCH = "profile_mismatch", _("Profil ne correspondant pas au poste")
    INTERVIEW_UNSUCCESSFUL = "interview_unsuccessful", _("Entretien non concluant")
    NO_SHOW = "no_show", _("Absent(e) à l'entretien")
    CANDIDATE_DECLINED = "candidate_declined", _("Le jeune a décliné l'offre")
    POSITIONS_FILLED = "positions_filled", _("Postes déjà pourvus")
    SCHEDULE = "schedule", _("Horaires ou lieu incompatibles")
    OTHER = "other", _("Autre motif")


class ProposalOrigin(models.TextChoices):
    ADVISOR = "advisor", _("Proposée par le conseiller")
    SUGGESTION = "suggestion", _("Suggestion du portail retenue par le conseiller")
    IMMERSION_POOL = "immersion_pool", _("Demandée par l'entreprise depuis la bourse de candidats")


class NoticeKind(models.TextChoices):
    SUBMITTED = "submitted", _("Offre soumise")
    SENT_BACK = "sent_back", _("Offre renvoyée")
    PUBLISHED = "published", _("Nouvelle offre publiée")
    EXPIRED = "expired", _("Offre expirée")
    PROPOSED = "proposed", _("Nouvelle candidature")
