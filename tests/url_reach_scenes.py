"""The situations the cross-organisation table of tests/test_url_reach_cross_organisation.py
plays: in each, objects belonging to organisation/region A, an `insider` of A who may
reach them (the control: an entry that every user gets a 404 on proves nothing) and the
outsiders of another organisation or region who must be refused.

Regions are "Provence" (A) and "Bretagne" (B). Names without apostrophes: the control
looks for the secrets in the insider's page, where HTML escapes an apostrophe.
`secrets` are the strings of A that must never reach an outsider.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace

from django.conf import settings
from django.utils import timezone

from accounts.enums import Role
from accounts.services import invite_member
from candidates.enums import SubjectRequestKind
from candidates.importing import preview_import
from candidates.subject_request_services import record_subject_request
from committees import services as committee_services
from immersion import services as immersion_services
from immersion.enums import EnrolmentStatus
from immersion.models import Enrolment
from reporting.enums import DocumentStatus
from reporting.models import ReviewDocument
from tests.accounts.factories import (
    CompanyAccessRequestFactory,
    OrganisationFactory,
    OutgoingEmailFactory,
    RegionFactory,
    UserFactory,
    make_member,
)
from tests.candidates.factories import MentoringPairFactory, YouthFactory
from tests.committees.factories import (
    ActionItemFactory,
    ActionPlanFactory,
    CommitmentFactory,
    CommitteeFactory,
    CommitteeMemberFactory,
    ConventionFactory,
    MeetingFactory,
    PlanItemFactory,
)
from tests.committees.files import PDF, upload
from tests.immersion.factories import CaeContractFactory, CohortFactory, SessionFactory
from tests.offers.factories import OfferFactory, ProposalFactory
from tests.reporting.factories import (
    AnnualReviewFactory,
    ReviewSectionFactory,
)


def _regions():
    return RegionFactory(code="93", name="Provence"), RegionFactory(code="53", name="Bretagne")


def _mission_locales(region):
    """Two missions locales of `region`: A's own, and a neighbour (same region, other
    organisation: the outsider who sees the same offers and sessions)."""
    return (
        OrganisationFactory(mission_locale=True, region=region, name="Mission locale A"),
        OrganisationFactory(mission_locale=True, region=region, name="Mission locale voisine"),
    )


def youth_file():
    """A hired youth of mission locale A (check-ins planned), mentored, with a VAE project,
    a request to access their data, and an import batch of A waiting for confirmation. Outsiders: the advisor and the
    manager of the neighbouring mission locale, same region."""
    provence, _bretagne = _regions()
    ml, neighbour = _mission_locales(provence)
    advisor = make_member(Role.ADVISOR, organisation=ml)
    youth = YouthFactory(
        mission_locale=ml, advisor=advisor, first_name="Yasmina", last_name="Secretnom", hired=True
    )
    pair = MentoringPairFactory(youth=youth, mentor__last_name="Parrainsecret")
    project = youth.vae_projects.create(
        certification="Titre conseiller relation client", started_on=youth.registered_on
    )
    born = (timezone.localdate() - timedelta(days=365 * 20 + 40)).strftime("%d/%m/%Y")
    batch = preview_import(
        mission_locale=ml,
        actor=advisor,
        file_name="vivier.csv",
        data=f"Nom;Prénom;Date de naissance\r\nImportsecret;Zoé;{born}\r\n".encode(),
    )
    subject_request = record_subject_request(
        youth=youth,
        actor=advisor,
        kind=SubjectRequestKind.ACCESS,
        received_on=timezone.localdate(),
        details="Copie du dossier",
    )
    return SimpleNamespace(
        youth=youth,
        subject_request=subject_request,
        check_in=youth.check_ins.order_by("due_on").first(),
        pair=pair,
        mentor=pair.mentor,
        project=project,
        batch=batch,
        insider=advisor,
        manager=make_member(Role.ML_MANAGER, organisation=ml),
        outsider=make_member(Role.ADVISOR, organisation=neighbour),
        outsider_manager=make_member(Role.ML_MANAGER, organisation=neighbour),
        secrets=("Secretnom", "Parrainsecret", "Importsecret", youth.email),
    )


def team():
    """Mission locale A's team and an invitation it sent; region A's company access
    requests. Outsiders: the manager of the neighbouring mission locale, and the project
    lead of region B."""
    provence, bretagne = _regions()
    ml, neighbour = _mission_locales(provence)
    manager = make_member(Role.ML_MANAGER, organisation=ml)
    advisor = make_member(Role.ADVISOR, organisation=ml, last_name="Equipiersecret")
    invitation = invite_member(
        inviter=manager,
        email="invitation.secrete@exemple.fr",
        organisation=ml,
        role=Role.ADVISOR,
        last_name="Invitesecret",
    )
    access_request = CompanyAccessRequestFactory(
        company_name="Centre secret de Provence",
        region=provence,
        last_name="Demandesecret",
        email="demande.secrete@exemple.fr",
    )
    return SimpleNamespace(
        membership=advisor.memberships.get(),
        invitation=invitation,
        access_request=access_request,
        insider=manager,
        lead=make_member(Role.PROJECT_LEAD, region=provence),
        outsider=make_member(Role.ML_MANAGER, organisation=neighbour),
        other_lead=make_member(Role.PROJECT_LEAD, region=bretagne),
        secrets=("Equipiersecret", "Invitesecret", "Demandesecret", "Centre secret"),
    )


def offer():
    """A published offer of company A in Provence with one proposal of a consenting youth
    of mission locale A. Outsiders: the recruiter of another company of the same region,
    the advisor of the neighbouring mission locale (for the proposal), the advisor of
    region B (advisors propose to their region's offers), the project lead of region B."""
    provence, bretagne = _regions()
    company = OrganisationFactory(company=True, region=provence, name="Téléservices Azur")
    rival = OrganisationFactory(company=True, region=provence, name="Entreprise voisine")
    published = OfferFactory(
        company=company, published=True, description="Poste secret de téléconseiller."
    )
    ml, neighbour = _mission_locales(provence)
    proposal = ProposalFactory(
        offer=published,
        youth__mission_locale=ml,
        youth__first_name="Ysoline",
        youth__last_name="Candidatsecret",
    )
    return SimpleNamespace(
        offer=published,
        proposal=proposal,
        insider=make_member(Role.RECRUITER, organisation=company),
        advisor=make_member(Role.ADVISOR, organisation=ml),
        lead=make_member(Role.PROJECT_LEAD, region=provence),
        outsider=make_member(Role.RECRUITER, organisation=rival),
        neighbour_advisor=make_member(Role.ADVISOR, organisation=neighbour),
        other_advisor=make_member(Role.ADVISOR, region=bretagne),
        other_lead=make_member(Role.PROJECT_LEAD, region=bretagne),
        secrets=("Téléservices Azur", "Poste secret", "Ysoline", "Candidatsecret"),
    )


def sessions():
    """Sessions of region A hosted by company A: an immersion day with a youth of mission
    locale A enrolled, an advisors' information meeting, and a past session (attendance
    is marked once a session has started). Outsiders: the project lead and an advisor of
    region B, the advisor of the neighbouring mission locale, the recruiter of another
    company of region A."""
    provence, bretagne = _regions()
    host = OrganisationFactory(company=True, region=provence, name="Hôte A")
    ml, neighbour = _mission_locales(provence)
    advisor = make_member(Role.ADVISOR, organisation=ml)
    youth = YouthFactory(mission_locale=ml, advisor=advisor, last_name="Inscritsecret")
    session = SessionFactory(host=host, title="Immersion secrète chez Hôte A")
    for_advisors = SessionFactory(host=host, for_advisors=True, title="Réunion secrète")
    past = SessionFactory(host=host, past=True, title="Immersion secrète passée")
    immersion_services.enrol_youths(actor=advisor, session=session, youths=[youth])
    attended = Enrolment.objects.create(
        session=past, youth=youth, status=EnrolmentStatus.CONFIRMED, enrolled_by=advisor
    )
    rival = OrganisationFactory(company=True, region=provence, name="Entreprise voisine")
    return SimpleNamespace(
        session=session,
        for_advisors=for_advisors,
        enrolment=session.enrolments.get(),
        attended=attended,
        youth=youth,
        insider=make_member(Role.PROJECT_LEAD, region=provence),
        advisor=advisor,
        outsider=make_member(Role.PROJECT_LEAD, region=bretagne),
        other_advisor=make_member(Role.ADVISOR, region=bretagne),
        neighbour_advisor=make_member(Role.ADVISOR, organisation=neighbour),
        other_recruiter=make_member(Role.RECRUITER, organisation=rival),
        secrets=("Immersion secrète", "Réunion secrète", "Inscritsecret"),
    )


def platform():
    """Region A's immersion platform with a CAE contract of a consenting youth of mission
    locale A (so a pool member), and a recruiter's request about them. Outsiders: the
    project lead and an advisor of region B, the advisor of the neighbouring mission
    locale, a recruiter of region B."""
    provence, bretagne = _regions()
    ml, neighbour = _mission_locales(provence)
    advisor = make_member(Role.ADVISOR, organisation=ml)
    youth = YouthFactory(
        mission_locale=ml,
        advisor=advisor,
        consented=True,
        first_name="Ombeline",
        last_name="Contratsecret",
    )
    cohort = CohortFactory(region=provence)
    contract = CaeContractFactory(cohort=cohort, youth=youth, employer="Employeur secret")
    company = OrganisationFactory(company=True, region=provence, name="Entreprise A")
    recruiter = make_member(Role.RECRUITER, organisation=company)
    pool_request = immersion_services.request_pool_proposal(
        recruiter=recruiter, youth=youth, offer=OfferFactory(company=company, published=True)
    )
    return SimpleNamespace(
        cohort=cohort,
        contract=contract,
        youth=youth,
        pool_request=pool_request,
        insider=make_member(Role.PROJECT_LEAD, region=provence),
        advisor=advisor,
        recruiter=recruiter,
        outsider=make_member(Role.PROJECT_LEAD, region=bretagne),
        other_advisor=make_member(Role.ADVISOR, region=bretagne),
        neighbour_advisor=make_member(Role.ADVISOR, organisation=neighbour),
        other_recruiter=make_member(Role.RECRUITER, region=bretagne),
        secrets=("Ombeline", "Contratsecret", "Employeur secret"),
    )


def committee():
    """Region A's pilot committee (an advisor of A sits on it), a past meeting with its
    minutes, a PDF document and an action item. Outsiders: the project lead of region B,
    an advisor of region A who does not sit on the committee."""
    provence, bretagne = _regions()
    lead = make_member(Role.PROJECT_LEAD, region=provence)
    member = make_member(Role.ADVISOR, region=provence)
    pilot = CommitteeFactory(region=provence, name="Comité secret de Provence")
    seat = CommitteeMemberFactory(committee=pilot, user=member)
    meeting = MeetingFactory(
        committee=pilot, past=True, title="Réunion secrète", minutes="# Budget secret du comité"
    )
    document = committee_services.attach_document(
        actor=lead, meeting=meeting, uploaded=upload("compte-rendu.pdf", PDF)
    )
    item = ActionItemFactory(meeting=meeting, owner=member, title="Action secrète du comité")
    return SimpleNamespace(
        committee=pilot,
        seat=seat,
        meeting=meeting,
        document=document,
        item=item,
        insider=lead,
        outsider=make_member(Role.PROJECT_LEAD, region=bretagne),
        stranger=make_member(Role.ADVISOR, region=provence),
        secrets=("Comité secret", "Budget secret", "Action secrète", "Réunion secrète"),
    )


def plan():
    """Region A's action plan with one item. Outsiders: the project lead of region B;
    national staff, who read every plan but change none (DOMAIN.md)."""
    provence, bretagne = _regions()
    regional_plan = ActionPlanFactory(region=provence, title="Plan secret de Provence")
    return SimpleNamespace(
        plan=regional_plan,
        item=PlanItemFactory(plan=regional_plan, title="Action secrète du plan"),
        insider=make_member(Role.PROJECT_LEAD, region=provence),
        outsider=make_member(Role.PROJECT_LEAD, region=bretagne),
        national=make_member(Role.NATIONAL),
        secrets=("Plan secret", "Action secrète du plan"),
    )


def convention():
    """The national convention, region A's convention under it and a commitment of A's
    business network. Outsiders: the project lead of region B; for the national
    convention, which only national staff manage, region A's own project lead."""
    provence, bretagne = _regions()
    national = ConventionFactory()
    network = OrganisationFactory(business_network=True, region=provence, name="Réseau A")
    regional = ConventionFactory(
        regional=True, parent=national, region=provence, title="Convention secrète de Provence"
    )
    regional.signatories.add(network)
    commitment = CommitmentFactory(
        convention=regional, signatory=network, article=19, text="Engagement secret de Provence"
    )
    lead = make_member(Role.PROJECT_LEAD, region=provence)
    other_lead = make_member(Role.PROJECT_LEAD, region=bretagne)
    return SimpleNamespace(
        national=national,
        regional=regional,
        network=network,
        commitment=commitment,
        provence=provence,
        insider=lead,
        lead=lead,
        national_staff=make_member(Role.NATIONAL),
        outsider=other_lead,
        outsider_organisation=other_lead.memberships.get().organisation,
        secrets=("Convention secrète", "Engagement secret"),
    )


def figures():
    """Region A's regional dashboard, its annual review of this year with a written
    section and a generated PDF, and a failed digest delivery to A's project lead.
    Outsiders: the project lead of region B; for the admins' delivery follow-up, the
    delivery's own recipient."""
    provence, bretagne = _regions()
    lead = make_member(Role.PROJECT_LEAD, region=provence)
    review = AnnualReviewFactory(year=timezone.localdate().year, region=provence)
    ReviewSectionFactory(review=review, text="Bilan secret de la région")
    pdf = Path(settings.PRIVATE_MEDIA_ROOT) / "reviews" / "bilan.pdf"
    pdf.parent.mkdir(parents=True, exist_ok=True)
    pdf.write_bytes(PDF)
    document = ReviewDocument.objects.create(
        review=review, version=1, status=DocumentStatus.DONE, file_path="reviews/bilan.pdf"
    )
    return SimpleNamespace(
        region=provence,
        review=review,
        scope=f"region-{provence.pk}",
        document=document,
        delivery=OutgoingEmailFactory(recipient=lead, failed=True),
        insider=lead,
        admin=UserFactory(admin=True),
        outsider=make_member(Role.PROJECT_LEAD, region=bretagne),
        secrets=("Provence", "Bilan secret"),
    )


def youth_space():
    """Two youths of mission locale A, each with their space open, the first enrolled in a
    session of region A. Outsiders: the second youth (same mission locale: neither
    reaches anything of the other) and the advisor of the neighbouring mission locale."""
    from tests.youthspace.factories import open_space

    provence, _bretagne = _regions()
    host = OrganisationFactory(company=True, region=provence, name="Hôte A")
    ml, neighbour = _mission_locales(provence)
    advisor = make_member(Role.ADVISOR, organisation=ml)
    youth = YouthFactory(mission_locale=ml, advisor=advisor, last_name="Espacesecret")
    other = YouthFactory(mission_locale=ml, advisor=advisor, last_name="Autrejeune")
    space, other_space = open_space(youth), open_space(other)
    session = SessionFactory(host=host, title="Rendez-vous secret")
    immersion_services.enrol_youths(actor=advisor, session=session, youths=[youth])
    return SimpleNamespace(
        youth=youth,
        space=space,
        enrolment=session.enrolments.get(),
        insider=space.user,
        advisor=advisor,
        other_youth=other_space.user,
        neighbour_advisor=make_member(Role.ADVISOR, organisation=neighbour),
        secrets=("Espacesecret", "Rendez-vous secret", youth.email),
    )
