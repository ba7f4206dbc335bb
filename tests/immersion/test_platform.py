"""The immersion platform (cohorts of CAE contracts) and the candidate pool."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from candidates.enums import ConsentMethod, PathwayStage
from candidates.models import PathwayEvent
from candidates.services import withdraw_sharing_consent
from immersion import services
from immersion.enums import ContractOutcome, PoolRequestStatus
from immersion.models import CaeContract, Cohort, PoolRequest, pool_members
from offers.enums import ProposalOrigin
from offers.models import Proposal
from tests.candidates.factories import YouthFactory
from tests.offers.factories import OfferFactory

from .factories import CaeContractFactory, CohortFactory

pytestmark = pytest.mark.django_db


def _contract(world, cohort, youth, **overrides):
    start = timezone.localdate() - datetime.timedelta(days=10)
    arguments = dict(
        actor=youth.advisor,
        cohort=cohort,
        youth=youth,
        employer="Association Accueil Nord",
        start_on=start,
        end_on=start + datetime.timedelta(days=150),
        weekly_hours=26,
    )
    arguments.update(overrides)
    return services.add_cae_contract(**arguments)


def test_one_cohort_per_region_and_year_of_50_by_default(world):
    cohort = services.create_cohort(actor=world.lead, region=world.paca, year=2026)
    assert cohort.size == 50
    with pytest.raises(ValidationError, match="déjà une promotion"):
        services.create_cohort(actor=world.lead, region=world.paca, year=2026)
    with pytest.raises(PermissionDenied):
        services.create_cohort(actor=world.other_lead, region=world.paca, year=2027)
    with pytest.raises(PermissionDenied):
        services.create_cohort(actor=world.advisor, region=world.paca, year=2027)


def test_a_contract_moves_the_youth_to_immersion(world):
    cohort = CohortFactory(region=world.paca)
    youth = world.youths[0]
    contract = _contract(world, cohort, youth)
    youth.refresh_from_db()
    assert youth.current_stage == PathwayStage.IMMERSION
    assert PathwayEvent.objects.get(youth=youth, stage=PathwayStage.IMMERSION).source == (
        f"immersion.CaeContract#{contract.pk}"
    )
    assert Cohort.objects.with_occupancy().get(pk=cohort.pk).occupancy == 1


def test_a_cae_contract_lasts_at_most_six_months(world):
    cohort = CohortFactory(region=world.paca)
    start = datetime.date(2026, 1, 15)
    with pytest.raises(ValidationError) as info:
        _contract(world, cohort, world.youths[0], start_on=start, end_on=datetime.date(2026, 7, 16))
    assert info.value.message_dict["end_on"] == [
        "Un contrat CAE de la plateforme dure au plus 6 mois (fin au plus tard le 15/07/2026)."
    ]
    with pytest.raises(ValidationError, match="suivre son début"):
        _contract(world, cohort, world.youths[0], start_on=start, end_on=start)
    _contract(world, cohort, world.youths[0], start_on=start, end_on=datetime.date(2026, 7, 15))
    assert CaeContract.objects.count() == 1


def test_no_51st_contract_in_a_cohort_of_50(world):
    cohort = CohortFactory(region=world.paca, size=50)
    for youth in YouthFactory.create_batch(49, mission_locale=world.ml, advisor=world.advisor):
        CaeContractFactory(cohort=cohort, youth=youth)
    _contract(world, cohort, world.youths[0])  # the 50th
    with pytest.raises(ValidationError) as info:
        _contract(world, cohort, world.youths[1])
    assert "La promotion est complète : 50 contrats sur 50." in str(info.value)
    assert cohort.contracts.count() == 50
    with pytest.raises(ValidationError, match="ne peut descendre"):
        services.set_cohort_size(actor=world.lead, cohort=cohort, size=49)
    services.set_cohort_size(actor=world.lead, cohort=cohort, size=52)
    _contract(world, cohort, world.youths[1])


def test_a_youth_once_per_cohort_and_from_the_cohorts_region(world):
    cohort = CohortFactory(region=world.paca)
    _contract(world, cohort, world.youths[0])
    with pytest.raises(ValidationError, match="déjà un contrat"):
        _contract(world, cohort, world.youths[0])
    other_cohort = CohortFactory(region=world.other_region)
    with pytest.raises(PermissionDenied):
        _contract(world, other_cohort, world.youths[1])
    with pytest.raises(PermissionDenied):
        _contract(world, cohort, world.youths[1], actor=world.advisor_aix)


def test_the_outcome_of_a_contract_moves_a_hired_youth(world):
    cohort = CohortFactory(region=world.paca)
    youth = world.youths[0]
    contract = _contract(world, cohort, youth)
    services.record_contract_outcome(
        actor=world.advisor, contract=contract, outcome=ContractOutcome.HIRED, note="CDI"
    )
    youth.refresh_from_db()
    assert youth.current_stage == PathwayStage.HIRED
    with pytest.raises(PermissionDenied):
        services.record_contract_outcome(
            actor=world.advisor_aix, contract=contract, outcome=ContractOutcome.OTHER
        )


def _pool(world):
    cohort = CohortFactory(region=world.paca)
    shared = YouthFactory(
        mission_locale=world.ml,
        advisor=world.advisor,
        consented=True,
        first_name="Amira",
        last_name="Belkacem",
    )
    private = YouthFactory(
        mission_locale=world.ml, advisor=world.advisor, first_name="Hugo", last_name="Secret"
    )
    hired = YouthFactory(
        mission_locale=world.ml,
        advisor=world.advisor,
        consented=True,
        first_name="Emma",
        last_name="Embauchee",
    )
    for youth in (shared, private):
        CaeContractFactory(cohort=cohort, youth=youth)
    CaeContractFactory(cohort=cohort, youth=hired, outcome=ContractOutcome.HIRED)
    return shared, private, hired


def test_the_pool_holds_only_consenting_members_of_the_recruiters_region(world):
    shared, private, hired = _pool(world)
    assert list(pool_members(world.recruiter)) == [shared]
    assert list(pool_members(world.other_recruiter)) == []
    assert list(pool_members(world.advisor)) == []
    withdraw_sharing_consent(youth=shared, actor=world.advisor, method=ConsentMethod.EMAIL)
    assert list(pool_members(world.recruiter)) == []


def test_a_recruiter_asks_the_advisor_who_answers(
    world, tasks_in_process, django_capture_on_commit_callbacks
):
    shared, private, _hired = _pool(world)
    offer = OfferFactory(company=world.company, published=True)
    with django_capture_on_commit_callbacks(execute=True):
        pool_request = services.request_pool_proposal(
            recruiter=world.recruiter, youth=shared, offer=offer
        )
    assert pool_request.company == world.company
    assert mail.outbox[-1].to == [world.advisor.email]
    assert str(offer.job_role) in mail.outbox[-1].body
    with pytest.raises(ValidationError, match="attend déjà une réponse"):
        services.request_pool_proposal(recruiter=world.recruiter, youth=shared, offer=offer)
    with pytest.raises(PermissionDenied):
        services.request_pool_proposal(recruiter=world.recruiter, youth=private, offer=offer)
    with pytest.raises(PermissionDenied):
        services.request_pool_proposal(recruiter=world.other_recruiter, youth=shared, offer=offer)
    with pytest.raises(PermissionDenied):
        services.answer_pool_request(
            actor=world.advisor_aix, pool_request=pool_request, action="accept"
        )
    with pytest.raises(ValidationError, match="Expliquez"):
        services.answer_pool_request(
            actor=world.advisor, pool_request=pool_request, action="decline"
        )
    with django_capture_on_commit_callbacks(execute=True):
        services.answer_pool_request(
            actor=world.advisor,
            pool_request=pool_request,
            action="accept",
            note="Je la propose demain.",
        )
    pool_request.refresh_from_db()
    assert pool_request.status == PoolRequestStatus.ACCEPTED
    proposal = Proposal.objects.get(offer=offer, youth=shared)
    assert (proposal.origin, proposal.proposed_by) == (ProposalOrigin.IMMERSION_POOL, world.advisor)
    assert pool_request.proposal == proposal
    assert mail.outbox[-1].to == [world.recruiter.email]
    assert "Je la propose demain." in mail.outbox[-1].body
    assert "Belkacem" not in mail.outbox[-1].body  # the recruiter gets no surname
    with pytest.raises(ValidationError, match="déjà reçu"):
        services.answer_pool_request(
            actor=world.advisor, pool_request=pool_request, action="decline", note="x"
        )
    assert PoolRequest.objects.count() == 1


def test_only_a_published_offer_of_the_recruiters_company(world):
    shared, _private, _hired = _pool(world)
    draft = OfferFactory(company=world.company)
    someone_else = OfferFactory(company__region=world.paca, published=True)
    with pytest.raises(ValidationError, match="pas publiée"):
        services.request_pool_proposal(recruiter=world.recruiter, youth=shared, offer=draft)
    with pytest.raises(PermissionDenied):
        services.request_pool_proposal(recruiter=world.recruiter, youth=shared, offer=someone_else)
    assert not PoolRequest.objects.exists()
