"""Demo data of the immersion app: a year of sessions of every kind (six months back,
six ahead) in PACA and a few in Lyon, enrolments and attendance, and the PACA immersion
platform of this year at 42 / 50. Idempotent: sessions are found by title and date,
youths by email, contracts by cohort and youth."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from candidates.enums import ConsentMethod, EducationLevel
from candidates.models import Youth
from candidates.services import record_sharing_consent, register_youth
from offers.models import Offer

from . import services
from .enums import (
    Attendance,
    EnrolmentStatus,
    HostAssessment,
    ProgrammeKind,
    SessionStatus,
    audience_of,
)
from .models import CaeContract, Cohort, Enrolment, PoolRequest, Session, SessionLog

COHORT_FILLED = 42
YOUTH_COUNT = 46
FIRST_NAMES = [
    "Inès", "Yanis", "Léa", "Mehdi", "Chloé", "Nassim", "Manon", "Rayan", "Sarah", "Lucas",
    "Amira", "Hugo", "Jade", "Bilal", "Emma", "Sofiane", "Lina", "Théo", "Maëlys", "Ilyes",
    "Camille", "Adam", "Zoé", "Walid", "Eva",
]  # fmt: skip
LAST_NAMES = [
    "Martin", "Bernard", "Haddad", "Petit", "Ferhat", "Robert", "Richard", "Mansouri",
    "Durand", "Lefebvre", "Moreau", "Benyahia", "Simon", "Laurent", "Michel", "Garcia",
    "Diallo", "Roux", "Fontaine", "Chevalier", "Traoré", "Blanc", "Guerin", "Muller", "Henry",
]  # fmt: skip
EMPLOYERS = [
    "Méditel Relation Client",
    "Provence Contact Services",
    "Calanques Assistance",
    "Association Accueil Marseille Nord",
    "Centre communal d'action sociale d'Aix",
]

# (kind, title, host key, city, month offsets from today, hour, capacity)
PROGRAMME = [
    (ProgrammeKind.IMMERSION_PLATFORM, "Accueil de la promotion CAE", "cepl", "Marseille", [-5, 1], 9, 25),
    (ProgrammeKind.IMMERSION_DAY, "Journée d'immersion sur plateau", "company_1", "Marseille", [-5, -3, -1, 0, 2, 4], 9, 2),
    (ProgrammeKind.IMMERSION_DAY, "Immersion service client", "company_3", "Aix-en-Provence", [-4, -2, 1, 3], 9, 3),
    (ProgrammeKind.OPEN_DAY, "Portes ouvertes du centre d'appels", "company_2", "Marseille", [-4, -1, 2, 5], 14, 12),
    (ProgrammeKind.JOB_MEETING, "Rencontre métiers de la relation client", "cepl", "Marseille", list(range(-6, 6)), 14, 30),
    (ProgrammeKind.LUNCH, "Déjeuner jeunes et entreprises", "cepl", "Marseille", [-3, 0, 3], 12, 16),
    (ProgrammeKind.CALL_CENTRE_DAY, "Journée nationale des centres d'appels", "cepl", "Marseille", [-2, 4], 9, 40),
    (ProgrammeKind.TRAINING, "Formation téléconseiller (module 1)", "training_1", "Marseille", [-5, -2, 1, 4], 9, 12),
    (ProgrammeKind.APPRENTICESHIP, "Information alternance : apprentissage", "training_1", "Marseille", [-3, 2], 10, 15),
    (ProgrammeKind.PROFESSIONALISATION, "Contrat de professionnalisation : réunion", "training_1", "Marseille", [-1, 3], 10, 15),
    (ProgrammeKind.GEIQ, "GEIQ relation client : présentation", "training_1", "Marseille", [-4, 2], 14, 15),
    (ProgrammeKind.ADVISOR_INFORMATION, "Réunion d'information des conseillers", "ml_marseille", "Marseille", [-5, -1, 2], 9, 20),
    (ProgrammeKind.ADVISOR_COMPANY_VISIT, "Visite d'entreprise pour conseillers", "company_1", "Marseille", [-2, 3], 10, 8),
    (ProgrammeKind.ADVISOR_IMMERSION, "Immersion des conseillers sur plateau", "company_2", "Marseille", [-3, 4], 9, 4),
    (ProgrammeKind.JOB_MEETING, "Rencontre métiers à Lyon", "network_lyon", "Lyon", [-2, 1, 3], 14, 20),
]  # fmt: skip


def _when(offset_months: int, index: int, hour: int) -> datetime.datetime:
    """A weekday in the month `offset_months` away, spread by `index`."""
    today = timezone.localdate()
    month_index = today.month - 1 + offset_months
    year, month = today.year + month_index // 12, month_index % 12 + 1
    day = datetime.date(year, month, min(5 + 3 * (index % 7), 27))
    while day.weekday() >= 5:
        day += datetime.timedelta(days=1)
    if offset_months == 0:
        day = today + datetime.timedelta(days=10 + index)
        while day.weekday() >= 5:
            day += datetime.timedelta(days=1)
    tz = timezone.get_current_timezone()
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)), tz)


def _youths(demo) -> list[Youth]:
    """The demo youths of Marseille and Aix the sessions and the platform use."""
    youths = []
    today = timezone.localdate()
    for i in range(YOUTH_COUNT):
        email = f"jeune.immersion{i:02d}@demo.portail-convention.fr"
        youth = Youth.objects.filter(email=email).first()
        marseille = i % 3 != 2
        advisor = demo.users["advisor"] if marseille else demo.users["advisor_aix"]
        if youth is None:
            youth = register_youth(
                actor=advisor,
                mission_locale=demo.organisations["ml_marseille" if marseille else "ml_aix"],
                registered_on=today - datetime.timedelta(days=400 - i),
                first_name=FIRST_NAMES[i % len(FIRST_NAMES)],
                last_name=LAST_NAMES[(i * 7) % len(LAST_NAMES)],
                birth_date=datetime.date(today.year - 19 - i % 5, 1 + i % 12, 1 + i % 27),
                email=email,
                city="Marseille" if marseille else "Aix-en-Provence",
                education_level=[EducationLevel.CAP_BEP, EducationLevel.BAC, EducationLevel.BAC_2][
                    i % 3
                ],
                previous_sector=["Vente", "Restauration", "Logistique", "Accueil"][i % 4],
                skills="Accueil du public, écoute, aisance au téléphone",
                advisor=advisor,
            )
            if i % 4 != 3:
                youth = record_sharing_consent(
                    youth=youth, actor=advisor, method=ConsentMethod.SIGNED_FORM
                )
        youths.append(youth)
    return youths


def _past_enrolments(session: Session, youths, lead, advisor) -> None:
    """Enrolments and attendance of a session already held, through the services."""
    people = youths[: session.capacity]
    for youth in people:
        Enrolment.objects.create(
            session=session,
            youth=youth,
            status=EnrolmentStatus.CONFIRMED,
            enrolled_by=youth.advisor,
            queued_at=session.starts_at - datetime.timedelta(days=20),
        )
    session.confirmed_count = len(people)
    session.save(update_fields=["confirmed_count"])
    for i, enrolment in enumerate(session.enrolments.select_related("youth").order_by("pk")):
        attendance = [
            Attendance.ATTENDED,
            Attendance.ATTENDED,
            Attendance.NO_SHOW,
            Attendance.EXCUSED,
        ][i % 4]
        assessment = ""
        if session.has_host_assessment and attendance == Attendance.ATTENDED:
            assessment = [
                HostAssessment.RECOMMEND,
                HostAssessment.TO_CONFIRM,
                HostAssessment.NOT_SUITED,
            ][i % 3]
        services.record_attendance(
            actor=lead,
            enrolment=enrolment,
            attendance=attendance,
            host_assessment=assessment,
            host_comment="Bonne écoute, à l'aise au téléphone." if assessment else "",
        )


def _create_session(kind, title, host, city, starts_at, capacity, lead) -> Session:
    session = Session.objects.create(
        region_id=host.region_id,
        kind=kind,
        audience=audience_of(kind),
        title=title,
        description="Session de démonstration du portail.",
        host=host,
        place=f"{host.name}, {host.postcode} {city}",
        city=city,
        starts_at=starts_at,
        ends_at=starts_at + datetime.timedelta(hours=3),
        capacity=capacity,
        registration_deadline=timezone.localdate(starts_at) - datetime.timedelta(days=3),
        status=SessionStatus.OPEN,
        created_by=lead,
    )
    SessionLog.objects.create(
        session=session,
        actor=lead,
        action="open",
        from_status=SessionStatus.PLANNED,
        to_status=SessionStatus.OPEN,
    )
    return session


@transaction.atomic
def seed(demo) -> str:
    lead = demo.users["project_lead"]
    advisor = demo.users["advisor"]
    youths = _youths(demo)
    created = 0
    now = timezone.now()
    for row, (kind, title, host_key, city, offsets, hour, capacity) in enumerate(PROGRAMME):
        host = demo.organisations[host_key]
        for n, offset in enumerate(offsets):
            starts_at = _when(offset, row + n, hour)
            if Session.objects.filter(title=title, starts_at=starts_at, host=host).exists():
                continue
            created += 1
            session = _create_session(kind, title, host, city, starts_at, capacity, lead)
            if host.region_id != demo.regions["93"].pk:
                continue
            local = [y for y in youths if (row + n + y.pk) % 2 == 0]
            if starts_at < now:
                if session.is_for_advisors:
                    Enrolment.objects.create(
                        session=session,
                        participant=advisor,
                        enrolled_by=advisor,
                        status=EnrolmentStatus.CONFIRMED,
                    )
                    session.confirmed_count = 1
                    session.status = SessionStatus.HELD
                    session.save(update_fields=["confirmed_count", "status"])
                else:
                    _past_enrolments(session, local, lead, advisor)
            elif session.is_for_advisors:
                services.enrol_self(actor=advisor, session=session)
            else:
                mine = [y for y in local if y.advisor_id == advisor.pk][: capacity + 1]
                if mine:
                    services.enrol_youths(actor=advisor, session=session, youths=mine)
    upcoming = (
        Session.objects.filter(region=demo.regions["93"], starts_at__gt=now)
        .exclude(status=SessionStatus.CANCELLED)
        .filter(kind=ProgrammeKind.LUNCH)
        .order_by("-starts_at")
        .first()
    )
    if upcoming and created:
        services.transition_session(
            actor=lead, session=upcoming, action="cancel", reason="Salle indisponible ce jour-là."
        )
    cohort, _ = Cohort.objects.get_or_create(
        region=demo.regions["93"], year=timezone.localdate().year, defaults={"created_by": lead}
    )
    start = timezone.localdate().replace(month=1, day=15)
    for i, youth in enumerate(youths[:COHORT_FILLED]):
        if CaeContract.objects.filter(cohort=cohort, youth=youth).exists():
            continue
        begin = start + datetime.timedelta(days=4 * i)
        services.add_cae_contract(
            actor=youth.advisor,
            cohort=cohort,
            youth=youth,
            employer=EMPLOYERS[i % len(EMPLOYERS)],
            start_on=begin,
            end_on=begin + datetime.timedelta(days=180),
            weekly_hours=[20, 26, 35][i % 3],
        )
    pool_youth = next((y for y in youths[:COHORT_FILLED] if y.has_sharing_consent), None)
    offer = (
        Offer.objects.filter(company=demo.organisations["company_1"])
        .published()
        .order_by("pk")
        .first()
    )
    if pool_youth and offer and not PoolRequest.objects.filter(youth=pool_youth).exists():
        services.request_pool_proposal(
            recruiter=demo.users["recruiter"],
            youth=pool_youth,
            offer=offer,
            message="Profil très intéressant, pouvons-nous le rencontrer ?",
        )
    occupancy = cohort.contracts.count()
    return (
        f"{Session.objects.count()} sessions ({created} new), "
        f"{Enrolment.objects.count()} enrolments, platform {occupancy} / {cohort.size}"
    )
