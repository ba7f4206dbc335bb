"""Fixtures of the accounts tests: a region and its project lead."""

import pytest

from accounts.enums import Role
from tests.accounts.factories import RegionFactory, make_member


@pytest.fixture
def region():
    return RegionFactory(paca=True)


@pytest.fixture
def lead(region):
    return make_member(Role.PROJECT_LEAD, region=region)
