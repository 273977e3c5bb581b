"""Writes for assessments: creation, self-evaluation, scoring, vetoes, aggregation,
publication, appeals and finalisation.

All keyword-only, atomic and audited (who, when, before, after). The status
machine: self_evaluation → scoring → review → notice → final; a final
assessment refuses every write.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from jixiao.assessments.calendar import DEFAULT_NOTICE_DAYS, add_working_days
from jixiao.assessments.inputs import ballot_results, gather_inputs
from jixiao.assessments.models import (
    Appeal,
    AppealStatus,
    Assessment,
    GradeQuota,
    Score,
    SelfEvaluation,
    Status,
    Subject,
    Veto,
    VetoStatus,
)
from jixiao.assessments.nodes import Entry, entry_label, scheme_of, scored_entries, self_entries
from jixiao.assessments.quotas import Ranked, apply_quotas, competition_ranks
from jixiao.assessments.sources import BALLOT, FedSource, fed_sources
from jixiao.audit.services import audit_record
from jixiao.engine import InputError, evaluate
from jixiao.engine import Scheme as EngineScheme
from jixiao.engine.numbers import plain
from jixiao.organisation.models import Person, TaskForce, Unit, UnitKind
from jixiao.years.models import AssessmentYear, Period, PeriodKind, SubjectKind, YearScheme
from jixiao.years.selectors import calendar_exceptions

ASSESSED_PERIODS = (PeriodKind.MONTH, PeriodKind.QUARTER, PeriodKind.HALF, PeriodKind.YEAR)
UNIT_KINDS = (UnitKind.SECTION, UnitKind.STATION, UnitKind.VILLAGE, UnitKind.COMMITTEE)
SCORING_STATUSES = (Status.SCORING, Status.REVIEW)
VETO_STATUSES = (Status.SELF_EVALUATION, Status.SCORING, Status.REVIEW)


# --- status ---------------------------------------------------------------------


def assessment_require_writable(assessment: Assessment, *statuses: str) -> None:
    """Refuse any write to a final assessment, and any write outside ``statuses``."""
    if assessment.status == Status.FINAL:
        raise ValidationError(_("考核已定案，不能再修改"))
    if statuses and assessment.status not in statuses:
        allowed = "、".join(str(Status(s).label) for s in statuses)
        raise ValidationError(
            _("当前状态为“%(now)s”，此操作只能在“%(allowed)s”阶段进行")
            % {"now": Status(assessment.status).label, "allowed": allowed}
        )


def _locked(assessment: Assessment) -> Assessment:
    """Re-read the assessment row under a lock so two status changes cannot interleave."""
    return Assessment.objects.select_for_update().get(pk=assessment.pk)


def _when(today: date | None) -> date:
    return today or timezone.localdate()


# --- creation -------------------------------------------------------------------


def _subject_rows(org: Unit, kind: str) -> list[Subject]:
    if kind == SubjectKind.ORGANISATION:
        return [Subject(unit=org)]
    if kind == SubjectKind.UNIT:
        units = Unit.objects.filter(org=org, kind__in=UNIT_KINDS).order_by("sort", "code")
        return [Subject(unit=u) for u in units]
    if kind == SubjectKind.TASK_FORCE:
        return [Subject(task_force=t) for t in TaskForce.objects.filter(org=org).order_by("name")]
    if kind == SubjectKind.PERSON:
        people = Person.objects.filter(org=org, is_active=True).order_by("unit__sort", "code")
        return [Subject(person=p) for p in people]
    raise ValidationError({"subject_kind": _("未知的考核对象：%(kind)s") % {"kind": kind}})


def _check_quotas(scheme: EngineScheme, quotas: Mapping[str, Decimal]) -> None:
    bands = [band.name for band in scheme.grades]
    errors = []
    for grade, share in quotas.items():
        if grade not in bands:
            errors.append(
                _("等次“%(grade)s”不是方案的等次（%(bands)s）")
                % {"grade": grade, "bands": "、".join(bands)}
            )
        elif grade == bands[-1]:
            errors.append(_("最低等次“%(grade)s”不能设比例限制") % {"grade": grade})
        if not Decimal(0) <= share <= Decimal(1):
            errors.append(_("等次“%(grade)s”的比例应在 0 到 100%% 之间") % {"grade": grade})
    if errors:
        raise ValidationError({"quotas": errors})


def _default_name(period, subject_kind: str) -> str:
    """The default name, e.g. 第一季度科室考核: stored data, so always Chinese."""
    with override("zh-hans"):
        return f"{period.name}{SubjectKind(subject_kind).label}考核"


@transaction.atomic
def assessment_create(
    *,
    actor,
    year: AssessmentYear,
    period: Period,
    subject_kind: str,
    name: str = "",
    quotas: Mapping[str, Decimal] | None = None,
    notice_days: int = DEFAULT_NOTICE_DAYS,
    self_scores_all: bool = False,
) -> Assessment:
    """Open an assessment of one period for one kind of subject, pinning the year's scheme."""
    if period.year_id != year.pk:
        raise ValidationError({"period": _("考核周期不属于该年度")})
    if period.kind not in ASSESSED_PERIODS:
        raise ValidationError({"period": _("只能按月、季度、半年或年度考核")})
    if subject_kind not in SubjectKind.values:
        raise ValidationError(
            {"subject_kind": _("未知的考核对象：%(kind)s") % {"kind": subject_kind}}
        )
    label = SubjectKind(subject_kind).label
    pin = (
        YearScheme.objects.filter(year=year, subject_kind=subject_kind)
        .select_related("scheme_version")
        .first()
    )
    if pin is None:
        raise ValidationError(
            {"subject_kind": _("本年度未为“%(kind)s”指定考核方案") % {"kind": label}}
        )
    if Assessment.objects.filter(period=period, subject_kind=subject_kind).exists():
        raise ValidationError(
            {"period": _("%(period)s的%(kind)s考核已存在") % {"period": period.name, "kind": label}}
        )
    if not 0 <= notice_days <= 30:
        raise ValidationError({"notice_days": _("公示期应为 0 到 30 个工作日")})
    subjects = _subject_rows(year.org, subject_kind)
    if not subjects:
        raise ValidationError({"subject_kind": _("本单位没有可考核的%(kind)s") % {"kind": label}})
    assessment = Assessment(
        year=year,
        period=period,
        subject_kind=subject_kind,
        scheme_version=pin.scheme_version,
        name=name.strip() or _default_name(period, subject_kind),
        notice_days=notice_days,
        self_scores_all=self_scores_all,
    )
    quotas = dict(quotas or {})
    _check_quotas(scheme_of(assessment), quotas)
    assessment.save()
    for subject in subjects:
        subject.assessment = assessment
    Subject.objects.bulk_create(subjects)
    GradeQuota.objects.bulk_create(
        GradeQuota(assessment=assessment, grade=g, max_share=s) for g, s in quotas.items()
    )
    audit_record(
        actor=actor,
        action="assessment.create",
        obj=assessment,
        org=year.org,
        summary=f"新建考核 {assessment.name}（{len(subjects)} 个考核对象）",
        after={
            "period": period.name,
            "subject_kind": subject_kind,
            "scheme_version": pin.scheme_version_id,
            "quotas": {g: plain(s) for g, s in quotas.items()},
        },
    )
    return assessment


@transaction.atomic
def assessment_quotas_set(*, actor, assessment: Assessment, quotas: Mapping[str, Decimal]) -> None:
    """Replace the grade quotas; allowed until the results are published."""
    assessment = _locked(assessment)
    assessment_require_writable(assessment, Status.SELF_EVALUATION, *SCORING_STATUSES)
    _check_quotas(scheme_of(assessment), quotas)
    before = {q.grade: plain(q.max_share) for q in assessment.quotas.all()}
    assessment.quotas.all().delete()
    GradeQuota.objects.bulk_create(
        GradeQuota(assessment=assessment, grade=g, max_share=s) for g, s in quotas.items()
    )
    audit_record(
        actor=actor,
        action="assessment.quotas",
        obj=assessment,
        org=assessment.year.org,
        summary=f"修改等次比例 {assessment.name}",
        before=before,
        after={g: plain(s) for g, s in quotas.items()},
    )
    if assessment.status == Status.REVIEW:
        _aggregate(actor, assessment)


# --- self-evaluation ----------------------------------------------------------------


def _number(raw: object, label: str) -> Decimal:
    try:
        value = Decimal(str(raw).strip())
    except ArithmeticError:
        raise ValidationError(_("%(label)s：请输入数字") % {"label": label}) from None
    if not value.is_finite():
        raise ValidationError(_("%(label)s：请输入数字") % {"label": label})
    if value.as_tuple().exponent < -4 or abs(value) >= 10**6:
        raise ValidationError(_("%(label)s：最多 4 位小数、6 位整数") % {"label": label})
    return value


def _engine_errors(scheme: EngineScheme, values: Mapping[str, Decimal]) -> dict[str, list[str]]:
    """The engine's own checks of scale and type, each problem keyed by its node or fact.

    Only the given values are checked: problems about missing values (which the
    engine reports only when the given ones are fine) are not errors here.
    """
    try:
        evaluate(scheme, dict(values))
    except InputError as exc:
        errors: dict[str, list[str]] = {}
        for problem in exc.problems:
            if problem.message.startswith("missing "):
                continue
            key = problem.node
            if key is None:
                key = next((k for k in values if f"fact {k} " in problem.message), "__all__")
            label = entry_label(scheme, key) if key != "__all__" else ""
            text = f"{label}：{problem.message}" if label else problem.message
            errors.setdefault(key, []).append(text)
        return errors
    return {}


@transaction.atomic
def self_evaluation_save(
    *,
    actor,
    subject: Subject,
    report: str,
    self_scores: Mapping[str, object] | None = None,
) -> SelfEvaluation:
    """The subject's report and self-scores (where the scheme or the office asks for them)."""
    assessment = _locked(subject.assessment)
    assessment_require_writable(assessment, Status.SELF_EVALUATION, Status.SCORING)
    scheme = scheme_of(assessment)
    allowed: dict[str, Entry] = {e.key: e for e in self_entries(scheme, assessment.self_scores_all)}
    errors: dict[str, list[str]] = {}
    if not report.strip():
        errors["report"] = [_("请填写自评报告")]
    values: dict[str, Decimal] = {}
    for key, raw in (self_scores or {}).items():
        if raw is None or str(raw).strip() == "":
            continue
        if key not in allowed:
            errors.setdefault(key, []).append(_("%(key)s 不需要自评打分") % {"key": key})
            continue
        try:
            values[key] = _number(raw, entry_label(scheme, key))
        except ValidationError as exc:
            errors.setdefault(key, []).extend(exc.messages)
    for key, messages in _engine_errors(scheme, values).items():
        errors.setdefault(key, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    stored = {key: plain(value) for key, value in values.items()}
    current = SelfEvaluation.objects.filter(subject=subject).first()
    before = None if current is None else {"report": current.report, **current.self_scores}
    if current is None:
        current = SelfEvaluation(subject=subject)
    current.report = report.strip()
    current.self_scores = stored
    current.submitted_by = actor
    current.save()
    audit_record(
        actor=actor,
        action="assessment.self_evaluation",
        obj=current,
        org=assessment.year.org,
        summary=f"{subject.label} 提交自评（{assessment.name}）",
        before=before,
        after={"report": current.report, **stored},
    )
    return current


# --- leadership scoring -------------------------------------------------------------


@dataclass(frozen=True)
class ScoreInput:
    """One value typed on the scoring page, with the version of the row it was loaded from.

    ``version`` 0 means the scorer saw no value yet.
    """

    key: str
    value: object
    reason: str = ""
    version: int = 0


@dataclass(frozen=True)
class Conflict:
    key: str
    label: str
    attempted: str  # what the user typed, kept for them
    current: Score  # the row as someone else left it


class ScoreConflict(Exception):
    """Someone saved these values after the user loaded them; nothing was saved."""

    def __init__(self, conflicts: list[Conflict]) -> None:
        self.conflicts = conflicts
        super().__init__("; ".join(f"{c.key}: stale version" for c in conflicts))


def _fed_message(label: str, source: FedSource) -> str:
    if source.kind == BALLOT:
        text = _("%(label)s 由民主测评《%(title)s》计分，不由领导小组评分")
    else:
        text = _("%(label)s 由公众评议《%(title)s》计分，不由领导小组评分")
    return text % {"label": label, "title": source.title}


def scores_check(subject: Subject, inputs: Sequence[ScoreInput]) -> dict[str, Decimal]:
    """Validate typed values; ValidationError keyed by node or fact, naming each problem.

    A node a ballot or appraisal round feeds for this subject is refused (``sources``).
    """
    assessment = subject.assessment
    scheme = scheme_of(assessment)
    fed = fed_sources(assessment).for_subject(subject.pk)
    entries = {e.key: e for e in scored_entries(scheme, fed)}
    errors: dict[str, list[str]] = {}
    values: dict[str, Decimal] = {}
    for item in inputs:
        label = entry_label(scheme, item.key)
        entry = entries.get(item.key)
        if item.key in fed:
            errors.setdefault(item.key, []).append(_fed_message(label, fed[item.key]))
            continue
        if entry is None:
            errors.setdefault(item.key, []).append(
                _("%(label)s 不由领导小组评分") % {"label": label}
            )
            continue
        try:
            value = _number(item.value, label)
        except ValidationError as exc:
            errors.setdefault(item.key, []).extend(exc.messages)
            continue
        values[item.key] = value
        if entry.needs_reason(value) and not item.reason.strip():
            if entry.full is not None:
                message = _("%(label)s：低于满分 %(full)s，须填写扣分理由")
            else:
                message = _("%(label)s：有扣分，须填写扣分理由")
            errors.setdefault(item.key, []).append(
                message % {"label": label, "full": plain(entry.full or 0)}
            )
    for key, messages in _engine_errors(scheme, values).items():
        errors.setdefault(key, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    return values


def _score_snapshot(score: Score | None) -> dict | None:
    if score is None:
        return None
    return {"value": plain(score.value), "reason": score.reason, "version": score.version}


@transaction.atomic
def scores_save(
    *,
    actor,
    subject: Subject,
    inputs: Sequence[ScoreInput],
    appeal: Appeal | None = None,
) -> list[Score]:
    """Save the leadership group's values for one subject, all or nothing.

    Optimistic concurrency: each update only applies to the version the user
    loaded; if anyone saved in between, ScoreConflict lists every such value
    (with who changed it, when, and to what) and nothing is saved.
    """
    assessment = _locked(subject.assessment)  # the status as it is now, not as loaded
    subject.assessment = assessment
    assessment_require_writable(assessment)
    if appeal is not None:
        if appeal.subject_id != subject.pk or appeal.status != AppealStatus.PENDING:
            raise ValidationError(_("只能在处理待处理的申诉时修改已公示的分值"))
        assessment_require_writable(assessment, Status.NOTICE)
    else:
        assessment_require_writable(assessment, *SCORING_STATUSES)
    values = scores_check(subject, inputs)
    scheme = scheme_of(assessment)
    now = timezone.now()
    conflicts: list[Conflict] = []
    saved: list[Score] = []
    for item in inputs:
        value = values[item.key]
        reason = item.reason.strip()
        before = None
        if item.version:
            before = Score.objects.filter(subject=subject, node=item.key).first()
            changed = Score.objects.filter(
                subject=subject, node=item.key, version=item.version
            ).update(
                value=value,
                reason=reason,
                scored_by=actor,
                scored_at=now,
                version=F("version") + 1,
            )
        else:
            try:
                with transaction.atomic():  # a savepoint: the unique row may exist already
                    Score.objects.create(
                        subject=subject, node=item.key, value=value, reason=reason, scored_by=actor
                    )
                changed = 1
            except IntegrityError:
                changed = 0
        if not changed:
            current = (
                Score.objects.select_related("scored_by").filter(subject=subject, node=item.key)
            ).first()
            conflicts.append(
                Conflict(
                    key=item.key,
                    label=entry_label(scheme, item.key),
                    attempted=str(item.value).strip(),
                    current=current,
                )
            )
            continue
        score = Score.objects.get(subject=subject, node=item.key)
        saved.append(score)
        audit_record(
            actor=actor,
            action="assessment.score",
            obj=score,
            org=assessment.year.org,
            summary=f"{subject.label} {entry_label(scheme, item.key)} 评分"
            + (f"（申诉 #{appeal.pk}）" if appeal else ""),
            before=_score_snapshot(before) if item.version else None,
            after=_score_snapshot(score),
        )
    if conflicts:
        raise ScoreConflict(conflicts)
    if assessment.status == Status.REVIEW and appeal is None:
        _aggregate(actor, assessment)  # the reviewed table never shows stale totals
    return saved


def score_save(
    *,
    actor,
    subject: Subject,
    node: str,
    value: object,
    reason: str = "",
    expected_version: int = 0,
    appeal: Appeal | None = None,
) -> Score:
    """One value; see ``scores_save``."""
    [score] = scores_save(
        actor=actor,
        subject=subject,
        inputs=[ScoreInput(node, value, reason, expected_version)],
        appeal=appeal,
    )
    return score


# --- vetoes -------------------------------------------------------------------------


@transaction.atomic
def veto_propose(
    *, actor, subject: Subject, category: str, note: str, evidence: Iterable = ()
) -> Veto:
    assessment = _locked(subject.assessment)
    assessment_require_writable(assessment, *VETO_STATUSES)
    categories = scheme_of(assessment).vetoes.categories
    errors = {}
    if category not in categories:
        known = "、".join(categories) if categories else _("（本方案没有一票否决事项）")
        errors["category"] = _("否决事项应为：%(known)s") % {"known": known}
    if not note.strip():
        errors["note"] = _("请填写事实依据")
    evidence = list(evidence)
    if any(e.org_id != assessment.year.org_id for e in evidence):
        errors["evidence"] = _("佐证材料不属于本单位")
    if errors:
        raise ValidationError(errors)
    veto = Veto.objects.create(
        subject=subject, category=category, note=note.strip(), proposed_by=actor
    )
    veto.evidence.set(evidence)
    audit_record(
        actor=actor,
        action="assessment.veto_propose",
        obj=veto,
        org=assessment.year.org,
        summary=f"提出一票否决：{subject.label} {category}",
        after={"category": category, "note": veto.note, "evidence": [e.pk for e in evidence]},
    )
    return veto


@transaction.atomic
def veto_decide(*, actor, veto: Veto, approve: bool) -> Veto:
    """The office approves or rejects a proposed veto; the proposer may not decide it."""
    assessment = _locked(veto.subject.assessment)
    assessment_require_writable(assessment, *VETO_STATUSES)
    veto = Veto.objects.select_for_update().get(pk=veto.pk)
    if veto.status != VetoStatus.PROPOSED:
        raise ValidationError(_("该一票否决已处理"))
    if veto.proposed_by_id is not None and veto.proposed_by_id == getattr(actor, "pk", None):
        raise ValidationError(_("提出人不能审批自己提出的一票否决"))
    veto.status = VetoStatus.APPROVED if approve else VetoStatus.REJECTED
    veto.decided_by = actor
    veto.decided_at = timezone.now()
    veto.save(update_fields=("status", "decided_by", "decided_at"))
    audit_record(
        actor=actor,
        action="assessment.veto_decide",
        obj=veto,
        org=assessment.year.org,
        summary=f"{'批准' if approve else '驳回'}一票否决：{veto.subject.label} {veto.category}",
        before={"status": VetoStatus.PROPOSED},
        after={"status": veto.status},
    )
    if assessment.status == Status.REVIEW:
        _aggregate(actor, assessment)
    return veto


# --- aggregation --------------------------------------------------------------------


def _jsonable(value):
    """Decimals as exact strings (JSON has no decimals; floats would lose digits)."""
    if isinstance(value, Decimal):
        return str(value) if value.as_tuple().exponent == -2 else plain(value)
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    return value


def _problem_lines(scheme: EngineScheme, error: InputError) -> list[str]:
    lines = []
    for problem in error.problems:
        if problem.node:
            lines.append(f"{entry_label(scheme, problem.node)}：{problem.message}")
        else:
            lines.append(problem.message)
    return lines


def _result_text(subject: Subject) -> str:
    if subject.total is None:
        return "未算出"
    return f"{subject.total} {subject.grade}" + (f" 第{subject.rank}名" if subject.rank else "")


def _aggregate(actor, assessment: Assessment) -> list[Subject]:
    scheme = scheme_of(assessment)
    subjects = list(
        assessment.subjects.select_related(
            "unit", "person", "task_force", "self_evaluation", "assessment__period"
        ).prefetch_related(
            Prefetch("scores", queryset=Score.objects.select_related("scored_by")),
            "vetoes",
        )
    )
    before = {s.label: _result_text(s) for s in subjects}
    ballots = ballot_results(assessment)
    for subject in subjects:
        values, vetoes, evidence = gather_inputs(subject, ballots=ballots)
        try:
            result = evaluate(scheme, values, vetoes, evidence)
        except InputError as exc:
            subject.total = None
            subject.exact_total = ""
            subject.scheme_grade = ""
            subject.award_eligible = None
            subject.reasons = []
            subject.breakdown = None
            subject.problems = _problem_lines(scheme, exc)
        else:
            data = result.to_dict()
            subject.total = result.total
            subject.exact_total = plain(result.exact_total)[:80]
            subject.scheme_grade = result.grade or ""
            subject.award_eligible = result.award_eligible
            subject.reasons = list(result.reasons)
            subject.breakdown = _jsonable(data["breakdown"])
            subject.problems = []
    ranks = competition_ranks({s.pk: s.total for s in subjects})
    quotas = {q.grade: q.max_share for q in assessment.quotas.all()}
    bands = [band.name for band in scheme.grades]
    ranked = [Ranked(s.pk, ranks[s.pk], s.scheme_grade) for s in subjects if s.total is not None]
    outcomes = apply_quotas(ranked, bands, quotas)
    for subject in subjects:
        subject.rank = ranks[subject.pk]
        outcome = outcomes.get(subject.pk)
        subject.grade = outcome.grade if outcome else ""
        subject.quota_note = (outcome.note if outcome else "")[:200]
    Subject.objects.bulk_update(
        subjects,
        [
            "total",
            "exact_total",
            "scheme_grade",
            "grade",
            "quota_note",
            "award_eligible",
            "reasons",
            "breakdown",
            "problems",
            "rank",
        ],
    )
    audit_record(
        actor=actor,
        action="assessment.aggregate",
        obj=assessment,
        org=assessment.year.org,
        summary=f"汇总计算 {assessment.name}",
        before=before,
        after={s.label: _result_text(s) for s in subjects},
    )
    return subjects


@transaction.atomic
def assessment_aggregate(*, actor, assessment: Assessment) -> None:
    """Score every subject with the engine, then rank and apply the grade quotas."""
    assessment = _locked(assessment)
    assessment_require_writable(assessment, *SCORING_STATUSES)
    _aggregate(actor, assessment)


# --- the workflow -------------------------------------------------------------------


def _transition(actor, assessment: Assessment, to: str, summary: str, **fields) -> Assessment:
    before = assessment.status
    assessment.status = to
    for name, value in fields.items():
        setattr(assessment, name, value)
    assessment.save(update_fields=["status", *fields])
    after = {"status": to, **{k: str(v) for k, v in fields.items()}}
    audit_record(
        actor=actor,
        action=f"assessment.{to}",
        obj=assessment,
        org=assessment.year.org,
        summary=f"{assessment.name}：{summary}",
        before={"status": before},
        after=after,
    )
    return assessment


@transaction.atomic
def assessment_open_scoring(*, actor, assessment: Assessment) -> Assessment:
    assessment = _locked(assessment)
    assessment_require_writable(assessment, Status.SELF_EVALUATION)
    return _transition(actor, assessment, Status.SCORING, "自评结束，开始评分")


@transaction.atomic
def assessment_start_review(*, actor, assessment: Assessment) -> Assessment:
    """Close scoring: the office aggregates and reviews the results."""
    assessment = _locked(assessment)
    assessment_require_writable(assessment, Status.SCORING)
    assessment = _transition(actor, assessment, Status.REVIEW, "评分结束，汇总审核")
    _aggregate(actor, assessment)
    return assessment


@transaction.atomic
def assessment_publish(*, actor, assessment: Assessment, today: date | None = None) -> Assessment:
    """Lock the results and publish them for ``notice_days`` working days (公示)."""
    assessment = _locked(assessment)
    assessment_require_writable(assessment, Status.REVIEW)
    subjects = _aggregate(actor, assessment)
    incomplete = [s.label for s in subjects if s.total is None]
    if incomplete:
        raise ValidationError(
            _("以下考核对象缺少分值，不能公示：%(names)s") % {"names": "、".join(incomplete)}
        )
    start = _when(today)
    # The organisation's public holidays and make-up working weekends (years app).
    holidays, workdays = calendar_exceptions(assessment.year.org, after=start)
    return _transition(
        actor,
        assessment,
        Status.NOTICE,
        f"锁定并公示 {assessment.notice_days} 个工作日",
        locked_at=timezone.now(),
        notice_start=start,
        notice_end=add_working_days(
            start, assessment.notice_days, holidays=holidays, workdays=workdays
        ),
    )


@transaction.atomic
def assessment_finalise(
    *, actor, assessment: Assessment, override_reason: str = "", today: date | None = None
) -> Assessment:
    """Close the notice. Pending appeals always block; an early close needs a reason."""
    assessment = _locked(assessment)
    assessment_require_writable(assessment, Status.NOTICE)
    if Appeal.objects.filter(subject__assessment=assessment, status=AppealStatus.PENDING).exists():
        raise ValidationError(_("还有待处理的申诉，处理完毕后才能定案"))
    override_reason = override_reason.strip()
    window_open = _when(today) <= assessment.notice_end
    if window_open and not override_reason:
        raise ValidationError(
            {
                "override_reason": _("公示期至 %(end)s 结束；提前定案须填写理由")
                % {"end": assessment.notice_end.isoformat()}
            }
        )
    summary = "定案" + (f"（提前定案：{override_reason}）" if window_open else "")
    return _transition(actor, assessment, Status.FINAL, summary, finalised_at=timezone.now())


# --- appeals ------------------------------------------------------------------------


@transaction.atomic
def appeal_file(*, actor, subject: Subject, reason: str, today: date | None = None) -> Appeal:
    """One appeal per subject, during the notice window."""
    assessment = _locked(subject.assessment)
    assessment_require_writable(assessment, Status.NOTICE)
    if _when(today) > assessment.notice_end:
        raise ValidationError(
            _("公示期已于 %(end)s 结束，不能再申诉") % {"end": assessment.notice_end.isoformat()}
        )
    if not reason.strip():
        raise ValidationError({"reason": _("请填写申诉理由")})
    if subject.appeals.exists():
        raise ValidationError(_("每个考核对象只能申诉一次"))
    appeal = Appeal.objects.create(subject=subject, filed_by=actor, reason=reason.strip())
    audit_record(
        actor=actor,
        action="assessment.appeal_file",
        obj=appeal,
        org=assessment.year.org,
        summary=f"{subject.label} 提出申诉（{assessment.name}）",
        after={"reason": appeal.reason},
    )
    return appeal


@transaction.atomic
def appeal_decide(
    *,
    actor,
    appeal: Appeal,
    upheld: bool,
    decision: str,
    scores: Sequence[ScoreInput] = (),
) -> Appeal:
    """Uphold (changing scores through the scoring service, then re-aggregating) or reject."""
    assessment = _locked(appeal.subject.assessment)
    assessment_require_writable(assessment, Status.NOTICE)
    appeal = Appeal.objects.select_for_update().select_related("subject").get(pk=appeal.pk)
    if appeal.status != AppealStatus.PENDING:
        raise ValidationError(_("该申诉已处理"))
    if not decision.strip():
        raise ValidationError({"decision": _("请填写处理意见")})
    if scores and not upheld:
        raise ValidationError({"decision": _("维持原结果时不能修改分值")})
    subject = appeal.subject
    subject.assessment = assessment
    if scores:
        scores_save(actor=actor, subject=subject, inputs=scores, appeal=appeal)
    appeal.status = AppealStatus.UPHELD if upheld else AppealStatus.REJECTED
    appeal.decision = decision.strip()
    appeal.decided_by = actor
    appeal.decided_at = timezone.now()
    appeal.save(update_fields=("status", "decision", "decided_by", "decided_at"))
    audit_record(
        actor=actor,
        action="assessment.appeal_decide",
        obj=appeal,
        org=assessment.year.org,
        summary=f"{subject.label} 申诉处理：{appeal.get_status_display()}",
        before={"status": AppealStatus.PENDING},
        after={"status": appeal.status, "decision": appeal.decision},
    )
    if upheld:
        _aggregate(actor, assessment)
    return appeal
