"""Demo data of the candidate pool: about 200 youths over the three demo missions
locales, spread over the pathway, with assessments, follow-up notes, mentors and VAE
projects. Idempotent: each youth is found again by name and birth date."""

from __future__ import annotations

import random
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from .enums import (
    AssessmentMethod,
    AssessmentOutcome,
    Availability,
    ConsentMethod,
    ContractType,
    EducationLevel,
    ExitReason,
    MentorKind,
    Mobility,
    NoteChannel,
    PathwayStage,
    VaeStatus,
)
from .models import SCORE_FIELDS, Mentor, Youth
from .services import (
    add_follow_up_note,
    pair_mentor,
    record_assessment,
    record_pathway_event,
    record_sharing_consent,
    register_youth,
    save_mentor,
    save_vae_project,
)
from .text import normalise_name

FIRST_NAMES = [
    "Inès",
    "Yanis",
    "Léa",
    "Mehdi",
    "Chloé",
    "Karim",
    "Sarah",
    "Lucas",
    "Amira",
    "Hugo",
    "Jade",
    "Nassim",
    "Manon",
    "Rayan",
    "Camille",
    "Sofiane",
    "Océane",
    "Théo",
    "Lina",
    "Bilal",
]
LAST_NAMES = [
    "Martin",
    "Benali",
    "Rossi",
    "Nguyen",
    "Haddad",
    "Lefèvre",
    "Garcia",
    "Mercier",
    "Diallo",
    "Fabre",
    "Bouzid",
    "Roux",
    "Amrani",
    "Giraud",
    "Ferrand",
    "Cohen",
    "Traoré",
    "Blanc",
]
# Some youths look for given contracts, others have no preference (empty list). Taken
# by index, not drawn, so the other random draws of the demo stay as they were.
CONTRACT_WISHES = [
    [ContractType.CDI],
    [],
    [ContractType.CDI, ContractType.CDD],
    [ContractType.APPRENTICESHIP, ContractType.PROFESSIONALISATION],
    [],
    [ContractType.CDD, ContractType.TEMPORARY],
    [ContractType.CDI, ContractType.PROFESSIONALISATION],
]
SECTORS = ["Vente", "Restauration", "Logistique", "Hôtellerie", "Sans expérience", "Animation"]
SKILLS = [
    "Accueil du public, caisse",
    "Conseil client en magasin",
    "Prise de commandes par téléphone",
    "Bureautique, saisie",
    "Travail en équipe, horaires décalés",
]
# (stage to reach, how many youths out of 20)
STAGE_MIX = [
    (PathwayStage.INFORMATION, 4),
    (PathwayStage.DISCOVERY, 4),
    (PathwayStage.IMMERSION, 3),
    (PathwayStage.TRAINING, 3),
    (PathwayStage.HIRED, 3),
    (PathwayStage.STABILISED, 2),
    (PathwayStage.EXIT, 1),
]
PATHS = {
    PathwayStage.INFORMATION: [],
    PathwayStage.DISCOVERY: [PathwayStage.DISCOVERY],
    PathwayStage.IMMERSION: [PathwayStage.DISCOVERY, PathwayStage.IMMERSION],
    PathwayStage.TRAINING: [PathwayStage.DISCOVERY, PathwayStage.IMMERSION, PathwayStage.TRAINING],
    PathwayStage.HIRED: [PathwayStage.DISCOVERY, PathwayStage.IMMERSION, PathwayStage.HIRED],
    PathwayStage.STABILISED: [
        PathwayStage.DISCOVERY,
        PathwayStage.IMMERSION,
        PathwayStage.HIRED,
        PathwayStage.STABILISED,
    ],
    PathwayStage.EXIT: [PathwayStage.DISCOVERY, PathwayStage.EXIT],
}
MENTORS = [
    ("Michel", "Arnaud", MentorKind.RETIRED, "Ancien directeur de centre d'appels"),
    ("Sylvie", "Bonnet", MentorKind.ACTIVE, "Superviseure en relation client"),
    ("Gérard", "Colin", MentorKind.RETIRED, "Ancien responsable des ressources humaines"),
]
# mission locale key -> (advisor user keys, number of youths)
POOLS = {
    "ml_marseille": (("advisor", "ml_manager"), 140),
    "ml_aix": (("advisor_aix",), 40),
    "ml_lyon": ((), 20),
}


def _mentors(mission_locale, author) -> list[Mentor]:
    mentors = []
    for first, last, kind, occupation in MENTORS:
        mentor = Mentor.objects.filter(
            mission_locale=mission_locale, first_name=first, last_name=last
        ).first()
        if mentor is None:
            mentor = save_mentor(
                actor=author,
                mission_locale=mission_locale,
                first_name=first,
                last_name=last,
                kind=kind,
                occupation=occupation,
                charter_signed_on=timezone.localdate() - timedelta(days=400),
            )
        mentors.append(mentor)
    return mentors


def _seed_youth(ml_key, index, mission_locale, advisor, author, mentors, today) -> bool:
    """One demo youth, found again by its email (names and dates depend on the day)."""
    rng = random.Random(f"{ml_key}-{index}")
    first = FIRST_NAMES[index % len(FIRST_NAMES)]
    last = LAST_NAMES[(index * 7 + len(ml_key)) % len(LAST_NAMES)]
    email = f"{normalise_name(first)}.{normalise_name(last)}.{ml_key}{index}@exemple.fr".replace(
        " ", "-"
    )
    if Youth.objects.filter(mission_locale=mission_locale, email=email).exists():
        return False
    birth_date = today - timedelta(days=rng.randint(17 * 365 + 200, 24 * 365))
    stage = [s for s, n in STAGE_MIX for _ in range(n)][index % 20]
    steps = PATHS[stage]
    registered_on = today - timedelta(
        days=rng.randint(40 * (len(steps) + 1), 60 * (len(steps) + 2))
    )
    civis = rng.random() < 0.3
    youth = register_youth(
        actor=author,
        mission_locale=mission_locale,
        registered_on=registered_on,
        first_name=first,
        last_name=last,
        birth_date=birth_date,
        email=email,
        phone=f"06{rng.randint(10_000_000, 99_999_999)}",
        postcode=mission_locale.postcode or "13001",
        city=mission_locale.city,
        education_level=rng.choice(EducationLevel.values),
        previous_sector=rng.choice(SECTORS),
        skills=rng.choice(SKILLS),
        mobility=rng.choice(Mobility.values),
        availability=rng.choice(Availability.values),
        contract_wishes=CONTRACT_WISHES[index % len(CONTRACT_WISHES)],
        civis_start=registered_on if civis else None,
        civis_end=registered_on + timedelta(days=365) if civis else None,
        advisor=advisor,
    )
    day = registered_on
    if rng.random() < 0.6:
        record_sharing_consent(youth=youth, actor=author, method=ConsentMethod.SIGNED_FORM)
    if stage != PathwayStage.INFORMATION or rng.random() < 0.5:
        scores = {name: rng.randint(2, 5) for name in SCORE_FIELDS}
        average = sum(scores.values()) / len(scores)
        outcome = (
            AssessmentOutcome.FAVOURABLE
            if average >= 3.8
            else AssessmentOutcome.WITH_TRAINING
            if average >= 3
            else AssessmentOutcome.NOT_YET
        )
        record_assessment(
            youth=youth,
            actor=author,
            assessed_on=day + timedelta(days=7),
            method=rng.choice(AssessmentMethod.values),
            scores=scores,
            outcome=outcome,
            comment="Bonne élocution, à l'aise au téléphone." if average >= 3.8 else "",
        )
    for step in steps:
        day += timedelta(days=rng.randint(30, 50))
        record_pathway_event(
            youth=youth,
            stage=step,
            actor=author,
            occurred_on=min(day, today),
            note="",
            source="Contrat CDI téléconseiller (démo)" if step == PathwayStage.HIRED else "",
            exit_reason=ExitReason.OTHER_JOB if step == PathwayStage.EXIT else "",
        )
    for n in range(rng.randint(1, 3)):
        met_on = min(registered_on + timedelta(days=20 + 25 * n), today)
        last_note = n == 2 or rng.random() < 0.4
        add_follow_up_note(
            youth=youth,
            actor=author,
            met_on=met_on,
            channel=rng.choice(NoteChannel.values),
            summary=rng.choice(
                [
                    "Point sur le projet professionnel : la relation client l'intéresse.",
                    "Préparation de l'entretien d'embauche, simulation d'appel.",
                    "Démarches administratives et mobilité.",
                ]
            ),
            next_appointment_on=today + timedelta(days=rng.randint(0, 6)) if last_note else None,
        )
    if index % 9 == 0 and stage not in (PathwayStage.EXIT,):
        pair_mentor(
            youth=youth,
            mentor=mentors[index % len(mentors)],
            started_on=min(registered_on + timedelta(days=30), today),
            actor=author,
        )
    if index % 15 == 0:
        save_vae_project(
            youth=youth,
            actor=author,
            certification="Titre professionnel Conseiller relation client à distance",
            certifier="Ministère du Travail",
            status=rng.choice([VaeStatus.PROJECT, VaeStatus.ADMISSIBLE, VaeStatus.FILE_SUBMITTED]),
            started_on=min(registered_on + timedelta(days=60), today),
        )
    return True


def seed(demo) -> str:
    today = timezone.localdate()
    created = 0
    with transaction.atomic():
        for ml_key, (advisor_keys, count) in POOLS.items():
            mission_locale = demo.organisations[ml_key]
            advisors = [demo.users[k] for k in advisor_keys if k in demo.users]
            author = advisors[0] if advisors else demo.users["admin"]
            mentors = _mentors(mission_locale, author)
            for index in range(count):
                advisor = advisors[index % len(advisors)] if advisors else None
                created += _seed_youth(
                    ml_key, index, mission_locale, advisor, author, mentors, today
                )
    total = Youth.objects.count()
    return f"{created} youths created ({total} in the pools), with assessments, notes, mentors and VAE projects"
