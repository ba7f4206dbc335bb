"""The one place deciding who sees what: scopes and the accounts querysets."""

import pytest
from django.urls import reverse

from accounts.enums import Role
from accounts.models import Membership, Organisation, User
from accounts.scope import get_scope
from tests.accounts.factories import OrganisationFactory, RegionFactory, UserFactory, make_member
from tests.helpers import assert_refused

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    paca, ara = RegionFactory(paca=True), RegionFactory(code="84", name="Auvergne-Rhône-Alpes")
    ml_paca = OrganisationFactory(mission_locale=True, region=paca, name="ML Marseille")
    ml_ara = OrganisationFactory(mission_locale=True, region=ara, name="ML Lyon")
    company_paca = OrganisationFactory(company=True, region=paca, name="Méditel")
    company_ara = OrganisationFactory(company=True, region=ara, name="Rhône Appels")
    return {
        "paca": paca,
        "ara": ara,
        "ml_paca": ml_paca,
        "ml_ara": ml_ara,
        "company_paca": company_paca,
        "company_ara": company_ara,
        "advisor_paca": make_member(Role.ADVISOR, organisation=ml_paca),
        "advisor_ara": make_member(Role.ADVISOR, organisation=ml_ara),
        "recruiter_paca": make_member(Role.RECRUITER, organisation=company_paca),
        "lead_paca": make_member(Role.PROJECT_LEAD, region=paca),
        "national": make_member(Role.NATIONAL),
    }


def test_scope_reads_memberships_once_and_caches(world, django_assert_num_queries):
    user = User.objects.get(pk=world["advisor_paca"].pk)
    with django_assert_num_queries(1):
        scope = get_scope(user)
        get_scope(user)
    assert scope.mission_locale_ids == {world["ml_paca"].pk}
    assert scope.region_ids() == {world["paca"].pk}
    assert not scope.is_national and not scope.company_ids


def test_suspended_memberships_and_inactive_organisations_give_no_scope(world):
    Membership.objects.filter(user=world["advisor_paca"]).update(is_active=False)
    assert get_scope(User.objects.get(pk=world["advisor_paca"].pk)).memberships == ()
    Organisation.objects.filter(pk=world["company_paca"].pk).update(is_active=False)
    assert get_scope(User.objects.get(pk=world["recruiter_paca"].pk)).memberships == ()


def test_organisations_visible_to_each_role(world):
    def names(key):
        return set(Organisation.objects.visible_to(world[key]).values_list("name", flat=True))

    assert "Rhône Appels" not in names("advisor_paca")
    assert "ML Lyon" not in names("advisor_paca")
    assert {"ML Marseille", "Méditel"} <= names("advisor_paca")
    assert "ML Marseille" not in names("advisor_ara")
    assert "Rhône Appels" not in names("lead_paca")
    assert {"ML Marseille", "ML Lyon", "Méditel", "Rhône Appels"} <= names("national")
    assert Organisation.objects.visible_to(UserFactory()).count() == 0


def test_people_visible_to_each_role(world):
    visible = set(User.objects.visible_to(world["advisor_paca"]))
    assert world["advisor_ara"] not in visible
    assert world["advisor_paca"] in visible
    lead_sees = set(User.objects.visible_to(world["lead_paca"]))
    assert world["advisor_paca"] in lead_sees and world["recruiter_paca"] in lead_sees
    assert world["advisor_ara"] not in lead_sees


def test_team_page_is_refused_to_a_manager_of_another_mission_locale(client, world):
    manager = make_member(Role.ML_MANAGER, organisation=world["ml_paca"])
    other_manager = make_member(Role.ML_MANAGER, organisation=world["ml_ara"])
    client.force_login(manager)
    body = client.get(reverse("accounts:team")).content.decode()
    assert world["advisor_paca"].email in body
    assert world["advisor_ara"].email not in body
    membership = Membership.objects.get(user=world["advisor_paca"])
    assert_refused(
        client,
        other_manager,
        reverse("accounts:toggle_membership", args=[membership.pk]),
        method="post",
        must_not_contain=[world["advisor_paca"].email],
    )
    membership.refresh_from_db()
    assert membership.is_active
    for role in (Role.ADVISOR, Role.RECRUITER):
        assert_refused(client, world[f"{role}_paca"], reverse("accounts:team"))


def test_a_manager_suspends_an_advisor_who_then_sees_nothing(client, world):
    manager = make_member(Role.ML_MANAGER, organisation=world["ml_paca"])
    membership = Membership.objects.get(user=world["advisor_paca"])
    client.force_login(manager)
    client.post(reverse("accounts:toggle_membership", args=[membership.pk]))
    membership.refresh_from_db()
    assert not membership.is_active
    fresh = User.objects.get(pk=world["advisor_paca"].pk)
    assert Organisation.objects.visible_to(fresh).count() == 0


def test_assert_refused_catches_a_leak(client, world):
    """The shared helper fails when a page answers 200 to an outsider."""
    with pytest.raises(AssertionError, match="expected 403 or 404"):
        assert_refused(client, world["advisor_ara"], reverse("home"))
