"""Choices of the candidate pool, labels in French (the advisors' vocabulary)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.enums import NoticePurpose

# The contract types a youth may wish for are the offers' own (same values, same
# labels), so matching compares them directly. offers.enums imports nothing of
# candidates: no import cycle.
from offers.enums import ContractType


def ordered_contract_wishes(values) -> list[str]:
    """The wished contract types without duplicates, in the choices' order (a stable
    order for storage, display and comparison)."""
    wanted = set(values or ())
    return [value for value in ContractType.values if value in wanted]


class PathwayStage(models.TextChoices):
    """The stages of the pathway (Annex 1 of the convention)."""

    INFORMATION = "information", _("Information")
    DISCOVERY = "discovery", _("Découverte des métiers")
    IMMERSION = "immersion", _("Immersion")
    TRAINING = "training", _("Formation / alternance")
    HIRED = "hired", _("Embauche")
    STABILISED = "stabilised", _("Emploi stabilisé")
    EXIT = "exit", _("Sortie du parcours")

    @classmethod
    def forward(cls) -> tuple[PathwayStage, ...]:
        """The stages in the pathway's order, from information to a stable job (the exit
        is no step of it): the one order every app reads."""
        return (
            cls.INFORMATION,
            cls.DISCOVERY,
            cls.IMMERSION,
            cls.TRAINING,
            cls.HIRED,
            cls.STABILISED,
        )


class ExitReason(models.TextChoices):
    OTHER_JOB = "other_job", _("Emploi dans un autre secteur")
    TRAINING_ELSEWHERE = "training_elsewhere", _("Formation hors du secteur")
    MOVED = "moved", _("Déménagement")
    NOT_INTERESTED = "not_interested", _("N'est plus intéressé(e)")
    UNREACHABLE = "unreachable", _("Injoignable")
    AGE_LIMIT = "age_limit", _("Limite d'âge atteinte")
    OTHER = "other", _("Autre raison")


class YouthStatus(models.TextChoices):
    ACTIVE = "active", _("Suivi en cours")
    CLOSED = "closed", _("Suivi clos")
    ANONYMISED = "anonymised", _("Anonymisé")


class EducationLevel(models.TextChoices):
    NONE = "none", _("Sans diplôme")
    CAP_BEP = "cap_bep", _("CAP / BEP")
    BAC = "bac", _("Baccalauréat")
    BAC_2 = "bac_2", _("Bac +2")
    HIGHER = "higher", _("Bac +3 et plus")


class Mobility(models.TextChoices):
    LOCAL = "local", _("Quartier / commune")
    PUBLIC_TRANSPORT = "public_transport", _("Transports en commun")
    DRIVING_LICENCE = "driving_licence", _("Permis B, sans véhicule")
    VEHICLE = "vehicle", _("Permis B et véhicule")


class Availability(models.TextChoices):
    IMMEDIATE = "immediate", _("Immédiate")
    WITHIN_MONTH = "within_month", _("Sous un mois")
    LATER = "later", _("Plus tard")
    PART_TIME = "part_time", _("Temps partiel seulement")


class AssessmentMethod(models.TextChoices):
    INTERVIEW = "interview", _("Entretien")
    SIMULATION = "simulation", _("Mise en situation (appels simulés)")
    WRITTEN_TESTS = "written_tests", _("Tests écrits")
    MRS = "mrs", _("Méthode de recrutement par simulation (MRS)")


class AssessmentOutcome(models.TextChoices):
    FAVOURABLE = "favourable", _("Favorable")
    WITH_TRAINING = "with_training", _("Favorable après formation")
    NOT_YET = "not_yet", _("À revoir plus tard")
    UNFAVOURABLE = "unfavourable", _("Défavorable")


class NoteChannel(models.TextChoices):
    IN_PERSON = "in_person", _("En personne")
    PHONE = "phone", _("Téléphone")
    EMAIL = "email", _("E-mail")
    VIDEO = "video", _("Visioconférence")


class CheckInStatus(models.TextChoices):
    PLANNED = "planned", _("Prévu")
    DONE = "done", _("Réalisé")
    MISSED = "missed", _("Non réalisé")


class CheckInOutcome(models.TextChoices):
    GOING_WELL = "going_well", _("Tout va bien")
    DIFFICULTIES = "difficulties", _("Difficultés à suivre")
    LEFT_COMPANY = "left_company", _("A quitté l'entreprise")


class MentorKind(models.TextChoices):
    RETIRED = "retired", _("Retraité(e)")
    ACTIVE = "active", _("En activité")


class VaeStatus(models.TextChoices):
    PROJECT = "project", _("Projet")
    ADMISSIBLE = "admissible", _("Recevable")
    FILE_SUBMITTED = "file_submitted", _("Dossier déposé")
    VALIDATED = "validated", _("Validation totale")
    PARTIAL = "partial", _("Validation partielle")
    ABANDONED = "abandoned", _("Abandonné")


class DataRequestKind(models.TextChoices):
    EXPORT_JSON = "export_json", _("Export JSON des données")
    EXPORT_PAGE = "export_page", _("Consultation de la fiche complète (droit d'accès)")
    EXPORT_ZIP = "export_zip", _("Export ZIP des données (JSON, CSV, PDF)")
    ANONYMISE = "anonymise", _("Anonymisation")


class SubjectRequestKind(models.TextChoices):
    """The rights a youth may exercise over their data (GDPR articles 15 to 21)."""

    ACCESS = "access", _("Accès")
    RECTIFICATION = "rectification", _("Rectification")
    ERASURE = "erasure", _("Effacement")
    OBJECTION = "objection", _("Opposition")


class SubjectRequestStatus(models.TextChoices):
    OPEN = "open", _("À traiter")
    CLOSED = "closed", _("Traitée")


class ImportStatus(models.TextChoices):
    """upload -> mapping (columns matched to fields) -> previewed -> (confirming, while
    the background job of a large file runs) -> confirmed."""

    MAPPING = "mapping", _("Colonnes à associer")
    PREVIEWED = "previewed", _("Aperçu")
    CONFIRMING = "confirming", _("Import en cours")
    CONFIRMED = "confirmed", _("Importé")


class ConsentPurpose(models.TextChoices):
    """What a youth consents to. One purpose today; each has its information notice
    (`CONSENT_NOTICES`)."""

    PROFILE_SHARING = "profile_sharing", _("Partage du profil avec les entreprises")


class ConsentAction(models.TextChoices):
    GIVEN = "given", _("Consentement donné")
    WITHDRAWN = "withdrawn", _("Consentement retiré")


class ConsentMethod(models.TextChoices):
    """How a consent or its withdrawal reached the mission locale: the proof."""

    SIGNED_FORM = "signed_form", _("En personne, formulaire signé")
    EMAIL = "email", _("Par e-mail du jeune")
    ORAL = "oral", _("De vive voix ou par téléphone")
    YOUTH_SPACE = "youth_space", _("Par le jeune lui-même, dans son espace")
    ANONYMISATION = "anonymisation", _("Anonymisation du dossier")
    UNKNOWN = "unknown", _("Inconnue (enregistré avant la preuve du consentement)")


# Which methods prove each step. Consent must be shown (GDPR Art. 7(1)): a signed form,
# the youth's email or the youth's own click. Withdrawing must be as easy as consenting
# (Art. 7(3)): a word in person or on the phone is enough, the advisor records it.
# ANONYMISATION is written by `anonymise_youth` only, UNKNOWN by the data migration that
# kept the consents recorded before the proof.
CONSENT_METHODS: dict[str, tuple[str, ...]] = {
    ConsentAction.GIVEN: (
        ConsentMethod.SIGNED_FORM,
        ConsentMethod.EMAIL,
        ConsentMethod.YOUTH_SPACE,
    ),
    ConsentAction.WITHDRAWN: (
        ConsentMethod.SIGNED_FORM,
        ConsentMethod.EMAIL,
        ConsentMethod.ORAL,
        ConsentMethod.YOUTH_SPACE,
    ),
}

# The information notice a youth is given before consenting to each purpose.
CONSENT_NOTICES: dict[str, str] = {ConsentPurpose.PROFILE_SHARING: NoticePurpose.PROFILE_SHARING}


class AccessKind(models.TextChoices):
    """What a reader opened or downloaded (the access log, `candidates/access_log.py`)."""

    YOUTH_FILE = "youth_file", _("Fiche du jeune ouverte")
    YOUTH_DATA_PAGE = "youth_data_page", _("Page « toutes les données » ouverte")
    SUBJECT_EXPORT = "subject_export", _("Données du jeune téléchargées")
    PROPOSAL_CONTACT = "proposal_contact", _("Coordonnées vues sur une candidature")
    LIST_EXPORT = "list_export", _("Export de liste téléchargé")
