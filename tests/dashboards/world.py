"""A small hand-built year for the dashboards: figures chosen so every average is checkable.

白莲镇 2025 (scheme bailian-town for units, town-cadre for people):
- Q1 units, FINAL: 白莲村 90.00 优, 经济发展办 80.00 良, 社会事务办 70.50 一般
  (average 240.5 / 3 = 80.1666… → 80.17);
- Q2 units, NOTICE: 白莲村 85.00 优, 经济发展办 unscored, 社会事务办 75.00 良
  (average 80.00); breakdowns for the radar: 白莲村 (100, 80, 90, public 14/20),
  社会事务办 (60, 90, 90, public 16/20);
- Q3 units, REVIEW (unpublished): 白莲村 10.00 — never shown;
- Q1 people, FINAL: 陈静 (the cadre) 88.10 良, 刘洋 (the handler) 92.00 优;
- the village's ledger: 0.5 + 1 in March, 2 in May, a voided 3 in May and a 4 naming
  陈静 in May (the person's row, not the unit's).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from jixiao.assessments.models import Assessment, Status, Subject
from jixiao.evidence.models import Evidence
from jixiao.inspections.models import Inspection
from jixiao.targets.models import Milestone, Target
from jixiao.years.models import AssessmentYear, SubjectKind
from jixiao.years.services import year_setup
from tests.cast import Cast
from tests.rankings.factory import add_subject, make_assessment, period


def node(node_id: str, name: str, score: str, full: str = "100", **extra) -> dict:
    return {"id": node_id, "name": name, "kind": "score", "score": score, "full": full, **extra}


def tree(sustainable: str, livelihood: str, governance: str, public: str, refs=()) -> dict:
    """A bailian-town breakdown: 指标考核 (3 indicators) 80% + 公众评议 (out of 20) + 察访核验."""
    return {
        "id": "total",
        "name": "白莲镇政府绩效管理实施方案",
        "kind": "weighted",
        "score": "0",
        "full": "100",
        "children": [
            {
                "id": "indicators",
                "name": "指标考核",
                "kind": "weighted",
                "score": "90",
                "full": "100",
                "children": [
                    node("indicators.sustainable", "可持续发展", sustainable),
                    node("indicators.livelihood", "改善民生", livelihood),
                    node("indicators.governance", "勤政廉政", governance),
                ],
            },
            node("public", "公众评议", public, full="20"),
            {
                "id": "inspection",
                "name": "察访核验",
                "kind": "deductions",
                "score": "-1.50",
                "full": "0",
                "evidence": list(refs),
            },
        ],
    }


@dataclass
class World:
    year: AssessmentYear
    q1: Assessment
    q2: Assessment
    q3: Assessment
    people: Assessment
    village_q1: Subject
    village_q2: Subject
    section_q2: Subject
    other_q2: Subject
    cadre_q1: Subject
    handler_q1: Subject
    march: Inspection
    evidence: Evidence


def build_world(cast: Cast) -> World:
    year = year_setup(
        actor=cast.office,
        org=cast.org,
        year=2025,
        choices={SubjectKind.UNIT: "bailian-town", SubjectKind.PERSON: "town-cadre"},
    )
    q1 = make_assessment(year, period(year, "quarter", 1), SubjectKind.UNIT, Status.FINAL)
    village_q1 = add_subject(q1, cast.village, "90.00", grade="优", rank=1)
    add_subject(q1, cast.section, "80.00", grade="良", rank=2)
    add_subject(q1, cast.other_section, "70.50", grade="一般", rank=3)

    evidence = Evidence.objects.create(
        org=cast.org,
        file="evidence/ab/photo.png",
        original_name="现场照片.png",
        content_type="image/png",
        size=10,
        caption="3月10日现场照片",
    )
    march = Inspection.objects.create(
        year=year,
        org=cast.org,
        unit=cast.village,
        kind="unannounced",
        date=date(2025, 3, 10),
        finding="值班人员脱岗",
        node="inspection",
        points=Decimal("0.5"),
    )
    march.evidence.add(evidence)
    for day, points, extra in (
        (date(2025, 3, 20), "1", {}),
        (date(2025, 5, 5), "2", {}),
        (date(2025, 5, 6), "3", {"voided": True, "void_reason": "重复记录"}),
        (date(2025, 5, 7), "4", {"person": cast.cadre_person}),
    ):
        Inspection.objects.create(
            year=year,
            org=cast.org,
            unit=cast.village,
            kind="announced",
            date=day,
            finding="台账不全",
            node="inspection",
            points=Decimal(points),
            **extra,
        )

    q2 = make_assessment(year, period(year, "quarter", 2), SubjectKind.UNIT, Status.NOTICE)
    refs = [f"察访核验#{march.pk} 2025-03-10", "察访核验#999999 2025-03-11"]
    village_q2 = add_subject(
        q2,
        cast.village,
        "85.00",
        grade="优",
        rank=1,
        breakdown={"tree": tree("100", "80", "90", "14", refs)},
    )
    section_q2 = add_subject(q2, cast.section, None)
    other_q2 = add_subject(
        q2,
        cast.other_section,
        "75.00",
        grade="良",
        rank=2,
        breakdown={"tree": tree("60", "90", "90", "16")},
    )
    q3 = make_assessment(year, period(year, "quarter", 3), SubjectKind.UNIT, Status.REVIEW)
    add_subject(q3, cast.village, "10.00", grade="差", rank=1)

    people = make_assessment(year, period(year, "quarter", 1), SubjectKind.PERSON, Status.FINAL)
    cadre_q1 = add_subject(people, cast.cadre_person, "88.10", grade="良", rank=2)
    handler_q1 = add_subject(people, cast.handler_person, "92.00", grade="优", rank=1)
    return World(
        year=year,
        q1=q1,
        q2=q2,
        q3=q3,
        people=people,
        village_q1=village_q1,
        village_q2=village_q2,
        section_q2=section_q2,
        other_q2=other_q2,
        cadre_q1=cadre_q1,
        handler_q1=handler_q1,
        march=march,
        evidence=evidence,
    )


def add_targets(cast: Cast, year: AssessmentYear) -> dict[str, Target]:
    """Village targets due end of March (red by 28 June), June (yellow), September (green),
    one without milestones, and one of another unit (not the village's)."""

    def target(code: str, unit, months: tuple[int, ...]) -> Target:
        t = Target.objects.create(
            year=year, org=cast.org, code=code, title=f"目标{code}", unit=unit
        )
        for month in months:
            Milestone.objects.create(
                target=t, period=period(year, "month", month), description="完成"
            )
        return t

    return {
        "red": target("V1", cast.village, (3,)),
        "yellow": target("V2", cast.village, (6,)),
        "green": target("V3", cast.village, (9,)),
        "none": target("V4", cast.village, ()),
        "other": target("S1", cast.section, (3,)),
    }
