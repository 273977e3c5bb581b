"""Published unit assessments with engine-shaped breakdowns, for reports and rectification."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from jixiao.assessments.models import Assessment, SelfEvaluation, Status, Subject
from jixiao.years.models import AssessmentYear, SubjectKind
from tests.cast import Cast
from tests.rankings.factory import make_assessment, make_year, period


def breakdown(indicators: str, public: str, deduction: str, total: str) -> dict:
    """A bailian-town-like tree: two weighted level-1 nodes and a deductions node."""
    return {
        "scheme": "bailian-town",
        "exact_total": total,
        "tree": {
            "id": "total",
            "name": "白莲镇政府绩效管理实施方案",
            "kind": "weighted",
            "score": total,
            "full": "100",
            "children": [
                {
                    "id": "indicators",
                    "name": "指标考核",
                    "kind": "weighted",
                    "score": indicators,
                    "full": "100",
                    "weight": "80",
                    "contribution": str(Decimal(indicators) * Decimal("0.8")),
                    "children": [
                        {
                            "id": "indicators.livelihood",
                            "name": "改善民生",
                            "kind": "score",
                            "score": indicators,
                            "full": "100",
                            "weight": "100",
                            "evidence": [f"评分 {indicators}"],
                        }
                    ],
                },
                {
                    "id": "public",
                    "name": "公众评议",
                    "kind": "score",
                    "score": public,
                    "full": "100",
                    "weight": "20",
                    "contribution": str(Decimal(public) * Decimal("0.2")),
                },
                {
                    "id": "inspection",
                    "name": "察访核验",
                    "kind": "deductions",
                    "score": f"-{deduction}",
                    "full": "0",
                    "contribution": f"-{deduction}",
                    "evidence": ["察访核验#1 2025-03-10"],
                },
            ],
        },
    }


@dataclass
class UnitQuarter:
    year: AssessmentYear
    assessment: Assessment
    section: Subject  # 经济发展办: weaker, its self-evaluation filed
    other: Subject  # 社会事务办
    village: Subject


def unit_quarter(cast: Cast, status: str = Status.NOTICE) -> UnitQuarter:
    """Q1 of the units: 经济发展办 82.50 (良), 社会事务办 91.40 (优), 白莲村 88.00 (良)."""
    year = make_year(cast)
    assessment = make_assessment(year, period(year, "quarter", 1), SubjectKind.UNIT, status)

    def add(unit, indicators, public, deduction, total, grade, rank) -> Subject:
        return Subject.objects.create(
            assessment=assessment,
            unit=unit,
            total=Decimal(total),
            exact_total=total,
            scheme_grade=grade,
            grade=grade,
            rank=rank,
            award_eligible=True,
            breakdown=breakdown(indicators, public, deduction, total),
        )

    section = add(cast.section, "80", "95", "1.5", "82.50", "良", 3)
    other = add(cast.other_section, "92", "90", "0", "91.40", "优", 1)
    village = add(cast.village, "88", "88", "0", "88.00", "良", 2)
    SelfEvaluation.objects.create(
        subject=section,
        report="本季度经济发展办完成固定资产投资任务。\n招商引资进度滞后，下季度加快推进。",
    )
    return UnitQuarter(year, assessment, section, other, village)
