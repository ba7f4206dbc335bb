"""Fixtures of the reporting tests: the small, fully known world of
`factories.build_world`."""

from __future__ import annotations

import pytest

from .factories import World, build_world


@pytest.fixture
def world(db) -> World:
    return build_world()
