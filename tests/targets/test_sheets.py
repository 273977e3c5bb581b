"""Excel round trip for a year's targets and their decomposition to people."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from jixiao.audit.models import AuditEvent
from jixiao.organisation.access import access_for
from jixiao.schemes.services import scheme_create_from_preset
from jixiao.spreadsheets import Status, export_workbook, template_workbook
from jixiao.targets.models import Assignment, Target
from jixiao.targets.services import target_create
from jixiao.targets.sheets import TARGET_SHEET, import_targets, targets_for_export, template_sheet
from jixiao.years.models import SubjectKind
from jixiao.years.services import year_create
from tests.spreadsheets.workbooks import make_xlsx, read_xlsx

HEADERS = [
    "编号",
    "目标内容",
    "工作措施",
    "完成时限",
    "预期效果",
    "目标值",
    "计量单位",
    "权重",
    "对应指标",
    "责任单位编码",
    "主管领导工号",
    "分管领导工号",
    "科室负责人工号",
    "承办人工号",
]


@pytest.fixture
def year(cast):
    scheme = scheme_create_from_preset(actor=cast.office, org=cast.org, preset="bailian-town")
    return year_create(
        actor=cast.office,
        org=cast.org,
        year=2025,
        schemes={SubjectKind.ORGANISATION: scheme.versions.get(number=1)},
    )


ROWS = [
    [
        "1-1",
        "完成招商引资",
        "走访企业",
        date(2025, 6, 30),
        "引进项目",
        5,
        "个",
        10,
        "indicators.sustainable",
        "jjfz",
        "p001",
        "",
        "p002",
        "p003、p005",
    ],
    ["1-2", "改善村容", "", "2025/12/31", "", 12.5, "%", 7.25, "", "v01", "", "", "", "p004"],
]


def holders(target: Target) -> set[tuple[str, str]]:
    return {(a.responsibility, a.person.code) for a in target.assignments.all()}


def test_import_creates_targets_with_assignments(cast, year) -> None:
    data = make_xlsx(HEADERS, ROWS)
    report = import_targets(actor=cast.office, year=year, data=data)
    assert [(r.row, r.status) for r in report.rows] == [(2, Status.CREATED), (3, Status.CREATED)]
    assert not Target.objects.exists()

    report = import_targets(actor=cast.office, year=year, data=data, dry_run=False)
    assert report.applied
    first = Target.objects.get(year=year, code="1-1")
    assert (first.deadline, first.target_value, first.weight, first.unit) == (
        date(2025, 6, 30),
        Decimal(5),
        Decimal(10),
        cast.section,
    )
    assert first.indicator == "indicators.sustainable"
    assert holders(first) == {
        ("principal_leader", "p001"),
        ("section_head", "p002"),
        ("handler", "p003"),
        ("handler", "p005"),
    }
    second = Target.objects.get(year=year, code="1-2")
    assert (second.deadline, second.target_value, second.weight) == (
        date(2025, 12, 31),
        Decimal("12.5"),
        Decimal("7.25"),
    )
    assert holders(second) == {("handler", "p004")}


def test_same_file_twice_changes_nothing(cast, year) -> None:
    data = make_xlsx(HEADERS, ROWS)
    import_targets(actor=cast.office, year=year, data=data, dry_run=False)
    events = AuditEvent.objects.count()
    report = import_targets(actor=cast.office, year=year, data=data, dry_run=False)
    assert [r.status for r in report.rows] == [Status.UNCHANGED, Status.UNCHANGED]
    assert AuditEvent.objects.count() == events


def test_changed_cells_update_and_reassign(cast, year) -> None:
    import_targets(actor=cast.office, year=year, data=make_xlsx(HEADERS, ROWS), dry_run=False)
    changed = [list(ROWS[0]), ROWS[1]]
    changed[0][5] = 6
    changed[0][13] = "p003"  # p005 no longer a handler
    report = import_targets(
        actor=cast.office, year=year, data=make_xlsx(HEADERS, changed), dry_run=False
    )
    assert [r.status for r in report.rows] == [Status.UPDATED, Status.UNCHANGED]
    target = Target.objects.get(year=year, code="1-1")
    assert target.target_value == Decimal(6)
    assert ("handler", "p005") not in holders(target)
    assert AuditEvent.objects.filter(action="target.unassign").count() == 1
    update = AuditEvent.objects.get(action="target.update")
    assert update.after == {"target_value": "6"}


def test_unknown_indicator_people_and_unit_are_row_errors(cast, year) -> None:
    bad = [
        ROWS[0],
        [
            "2-1",
            "错误目标",
            "",
            "明年",
            "",
            "",
            "",
            "",
            "no.such.node",
            "nowhere",
            "",
            "",
            "",
            "x9、p003",
        ],
    ]
    report = import_targets(
        actor=cast.office, year=year, data=make_xlsx(HEADERS, bad), dry_run=False
    )
    assert not report.applied
    assert not Target.objects.exists()
    assert report.rows[0].status == Status.CREATED
    assert report.rows[1].row == 3
    assert report.rows[1].messages == ["完成时限：“明年”不是日期，请写成 2024-06-30"]
    bad[1][3] = ""
    report = import_targets(actor=cast.office, year=year, data=make_xlsx(HEADERS, bad))
    assert report.rows[1].messages == [
        "责任单位编码：本单位下没有编码为 nowhere 的单位",
        "对应指标：no.such.node 不是本年度考核方案中的指标",
        "承办人工号：本单位没有工号为 x9 的人员",
    ]


def test_people_and_units_of_another_org_are_unknown(cast, year) -> None:
    row = ["3-1", "目标", "", "", "", "", "", "", "", "yanghe", "y001", "", "", ""]
    report = import_targets(actor=cast.office, year=year, data=make_xlsx(HEADERS, [row]))
    assert report.rows[0].messages == [
        "责任单位编码：本单位下没有编码为 yanghe 的单位",
        "主管领导工号：本单位没有工号为 y001 的人员",
    ]


def test_export_parses_back_and_imports_unchanged(cast, year) -> None:
    target = target_create(
        actor=cast.office,
        year=year,
        code="9",
        title='=HYPERLINK("http://evil")',
        unit=cast.section,
        deadline=date(2025, 3, 31),
        target_value=Decimal("2.5000"),
        weight=Decimal("3.00"),
    )
    import_targets(actor=cast.office, year=year, data=make_xlsx(HEADERS, ROWS), dry_run=False)
    data = export_workbook(TARGET_SHEET, targets_for_export(access_for(cast.office), year))
    rows = read_xlsx(data)
    assert rows[0] == HEADERS
    assert [row[0] for row in rows[1:]] == ["1-1", "1-2", "9"]
    assert rows[1][13] == "p003、p005"
    assert rows[3][1] == '\'=HYPERLINK("http://evil")'
    assert rows[3][3].date() == date(2025, 3, 31)
    assert (rows[3][5], rows[3][7]) == (2.5, 3)
    report = import_targets(actor=cast.office, year=year, data=data, dry_run=False)
    assert [r.status for r in report.rows] == [Status.UNCHANGED] * 3
    target.refresh_from_db()
    assert target.title == '=HYPERLINK("http://evil")'


def test_export_query_count_does_not_grow_with_targets(cast, year, django_assert_max_num_queries):
    for n in range(20):
        target_create(
            actor=cast.office, year=year, code=f"t{n:02}", title="目标", unit=cast.section
        )
    Assignment.objects.bulk_create(
        Assignment(target=t, person=cast.handler_person, responsibility="handler")
        for t in Target.objects.all()
    )
    access = access_for(cast.office)
    with django_assert_max_num_queries(2):
        data = export_workbook(TARGET_SHEET, targets_for_export(access, year))
    assert len(read_xlsx(data)) == 21


def test_template_has_a_deadline_inside_the_year(cast, year) -> None:
    rows = read_xlsx(template_workbook(template_sheet(year)))
    assert rows[0] == HEADERS
    assert rows[1][3].date() == date(2025, 12, 31)
