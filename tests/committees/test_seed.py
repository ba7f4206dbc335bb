"""The demo seed: the convention's commitments in French, the committees of Article 17,
a year of meetings and the 2006 Marseille pilot plan; run twice, nothing doubles."""

import datetime

import pytest

from accounts import seed as accounts_seed
from committees import seed as committees_seed
from committees.enums import CommitteeKind, PlanSection
from committees.models import (
    ActionItem,
    ActionPlan,
    Commitment,
    Committee,
    Convention,
    Document,
    Meeting,
    PlanItem,
)

pytestmark = pytest.mark.django_db


def test_seed_is_complete_and_idempotent(private_media):
    demo = accounts_seed.seed(password="un-mot-de-passe-solide-42")
    committees_seed.seed(demo)
    counts = [
        m.objects.count()
        for m in (Committee, Meeting, ActionItem, Commitment, ActionPlan, PlanItem, Document)
    ]
    committees_seed.seed(accounts_seed.seed(password="un-mot-de-passe-solide-42"))
    assert [
        m.objects.count()
        for m in (Committee, Meeting, ActionItem, Commitment, ActionPlan, PlanItem, Document)
    ] == counts

    national = Convention.objects.get(region=None)
    assert national.signed_on == datetime.date(2006, 6, 7) and national.duration_years == 3
    assert national.signatories.count() == 4
    assert set(national.commitments.values_list("article", flat=True)) == {1, 2, 3, 4, 6, 7, 8}
    assert national.commitments.filter(
        text__startswith="Inciter ses membres à recruter 1 000 jeunes par an"
    ).exists()
    assert (
        Commitment.objects.filter(is_additional=True, convention__region__isnull=False).count() == 2
    )

    assert set(Committee.objects.values_list("kind", flat=True)) == set(CommitteeKind.values)
    pilot_plan = ActionPlan.objects.get(year=2006)
    assert set(pilot_plan.items.values_list("section", flat=True)) == set(PlanSection.values)
    assert pilot_plan.items.filter(status="done").exists()
    assert (
        pilot_plan.items.filter(title__startswith="Rencontres métiers").get().indicator_target == 12
    )
    pilot = Committee.objects.get(kind=CommitteeKind.PILOT)
    assert pilot.meetings.count() == 5
    # The coming meeting is planned through the service: the open actions of the last
    # meeting open its agenda, once.
    last, upcoming = pilot.meetings.order_by("-starts_at")[1], pilot.meetings.latest("starts_at")
    assert upcoming.prepared_from == last
    carried = list(last.action_items.open().order_by("due_on", "pk"))
    points = list(upcoming.agenda_items.order_by("position"))
    assert carried and [p.carried_action for p in points] == carried
    assert points[0].title == f"Suivi : {carried[0].title} ({carried[0].owner})"
    assert pilot.meetings.exclude(minutes="").count() == 4
    assert ActionItem.objects.filter(owner=demo.users["advisor"]).exists()
    assert ActionItem.objects.open().exists() and ActionItem.objects.filter(status="done").exists()
