"""Roll-up sums and traffic lights, worked out by hand."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from jixiao.progress.selectors import (
    GREEN,
    RED,
    YELLOW,
    colour_for,
    milestone_lights,
    prefill_value,
    report_kind,
    rollup,
)
from jixiao.progress.services import report_review, report_submit
from jixiao.targets.services import milestone_set
from tests.progress.helpers import dekad, period

pytestmark = pytest.mark.django_db


def _report(cast, world, per, value: str | None):
    return report_submit(
        actor=cast.handler,
        target=world.a01,
        period=per,
        reporter=cast.handler_person,
        value=Decimal(value) if value is not None else None,
        narrative="进展",
    )


def _values(target) -> dict[tuple[str, int], tuple[Decimal | None, bool]]:
    return {(r.period.kind, r.period.number): (r.value, r.derived) for r in rollup(target)}


def test_rollup_sums_dekads_into_months_months_into_quarters_quarters_into_the_year(cast, world):
    y = world.year
    # January by dekads: 0.1 + 0.2 + 0.05 = 0.35 (derived)
    _report(cast, world, dekad(y, 1, 1), "0.1")
    _report(cast, world, dekad(y, 1, 2), "0.2")
    _report(cast, world, dekad(y, 1, 3), "0.05")
    # February typed for the month itself: 0.3 wins over its one dekad (0.9)
    _report(cast, world, dekad(y, 2, 1), "0.9")
    _report(cast, world, period(y, "month", 2), "0.3")
    # April: one dekad only, 0.4; a returned report in May does not count
    _report(cast, world, dekad(y, 4, 2), "0.4")
    returned = _report(cast, world, period(y, "month", 5), "7")
    report_review(actor=cast.head, report=returned, accept=False, note="数据有误")
    # A report without a value does not make a sum
    _report(cast, world, dekad(y, 7, 1), None)

    values = _values(world.a01)
    assert values[("month", 1)] == (Decimal("0.35"), True)
    assert values[("month", 2)] == (Decimal("0.3"), False)
    assert values[("month", 3)] == (None, True)
    assert values[("month", 4)] == (Decimal("0.4"), True)
    assert values[("month", 5)] == (None, True)
    assert values[("month", 7)] == (None, True)
    assert values[("dekad", 1)] == (Decimal("0.1"), False)
    # Q1 = 0.35 + 0.3 = 0.65; Q2 = 0.4; Q3, Q4 nothing
    assert values[("quarter", 1)] == (Decimal("0.65"), True)
    assert values[("quarter", 2)] == (Decimal("0.4"), True)
    assert values[("quarter", 3)] == (None, True)
    # H1 = Q1 + Q2 = 1.05; year = 1.05
    assert values[("half", 1)] == (Decimal("1.05"), True)
    assert values[("half", 2)] == (None, True)
    assert values[("year", 1)] == (Decimal("1.05"), True)
    # 36 dekads + 12 months + 4 quarters + 2 halves + 1 year
    assert len(values) == 55


def test_month_form_is_prefilled_with_the_sum_of_its_dekads(cast, world):
    y = world.year
    _report(cast, world, dekad(y, 3, 1), "2")
    _report(cast, world, dekad(y, 3, 3), "3.5")
    assert prefill_value(world.a01, period(y, "month", 3)) == Decimal("5.5")
    assert prefill_value(world.a01, period(y, "month", 4)) is None


def test_report_kind_follows_the_milestones(cast, world):
    assert report_kind(world.a01) == "month"
    milestone_set(
        actor=cast.office, target=world.a01, period=period(world.year, "month", 3), description="m"
    )
    assert report_kind(world.a01) == "month"
    milestone_set(
        actor=cast.office, target=world.a01, period=dekad(world.year, 3, 1), description="d"
    )
    assert report_kind(world.a01) == "dekad"


@pytest.mark.parametrize(
    ("today", "reported", "colour"),
    [
        (date(2024, 3, 7), False, YELLOW),  # due in 3 days
        (date(2024, 3, 6), False, GREEN),  # due in 4 days
        (date(2024, 3, 10), False, YELLOW),  # due today
        (date(2024, 3, 11), False, RED),  # due yesterday
        (date(2024, 3, 11), True, GREEN),  # reported
        (date(2024, 3, 8), True, GREEN),
    ],
)
def test_colour_boundaries(today, reported, colour):
    assert colour_for(due=date(2024, 3, 10), today=today, reported=reported) == colour


def test_milestone_lights_use_reports(cast, world):
    y = world.year
    d1 = dekad(y, 3, 1)  # ends 3/10
    milestone_set(actor=cast.office, target=world.a01, period=d1, description="旬节点")
    milestone_set(
        actor=cast.office, target=world.a02, period=period(y, "month", 3), description="月节点"
    )
    lights = milestone_lights([world.a01, world.a02], date(2024, 3, 11))
    assert [(light.target.code, light.colour) for light in lights] == [("A01", RED), ("A02", GREEN)]
    lights = milestone_lights([world.a01, world.a02], date(2024, 3, 28))
    assert {light.target.code: light.colour for light in lights} == {"A01": RED, "A02": YELLOW}
    _report(cast, world, d1, "1")
    lights = milestone_lights([world.a01, world.a02], date(2024, 3, 28))
    assert {light.target.code: light.colour for light in lights} == {"A01": GREEN, "A02": YELLOW}
    assert lights[0].days_left == -18


def test_month_milestone_is_met_by_all_three_dekad_reports(cast, world):
    y = world.year
    milestone_set(
        actor=cast.office, target=world.a01, period=period(y, "month", 3), description="m"
    )
    for part in (1, 2):
        _report(cast, world, dekad(y, 3, part), "1")
    (light,) = milestone_lights([world.a01], date(2024, 4, 2))
    assert light.colour == RED
    _report(cast, world, dekad(y, 3, 3), "1")
    (light,) = milestone_lights([world.a01], date(2024, 4, 2))
    assert light.colour == GREEN


def test_returned_report_leaves_the_light_red(cast, world):
    y = world.year
    milestone_set(actor=cast.office, target=world.a01, period=dekad(y, 3, 1), description="d")
    report = _report(cast, world, dekad(y, 3, 1), "1")
    report_review(actor=cast.head, report=report, accept=False, note="补充材料")
    (light,) = milestone_lights([world.a01], date(2024, 3, 12))
    assert light.colour == RED


def test_lights_take_a_fixed_number_of_queries(cast, world, django_assert_max_num_queries):
    y = world.year
    for target in (world.a01, world.a02, world.b01, world.c01):
        milestone_set(actor=cast.office, target=target, period=dekad(y, 3, 1), description="d")
        milestone_set(
            actor=cast.office, target=target, period=period(y, "month", 3), description="m"
        )
    targets = [world.a01, world.a02, world.b01, world.c01]
    with django_assert_max_num_queries(4):
        lights = milestone_lights(targets, date(2024, 3, 9))
    assert len(lights) == 8
