"""What each report says, read from the database into plain dataclasses.

Builders in ``unit_report`` and ``notices`` only lay these out; the rules of
who may print what live in ``jixiao.reports.access``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Avg

from jixiao.assessments.models import Assessment, Status, Subject, Veto, VetoStatus
from jixiao.engine.numbers import CENT
from jixiao.engine.numbers import plain as engine_plain
from jixiao.rankings.competition import CompetitionResult
from jixiao.rankings.selectors import PUBLISHED_STATUSES, RankedSubject, rank_subjects
from jixiao.years.models import Period, SubjectKind
from jixiao.years.selectors import period_label

# Level-1 nodes of these kinds add or remove points rather than score out of full marks.
ADJUSTMENT_KINDS = ("deductions", "bonuses", "counted")


def _decimal(raw) -> Decimal | None:
    if raw is None or isinstance(raw, list | dict):
        return None
    try:
        return Decimal(str(raw))
    except ArithmeticError:
        return None


def _mean(values: list[Decimal]) -> Decimal | None:
    if not values:
        return None
    return (sum(values, Decimal(0)) / len(values)).quantize(CENT, ROUND_HALF_UP)


def level_one(breakdown: dict | None) -> list[dict]:
    """The breakdown tree's level-1 nodes (children of the total), as stored."""
    tree = (breakdown or {}).get("tree") or {}
    return list(tree.get("children") or [])


def kind_label(kind: str) -> str:
    return str(dict(SubjectKind.choices).get(kind, kind))


# --- the unit's annual performance report -------------------------------------------


@dataclass
class IndicatorRow:
    node_id: str
    name: str
    kind: str
    full: str
    weight: str
    score: Decimal | None
    contribution: str
    average: Decimal | None
    note: str

    @property
    def is_adjustment(self) -> bool:
        return self.kind in ADJUSTMENT_KINDS

    @property
    def rate(self) -> Decimal | None:
        """Score as a percentage of full marks (comparable across indicators)."""
        full = _decimal(self.full)
        if self.score is None or not full:
            return None
        return (self.score * 100 / full).quantize(CENT, ROUND_HALF_UP)

    @property
    def average_rate(self) -> Decimal | None:
        full = _decimal(self.full)
        if self.average is None or not full:
            return None
        return (self.average * 100 / full).quantize(CENT, ROUND_HALF_UP)


@dataclass
class PeriodPoint:
    label: str
    total: Decimal | None
    average: Decimal | None


@dataclass
class UnitReport:
    org_name: str
    year: int
    label: str
    kind_label: str
    assessment_name: str
    period_label: str
    status_label: str
    scheme_name: str
    preview: bool
    total: Decimal | None
    exact_total: str
    grade: str
    scheme_grade: str
    rank: int | None
    scored_count: int
    tied: bool
    award_eligible: bool | None
    quota_note: str
    reasons: list[str]
    self_evaluation: str
    rows: list[IndicatorRow]
    vetoes: list[str]
    veto_effect: str
    series: list[PeriodPoint] = field(default_factory=list)

    @property
    def title(self) -> str:
        return f"{self.year}年度绩效考核报告"

    @property
    def filename(self) -> str:
        return f"{self.year}年度绩效考核报告-{self.label}.pdf"


def _node_note(node: dict) -> str:
    if node.get("present") is False:
        return str(node.get("note") or "不适用")
    parts = [str(e) for e in node.get("evidence") or []]
    for cap in node.get("caps") or []:
        if cap.get("rule") == "cap":
            parts.append(f"封顶 {cap.get('limit')}（原 {cap.get('before')}）")
    return "；".join(parts)


def _averages(assessment: Assessment) -> dict[str, Decimal | None]:
    """Per level-1 node id: the mean score of the assessment's subjects that have it."""
    found: dict[str, list[Decimal]] = {}
    breakdowns = Subject.objects.filter(assessment=assessment, total__isnull=False).values_list(
        "breakdown", flat=True
    )
    for breakdown in breakdowns:
        for node in level_one(breakdown):
            score = _decimal(node.get("score"))
            if node.get("present") is not False and score is not None:
                found.setdefault(node["id"], []).append(score)
    return {node_id: _mean(values) for node_id, values in found.items()}


def _same_thing(subject: Subject) -> dict:
    if subject.unit_id:
        return {"unit_id": subject.unit_id}
    if subject.person_id:
        return {"person_id": subject.person_id}
    return {"task_force_id": subject.task_force_id}


def _series(subject: Subject, *, preview: bool) -> list[PeriodPoint]:
    """The subject's total in each published assessment of the year (same kind), in order."""
    assessment = subject.assessment
    statuses = list(PUBLISHED_STATUSES)
    assessments = Assessment.objects.filter(
        year_id=assessment.year_id, subject_kind=assessment.subject_kind
    ).select_related("period")
    if not preview:
        assessments = assessments.filter(status__in=statuses)
    listed = [a for a in assessments if a.status in statuses or a.pk == assessment.pk]
    listed.sort(key=lambda a: (a.period.end, -a.period.start.toordinal()))
    ids = [a.pk for a in listed]
    own = dict(
        Subject.objects.filter(assessment_id__in=ids, **_same_thing(subject)).values_list(
            "assessment_id", "total"
        )
    )
    averages = dict(
        Subject.objects.filter(assessment_id__in=ids, total__isnull=False)
        .values("assessment_id")
        .annotate(avg=Avg("total"))
        .values_list("assessment_id", "avg")
    )
    return [
        PeriodPoint(
            label=period_label(a.period),
            total=own.get(a.pk),
            average=(
                Decimal(str(averages[a.pk])).quantize(CENT, ROUND_HALF_UP)
                if averages.get(a.pk) is not None
                else None
            ),
        )
        for a in listed
        if a.pk in own
    ]


def unit_report_data(subject: Subject) -> UnitReport:
    """The report of one assessed subject (unit, person or task force) in its year."""
    assessment = subject.assessment
    preview = assessment.status not in PUBLISHED_STATUSES
    averages = _averages(assessment)
    rows = [
        IndicatorRow(
            node_id=node["id"],
            name=str(node.get("name") or node["id"]),
            kind=str(node.get("kind") or ""),
            full=str(node.get("full") or ""),
            weight=str(node.get("weight") or ""),
            score=_decimal(node.get("score")) if node.get("present") is not False else None,
            contribution=str(node.get("contribution") or ""),
            average=averages.get(node["id"]),
            note=_node_note(node),
        )
        for node in level_one(subject.breakdown)
    ]
    approved = Veto.objects.filter(subject=subject, status=VetoStatus.APPROVED)
    vetoes = [f"{v.category}：{v.note}" for v in approved]
    stored = (subject.breakdown or {}).get("vetoes") or {}
    self_evaluation = getattr(subject, "self_evaluation", None)
    scored = Subject.objects.filter(assessment=assessment, total__isnull=False)
    tied = subject.rank is not None and scored.filter(rank=subject.rank).count() > 1
    return UnitReport(
        org_name=assessment.year.org.name,
        year=assessment.year.year,
        label=subject.label,
        kind_label=kind_label(assessment.subject_kind),
        assessment_name=assessment.name,
        period_label=period_label(assessment.period),
        status_label=str(Status(assessment.status).label),
        scheme_name=assessment.scheme_version.scheme.name,
        preview=preview,
        total=subject.total,
        exact_total=subject.exact_total,
        grade=subject.grade,
        scheme_grade=subject.scheme_grade,
        rank=subject.rank,
        scored_count=scored.count(),
        tied=tied,
        award_eligible=subject.award_eligible,
        quota_note=subject.quota_note,
        reasons=[str(r) for r in subject.reasons or []],
        self_evaluation=self_evaluation.report if self_evaluation else "",
        rows=rows,
        vetoes=vetoes or [str(c) for c in stored.get("categories") or []],
        veto_effect=str(stored.get("effect") or ""),
        series=_series(subject, preview=preview),
    )


# --- the ranking notice (排名通报) ---------------------------------------------------


@dataclass
class RankingNotice:
    org_name: str
    year: int
    assessment_name: str
    period_label: str
    kind_label: str
    scheme_name: str
    status: str
    notice_start: date | None
    notice_end: date | None
    rows: list[RankedSubject]
    preview: bool

    @property
    def title(self) -> str:
        return f"关于{self.year}年{self.period_label}{self.kind_label}绩效考核结果的通报"

    @property
    def filename(self) -> str:
        return f"{self.year}年{self.period_label}{self.kind_label}考核排名通报.pdf"


def ranking_notice_data(assessment: Assessment) -> RankingNotice:
    subjects = list(assessment.subjects.select_related("unit", "person", "task_force"))
    return RankingNotice(
        org_name=assessment.year.org.name,
        year=assessment.year.year,
        assessment_name=assessment.name,
        period_label=period_label(assessment.period),
        kind_label=kind_label(assessment.subject_kind),
        scheme_name=assessment.scheme_version.scheme.name,
        status=assessment.status,
        notice_start=assessment.notice_start,
        notice_end=assessment.notice_end,
        rows=rank_subjects(subjects),
        preview=assessment.status not in PUBLISHED_STATUSES,
    )


# --- the monthly task-force competition notice (001) -------------------------------


@dataclass
class CompetitionNotice:
    org_name: str
    year: int
    month: int
    period_label: str
    result: CompetitionResult
    published_on: date | None  # None: the office's preview of an unpublished month
    preview: bool

    @property
    def title(self) -> str:
        return f"{self.year}年{self.period_label}指挥组效能竞赛评比结果通报"

    @property
    def filename(self) -> str:
        return f"{self.year}年{self.month}月指挥组效能竞赛评比通报.pdf"


def competition_notice_data(
    period: Period, result: CompetitionResult, published_on: date | None
) -> CompetitionNotice:
    return CompetitionNotice(
        org_name=period.year.org.name,
        year=period.year.year,
        month=period.start.month,
        period_label=period_label(period),
        result=result,
        published_on=published_on,
        preview=published_on is None,
    )


def plain(value: Decimal | None) -> str:
    """A number as printed: no trailing zeros beyond what was stored, empty for None."""
    return "" if value is None else engine_plain(value)
