"""Writes for inspections: record and void ledger rows, project sites and their visits.

A ledger row is never deleted: a mistaken one is voided with a reason, so the
ledger keeps what was found and why it stopped counting.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date as Date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from jixiao.audit.services import audit_record
from jixiao.engine import Kind
from jixiao.evidence.files import files_atomic
from jixiao.inspections.models import Inspection, InspectionKind, ProjectSite, SiteVisit
from jixiao.inspections.selectors import LEDGER_KINDS, scheme_for, subject_kind_for
from jixiao.organisation.models import Person, Unit
from jixiao.years.models import AssessmentYear, Period, PeriodKind, SubjectKind


def _points(raw: object, field: str = "points") -> Decimal:
    """A number ≥ 0 with at most two decimals, or a ValidationError naming the field."""
    try:
        value = raw if isinstance(raw, Decimal) else Decimal(str(raw).strip())
    except (InvalidOperation, ValueError):
        raise ValidationError({field: _("扣分应为数字")}) from None
    if not value.is_finite():
        raise ValidationError({field: _("扣分应为数字")})
    if value < 0:
        raise ValidationError({field: _("扣分不能为负数")})
    if value != value.quantize(Decimal("0.01")):
        raise ValidationError({field: _("扣分最多保留两位小数")})
    if value >= Decimal("10000"):
        raise ValidationError({field: _("扣分过大")})
    return value.quantize(Decimal("0.01"))


def _store(actor, org: Unit, uploads: Iterable[UploadedFile], field: str) -> list:
    from jixiao.evidence.services import evidence_store

    stored = []
    for upload in uploads:
        try:
            stored.append(evidence_store(actor=actor, org=org, upload=upload))
        except ValidationError as exc:
            # Re-key the evidence app's "file" error (it names the file) onto our field.
            raise ValidationError({field: exc.messages}) from None
    return stored


def _snapshot(row: Inspection) -> dict:
    return {
        "unit": row.unit.name,
        "person": row.person.name if row.person else "",
        "kind": row.kind,
        "date": row.date.isoformat(),
        "finding": row.finding,
        "node": row.node,
        "points": str(row.points),
        "voided": row.voided,
        "void_reason": row.void_reason,
    }


@files_atomic()  # a later refused upload deletes the files stored before it
def inspection_record(
    *,
    actor,
    year: AssessmentYear,
    unit: Unit,
    kind: str,
    date: Date,
    finding: str,
    node: str,
    points: object,
    person: Person | None = None,
    evidence: Iterable[UploadedFile] = (),
) -> Inspection:
    """Add a row to the unit's ledger, deducting under a ledger node of the pinned scheme."""
    org = year.org
    if unit.org_id != org.pk:
        raise ValidationError({"unit": _("只能记录本单位的察访核验")})
    if person is not None and (person.org_id != org.pk or person.unit_id != unit.pk):
        raise ValidationError({"person": _("该人员不属于所选单位")})
    if kind not in InspectionKind.values:
        raise ValidationError({"kind": _("请选择明察或暗访")})
    if not isinstance(date, Date) or date.year != year.year:
        raise ValidationError({"date": _("日期应在 %(year)s 年度内") % {"year": year.year}})
    finding = (finding or "").strip()
    if not finding:
        raise ValidationError({"finding": _("请填写发现的问题")})
    value = _points(points)
    subject_kind = subject_kind_for(unit, person)
    scheme = scheme_for(year, subject_kind)
    label = SubjectKind(subject_kind).label
    if scheme is None:
        raise ValidationError({"node": _("本年度未指定“%(kind)s”的考核方案") % {"kind": label}})
    scheme_node = scheme.nodes.get(node)
    if scheme_node is None or scheme_node.kind not in LEDGER_KINDS:
        raise ValidationError(
            {"node": _("“%(node)s”不是%(kind)s考核方案中的扣分项") % {"node": node, "kind": label}}
        )
    if scheme_node.kind is Kind.COUNTED and value != scheme_node.per:
        # A counted node takes occurrences, each worth ``per``: any other figure would
        # show in the ledger but not in the score.
        raise ValidationError(
            {"points": _("该扣分项按次计分，每次 %(per)s 分") % {"per": scheme_node.per}}
        )
    row = Inspection.objects.create(
        year=year,
        org=org,
        unit=unit,
        person=person,
        kind=kind,
        date=date,
        finding=finding,
        node=node,
        points=value,
        recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    files = _store(actor, org, evidence, "evidence")
    if files:
        row.evidence.add(*files)
    after = _snapshot(row) | {"evidence": [f.original_name for f in files]}
    audit_record(
        actor=actor,
        action="inspection.record",
        obj=row,
        org=org,
        summary=f"察访核验 {unit.name} {date} 扣 {value} 分（{node}）",
        before=None,
        after=after,
    )
    return row


@transaction.atomic
def inspection_void(*, actor, inspection: Inspection, reason: str) -> Inspection:
    """Void (撤销) a row: it stays in the ledger, marked, and stops counting."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("请填写撤销理由")})
    # of=("self",): PostgreSQL cannot lock the nullable side of the outer join to person.
    row = (
        Inspection.objects.select_for_update(of=("self",))
        .select_related("unit", "person")
        .get(pk=inspection.pk)
    )
    if row.voided:
        raise ValidationError({"reason": _("该记录已撤销")})
    before = _snapshot(row)
    row.voided = True
    row.void_reason = reason[:300]
    row.save(update_fields=["voided", "void_reason"])
    audit_record(
        actor=actor,
        action="inspection.void",
        obj=row,
        org=row.org,
        summary=f"撤销察访核验 {row.unit.name} {row.date}：{reason}",
        before=before,
        after=_snapshot(row),
    )
    return row


# --- project sites ------------------------------------------------------------------


def _site_snapshot(site: ProjectSite) -> dict:
    return {"name": site.name, "unit": site.unit.name}


def _site_fields(org: Unit, name: str, unit: Unit) -> str:
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("请填写项目名称")})
    if unit.org_id != org.pk:
        raise ValidationError({"unit": _("只能选择本单位的部门")})
    return name[:200]


@transaction.atomic
def site_create(*, actor, org: Unit, name: str, unit: Unit) -> ProjectSite:
    name = _site_fields(org, name, unit)
    site = ProjectSite.objects.create(org=org, name=name, unit=unit)
    audit_record(
        actor=actor,
        action="site.create",
        obj=site,
        org=org,
        summary=f"新建项目现场 {name}",
        after=_site_snapshot(site),
    )
    return site


@transaction.atomic
def site_update(*, actor, site: ProjectSite, name: str, unit: Unit) -> ProjectSite:
    before = _site_snapshot(site)
    site.name = _site_fields(site.org, name, unit)
    site.unit = unit
    site.save(update_fields=["name", "unit"])
    audit_record(
        actor=actor,
        action="site.update",
        obj=site,
        org=site.org,
        summary=f"修改项目现场 {site.name}",
        before=before,
        after=_site_snapshot(site),
    )
    return site


@transaction.atomic
def site_delete(*, actor, site: ProjectSite) -> None:
    """Only a site without visits may go: visits are the record of what was seen."""
    if site.visits.exists():
        raise ValidationError({"site": _("已有巡查记录的项目现场不能删除")})
    before = _site_snapshot(site)
    audit_record(
        actor=actor,
        action="site.delete",
        obj=site,
        org=site.org,
        summary=f"删除项目现场 {site.name}",
        before=before,
    )
    site.delete()


def _visit_snapshot(visit: SiteVisit) -> dict:
    return {
        "period": visit.period.name,
        "date": visit.date.isoformat(),
        "progress_note": visit.progress_note,
        "figure": "" if visit.figure is None else str(visit.figure),
    }


@files_atomic()
def site_visit_record(
    *,
    actor,
    site: ProjectSite,
    period: Period,
    date: Date,
    progress_note: str,
    figure: object = None,
    photos: Iterable[UploadedFile] = (),
) -> SiteVisit:
    """The month's visit to a site: created, or updated (new photos are added)."""
    if period.kind != PeriodKind.MONTH or period.year.org_id != site.org_id:
        raise ValidationError({"period": _("请选择本单位考核年度中的月份")})
    if not isinstance(date, Date) or not period.start <= date <= period.end:
        raise ValidationError({"date": _("日期应在%(month)s内") % {"month": period.name}})
    note = (progress_note or "").strip()
    if not note:
        raise ValidationError({"progress_note": _("请填写进展情况")})
    value = None
    if figure not in (None, ""):
        try:
            value = Decimal(str(figure).strip())
        except (InvalidOperation, ValueError):
            raise ValidationError({"figure": _("形象进度应为 0 到 100 之间的数字")}) from None
        if not value.is_finite() or not Decimal(0) <= value <= Decimal(100):
            raise ValidationError({"figure": _("形象进度应为 0 到 100 之间的数字")})
        if value != value.quantize(Decimal("0.01")):
            raise ValidationError({"figure": _("形象进度最多保留两位小数")})
        value = value.quantize(Decimal("0.01"))
    visit = SiteVisit.objects.select_for_update().filter(site=site, period=period).first()
    before = _visit_snapshot(visit) if visit else None
    if visit is None:
        visit = SiteVisit(site=site, period=period)
    visit.date, visit.progress_note, visit.figure = date, note, value
    visit.save()
    files = _store(actor, site.org, photos, "photos")
    if files:
        visit.photos.add(*files)
    audit_record(
        actor=actor,
        action="site.visit",
        obj=visit,
        org=site.org,
        summary=f"{site.name} {period.name}巡查",
        before=before,
        after=_visit_snapshot(visit) | {"photos": [f.original_name for f in files]},
    )
    return visit
