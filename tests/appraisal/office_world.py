"""A township with a respondent frame, a questionnaire and a draft round (office side)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from jixiao.appraisal.models import AppraisalRound, Questionnaire, RespondentFrame
from jixiao.appraisal.services import frame_import, questionnaire_from_template, round_create
from jixiao.years.models import AssessmentYear, Period, PeriodKind
from tests.cast import Cast

# 40 people: 人大代表 4, 企业主 6, 城镇居民 12, 农村居民 18.
STRATA = (("人大代表", 4), ("企业主", 6), ("城镇居民", 12), ("农村居民", 18))


def phone_of(index: int) -> str:
    return f"139{index:08d}"


def frame_csv(strata=STRATA, *, extra_column: bool = True) -> bytes:
    header = "类别,村（社区）,姓名,电话" + (",备注" if extra_column else "")
    lines = [header]
    index = 0
    for stratum, count in strata:
        for _ in range(count):
            index += 1
            row = f"{stratum},白莲村,受访者{index},{phone_of(index)}"
            lines.append(row + (f",第{index}号" if extra_column else ""))
    return ("\n".join(lines) + "\n").encode("utf-8")


@dataclass
class OfficeWorld:
    year: AssessmentYear
    period: Period
    frame: RespondentFrame
    questionnaire: Questionnaire
    round: AppraisalRound


def make_year(org, year: int = 2024) -> tuple[AssessmentYear, Period]:
    """Stand-in for years.services.year_create: a year and its first half."""
    assessment_year = AssessmentYear.objects.create(org=org, year=year, name=f"{year}年度绩效考核")
    period = Period.objects.create(
        year=assessment_year,
        kind=PeriodKind.HALF,
        number=1,
        name="上半年",
        start=datetime.date(year, 1, 1),
        end=datetime.date(year, 6, 30),
    )
    return assessment_year, period


def build_office_world(cast: Cast, *, sample_size: int = 10, seed: str = "2024-07") -> OfficeWorld:
    year, period = make_year(cast.org)
    outcome = frame_import(
        actor=cast.office,
        org=cast.org,
        name="2024年抽样框",
        data=frame_csv(),
        filename="frame.csv",
        dry_run=False,
    )
    assert outcome.report.applied, outcome.report.rows
    questionnaire = questionnaire_from_template(
        actor=cast.office, org=cast.org, name="年中公众评议", units=[cast.section, cast.village]
    )
    appraisal_round = round_create(
        actor=cast.office,
        org=cast.org,
        year=year,
        period=period,
        name="2024年7月公众评议",
        frame=outcome.frame,
        questionnaire=questionnaire,
        sample_size=sample_size,
        seed=seed,
    )
    return OfficeWorld(
        year=year,
        period=period,
        frame=outcome.frame,
        questionnaire=questionnaire,
        round=appraisal_round,
    )
