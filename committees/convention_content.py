"""The convention of 7 June 2006 as the portal carries it in every install: the
national convention, each signatory's commitments (Art. 1-4, 6-8, in the convention's
own words) and the Marseille pilot action plan of Annex 2 ("Plan d'action pilote au
1er juin 2006").

`load_convention()` (command `manage.py load_convention`, run after `migrate`) creates
them with the regions and the signatories, found by natural key, so it is safe to run
again: nothing is duplicated and nothing a user changed since (a status, evidence) is
overwritten. Commitments start "not started" and plan items "planned"; the demo seed
gives them a history on top.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import transaction

from accounts.reference import ensure_regions, ensure_signatories

from .enums import AwarenessAudience, IndicatorKey, PlanSection
from .models import ActionPlan, Commitment, Convention, PlanItem

TITLE = (
    "Convention sur la formation et l'emploi des jeunes dans la filière des centres de "
    "relation client"
)
SIGNED_ON = datetime.date(2006, 6, 7)
SIGNED_AT = "Saint-Denis La Plaine"
DURATION_YEARS = 3
PILOT_REGION = "93"
PILOT_YEAR = 2006
PILOT_PLAN_TITLE = "Plan d'action pilote 2006 — Marseille"

# (article, signatory key, text)
COMMITMENTS = [
    (
        1,
        "afrc",
        "Communiquer auprès de ses membres et de la presse selon un plan de communication à définir.",
    ),
    (
        1,
        "afrc",
        "Inciter ses membres à recruter 1 000 jeunes par an présentant les aptitudes nécessaires pour une intégration réussie et durable dans le secteur.",
    ),
    (
        1,
        "afrc",
        "Mettre en place un comité de pilotage national des professionnels (en charge des travaux sur les offres de formations, d'analyse des méthodes, de suivi des résultats,...).",
    ),
    (1, "afrc", "Favoriser le dépôt des offres auprès du CEPL et du CNML."),
    (2, "cnml", "Sensibiliser et mobiliser le réseau national des missions locales."),
    (
        2,
        "cnml",
        "Communiquer sur la convention et son déploiement auprès des ministères, des organismes publics de l'emploi et de la formation, des institutions régionales et auprès de la presse.",
    ),
    (
        2,
        "cnml",
        "Donner une légitimité à la convention et aux acteurs en la faisant reconnaître officiellement par le ministère, et toute instance et organisme officiel.",
    ),
    (
        2,
        "cnml",
        "Mobiliser et sensibiliser les instances régionales (services de l'Etat, associations et unions régionales des missions locales et PAIO, ...) pour le soutien et la bonne mise en application de cette convention et de son plan d'action.",
    ),
    (2, "cnml", "Mettre en place et animer le comité de pilotage des signataires."),
    (3, "ml_marseille", "Informer l'ensemble de ses équipes."),
    (
        3,
        "ml_marseille",
        "Mettre en place une équipe et une coordination pour la mise en place de la Convention et le suivi de la filière.",
    ),
    (3, "ml_marseille", "Détecter les bons profils."),
    (3, "ml_marseille", "Proposer la formation adéquate."),
    (3, "ml_marseille", "Trouver le bon contrat de travail pour l'entreprise et pour le candidat."),
    (3, "ml_marseille", "Accompagner l'entreprise au montage du dossier du contrat de travail."),
    (
        3,
        "ml_marseille",
        "Suivre le jeune candidat au sein de l'entreprise jusqu'à la stabilisation de son parcours.",
    ),
    (
        3,
        "ml_marseille",
        "Co-piloter la mise en œuvre de la convention en région, en coordonnant les organismes de l'emploi et de la formation auxquels la mission locale de Marseille aura besoin de faire appel pour répondre à sa mission.",
    ),
    (3, "ml_marseille", "Mettre en place la méthode."),
    (
        3,
        "ml_marseille",
        "Diffuser cette méthode et les résultats obtenus au plan régional et national.",
    ),
    (4, "cepl", "Confier à un chargé de projet le suivi de la mise en œuvre de la convention."),
    (4, "cepl", "Communiquer auprès des entreprises régionales."),
    (4, "cepl", "Créer un comité de pilotage des entreprises."),
    (4, "cepl", "Créer un comité de pilotage technique (ETM)."),
    (
        4,
        "cepl",
        "Mobiliser les entreprises tout au long du processus de professionnalisation du métier de la relation client.",
    ),
    (4, "cepl", "Mettre en œuvre le plan d'action."),
    (
        4,
        "cepl",
        "Détecter les besoins en recrutement des entreprises et réception des offres d'emploi.",
    ),
    (4, "cepl", "Accompagner les entreprises pour les recrutements de plus de 10 personnes."),
    (
        4,
        "cepl",
        "Co-piloter la mise en œuvre de la convention en région dans le cadre du processus de professionnalisation du métier de la relation client.",
    ),
    (
        4,
        "cepl",
        "Participer à l'application de la méthode et à l'accompagnement des autres régions.",
    ),
    (4, "cepl", "Mettre en place le plan de communication sur le métier."),
    (
        6,
        "cnml",
        "Informer et sensibiliser les représentants locaux et régionaux des missions locales et PAIO à la problématique particulière des besoins en recrutement et en formation des centres de relation client.",
    ),
    (
        6,
        "ml_marseille",
        "Faciliter la mobilité professionnelle en recherchant parmi les jeunes demandeurs d'emploi inscrits dans d'autres secteurs, ceux ayant des capacités et des compétences transférables pour exercer un des métiers des centres de relation client.",
    ),
    (
        6,
        "ml_marseille",
        "Développer des prestations d'évaluation pour repérer chez les candidats les capacités et aptitudes à travailler dans le secteur des centres de relation client.",
    ),
    (
        6,
        "ml_marseille",
        "Définir avec les employeurs des parcours qualifiant pour les jeunes demandeurs d'emploi éloignés de ces emplois, avec la mise en place de contrats dans le cadre du Plan de Cohésion Sociale gouvernemental, notamment des contrats d'insertion dans la vie sociale (CIVIS).",
    ),
    (
        6,
        "ml_marseille",
        "S'assurer de la communication des offres déposées au réseau des missions locales par la profession afin d'y orienter les jeunes demandeurs d'emploi suivis par ce réseau.",
    ),
    (
        7,
        "afrc",
        "Inciter les entreprises à participer aux journées d'information organisées par les missions locales et le CEPL, y compris par la fourniture de supports, documents d'information...",
    ),
    (
        7,
        "afrc",
        "Inciter les entreprises à déposer au CEPL et au CNML les offres ouvertes au public « jeune » quelle qu'en soit sa forme (CDI, CDD, stage, contrat de professionnalisation ou d'apprentissage).",
    ),
    (
        7,
        "afrc",
        "Favoriser l'accueil des nouveaux jeunes au sein des entreprises, en développant le tutorat.",
    ),
    (7, "afrc", "Contribuer à la définition de parcours qualifiants."),
    (
        7,
        "afrc",
        "Favoriser le développement d'emplois à temps plein notamment par la mise en place de groupements d'employeurs.",
    ),
    (
        7,
        "afrc",
        "Coopérer avec les missions locales pour l'actualisation des communications sur les fiches métiers relatives aux centres de relation client, et à en tenir informés les partenaires pour l'emploi des jeunes.",
    ),
    (
        8,
        "afrc",
        "Informer les entreprises sur les dispositifs d'aides et d'accompagnement existants.",
    ),
    (
        8,
        "afrc",
        "Informer l'entreprise sur les dispositions de formation et les parcours professionnels.",
    ),
    (8, "afrc", "Accompagner les entreprises à détecter les bons profils."),
]

# Annex 2: (section, audience, title, owner key, (month, day) due in 2006, indicator, target)
PILOT_PLAN = [
    (
        PlanSection.AWARENESS,
        AwarenessAudience.ADVISORS,
        "Réunion générale d'information pour les accompagnateurs sur l'environnement des métiers de la relation client et de leurs débouchés.",
        "ml_marseille",
        (7, 13),
        IndicatorKey.ADVISORS_TRAINED,
        40,
    ),
    (
        PlanSection.AWARENESS,
        AwarenessAudience.ADVISORS,
        "Action personnalisée d'information : visite porte ouverte d'entreprises pour une dizaine de personnes nommées par la mission locale.",
        "cepl",
        (9, 29),
        "",
        None,
    ),
    (
        PlanSection.AWARENESS,
        AwarenessAudience.ADVISORS,
        "Stage d'immersion sur site.",
        "cepl",
        (10, 31),
        "",
        None,
    ),
    (
        PlanSection.AWARENESS,
        AwarenessAudience.ADVISORS,
        "Rencontres avec des professionnels.",
        "cepl",
        (11, 30),
        "",
        None,
    ),
    (
        PlanSection.AWARENESS,
        AwarenessAudience.YOUTHS,
        "Participation et/ou organisation d'opérations événementielles (journée nationale des centres d'appels).",
        "ml_marseille",
        (10, 12),
        "",
        None,
    ),
    (
        PlanSection.AWARENESS,
        AwarenessAudience.YOUTHS,
        "Rencontres métiers : une ½ journée par mois sur les centres d'appels.",
        "ml_marseille",
        (12, 15),
        IndicatorKey.JOB_MEETINGS_HELD,
        12,
    ),
    (
        PlanSection.AWARENESS,
        AwarenessAudience.YOUTHS,
        "Journées portes ouvertes : visites pour découvrir les centres d'appels (groupes formés et encadrés par les missions locales).",
        "ml_marseille",
        (11, 24),
        IndicatorKey.OPEN_DAYS_HELD,
        6,
    ),
    (
        PlanSection.AWARENESS,
        AwarenessAudience.YOUTHS,
        "Déjeuners entreprises / jeunes.",
        "cepl",
        (12, 8),
        "",
        None,
    ),
    (
        PlanSection.AWARENESS,
        AwarenessAudience.YOUTHS,
        "Journée(s) d'immersion en entreprise à des fins d'orientation professionnelle, accompagnées par les missions locales.",
        "ml_marseille",
        (12, 20),
        "",
        None,
    ),
    (
        PlanSection.AWARENESS,
        AwarenessAudience.COMPANIES,
        "Actions événementielles présentant la convention CNML-AFRC et ce que les missions locales peuvent apporter aux entreprises.",
        "cepl",
        (9, 21),
        "",
        None,
    ),
    (
        PlanSection.AWARENESS,
        AwarenessAudience.COMMUNICATION,
        "Lancer une campagne de communication et de relation presse : affichage, partenariat média pour communiquer sur la filière.",
        "afrc",
        (12, 31),
        "",
        None,
    ),
    (
        PlanSection.COMPANIES_COMMITTEE,
        "",
        "Définir le contenu des tests des plates-formes de vocation.",
        "cepl",
        (9, 30),
        "",
        None,
    ),
    (
        PlanSection.COMPANIES_COMMITTEE,
        "",
        "Évaluation des compétences et des aptitudes par le comité de pilotage entreprise tout au long du processus de professionnalisation.",
        "cepl",
        (12, 15),
        "",
        None,
    ),
    (
        PlanSection.COMPANIES_COMMITTEE,
        "",
        "Sélectionner les profils souhaités pour définir les formations adéquates.",
        "cepl",
        (11, 15),
        "",
        None,
    ),
    (
        PlanSection.IMMERSION,
        "",
        "Détecter les besoins de stage.",
        "ml_marseille",
        (10, 15),
        "",
        None,
    ),
    (
        PlanSection.IMMERSION,
        "",
        "Travailler avec l'intérim et les « outsourcers ».",
        "cepl",
        (11, 30),
        "",
        None,
    ),
    (
        PlanSection.IMMERSION,
        "",
        "Construire une plate-forme d'immersion (50 CAE de 6 mois).",
        "ml_marseille",
        (12, 31),
        IndicatorKey.IMMERSION_PLATFORM_MEMBERS,
        50,
    ),
    (
        PlanSection.IMMERSION,
        "",
        "Construire un GEIQ ou autre initiative répondant aux besoins des employeurs.",
        "cepl",
        (12, 31),
        "",
        None,
    ),
    (
        PlanSection.OFFERS,
        "",
        "Groupe de travail : construction de la méthode de diffusion des offres et de recrutement.",
        "cepl",
        (10, 31),
        "",
        None,
    ),
    (
        PlanSection.OFFERS,
        "",
        "Groupe de travail : construction des outils de diffusion des offres.",
        "cepl",
        (12, 15),
        IndicatorKey.OFFERS_REGISTERED,
        100,
    ),
    (
        PlanSection.OFFERS,
        "",
        "Recrutement de jeunes par les entreprises de la filière (objectif national de l'article 1).",
        "afrc",
        (12, 31),
        IndicatorKey.HIRES,
        1000,
    ),
]


@dataclass(frozen=True)
class LoadedConvention:
    convention: Convention
    pilot_plan: ActionPlan
    signatories: dict
    regions: dict


@transaction.atomic
def load_convention() -> LoadedConvention:
    """Create what is missing of the convention, its commitments and the pilot plan."""
    regions = ensure_regions()
    signatories = ensure_signatories(regions)
    convention, _created = Convention.objects.get_or_create(
        region=None,
        parent=None,
        defaults={
            "title": TITLE,
            "signed_on": SIGNED_ON,
            "signed_at_place": SIGNED_AT,
            "duration_years": DURATION_YEARS,
        },
    )
    convention.signatories.add(*signatories.values())
    positions: dict[int, int] = {}
    for article, signatory, text in COMMITMENTS:
        positions[article] = positions.get(article, 0) + 1
        Commitment.objects.get_or_create(
            convention=convention,
            article=article,
            position=positions[article],
            defaults={"signatory": signatories[signatory], "text": text},
        )
    pilot, _created = ActionPlan.objects.get_or_create(
        region=regions[PILOT_REGION], year=PILOT_YEAR, defaults={"title": PILOT_PLAN_TITLE}
    )
    for position, (section, audience, title, owner, (month, day), key, target) in enumerate(
        PILOT_PLAN, 1
    ):
        PlanItem.objects.get_or_create(
            plan=pilot,
            title=title,
            defaults={
                "section": section,
                "audience": audience,
                "position": position,
                "owner_organisation": signatories[owner],
                "due_on": datetime.date(PILOT_YEAR, month, day),
                "indicator_key": key,
                "indicator_target": target,
            },
        )
    return LoadedConvention(
        convention=convention, pilot_plan=pilot, signatories=signatories, regions=regions
    )
