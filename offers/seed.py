"""Demo data of the offers app: offers of the PACA and Lyon companies in every state,
with proposals at every stage and hires (their pathway events and check-ins), made
through the services so the logs read as real ones. Idempotent: an offer is found by
its company and its description's first line before anything is created."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from candidates.enums import (
    AssessmentOutcome,
    Availability,
    ConsentMethod,
    EducationLevel,
    Mobility,
)
from candidates.models import Youth
from candidates.text import normalise_name

from . import services
from .enums import ContractType, DeclineReason, OfferStatus
from .models import JobRole, Offer
from .reference import ensure_job_roles

# (first name, last name, years old, skills, availability, mobility, postcode, outcome)
DEMO_YOUTHS = [
    (
        "Inès",
        "Benhamou",
        21,
        "Accueil du public, téléphone, caisse",
        Availability.IMMEDIATE,
        Mobility.PUBLIC_TRANSPORT,
        "13003",
        AssessmentOutcome.FAVOURABLE,
    ),
    (
        "Yanis",
        "Moulin",
        19,
        "Vente en magasin, relation client",
        Availability.WITHIN_MONTH,
        Mobility.LOCAL,
        "13015",
        AssessmentOutcome.FAVOURABLE,
    ),
    (
        "Lucie",
        "Garnier",
        23,
        "Standard téléphonique, bureautique",
        Availability.IMMEDIATE,
        Mobility.VEHICLE,
        "13100",
        AssessmentOutcome.WITH_TRAINING,
    ),
    (
        "Mehdi",
        "Chabane",
        20,
        "Livraison, écoute",
        Availability.PART_TIME,
        Mobility.DRIVING_LICENCE,
        "13010",
        AssessmentOutcome.NOT_YET,
    ),
    (
        "Sarah",
        "Lopez",
        22,
        "Conseil clientèle, réclamation, vente",
        Availability.IMMEDIATE,
        Mobility.PUBLIC_TRANSPORT,
        "13015",
        AssessmentOutcome.FAVOURABLE,
    ),
    (
        "Kevin",
        "Marchand",
        24,
        "Informatique, dépannage, téléphone",
        Availability.WITHIN_MONTH,
        Mobility.PUBLIC_TRANSPORT,
        "13001",
        AssessmentOutcome.FAVOURABLE,
    ),
    (
        "Amina",
        "Diallo",
        18,
        "Accueil, animation",
        Availability.IMMEDIATE,
        Mobility.LOCAL,
        "13002",
        AssessmentOutcome.WITH_TRAINING,
    ),
    (
        "Thomas",
        "Roux",
        25,
        "Encadrement d'équipe, vente",
        Availability.LATER,
        Mobility.VEHICLE,
        "13290",
        AssessmentOutcome.FAVOURABLE,
    ),
]


def _youths(demo) -> list[Youth]:
    ml = demo.organisations["ml_marseille"]
    advisor = demo.users["advisor"]
    today = timezone.localdate()
    youths = []
    for first, last, age, skills, availability, mobility, postcode, outcome in DEMO_YOUTHS:
        birth_date = today.replace(year=today.year - age) - timedelta(days=40)
        youth = Youth.objects.filter(
            mission_locale=ml, search_name=normalise_name(last, first)
        ).first()
        if youth is None:
            youth = _register_demo_youth(
                ml,
                advisor,
                first,
                last,
                birth_date,
                skills,
                availability,
                mobility,
                postcode,
                outcome,
            )
        youths.append(youth)
    return youths


def _register_demo_youth(
    ml, advisor, first, last, birth_date, skills, availability, mobility, postcode, outcome
) -> Youth:
    """Register a consenting youth through the candidate pool's services."""
    from candidates.services import record_sharing_consent, register_youth

    youth = register_youth(
        actor=advisor,
        mission_locale=ml,
        registered_on=timezone.localdate() - timedelta(days=120),
        first_name=first,
        last_name=last,
        birth_date=birth_date,
        email=f"{normalise_name(first)}.{normalise_name(last)}@exemple.fr".replace(" ", ""),
        phone="0612345678",
        postcode=postcode,
        city="Marseille" if postcode.startswith("130") else "Aix-en-Provence",
        education_level=EducationLevel.BAC,
        previous_sector="Commerce",
        skills=skills,
        availability=availability,
        mobility=mobility,
        advisor=advisor,
    )
    record_sharing_consent(youth=youth, actor=advisor, method=ConsentMethod.SIGNED_FORM)
    # The latest assessment outcome is a copy kept by the candidate pool; the demo sets it.
    Youth.objects.filter(pk=youth.pk).update(last_assessment_outcome=outcome)
    youth.refresh_from_db()
    return youth


# (company key, role name prefix, contract, positions, hours, postcode, city, headline, target)
DEMO_OFFERS = [
    (
        "company_1",
        "Téléconseiller",
        ContractType.CDI,
        3,
        35,
        "13015",
        "Marseille",
        "Téléconseillers en réception d'appels (énergie)",
        "published",
    ),
    (
        "company_1",
        "Chargé(e) de clientèle",
        ContractType.CDD,
        2,
        35,
        "13015",
        "Marseille",
        "Chargés de clientèle pour un contrat de six mois",
        "filled",
    ),
    (
        "company_2",
        "Téléconseiller",
        ContractType.PROFESSIONALISATION,
        12,
        35,
        "13010",
        "Marseille",
        "Plateau de 12 téléconseillers en alternance (ouverture d'un site)",
        "published_large",
    ),
    (
        "company_2",
        "Chargé(e) d'accueil",
        ContractType.CDD,
        2,
        24,
        "13010",
        "Marseille",
        "Accueil téléphonique à temps partiel",
        "partly_filled",
    ),
    (
        "company_3",
        "Conseiller / conseillère de vente",
        ContractType.TEMPORARY,
        4,
        35,
        "13290",
        "Aix-en-Provence",
        "Vente à distance, mission d'intérim de trois mois",
        "expired",
    ),
    (
        "company_3",
        "Chargé(e) d'assistance",
        ContractType.CDI,
        1,
        35,
        "13290",
        "Aix-en-Provence",
        "Technicien de hotline débutant",
        "closed_unfilled",
    ),
    (
        "company_1",
        "Superviseur",
        ContractType.CDI,
        1,
        35,
        "13015",
        "Marseille",
        "Superviseur d'équipe (évolution interne possible)",
        "submitted",
    ),
    (
        "company_1",
        "Chargé(e) de recouvrement",
        ContractType.CAE,
        1,
        26,
        "13015",
        "Marseille",
        "Recouvrement amiable en CAE",
        "sent_back",
    ),
    (
        "company_2",
        "Téléconseiller",
        ContractType.INTERNSHIP,
        2,
        35,
        "13010",
        "Marseille",
        "Stage de découverte du métier",
        "withdrawn",
    ),
    (
        "company_1",
        "Chargé(e) d'accueil",
        ContractType.APPRENTICESHIP,
        1,
        35,
        "13015",
        "Marseille",
        "Apprenti(e) chargé(e) d'accueil",
        "draft",
    ),
    (
        "company_4",
        "Téléconseiller",
        ContractType.CDI,
        5,
        35,
        "69007",
        "Lyon",
        "Téléconseillers pour un service client bancaire",
        "published",
    ),
]


def _role(prefix: str) -> JobRole:
    return JobRole.objects.filter(name__startswith=prefix).order_by("order").first() or (
        JobRole.objects.order_by("order").first()
    )


def _offer(demo, row) -> tuple[Offer, bool]:
    key, role, contract, positions, hours, postcode, city, headline, _target = row
    company = demo.organisations[key]
    existing = Offer.objects.filter(company=company, description__startswith=headline).first()
    if existing:
        return existing, False
    today = timezone.localdate()
    recruiter = _recruiter_of(demo, company)
    offer = services.create_offer(
        actor=recruiter,
        company=company,
        job_role=_role(role),
        contract_type=contract,
        positions=positions,
        weekly_hours=hours,
        postcode=postcode,
        city=city,
        start_date=today + timedelta(days=21),
        closing_date=today + timedelta(days=45),
        description=f"{headline}.\nFormation interne de deux semaines, tutorat les premiers mois.",
        requirements="Aisance à l'oral, envie d'aider les clients. Débutants bienvenus.",
    )
    return offer, True


def _recruiter_of(demo, company):
    """The company's demo recruiter, or the admin for companies without one."""
    from accounts.models import User

    return (
        User.objects.filter(memberships__organisation=company, memberships__role="recruiter")
        .order_by("pk")
        .first()
        or demo.users["admin"]
    )


def _lead_for(demo, offer: Offer):
    from accounts.models import User

    return (
        User.objects.filter(
            memberships__organisation__region=offer.region, memberships__role="project_lead"
        )
        .order_by("pk")
        .first()
        or demo.users["admin"]
    )


def _interview_time(*, days: int):
    """A demo interview `days` from today at 10:00, Paris time."""
    day = timezone.localdate() + timedelta(days=days)
    return timezone.make_aware(timezone.datetime(day.year, day.month, day.day, 10, 0))


def _bring_to(demo, offer: Offer, target: str, youths: list[Youth]) -> None:
    recruiter, lead = _recruiter_of(demo, offer.company), _lead_for(demo, offer)
    advisor = demo.users["advisor"]
    if target == "draft":
        return
    services.submit_offer(offer=offer, actor=recruiter)
    if target == "sent_back":
        services.send_back_offer(
            offer=offer,
            actor=lead,
            reason="Précisez les horaires (le CAE est limité à 26 h) et le tutorat prévu.",
        )
        return
    if target == "submitted":
        return
    if target == "withdrawn":
        services.withdraw_offer(
            offer=offer, actor=recruiter, reason="Besoin reporté à l'an prochain."
        )
        return
    services.publish_offer(offer=offer, actor=lead)
    if offer.region_id != demo.regions["93"].pk:
        return
    free = [y for y in youths if y.current_stage not in ("hired", "stabilised", "exit")]
    if target in ("published", "published_large"):
        picks = free[:4]
        proposals = [services.propose_youth(offer=offer, youth=y, actor=advisor) for y in picks]
        if len(proposals) >= 3:
            services.mark_proposal_seen(proposal=proposals[0], actor=recruiter)
            services.invite_to_interview(
                proposal=proposals[1],
                actor=recruiter,
                starts_at=_interview_time(days=3),
                place=f"{offer.company.name}, accueil du centre de relation client",
                note="Merci de venir avec un CV.",
            )
            services.decline_proposal(
                proposal=proposals[2],
                actor=recruiter,
                decline_reason=DeclineReason.SCHEDULE,
                note="Horaires du soir impossibles.",
            )
        return
    if target in ("filled", "partly_filled"):
        to_hire = offer.positions if target == "filled" else 1
        for youth in free[:to_hire]:
            proposal = services.propose_youth(offer=offer, youth=youth, actor=advisor)
            services.invite_to_interview(
                proposal=proposal,
                actor=recruiter,
                starts_at=_interview_time(days=1),
                place=offer.company.name,
            )
            services.hire_youth(
                proposal=proposal,
                actor=recruiter,
                contract_type=offer.contract_type,
                start_date=offer.start_date,
                weekly_hours=offer.weekly_hours,
                end_date=offer.start_date + timedelta(days=180)
                if offer.contract_type == ContractType.CDD
                else None,
            )
            youth.refresh_from_db()
        if target == "partly_filled":
            services.close_offer(offer=offer, actor=recruiter, reason="Un seul poste finalement.")
        return
    if target == "closed_unfilled":
        services.close_offer(offer=offer, actor=recruiter, reason="Poste pourvu en interne.")
        return
    if target == "expired":
        if free:
            services.propose_youth(offer=offer, youth=free[-1], actor=advisor)
        past = timezone.localdate() - timedelta(days=2)
        Offer.objects.filter(pk=offer.pk).update(
            start_date=past - timedelta(days=30), closing_date=past
        )
        services.expire_offer(offer=offer)


def _backdate(offer: Offer, index: int) -> None:
    """Spread the demo's timestamps over the past weeks, so the figures (time to first
    proposal, time to fill) read like real ones."""
    from .models import Proposal

    offer.refresh_from_db()
    if offer.published_at is None:
        return
    published = offer.published_at - timedelta(days=30 + index)
    Offer.objects.filter(pk=offer.pk).update(
        submitted_at=published - timedelta(days=2),
        published_at=published,
        filled_at=published + timedelta(days=12 + index) if offer.filled_at else None,
    )
    for rank, proposal in enumerate(Proposal.objects.filter(offer=offer).order_by("pk")):
        Proposal.objects.filter(pk=proposal.pk).update(
            created_at=published + timedelta(days=2 + rank + index % 3)
        )


@transaction.atomic
def seed(demo) -> str:
    ensure_job_roles()
    youths = _youths(demo)
    created = 0
    for row in DEMO_OFFERS:
        offer, is_new = _offer(demo, row)
        if is_new:
            created += 1
            _bring_to(demo, offer, row[-1], youths)
            _backdate(offer, created)
            youths = [Youth.objects.get(pk=y.pk) for y in youths]
    counts = {status: Offer.objects.filter(status=status).count() for status in OfferStatus.values}
    return f"{created} new offers; by state: " + ", ".join(f"{k} {v}" for k, v in counts.items())
