"""Writes for rectification: keyword-only, atomic, validated (errors name the field), audited."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jixiao.assessments.models import Subject
from jixiao.audit.services import audit_record
from jixiao.engine.numbers import plain
from jixiao.evidence.files import files_atomic
from jixiao.evidence.services import evidence_store
from jixiao.inspections.models import Inspection
from jixiao.organisation.models import Person, Unit
from jixiao.rectification.models import (
    ACTIVE,
    NOT_CLOSED,
    ItemStatus,
    RectificationItem,
    Source,
)
from jixiao.rectification.selectors import indicator_rows
from jixiao.targets.models import Responsibility, Target
from jixiao.targets.services import target_assign, target_create
from jixiao.years.models import AssessmentYear


def _snapshot(item: RectificationItem) -> dict:
    return {
        "status": item.status,
        "unit": item.unit.name,
        "owner": item.owner.name,
        "deadline": str(item.deadline),
        "problem": item.problem,
        "measures": item.measures,
    }


def _check(
    *, year: AssessmentYear, unit: Unit, owner: Person, problem: str, deadline: date | None
) -> None:
    errors: dict[str, str] = {}
    if unit.org_id != year.org_id:
        errors["unit"] = _("责任单位不属于本年度所在的乡镇或部门")
    if owner.org_id != year.org_id:
        errors["owner"] = _("责任人不属于本年度所在的乡镇或部门")
    if not problem.strip():
        errors["problem"] = _("存在问题不能为空")
    if deadline is None:
        errors["deadline"] = _("整改时限不能为空")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def rectification_create(
    *,
    actor,
    year: AssessmentYear,
    unit: Unit,
    owner: Person,
    problem: str,
    deadline: date | None,
    measures: str = "",
    source: str = Source.OTHER,
    subject: Subject | None = None,
    node: str = "",
    node_name: str = "",
    score: Decimal | None = None,
    average: Decimal | None = None,
    inspection: Inspection | None = None,
) -> RectificationItem:
    _check(year=year, unit=unit, owner=owner, problem=problem, deadline=deadline)
    item = RectificationItem.objects.create(
        org_id=year.org_id,
        year=year,
        source=source,
        subject=subject,
        node=node,
        node_name=node_name,
        score=score,
        average=average,
        inspection=inspection,
        unit=unit,
        owner=owner,
        problem=problem.strip(),
        measures=measures.strip(),
        deadline=deadline,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    audit_record(
        actor=actor,
        action="rectification.create",
        obj=item,
        org=year.org,
        summary=f"新建整改事项：{item.unit.name} {item.problem[:60]}",
        after=_snapshot(item),
    )
    return item


def rectification_from_inspection(
    *, actor, inspection: Inspection, owner: Person, deadline: date | None, measures: str = ""
) -> RectificationItem:
    """An item for an inspection finding, owned by ``owner`` in the inspected unit."""
    if inspection.voided:
        raise ValidationError({"inspection": _("该察访核验记录已撤销，不能发起整改")})
    pending = RectificationItem.objects.filter(inspection=inspection, status__in=NOT_CLOSED)
    if pending.exists():
        raise ValidationError({"inspection": _("该察访核验记录已有未销号的整改事项")})
    day = f"{inspection.date:%Y-%m-%d}"
    return rectification_create(
        actor=actor,
        year=inspection.year,
        unit=inspection.unit,
        owner=owner,
        problem=f"{day} {inspection.get_kind_display()}发现：{inspection.finding}",
        deadline=deadline,
        measures=measures,
        source=Source.INSPECTION,
        inspection=inspection,
    )


def _subject_unit(subject: Subject) -> Unit:
    if subject.unit_id:
        return subject.unit
    if subject.person_id:
        return subject.person.unit
    return subject.assessment.year.org  # a task force spans units: the organisation answers


def rectification_from_indicator(
    *,
    actor,
    subject: Subject,
    node: str,
    owner: Person,
    deadline: date | None,
    measures: str = "",
    threshold: Decimal | None = None,
) -> RectificationItem:
    """An item for a weak indicator: the node scores below ``threshold`` or below the average."""
    rows = {row.node_id: row for row in indicator_rows(subject, threshold)}
    row = rows.get(node)
    if row is None or row.score is None:
        raise ValidationError(
            {"node": _("考核对象的得分明细中没有指标“%(node)s”") % {"node": node}}
        )
    if not row.weak:
        raise ValidationError(
            {
                "node": _("“%(name)s”得分 %(score)s，不低于平均分或设定的分数线，不属于薄弱指标")
                % {"name": row.name, "score": plain(row.score)}
            }
        )
    pending = RectificationItem.objects.filter(subject=subject, node=node, status__in=NOT_CLOSED)
    if pending.exists():
        raise ValidationError({"node": _("“%(name)s”已有未销号的整改事项") % {"name": row.name}})
    below = []
    if threshold is not None and row.score < threshold:
        below.append(f"分数线 {plain(threshold)}")
    if row.average is not None and row.score < row.average:
        below.append(f"平均分 {row.average}")
    problem = (
        f"{subject.assessment.name}：{subject.label}“{row.name}”得分 {plain(row.score)}，"
        f"低于{'、'.join(below)}"
    )
    return rectification_create(
        actor=actor,
        year=subject.assessment.year,
        unit=_subject_unit(subject),
        owner=owner,
        problem=problem,
        deadline=deadline,
        measures=measures,
        source=Source.INDICATOR,
        subject=subject,
        node=node,
        node_name=row.name,
        score=row.score,
        average=row.average,
    )


def _locked(item: RectificationItem) -> RectificationItem:
    """The item re-read under a row lock: two clicks never both change its status."""
    return (
        RectificationItem.objects.select_for_update()
        .select_related("unit", "owner")
        .get(pk=item.pk)
    )


def _note(note: str, field: str, message: str) -> str:
    if not note.strip():
        raise ValidationError({field: message})
    return note.strip()


@files_atomic()  # a later refused upload deletes the files stored before it
def rectification_attach(
    *, actor, item: RectificationItem, uploads: Iterable[UploadedFile], caption: str = ""
) -> list:
    item = _locked(item)
    if item.status == ItemStatus.CLOSED:
        raise ValidationError({"file": _("已销号的整改事项不能再上传佐证材料")})
    stored = [
        evidence_store(actor=actor, org=item.org, upload=upload, caption=caption)
        for upload in uploads
    ]
    item.evidence.add(*stored)
    audit_record(
        actor=actor,
        action="rectification.attach",
        obj=item,
        org=item.org,
        summary=f"整改事项 #{item.pk} 上传佐证材料 {len(stored)} 份",
        after={"evidence": [e.original_name for e in stored]},
    )
    return stored


@transaction.atomic
def rectification_submit(*, actor, item: RectificationItem, note: str) -> RectificationItem:
    """The owner reports the item done, with what was done (evidence attached before)."""
    item = _locked(item)
    if item.status not in ACTIVE:
        raise ValidationError({"status": _("只有整改中或退回整改的事项可以提交验收")})
    before = _snapshot(item)
    item.submission_note = _note(note, "note", _("请填写整改完成情况"))
    item.status = ItemStatus.SUBMITTED
    item.submitted_at = timezone.now()
    item.save(update_fields=["submission_note", "status", "submitted_at"])
    audit_record(
        actor=actor,
        action="rectification.submit",
        obj=item,
        org=item.org,
        summary=f"整改事项 #{item.pk} 提交验收",
        before=before,
        after=_snapshot(item) | {"note": item.submission_note},
    )
    return item


@transaction.atomic
def rectification_close(*, actor, item: RectificationItem, note: str) -> RectificationItem:
    """The office accepts a submitted item (销号) with a note."""
    item = _locked(item)
    if item.status != ItemStatus.SUBMITTED:
        raise ValidationError({"status": _("只有待验收的事项可以销号")})
    before = _snapshot(item)
    item.review_note = _note(note, "note", _("请填写验收意见"))
    item.status = ItemStatus.CLOSED
    item.closed_at = timezone.now()
    item.reviewed_by = actor if getattr(actor, "is_authenticated", False) else None
    item.save(update_fields=["review_note", "status", "closed_at", "reviewed_by"])
    audit_record(
        actor=actor,
        action="rectification.close",
        obj=item,
        org=item.org,
        summary=f"整改事项 #{item.pk} 验收销号",
        before=before,
        after=_snapshot(item) | {"note": item.review_note},
    )
    return item


@transaction.atomic
def rectification_reopen(
    *, actor, item: RectificationItem, note: str, deadline: date | None = None
) -> RectificationItem:
    """The office sends a submitted (or closed) item back, optionally with a new deadline."""
    item = _locked(item)
    if item.status not in (ItemStatus.SUBMITTED, ItemStatus.CLOSED):
        raise ValidationError({"status": _("只有待验收或已销号的事项可以退回整改")})
    before = _snapshot(item)
    item.review_note = _note(note, "note", _("请填写退回理由"))
    item.status = ItemStatus.REOPENED
    item.closed_at = None
    item.reviewed_by = actor if getattr(actor, "is_authenticated", False) else None
    if deadline is not None:
        item.deadline = deadline
    item.save(update_fields=["review_note", "status", "closed_at", "reviewed_by", "deadline"])
    audit_record(
        actor=actor,
        action="rectification.reopen",
        obj=item,
        org=item.org,
        summary=f"整改事项 #{item.pk} 退回整改",
        before=before,
        after=_snapshot(item) | {"note": item.review_note},
    )
    return item


def carry_code(item: RectificationItem) -> str:
    """The target code an item becomes next year: stable, so carrying twice finds it."""
    return f"ZG{item.year.year}-{item.pk:04d}"


@transaction.atomic
def rectification_carry_forward(
    *, actor, from_year: AssessmentYear, to_year: AssessmentYear
) -> list[Target]:
    """Turn the items of ``from_year`` not yet closed into targets of ``to_year``.

    Idempotent: an item already carried (or whose target code already exists in
    ``to_year``) creates nothing; the new targets are returned.
    """
    if from_year.org_id != to_year.org_id:
        raise ValidationError({"to_year": _("只能转入同一乡镇或部门的年度")})
    if to_year.year <= from_year.year:
        raise ValidationError({"to_year": _("只能转入以后的年度")})
    items = (
        RectificationItem.objects.select_for_update()
        .filter(year=from_year, status__in=NOT_CLOSED, carried_to__isnull=True)
        .select_related("unit", "owner", "year")
        .order_by("pk")
    )
    created: list[Target] = []
    for item in items:
        code = carry_code(item)
        target = Target.objects.filter(year=to_year, code=code).first()
        if target is None:
            target = target_create(
                actor=actor,
                year=to_year,
                code=code,
                title=f"整改：{item.problem}"[:300],
                unit=item.unit,
                measures=item.measures,
                expected_result=_("完成整改并通过绩效办验收销号"),
                indicator=item.node,
            )
            target_assign(
                actor=actor, target=target, person=item.owner, responsibility=Responsibility.HANDLER
            )
            created.append(target)
        item.carried_to = target
        item.save(update_fields=["carried_to"])
        audit_record(
            actor=actor,
            action="rectification.carry_forward",
            obj=item,
            org=from_year.org,
            summary=f"整改事项 #{item.pk} 转入 {to_year.year} 年度目标 {code}",
            after={"target": code, "year": to_year.year},
        )
    return created
