"""The working calendar: days set by hand, the 2026 preset, and the .xlsx/.csv import."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from jixiao.audit.models import AuditEvent
from jixiao.spreadsheets import SheetFileError, Status
from jixiao.years.holidays import preset_for
from jixiao.years.models import CalendarException, DayKind
from jixiao.years.selectors import calendar_exceptions
from jixiao.years.services import (
    CREATED,
    UNCHANGED,
    UPDATED,
    calendar_day_delete,
    calendar_day_set,
    calendar_preset_load,
)
from jixiao.years.sheets import import_calendar
from tests.spreadsheets.workbooks import make_xlsx

pytestmark = pytest.mark.django_db

HEADERS = ["日期", "类型", "名称"]


def snapshot(org) -> list[tuple]:
    return list(CalendarException.objects.filter(org=org).values_list("date", "kind", "name"))


def test_set_change_and_delete_a_day_are_audited(cast) -> None:
    day = date(2026, 11, 20)
    __, outcome = calendar_day_set(
        actor=cast.office, org=cast.org, day=day, kind=DayKind.HOLIDAY, name="县庆"
    )
    assert outcome == CREATED
    __, outcome = calendar_day_set(
        actor=cast.office, org=cast.org, day=day, kind=DayKind.HOLIDAY, name="县庆"
    )
    assert outcome == UNCHANGED
    __, outcome = calendar_day_set(
        actor=cast.office, org=cast.org, day=day, kind=DayKind.HOLIDAY, name="县庆日"
    )
    assert outcome == UPDATED
    assert calendar_exceptions(cast.org) == ({day: "县庆日"}, {})
    assert calendar_exceptions(cast.other_org) == ({}, {})
    calendar_day_delete(actor=cast.office, org=cast.org, day=day)
    assert snapshot(cast.org) == []
    actions = list(
        AuditEvent.objects.filter(action__startswith="calendar.").values_list("action", flat=True)
    )
    assert sorted(actions) == ["calendar.day_delete", "calendar.day_set", "calendar.day_set"]
    with pytest.raises(ValidationError, match="没有日历调整"):
        calendar_day_delete(actor=cast.office, org=cast.org, day=day)


@pytest.mark.parametrize(
    ("kind", "name", "field"),
    [
        ("weekend", "国庆节", "kind"),
        (DayKind.HOLIDAY, "  ", "name"),
        (DayKind.HOLIDAY, "x" * 41, "name"),
    ],
)
def test_bad_days_are_refused(cast, kind, name, field) -> None:
    with pytest.raises(ValidationError) as info:
        calendar_day_set(
            actor=cast.office, org=cast.org, day=date(2026, 1, 2), kind=kind, name=name
        )
    assert field in info.value.message_dict
    assert snapshot(cast.org) == []


def test_loading_the_2026_preset_twice_changes_nothing_the_second_time(cast) -> None:
    preset = preset_for(2026)
    assert preset is not None
    # An office entry for a preset day is overwritten by the national arrangement.
    calendar_day_set(
        actor=cast.office, org=cast.org, day=date(2026, 10, 1), kind=DayKind.HOLIDAY, name="国庆"
    )
    first = calendar_preset_load(actor=cast.office, org=cast.org, year=2026)
    assert first == {CREATED: len(preset.days) - 1, UPDATED: 1, UNCHANGED: 0}
    rows = snapshot(cast.org)
    second = calendar_preset_load(actor=cast.office, org=cast.org, year=2026)
    assert second == {CREATED: 0, UPDATED: 0, UNCHANGED: len(preset.days)}
    assert snapshot(cast.org) == rows
    assert AuditEvent.objects.filter(action="calendar.preset_load").count() == 1
    holidays, workdays = calendar_exceptions(cast.org)
    assert holidays[date(2026, 10, 1)] == "国庆节" and workdays[date(2026, 10, 10)] == "国庆节"
    assert snapshot(cast.other_org) == []


def test_a_year_without_a_preset_is_refused(cast) -> None:
    with pytest.raises(ValidationError, match="2031"):
        calendar_preset_load(actor=cast.office, org=cast.org, year=2031)


def test_importing_the_same_file_twice_changes_nothing(cast) -> None:
    data = make_xlsx(
        HEADERS,
        [
            [date(2026, 10, 1), "放假", "国庆节"],
            ["2026-10-02", "放假", "国庆节"],
            ["2026年10月10日", "上班", "国庆节"],
        ],
    )
    report = import_calendar(actor=cast.office, org=cast.org, data=data, year=2026)
    assert report.applied and report.counts[Status.CREATED] == 3
    rows = snapshot(cast.org)
    assert rows == [
        (date(2026, 10, 1), DayKind.HOLIDAY, "国庆节"),
        (date(2026, 10, 2), DayKind.HOLIDAY, "国庆节"),
        (date(2026, 10, 10), DayKind.WORKDAY, "国庆节"),
    ]
    again = import_calendar(actor=cast.office, org=cast.org, data=data, year=2026)
    assert again.counts[Status.UNCHANGED] == 3 and again.changed == 0
    assert snapshot(cast.org) == rows
    assert AuditEvent.objects.filter(action="import.calendar").count() == 1


@pytest.mark.parametrize("encoding", ["utf-8-sig", "gb18030"])
def test_csv_in_utf8_or_gbk(cast, encoding) -> None:
    data = "日期,类型,名称\n2026-05-01,放假,劳动节\n2026-05-09,调休上班,劳动节\n".encode(encoding)
    report = import_calendar(actor=cast.office, org=cast.org, data=data, filename="假日.CSV")
    assert report.applied
    assert calendar_exceptions(cast.org) == (
        {date(2026, 5, 1): "劳动节"},
        {date(2026, 5, 9): "劳动节"},
    )


def test_one_bad_row_saves_nothing_and_every_problem_is_named(cast) -> None:
    data = make_xlsx(
        HEADERS,
        [
            ["2026-10-01", "放假", "国庆节"],  # fine, but not saved
            ["2026-13-01", "放假", "国庆节"],
            ["2026-10-03", "周末", "国庆节"],
            ["2026-10-01", "放假", "国庆节"],
            ["2027-01-01", "放假", "元旦"],
            ["2026-10-04", "放假", ""],
        ],
    )
    report = import_calendar(actor=cast.office, org=cast.org, data=data, year=2026)
    assert not report.applied and snapshot(cast.org) == []
    by_row = {r.row: (r.status, " ".join(r.messages)) for r in report.rows}
    assert by_row[2][0] == Status.CREATED
    assert "日期" in by_row[3][1] and "2026-13-01" in by_row[3][1]
    assert "类型" in by_row[4][1] and "周末" in by_row[4][1]
    assert "与第 2 行日期重复" in by_row[5][1]
    assert "不在 2026 年内" in by_row[6][1]
    assert "名称" in by_row[7][1] and "必填" in by_row[7][1]
    assert [r.row for r in report.rows if r.status == Status.ERROR] == [3, 4, 5, 6, 7]


def test_a_file_without_the_columns_is_refused(cast) -> None:
    with pytest.raises(SheetFileError, match="类型"):
        import_calendar(
            actor=cast.office, org=cast.org, data=make_xlsx(["日期", "名称"], [["2026-10-01", "x"]])
        )
    with pytest.raises(SheetFileError, match="编码"):
        import_calendar(actor=cast.office, org=cast.org, data=b"\xff\xfe\xfa", filename="a.csv")
