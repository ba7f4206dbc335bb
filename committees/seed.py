"""Demo data of the committees app: the 2006 convention and its commitments (in French,
from the text), a regional convention, the committees of Article 17 with a year of
meetings, and the Marseille pilot plan of Annex 2 with this year's renewal.
Idempotent: everything is found by its natural key before being created."""

from __future__ import annotations

import datetime

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from . import services
from .enums import (
    ActionItemStatus,
    AttendanceStatus,
    AwarenessAudience,
    CommitmentStatus,
    CommitteeKind,
    CommitteeRole,
    DocumentKind,
    IndicatorKey,
    PlanItemStatus,
    PlanSection,
)
from .models import (
    ActionItem,
    ActionPlan,
    AgendaItem,
    Attendance,
    Commitment,
    CommitmentLog,
    Committee,
    CommitteeMember,
    Convention,
    ConventionRenewal,
    Decision,
    Document,
    Meeting,
    PlanItem,
    PlanItemNote,
    committee_member_users,
)

MET, IN_PROGRESS, NOT_STARTED, NOT_MET = (
    CommitmentStatus.MET,
    CommitmentStatus.IN_PROGRESS,
    CommitmentStatus.NOT_STARTED,
    CommitmentStatus.NOT_MET,
)

# (article, signatory key, text, status, evidence) — the convention's own words.
COMMITMENTS = [
    (
        1,
        "afrc",
        "Communiquer auprès de ses membres et de la presse selon un plan de communication à définir.",
        MET,
        "Plan de communication adopté en comité des signataires ; dossier de presse diffusé.",
    ),
    (
        1,
        "afrc",
        "Inciter ses membres à recruter 1 000 jeunes par an présentant les aptitudes nécessaires pour une intégration réussie et durable dans le secteur.",
        IN_PROGRESS,
        "Suivi mensuel des recrutements dans la synthèse des indicateurs.",
    ),
    (
        1,
        "afrc",
        "Mettre en place un comité de pilotage national des professionnels (en charge des travaux sur les offres de formations, d'analyse des méthodes, de suivi des résultats,...).",
        MET,
        "Comité constitué ; comptes rendus dans le portail.",
    ),
    (1, "afrc", "Favoriser le dépôt des offres auprès du CEPL et du CNML.", IN_PROGRESS, ""),
    (
        2,
        "cnml",
        "Sensibiliser et mobiliser le réseau national des missions locales.",
        MET,
        "Note d'information aux missions locales.",
    ),
    (
        2,
        "cnml",
        "Communiquer sur la convention et son déploiement auprès des ministères, des organismes publics de l'emploi et de la formation, des institutions régionales et auprès de la presse.",
        IN_PROGRESS,
        "",
    ),
    (
        2,
        "cnml",
        "Donner une légitimité à la convention et aux acteurs en la faisant reconnaître officiellement par le ministère, et toute instance et organisme officiel.",
        NOT_STARTED,
        "",
    ),
    (
        2,
        "cnml",
        "Mobiliser et sensibiliser les instances régionales (services de l'Etat, associations et unions régionales des missions locales et PAIO, ...) pour le soutien et la bonne mise en application de cette convention et de son plan d'action.",
        IN_PROGRESS,
        "",
    ),
    (
        2,
        "cnml",
        "Mettre en place et animer le comité de pilotage des signataires.",
        MET,
        "Comité des signataires réuni chaque trimestre.",
    ),
    (
        3,
        "ml_marseille",
        "Informer l'ensemble de ses équipes.",
        MET,
        "Réunion générale d'information des conseillers.",
    ),
    (
        3,
        "ml_marseille",
        "Mettre en place une équipe et une coordination pour la mise en place de la Convention et le suivi de la filière.",
        MET,
        "",
    ),
    (3, "ml_marseille", "Détecter les bons profils.", IN_PROGRESS, ""),
    (3, "ml_marseille", "Proposer la formation adéquate.", IN_PROGRESS, ""),
    (
        3,
        "ml_marseille",
        "Trouver le bon contrat de travail pour l'entreprise et pour le candidat.",
        IN_PROGRESS,
        "",
    ),
    (
        3,
        "ml_marseille",
        "Accompagner l'entreprise au montage du dossier du contrat de travail.",
        IN_PROGRESS,
        "",
    ),
    (
        3,
        "ml_marseille",
        "Suivre le jeune candidat au sein de l'entreprise jusqu'à la stabilisation de son parcours.",
        IN_PROGRESS,
        "",
    ),
    (
        3,
        "ml_marseille",
        "Co-piloter la mise en œuvre de la convention en région, en coordonnant les organismes de l'emploi et de la formation auxquels la mission locale de Marseille aura besoin de faire appel pour répondre à sa mission.",
        IN_PROGRESS,
        "",
    ),
    (3, "ml_marseille", "Mettre en place la méthode.", MET, ""),
    (
        3,
        "ml_marseille",
        "Diffuser cette méthode et les résultats obtenus au plan régional et national.",
        NOT_STARTED,
        "",
    ),
    (
        4,
        "cepl",
        "Confier à un chargé de projet le suivi de la mise en œuvre de la convention.",
        MET,
        "Chargée de projet nommée.",
    ),
    (4, "cepl", "Communiquer auprès des entreprises régionales.", IN_PROGRESS, ""),
    (
        4,
        "cepl",
        "Créer un comité de pilotage des entreprises.",
        MET,
        "Comité d'entreprises PACA constitué.",
    ),
    (
        4,
        "cepl",
        "Créer un comité de pilotage technique (ETM).",
        MET,
        "Comité technique PACA constitué.",
    ),
    (
        4,
        "cepl",
        "Mobiliser les entreprises tout au long du processus de professionnalisation du métier de la relation client.",
        IN_PROGRESS,
        "",
    ),
    (4, "cepl", "Mettre en œuvre le plan d'action.", IN_PROGRESS, ""),
    (
        4,
        "cepl",
        "Détecter les besoins en recrutement des entreprises et réception des offres d'emploi.",
        IN_PROGRESS,
        "",
    ),
    (
        4,
        "cepl",
        "Accompagner les entreprises pour les recrutements de plus de 10 personnes.",
        IN_PROGRESS,
        "",
    ),
    (
        4,
        "cepl",
        "Co-piloter la mise en œuvre de la convention en région dans le cadre du processus de professionnalisation du métier de la relation client.",
        IN_PROGRESS,
        "",
    ),
    (
        4,
        "cepl",
        "Participer à l'application de la méthode et à l'accompagnement des autres régions.",
        NOT_STARTED,
        "",
    ),
    (
        4,
        "cepl",
        "Mettre en place le plan de communication sur le métier.",
        NOT_MET,
        "Financement de la campagne non obtenu cette année.",
    ),
    (
        6,
        "cnml",
        "Informer et sensibiliser les représentants locaux et régionaux des missions locales et PAIO à la problématique particulière des besoins en recrutement et en formation des centres de relation client.",
        IN_PROGRESS,
        "",
    ),
    (
        6,
        "ml_marseille",
        "Faciliter la mobilité professionnelle en recherchant parmi les jeunes demandeurs d'emploi inscrits dans d'autres secteurs, ceux ayant des capacités et des compétences transférables pour exercer un des métiers des centres de relation client.",
        IN_PROGRESS,
        "",
    ),
    (
        6,
        "ml_marseille",
        "Développer des prestations d'évaluation pour repérer chez les candidats les capacités et aptitudes à travailler dans le secteur des centres de relation client.",
        MET,
        "Grille d'évaluation des aptitudes utilisée par les conseillers.",
    ),
    (
        6,
        "ml_marseille",
        "Définir avec les employeurs des parcours qualifiant pour les jeunes demandeurs d'emploi éloignés de ces emplois, avec la mise en place de contrats dans le cadre du Plan de Cohésion Sociale gouvernemental, notamment des contrats d'insertion dans la vie sociale (CIVIS).",
        IN_PROGRESS,
        "",
    ),
    (
        6,
        "ml_marseille",
        "S'assurer de la communication des offres déposées au réseau des missions locales par la profession afin d'y orienter les jeunes demandeurs d'emploi suivis par ce réseau.",
        IN_PROGRESS,
        "",
    ),
    (
        7,
        "afrc",
        "Inciter les entreprises à participer aux journées d'information organisées par les missions locales et le CEPL, y compris par la fourniture de supports, documents d'information...",
        IN_PROGRESS,
        "",
    ),
    (
        7,
        "afrc",
        "Inciter les entreprises à déposer au CEPL et au CNML les offres ouvertes au public « jeune » quelle qu'en soit sa forme (CDI, CDD, stage, contrat de professionnalisation ou d'apprentissage).",
        IN_PROGRESS,
        "",
    ),
    (
        7,
        "afrc",
        "Favoriser l'accueil des nouveaux jeunes au sein des entreprises, en développant le tutorat.",
        NOT_STARTED,
        "",
    ),
    (7, "afrc", "Contribuer à la définition de parcours qualifiants.", IN_PROGRESS, ""),
    (
        7,
        "afrc",
        "Favoriser le développement d'emplois à temps plein notamment par la mise en place de groupements d'employeurs.",
        NOT_STARTED,
        "",
    ),
    (
        7,
        "afrc",
        "Coopérer avec les missions locales pour l'actualisation des communications sur les fiches métiers relatives aux centres de relation client, et à en tenir informés les partenaires pour l'emploi des jeunes.",
        MET,
        "Fiches métiers mises à jour avec la mission locale de Marseille.",
    ),
    (
        8,
        "afrc",
        "Informer les entreprises sur les dispositifs d'aides et d'accompagnement existants.",
        IN_PROGRESS,
        "",
    ),
    (
        8,
        "afrc",
        "Informer l'entreprise sur les dispositions de formation et les parcours professionnels.",
        IN_PROGRESS,
        "",
    ),
    (8, "afrc", "Accompagner les entreprises à détecter les bons profils.", NOT_STARTED, ""),
]

A, B, C, D = (
    AwarenessAudience.ADVISORS,
    AwarenessAudience.YOUTHS,
    AwarenessAudience.COMPANIES,
    AwarenessAudience.COMMUNICATION,
)
S1, S2, S3, S4 = (
    PlanSection.AWARENESS,
    PlanSection.COMPANIES_COMMITTEE,
    PlanSection.IMMERSION,
    PlanSection.OFFERS,
)
DONE, DOING, PLANNED = PlanItemStatus.DONE, PlanItemStatus.IN_PROGRESS, PlanItemStatus.PLANNED

# Annex 2, "Plan d'action pilote au 1er juin 2006":
# (section, audience, title, owner key, (month, day) due, 2006 status, indicator, target)
PILOT_PLAN = [
    (
        S1,
        A,
        "Réunion générale d'information pour les accompagnateurs sur l'environnement des métiers de la relation client et de leurs débouchés.",
        "ml_marseille",
        (7, 13),
        DONE,
        IndicatorKey.ADVISORS_TRAINED,
        40,
    ),
    (
        S1,
        A,
        "Action personnalisée d'information : visite porte ouverte d'entreprises pour une dizaine de personnes nommées par la mission locale.",
        "cepl",
        (9, 29),
        DONE,
        "",
        None,
    ),
    (S1, A, "Stage d'immersion sur site.", "cepl", (10, 31), DONE, "", None),
    (S1, A, "Rencontres avec des professionnels.", "cepl", (11, 30), DOING, "", None),
    (
        S1,
        B,
        "Participation et/ou organisation d'opérations événementielles (journée nationale des centres d'appels).",
        "ml_marseille",
        (10, 12),
        DONE,
        "",
        None,
    ),
    (
        S1,
        B,
        "Rencontres métiers : une ½ journée par mois sur les centres d'appels.",
        "ml_marseille",
        (12, 15),
        DOING,
        IndicatorKey.JOB_MEETINGS_HELD,
        12,
    ),
    (
        S1,
        B,
        "Journées portes ouvertes : visites pour découvrir les centres d'appels (groupes formés et encadrés par les missions locales).",
        "ml_marseille",
        (11, 24),
        DONE,
        IndicatorKey.OPEN_DAYS_HELD,
        6,
    ),
    (S1, B, "Déjeuners entreprises / jeunes.", "cepl", (12, 8), DOING, "", None),
    (
        S1,
        B,
        "Journée(s) d'immersion en entreprise à des fins d'orientation professionnelle, accompagnées par les missions locales.",
        "ml_marseille",
        (12, 20),
        PLANNED,
        "",
        None,
    ),
    (
        S1,
        C,
        "Actions événementielles présentant la convention CNML-AFRC et ce que les missions locales peuvent apporter aux entreprises.",
        "cepl",
        (9, 21),
        DONE,
        "",
        None,
    ),
    (
        S1,
        D,
        "Lancer une campagne de communication et de relation presse : affichage, partenariat média pour communiquer sur la filière.",
        "afrc",
        (12, 31),
        PLANNED,
        "",
        None,
    ),
    (
        S2,
        "",
        "Définir le contenu des tests des plates-formes de vocation.",
        "cepl",
        (9, 30),
        DONE,
        "",
        None,
    ),
    (
        S2,
        "",
        "Évaluation des compétences et des aptitudes par le comité de pilotage entreprise tout au long du processus de professionnalisation.",
        "cepl",
        (12, 15),
        DOING,
        "",
        None,
    ),
    (
        S2,
        "",
        "Sélectionner les profils souhaités pour définir les formations adéquates.",
        "cepl",
        (11, 15),
        DONE,
        "",
        None,
    ),
    (S3, "", "Détecter les besoins de stage.", "ml_marseille", (10, 15), DONE, "", None),
    (
        S3,
        "",
        "Travailler avec l'intérim et les « outsourcers ».",
        "cepl",
        (11, 30),
        DOING,
        "",
        None,
    ),
    (
        S3,
        "",
        "Construire une plate-forme d'immersion (50 CAE de 6 mois).",
        "ml_marseille",
        (12, 31),
        DOING,
        IndicatorKey.IMMERSION_PLATFORM_MEMBERS,
        50,
    ),
    (
        S3,
        "",
        "Construire un GEIQ ou autre initiative répondant aux besoins des employeurs.",
        "cepl",
        (12, 31),
        PLANNED,
        "",
        None,
    ),
    (
        S4,
        "",
        "Groupe de travail : construction de la méthode de diffusion des offres et de recrutement.",
        "cepl",
        (10, 31),
        DONE,
        "",
        None,
    ),
    (
        S4,
        "",
        "Groupe de travail : construction des outils de diffusion des offres.",
        "cepl",
        (12, 15),
        DOING,
        IndicatorKey.OFFERS_REGISTERED,
        100,
    ),
    (
        S4,
        "",
        "Recrutement de jeunes par les entreprises de la filière (objectif national de l'article 1).",
        "afrc",
        (12, 31),
        DOING,
        IndicatorKey.HIRES,
        1000,
    ),
]

MINUTES = [
    """# Relevé de conclusions

Présents : la chargée de projet du CEPL, la directrice et une conseillère de la mission locale de Marseille, le recruteur de Méditel.

## Points abordés
- Lancement de l'action pilote et calendrier des **rencontres métiers** (une demi-journée par mois).
- Présentation de la grille d'évaluation des aptitudes (article 6).

## Suites
Voir les actions ci-dessous. Documents sur le [site du CNML](https://www.cnml.fr/).
""",
    """# Relevé de conclusions

## Points abordés
1. Bilan des premières journées portes ouvertes : 3 visites, 28 jeunes.
2. Besoins de recrutement de Méditel : 15 téléconseillers, accompagnement CEPL (plus de 10 postes, article 4).

Le comité note que les actions de la réunion précédente sont en partie réalisées.
""",
    """# Relevé de conclusions

- La plate-forme d'immersion compte 22 jeunes en CAE sur 50.
- Les rencontres métiers ont réuni en moyenne 14 jeunes.

| Action | Réalisé | Objectif |
|---|---|---|
| Rencontres métiers | 7 | 12 |
| Portes ouvertes | 4 | 6 |
""",
    """# Relevé de conclusions

Préparation du bilan annuel (article 20) et du renouvellement du plan d'action.
Les engagements du CEPL sur la campagne de communication restent à financer.
""",
]

MINIMAL_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def _at(day: datetime.date, hour: int = 14) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))


def _seed_convention(demo) -> Convention:
    orgs = demo.organisations
    national, _created = Convention.objects.get_or_create(
        region=None,
        parent=None,
        defaults={
            "title": "Convention sur la formation et l'emploi des jeunes dans la filière des centres de relation client",
            "signed_on": datetime.date(2006, 6, 7),
            "signed_at_place": "Saint-Denis La Plaine",
            "duration_years": 3,
        },
    )
    national.signatories.add(orgs["cnml"], orgs["afrc"], orgs["ml_marseille"], orgs["cepl"])
    ConventionRenewal.objects.get_or_create(
        convention=national,
        renewed_on=datetime.date(2009, 6, 7),
        defaults={"extra_years": 3, "note": "Reconduction décidée par le comité des signataires."},
    )
    positions: dict[int, int] = {}
    for article, org_key, text, status, evidence in COMMITMENTS:
        positions[article] = positions.get(article, 0) + 1
        commitment, created = Commitment.objects.get_or_create(
            convention=national,
            article=article,
            position=positions[article],
            defaults={
                "signatory": orgs[org_key],
                "text": text,
                "status": status,
                "evidence_text": evidence,
            },
        )
        if created and status != NOT_STARTED:
            log = CommitmentLog.objects.create(
                commitment=commitment,
                actor=demo.users["national_cnml"],
                from_status=NOT_STARTED,
                to_status=status,
                note="Point fait au bilan annuel du comité des signataires (article 20).",
            )
            # Dated at the first annual review, not at seeding time.
            CommitmentLog.objects.filter(pk=log.pk).update(
                created_at=_at(datetime.date(2007, 6, 7), 10)
            )
    regional, _created = Convention.objects.get_or_create(
        region=demo.regions["93"],
        parent=national,
        defaults={
            "title": "Déclinaison régionale Provence-Alpes-Côte d'Azur",
            "signed_on": datetime.date(2007, 3, 15),
            "signed_at_place": "Marseille",
            "duration_years": 3,
        },
    )
    regional.signatories.add(orgs["ml_marseille"], orgs["ml_aix"], orgs["cepl"])
    for position, (org_key, text) in enumerate(
        [
            (
                "cepl",
                "Organiser chaque trimestre une matinée de recrutement dans les quartiers nord de Marseille avec les entreprises du comité.",
            ),
            (
                "ml_aix",
                "Étendre les journées portes ouvertes au Pays d'Aix avec un groupe de dix jeunes par visite.",
            ),
        ],
        start=1,
    ):
        Commitment.objects.get_or_create(
            convention=regional,
            article=19,
            position=position,
            defaults={"signatory": orgs[org_key], "text": text, "is_additional": True},
        )
    return national


def _committee(name, kind, region, description, seats) -> Committee:
    committee, _created = Committee.objects.get_or_create(
        name=name, defaults={"kind": kind, "region": region, "description": description}
    )
    for holder, role in seats:
        if hasattr(holder, "email"):
            CommitteeMember.objects.get_or_create(
                committee=committee, user=holder, defaults={"role": role}
            )
        else:
            CommitteeMember.objects.get_or_create(
                committee=committee, organisation=holder, defaults={"role": role}
            )
    return committee


def _seed_committees(demo) -> dict[str, Committee]:
    orgs, users, paca, aura = demo.organisations, demo.users, demo.regions["93"], demo.regions["84"]
    chair, secretary, member = CommitteeRole.CHAIR, CommitteeRole.SECRETARY, CommitteeRole.MEMBER
    return {
        "signatories": _committee(
            "Comité de pilotage national des signataires",
            CommitteeKind.NATIONAL_SIGNATORIES,
            None,
            "Suivi de la mise en application de la convention et analyse des besoins (art. 17, 18, 20).",
            [
                (users["national_cnml"], chair),
                (users["national_afrc"], secretary),
                (orgs["ml_marseille"], member),
                (orgs["cepl"], member),
            ],
        ),
        "professionals": _committee(
            "Comité de pilotage national des professionnels",
            CommitteeKind.NATIONAL_PROFESSIONALS,
            None,
            "Offres de formation, analyse des méthodes, suivi des résultats (art. 1 et 11).",
            [
                (users["national_afrc"], chair),
                (orgs["company_1"], member),
                (orgs["company_4"], member),
            ],
        ),
        "companies_paca": _committee(
            "Comité d'entreprises Provence-Alpes-Côte d'Azur",
            CommitteeKind.REGIONAL_COMPANIES,
            paca,
            "Besoins en recrutement et en formation, évaluation des candidats (art. 17).",
            [
                (users["project_lead"], chair),
                (users["recruiter"], member),
                (orgs["company_2"], member),
                (orgs["company_3"], member),
            ],
        ),
        "technical_paca": _committee(
            "Comité technique Provence-Alpes-Côte d'Azur",
            CommitteeKind.REGIONAL_TECHNICAL,
            paca,
            "Orientation et suivi du dispositif avec les organismes institutionnels (art. 17).",
            [
                (users["project_lead"], chair),
                (users["ml_manager"], secretary),
                (orgs["ml_aix"], member),
                (orgs["training_1"], member),
            ],
        ),
        "pilot": _committee(
            "Comité de pilotage de l'action pilote de Marseille",
            CommitteeKind.PILOT,
            paca,
            "Autour de la mission locale de Marseille et du CEPL, la mise en œuvre locale des axes de travail.",
            [
                (users["project_lead"], chair),
                (users["ml_manager"], secretary),
                (users["advisor"], member),
                (users["recruiter"], member),
            ],
        ),
        "companies_aura": _committee(
            "Comité d'entreprises Auvergne-Rhône-Alpes",
            CommitteeKind.REGIONAL_COMPANIES,
            aura,
            "Besoins en recrutement des entreprises de la région lyonnaise.",
            [(users["recruiter_lyon"], chair), (orgs["network_lyon"], member)],
        ),
    }


def _seed_plans(demo) -> tuple[ActionPlan, ActionPlan]:
    paca, orgs, lead = demo.regions["93"], demo.organisations, demo.users["project_lead"]
    pilot, _created = ActionPlan.objects.get_or_create(
        region=paca, year=2006, defaults={"title": "Plan d'action pilote 2006 — Marseille"}
    )
    this_year = timezone.localdate().year
    current, _created = ActionPlan.objects.get_or_create(
        region=paca,
        year=this_year,
        defaults={
            "title": f"Plan d'action opérationnel {this_year} — Provence-Alpes-Côte d'Azur",
            "renewed_from": pilot,
        },
    )
    today = timezone.localdate()
    for position, (section, audience, title, owner, (month, day), status, key, target) in enumerate(
        PILOT_PLAN, 1
    ):
        item, created = PlanItem.objects.get_or_create(
            plan=pilot,
            title=title,
            defaults={
                "section": section,
                "audience": audience,
                "position": position,
                "owner_organisation": orgs[owner],
                "due_on": datetime.date(2006, month, day),
                "status": status,
                "indicator_key": key,
                "indicator_target": target,
                "completed_on": datetime.date(2006, month, day) if status == DONE else None,
            },
        )
        if created:
            PlanItemNote.objects.create(
                item=item,
                written_on=datetime.date(2006, 6, 15),
                author=lead,
                text="Action inscrite au plan pilote ; responsable désigné en comité de pilotage.",
            )
            if status != PLANNED:
                PlanItemNote.objects.create(
                    item=item,
                    written_on=datetime.date(2006, max(month - 1, 7), 10),
                    author=lead,
                    text="Réalisée."
                    if status == DONE
                    else "En cours : premières séances organisées.",
                )
        # This year's plan: the same items, spread over the year around today.
        due = today + datetime.timedelta(days=(position * 17) % 240 - 90)
        current_status = (
            DONE
            if due < today - datetime.timedelta(days=30) and position % 3
            else (DOING if position % 2 else PLANNED)
        )
        PlanItem.objects.get_or_create(
            plan=current,
            title=title,
            defaults={
                "section": section,
                "audience": audience,
                "position": position,
                "owner_organisation": orgs[owner],
                "due_on": due,
                "status": current_status,
                "indicator_key": key,
                "indicator_target": target,
                "completed_on": due if current_status == DONE else None,
            },
        )
    return pilot, current


def _seed_meetings(demo, committees, current_plan) -> int:
    users = demo.users
    pilot = committees["pilot"]
    today = timezone.localdate()
    plan_items = list(current_plan.items.order_by("position"))
    meetings = []
    titles = [
        "Réunion de lancement",
        "Réunion trimestrielle n°2",
        "Réunion trimestrielle n°3",
        "Préparation du bilan annuel",
    ]
    offsets = [-330, -240, -150, -60]
    owners = [users["advisor"], users["ml_manager"], users["project_lead"], users["recruiter"]]
    for index, (title, offset) in enumerate(zip(titles, offsets, strict=True)):
        day = today + datetime.timedelta(days=offset)
        meeting, created = Meeting.objects.get_or_create(
            committee=pilot,
            title=title,
            defaults={
                "starts_at": _at(day),
                "duration_minutes": 120,
                "place": "Mission locale de Marseille, Le Noailles, 62 La Canebière, 13001 Marseille",
                "minutes": MINUTES[index],
                "created_by": users["project_lead"],
                "prepared_from": meetings[-1] if meetings else None,
            },
        )
        meetings.append(meeting)
        if not created:
            continue
        AgendaItem.objects.bulk_create(
            AgendaItem(meeting=meeting, position=i, title=t)
            for i, t in enumerate(
                ["Suivi des actions", "Point sur le plan d'action", "Questions diverses"], 1
            )
        )
        Attendance.objects.bulk_create(
            Attendance(
                meeting=meeting,
                user=user,
                status=AttendanceStatus.ABSENT
                if (i + index) % 4 == 3
                else AttendanceStatus.PRESENT,
            )
            for i, user in enumerate(committee_member_users(pilot))
        )
        decision = Decision.objects.create(
            meeting=meeting,
            created_by=users["project_lead"],
            text=[
                "Le comité lance les rencontres métiers mensuelles.",
                "Le CEPL accompagne le recrutement de 15 téléconseillers chez Méditel.",
                "La plate-forme d'immersion est ouverte aux jeunes du Pays d'Aix.",
                "Le plan d'action est reconduit pour l'année suivante.",
            ][index],
        )
        for j in range(2):
            owner = owners[(index + j) % len(owners)]
            due = day + datetime.timedelta(days=45 + 30 * j)
            status = (
                ActionItemStatus.DONE
                if index < 2 or (j == 0 and index == 2)
                else ActionItemStatus.OPEN
            )
            plan_item = plan_items[(index * 2 + j) % len(plan_items)] if plan_items else None
            ActionItem.objects.create(
                committee=pilot,
                meeting=meeting,
                decision=decision if j == 0 else None,
                title=[
                    "Organiser la prochaine rencontre métiers",
                    "Constituer un groupe de dix jeunes pour la porte ouverte",
                    "Transmettre les besoins de recrutement au CEPL",
                    "Mettre à jour les fiches métiers",
                    "Relancer les entreprises pour les offres de stage",
                    "Préparer le tableau des CAE de la plate-forme",
                    "Rédiger le projet de bilan annuel",
                    "Chiffrer la campagne de communication",
                ][index * 2 + j],
                owner=owner,
                due_on=due,
                status=status,
                plan_item=plan_item,
                created_by=users["project_lead"],
                completed_at=_at(due) if status == ActionItemStatus.DONE else None,
            )
        if index == 0 and not meeting.documents.exists():
            document = Document(
                meeting=meeting,
                original_name="ordre-du-jour-lancement.pdf",
                kind=DocumentKind.PDF,
                size=len(MINIMAL_PDF),
                uploaded_by=users["project_lead"],
            )
            document.file.save(document.original_name, ContentFile(MINIMAL_PDF), save=False)
            document.save()
    upcoming_title = "Réunion trimestrielle à venir"
    if not Meeting.objects.filter(committee=pilot, title=upcoming_title).exists():
        # Planned as a project lead plans it: the previous meeting's open actions open
        # the agenda.
        services.schedule_meeting(
            actor=users["project_lead"],
            committee=pilot,
            title=upcoming_title,
            starts_at=_at(today + datetime.timedelta(days=30), 10),
            place="CEPL, 25 boulevard de Louvain, 13008 Marseille",
            video_url="https://visio.example.org/comite-pilote",
            prepare_from_previous=True,
        )
    for key, offsets_ in (
        ("technical_paca", (-200, -50)),
        ("companies_paca", (-170, -20)),
        ("signatories", (-120,)),
        ("companies_aura", (-300,)),
    ):
        committee = committees[key]
        for n, offset in enumerate(offsets_, 1):
            Meeting.objects.get_or_create(
                committee=committee,
                title=f"Réunion n°{n}",
                defaults={
                    "starts_at": _at(today + datetime.timedelta(days=offset)),
                    "video_url": "https://visio.example.org/comites",
                    "minutes": "# Relevé de conclusions\n\n- Tour de table des besoins de recrutement.\n- Point sur les indicateurs du trimestre.",
                    "created_by": users["project_lead"],
                },
            )
    return Meeting.objects.count()


@transaction.atomic
def seed(demo) -> str:
    _seed_convention(demo)
    committees = _seed_committees(demo)
    _pilot_plan, current = _seed_plans(demo)
    meetings = _seed_meetings(demo, committees, current)
    return (
        f"{Committee.objects.count()} committees, {meetings} meetings, "
        f"{ActionItem.objects.count()} action items, {Commitment.objects.count()} commitments, "
        f"{ActionPlan.objects.count()} action plans"
    )
