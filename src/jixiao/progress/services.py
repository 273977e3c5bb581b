"""Writes for monthly plans and progress reports: keyword-only, atomic, audited.

Errors are ValidationErrors naming the field, and nothing is half-saved.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jixiao.audit.services import audit_record
from jixiao.engine.numbers import plain
from jixiao.evidence.files import files_atomic
from jixiao.evidence.services import evidence_check, evidence_store
from jixiao.organisation.models import Person, TaskForce, Unit
from jixiao.progress.models import (
    MonthlyPlan,
    PlanItem,
    PlanStatus,
    ProgressReport,
    ReportStatus,
)
from jixiao.targets.models import Assignment, Responsibility, Target
from jixiao.years.models import AssessmentYear, Period, PeriodKind
from jixiao.years.selectors import period_label

MAX_EVIDENCE_PER_REPORT = 10


def _text(value: Decimal | None) -> str | None:
    return None if value is None else plain(value)


# --- monthly plans --------------------------------------------------------------------


@transaction.atomic
def plan_create(
    *,
    actor,
    year: AssessmentYear,
    period: Period,
    unit: Unit | None = None,
    task_force: TaskForce | None = None,
) -> MonthlyPlan:
    """Open the month's plan of a unit or a task force (exactly one of them)."""
    if (unit is None) == (task_force is None):
        raise ValidationError({"unit": _("请选择一个单位或一个指挥组")})
    if period.year_id != year.pk or period.kind != PeriodKind.MONTH:
        raise ValidationError({"period": _("请选择本年度的一个月份")})
    owner = unit or task_force
    owner_org = unit.org_id if unit is not None else task_force.org_id
    if owner_org != year.org_id:
        raise ValidationError({"unit": _("该单位或指挥组不属于本乡镇或部门")})
    if unit is not None and unit.is_organisation:
        raise ValidationError({"unit": _("月度计划由科室、站所、村居或指挥组报送")})
    duplicate = MonthlyPlan.objects.filter(period=period)
    duplicate = (
        duplicate.filter(unit=unit) if unit is not None else duplicate.filter(task_force=task_force)
    )
    if duplicate.exists():
        raise ValidationError(
            {
                "period": _("%(owner)s的%(period)s计划已存在")
                % {"owner": owner, "period": period_label(period)}
            }
        )
    plan = MonthlyPlan.objects.create(year=year, period=period, unit=unit, task_force=task_force)
    audit_record(
        actor=actor,
        action="plan.create",
        obj=plan,
        org=year.org,
        summary=f"新建{owner}{period.name}计划",
    )
    return plan


def _require_status(plan: MonthlyPlan, *statuses: str, message: str) -> None:
    if plan.status not in statuses:
        raise ValidationError({"status": message})


@transaction.atomic
def plan_item_add(
    *, actor, plan: MonthlyPlan, description: str, target: Target | None = None
) -> PlanItem:
    _require_status(plan, PlanStatus.DRAFT, message=_("计划已报送，不能再增加事项"))
    description = description.strip()
    if not description:
        raise ValidationError({"description": _("计划事项不能为空")})
    if len(description) > 300:
        raise ValidationError({"description": _("计划事项不能超过 300 字")})
    if target is not None and target.year_id != plan.year_id:
        raise ValidationError({"target": _("关联目标不属于本年度")})
    sort = plan.items.count() + 1
    item = PlanItem.objects.create(plan=plan, target=target, description=description, sort=sort)
    audit_record(
        actor=actor,
        action="plan.item_add",
        obj=item,
        org=plan.year.org,
        summary=f"{plan} 增加事项：{description}",
        after={"description": description, "target": target.code if target else None},
    )
    return item


@transaction.atomic
def plan_item_remove(*, actor, item: PlanItem) -> None:
    plan = item.plan
    _require_status(plan, PlanStatus.DRAFT, message=_("计划已报送，不能再删除事项"))
    audit_record(
        actor=actor,
        action="plan.item_remove",
        obj=item,
        org=plan.year.org,
        summary=f"{plan} 删除事项：{item.description}",
        before={"description": item.description},
    )
    item.delete()


@transaction.atomic
def plan_submit(*, actor, plan: MonthlyPlan) -> MonthlyPlan:
    _require_status(plan, PlanStatus.DRAFT, message=_("计划已经报送"))
    if not plan.items.exists():
        raise ValidationError({"items": _("计划至少要有一项计划事项")})
    plan.status = PlanStatus.SUBMITTED
    plan.submitted_at = timezone.now()
    plan.submitted_by = actor if getattr(actor, "is_authenticated", False) else None
    plan.save(update_fields=["status", "submitted_at", "submitted_by"])
    audit_record(
        actor=actor,
        action="plan.submit",
        obj=plan,
        org=plan.year.org,
        summary=f"报送{plan}",
        before={"status": PlanStatus.DRAFT},
        after={"status": PlanStatus.SUBMITTED},
    )
    return plan


@transaction.atomic
def plan_close(
    *, actor, plan: MonthlyPlan, completions: Mapping[int, tuple[int | None, str]]
) -> MonthlyPlan:
    """Record month-end completion (0–100 %) and a note per item, then close the plan.

    ``completions`` maps item id → (completion, note); every item needs a completion.
    """
    _require_status(plan, PlanStatus.SUBMITTED, message=_("只有已报送的计划可以月底结账"))
    items = list(plan.items.select_for_update().order_by("sort", "pk"))
    for number, item in enumerate(items, start=1):
        completion, note = completions.get(item.pk, (None, ""))
        if completion is None:
            raise ValidationError(
                {
                    "completion": _("第 %(number)s 项“%(item)s”未填完成度")
                    % {"number": number, "item": item.description}
                }
            )
        if not 0 <= completion <= 100:
            raise ValidationError(
                {
                    "completion": _("第 %(number)s 项“%(item)s”的完成度应在 0–100 之间")
                    % {"number": number, "item": item.description}
                }
            )
        note = (note or "").strip()
        if len(note) > 300:
            raise ValidationError(
                {"note": _("第 %(number)s 项的完成情况说明不能超过 300 字") % {"number": number}}
            )
        item.completion, item.note = completion, note
    PlanItem.objects.bulk_update(items, ["completion", "note"])
    plan.status = PlanStatus.CLOSED
    plan.save(update_fields=["status"])
    audit_record(
        actor=actor,
        action="plan.close",
        obj=plan,
        org=plan.year.org,
        summary=f"{plan}月底结账",
        before={"status": PlanStatus.SUBMITTED},
        after={
            "status": PlanStatus.CLOSED,
            "completion": {item.description: item.completion for item in items},
        },
    )
    return plan


# --- progress reports -----------------------------------------------------------------


def is_handler(person: Person | None, target: Target) -> bool:
    return (
        person is not None
        and Assignment.objects.filter(
            target=target, person=person, responsibility=Responsibility.HANDLER
        ).exists()
    )


@files_atomic()  # a file stored for a report that then fails is deleted
def report_submit(
    *,
    actor,
    target: Target,
    period: Period,
    reporter: Person,
    value: Decimal | None,
    narrative: str,
    uploads: Iterable[UploadedFile] = (),
    captions: Iterable[str] = (),
) -> ProgressReport:
    """A handler reports (or re-reports, until accepted) one dekad or month of a target.

    All uploads are checked before any is stored, so one bad file saves nothing.
    """
    uploads = list(uploads)
    if not is_handler(reporter, target):
        raise ValidationError({"reporter": _("只有该目标的承办人可以报送进度")})
    if period.year_id != target.year_id or period.kind not in (PeriodKind.DEKAD, PeriodKind.MONTH):
        raise ValidationError({"period": _("请选择本年度的一旬或一个月")})
    narrative = narrative.strip()
    if not narrative:
        raise ValidationError({"narrative": _("请简要填写进展情况")})
    if len(narrative) > 2000:
        raise ValidationError({"narrative": _("进展情况不能超过 2000 字")})
    if value is not None and (not value.is_finite() or abs(value) >= Decimal("1e10")):
        raise ValidationError({"value": _("完成值不是有效的数字")})
    report = ProgressReport.objects.filter(target=target, period=period).first()
    if report is not None and report.status == ReportStatus.ACCEPTED:
        raise ValidationError(
            {
                "period": _("%(period)s的报告已审核通过，不能再修改")
                % {"period": period_label(period)}
            }
        )
    existing = report.evidence.count() if report is not None else 0
    if existing + len(uploads) > MAX_EVIDENCE_PER_REPORT:
        raise ValidationError(
            {"file": _("每份报告最多 %(count)s 个佐证材料") % {"count": MAX_EVIDENCE_PER_REPORT}}
        )
    for upload in uploads:
        evidence_check(upload)

    before = None
    if report is None:
        report = ProgressReport(target=target, period=period)
    else:
        before = {"value": _text(report.value), "narrative": report.narrative}
    report.reporter = reporter
    report.value = value
    report.narrative = narrative
    report.status = ReportStatus.SUBMITTED
    report.review_note, report.reviewed_by, report.reviewed_at = "", None, None
    report.save()
    captions = list(captions)
    for index, upload in enumerate(uploads):
        caption = captions[index] if index < len(captions) else ""
        report.evidence.add(
            evidence_store(actor=actor, org=target.org, upload=upload, caption=caption)
        )
    audit_record(
        actor=actor,
        action="progress.report" if before is None else "progress.report_update",
        obj=report,
        org=target.org,
        summary=f"{target.code} {period.name}进度报告",
        before=before,
        after={"value": _text(value), "narrative": narrative, "files": len(uploads)},
    )
    return report


@transaction.atomic
def report_review(*, actor, report: ProgressReport, accept: bool, note: str = "") -> ProgressReport:
    """Accept a submitted report, or return it with a note saying what to fix."""
    if report.status != ReportStatus.SUBMITTED:
        raise ValidationError({"status": _("该报告已审核过")})
    note = note.strip()
    if not accept and not note:
        raise ValidationError({"review_note": _("退回修改时请写明原因")})
    if len(note) > 300:
        raise ValidationError({"review_note": _("审核意见不能超过 300 字")})
    report.status = ReportStatus.ACCEPTED if accept else ReportStatus.RETURNED
    report.review_note = note
    report.reviewed_by = actor if getattr(actor, "is_authenticated", False) else None
    report.reviewed_at = timezone.now()
    report.save(update_fields=["status", "review_note", "reviewed_by", "reviewed_at", "updated_at"])
    audit_record(
        actor=actor,
        action="progress.accept" if accept else "progress.return",
        obj=report,
        org=report.target.org,
        summary=f"{report.target.code} {report.period.name}进度报告："
        + ("审核通过" if accept else f"退回（{note}）"),
        before={"status": ReportStatus.SUBMITTED},
        after={"status": report.status, "note": note},
    )
    return report
