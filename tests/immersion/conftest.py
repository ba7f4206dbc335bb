"""Fixtures of the immersion tests: the small world of `factories.build_world`."""

from __future__ import annotations

import pytest

from .factories import World, build_world


@pytest.fixture
def world(db) -> World:
    return build_world()
