"""Excel sheet for a year's targets with their decomposition to people.

Rows are matched by 编号 within the year. The four responsibility columns list
工号 separated by 、 , or ; and are the truth for the targets in the file: people
missing from a cell are unassigned, new ones assigned (all through the services).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from functools import partial
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _

from jixiao.organisation.access import Access
from jixiao.organisation.models import Person, Unit
from jixiao.organisation.sheets import (
    apply_row,
    audit_import,
    first_rows_by_code,
    no_unit_message,
)
from jixiao.spreadsheets import (
    Column,
    ImportReport,
    ParsedRow,
    RowResult,
    Sheet,
    Status,
    labelled,
    read_sheet,
    run_import,
)
from jixiao.spreadsheets.columns import code_list, date_cell, decimal, text
from jixiao.targets.models import Assignment, Responsibility, Target
from jixiao.targets.selectors import indicator_names
from jixiao.targets.services import target_assign, target_create, target_unassign, target_update
from jixiao.years.models import AssessmentYear

# Column key → responsibility, in the order of 002 篇四.
RESPONSIBILITY_COLUMNS = {
    "principal_leaders": (Responsibility.PRINCIPAL_LEADER.value, "主管领导工号"),
    "supervising_leaders": (Responsibility.SUPERVISING_LEADER.value, "分管领导工号"),
    "section_heads": (Responsibility.SECTION_HEAD.value, "科室负责人工号"),
    "handlers": (Responsibility.HANDLER.value, "承办人工号"),
}
# Plain fields compared and written as they are.
VALUE_FIELDS = (
    "title",
    "measures",
    "deadline",
    "expected_result",
    "target_value",
    "measure_unit",
    "weight",
    "indicator",
)


def _holders(responsibility: str) -> Any:
    def get(target: Target) -> str:
        codes = [
            a.person.code for a in target.assignments.all() if a.responsibility == responsibility
        ]
        return "、".join(codes)

    return get


def _field(name: str) -> Any:
    return lambda target: getattr(target, name)


TARGET_SHEET = Sheet(
    title="目标",
    columns=(
        Column(
            "编号",
            "code",
            get=_field("code"),
            parse=text(50),
            required=True,
            example="1-1",
            help="目标在本年度内的唯一编号。再次导入时按编号找到已有目标并更新。",
        ),
        Column(
            "目标内容",
            "title",
            get=_field("title"),
            parse=text(300),
            required=True,
            example="完成全年招商引资任务",
            width=40,
        ),
        Column(
            "工作措施",
            "measures",
            get=_field("measures"),
            parse=text(5000),
            example="每月走访重点企业",
            width=40,
        ),
        Column(
            "完成时限",
            "deadline",
            get=_field("deadline"),
            parse=date_cell,
            example=None,  # the year's last day: see template_sheet()
            help="日期，例如 2024-12-31。",
        ),
        Column(
            "预期效果",
            "expected_result",
            get=_field("expected_result"),
            parse=text(5000),
            example="引进项目 5 个",
            width=30,
        ),
        Column(
            "目标值",
            "target_value",
            get=_field("target_value"),
            parse=decimal(14, 4),
            example=5,
            help="数字，最多 4 位小数。",
        ),
        Column(
            "计量单位", "measure_unit", get=_field("measure_unit"), parse=text(20), example="个"
        ),
        Column(
            "权重",
            "weight",
            get=_field("weight"),
            parse=decimal(7, 2),
            example=10,
            help="权重或分值，数字，最多 2 位小数。",
        ),
        Column(
            "对应指标",
            "indicator",
            get=_field("indicator"),
            parse=text(200),
            example="",
            help="本年度考核方案中的指标编号，例如 indicators.livelihood；留空表示暂不对应。",
        ),
        Column(
            "责任单位编码",
            "unit",
            get=lambda target: target.unit.code,
            parse=text(50),
            required=True,
            example="jjfz",
            help="负责该目标的单位编码（见单位表）；本乡镇（部门）本身填它自己的编码。",
        ),
        *(
            Column(
                header,
                key,
                get=_holders(responsibility),
                parse=code_list,
                example="p001" if key != "handlers" else "p003、p004",
                help="人员工号（见人员表），多人用 、 , 或 ; 分隔；留空表示没有（取消已有分工）。",
            )
            for key, (responsibility, header) in RESPONSIBILITY_COLUMNS.items()
        ),
    ),
)

TARGET_HEADERS = {c.key: c.header for c in TARGET_SHEET.columns}


def template_sheet(year: AssessmentYear) -> Sheet:
    """The target sheet with an example deadline inside the year."""
    columns = tuple(
        replace(c, example=date(year.year, 12, 31)) if c.key == "deadline" else c
        for c in TARGET_SHEET.columns
    )
    return replace(TARGET_SHEET, columns=columns)


def targets_for_export(access: Access, year: AssessmentYear) -> QuerySet[Target]:
    """Every target of the year (exports are for readers of the whole organisation)."""
    return (
        Target.objects.filter(org=access.org, year=year)
        .select_related("unit")
        .prefetch_related(
            Prefetch(
                "assignments",
                queryset=Assignment.objects.select_related("person").order_by("person__code"),
            )
        )
        .order_by("code")
    )


def import_targets(
    *, actor, year: AssessmentYear, data: bytes, dry_run: bool = True
) -> ImportReport:
    """Import the year's targets; raises SheetFileError when the file cannot be read."""
    rows, warnings = read_sheet(data, TARGET_SHEET)
    return run_import(
        rows,
        lambda rows: _process_targets(rows, actor=actor, year=year),
        dry_run=dry_run,
        warnings=warnings,
        on_applied=audit_import(
            actor=actor, org=year.org, what=f"{year.name}目标", action="import.targets"
        ),
    )


def _process_targets(rows: list[ParsedRow], *, actor, year: AssessmentYear) -> list[RowResult]:
    results: dict[int, RowResult] = {}
    by_code = first_rows_by_code(rows, results, header=TARGET_HEADERS["code"])
    org_id = year.org_id
    existing = {
        t.code: t
        for t in Target.objects.filter(year=year)
        .select_related("unit", "year__org")
        .prefetch_related(
            Prefetch("assignments", queryset=Assignment.objects.select_related("person"))
        )
    }
    units = {u.code: u for u in Unit.objects.filter(org_id=org_id)}
    people = {p.code: p for p in Person.objects.filter(org_id=org_id)}
    indicators = indicator_names(year)

    for code, row in by_code.items():
        messages = []
        unit = units.get(row.get("unit"))
        if unit is None:
            messages.append(labelled(TARGET_HEADERS["unit"], no_unit_message(row.get("unit"))))
        indicator = row.get("indicator", "")
        if indicator and indicator not in indicators:
            message = _("%(indicator)s 不是本年度考核方案中的指标") % {"indicator": indicator}
            messages.append(labelled(TARGET_HEADERS["indicator"], message))
        wanted: dict[str, set[Person]] = {}
        for key, (responsibility, header) in RESPONSIBILITY_COLUMNS.items():
            if not row.has(key):
                continue
            unknown = [c for c in row.get(key) if c not in people]
            if unknown:
                message = _("本单位没有工号为 %(codes)s 的人员") % {"codes": _("、").join(unknown)}
                messages.append(labelled(header, message))
            wanted[responsibility] = {people[c] for c in row.get(key) if c in people}
        if messages:
            results[row.number] = RowResult(row.number, code, Status.ERROR, messages)
            continue
        apply_row(
            row,
            results,
            TARGET_HEADERS,
            partial(_write_target, row, year, unit, wanted, existing, actor),
        )
    return list(results.values())


def _write_target(
    row: ParsedRow,
    year: AssessmentYear,
    unit: Unit,
    wanted: dict[str, set[Person]],
    existing: dict[str, Target],
    actor,
) -> Status:
    code = row.get("code")
    target = existing.get(code)
    values = {name: row.get(name) for name in VALUE_FIELDS if row.has(name)}
    for name in ("measures", "expected_result", "measure_unit", "indicator"):
        if name in values and values[name] is None:
            values[name] = ""
    if target is None:
        target = target_create(actor=actor, year=year, code=code, unit=unit, **values)
        existing[code] = target
        current: list[Assignment] = []
        status = Status.CREATED
    else:
        # Compare values, not text: 5 and 5.0000 are the same target value.
        changes = {name: value for name, value in values.items() if getattr(target, name) != value}
        if target.unit_id != unit.pk:
            changes["unit"] = unit
        if changes:
            target_update(actor=actor, target=target, **changes)
        current = list(target.assignments.all())
        status = Status.UPDATED if changes else Status.UNCHANGED
    for responsibility, people in wanted.items():
        held = {a.person_id: a for a in current if a.responsibility == responsibility}
        for person in sorted(people, key=lambda p: p.code):
            if person.pk not in held:
                target_assign(
                    actor=actor, target=target, person=person, responsibility=responsibility
                )
                status = Status.UPDATED if status == Status.UNCHANGED else status
        keep = {p.pk for p in people}
        for person_id, assignment in held.items():
            if person_id not in keep:
                target_unassign(actor=actor, assignment=assignment)
                status = Status.UPDATED if status == Status.UNCHANGED else status
    return status
