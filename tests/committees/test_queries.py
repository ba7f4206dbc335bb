"""List pages build their querysets on purpose: the query count does not grow with rows."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from committees.enums import PlanSection

from .factories import (
    ActionItemFactory,
    ActionPlanFactory,
    CommitmentFactory,
    CommitteeFactory,
    CommitteeMemberFactory,
    ConventionFactory,
    MeetingFactory,
    PlanItemFactory,
)

pytestmark = pytest.mark.django_db


def _assert_flat(client, url, grow, assert_num_queries, n_small=3, n_big=30):
    """Count the queries with a few rows, then assert the same count with ten times more."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    grow(n_small)
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    count = len(context)
    grow(n_big - n_small)
    with assert_num_queries(count):
        assert client.get(url).status_code == 200
    return count


def test_committee_list(client, world, django_assert_num_queries):
    client.force_login(world.advisor)

    def grow(n):
        for _ in range(n):
            CommitteeMemberFactory(
                committee=CommitteeFactory(region=world.paca), user=world.advisor
            )

    assert (
        _assert_flat(client, reverse("committees:committee_list"), grow, django_assert_num_queries)
        <= 12
    )


def test_committee_detail_with_many_meetings_and_members(client, world, django_assert_num_queries):
    client.force_login(world.lead)

    def grow(n):
        for _ in range(n):
            meeting = MeetingFactory(committee=world.committee, past=True)
            ActionItemFactory(meeting=meeting, owner=world.advisor)
            CommitteeMemberFactory(
                committee=world.committee, organisation=None, user=_new_member(world)
            )

    url = reverse("committees:committee_detail", args=[world.committee.pk])
    assert _assert_flat(client, url, grow, django_assert_num_queries) <= 25


def _new_member(world):
    from accounts.enums import Role
    from tests.accounts.factories import make_member

    return make_member(Role.ADVISOR, region=world.paca)


def test_meeting_detail_with_many_items(client, world, django_assert_num_queries):
    client.force_login(world.lead)
    meeting = MeetingFactory(committee=world.committee, past=True)

    def grow(n):
        for _ in range(n):
            ActionItemFactory(meeting=meeting, owner=world.advisor)

    url = reverse("committees:meeting_detail", args=[meeting.pk])
    assert _assert_flat(client, url, grow, django_assert_num_queries) <= 30


def test_my_action_items(client, world, django_assert_num_queries):
    client.force_login(world.advisor)
    plan = ActionPlanFactory(region=world.paca)

    def grow(n):
        for i in range(n):
            meeting = MeetingFactory(committee=world.committee, past=True)
            ActionItemFactory(
                meeting=meeting,
                owner=world.advisor,
                overdue=bool(i % 2),
                plan_item=PlanItemFactory(plan=plan),
            )

    assert (
        _assert_flat(client, reverse("committees:my_action_items"), grow, django_assert_num_queries)
        <= 12
    )


def test_plan_list_and_detail(client, world, django_assert_num_queries):
    client.force_login(world.national)
    plan = ActionPlanFactory(region=world.paca)

    years = iter(range(2100, 2300))

    def grow(n):
        for i in range(n):
            ActionPlanFactory(region=world.paca, year=next(years))
            PlanItemFactory(plan=plan, section=list(PlanSection.values)[i % 4])

    assert (
        _assert_flat(client, reverse("committees:plan_list"), grow, django_assert_num_queries) <= 12
    )
    client.force_login(world.lead)
    assert (
        _assert_flat(
            client,
            reverse("committees:plan_detail", args=[plan.pk]),
            grow,
            django_assert_num_queries,
        )
        <= 20
    )


def test_convention_page(client, world, django_assert_num_queries):
    client.force_login(world.national)
    convention = ConventionFactory()

    def grow(n):
        for _ in range(n):
            CommitmentFactory(convention=convention)
            ConventionFactory(regional=True, parent=convention, region=world.paca)

    assert (
        _assert_flat(client, reverse("committees:convention"), grow, django_assert_num_queries)
        <= 25
    )


def test_convention_page_for_a_lead_with_many_regional_conventions(
    client, world, django_assert_num_queries
):
    # Each regional convention the lead manages carries a form listing its signatories:
    # they come from the prefetch, not from one query per form.
    from tests.accounts.factories import OrganisationFactory

    client.force_login(world.lead)
    national = ConventionFactory()
    names = []

    def grow(n):
        for _ in range(n):
            regional = ConventionFactory(regional=True, parent=national, region=world.paca)
            signatories = OrganisationFactory.create_batch(2, region=world.paca)
            regional.signatories.add(*signatories)
            CommitmentFactory(convention=regional, signatory=signatories[0])
            names.extend(org.name for org in signatories)

    url = reverse("committees:convention")
    assert _assert_flat(client, url, grow, django_assert_num_queries, n_small=1, n_big=12) <= 25
    response = client.get(url)
    forms = response.context["additional_forms"]
    assert len(forms) == 12
    offered = [label for form in forms.values() for _pk, label in form.fields["signatory"].choices]
    assert sorted(label for label in offered if label != "---------") == sorted(names)
    page = response.content.decode()
    assert all(name in page for name in names)


def test_overdue_first_order(world):
    from committees.models import ActionItem

    meeting = MeetingFactory(committee=world.committee, past=True)
    later = ActionItemFactory(
        meeting=meeting,
        owner=world.advisor,
        due_on=timezone.localdate() + datetime.timedelta(days=2),
    )
    late = ActionItemFactory(meeting=meeting, owner=world.advisor, overdue=True)
    done = ActionItemFactory(
        meeting=meeting,
        owner=world.advisor,
        done=True,
        due_on=timezone.localdate() - datetime.timedelta(days=50),
    )
    assert list(ActionItem.objects.owned_by(world.advisor).overdue_first()) == [late, later, done]


def test_my_action_items_leaves_out_old_closed_items(client, world):
    meeting = MeetingFactory(committee=world.committee, past=True)
    old = timezone.localdate() - datetime.timedelta(days=200)
    ActionItemFactory(
        meeting=meeting, owner=world.advisor, done=True, due_on=old, title="Ancienne close"
    )
    ActionItemFactory(meeting=meeting, owner=world.advisor, due_on=old, title="Ancienne ouverte")
    client.force_login(world.advisor)
    page = client.get(reverse("committees:my_action_items")).content.decode()
    assert "Ancienne ouverte" in page and "Ancienne close" not in page
