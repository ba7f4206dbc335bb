"""Demo data of the reporting app: several years of pathway history (youths with generic names) so that
the dashboards show trends, the digest subscriptions, and the national annual review of
last year with its narrative and one generated PDF. Idempotent: the history is marked by
its events' source, the review found again by year and scope."""

from __future__ import annotations

import datetime
import random

from django.db import transaction
from django.utils import timezone

from candidates.enums import ExitReason, PathwayStage, YouthStatus
from candidates.models import PathwayEvent, Youth, refresh_first_in_year
from candidates.text import normalise_name

from . import services
from .enums import DocumentStatus, ReviewSectionKey
from .models import ReviewDocument

HISTORY_SOURCE = "seed:reporting-history"
YEARS_OF_HISTORY = 4
PER_MISSION_LOCALE_AND_YEAR = {"ml_marseille": 140, "ml_aix": 70, "ml_lyon": 90}
NARRATIVE = {
    ReviewSectionKey.COOPERATION: (
        "Le comité de pilotage national s'est réuni comme prévu ; les comités techniques "
        "régionaux se sont tenus chaque trimestre en Provence-Alpes-Côte d'Azur. Les "
        "conseillers des missions locales et le chargé de projet du CEPL se rencontrent "
        "chaque mois pour croiser les offres et les profils."
    ),
    ReviewSectionKey.RECRUITMENT_NEEDS: (
        "Les besoins portent d'abord sur des postes de téléconseillers et de chargés de "
        "clientèle, en contrat à durée indéterminée pour plus de la moitié."
    ),
    ReviewSectionKey.JOINT_ACTIONS: (
        "Les journées portes ouvertes dans les centres de relation client et les rencontres "
        "métiers mensuelles ont fait découvrir le métier à de nombreux jeunes."
    ),
}


def _history(rng: random.Random, demo, today: datetime.date) -> int:
    """Youths of past years (generic names) with their dated pathway events."""
    if PathwayEvent.objects.filter(source=HISTORY_SOURCE).exists():
        return 0
    author = demo.users.get("advisor")
    youths, plans = [], []
    for year in range(today.year - YEARS_OF_HISTORY + 1, today.year + 1):
        for ml_key, count in PER_MISSION_LOCALE_AND_YEAR.items():
            mission_locale = demo.organisations[ml_key]
            # a growing programme: more youths each year
            count = int(count * (1 + 0.15 * (year - today.year + YEARS_OF_HISTORY - 1)))
            for index in range(count):
                registered = datetime.date(year, 1, 1) + datetime.timedelta(days=rng.randrange(365))
                if registered > today:
                    continue
                youths.append(
                    Youth(
                        mission_locale=mission_locale,
                        first_name="Jeune",
                        last_name=f"archivé {year}-{ml_key[3:]}-{index}",
                        search_name=normalise_name(f"archive {year}-{ml_key[3:]}-{index}", "jeune"),
                        birth_date=registered
                        - datetime.timedelta(days=rng.randrange(16 * 365 + 5, 25 * 365)),
                        registered_on=registered,
                        status=YouthStatus.CLOSED if year < today.year - 1 else YouthStatus.ACTIVE,
                        civis_start=registered if rng.random() < 0.3 else None,
                        civis_end=registered + datetime.timedelta(days=365)
                        if rng.random() < 0.3
                        else None,
                    )
                )
                plans.append(registered)
    for youth in youths:
        if youth.civis_start is None:
            youth.civis_end = None
    Youth.objects.bulk_create(youths, batch_size=1000)
    events = []
    steps = [
        (PathwayStage.DISCOVERY, 0.8, (10, 40)),
        (PathwayStage.IMMERSION, 0.7, (15, 60)),
        (PathwayStage.TRAINING, 0.6, (20, 90)),
        (PathwayStage.HIRED, 0.75, (15, 60)),
        (PathwayStage.STABILISED, 0.7, (150, 200)),
    ]
    for youth, registered in zip(youths, plans, strict=True):
        day, previous = registered, ""
        trail = [(PathwayStage.INFORMATION, day)]
        for stage, chance, (low, high) in steps:
            if rng.random() > chance:
                break
            day = day + datetime.timedelta(days=rng.randint(low, high))
            if day > today:
                break
            trail.append((stage, day))
        stage_reached = trail[-1][0]
        if (
            stage_reached not in (PathwayStage.HIRED, PathwayStage.STABILISED)
            and rng.random() < 0.3
        ):
            exit_day = trail[-1][1] + datetime.timedelta(days=rng.randint(20, 120))
            if exit_day <= today:
                trail.append((PathwayStage.EXIT, exit_day))
        for stage, when in trail:
            events.append(
                PathwayEvent(
                    youth=youth,
                    mission_locale_id=youth.mission_locale_id,
                    stage=stage,
                    previous_stage=previous,
                    occurred_on=when,
                    author=author,
                    exit_reason=rng.choice(ExitReason.values) if stage == PathwayStage.EXIT else "",
                    source=HISTORY_SOURCE,
                )
            )
            previous = stage
        youth.current_stage = trail[-1][0]
        youth.stage_changed_on = trail[-1][1]
    PathwayEvent.objects.bulk_create(events, batch_size=2000)
    refresh_first_in_year([youth.pk for youth in youths])  # bulk_create bypasses save()
    Youth.objects.bulk_update(youths, ["current_stage", "stage_changed_on"], batch_size=1000)
    return len(youths)


def _review(demo, today: datetime.date) -> str:
    """Last year's national review, three sections written, one PDF rendered here (a few
    seconds; a worker is not needed for the demo)."""
    author = demo.users["national_cnml"]
    review = services.get_or_create_review(year=today.year - 1)
    for key, text in NARRATIVE.items():
        if not review.sections.filter(key=key).exists():
            services.write_review_section(actor=author, review=review, key=key, text=text)
    paca = services.get_or_create_review(year=today.year - 1, region=demo.regions["93"])
    if not paca.sections.exists():
        services.write_review_section(
            actor=demo.users["project_lead"],
            review=paca,
            key=ReviewSectionKey.COOPERATION,
            text="Le comité d'entreprises régional a réuni huit entreprises du CEPL.",
        )
    if review.documents.filter(status=DocumentStatus.DONE).exists():
        return "review already generated"
    document = ReviewDocument.objects.create(
        review=review, version=(review.documents.count() + 1), requested_by=author
    )
    services.render_review_document(document_id=document.pk)
    return f"review {review.year} v{document.version} generated"


def seed(demo) -> str:
    rng = random.Random(2006_06_07)
    today = timezone.localdate()
    with transaction.atomic():
        created = _history(rng, demo, today)
    review = _review(demo, today)
    return f"{created} youths of past years with their pathway; {review}"
