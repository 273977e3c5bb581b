"""Year reads: the current year, and the periods grouped for display."""

from __future__ import annotations

from datetime import date

from jixiao.organisation.access import access_for
from jixiao.years.selectors import current_year, year_list, year_period_groups
from jixiao.years.services import year_setup


def test_current_year_is_the_orgs_latest(cast) -> None:
    assert current_year(access_for(cast.office)) is None
    year_setup(actor=cast.office, org=cast.org, year=2024, choices={"organisation": "bailian-town"})
    latest = year_setup(
        actor=cast.office, org=cast.org, year=2025, choices={"organisation": "bailian-town"}
    )
    year_setup(
        actor=cast.outsider, org=cast.other_org, year=2026, choices={"organisation": "bailian-town"}
    )
    assert current_year(access_for(cast.cadre)) == latest
    assert [y.year for y in year_list(access_for(cast.office))] == [2025, 2024]
    assert [y.year for y in year_list(access_for(cast.outsider))] == [2026]


def test_periods_grouped_by_month_with_three_dekads(cast) -> None:
    year = year_setup(
        actor=cast.office, org=cast.org, year=2024, choices={"organisation": "bailian-town"}
    )
    groups = year_period_groups(year)
    assert groups.year.name == "2024年度"
    assert [h.name for h in groups.halves] == ["上半年", "下半年"]
    assert [q.name for q in groups.quarters] == ["第一季度", "第二季度", "第三季度", "第四季度"]
    assert [m.month.number for m in groups.months] == list(range(1, 13))
    assert all(len(m.dekads) == 3 for m in groups.months)
    february = groups.months[1]
    # 2024 is a leap year: the last dekad of February is the 21st to the 29th.
    assert [(d.name, d.start, d.end) for d in february.dekads] == [
        ("2月上旬", date(2024, 2, 1), date(2024, 2, 10)),
        ("2月中旬", date(2024, 2, 11), date(2024, 2, 20)),
        ("2月下旬", date(2024, 2, 21), date(2024, 2, 29)),
    ]
