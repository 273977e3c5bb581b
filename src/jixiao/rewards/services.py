"""Writes for reward pools: create, change the pool or its rule, change one share.

Every write locks the pool row (``select_for_update``), refuses a stale
``version`` with ``RewardConflict``, recomputes the whole allocation from the
inputs and bumps the version, all in one transaction: two offices editing at
once can never leave amounts that do not add up to the pool, and nobody's edit
silently overwrites another's. Audited with the allocation before and after.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from jixiao.assessments.models import Assessment, Status
from jixiao.audit.services import audit_record
from jixiao.engine.numbers import plain
from jixiao.rewards import rules
from jixiao.rewards.allocation import AllocationError, allocate
from jixiao.rewards.models import RewardPool, RewardShare, RuleKind, Source
from jixiao.years.models import AssessmentYear

MAX_AMOUNT = Decimal("9999999999.99")


class RewardConflict(Exception):
    """The pool changed after the user loaded it; nothing was saved."""

    def __init__(self, pool: RewardPool, seen: int) -> None:
        self.current = pool.version
        super().__init__(
            _("该奖励分配已被他人修改（您看到的是第 %(seen)s 版，现为第 %(now)s 版），请刷新后重试")
            % {"seen": seen, "now": pool.version}
        )


@dataclass(frozen=True)
class PoolInput:
    """What the office sets on a pool (create and update)."""

    name: str
    source: str
    rule: str
    county_reward: object = None
    county_grade: str = ""
    entered_amount: object = None
    coefficients: dict[str, object] | None = None
    compliance_share: object = None


# --- validation -----------------------------------------------------------------


def _money(raw: object, field: str, label: str) -> Decimal:
    try:
        value = Decimal(str(raw).strip()) if raw is not None and str(raw).strip() else None
    except InvalidOperation:
        value = None
    if value is None or not value.is_finite():
        raise ValidationError({field: _("请填写%(label)s（元）") % {"label": label}})
    if value < 0 or value > MAX_AMOUNT:
        raise ValidationError(
            {field: _("%(label)s应在 0 到 9999999999.99 元之间") % {"label": label}}
        )
    if value != value.quantize(Decimal("0.01")):
        raise ValidationError({field: _("%(label)s最多两位小数（到分）") % {"label": label}})
    return value.quantize(Decimal("0.01"))


def _number(raw: object, field: str, message: str) -> Decimal:
    try:
        value = Decimal(str(raw).strip())
    except InvalidOperation:
        raise ValidationError({field: message}) from None
    if not value.is_finite():
        raise ValidationError({field: message})
    return value


def _clean(data: PoolInput) -> dict[str, Any]:
    name = (data.name or "").strip()
    if not name or len(name) > 100:
        raise ValidationError({"name": _("请填写名称（不超过 100 个字）")})
    clean: dict[str, Any] = {
        "name": name,
        "source": data.source,
        "rule": data.rule,
        "county_reward": None,
        "county_grade": "",
        "entered_amount": None,
        "coefficients": {},
        "compliance_share": None,
    }
    if data.source == Source.COUNTY_MATCHED:
        clean["county_reward"] = _money(data.county_reward, "county_reward", _("县级奖励"))
        if data.county_grade not in rules.COUNTY_GRADES:
            raise ValidationError({"county_grade": _("县对镇评估等次应为优、良、一般或差")})
        clean["county_grade"] = data.county_grade
        amount, note = rules.county_pool(clean["county_reward"], data.county_grade)
    elif data.source == Source.ENTERED:
        clean["entered_amount"] = _money(data.entered_amount, "entered_amount", _("奖金总额"))
        amount, note = clean["entered_amount"], _("直接录入")
    else:
        raise ValidationError({"source": _("请选择奖金来源")})
    if amount > MAX_AMOUNT:
        raise ValidationError({"county_reward": _("奖金总额超过上限")})
    clean["amount"], clean["amount_note"] = amount, note
    if data.rule == RuleKind.GRADE_COEFFICIENT:
        raw = data.coefficients if data.coefficients is not None else rules.DEFAULT_COEFFICIENTS
        coefficients = {}
        for grade, value in raw.items():
            grade = str(grade).strip()
            if not grade or value is None or str(value).strip() == "":
                continue
            number = _number(
                value, "coefficients", _("等次“%(grade)s”的系数应为数字") % {"grade": grade}
            )
            if number < 0 or number > 100:
                raise ValidationError(
                    {
                        "coefficients": _("等次“%(grade)s”的系数应在 0 到 100 之间")
                        % {"grade": grade}
                    }
                )
            coefficients[grade] = plain(number)
        if not coefficients:
            raise ValidationError({"coefficients": _("请至少设置一个等次系数")})
        clean["coefficients"] = coefficients
    elif data.rule == RuleKind.MONTHLY_COMPLIANCE:
        raw = data.compliance_share
        share = (
            rules.DEFAULT_COMPLIANCE_SHARE
            if raw is None or str(raw).strip() == ""
            else _number(raw, "compliance_share", _("挂钩比例应为 0 到 1 之间的数字"))
        )
        if not 0 <= share <= 1 or share != share.quantize(Decimal("0.0001")):
            raise ValidationError(
                {"compliance_share": _("挂钩比例应为 0 到 1 之间的数字（最多四位小数）")}
            )
        clean["compliance_share"] = share
    elif data.rule != RuleKind.CONTRIBUTION:
        raise ValidationError({"rule": _("请选择分配规则")})
    return clean


# --- the allocation -------------------------------------------------------------


def _base(share: RewardShare) -> tuple[Decimal | None, str]:
    if share.contribution is not None:
        return share.contribution, _("贡献值")
    if share.subject.total is not None:
        return share.subject.total, _("总分")
    return None, ""


def _weigh(pool: RewardPool, share: RewardShare) -> tuple[rules.Weight | None, str]:
    """The row's weight, or None and why it gets nothing."""
    subject = share.subject
    if share.excluded:
        return None, _("不参与分配：%(note)s") % {"note": share.note or _("绩效办排除")}
    if subject.award_eligible is None:
        return None, _("尚无考核结果")
    if not subject.award_eligible:
        return None, "；".join(subject.reasons) or _("取消评先评优资格")
    if pool.rule == RuleKind.GRADE_COEFFICIENT:
        grade = subject.grade or subject.scheme_grade
        if grade not in pool.coefficients:
            raise ValidationError(
                {
                    "coefficients": _("%(who)s 的等次“%(grade)s”没有设置系数")
                    % {"who": share.label, "grade": grade or "—"}
                }
            )
        return rules.grade_weight(grade, Decimal(pool.coefficients[grade])), ""
    base, source = _base(share)
    if base is None:
        return None, _("没有总分，请录入贡献值")
    if pool.rule == RuleKind.CONTRIBUTION:
        return rules.contribution_weight(base, source), ""
    months = rules.MONTHS if share.months_ok is None else share.months_ok
    weight = rules.compliance_weight(base, source, months, pool.compliance_share)
    if share.months_ok is None:
        return weight, _("未录入合格月数，按 12 个月计")
    return weight, ""


def _recompute(pool: RewardPool) -> list[RewardShare]:
    shares = list(pool.shares.select_related("subject"))
    rows: list[tuple[int, Decimal, bool]] = []
    for share in shares:
        weight, why = _weigh(pool, share)
        share.eligible = weight is not None
        share.weight = weight.shown if weight else Decimal(0)
        share.reason = "；".join(x for x in ((weight.explain if weight else ""), why) if x)[:300]
        rows.append((share.pk, weight.value if weight else Decimal(0), share.eligible))
    try:
        amounts = allocate(pool.amount, rows)
    except AllocationError as exc:
        who = next((s.label for s in shares if s.pk == exc.key), "")
        raise ValidationError(
            _("无法分配：%(who)s 没有人有可分配的权重（都为 0 或都无资格）") % {"who": who}
            if who
            else _("无法分配：没有符合条件的对象")
        ) from None
    for share in shares:
        share.amount = amounts[share.pk]
    RewardShare.objects.bulk_update(shares, ["weight", "eligible", "amount", "reason"])
    return shares


def _snapshot(pool: RewardPool, shares: list[RewardShare] | None = None) -> dict[str, Any]:
    shares = shares if shares is not None else list(pool.shares.all())
    return {
        "version": pool.version,
        "amount": str(pool.amount),
        "rule": pool.rule,
        "coefficients": pool.coefficients,
        "compliance_share": None if pool.compliance_share is None else str(pool.compliance_share),
        "allocation": {s.label: str(s.amount) for s in shares},
    }


def _locked(pool: RewardPool, version: int) -> RewardPool:
    locked = RewardPool.objects.select_for_update().get(pk=pool.pk)
    if locked.version != version:
        raise RewardConflict(locked, version)
    return locked


# --- services -------------------------------------------------------------------


@transaction.atomic
def reward_pool_create(
    *, actor, year: AssessmentYear, assessment: Assessment, data: PoolInput
) -> RewardPool:
    """A pool shared among the subjects of one of the year's final assessments."""
    if assessment.year_id != year.pk:
        raise ValidationError({"assessment": _("考核不属于该年度")})
    if assessment.status != Status.FINAL:
        raise ValidationError({"assessment": _("只有已定案的考核结果可用于奖励分配")})
    pool = RewardPool.objects.create(org=year.org, year=year, assessment=assessment, **_clean(data))
    subjects = assessment.subjects.select_related("unit", "person", "task_force").order_by(
        "rank", "pk"
    )
    RewardShare.objects.bulk_create(
        [
            RewardShare(pool=pool, subject=s, label=s.label[:100], sort=index)
            for index, s in enumerate(subjects)
        ]
    )
    shares = _recompute(pool)
    audit_record(
        actor=actor,
        action="rewards.pool_create",
        obj=pool,
        org=year.org,
        summary=f"{pool.name} {pool.amount}",
        after=_snapshot(pool, shares),
    )
    return pool


@transaction.atomic
def reward_pool_update(*, actor, pool: RewardPool, version: int, data: PoolInput) -> RewardPool:
    """Change the amount, its source or the rule; every share is recomputed."""
    pool = _locked(pool, version)
    before = _snapshot(pool)
    for field, value in _clean(data).items():
        setattr(pool, field, value)
    pool.version += 1
    pool.save()
    shares = _recompute(pool)
    audit_record(
        actor=actor,
        action="rewards.pool_update",
        obj=pool,
        org=pool.org,
        summary=f"{pool.name} {pool.amount}",
        before=before,
        after=_snapshot(pool, shares),
    )
    return pool


@transaction.atomic
def reward_share_update(
    *,
    actor,
    share: RewardShare,
    version: int,
    contribution: object = None,
    months_ok: object = None,
    excluded: bool = False,
    note: str = "",
) -> RewardShare:
    """Change one row's inputs; the whole pool is recomputed so it still adds up."""
    pool = _locked(share.pool, version)
    share = RewardShare.objects.get(pk=share.pk, pool=pool)
    before = _snapshot(pool) | {"row": _row_inputs(share)}
    if contribution is None or str(contribution).strip() == "":
        share.contribution = None
    else:
        value = _number(contribution, "contribution", _("贡献值应为数字"))
        if value < 0 or value != value.quantize(Decimal("0.0001")) or value >= 10**8:
            raise ValidationError({"contribution": _("贡献值应为不小于 0 的数字（最多四位小数）")})
        share.contribution = value
    if months_ok is None or str(months_ok).strip() == "":
        share.months_ok = None
    else:
        text = str(months_ok).strip()
        if not text.isdigit() or not 0 <= int(text) <= rules.MONTHS:
            raise ValidationError({"months_ok": _("合格月数应为 0 到 12 的整数")})
        share.months_ok = int(text)
    note = (note or "").strip()
    if len(note) > 200:
        raise ValidationError({"note": _("备注不能超过 200 个字")})
    if excluded and not note:
        raise ValidationError({"note": _("不参与分配时请填写原因")})
    share.excluded, share.note = bool(excluded), note
    share.save(update_fields=("contribution", "months_ok", "excluded", "note"))
    pool.version += 1
    pool.save(update_fields=("version", "updated_at"))
    shares = _recompute(pool)
    share = next(s for s in shares if s.pk == share.pk)
    audit_record(
        actor=actor,
        action="rewards.share_update",
        obj=share,
        org=pool.org,
        summary=f"{pool.name} {share.label} {share.amount}",
        before=before,
        after=_snapshot(pool, shares) | {"row": _row_inputs(share)},
    )
    return share


def _row_inputs(share: RewardShare) -> dict[str, Any]:
    return {
        "label": share.label,
        "contribution": None if share.contribution is None else str(share.contribution),
        "months_ok": share.months_ok,
        "excluded": share.excluded,
        "note": share.note,
    }
