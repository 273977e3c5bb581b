"""奖励分配 (结果运用): reward pools shared exactly among a final assessment's subjects.

The office creates a pool, sets its amount and rule and edits the rows; leaders
(everyone who reads everything) read the table and download it for the finance
office; other roles get 403 and another organisation's pool is not found.
"""

from __future__ import annotations

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jixiao.engine.numbers import plain
from jixiao.organisation.access import Access, require_access
from jixiao.rewards import rules
from jixiao.rewards.models import RewardPool, RuleKind, Source
from jixiao.rewards.selectors import final_assessments, pool_get, pool_list, share_rows
from jixiao.rewards.services import (
    PoolInput,
    RewardConflict,
    reward_pool_create,
    reward_pool_update,
    reward_share_update,
)
from jixiao.spreadsheets.download import list_sheet, xlsx_response
from jixiao.web.errors import error_lines
from jixiao.web.params import int_param, year_param
from jixiao.years.selectors import years_for

POOL_FIELDS = (
    "name",
    "source",
    "county_reward",
    "county_grade",
    "entered_amount",
    "rule",
    "coefficients",
    "compliance_share",
)


def _reader(request: HttpRequest) -> Access:
    access = require_access(request)
    if not access.reads_everything:
        raise PermissionDenied(_("只有绩效办、领导小组和主管领导可以查看奖励分配"))
    return access


def _field_labels() -> dict[str, str]:
    return {
        "name": _("名称"),
        "source": _("奖金来源"),
        "county_reward": _("县级奖励"),
        "county_grade": _("县对镇评估等次"),
        "entered_amount": _("奖金总额"),
        "rule": _("分配规则"),
        "coefficients": _("等次系数"),
        "compliance_share": _("挂钩比例"),
        "assessment": _("考核"),
        "contribution": _("贡献值"),
        "months_ok": _("合格月数"),
        "note": _("备注"),
    }


def _coefficients_text(coefficients: dict[str, str]) -> str:
    return "\n".join(f"{grade}={value}" for grade, value in coefficients.items())


def _parse_coefficients(text: str) -> dict[str, str]:
    """Lines "优秀=1.2" (also "优秀 1.2" or "优秀：1.2"); blank lines ignored."""
    parsed: dict[str, str] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        parts = re.split(r"\s*[=:：\s]\s*", line, maxsplit=1)
        if len(parts) != 2 or not parts[0] or not parts[1]:
            raise ValidationError(
                {"coefficients": _("第 %(n)s 行应写成“等次=系数”，如 优秀=1.2") % {"n": number}}
            )
        parsed[parts[0]] = parts[1]
    return parsed


def _pool_input(post) -> PoolInput:
    rule = post.get("rule", "")
    return PoolInput(
        name=post.get("name", ""),
        source=post.get("source", ""),
        rule=rule,
        county_reward=post.get("county_reward"),
        county_grade=post.get("county_grade", ""),
        entered_amount=post.get("entered_amount"),
        coefficients=_parse_coefficients(post.get("coefficients", ""))
        if rule == RuleKind.GRADE_COEFFICIENT
        else None,
        compliance_share=post.get("compliance_share"),
    )


def _form_values(pool: RewardPool | None = None, post=None) -> dict[str, str]:
    if post is not None:
        return {field: post.get(field, "") for field in POOL_FIELDS}
    if pool is None:
        return {
            "name": "",
            "source": Source.COUNTY_MATCHED,
            "county_reward": "",
            "county_grade": "良",
            "entered_amount": "",
            "rule": RuleKind.CONTRIBUTION,
            "coefficients": _coefficients_text(rules.DEFAULT_COEFFICIENTS),
            "compliance_share": str(rules.DEFAULT_COMPLIANCE_SHARE),
        }
    return {
        "name": pool.name,
        "source": pool.source,
        "county_reward": "" if pool.county_reward is None else str(pool.county_reward),
        "county_grade": pool.county_grade,
        "entered_amount": "" if pool.entered_amount is None else str(pool.entered_amount),
        "rule": pool.rule,
        "coefficients": _coefficients_text(pool.coefficients or rules.DEFAULT_COEFFICIENTS),
        "compliance_share": str(
            pool.compliance_share
            if pool.compliance_share is not None
            else rules.DEFAULT_COMPLIANCE_SHARE
        ),
    }


def _choices() -> dict:
    return {
        "sources": Source.choices,
        "rule_kinds": RuleKind.choices,
        "county_grades": rules.COUNTY_GRADES,
    }


@login_required
def index(request: HttpRequest) -> HttpResponse:
    access = _reader(request)
    year = year_param(access, request)
    return _index(request, access, year)


def _index(request, access, year, *, form=None, errors=(), status=200) -> HttpResponse:
    context = {
        "year": year,
        "years": years_for(access).order_by("-year"),
        "pools": list(pool_list(access, year)) if year else [],
        "is_office": access.is_office,
        "assessments": list(final_assessments(access, year)) if year and access.is_office else [],
        "form": form or _form_values(),
        "errors": errors,
        **_choices(),
    }
    return render(request, "rewards/index.html", context, status=status)


@login_required
@require_POST
def create(request: HttpRequest) -> HttpResponse:
    access = require_access(request)
    access.require_office()
    year = get_object_or_404(years_for(access), pk=int_param(request.POST.get("year")) or 0)
    assessment_id = int_param(request.POST.get("assessment"))
    assessment = final_assessments(access, year).filter(pk=assessment_id or 0).first()
    try:
        if assessment is None:
            raise ValidationError({"assessment": _("请选择一个已定案的考核")})
        pool = reward_pool_create(
            actor=request.user, year=year, assessment=assessment, data=_pool_input(request.POST)
        )
    except ValidationError as exc:
        form = _form_values(post=request.POST)
        return _index(
            request, access, year, form=form, errors=error_lines(exc, _field_labels()), status=400
        )
    messages.success(request, _("已创建奖励分配“%(name)s”") % {"name": pool.name})
    return redirect("rewards:detail", pool_id=pool.pk)


def _detail(request, access, pool, *, form=None, errors=(), status=200) -> HttpResponse:
    shares = list(share_rows(pool))
    for share in shares:
        # plain(): 10 not 1E+1 or 10.00000000
        share.weight_text = plain(share.weight)
        share.contribution_text = "" if share.contribution is None else plain(share.contribution)
    context = {
        "pool": pool,
        "shares": shares,
        "total": sum((s.amount for s in shares), pool.amount * 0),
        "is_office": access.is_office,
        "form": form or _form_values(pool),
        "errors": errors,
        "show_months": pool.rule == RuleKind.MONTHLY_COMPLIANCE,
        **_choices(),
    }
    return render(request, "rewards/detail.html", context, status=status)


@login_required
def detail(request: HttpRequest, pool_id: int) -> HttpResponse:
    access = _reader(request)
    return _detail(request, access, pool_get(access, pool_id))


def _version(request: HttpRequest) -> int:
    return int_param(request.POST.get("version")) or 0


@login_required
@require_POST
def edit(request: HttpRequest, pool_id: int) -> HttpResponse:
    access = require_access(request)
    access.require_office()
    pool = pool_get(access, pool_id)
    try:
        reward_pool_update(
            actor=request.user, pool=pool, version=_version(request), data=_pool_input(request.POST)
        )
    except RewardConflict as exc:
        return _detail(request, access, pool_get(access, pool_id), errors=[str(exc)], status=409)
    except ValidationError as exc:
        form = _form_values(post=request.POST)
        return _detail(
            request, access, pool, form=form, errors=error_lines(exc, _field_labels()), status=400
        )
    messages.success(request, _("已保存，分配结果已重新计算"))
    return redirect("rewards:detail", pool_id=pool.pk)


@login_required
@require_POST
def share_edit(request: HttpRequest, pool_id: int, share_id: int) -> HttpResponse:
    access = require_access(request)
    access.require_office()
    pool = pool_get(access, pool_id)
    share = get_object_or_404(pool.shares, pk=share_id)
    try:
        share = reward_share_update(
            actor=request.user,
            share=share,
            version=_version(request),
            contribution=request.POST.get("contribution"),
            months_ok=request.POST.get("months_ok"),
            excluded=request.POST.get("excluded") == "on",
            note=request.POST.get("note", ""),
        )
    except RewardConflict as exc:
        return _detail(request, access, pool_get(access, pool_id), errors=[str(exc)], status=409)
    except ValidationError as exc:
        errors = [f"{share.label}：{e}" for e in error_lines(exc, _field_labels())]
        return _detail(request, access, pool, errors=errors, status=400)
    messages.success(
        request,
        _("已保存 %(who)s，分配结果已重新计算") % {"who": share.label},
    )
    return redirect("rewards:detail", pool_id=pool.pk)


def allocation_sheet():
    return list_sheet(
        _("奖励分配表"),
        (_("序号"), "number"),
        (_("对象"), "label"),
        (_("总分"), "total"),
        (_("等次"), "grade"),
        (_("贡献值"), "contribution"),
        (_("合格月数"), "months_ok"),
        (_("分配权重"), "weight"),
        (_("有资格"), "eligible"),
        (_("金额（元）"), "amount"),
        (_("说明"), "reason"),
    )


@login_required
def export(request: HttpRequest, pool_id: int) -> HttpResponse:
    """The allocation table for the finance office, with a total row equal to the pool."""
    access = _reader(request)
    pool = pool_get(access, pool_id)
    shares = list(share_rows(pool))
    rows = [
        {
            "number": index,
            "label": share.label,
            "total": share.subject.total,
            "grade": share.subject.grade,
            "contribution": share.contribution,
            "months_ok": share.months_ok,
            "weight": share.weight,
            "eligible": share.eligible,
            "amount": share.amount,
            "reason": share.reason,
        }
        for index, share in enumerate(shares, start=1)
    ]
    rows.append({"label": _("合计"), "amount": sum((s.amount for s in shares), pool.amount * 0)})
    return xlsx_response(allocation_sheet(), rows, f"{pool.name}-{access.org.name}")
