"""Excel round trip for units and people: exports, dry runs, all-or-nothing, idempotence."""

from __future__ import annotations

import pytest

from jixiao.audit.models import AuditEvent
from jixiao.organisation.access import access_for
from jixiao.organisation.models import Person, Unit, UnitKind
from jixiao.organisation.services import unit_create
from jixiao.organisation.sheets import (
    PERSON_SHEET,
    UNIT_SHEET,
    import_people,
    import_units,
    people_for_export,
    units_for_export,
)
from jixiao.spreadsheets import Status, export_workbook, template_workbook
from tests.spreadsheets.workbooks import make_xlsx, read_xlsx

UNIT_HEADERS = ["编码", "名称", "类型", "上级编码", "排序"]
PERSON_HEADERS = ["工号", "姓名", "职务", "所在单位编码", "登录账号"]


def units_file(rows: list[list]) -> bytes:
    return make_xlsx(UNIT_HEADERS, rows)


def statuses(report) -> list[tuple[int, str, str]]:
    return [(r.row, r.key, r.status.value) for r in report.rows]


# --- export -----------------------------------------------------------------------


def test_unit_export_lists_the_orgs_units_with_parent_codes(cast) -> None:
    unit_create(name="=1+1", kind=UnitKind.STATION, code="z9", parent=cast.section, sort=5)
    access = access_for(cast.office)
    rows = read_xlsx(export_workbook(UNIT_SHEET, units_for_export(access)))
    assert rows[0] == UNIT_HEADERS
    assert sorted(rows[1:]) == sorted(
        [
            ["jjfz", "经济发展办", "科室", None, 0],
            ["shsw", "社会事务办", "科室", None, 0],
            ["v01", "白莲村", "村", None, 0],
            ["z9", "'=1+1", "站所", "jjfz", 5],
        ]
    )


def test_people_export_never_lists_another_orgs_people(cast) -> None:
    rows = read_xlsx(export_workbook(PERSON_SHEET, people_for_export(access_for(cast.office))))
    assert rows[0] == PERSON_HEADERS
    assert {row[0] for row in rows[1:]} == {"p001", "p002", "p003", "p004", "p005"}
    assert ["p003", "刘洋", "科员", "jjfz", "handler"] in rows


def test_unit_template_has_headers_and_an_example(cast) -> None:
    rows = read_xlsx(template_workbook(UNIT_SHEET))
    assert rows == [UNIT_HEADERS, ["jjfz", "经济发展办", "科室", None, 10]]
    assert read_xlsx(template_workbook(UNIT_SHEET), "说明")[1][:2] == ["编码", "必填"]


# --- units import --------------------------------------------------------------------


def test_dry_run_writes_nothing_and_apply_writes_all(cast) -> None:
    data = units_file(
        [
            ["zz1", "综治办", "科室", "", 3],
            ["s01", "农技站", "站所", "bailian", 4],
            ["jjfz", "经济发展办", "科室", None, 0],
        ]
    )
    before = (Unit.objects.count(), AuditEvent.objects.count())
    report = import_units(actor=cast.office, org=cast.org, data=data)
    assert statuses(report) == [(2, "zz1", "新增"), (3, "s01", "新增"), (4, "jjfz", "不变")]
    assert report.dry_run and not report.applied
    assert (Unit.objects.count(), AuditEvent.objects.count()) == before

    report = import_units(actor=cast.office, org=cast.org, data=data, dry_run=False)
    assert report.applied
    station = Unit.objects.get(org=cast.org, code="s01")
    assert (station.name, station.kind, station.parent, station.sort) == (
        "农技站",
        UnitKind.STATION,
        cast.org,
        4,
    )
    assert Unit.objects.count() == before[0] + 2
    # One event for the import as a whole (unit creation itself is not audited).
    assert AuditEvent.objects.filter(action="import.units").count() == 1


def test_one_bad_row_writes_nothing_and_names_row_and_column(cast) -> None:
    data = units_file(
        [
            ["zz1", "综治办", "科室", "", 1],
            ["zz2", "司法所", "派出所", "", 2],
            ["zz3", "", "科室", "", "x"],
        ]
    )
    before = Unit.objects.count()
    report = import_units(actor=cast.office, org=cast.org, data=data, dry_run=False)
    assert not report.applied
    assert Unit.objects.count() == before
    errors = {r.row: r.messages for r in report.rows if r.status == Status.ERROR}
    assert errors == {
        3: ["类型：“派出所”不是可选值（可选：科室、站所、村、居委会）"],
        4: ["名称：必填", "排序：“x”不是整数"],
    }


def test_same_file_twice_changes_nothing_the_second_time(cast) -> None:
    data = units_file(
        [
            ["jjfz", "经济发展部", "科室", "", 1],  # renamed
            ["zz1", "综治办", "科室", "", 2],
            ["c01", "莲花社区", "居委会", "zz1", 3],
        ]
    )
    first = import_units(actor=cast.office, org=cast.org, data=data, dry_run=False)
    assert [r.status for r in first.rows] == [Status.UPDATED, Status.CREATED, Status.CREATED]
    assert AuditEvent.objects.filter(action="unit.update", object_id=str(cast.section.pk)).exists()
    events = AuditEvent.objects.count()
    second = import_units(actor=cast.office, org=cast.org, data=data, dry_run=False)
    assert [r.status for r in second.rows] == [Status.UNCHANGED] * 3
    assert AuditEvent.objects.count() == events


def test_export_imports_back_unchanged(cast) -> None:
    unit_create(name="=1+1", kind=UnitKind.STATION, code="z9", parent=cast.section, sort=5)
    data = export_workbook(UNIT_SHEET, units_for_export(access_for(cast.office)))
    report = import_units(actor=cast.office, org=cast.org, data=data)
    assert {r.status for r in report.rows} == {Status.UNCHANGED}
    assert len(report.rows) == 4


def test_parents_may_come_later_in_the_file(cast) -> None:
    data = units_file(
        [
            ["g3", "三组", "村", "g2", 3],
            ["g2", "二组", "村", "g1", 2],
            ["g1", "一村", "村", "", 1],
        ]
    )
    report = import_units(actor=cast.office, org=cast.org, data=data, dry_run=False)
    assert report.applied, report.rows
    g1, g2, g3 = (Unit.objects.get(org=cast.org, code=c) for c in ("g1", "g2", "g3"))
    assert (g1.parent, g2.parent, g3.parent) == (cast.org, g1, g2)


def test_parent_problems_are_row_errors(cast) -> None:
    data = units_file(
        [
            ["a1", "甲", "科室", "a2", 1],
            ["a2", "乙", "科室", "a1", 2],
            ["b1", "丙", "科室", "nowhere", 3],
            ["b2", "丁", "科室", "b3", 4],
            ["b3", "", "科室", "", 5],
            ["bailian", "白莲镇", "科室", "", 6],
            ["b4", "戊", "科室", "", 7],
            ["b4", "戊", "科室", "", 8],
        ]
    )
    report = import_units(actor=cast.office, org=cast.org, data=data, dry_run=False)
    messages = {r.row: r.messages for r in report.rows}
    assert messages[2] == ["上级编码：上下级关系形成循环（a1 → a2 → a1）"]
    assert messages[3] == ["上级编码：上下级关系形成循环（a2 → a1 → a2）"]
    assert messages[4] == ["上级编码：本单位下没有编码为 nowhere 的单位"]
    assert messages[5] == ["上级编码：上级单位 b3 所在的第 6 行有错误"]
    assert messages[6] == ["名称：必填"]
    assert messages[7] == ["编码：bailian 是白莲镇本身的编码，不能作为下属单位导入"]
    assert messages[9] == ["编码：b4 与第 8 行重复"]
    assert not Unit.objects.filter(code__in=["a1", "a2", "b1", "b2", "b4"]).exists()


def test_moving_a_unit_under_its_own_child_is_refused(cast) -> None:
    child = unit_create(name="子单位", kind=UnitKind.STATION, code="kid", parent=cast.section)
    data = units_file([["jjfz", "经济发展办", "科室", "kid", 0]])
    report = import_units(actor=cast.office, org=cast.org, data=data, dry_run=False)
    assert report.rows[0].messages == ["上级编码：上级单位不能是该单位自己或其下级"]
    cast.section.refresh_from_db()
    assert cast.section.parent == cast.org and child.parent == cast.section


def test_codes_of_another_org_are_never_touched(cast) -> None:
    data = units_file([["jjfz", "杨河经济办", "科室", "", 0]])
    report = import_units(actor=cast.outsider, org=cast.other_org, data=data, dry_run=False)
    assert statuses(report) == [(2, "jjfz", "新增")]
    cast.section.refresh_from_db()
    assert cast.section.name == "经济发展办"
    assert Unit.objects.get(org=cast.other_org, code="jjfz").name == "杨河经济办"


# --- people import -------------------------------------------------------------------


def people_file(rows: list[list]) -> bytes:
    return make_xlsx(PERSON_HEADERS, rows)


def test_people_import_creates_updates_and_links_logins(cast, django_user_model) -> None:
    django_user_model.objects.create_user(username="newbie", password="x-12345678")
    data = people_file(
        [
            ["p003", "刘洋", "副主任", "jjfz", "handler"],  # promoted
            ["p010", "黄河", "站长", "v01", "newbie"],
            ["p011", "长江", "", "bailian", None],
        ]
    )
    report = import_people(actor=cast.office, org=cast.org, data=data)
    assert statuses(report) == [(2, "p003", "更新"), (3, "p010", "新增"), (4, "p011", "新增")]
    assert not Person.objects.filter(code="p010").exists()
    report = import_people(actor=cast.office, org=cast.org, data=data, dry_run=False)
    assert report.applied
    assert Person.objects.get(org=cast.org, code="p003").post == "副主任"
    newbie = Person.objects.get(org=cast.org, code="p010")
    assert (newbie.unit, newbie.user.username) == (cast.village, "newbie")
    assert Person.objects.get(org=cast.org, code="p011").unit == cast.org
    event = AuditEvent.objects.get(action="person.update")
    assert (event.before, event.after) == ({"post": "科员"}, {"post": "副主任"})

    events = AuditEvent.objects.count()
    again = import_people(actor=cast.office, org=cast.org, data=data, dry_run=False)
    assert {r.status for r in again.rows} == {Status.UNCHANGED}
    assert AuditEvent.objects.count() == events


def test_people_import_errors(cast, django_user_model) -> None:
    data = people_file(
        [
            ["p020", "甲", "", "nowhere", ""],
            ["p021", "乙", "", "jjfz", "ghost"],
            ["p022", "丙", "", "jjfz", "head"],  # already p002's login
            ["p023", "丁", "", "jjfz", "outsider"],  # a person of the other township
            ["p024", "戊", "", "jjfz", ""],
        ]
    )
    before = Person.objects.count()
    report = import_people(actor=cast.office, org=cast.org, data=data, dry_run=False)
    assert Person.objects.count() == before
    assert {r.row: r.messages for r in report.rows if r.messages} == {
        2: ["所在单位编码：本单位下没有编码为 nowhere 的单位"],
        3: ["登录账号：没有用户名为 ghost 的账号"],
        4: ["登录账号：head 已关联人员 p002 张伟"],
        5: ["登录账号：outsider 已关联其他单位的人员"],
    }
    assert report.rows[-1].status == Status.CREATED


def test_people_export_imports_back_unchanged(cast) -> None:
    data = export_workbook(PERSON_SHEET, people_for_export(access_for(cast.office)))
    report = import_people(actor=cast.office, org=cast.org, data=data, dry_run=False)
    assert [r.status for r in report.rows] == [Status.UNCHANGED] * 5


@pytest.mark.parametrize("username", ["", None])
def test_empty_login_leaves_an_existing_link(cast, username) -> None:
    data = people_file([["p003", "刘洋", "科员", "jjfz", username]])
    report = import_people(actor=cast.office, org=cast.org, data=data, dry_run=False)
    assert report.rows[0].status == Status.UNCHANGED
    assert Person.objects.get(org=cast.org, code="p003").user == cast.handler
