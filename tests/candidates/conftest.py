"""Fixtures of the candidate pool tests: the advisor whom the import files name (by the
address `conseil@ml.fr`) and their mission locale."""

from __future__ import annotations

import pytest

from accounts.enums import Role
from tests.accounts.factories import make_member


@pytest.fixture
def advisor():
    return make_member(Role.ADVISOR, email="conseil@ml.fr")


@pytest.fixture
def ml(advisor):
    return advisor.memberships.get().organisation
