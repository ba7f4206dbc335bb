"""The one rule of what a user outside the youth's mission locale may see of a youth
(`permissions.can_see_shared_profile`), its list form (`Youth.objects.shared_with`) and
the label every other app shows (`sharing.youth_as_seen_by`)."""

from __future__ import annotations

import pytest

from accounts.enums import Role
from candidates.enums import ConsentMethod
from candidates.models import Youth
from candidates.permissions import can_see_shared_profile
from candidates.services import anonymise_youth, withdraw_sharing_consent
from candidates.sharing import youth_as_seen_by
from tests.accounts.factories import OrganisationFactory, UserFactory, make_member

from .factories import YouthFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    ml = OrganisationFactory(mission_locale=True)
    advisor = make_member(Role.ADVISOR, organisation=ml)
    manager = make_member(Role.ML_MANAGER, organisation=ml)
    youths = {
        "consenting": YouthFactory(mission_locale=ml, advisor=advisor, consented=True),
        "never": YouthFactory(mission_locale=ml, advisor=advisor),
        "withdrawn": YouthFactory(mission_locale=ml, advisor=advisor, consented=True),
        "anonymised": YouthFactory(mission_locale=ml, advisor=advisor, consented=True),
    }
    withdraw_sharing_consent(youth=youths["withdrawn"], actor=advisor, method=ConsentMethod.EMAIL)
    anonymise_youth(youth=youths["anonymised"], actor=manager)
    users = {
        "advisor": advisor,
        "other_advisor": make_member(Role.ADVISOR),
        "recruiter": make_member(Role.RECRUITER),
        "lead": make_member(Role.PROJECT_LEAD),
        "partner": make_member(Role.PARTNER),
        "national": make_member(Role.NATIONAL),
        "admin": UserFactory(admin=True),
    }
    return users, {key: Youth.objects.get(pk=y.pk) for key, y in youths.items()}


def test_outside_the_mission_locale_only_a_consenting_youth_shows(people):
    users, youths = people
    for key in ("other_advisor", "recruiter", "lead", "partner", "national"):
        shown = {name for name, y in youths.items() if can_see_shared_profile(users[key], y)}
        assert shown == {"consenting"}, key
    for key in ("advisor", "admin"):  # they see the file
        assert all(can_see_shared_profile(users[key], y) for y in youths.values())


def test_the_list_form_follows_the_same_rule(people):
    users, youths = people
    for key, user in users.items():
        listed = set(Youth.objects.shared_with(user).filter(pk__in=[y.pk for y in youths.values()]))
        assert listed == {y for y in youths.values() if can_see_shared_profile(user, y)}, key


def test_the_label_is_the_name_the_shared_label_or_the_placeholder(people):
    users, youths = people
    consenting = youths["consenting"]
    seen = youth_as_seen_by(users["recruiter"], consenting, placeholder="Participant·e 1")
    assert seen.label == f"{consenting.first_name} {consenting.last_name[0].upper()}."
    assert seen.profile["label"] == seen.label and not seen.sees_file
    assert consenting.last_name not in str(seen.profile.values())
    hidden = youth_as_seen_by(users["recruiter"], youths["withdrawn"], placeholder="P·e 2")
    assert (hidden.label, hidden.profile, hidden.is_hidden) == ("P·e 2", None, True)
    own = youth_as_seen_by(users["advisor"], youths["withdrawn"], placeholder="P·e 2")
    assert own.label == str(youths["withdrawn"]) and own.sees_file
