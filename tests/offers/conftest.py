"""Fixtures of the offers tests: the small world of `factories.build_world`, a published
offer of its company and a consenting youth of its Marseille mission locale."""

from __future__ import annotations

import pytest

from tests.candidates.factories import YouthFactory

from .factories import OfferFactory, World, build_world


@pytest.fixture
def world(db) -> World:
    return build_world()


@pytest.fixture
def published_offer(world):
    return OfferFactory(company=world.company, job_role=world.role, published=True)


@pytest.fixture
def youth(world):
    """A consenting youth of the Marseille mission locale, followed by `world.advisor`."""
    return YouthFactory(
        mission_locale=world.ml,
        advisor=world.advisor,
        consented=True,
        first_name="Inès",
        last_name="Benhamou",
    )
