from __future__ import annotations

import pytest


@pytest.fixture
def world(cast):
    from tests.dashboards.world import build_world

    return build_world(cast)
