"""What the candidate pool holds about a youth: its part of the subject's export and of
anonymisation (see `personal_data_registry`). The file itself keeps its mission locale,
stages and their dates, statuses, assessment scores and outcomes, CIVIS dates and
registration date: the indicators count them (docs/indicators.md)."""

from __future__ import annotations

from django.db.models import Case, CharField, Q, Value, When
from django.db.models.functions import Cast, Concat, Substr, TruncYear
from django.utils.translation import gettext_lazy as _

from .access_log import AccessLogEntry
from .models import (
    SCORE_FIELDS,
    Assessment,
    ConsentRecord,
    DataSubjectRequest,
    FollowUpNote,
    ImportBatch,
    InCompanyCheckIn,
    MentoringMeeting,
    MentoringPair,
    PathwayEvent,
    SubjectRequest,
    VaeProject,
    Youth,
    YouthNameWord,
    YouthTransfer,
)
from .personal_data_registry import (
    Activity,
    Column,
    Holding,
    Identity,
    IdentityFinder,
    texts_in,
)

#: The first name an anonymised file shows; its surname becomes "#<id>".
ANONYMOUS_NAME = "Anonyme"

# A pathway event's `source` naming a record ("offers.Proposal#12") names no person: it
# stays, the hiring still points to its proposal. A free label ("CDI chez ...") is text.
RECORD_REFERENCE = r"^[a-z_]+\.[A-Za-z]+#[0-9]+$"


def _scores() -> list[Column]:
    return [
        Column(
            name.removeprefix("score_"),
            Assessment._meta.get_field(name).verbose_name,
            name,
        )
        for name in SCORE_FIELDS
    ]


HOLDINGS = [
    Holding(
        model=Youth,
        to_youth="pk",
        key="jeune",
        title=_("Fiche"),
        single=True,
        order=0,
        related=("mission_locale", "advisor", "consent_recorded_by", "consent_withdrawn_by"),
        columns=(
            Column("id", _("Numéro"), "pk"),
            Column("prenom", _("Prénom"), "first_name"),
            Column("nom", _("Nom"), "last_name"),
            Column("date_de_naissance", _("Date de naissance"), "birth_date"),
            Column("email", _("Adresse e-mail"), "email"),
            Column("telephone", _("Téléphone"), "phone"),
            Column("code_postal", _("Code postal"), "postcode"),
            Column("commune", _("Commune"), "city"),
            Column("mission_locale", _("Mission locale"), "mission_locale"),
            Column("conseiller", _("Conseiller référent"), "advisor"),
            Column("niveau_de_formation", _("Niveau de formation"), "get_education_level_display"),
            Column("secteur_precedent", _("Secteur d'activité précédent"), "previous_sector"),
            Column("competences", _("Compétences transférables"), "skills"),
            Column("mobilite", _("Mobilité"), "get_mobility_display"),
            Column("disponibilite", _("Disponibilité"), "get_availability_display"),
            Column("contrats_souhaites", _("Contrats souhaités"), "contract_wish_labels"),
            Column("civis_debut", _("Début du contrat CIVIS"), "civis_start"),
            Column("civis_fin", _("Fin du contrat CIVIS"), "civis_end"),
            Column("consentement_partage", _("Partage du profil accepté le"), "consent_shared_at"),
            Column(
                "consentement_recueilli_par", _("Consentement recueilli par"), "consent_recorded_by"
            ),
            Column("consentement_retire", _("Consentement retiré le"), "consent_withdrawn_at"),
            Column("consentement_retire_par", _("Retrait enregistré par"), "consent_withdrawn_by"),
            Column("etat", _("État du suivi"), "get_status_display"),
            Column("etape", _("Étape du parcours"), "get_current_stage_display"),
            Column("inscrit_le", _("Inscrit(e) le"), "registered_on"),
            Column("anonymise_le", _("Anonymisé le"), "anonymised_at"),
        ),
        # The birth year stays (age bands), and the department of the postcode.
        replace={
            "first_name": Value(ANONYMOUS_NAME),
            "last_name": Concat(Value("#"), Cast("pk", output_field=CharField())),
            "search_name": Value(""),
            "birth_date": TruncYear("birth_date"),
            "postcode": Case(
                When(postcode="", then=Value("")),
                default=Concat(Substr("postcode", 1, 2), Value("000")),
            ),
        },
        clear=("email", "phone", "city", "previous_sector", "skills"),
    ),
    Holding(
        model=PathwayEvent,
        to_youth="youth",
        key="parcours",
        title=_("Parcours"),
        order=10,
        related=("author",),
        columns=(
            Column("date", _("Date"), "occurred_on"),
            Column("etape", _("Étape"), "get_stage_display"),
            Column("etape_precedente", _("Étape précédente"), "get_previous_stage_display"),
            Column("auteur", _("Auteur"), "author"),
            Column("commentaire", _("Commentaire"), "note"),
            Column("motif_de_sortie", _("Motif de sortie"), "get_exit_reason_display"),
            Column("origine", _("Origine"), "source"),
        ),
        # The event's mission locale is a copy of the youth's (exported with the file,
        # above), kept for the indicators: not a column here, and it stays, as the
        # stages and their dates do.
        clear=("note", "source"),
        clear_unless={"source": Q(source__regex=RECORD_REFERENCE)},
    ),
    Holding(
        model=Assessment,
        to_youth="youth",
        key="evaluations",
        title=_("Évaluations des aptitudes"),
        order=11,
        related=("assessor",),
        columns=(
            Column("date", _("Date"), "assessed_on"),
            Column("methode", _("Méthode"), "get_method_display"),
            Column("evaluateur", _("Évaluateur"), "assessor"),
            *_scores(),
            Column("resultat", _("Résultat"), "get_outcome_display"),
            Column("commentaire", _("Commentaire"), "comment"),
        ),
        clear=("comment",),
    ),
    Holding(
        model=FollowUpNote,
        to_youth="youth",
        key="entretiens",
        title=_("Entretiens"),
        order=12,
        related=("author",),
        columns=(
            Column("date", _("Date"), "met_on"),
            Column("forme", _("Forme"), "get_channel_display"),
            Column("compte_rendu", _("Compte rendu"), "summary"),
            Column("prochain_rendez_vous", _("Prochain rendez-vous"), "next_appointment_on"),
            Column("auteur", _("Auteur"), "author"),
        ),
        clear=("summary",),
    ),
    Holding(
        model=InCompanyCheckIn,
        to_youth="youth",
        key="suivis_en_entreprise",
        title=_("Suivis en entreprise"),
        order=13,
        related=("recorded_by",),
        columns=(
            Column("embauche", _("Embauche du"), "hired_on"),
            Column("mois", _("Mois après l'embauche"), "months_after"),
            Column("prevu_le", _("Prévu le"), "due_on"),
            Column("etat", _("État"), "get_status_display"),
            Column("realise_le", _("Réalisé le"), "done_on"),
            Column("bilan", _("Bilan"), "get_outcome_display"),
            Column("commentaire", _("Commentaire"), "note"),
            Column("realise_par", _("Réalisé par"), "recorded_by"),
        ),
        clear=("note",),
    ),
    Holding(
        model=MentoringPair,
        to_youth="youth",
        key="parrainages",
        title=_("Parrainages"),
        order=14,
        related=("mentor",),
        columns=(
            Column("parrain", _("Parrain ou marraine"), "mentor"),
            Column("debut", _("Début"), "started_on"),
            Column("fin", _("Fin"), "ended_on"),
            Column("motif_de_fin", _("Motif de fin"), "end_reason"),
        ),
        clear=("end_reason",),
    ),
    Holding(
        model=MentoringMeeting,
        to_youth="pair__youth",
        key="rencontres_de_parrainage",
        title=_("Rencontres de parrainage"),
        order=15,
        related=("pair__mentor", "author"),
        columns=(
            Column("parrain", _("Parrain ou marraine"), "pair.mentor"),
            Column("date", _("Date"), "met_on"),
            Column("note", _("Ce qui a été abordé"), "note"),
            Column("auteur", _("Auteur"), "author"),
        ),
        clear=("note",),
    ),
    Holding(
        model=VaeProject,
        to_youth="youth",
        key="projets_vae",
        title=_("Projets de VAE ou de certification"),
        order=16,
        columns=(
            Column("certification", _("Certification visée"), "certification"),
            Column("certificateur", _("Certificateur"), "certifier"),
            Column("etat", _("État"), "get_status_display"),
            Column("debut", _("Début"), "started_on"),
            Column("jury", _("Jury"), "jury_on"),
            Column("commentaire", _("Commentaire"), "note"),
        ),
        clear=("note",),
    ),
    Holding(
        model=YouthTransfer,
        to_youth="youth",
        key="transferts",
        title=_("Transferts entre missions locales"),
        order=17,
        related=("from_mission_locale", "to_mission_locale", "moved_by"),
        columns=(
            Column("date", _("Date"), "moved_on"),
            Column("de", _("Mission locale d'origine"), "from_mission_locale"),
            Column("vers", _("Nouvelle mission locale"), "to_mission_locale"),
            Column("motif", _("Motif"), "reason"),
            Column("par", _("Par"), "moved_by"),
        ),
        clear=("reason",),
    ),
    # The proof of each consent and withdrawal stays (who, when, how, which notice):
    # only its free note goes.
    Holding(
        model=ConsentRecord,
        to_youth="youth",
        key="consentements",
        title=_("Consentements au partage du profil"),
        order=18,
        related=("recorded_by", "notice"),
        columns=(
            Column("date", _("Date"), "at"),
            Column("objet", _("Objet"), "get_purpose_display"),
            Column("action", _("Action"), "get_action_display"),
            Column("recueilli", _("Recueilli"), "get_method_display"),
            Column(
                "mention_d_information",
                _("Mention d'information remise"),
                lambda record: (
                    f"{record.notice.title} (version {record.notice.version})"
                    if record.notice
                    else None
                ),
            ),
            Column("enregistre_par", _("Enregistré par"), "recorded_by"),
            Column("remarque", _("Remarque"), "note"),
        ),
        clear=("note",),
    ),
    # Who read or exported the file (GDPR Art. 15: the recipients). Ids, kinds and dates
    # only: nothing in it names the youth, so anonymisation leaves it as it is.
    Holding(
        model=AccessLogEntry,
        to_youth="youth",
        key="consultations",
        title=_("Consultations et exports du dossier"),
        order=95,
        related=("user",),
        columns=(
            Column("date", _("Date"), "at"),
            Column("par", _("Par"), "user"),
            Column("acces", _("Accès"), "get_kind_display"),
            Column("lignes", _("Lignes exportées"), "rows"),
        ),
    ),
    # The name search's words, copied from the file's name by the database (PostgreSQL):
    # exported as held; the file's anonymisation empties its name, and the database
    # then deletes them. The rule below empties any still there.
    Holding(
        model=YouthNameWord,
        to_youth="youth",
        key="mots_du_nom",
        title=_("Mots du nom pour la recherche"),
        order=1,
        columns=(
            Column("mot", _("Mot du nom"), "word"),
            Column("mot_precedent", _("Mot du nom qui le précède"), "word_before"),
            Column("nom_sans_accents", _("Nom sans accents"), "search_name"),
        ),
        replace={"word": Value(""), "word_before": Value(""), "search_name": Value("")},
    ),
    # The requests and the journal are the record of how the youth's rights were
    # answered: kept, with the youth's names, email and phone masked in their texts.
    Holding(
        model=SubjectRequest,
        to_youth="youth",
        key="demandes_rgpd",
        title=_("Demandes d'exercice des droits"),
        order=90,
        related=("recorded_by", "handled_by"),
        columns=(
            Column("recue_le", _("Reçue le"), "received_on"),
            Column("droit", _("Droit exercé"), "get_kind_display"),
            Column("demande", _("Ce que demande le jeune"), "details"),
            Column("echeance", _("Réponse due le"), "due_on"),
            Column("enregistree_par", _("Enregistrée par"), "recorded_by"),
            Column("etat", _("État"), "get_status_display"),
            Column("reponse", _("Ce qui a été fait"), "outcome"),
            Column("traitee_par", _("Traitée par"), "handled_by"),
            Column("close_le", _("Close le"), "closed_on"),
        ),
        redact=("details", "outcome"),
    ),
    Holding(
        model=DataSubjectRequest,
        to_youth="youth",
        key="journal_des_demandes",
        title=_("Qui a consulté, exporté ou anonymisé ce dossier"),
        order=99,
        related=("actor",),
        columns=(
            Column("date", _("Date"), "done_at"),
            Column("action", _("Action"), "get_kind_display"),
            Column("par", _("Par"), "actor"),
            Column("motif", _("Motif ou référence"), "reason"),
        ),
        redact=("reason",),
    ),
]


IMPORT_ROW_FIELDS = ("source_rows", "valid_rows", "rejected_rows")


def purge_import_rows(*, identities: dict[int, Identity]) -> int:
    """The rows of a spreadsheet import that name a youth being anonymised (first and
    last name, or email, or phone, in any cell or rejection reason) are removed from the
    batches of every mission locale the youth belonged to: the file's cells kept until
    confirmation, valid rows (a preview not confirmed yet will not bring the youth back),
    rejected ones and those already in the pool. The batch's counts stay. For a whole batch of youths at once (`identities`):
    three queries, whatever their number, and only the imports whose rows are still
    kept (the retention job empties them after 30 days) are read. Returns the rows
    removed."""
    youths_of: dict[int, set[int]] = {}
    pks = list(identities)
    for youth_pk, ml_pk in Youth.objects.filter(pk__in=pks).values_list("pk", "mission_locale_id"):
        youths_of.setdefault(ml_pk, set()).add(youth_pk)
    moves = YouthTransfer.objects.filter(youth_id__in=pks).values_list(
        "youth_id", "from_mission_locale_id"
    )
    for youth_pk, ml_pk in moves:
        youths_of.setdefault(ml_pk, set()).add(youth_pk)
    removed = 0
    changed = []
    batches = (
        ImportBatch.objects.filter(mission_locale_id__in=list(youths_of))
        .exclude(source_rows=[], valid_rows=[], rejected_rows=[])
        .only("pk", "mission_locale_id", "source_rows", "valid_rows", "rejected_rows")
    )
    finders: dict[int, IdentityFinder] = {}
    for batch in batches.iterator(chunk_size=100):
        ml_pk = batch.mission_locale_id
        if ml_pk not in finders:
            finders[ml_pk] = IdentityFinder(identities[pk] for pk in sorted(youths_of[ml_pk]))
        finder = finders[ml_pk]
        dirty = False
        for name in IMPORT_ROW_FIELDS:
            rows = getattr(batch, name) or []
            kept = [row for row in rows if not finder.named_in(" | ".join(texts_in(row)))]
            if len(kept) != len(rows):
                removed += len(rows) - len(kept)
                setattr(batch, name, kept)
                dirty = True
        if dirty:
            changed.append(batch)
    ImportBatch.objects.bulk_update(changed, list(IMPORT_ROW_FIELDS), batch_size=100)
    return removed


BATCH_PURGES = [purge_import_rows]

# What proves the youth is followed (24 months without any: the file is anonymised). The
# file's own dates (registration, last contact, stage, next appointment, CIVIS end) are
# the first row; the planned check-ins and appointments count until they have passed.
ACTIVITY = [
    Activity(
        Youth,
        "pk",
        (
            "registered_on",
            "last_contact_on",
            "stage_changed_on",
            "next_appointment_on",
            "civis_end",
        ),
    ),
    Activity(PathwayEvent, "youth", ("occurred_on",)),
    Activity(Assessment, "youth", ("assessed_on",)),
    Activity(FollowUpNote, "youth", ("met_on", "next_appointment_on")),
    Activity(InCompanyCheckIn, "youth", ("due_on", "done_on")),
    Activity(MentoringPair, "youth", ("started_on", "ended_on")),
    Activity(MentoringMeeting, "pair__youth", ("met_on",)),
    Activity(VaeProject, "youth", ("started_on", "jury_on")),
    Activity(YouthTransfer, "youth", ("moved_on",)),
    Activity(ConsentRecord, "youth", ("at",)),
    Activity(SubjectRequest, "youth", ("received_on", "due_on")),
]
