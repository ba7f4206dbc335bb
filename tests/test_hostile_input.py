"""Every payload of `tests/payloads.py` through every form of the portal that stores
text: each app's `test_hostile_input.py` lists its forms (`CASES`), and
`tests/hostile_forms.py` says what each payload must give. One test per form and field
(`<case>-<field>`), its payloads as subtests; `tests/test_form_guard.py` fails on a form
left out of the tables."""

from __future__ import annotations

import pytest

from tests.accounts.test_hostile_input import CASES as ACCOUNTS
from tests.candidates.test_hostile_input import CASES as CANDIDATES
from tests.committees.test_hostile_input import CASES as COMMITTEES
from tests.hostile_forms import cases_params, check_field
from tests.immersion.test_hostile_input import CASES as IMMERSION
from tests.offers.test_hostile_input import CASES as OFFERS
from tests.reporting.test_hostile_input import CASES as REPORTING
from tests.youthspace.test_hostile_input import CASES as YOUTHSPACE

pytestmark = pytest.mark.django_db

CASES = [*ACCOUNTS, *CANDIDATES, *OFFERS, *IMMERSION, *COMMITTEES, *REPORTING, *YOUTHSPACE]


@pytest.mark.parametrize(("case", "name", "constrained"), cases_params(CASES))
def test_hostile_text(client, subtests, case, name, constrained):
    check_field(client, subtests, case, name, constrained)
