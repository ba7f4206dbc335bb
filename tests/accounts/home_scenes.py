"""A region where every home counter has something to count, and a second region that
must never leak into the first: the home page tests and the browser screenshots build
the same scene. `build_scene(n)` puts `n` rows behind each counter of each role."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.utils import timezone

from accounts import services as account_services
from accounts.enums import Role
from candidates.enums import PathwayStage, SubjectRequestKind
from candidates.subject_requests import SubjectRequest
from immersion import services as immersion_services
from offers.enums import NoticeKind, OfferStatus
from offers.models import OfferNotice
from tests.accounts.factories import OrganisationFactory, RegionFactory, make_member
from tests.candidates.factories import YouthFactory
from tests.committees.factories import ActionItemFactory, CommitteeFactory
from tests.immersion.factories import SessionFactory
from tests.offers.factories import OfferFactory, ProposalFactory
from tests.reporting.factories import PathwayEventFactory
from youthspace.enums import Answer, AnswerChannel
from youthspace.models import SessionAnswer

# A Wednesday morning: "this week" runs from Monday 30 November to Sunday 6 December,
# "this quarter" from October to December.
WEDNESDAY = datetime.datetime(2026, 12, 2, 10, 0, tzinfo=datetime.UTC)


@dataclass
class Side:
    """One region's people."""

    advisor: object = None
    manager: object = None
    recruiter: object = None
    lead: object = None
    extra: dict = field(default_factory=dict)


@dataclass
class Scene:
    home: Side
    other: Side
    national: object


def _side(region, n: int, label: str) -> Side:
    today = timezone.localdate()
    ml = OrganisationFactory(mission_locale=True, region=region, name=f"Mission locale {label}")
    advisor = make_member(Role.ADVISOR, organisation=ml, first_name="Camille", last_name=label)
    manager = make_member(Role.ML_MANAGER, organisation=ml, first_name="Nadia", last_name=label)
    company = OrganisationFactory(company=True, region=region, name=f"Centre d'appels {label}")
    recruiter = make_member(Role.RECRUITER, organisation=company, first_name="Romain")
    lead = make_member(
        Role.PROJECT_LEAD,
        organisation=OrganisationFactory(business_network=True, region=region),
        first_name="Léa",
    )
    recent = today - datetime.timedelta(days=3)

    def youth(**kwargs):
        return YouthFactory(mission_locale=ml, advisor=advisor, **kwargs)

    for i in range(n):
        # Follow-ups due this week (seen recently), and youths silent for months.
        due = youth(next_appointment_on=today, last_contact_on=recent)
        silent = youth()
        busy = youth(last_contact_on=recent)
        # A new offer of the region the advisor was told about and has not read.
        offer = OfferFactory(company=company, published=True)
        OfferNotice.objects.create(
            kind=NoticeKind.PUBLISHED, key=f"offer-{offer.pk}", offer=offer, recipient=advisor
        )
        # Proposals: one waiting for the recruiter, one seen and one at interview (news
        # for the advisor: a state changed this week).
        ProposalFactory(offer=offer, youth=due)
        ProposalFactory(offer=offer, youth=silent, seen=True)
        ProposalFactory(offer=offer, youth=busy, interview=True)
        # An offer the project lead sent back, one waiting for validation, a large one.
        OfferFactory(company=company, status=OfferStatus.DRAFT, submitted_at=timezone.now())
        OfferFactory(company=company, submitted=True)
        OfferFactory(company=company, published=True, large=True)
        # A session tomorrow with the advisor's youth enrolled.
        session = SessionFactory(
            host=company,
            starts_at=timezone.now() + datetime.timedelta(days=1),
            registration_deadline=today,
        )
        immersion_services.enrol_youths(actor=advisor, session=session, youths=[due])
        # The youth answered "Je serai là" in their space this morning.
        SessionAnswer.objects.create(
            enrolment=session.enrolments.get(youth=due),
            answer=Answer.COMING,
            channel=AnswerChannel.SPACE,
        )
        # An overdue action of the lead's committee (which met this quarter), and a
        # committee of the region with no meeting this quarter.
        ActionItemFactory(owner=lead, overdue=True, meeting__committee__region=region)
        CommitteeFactory(region=region)
        # An open subject request, a pending invitation.
        SubjectRequest.objects.create(
            youth=busy,
            kind=SubjectRequestKind.values[0],
            received_on=today,
            due_on=today + datetime.timedelta(days=30),
            recorded_by=manager,
        )
        account_services.invite_member(
            inviter=manager,
            email=f"nouveau-{label}-{i}@exemple.fr",
            organisation=ml,
            role=Role.ADVISOR,
        )
        # A hire this month.
        PathwayEventFactory(youth=busy, stage=PathwayStage.HIRED, occurred_on=today)
    return Side(advisor=advisor, manager=manager, recruiter=recruiter, lead=lead)


def build_scene(n: int) -> Scene:
    home = _side(RegionFactory(paca=True), n, "Marseille")
    other = _side(RegionFactory(code="84", name="Auvergne-Rhône-Alpes"), n, "Lyon")
    national = make_member(Role.NATIONAL, first_name="Claire")
    return Scene(home=home, other=other, national=national)
