"""Exports: the advisor's filtered list, with the import's column titles (written as
CSV or XLSX by the portal's one export writer, `reporting.exports`); and everything held
about one youth (data-subject access request)."""

from __future__ import annotations

from django.db.models import prefetch_related_objects

from .importing import COLUMNS
from .models import SCORE_FIELDS, youth_file_prefetches

EXTRA_HEADERS = ("Étape du parcours", "Dernier entretien", "Résultat de la dernière évaluation")


def export_rows(youths):
    """The header, then one row per youth (iterates in chunks, no per-row query). Values
    stay as they are (dates as dates): the export writer formats and neutralises them."""
    yield [c.header for c in COLUMNS] + list(EXTRA_HEADERS)
    for youth in youths.iterator(chunk_size=2000):
        yield [
            youth.last_name,
            youth.first_name,
            youth.birth_date,
            youth.email,
            youth.phone,
            youth.postcode,
            youth.city,
            youth.get_education_level_display(),
            youth.previous_sector,
            youth.skills,
            youth.get_mobility_display(),
            youth.get_availability_display(),
            youth.get_contract_wishes_display(),
            youth.civis_start,
            youth.civis_end,
            youth.advisor.email if youth.advisor else "",
            youth.registered_on,
            youth.get_current_stage_display(),
            youth.last_contact_on,
            youth.get_last_assessment_outcome_display(),
        ]


def youth_data(youth) -> dict:
    """Everything the portal holds about one youth, for their access request. The file's
    sets are read with `.all()`: loaded here unless the youth came `with_file()`."""
    prefetch_related_objects([youth], *youth_file_prefetches())

    def user(u):
        return str(u) if u else None

    def d(value):
        return value.isoformat() if value else None

    return {
        "jeune": {
            "id": youth.pk,
            "prenom": youth.first_name,
            "nom": youth.last_name,
            "date_de_naissance": d(youth.birth_date),
            "email": youth.email,
            "telephone": youth.phone,
            "code_postal": youth.postcode,
            "commune": youth.city,
            "mission_locale": str(youth.mission_locale),
            "conseiller": user(youth.advisor),
            "niveau_de_formation": youth.get_education_level_display(),
            "secteur_precedent": youth.previous_sector,
            "competences": youth.skills,
            "mobilite": youth.get_mobility_display(),
            "disponibilite": youth.get_availability_display(),
            "contrats_souhaites": youth.contract_wish_labels,
            "civis_debut": d(youth.civis_start),
            "civis_fin": d(youth.civis_end),
            "consentement_partage": d(youth.consent_shared_at),
            "consentement_recueilli_par": user(youth.consent_recorded_by),
            "consentement_retire": d(youth.consent_withdrawn_at),
            "etat": youth.get_status_display(),
            "etape": youth.get_current_stage_display(),
            "inscrit_le": d(youth.registered_on),
        },
        "parcours": [
            {
                "date": d(e.occurred_on),
                "etape": e.get_stage_display(),
                "auteur": user(e.author),
                "commentaire": e.note,
                "motif_de_sortie": e.get_exit_reason_display(),
                "origine": e.source,
            }
            for e in youth.pathway_events.all()
        ],
        "evaluations": [
            {
                "date": d(a.assessed_on),
                "methode": a.get_method_display(),
                "resultat": a.get_outcome_display(),
                "notes": {name.removeprefix("score_"): getattr(a, name) for name in SCORE_FIELDS},
                "commentaire": a.comment,
            }
            for a in youth.assessments.all()
        ],
        "entretiens": [
            {
                "date": d(n.met_on),
                "forme": n.get_channel_display(),
                "compte_rendu": n.summary,
                "prochain_rendez_vous": d(n.next_appointment_on),
                "auteur": user(n.author),
            }
            for n in youth.follow_up_notes.all()
        ],
        "suivis_en_entreprise": [
            {
                "embauche": d(c.hired_on),
                "mois": c.months_after,
                "prevu_le": d(c.due_on),
                "etat": c.get_status_display(),
                "realise_le": d(c.done_on),
                "bilan": c.get_outcome_display(),
                "commentaire": c.note,
            }
            for c in youth.check_ins.all()
        ],
        "parrainages": [
            {
                "parrain": str(p.mentor),
                "debut": d(p.started_on),
                "fin": d(p.ended_on),
                "rencontres": [{"date": d(m.met_on), "note": m.note} for m in p.meetings.all()],
            }
            for p in youth.mentoring_pairs.all()
        ],
        "projets_vae": [
            {
                "certification": v.certification,
                "certificateur": v.certifier,
                "etat": v.get_status_display(),
                "debut": d(v.started_on),
                "jury": d(v.jury_on),
                "commentaire": v.note,
            }
            for v in youth.vae_projects.all()
        ],
        "consentements": [
            {
                "date": c.at.isoformat(),
                "objet": c.get_purpose_display(),
                "action": c.get_action_display(),
                "recueilli": c.get_method_display(),
                "mention_d_information": (
                    {"titre": c.notice.title, "version": c.notice.version} if c.notice else None
                ),
                "enregistre_par": user(c.recorded_by),
                "remarque": c.note,
            }
            for c in youth.consent_records.all()
        ],
        "transferts": [
            {
                "date": d(t.moved_on),
                "de": str(t.from_mission_locale),
                "vers": str(t.to_mission_locale),
            }
            for t in youth.transfers.all()
        ],
        "journal_des_demandes": [
            {"date": d(r.done_at), "action": r.get_kind_display(), "par": user(r.actor)}
            for r in youth.data_requests.select_related("actor")
        ],
    }
