from __future__ import annotations

import pytest

from tests.targets.world import World, build_world


@pytest.fixture
def world(cast) -> World:
    return build_world(cast)
