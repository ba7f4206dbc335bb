"""The action plan (Art. 16, Annex 2) and the signatories' commitments (Art. 1-8, 19-20)."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from accounts.enums import OrganisationKind
from accounts.models import Region
from committees import services
from committees.enums import CommitmentStatus, IndicatorKey, PlanItemStatus, PlanSection
from committees.models import ActionPlan, CommitmentLog, PlanItem
from committees.permissions import can_create_regional_convention
from tests.accounts.factories import OrganisationFactory, UserFactory

from .factories import ActionPlanFactory, CommitmentFactory, ConventionFactory, PlanItemFactory

pytestmark = pytest.mark.django_db


def test_progress_per_section_counts_done_and_overdue(world):
    plan = ActionPlanFactory(region=world.paca)
    PlanItemFactory(plan=plan, section=PlanSection.IMMERSION, done=True)
    PlanItemFactory(plan=plan, section=PlanSection.IMMERSION, overdue=True)
    PlanItemFactory(plan=plan, section=PlanSection.IMMERSION, status=PlanItemStatus.DROPPED)
    PlanItemFactory(plan=plan, section=PlanSection.OFFERS)
    progress = {row["section"]: row for row in services.plan_progress(plan)}
    assert [row["section"] for row in services.plan_progress(plan)] == list(PlanSection.values)
    assert progress["immersion"] == {
        **progress["immersion"],
        "total": 2,
        "done": 1,
        "overdue": 1,
        "percent": 50,
    }
    assert progress["offers"]["percent"] == 0
    assert progress["awareness"]["total"] == 0


def test_renewing_copies_the_plan_with_statuses_reset(world):
    plan = ActionPlanFactory(region=world.paca, year=2006, title="Plan d'action pilote 2006")
    done = PlanItemFactory(
        plan=plan,
        done=True,
        due_on=datetime.date(2006, 9, 30),
        indicator_key=IndicatorKey.JOB_MEETINGS_HELD,
        indicator_target=12,
    )
    PlanItemFactory(plan=plan, status=PlanItemStatus.DROPPED)
    new_plan = services.renew_plan(actor=world.lead, plan=plan)
    assert (new_plan.year, new_plan.title, new_plan.renewed_from) == (
        2007,
        "Plan d'action pilote 2007",
        plan,
    )
    copy = new_plan.items.get()
    assert copy.title == done.title
    assert copy.status == PlanItemStatus.PLANNED
    assert copy.due_on == datetime.date(2007, 9, 30)
    assert (copy.indicator_key, copy.indicator_target) == (IndicatorKey.JOB_MEETINGS_HELD, 12)
    with pytest.raises(ValidationError) as info:
        services.renew_plan(actor=world.lead, plan=plan)
    assert "existe déjà" in info.value.messages[0]


def test_only_the_regions_lead_manages_its_plan(world):
    plan = ActionPlanFactory(region=world.paca)
    for user in (world.other_lead, world.national, world.advisor):
        with pytest.raises(PermissionDenied):
            services.renew_plan(actor=user, plan=plan)
        with pytest.raises(PermissionDenied):
            services.add_plan_item(actor=user, plan=plan, section=PlanSection.OFFERS, title="X")
    assert ActionPlan.objects.count() == 1


def test_plan_item_rules(world):
    plan = ActionPlanFactory(region=world.paca)
    with pytest.raises(ValidationError):
        services.add_plan_item(
            actor=world.lead,
            plan=plan,
            section=PlanSection.OFFERS,
            title="X",
            indicator_key=IndicatorKey.HIRES,
        )
    item = services.add_plan_item(
        actor=world.lead,
        plan=plan,
        section=PlanSection.OFFERS,
        title="Recruter",
        audience="youths",
        indicator_key=IndicatorKey.HIRES,
        indicator_target=1000,
    )
    assert item.audience == ""  # an audience only belongs to section I
    services.transition_plan_item(actor=world.lead, item=item, action="complete")
    item.refresh_from_db()
    assert item.status == PlanItemStatus.DONE and item.completed_on == timezone.localdate()
    with pytest.raises(ValidationError):
        services.transition_plan_item(actor=world.lead, item=item, action="complete")
    with pytest.raises(ValidationError) as info:
        services.add_plan_note(
            actor=world.lead,
            item=item,
            written_on=timezone.localdate() + datetime.timedelta(days=1),
            text="x",
        )
    assert "future" in info.value.message_dict["written_on"][0]
    assert PlanItem.objects.count() == 1


def test_a_commitment_is_met_only_with_evidence_and_keeps_its_history(world):
    commitment = CommitmentFactory()
    with pytest.raises(ValidationError) as info:
        services.update_commitment(
            actor=world.national, commitment=commitment, status=CommitmentStatus.MET
        )
    assert "preuve" in info.value.message_dict["evidence_text"][0]
    assert not CommitmentLog.objects.exists()
    services.update_commitment(
        actor=world.national,
        commitment=commitment,
        status=CommitmentStatus.IN_PROGRESS,
        note="Lancé",
    )
    services.update_commitment(
        actor=world.national,
        commitment=commitment,
        status=CommitmentStatus.MET,
        evidence_text="Plan de communication adopté",
        evidence_url="https://www.cnml.fr/",
    )
    history = list(commitment.history.order_by("pk").values_list("from_status", "to_status"))
    assert history == [("not_started", "in_progress"), ("in_progress", "met")]


def test_who_follows_which_commitment(world):
    afrc_commitment = CommitmentFactory()
    cepl = OrganisationFactory(kind=OrganisationKind.BUSINESS_NETWORK, region=world.paca)
    cepl_commitment = CommitmentFactory(convention=afrc_commitment.convention, signatory=cepl)
    with pytest.raises(PermissionDenied):
        services.update_commitment(
            actor=world.lead, commitment=afrc_commitment, status="in_progress"
        )
    services.update_commitment(actor=world.lead, commitment=cepl_commitment, status="in_progress")
    with pytest.raises(PermissionDenied):
        services.update_commitment(
            actor=world.other_lead, commitment=cepl_commitment, status="met", evidence_text="x"
        )


def test_convention_duration_and_renewals():
    convention = ConventionFactory()
    assert convention.ends_on == datetime.date(2009, 6, 7)


def test_renewal_and_regional_convention_with_additional_commitments(world):
    national = ConventionFactory()
    services.renew_convention(
        actor=world.national,
        convention=national,
        renewed_on=datetime.date(2009, 6, 7),
        extra_years=3,
    )
    national.refresh_from_db()
    assert national.ends_on == datetime.date(2012, 6, 7)
    with pytest.raises(PermissionDenied):
        services.renew_convention(
            actor=world.lead,
            convention=national,
            renewed_on=datetime.date(2012, 6, 7),
            extra_years=3,
        )
    with pytest.raises(PermissionDenied):
        services.create_regional_convention(
            actor=world.lead,
            parent=national,
            region=world.other_region,
            title="Ailleurs",
            signed_on=datetime.date(2007, 1, 1),
            duration_years=3,
            signatories=[],
        )
    cepl = OrganisationFactory(kind=OrganisationKind.BUSINESS_NETWORK, region=world.paca)
    regional = services.create_regional_convention(
        actor=world.lead,
        parent=national,
        region=world.paca,
        title="Déclinaison PACA",
        signed_on=datetime.date(2007, 3, 15),
        duration_years=3,
        signatories=[cepl],
    )
    commitment = services.add_additional_commitment(
        actor=world.lead,
        convention=regional,
        signatory=cepl,
        text="Matinée de recrutement trimestrielle",
    )
    assert commitment.is_additional and commitment.article == 19


def test_regional_conventions_are_drawn_up_by_the_region_lead(world):
    # Art. 19: the signatories' regional representatives adapt the convention; national
    # staff follow the commitments but do not sign for a region (DOMAIN.md).
    national = ConventionFactory()
    fields = {
        "parent": national,
        "region": world.paca,
        "title": "Déclinaison PACA",
        "signed_on": datetime.date(2007, 3, 15),
        "duration_years": 3,
        "signatories": [],
    }
    for actor in (world.national, world.other_lead, world.advisor):
        assert not can_create_regional_convention(actor, world.paca)
        with pytest.raises(PermissionDenied):
            services.create_regional_convention(actor=actor, **fields)
    assert not national.regional_conventions.exists()
    admin = UserFactory(admin=True)
    assert can_create_regional_convention(admin, world.other_region)
    assert can_create_regional_convention(world.lead, world.paca)
    assert services.create_regional_convention(actor=world.lead, **fields).region == world.paca


def test_the_regions_offered_are_those_the_predicate_allows(world):
    # The convention page offers `Region.objects.led_by`; the service checks the predicate.
    admin = UserFactory(admin=True)
    for user in (world.lead, world.other_lead, world.national, world.advisor, admin):
        allowed = {r.pk for r in Region.objects.all() if can_create_regional_convention(user, r)}
        assert set(Region.objects.led_by(user).values_list("pk", flat=True)) == allowed
    assert set(Region.objects.led_by(world.lead).values_list("pk", flat=True)) == {world.paca.pk}
