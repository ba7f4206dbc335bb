"""What the offers app holds about a youth: proposals, their moves and the hires they led
to (see `candidates.personal_data_registry`). Anonymisation clears what advisors and
recruiters typed (a note, a reason may name the youth); statuses, decline reasons,
dates, contracts and hours stay: the satisfaction and hires figures count them."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from candidates.personal_data_registry import Activity, Column, Holding

from .models import Employment, Proposal, ProposalTransition

HOLDINGS = [
    Holding(
        model=Proposal,
        to_youth="youth",
        key="candidatures",
        title=_("Candidatures"),
        order=20,
        related=("offer__job_role", "offer__company", "proposed_by"),
        columns=(
            Column("offre", _("Offre"), "offer"),
            Column("proposee_le", _("Proposée le"), "created_at"),
            Column("proposee_par", _("Proposée par"), "proposed_by"),
            Column("origine", _("Origine"), "get_origin_display"),
            Column("mot_du_conseiller", _("Mot du conseiller"), "note"),
            Column("etat", _("État"), "get_status_display"),
            Column("motif_du_refus", _("Motif du refus"), "get_decline_reason_display"),
            Column("dernier_changement", _("Dernier changement le"), "status_changed_at"),
            Column("entretien_le", _("Entretien le"), "interview_at"),
            Column("lieu_entretien", _("Lieu de l'entretien"), "interview_place"),
            Column("visio_entretien", _("Lien de visioconférence"), "interview_link"),
        ),
        clear=("note", "interview_place", "interview_link"),
    ),
    Holding(
        model=ProposalTransition,
        to_youth="proposal__youth",
        key="candidatures_historique",
        title=_("Historique des candidatures"),
        order=21,
        related=("proposal__offer__job_role", "proposal__offer__company", "actor"),
        columns=(
            Column("offre", _("Offre"), "proposal.offer"),
            Column("date", _("Date"), "created_at"),
            Column("de", _("De"), "get_from_status_display"),
            Column("vers", _("Vers"), "get_to_status_display"),
            Column("par", _("Par"), "actor"),
            Column("motif", _("Motif"), "reason"),
        ),
        clear=("reason",),
    ),
    Holding(
        model=Employment,
        to_youth="youth",
        key="embauches",
        title=_("Embauches"),
        order=22,
        related=("company",),
        # No free text: the contract, its dates and hours are what the hires count.
        columns=(
            Column("entreprise", _("Entreprise"), "company"),
            Column("contrat", _("Type de contrat"), "get_contract_type_display"),
            Column("debut", _("Date d'embauche"), "start_date"),
            Column("fin", _("Fin du contrat"), "end_date"),
            Column("heures", _("Heures par semaine"), "weekly_hours"),
            Column("enregistree_le", _("Enregistrée le"), "created_at"),
        ),
    ),
]

# A proposal made or moved, a hiring started or ended: contacts with the youth.
ACTIVITY = [
    Activity(Proposal, "youth", ("created_at", "status_changed_at")),
    Activity(Employment, "youth", ("start_date", "end_date")),
]
