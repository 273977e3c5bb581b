"""The notice's working-day arithmetic with public holidays and make-up working days."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jixiao.assessments.calendar import (
    add_working_days,
    is_working_day,
    notice_window,
)
from jixiao.years.holidays import preset_for
from jixiao.years.models import DayKind

SPAN = 90  # exceptions fall within three months of the start


@st.composite
def calendars(draw):
    """A start, a number of days and disjoint (holidays, make-up weekend days)."""
    start = draw(st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 12, 31)))
    days = draw(st.integers(min_value=0, max_value=30))
    offsets = st.integers(min_value=-3, max_value=SPAN)
    holidays = {start + timedelta(days=n) for n in draw(st.sets(offsets, max_size=25))}
    weekend = {
        start + timedelta(days=n)
        for n in draw(st.sets(offsets, max_size=8))
        if (start + timedelta(days=n)).weekday() >= 5
    }
    return start, days, frozenset(holidays), frozenset(weekend - holidays)


def working_days_between(start: date, end: date, holidays, workdays) -> int:
    """Working days in (start, end], counted one by one (the definition, not the loop)."""
    return sum(
        is_working_day(start + timedelta(days=n), holidays=holidays, workdays=workdays)
        for n in range(1, (end - start).days + 1)
    )


@given(calendars())
def test_the_end_is_a_working_day_after_exactly_n_working_days(calendar) -> None:
    start, days, holidays, workdays = calendar
    end = add_working_days(start, days, holidays=holidays, workdays=workdays)
    assert end >= start
    assert working_days_between(start, end, holidays, workdays) == days
    if days:
        assert is_working_day(end, holidays=holidays, workdays=workdays)
    else:
        assert end == start


@given(calendars(), st.integers(min_value=-3, max_value=SPAN))
def test_adding_a_holiday_never_makes_the_end_earlier(calendar, offset) -> None:
    start, days, holidays, workdays = calendar
    extra = start + timedelta(days=offset)
    before = add_working_days(start, days, holidays=holidays, workdays=workdays - {extra})
    after = add_working_days(start, days, holidays=holidays | {extra}, workdays=workdays - {extra})
    assert after >= before


@given(calendars(), st.integers(min_value=0, max_value=SPAN))
def test_a_make_up_working_day_never_makes_the_end_later(calendar, offset) -> None:
    start, days, holidays, workdays = calendar
    extra = start + timedelta(days=offset)
    before = add_working_days(start, days, holidays=holidays - {extra}, workdays=workdays)
    after = add_working_days(start, days, holidays=holidays - {extra}, workdays=workdays | {extra})
    assert after <= before


@given(st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 12, 31)))
def test_without_exceptions_only_weekends_are_skipped(start) -> None:
    end = add_working_days(start, 5)
    assert end.weekday() < 5
    weekdays = sum(
        (start + timedelta(days=n)).weekday() < 5 for n in range(1, (end - start).days + 1)
    )
    assert weekdays == 5


def test_a_day_cannot_be_both_a_holiday_and_a_working_day() -> None:
    day = date(2026, 10, 10)
    with pytest.raises(ValueError, match="both"):
        add_working_days(date(2026, 10, 9), 1, holidays={day}, workdays={day})
    with pytest.raises(ValueError, match="negative"):
        add_working_days(day, -1)


def _preset_2026() -> tuple[dict[date, str], dict[date, str]]:
    preset = preset_for(2026)
    assert preset is not None
    holidays = {d.date: d.name for d in preset.days if d.kind == DayKind.HOLIDAY}
    workdays = {d.date: d.name for d in preset.days if d.kind == DayKind.WORKDAY}
    return holidays, workdays


def test_a_notice_from_30_september_2026_skips_national_day() -> None:
    holidays, workdays = _preset_2026()
    start = date(2026, 9, 30)  # Wednesday
    assert add_working_days(start, 5) == date(2026, 10, 7)  # weekdays only: inside the holiday
    window = notice_window(start, 5, holidays=holidays, workdays=workdays)
    # 8 Oct (Thu), 9 Oct (Fri), 10 Oct (Sat, 调休上班), 12 Oct (Mon), 13 Oct (Tue).
    assert window.end == date(2026, 10, 13)
    assert window.skipped == ("国庆节",)
    assert window.makeup == (date(2026, 10, 10),)


def test_the_window_names_each_holiday_once_and_ignores_weekend_holidays() -> None:
    holidays, workdays = _preset_2026()
    # From Thursday 24 Sep: 中秋 starts Fri 25th; 国庆 follows after two weekdays.
    window = notice_window(date(2026, 9, 24), 5, holidays=holidays, workdays=workdays)
    assert window.skipped == ("中秋节", "国庆节")
    # 清明 2026 is Sat 4 – Mon 6 April: only the Monday moved anything, and it is named.
    window = notice_window(date(2026, 4, 3), 5, holidays=holidays, workdays=workdays)
    assert window.end == date(2026, 4, 13) and window.skipped == ("清明节",)
    # A notice in a plain week mentions nothing.
    window = notice_window(date(2026, 11, 2), 5, holidays=holidays, workdays=workdays)
    assert window.end == date(2026, 11, 9) and window.skipped == () and window.makeup == ()


def test_the_2026_preset_matches_the_notice() -> None:
    """Each range's length and weekday as the State Council's notice states them."""
    preset = preset_for(2026)
    assert preset is not None and preset.year == 2026
    assert preset.title == "国务院办公厅关于2026年部分节假日安排的通知"
    by_name: dict[str, list[date]] = {}
    for day in preset.days:
        if day.kind == DayKind.HOLIDAY:
            by_name.setdefault(day.name, []).append(day.date)
    lengths = {name: len(days) for name, days in by_name.items()}
    # "共3天", "共9天", … in the notice.
    assert lengths == {
        "元旦": 3,
        "春节": 9,
        "清明节": 3,
        "劳动节": 5,
        "端午节": 3,
        "中秋节": 3,
        "国庆节": 7,
    }
    workdays = [d.date for d in preset.days if d.kind == DayKind.WORKDAY]
    assert len(workdays) == 6 and all(d.weekday() >= 5 for d in workdays)
    assert len({d.date for d in preset.days}) == len(preset.days)
    assert [d.date for d in preset.days] == sorted(d.date for d in preset.days)
    assert preset_for(2031) is None
