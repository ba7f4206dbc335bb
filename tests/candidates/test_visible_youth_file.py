"""`visible_youth_file(user, pk)`, the youth's page's own query compiled once per shape of
scope, finds exactly what `Youth.objects.visible_to(user).with_file()` finds, for every
role and every youth: the same youth with the same fields, the same related objects
loaded with it and the same flags of the file, or nobody (the page's 404)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from accounts.enums import Role
from accounts.models import Membership
from candidates.models import Youth, visible_youth_file
from tests.accounts.factories import OrganisationFactory, RegionFactory, UserFactory, make_member

from .factories import FollowUpNoteFactory, YouthFactory

pytestmark = pytest.mark.django_db

#: The related objects the youth's page reads from the youth's own row.
LOADED_WITH = ("mission_locale", "advisor", "consent_recorded_by")


def _as_read(youth: Youth | None):
    """What a page can read of the youth: its fields, its flags, the related objects
    loaded with it (and theirs), and whether reading one more would cost a query."""
    if youth is None:
        return None
    fields = {name: value for name, value in vars(youth).items() if not name.startswith("_")}
    related = {}
    for name in LOADED_WITH:
        field = Youth._meta.get_field(name)
        assert field.is_cached(youth), name  # loaded with the youth: no query to read it
        value = field.get_cached_value(youth)
        related[name] = value and {k: v for k, v in vars(value).items() if k != "_state"}
    return fields, related, youth._state.adding, youth._state.db


@pytest.fixture
def network():
    """Two missions locales of one region, one of another region, a youth in each
    (one with a note, one consenting, so that the flags and the related objects vary)."""
    region, elsewhere = RegionFactory(), RegionFactory()
    first = OrganisationFactory(mission_locale=True, region=region)
    second = OrganisationFactory(mission_locale=True, region=region)
    far = OrganisationFactory(mission_locale=True, region=elsewhere)
    youths = [
        YouthFactory(mission_locale=first, consented=True),
        YouthFactory(mission_locale=second),
        YouthFactory(mission_locale=far, advisor=None),
    ]
    FollowUpNoteFactory(youth=youths[0])
    return region, (first, second, far), youths


def _users(region, missions_locales):
    first, second, far = missions_locales
    both = make_member(Role.ADVISOR, organisation=first)
    Membership.objects.create(user=both, organisation=second, role=Role.ML_MANAGER)
    left = make_member(Role.ADVISOR, organisation=second)
    Membership.objects.filter(user=left).update(is_active=False)
    return {
        "advisor": make_member(Role.ADVISOR, organisation=first),
        "manager": make_member(Role.ML_MANAGER, organisation=first),
        "advisor and manager of two": both,
        "advisor of another region": make_member(Role.ADVISOR, organisation=far),
        "advisor who left": left,
        "admin": UserFactory(admin=True),
        "recruiter": make_member(Role.RECRUITER, region=region),
        "project lead": make_member(Role.PROJECT_LEAD, region=region),
        "partner": make_member(Role.PARTNER, region=region),
        "national": make_member(Role.NATIONAL),
        "nobody's member": UserFactory(),
    }


def test_it_finds_what_visible_to_finds_for_every_role(network):
    region, missions_locales, youths = network
    users = _users(region, missions_locales)
    other = Youth.objects.order_by("-pk").first().pk + 1000
    for role, user in users.items():
        for pk in [youth.pk for youth in youths] + [other]:
            expected = Youth.objects.visible_to(user).with_file().filter(pk=pk).first()
            assert _as_read(visible_youth_file(user, pk)) == _as_read(expected), (role, pk)
    # What each one sees, as the rule says.
    seen = {
        role: {pk for pk in (y.pk for y in youths) if visible_youth_file(user, pk)}
        for role, user in users.items()
    }
    first, second, far = (youth.pk for youth in youths)
    assert seen["advisor"] == seen["manager"] == {first}
    assert seen["advisor and manager of two"] == {first, second}
    assert seen["advisor of another region"] == {far}
    assert seen["admin"] == {first, second, far}
    for role in ("advisor who left", "recruiter", "project lead", "partner", "national"):
        assert seen[role] == set(), role


def test_the_flags_and_the_related_objects_are_the_youths(network):
    _region, (first, _second, _far), youths = network
    advisor = make_member(Role.ADVISOR, organisation=first)
    youth = visible_youth_file(advisor, youths[0].pk)
    assert youth.has_follow_up_notes and not youth.has_assessments
    assert youth.mission_locale == first and youth.consent_recorded_by == youths[0].advisor
    assert youth.contract_wishes == youths[0].contract_wishes  # converted as the ORM does


def test_one_query_and_none_without_a_mission_locale(network, django_assert_num_queries):
    _region, (first, _second, _far), youths = network
    advisor = make_member(Role.ADVISOR, organisation=first)
    recruiter = make_member(Role.RECRUITER)
    for user in (advisor, recruiter):
        visible_youth_file(user, youths[0].pk)  # the user's scope, read once a request
    with django_assert_num_queries(1):
        assert visible_youth_file(advisor, youths[0].pk) is not None
    with django_assert_num_queries(0):  # `visible_to` is `.none()`: nothing to ask
        assert visible_youth_file(recruiter, youths[0].pk) is None


def test_the_page_is_a_404_for_a_user_of_another_mission_locale_or_region(client, network):
    region, (first, second, far), youths = network
    for user in (
        make_member(Role.ADVISOR, organisation=second),
        make_member(Role.ML_MANAGER, organisation=far),
    ):
        client.force_login(user)
        response = client.get(reverse("candidates:youth_detail", args=[youths[0].pk]))
        assert response.status_code == 404
    client.force_login(make_member(Role.ADVISOR, organisation=first))
    assert client.get(reverse("candidates:youth_detail", args=[youths[0].pk])).status_code == 200
