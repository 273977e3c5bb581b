from __future__ import annotations

import pytest

from tests.inspections.world import InspectionWorld, build_inspection_world


@pytest.fixture
def iworld(cast) -> InspectionWorld:
    return build_inspection_world(cast)
