"""The convention loads in a production install, without any demo person or company."""

import pytest
from django.core.management import call_command

from accounts.enums import OrganisationKind
from accounts.models import Organisation, Region, User
from committees import convention_content
from committees.enums import CommitmentStatus, PlanItemStatus
from committees.models import ActionPlan, Commitment, Convention, PlanItem

pytestmark = pytest.mark.django_db


def test_a_fresh_install_gets_the_convention_and_nothing_of_the_demo(capsys):
    call_command("load_convention")
    convention = Convention.objects.get(region=None)
    assert convention.signed_on.isoformat() == "2006-06-07"
    assert convention.duration_years == 3
    assert sorted(convention.signatories.values_list("kind", flat=True)) == sorted(
        [
            OrganisationKind.CNML,
            OrganisationKind.AFRC,
            OrganisationKind.MISSION_LOCALE,
            OrganisationKind.BUSINESS_NETWORK,
        ]
    )
    commitments = Commitment.objects.filter(convention=convention)
    assert commitments.count() == len(convention_content.COMMITMENTS) == 44
    assert set(commitments.values_list("status", flat=True)) == {CommitmentStatus.NOT_STARTED}
    assert commitments.filter(article=1, text__contains="recruter 1 000 jeunes par an").exists()
    pilot = ActionPlan.objects.get(year=2006, region__code="93")
    items = PlanItem.objects.filter(plan=pilot)
    assert items.count() == len(convention_content.PILOT_PLAN) == 21
    assert set(items.values_list("status", flat=True)) == {PlanItemStatus.PLANNED}
    assert Region.objects.count() == 18
    # Nothing of the demo: no user, no company, no other mission locale.
    assert not User.objects.exists()
    assert Organisation.objects.count() == 4
    assert "44 commitments" in capsys.readouterr().out


def test_loading_again_duplicates_nothing_and_keeps_what_users_changed():
    call_command("load_convention")
    commitment = Commitment.objects.order_by("article", "position").first()
    commitment.status = CommitmentStatus.MET
    commitment.evidence_text = "Plan de communication adopté."
    commitment.save()
    Region.objects.filter(code="93").update(name="PACA")
    call_command("load_convention")
    assert Commitment.objects.count() == 44
    assert PlanItem.objects.count() == 21
    assert Organisation.objects.count() == 4
    commitment.refresh_from_db()
    assert commitment.status == CommitmentStatus.MET
    assert Region.objects.get(code="93").name == "PACA"
