"""A youth who has everything the portal can hold about a person, each piece made through
its own service, and every free text naming them (first name, surname, email, phone as
people type it): what the subject export must show in full and what anonymisation must
leave no trace of.

`youth_with_everything()` registers the youth through a spreadsheet import (whose
batch also keeps a rejected duplicate line naming them, and another youth's row), then
gives them: consent, an assessment, a follow-up note, pathway moves, an immersion day
attended with the host's comment and a cancelled enrolment, a CAE contract with its
outcome note, recruiters' requests from the pool (one declined, one pending), proposals
at every stage (declined, open, interviewed then hired), the hire's employment and a
recorded check-in, a mentoring pair with a meeting, a VAE project, their own space
(invited, a next step naming them, session answers and a reminder's links), two subject requests
(an access one answered, an erasure one open), a logged consultation, the admin's
history of a change, and last a transfer to another mission locale. Closing the erasure
request (`everything.close_erasure()`) anonymises them.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.contrib.admin.models import CHANGE, LogEntry
from django.utils import timezone

from accounts.enums import Role
from candidates import services as candidates
from candidates.access_log import record_access
from candidates.enums import (
    AccessKind,
    AssessmentMethod,
    AssessmentOutcome,
    CheckInOutcome,
    ConsentMethod,
    DataRequestKind,
    NoteChannel,
    PathwayStage,
    SubjectRequestKind,
)
from candidates.importing import confirm_import, preview_import
from candidates.models import SCORE_FIELDS, ImportBatch, Youth, years_ago
from candidates.subject_request_services import close_subject_request, record_subject_request
from immersion import services as immersion
from immersion.enums import Attendance, ContractOutcome, HostAssessment
from immersion.models import Session
from offers import services as offers
from offers.enums import ContractType, DeclineReason
from tests.accounts.factories import (
    OrganisationFactory,
    RegionFactory,
    UserFactory,
    make_member,
)
from tests.candidates.factories import MentorFactory
from tests.immersion.factories import CohortFactory, SessionFactory
from tests.offers.factories import OfferFactory

FIRST_NAME = "Zéphyrine"
LAST_NAME = "Quartzmoulin"
EMAIL = "zephyrine.quartzmoulin@exemple.fr"
PHONE = "0671829304"
#: How people write them in a note: accents dropped, capitals, spaced digits, +33.
MENTION = (
    f"{FIRST_NAME} {LAST_NAME} (ZEPHYRINE QUARTZMOULIN, {EMAIL}, 06 71 82 93 04, "
    "+33 6 71 82 93 04) a bien accroché."
)
#: Another youth of the same import, who is not anonymised.
OTHER_LAST_NAME = "Tournesolier"


@dataclass
class Everything:
    youth: Youth
    advisor: object
    manager: object
    new_manager: object
    recruiter: object
    batch: ImportBatch
    erasure: object

    def close_erasure(self):
        """The new mission locale's manager answers the erasure request: anonymisation."""
        return close_subject_request(
            subject_request=self.erasure, actor=self.new_manager, outcome=MENTION
        )


def _import(ml, advisor) -> tuple[Youth, ImportBatch]:
    born = years_ago(20, timezone.localdate()).strftime("%d/%m/%Y")
    other_born = years_ago(19, timezone.localdate()).strftime("%d/%m/%Y")
    lines = [
        "Nom;Prénom;Date de naissance;E-mail;Téléphone;Code postal;Commune;Compétences",
        f"{LAST_NAME};{FIRST_NAME};{born};{EMAIL};06 71 82 93 04;13005;Marseille;{MENTION}",
        f"{OTHER_LAST_NAME};Albertine;{other_born};;;13001;Marseille;Vente",
        # The same person twice in the file: rejected, the line names them.
        f"{LAST_NAME};{FIRST_NAME};{born};{EMAIL};;13005;Marseille;",
    ]
    batch = preview_import(
        mission_locale=ml,
        actor=advisor,
        file_name="vivier.csv",
        data="\r\n".join(lines).encode("utf-8"),
    )
    assert len(batch.valid_rows) == 2 and len(batch.rejected_rows) == 1
    confirm_import(batch=batch, actor=advisor)
    youth = Youth.objects.get(email=EMAIL)
    Youth.objects.filter(pk=youth.pk).update(advisor=advisor)
    youth.refresh_from_db()
    return youth, ImportBatch.objects.get(pk=batch.pk)


def _started(session: Session) -> Session:
    """The session began an hour ago (attendance is noted once it has started)."""
    now = timezone.now()
    Session.objects.filter(pk=session.pk).update(
        starts_at=now - datetime.timedelta(hours=2), ends_at=now - datetime.timedelta(hours=1)
    )
    session.refresh_from_db()
    return session


def youth_with_everything() -> Everything:
    today = timezone.localdate()
    region = RegionFactory(code="93", name="Provence")
    ml = OrganisationFactory(mission_locale=True, region=region, name="Mission locale A")
    new_ml = OrganisationFactory(mission_locale=True, region=region, name="Mission locale B")
    company = OrganisationFactory(company=True, region=region, name="Acme Relation Client")
    advisor = make_member(Role.ADVISOR, organisation=ml)
    manager = make_member(Role.ML_MANAGER, organisation=ml)
    new_manager = make_member(Role.ML_MANAGER, organisation=new_ml)
    recruiter = make_member(Role.RECRUITER, organisation=company)

    youth, batch = _import(ml, advisor)
    candidates.update_youth(
        youth=youth, actor=advisor, previous_sector=f"Vente ({MENTION})", city="Marseille"
    )
    candidates.record_sharing_consent(
        youth=youth,
        actor=advisor,
        method=ConsentMethod.SIGNED_FORM,
        note=f"Formulaire signé par {MENTION}",
    )
    candidates.record_assessment(
        youth=youth,
        actor=advisor,
        assessed_on=today,
        method=AssessmentMethod.SIMULATION,
        scores=dict.fromkeys(SCORE_FIELDS, 4),
        outcome=AssessmentOutcome.FAVOURABLE,
        comment=MENTION,
    )
    candidates.add_follow_up_note(
        youth=youth, actor=advisor, met_on=today, channel=NoteChannel.PHONE, summary=MENTION
    )
    candidates.record_pathway_event(
        youth=youth,
        stage=PathwayStage.DISCOVERY,
        actor=advisor,
        occurred_on=today,
        note=MENTION,
        source=f"Atelier avec {FIRST_NAME} {LAST_NAME}",
    )

    # Immersion: a day attended (the host's comment), another one cancelled with a reason.
    attended = SessionFactory(host=company)
    [enrolment] = immersion.enrol_youths(actor=advisor, session=attended, youths=[youth])
    immersion.record_attendance(
        actor=recruiter,
        enrolment=_started(attended).enrolments.get(pk=enrolment.pk),
        attendance=Attendance.ATTENDED,
        host_assessment=HostAssessment.RECOMMEND,
        host_comment=MENTION,
    )
    cancelled = SessionFactory(host=company)
    [enrolment] = immersion.enrol_youths(actor=advisor, session=cancelled, youths=[youth])
    immersion.cancel_enrolment(actor=advisor, enrolment=enrolment, reason=MENTION)

    # The platform: a CAE contract and its outcome; the pool's requests.
    contract = immersion.add_cae_contract(
        actor=advisor,
        cohort=CohortFactory(region=region),
        youth=youth,
        employer="Plateforme Accueil Sud",
        start_on=today - datetime.timedelta(days=10),
        end_on=today + datetime.timedelta(days=100),
        weekly_hours=26,
    )
    immersion.record_contract_outcome(
        actor=advisor, contract=contract, outcome=ContractOutcome.OTHER, note=MENTION[:250]
    )
    declined_request = immersion.request_pool_proposal(
        recruiter=recruiter,
        youth=youth,
        offer=OfferFactory(published=True, company=company),
        message=MENTION,
    )
    immersion.answer_pool_request(
        actor=advisor, pool_request=declined_request, action="decline", note=MENTION[:250]
    )
    immersion.request_pool_proposal(
        recruiter=recruiter,
        youth=youth,
        offer=OfferFactory(published=True, company=company),
        message=MENTION,
    )

    # Proposals: declined, left open, then interviewed and hired.
    declined = offers.propose_youth(
        offer=OfferFactory(published=True, company=company),
        youth=youth,
        actor=advisor,
        note=MENTION,
    )
    offers.decline_proposal(
        proposal=declined,
        actor=recruiter,
        decline_reason=DeclineReason.INTERVIEW_UNSUCCESSFUL,
        note=MENTION,
    )
    offers.propose_youth(
        offer=OfferFactory(published=True, company=company),
        youth=youth,
        actor=advisor,
        note=MENTION,
    )
    hired = offers.propose_youth(
        offer=OfferFactory(published=True, company=company),
        youth=youth,
        actor=advisor,
        note=MENTION,
    )
    offers.mark_proposal_seen(proposal=hired, actor=recruiter)
    offers.invite_to_interview(
        proposal=hired,
        actor=recruiter,
        starts_at=timezone.now() + datetime.timedelta(days=2),
        place=f"Agence, bureau de {MENTION}",
        note=MENTION,
    )
    offers.hire_youth(
        proposal=hired,
        actor=recruiter,
        contract_type=ContractType.CDI,
        start_date=today,
        weekly_hours=35,
    )
    check_in = youth.check_ins.order_by("due_on").first()
    candidates.record_check_in(
        check_in=check_in,
        actor=advisor,
        done_on=today,
        outcome=CheckInOutcome.GOING_WELL,
        note=MENTION,
    )

    # Mentoring and VAE.
    pair = candidates.pair_mentor(
        youth=youth, mentor=MentorFactory(mission_locale=ml), started_on=today, actor=advisor
    )
    candidates.record_mentoring_meeting(pair=pair, met_on=today, note=MENTION, actor=advisor)
    candidates.end_mentoring(pair=pair, ended_on=today, reason=MENTION[:200], actor=advisor)
    candidates.save_vae_project(
        youth=youth,
        actor=advisor,
        certification="Titre professionnel conseiller relation client",
        certifier="Ministère du travail",
        started_on=today,
        note=MENTION,
    )

    # Their own space: invited, the next step written, a session answered from the
    # space and from a reminder's link (its other link left unused).
    from youthspace import services as youthspace

    space = youthspace.invite_youth(actor=advisor, youth=youth)
    youthspace.set_next_step(actor=advisor, youth=youth, text=MENTION)
    youthspace.record_visit(space=space)
    coming = SessionFactory(host=company)
    [enrolment] = immersion.enrol_youths(actor=advisor, session=coming, youths=[youth])
    youthspace.answer_session(space=space, enrolment=enrolment, answer="coming")
    tokens = youthspace.make_answer_links(enrolment=enrolment)
    youthspace.use_answer_link(token=tokens["coming"])

    # Their rights: an access request answered, an erasure request open, a consultation.
    access = record_subject_request(
        youth=youth,
        actor=advisor,
        kind=SubjectRequestKind.ACCESS,
        received_on=today,
        details=MENTION,
    )
    close_subject_request(subject_request=access, actor=manager, outcome=MENTION)
    erasure = record_subject_request(
        youth=youth,
        actor=advisor,
        kind=SubjectRequestKind.ERASURE,
        received_on=today,
        details=MENTION,
    )
    candidates.log_data_request(
        youth=youth, actor=advisor, kind=DataRequestKind.EXPORT_PAGE, reason=MENTION[:250]
    )
    # The manager opened the file: the access log holds ids, never the youth's words.
    record_access(user=manager, kind=AccessKind.YOUTH_FILE, youth=youth)

    # An operator changed the file in the admin: its history names the youth and a proposal.
    admin = UserFactory(is_staff=True, is_superuser=True)
    LogEntry.objects.log_actions(admin.pk, [youth], CHANGE, change_message="[]", single_object=True)
    LogEntry.objects.log_actions(admin.pk, [hired], CHANGE, change_message="[]", single_object=True)

    # Last, they move: the import stays with the first mission locale.
    candidates.move_youth_to_mission_locale(
        youth=youth, mission_locale=new_ml, actor=manager, reason=MENTION[:250]
    )
    youth.refresh_from_db()
    return Everything(youth, advisor, manager, new_manager, recruiter, batch, erasure)
