from types import SimpleNamespace

import pytest

from accounts.enums import Role
from tests.accounts.factories import OrganisationFactory, make_member
from tests.candidates.factories import YouthFactory


@pytest.fixture
def ml(db):
    """A mission locale with its advisor, its manager and a youth; a neighbouring
    mission locale with its own advisor, manager and youth."""
    home = OrganisationFactory(mission_locale=True, name="Mission locale du Vieux-Port")
    other = OrganisationFactory(mission_locale=True, region=home.region, name="Voisine")
    advisor = make_member(Role.ADVISOR, organisation=home)
    other_advisor = make_member(Role.ADVISOR, organisation=other)
    return SimpleNamespace(
        home=home,
        other=other,
        advisor=advisor,
        manager=make_member(Role.ML_MANAGER, organisation=home),
        youth=YouthFactory(
            mission_locale=home, advisor=advisor, first_name="Zéphyrine", last_name="Aubrac"
        ),
        other_advisor=other_advisor,
        other_manager=make_member(Role.ML_MANAGER, organisation=other),
        other_youth=YouthFactory(mission_locale=other, advisor=other_advisor, last_name="Voisin"),
    )
