"""Fixtures of the committees tests: the small world of `factories.build_world` and a
private media folder of the test's own."""

from __future__ import annotations

import pytest

from .factories import World, build_world


@pytest.fixture
def private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    return settings.PRIVATE_MEDIA_ROOT


@pytest.fixture
def world(db, private_media) -> World:
    return build_world()
