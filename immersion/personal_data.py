"""What the immersion app holds about a youth: enrolments (their history is in the audit
trail, `audit/personal_data.py`), CAE contracts of the platform, recruiters' requests
from the candidate pool (see `candidates.personal_data_registry`). Anonymisation clears what hosts, recruiters and
advisors typed; statuses, attendance, host assessments, contract dates, hours and
outcomes stay: the attendance and occupancy figures count them."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from candidates.personal_data_registry import Activity, Column, Holding

from .models import CaeContract, Enrolment, PoolRequest

HOLDINGS = [
    Holding(
        model=Enrolment,
        to_youth="youth",
        key="inscriptions",
        title=_("Inscriptions aux sessions"),
        order=30,
        related=("session", "enrolled_by"),
        columns=(
            Column("session", _("Session"), "session"),
            Column("programme", _("Programme"), "session.get_kind_display"),
            Column("inscription", _("Inscription"), "get_status_display"),
            Column("demande_le", _("Demandée le"), "queued_at"),
            Column("inscrit_par", _("Inscrit(e) par"), "enrolled_by"),
            Column("desinscrit_le", _("Désinscrit(e) le"), "cancelled_at"),
            Column("presence", _("Présence"), "get_attendance_display"),
            Column("avis_entreprise", _("Avis de l'entreprise"), "get_host_assessment_display"),
            Column("commentaire_entreprise", _("Commentaire de l'entreprise"), "host_comment"),
        ),
        clear=("host_comment",),
    ),
    Holding(
        model=CaeContract,
        to_youth="youth",
        key="contrats_cae",
        title=_("Contrats CAE de la plateforme d'immersion"),
        order=32,
        related=("cohort__region",),
        columns=(
            Column("promotion", _("Promotion"), "cohort"),
            Column("employeur", _("Employeur"), "employer"),
            Column("debut", _("Début du contrat"), "start_on"),
            Column("fin", _("Fin du contrat"), "end_on"),
            Column("heures", _("Heures par semaine"), "weekly_hours"),
            Column("issue", _("Issue du contrat"), "get_outcome_display"),
            Column("precision", _("Précision"), "outcome_note"),
            Column("issue_le", _("Issue enregistrée le"), "outcome_recorded_on"),
        ),
        clear=("outcome_note",),
    ),
    Holding(
        model=PoolRequest,
        to_youth="youth",
        key="demandes_bourse",
        title=_("Demandes des entreprises (bourse de candidats)"),
        order=33,
        related=("company", "offer__job_role", "offer__company", "answered_by"),
        columns=(
            Column("entreprise", _("Entreprise"), "company"),
            Column("offre", _("Offre"), "offer"),
            Column("demandee_le", _("Demandée le"), "created_at"),
            Column("message", _("Message au conseiller"), "message"),
            Column("etat", _("État"), "get_status_display"),
            Column("reponse", _("Réponse"), "answer_note"),
            Column("repondu_le", _("Réponse le"), "answered_at"),
            Column("repondu_par", _("Répondu par"), "answered_by"),
        ),
        clear=("message", "answer_note"),
    ),
]

# An enrolment (and its session's day), a pool request, a CAE contract and its outcome.
ACTIVITY = [
    Activity(Enrolment, "youth", ("queued_at", "session__starts_at")),
    Activity(PoolRequest, "youth", ("created_at", "answered_at")),
    Activity(CaeContract, "youth", ("start_on", "end_on", "outcome_recorded_on")),
]
