"""A year of 白莲镇 with a scheme pinned for each kind of subject."""

from __future__ import annotations

import pytest

from jixiao.years.models import SubjectKind
from jixiao.years.services import year_setup


@pytest.fixture
def year(cast):
    return year_setup(
        actor=cast.office,
        org=cast.org,
        year=2024,
        choices={
            SubjectKind.ORGANISATION: "bailian-town",
            SubjectKind.UNIT: "hami-transport",
            SubjectKind.PERSON: "town-cadre",
            SubjectKind.TASK_FORCE: "haiyong-taskforce",
        },
    )


@pytest.fixture
def q1(year):
    return year.periods.get(kind="quarter", number=1)
