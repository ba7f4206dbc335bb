"""Demo data of the committees app, on top of the convention every install loads
(convention_content): a history for the commitments and the pilot plan, a regional
convention, the committees of Article 17 with a year of meetings, and this year's
renewal of the pilot plan. Idempotent: everything is found by its natural key."""

from __future__ import annotations

import datetime

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from . import services
from .convention_content import load_convention
from .enums import (
    ActionItemStatus,
    AttendanceStatus,
    CommitmentStatus,
    CommitteeKind,
    CommitteeRole,
    DocumentKind,
    PlanItemStatus,
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

# The demo's state of each commitment of convention_content.COMMITMENTS, in order:
# (status, evidence).
DEMO_COMMITMENT_STATES = [
    (MET, "Plan de communication adopté en comité des signataires ; dossier de presse diffusé."),
    (IN_PROGRESS, "Suivi mensuel des recrutements dans la synthèse des indicateurs."),
    (MET, "Comité constitué ; comptes rendus dans le portail."),
    (IN_PROGRESS, ""),
    (MET, "Note d'information aux missions locales."),
    (IN_PROGRESS, ""),
    (NOT_STARTED, ""),
    (IN_PROGRESS, ""),
    (MET, "Comité des signataires réuni chaque trimestre."),
    (MET, "Réunion générale d'information des conseillers."),
    (MET, ""),
    (IN_PROGRESS, ""),
    (IN_PROGRESS, ""),
    (IN_PROGRESS, ""),
    (IN_PROGRESS, ""),
    (IN_PROGRESS, ""),
    (IN_PROGRESS, ""),
    (MET, ""),
    (NOT_STARTED, ""),
    (MET, "Chargée de projet nommée."),
    (IN_PROGRESS, ""),
    (MET, "Comité d'entreprises PACA constitué."),
    (MET, "Comité technique PACA constitué."),
    (IN_PROGRESS, ""),
    (IN_PROGRESS, ""),
    (IN_PROGRESS, ""),
    (IN_PROGRESS, ""),
    (IN_PROGRESS, ""),
    (NOT_STARTED, ""),
    (NOT_MET, "Financement de la campagne non obtenu cette année."),
    (IN_PROGRESS, ""),
    (IN_PROGRESS, ""),
    (MET, "Grille d'évaluation des aptitudes utilisée par les conseillers."),
    (IN_PROGRESS, ""),
    (IN_PROGRESS, ""),
    (IN_PROGRESS, ""),
    (IN_PROGRESS, ""),
    (NOT_STARTED, ""),
    (IN_PROGRESS, ""),
    (NOT_STARTED, ""),
    (MET, "Fiches métiers mises à jour avec la mission locale de Marseille."),
    (IN_PROGRESS, ""),
    (IN_PROGRESS, ""),
    (NOT_STARTED, ""),
]

DONE, DOING, PLANNED = PlanItemStatus.DONE, PlanItemStatus.IN_PROGRESS, PlanItemStatus.PLANNED

# The demo's 2006 status of each item of convention_content.PILOT_PLAN, in order.
DEMO_PILOT_STATES = [
    DONE,
    DONE,
    DONE,
    DOING,
    DONE,
    DOING,
    DONE,
    DOING,
    PLANNED,
    DONE,
    PLANNED,
    DONE,
    DOING,
    DONE,
    DONE,
    DOING,
    DOING,
    PLANNED,
    DONE,
    DOING,
    DOING,
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
    """The convention as every install has it, plus a history: each commitment's demo
    state, logged at the first annual review (once: a commitment with a log is left)."""
    orgs = demo.organisations
    national = load_convention().convention
    ConventionRenewal.objects.get_or_create(
        convention=national,
        renewed_on=datetime.date(2009, 6, 7),
        defaults={"extra_years": 3, "note": "Reconduction décidée par le comité des signataires."},
    )
    commitments = Commitment.objects.filter(convention=national).order_by("article", "position")
    for commitment, (status, evidence) in zip(commitments, DEMO_COMMITMENT_STATES, strict=True):
        if status == NOT_STARTED or commitment.history.exists():
            continue
        commitment.status, commitment.evidence_text = status, evidence
        commitment.save(update_fields=["status", "evidence_text"])
        CommitmentLog.objects.create(
            commitment=commitment,
            actor=demo.users["national_cnml"],
            from_status=NOT_STARTED,
            to_status=status,
            reason="Point fait au bilan annuel du comité des signataires (article 20).",
            # Dated at the first annual review, not at seeding time.
            created_at=_at(datetime.date(2007, 6, 7), 10),
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
    """The pilot plan of every install with its demo 2006 history (once: an item with
    notes is left), and this year's plan renewed from it, spread around today."""
    paca, lead = demo.regions["93"], demo.users["project_lead"]
    pilot = load_convention().pilot_plan
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
    items = PlanItem.objects.filter(plan=pilot).order_by("position")
    for position, (item, status) in enumerate(zip(items, DEMO_PILOT_STATES, strict=True), 1):
        month = item.due_on.month
        if not item.notes.exists():
            PlanItemNote.objects.create(
                item=item,
                written_on=datetime.date(2006, 6, 15),
                author=lead,
                text="Action inscrite au plan pilote ; responsable désigné en comité de pilotage.",
            )
            if status != PLANNED:
                item.status = status
                item.completed_on = item.due_on if status == DONE else None
                item.save(update_fields=["status", "completed_on"])
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
            title=item.title,
            defaults={
                "section": item.section,
                "audience": item.audience,
                "position": position,
                "owner_organisation": item.owner_organisation,
                "due_on": due,
                "status": current_status,
                "indicator_key": item.indicator_key,
                "indicator_target": item.indicator_target,
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
