"""Writes for targets, their decomposition to people, and milestones.

All keyword-only, atomic, validated (errors name the field) and audited.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from jixiao.audit.services import audit_record
from jixiao.engine.numbers import plain
from jixiao.organisation.models import Person, Unit
from jixiao.targets.models import Assignment, Milestone, Responsibility, Target
from jixiao.years.models import AssessmentYear, Period, PeriodKind

TARGET_FIELDS = (
    "title",
    "measures",
    "deadline",
    "expected_result",
    "target_value",
    "measure_unit",
    "weight",
    "indicator",
    "unit",
)


def _snapshot(target: Target) -> dict:
    data = {name: getattr(target, name) for name in TARGET_FIELDS}
    data["unit"] = target.unit.name if target.unit_id else None
    return {k: _text(v) if isinstance(v, Decimal | date) else v for k, v in data.items()}


def _text(value: Decimal | date) -> str:
    # Normalised so 5 (from a form) and 5.00 (read back from the database) compare
    # equal: an unchanged edit must not be audited as a change.
    if isinstance(value, Decimal):
        return plain(value)
    return str(value)


def _check_target(*, year: AssessmentYear, unit: Unit, title: str, code: str) -> None:
    errors = {}
    if not code.strip():
        errors["code"] = _("编号不能为空")
    if not title.strip():
        errors["title"] = _("目标内容不能为空")
    if unit.org_id != year.org_id:
        errors["unit"] = _("责任单位不属于本年度所在的乡镇或部门")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def target_create(
    *,
    actor,
    year: AssessmentYear,
    code: str,
    title: str,
    unit: Unit,
    measures: str = "",
    deadline: date | None = None,
    expected_result: str = "",
    target_value: Decimal | None = None,
    measure_unit: str = "",
    weight: Decimal | None = None,
    indicator: str = "",
) -> Target:
    _check_target(year=year, unit=unit, title=title, code=code)
    if Target.objects.filter(year=year, code=code).exists():
        raise ValidationError({"code": _("编号 %(code)s 已存在") % {"code": code}})
    target = Target.objects.create(
        year=year,
        org_id=year.org_id,
        code=code.strip(),
        title=title.strip(),
        unit=unit,
        measures=measures,
        deadline=deadline,
        expected_result=expected_result,
        target_value=target_value,
        measure_unit=measure_unit,
        weight=weight,
        indicator=indicator,
    )
    audit_record(
        actor=actor,
        action="target.create",
        obj=target,
        org=year.org,
        summary=f"新建目标 {target}",
        after=_snapshot(target),
    )
    return target


@transaction.atomic
def target_update(*, actor, target: Target, **fields) -> Target:
    unknown = set(fields) - set(TARGET_FIELDS)
    if unknown:
        raise ValidationError({sorted(unknown)[0]: _("不能修改的字段")})
    before = _snapshot(target)
    for name, value in fields.items():
        setattr(target, name, value)
    _check_target(year=target.year, unit=target.unit, title=target.title, code=target.code)
    after = _snapshot(target)
    if after != before:
        target.save()
        changed = {k for k in after if after[k] != before[k]}
        audit_record(
            actor=actor,
            action="target.update",
            obj=target,
            org=target.year.org,
            summary=f"修改目标 {target.code}：{'、'.join(sorted(changed))}",
            before={k: before[k] for k in changed},
            after={k: after[k] for k in changed},
        )
    return target


@transaction.atomic
def target_assign(*, actor, target: Target, person: Person, responsibility: str) -> Assignment:
    if responsibility not in Responsibility.values:
        raise ValidationError(
            {"responsibility": _("未知的责任：%(value)s") % {"value": responsibility}}
        )
    if person.org_id != target.org_id:
        raise ValidationError({"person": _("该人员不属于本乡镇或部门")})
    assignment, created = Assignment.objects.get_or_create(
        target=target, person=person, responsibility=responsibility
    )
    if created:
        audit_record(
            actor=actor,
            action="target.assign",
            obj=assignment,
            org=target.year.org,
            summary=f"{target.code} {assignment.get_responsibility_display()}：{person.name}",
            after={"person": person.name, "responsibility": responsibility},
        )
    return assignment


@transaction.atomic
def target_unassign(*, actor, assignment: Assignment) -> None:
    audit_record(
        actor=actor,
        action="target.unassign",
        obj=assignment,
        org=assignment.target.year.org,
        summary=f"{assignment.target.code} 取消 {assignment.person.name} 的责任",
        before={"person": assignment.person.name, "responsibility": assignment.responsibility},
    )
    assignment.delete()


@transaction.atomic
def milestone_set(
    *, actor, target: Target, period: Period, description: str, planned_value: Decimal | None = None
) -> Milestone:
    """Set what is due by the end of a month or dekad (one milestone per period)."""
    if period.year_id != target.year_id:
        raise ValidationError({"period": _("节点周期不属于该目标的年度")})
    if period.kind not in (PeriodKind.MONTH, PeriodKind.DEKAD):
        raise ValidationError({"period": _("进度节点按月或按旬设置")})
    if not description.strip():
        raise ValidationError({"description": _("节点要求不能为空")})
    existing = Milestone.objects.filter(target=target, period=period).first()
    before = _milestone_snapshot(existing) if existing else None
    milestone, _created = Milestone.objects.update_or_create(
        target=target,
        period=period,
        defaults={"description": description.strip(), "planned_value": planned_value},
    )
    after = _milestone_snapshot(milestone)
    if after != before:
        audit_record(
            actor=actor,
            action="milestone.set",
            obj=milestone,
            org=target.year.org,
            summary=f"{target.code} {period.name} 节点：{milestone.description}",
            before=before,
            after=after,
        )
    return milestone


@transaction.atomic
def milestone_delete(*, actor, milestone: Milestone) -> None:
    target = milestone.target
    audit_record(
        actor=actor,
        action="milestone.delete",
        obj=milestone,
        org=target.year.org,
        summary=f"{target.code} 删除 {milestone.period.name} 节点",
        before=_milestone_snapshot(milestone),
    )
    milestone.delete()


def _milestone_snapshot(milestone: Milestone) -> dict:
    value = milestone.planned_value
    return {
        "period": milestone.period.name,
        "description": milestone.description,
        "planned_value": None if value is None else _text(Decimal(value)),
    }
