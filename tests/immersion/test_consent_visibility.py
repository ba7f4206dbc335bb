"""Who sees which youths on the platform page and in session rosters (issue 12, finding
10): one rule (`candidates.permissions.can_see_shared_profile`). Other missions
locales' advisors get counts; the project lead and hosts get the shared label of
consenting youths and "Participant·e N" for the others; nobody outside the youth's
mission locale ever reads a surname."""

from __future__ import annotations

import pytest
from django.urls import reverse

from accounts.enums import Role
from candidates.enums import ConsentMethod
from candidates.services import withdraw_sharing_consent
from immersion import services
from tests.accounts.factories import make_member
from tests.candidates.factories import YouthFactory

from .factories import CaeContractFactory, CohortFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def platform(world):
    """The PACA platform: two youths of Marseille and two of Aix, one of each consenting,
    each with their own employer."""
    cohort = CohortFactory(region=world.paca)
    people = {
        "amira": (world.ml, world.advisor, "Amira", "Belkacem", True, "Alpha"),
        "hugo": (world.ml, world.advisor, "Hugo", "Secret", False, "Bravo"),
        "nassim": (world.ml_aix, world.advisor_aix, "Nassim", "Aouadi", True, "Charlie"),
        "sofia": (world.ml_aix, world.advisor_aix, "Sofia", "Privat", False, "Delta"),
    }
    youths = {}
    for key, (ml, advisor, first, last, consented, employer) in people.items():
        youths[key] = YouthFactory(
            mission_locale=ml,
            advisor=advisor,
            first_name=first,
            last_name=last,
            consented=consented,
        )
        CaeContractFactory(cohort=cohort, youth=youths[key], employer=f"Société {employer}")
    return cohort, youths


def _page(client, user, cohort) -> str:
    client.force_login(user)
    response = client.get(reverse("immersion:cohort_detail", args=[cohort.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_other_missions_locales_advisors_see_counts_not_youths(client, world, platform):
    cohort, _youths = platform
    body = _page(client, world.advisor, cohort)
    assert "Amira Belkacem" in body and "Hugo Secret" in body  # my youths, by name
    for text in ("Nassim", "Sofia", "Aouadi", "Privat", "Société Charlie", "Société Delta"):
        assert text not in body, text
    assert "Mission locale d&#x27;Aix : 2 contrats" in body
    assert "4 / 50 contrats" in body  # the occupancy stays whole


def test_the_project_lead_sees_shared_labels_and_placeholders(client, world, platform):
    cohort, _youths = platform
    body = _page(client, world.lead, cohort)
    assert "Amira B." in body and "Nassim A." in body
    for text in ("Hugo", "Sofia", "Belkacem", "Secret", "Aouadi", "Privat"):
        assert text not in body, text
    assert "Participant·e 2" in body and "Participant·e 4" in body
    # The lead runs the platform: the contracts themselves stay listed, outcome forms too.
    assert "Société Delta" in body and "Enregistrer l'issue" in body


def test_a_withdrawal_turns_the_label_into_a_placeholder(client, world, platform):
    cohort, youths = platform
    withdraw_sharing_consent(youth=youths["amira"], actor=world.advisor, method=ConsentMethod.EMAIL)
    body = _page(client, world.lead, cohort)
    assert "Amira" not in body and "Participant·e 1" in body
    # Her own mission locale still sees her by name.
    assert "Amira Belkacem" in _page(client, world.advisor, cohort)


def test_a_host_sees_only_consenting_youths_in_the_roster(client, world, platform):
    _cohort, youths = platform
    services.enrol_youths(
        actor=world.advisor, session=world.session, youths=[youths["amira"], youths["hugo"]]
    )
    hosts = [world.recruiter, world.lead]
    for user in hosts:
        client.force_login(user)
        body = client.get(
            reverse("immersion:session_detail", args=[world.session.pk])
        ).content.decode()
        assert "Amira B." in body and "Mission locale de Marseille" in body
        assert "Hugo" not in body and "Secret" not in body and "Belkacem" not in body
        assert "Participant·e 2" in body


def test_a_mission_locale_hosting_a_session_names_its_own_youths(client, world, platform):
    """A mission locale may host (an open day): its manager sees its own youths' file
    names and the other missions locales' youths by the rule, like any host."""
    _cohort, youths = platform
    manager = make_member(Role.ML_MANAGER, organisation=world.ml_aix)
    session = world.session
    session.host = world.ml_aix
    session.save()
    services.enrol_youths(actor=world.advisor, session=session, youths=[youths["hugo"]])
    services.enrol_youths(actor=world.advisor_aix, session=session, youths=[youths["sofia"]])
    client.force_login(manager)
    body = client.get(reverse("immersion:session_detail", args=[session.pk])).content.decode()
    assert "Sofia Privat" in body
    assert "Hugo" not in body and "Participant·e 1" in body
