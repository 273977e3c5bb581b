"""Excel downloads of the list pages (结果运用 · 报表).

Each view reuses the page's own selector and permission check, so a file never
holds more than the page shows to the same user: another organisation's object
is 404, a role that may not see the page gets 403. Cells are written through
``jixiao.spreadsheets`` (formula-looking text is neutralised).
"""

from __future__ import annotations

from decimal import Decimal

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from jixiao.appraisal import selectors as appraisal_sel
from jixiao.appraisal.models import RoundStatus as AppraisalStatus
from jixiao.appraisal.statistics import for_display
from jixiao.assessments import selectors as assessment_sel
from jixiao.audit import selectors as audit_sel
from jixiao.audit.actions import action_label
from jixiao.ballots.models import Choice, RoundStatus
from jixiao.ballots.selectors import can_see_results as can_see_ballots
from jixiao.ballots.selectors import round_get, round_results
from jixiao.inspections.selectors import (
    can_read_ledger,
    filter_periods,
    ledger_unit_get,
    unit_ledger,
)
from jixiao.organisation.access import require_access
from jixiao.organisation.selectors import user_name
from jixiao.progress import selectors as progress_sel
from jixiao.rankings.selectors import rankings
from jixiao.rectification import selectors as rectification_sel
from jixiao.rectification.models import ItemStatus
from jixiao.spreadsheets.download import list_sheet, xlsx_response
from jixiao.targets.selectors import targets_visible_to
from jixiao.web.params import int_param, year_param
from jixiao.web.views import audit as audit_views
from jixiao.web.views import progress as progress_views
from jixiao.years.models import SubjectKind
from jixiao.years.selectors import current_year, period_label


def _eligible(value: bool | None) -> str:
    if value is None:
        return ""
    return _("有") if value else _("取消")


# --- 结果: published rankings ---------------------------------------------------------


@login_required
def rankings_export(request: HttpRequest) -> HttpResponse:
    """The results page's rankings (published assessments only), same filters."""
    access = require_access(request)
    year = year_param(access, request)
    if year is None:
        raise Http404(_("尚未创建考核年度"))
    kind = request.GET.get("kind", "")
    kind = kind if kind in SubjectKind.values else ""
    rows = [
        {
            "period": ranking.period_label,
            "kind": ranking.kind_label,
            "assessment": ranking.assessment.name,
            "status": ranking.assessment.get_status_display(),
            "rank": row.rank,
            "label": row.subject.label,
            "total": row.subject.total,
            "grade": row.subject.grade,
            "eligible": _eligible(row.subject.award_eligible),
            "note": row.subject.quota_note,
        }
        for ranking in rankings(
            access, year, period_id=int_param(request.GET.get("period")), kind=kind
        )
        for row in ranking.rows
    ]
    sheet = list_sheet(
        _("考核结果排名"),
        (_("考核周期"), "period"),
        (_("考核对象类型"), "kind"),
        (_("考核"), "assessment"),
        (_("状态"), "status"),
        (_("名次"), "rank"),
        (_("考核对象"), "label"),
        (_("总分"), "total"),
        (_("等次"), "grade"),
        (_("评先评优资格"), "eligible"),
        (_("说明"), "note"),
    )
    return xlsx_response(sheet, rows, f"{year.name}-{_('考核结果排名')}")


# --- 考核: one assessment's subjects ----------------------------------------------------


@login_required
def assessment_export(request: HttpRequest, assessment_id: int) -> HttpResponse:
    access = require_access(request)
    assessment = assessment_sel.assessment_get(access, assessment_id)  # 404 elsewhere
    if not assessment_sel.can_see_results(access, assessment):
        raise PermissionDenied(_("考核结果公示前只有绩效办和领导小组可以导出"))
    rows = [
        {
            "rank": row.subject.rank,
            "label": row.subject.label,
            "total": row.subject.total,
            "scheme_grade": row.subject.scheme_grade,
            "grade": row.subject.grade,
            "eligible": _eligible(row.subject.award_eligible),
            "reasons": "；".join(row.subject.reasons or []),
            "quota": row.subject.quota_note,
            "problems": "；".join(row.subject.problems or []),
        }
        for row in assessment_sel.subject_table(access, assessment)
    ]
    sheet = list_sheet(
        _("考核对象"),
        (_("名次"), "rank"),
        (_("考核对象"), "label"),
        (_("总分"), "total"),
        (_("方案等次"), "scheme_grade"),
        (_("等次"), "grade"),
        (_("评先评优资格"), "eligible"),
        (_("原因"), "reasons"),
        (_("比例限制说明"), "quota"),
        (_("缺项"), "problems"),
    )
    return xlsx_response(sheet, rows, assessment.name)


# --- 过程: inspection ledger and traffic lights ------------------------------------------


@login_required
def ledger_export(request: HttpRequest, unit_id: int) -> HttpResponse:
    access = require_access(request)
    unit = ledger_unit_get(access, unit_id)  # another organisation's unit: 404
    if not can_read_ledger(access, unit):
        raise PermissionDenied(_("没有查看该单位察访核验台账的权限"))
    year = current_year(access)
    groups = []
    if year is not None:
        period_id = int_param(request.GET.get("period"))
        period = next((p for p in filter_periods(year) if p.pk == period_id), None)
        start, end = (period.start, period.end) if period else (None, None)
        groups = unit_ledger(year, unit, start=start, end=end)
    rows = [
        {
            "person": str(group.person) if group.person else "",
            "node": group.node_name,
            "date": line.inspection.date,
            "kind": line.inspection.get_kind_display(),
            "finding": line.inspection.finding,
            "points": line.inspection.points,
            "running": line.running,
            "voided": line.inspection.voided,
            "void_reason": line.inspection.void_reason,
        }
        for group in groups
        for line in group.lines
    ]
    sheet = list_sheet(
        _("察访核验台账"),
        (_("责任人"), "person"),
        (_("扣分项"), "node"),
        (_("日期"), "date"),
        (_("方式"), "kind"),
        (_("发现问题"), "finding"),
        (_("扣分"), "points"),
        (_("累计扣分"), "running"),
        (_("已撤销"), "voided"),
        (_("撤销理由"), "void_reason"),
    )
    return xlsx_response(sheet, rows, f"{unit.name}-{_('察访核验台账')}")


@login_required
def lights_export(request: HttpRequest) -> HttpResponse:
    """The traffic-light page: one row per milestone of every target the user may see."""
    access = require_access(request)
    year = current_year(access)
    now = progress_views.today()
    colours = {
        progress_sel.GREEN: _("绿灯"),
        progress_sel.YELLOW: _("黄灯"),
        progress_sel.RED: _("红灯"),
    }
    rows = []
    if year is not None:
        targets = list(targets_visible_to(access, year).select_related("unit").order_by("code"))
        for light in progress_sel.milestone_lights(targets, now):
            rows.append(
                {
                    "code": light.target.code,
                    "title": light.target.title,
                    "unit": light.target.unit.name if light.target.unit else "",
                    "period": period_label(light.milestone.period),
                    "due": light.due,
                    "colour": colours.get(light.colour, light.colour),
                    "reported": light.reported,
                    "overdue": light.overdue_days or None,
                }
            )
    sheet = list_sheet(
        _("进度红绿灯"),
        (_("编号"), "code"),
        (_("目标内容"), "title"),
        (_("责任单位"), "unit"),
        (_("进度节点"), "period"),
        (_("截止日期"), "due"),
        (_("状态"), "colour"),
        (_("已报送"), "reported"),
        (_("逾期天数"), "overdue"),
    )
    return xlsx_response(sheet, rows, f"{_('进度红绿灯')}-{now:%Y%m%d}")


@login_required
def plans_export(request: HttpRequest) -> HttpResponse:
    """The month's plans the user may see (the plans page), one row per plan item."""
    access = require_access(request)
    year = current_year(access)
    if year is None:
        raise Http404(_("尚未创建考核年度"))
    month_list = list(progress_sel.months(year))
    chosen = int_param(request.GET.get("month"))
    month = next((m for m in month_list if m.pk == chosen), None)
    month = month or progress_sel.month_of(year, progress_views.today())
    month = month or (month_list[0] if month_list else None)
    if month is None:
        raise Http404(_("没有这个月份"))
    rows = [
        {
            "owner": str(plan.unit or plan.task_force),
            "status": plan.get_status_display(),
            "number": index,
            "item": item.description,
            "target": item.target.code if item.target else "",
            "completion": item.completion,
            "note": item.note,
        }
        for plan in progress_sel.plan_list(access, month)
        for index, item in enumerate(plan.items.all(), start=1)
    ]
    sheet = list_sheet(
        _("月度计划"),
        (_("单位/指挥组"), "owner"),
        (_("状态"), "status"),
        (_("序号"), "number"),
        (_("计划事项"), "item"),
        (_("对应目标"), "target"),
        (_("完成度（%）"), "completion"),
        (_("完成情况说明"), "note"),
    )
    return xlsx_response(sheet, rows, f"{period_label(month)}-{_('月度计划')}")


# --- 考核: peer-ballot results -----------------------------------------------------------


@login_required
def ballot_export(request: HttpRequest, round_id: int) -> HttpResponse:
    access = require_access(request)
    ballot_round = round_get(access, round_id)  # 404 elsewhere
    if not can_see_ballots(access):
        raise PermissionDenied(_("只有绩效办和领导小组成员可以查看测评情况"))
    if ballot_round.status != RoundStatus.CLOSED:
        raise PermissionDenied(_("测评结束后才能导出结果"))
    by_subject = round_results(ballot_round)
    subjects = ballot_round.assessment.subjects.select_related("unit", "person", "task_force")
    choices = list(Choice.choices)
    rows = []
    for subject in subjects.order_by("pk"):
        result = by_subject.get(subject.pk)
        if result is None:
            continue
        row = {
            "label": subject.label,
            "score": result.score,
            "valid": result.valid,
            "ballots": result.ballots,
            "reason": result.reason,
        }
        row |= {f"c_{value}": result.counts.get(value, 0) for value, _label in choices}
        rows.append(row)
    sheet = list_sheet(
        _("民主测评结果"),
        (_("考核对象"), "label"),
        (_("得分"), "score"),
        (_("有效票"), "valid"),
        (_("总票数"), "ballots"),
        *((str(label), f"c_{value}") for value, label in choices),
        (_("说明"), "reason"),
    )
    return xlsx_response(sheet, rows, ballot_round.title)


# --- 结果: rectification items -------------------------------------------------------------


@login_required
def rectification_export(request: HttpRequest) -> HttpResponse:
    """The rectification list page's items, with its filters (year, status, unit)."""
    access = require_access(request)
    year = year_param(access, request)
    if year is None:
        raise Http404(_("尚未创建考核年度"))
    status = request.GET.get("status", "")
    status = status if status in ItemStatus.values else ""
    items = rectification_sel.item_list(
        access, year, status=status, unit_id=int_param(request.GET.get("unit"))
    ).order_by("deadline", "pk")
    today = timezone.localdate()
    rows = [
        {
            "number": item.pk,
            "unit": item.unit.name,
            "owner": item.owner.name,
            "problem": item.problem,
            "measures": item.measures,
            "source": item.get_source_display(),
            "deadline": item.deadline,
            "status": item.get_status_display(),
            "overdue": item.is_overdue(today),
            "carried_to": item.carried_to.code if item.carried_to else "",
            "evidence": item.evidence_count,
        }
        for item in items
    ]
    sheet = list_sheet(
        _("整改事项"),
        (_("编号"), "number"),
        (_("责任单位"), "unit"),
        (_("责任人"), "owner"),
        (_("存在问题"), "problem"),
        (_("整改措施"), "measures"),
        (_("来源"), "source"),
        (_("整改时限"), "deadline"),
        (_("状态"), "status"),
        (_("逾期"), "overdue"),
        (_("已转入目标"), "carried_to"),
        (_("佐证"), "evidence"),
    )
    return xlsx_response(sheet, rows, f"{year.name}-{_('整改事项')}")


# --- 考核: public-appraisal results --------------------------------------------------------


def _withheld(suppressed: bool, value: Decimal | None) -> Decimal | str | None:
    """A suppressed figure is written as the word, never as the number behind it."""
    return _("不公布") if suppressed else value


def _index_rows(label: str, result, index, margin, strata) -> list[dict]:
    rows = [
        {
            "unit": label,
            "stratum": _("全部类别"),
            "n": result.n,
            "value": _withheld(result.suppressed or index is None, index),
            "margin": _withheld(result.suppressed or index is None, margin),
            "weight": None,
        }
    ]
    for line in strata:
        hidden = line.result.suppressed and line.result.n > 0
        rows.append(
            {
                "unit": label,
                "stratum": line.name,
                "n": line.result.n,
                "value": _withheld(hidden, None if line.result.suppressed else line.mean),
                "margin": None,
                "weight": line.weight,
            }
        )
    return rows


@login_required
def appraisal_export(request: HttpRequest, round_id: int) -> HttpResponse:
    """公众评议 results per unit and per stratum, as on the results page once closed."""
    access = require_access(request)
    appraisal_round = appraisal_sel.round_get(access, round_id)  # 404 elsewhere
    if not appraisal_sel.can_read_results(access):
        raise PermissionDenied(_("只有绩效办和领导小组成员可以查看公众评议结果"))
    if appraisal_round.status != AppraisalStatus.CLOSED:
        raise PermissionDenied(_("评议结束后才能导出结果"))
    results = appraisal_sel.round_results(appraisal_round)
    rows = []
    for unit in results.units:
        rows += _index_rows(unit.unit.name, unit.result, unit.index, unit.margin, unit.strata)
    overall = results.overall
    rows += _index_rows(
        _("总体（全部满意度题）"),
        overall,
        for_display(overall.index),
        for_display(overall.margin),
        results.overall_strata,
    )
    sheet = list_sheet(
        _("公众评议结果"),
        (_("单位"), "unit"),
        (_("类别"), "stratum"),
        (_("答卷"), "n"),
        (_("满意度指数/平均分"), "value"),
        (_("误差范围（±）"), "margin"),
        (_("权重（%）"), "weight"),
    )
    return xlsx_response(sheet, rows, f"{appraisal_round.name}-{_('公众评议结果')}")


# --- 组织: audit log ------------------------------------------------------------------------


@login_required
def audit_export(request: HttpRequest) -> HttpResponse:
    """The audit-log page's filtered events (office only), every page in one file."""
    access = require_access(request)
    access.require_office()
    filters, _errors = audit_views.filters_from(request.GET)
    rows = []
    for event in audit_sel.event_list(access, filters):
        rows.append(
            {
                # Local wall-clock time as text: Excel has no time zones.
                "at": f"{timezone.localtime(event.at):%Y-%m-%d %H:%M:%S}",
                "actor": user_name(event.actor),
                "action": action_label(event.action),
                "code": event.action,
                "type": audit_sel.object_label(event.object_type),
                "object": event.object_id,
                "summary": event.summary,
                "changes": audit_sel.changes_text(audit_sel.event_changes(event)),
            }
        )
    sheet = list_sheet(
        _("审计日志"),
        (_("时间"), "at"),
        (_("操作人"), "actor"),
        (_("操作"), "action"),
        (_("操作代码"), "code"),
        (_("对象类型"), "type"),
        (_("对象"), "object"),
        (_("摘要"), "summary"),
        (_("修改内容"), "changes"),
    )
    return xlsx_response(sheet, rows, _("审计日志"))
