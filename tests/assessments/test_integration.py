"""End to end through the services of several areas, with totals computed by hand.

(a) 海永乡 task forces (haiyong-taskforce), one month: reviewers score four nodes,
    a peer ballot round (``jixiao.ballots.services``) feeds the fifth, ``ballot``,
    but only once the round is closed.
(b) 白莲镇 units (bailian-town), one quarter: inspections recorded through
    ``jixiao.inspections.services`` inside and outside the quarter; only the
    quarter's rows count, and the engine caps them at 3 points.
(c) The month of (a) published → appeal → upheld with a changed score →
    re-aggregated → final (read-only) → the results page ranks it and the 001
    competition picks the best and the last group.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from jixiao.assessments.models import Appeal, AppealStatus, Assessment, Score, Status, Subject
from jixiao.assessments.services import (
    ScoreInput,
    appeal_decide,
    appeal_file,
    assessment_aggregate,
    assessment_create,
    assessment_finalise,
    assessment_open_scoring,
    assessment_publish,
    assessment_start_review,
    score_save,
    scores_save,
)
from jixiao.ballots.models import BallotRound
from jixiao.ballots.services import (
    GroupSpec,
    ballot_round_close,
    ballot_round_create,
    ballot_submit,
)
from jixiao.inspections.services import inspection_record, inspection_void
from jixiao.organisation.models import TaskForce
from jixiao.organisation.services import task_force_create
from jixiao.rankings.competition import competition_for
from jixiao.years.models import AssessmentYear, Period, SubjectKind
from jixiao.years.services import year_setup
from tests.cast import Cast

pytestmark = pytest.mark.django_db


def _scores(actor, subject: Subject, values: dict[str, int]) -> None:
    """Leadership scoring of one subject; anything below 100 gets a reason."""
    scores_save(
        actor=actor,
        subject=subject,
        inputs=[
            ScoreInput(node, value, "" if value == 100 else "对照评分标准扣分")
            for node, value in values.items()
        ],
    )


# --- (a) the task-force month ---------------------------------------------------------


@dataclass
class TaskForceMonth:
    year: AssessmentYear
    month: Period
    assessment: Assessment
    first: Subject  # 第一指挥组: led by the head, the handler a member
    second: Subject  # 第二指挥组: led by the cadre, other_person a member
    round: BallotRound


def build_task_force_month(cast: Cast) -> TaskForceMonth:
    """January 2024, scored by the leader, with an open ballot round everybody voted in.

    Raters: 领导 30 [leader], 同级 30 [office], 群众 40 [head, cadre, handler]. Nobody
    rates their own task force: the head and the handler skip 第一指挥组, the cadre
    skips 第二指挥组.
    """
    year = year_setup(
        actor=cast.office,
        org=cast.org,
        year=2024,
        choices={SubjectKind.TASK_FORCE: "haiyong-taskforce"},
    )
    first_tf = task_force_create(
        org=cast.org, name="第一指挥组", leader=cast.head_person, members=[cast.handler_person]
    )
    second_tf = task_force_create(
        org=cast.org, name="第二指挥组", leader=cast.cadre_person, members=[cast.other_person]
    )
    month = year.periods.get(kind="month", number=1)
    assessment = assessment_create(
        actor=cast.office, year=year, period=month, subject_kind=SubjectKind.TASK_FORCE
    )
    first = assessment.subjects.get(task_force=first_tf)
    second = assessment.subjects.get(task_force=second_tf)
    assert assessment.subjects.count() == 2

    ballot_round = ballot_round_create(
        actor=cast.office,
        assessment=assessment,
        node="ballot",
        title="一月民主测评",
        min_valid=3,
        groups=[
            GroupSpec("领导", Decimal(30), [cast.leader]),
            GroupSpec("同级", Decimal(30), [cast.office]),
            GroupSpec("群众", Decimal(40), [cast.head, cast.cadre, cast.handler]),
        ],
    )
    assessment_open_scoring(actor=cast.office, assessment=assessment)
    _scores(cast.leader, first, {"results": 90, "plan": 80, "timeliness": 100, "stability": 100})
    _scores(cast.leader, second, {"results": 85, "plan": 90, "timeliness": 80, "stability": 100})

    votes = {
        cast.leader: {first.pk: "excellent", second.pk: "competent"},
        cast.office: {first.pk: "competent", second.pk: "basic"},
        cast.cadre: {first.pk: "excellent"},
        cast.head: {second.pk: "competent"},
        cast.handler: {second.pk: "unknown"},  # 不了解: not a valid ballot
    }
    for rater, choices in votes.items():
        assert ballot_submit(rater=rater, ballot_round=ballot_round, choices=choices) == len(
            choices
        )
    return TaskForceMonth(year, month, assessment, first, second, ballot_round)


def test_task_force_month_takes_its_ballot_node_from_the_closed_round(cast) -> None:
    """Totals of haiyong-taskforce (results 40, plan 20, timeliness 15, ballot 15, stability 10).

    Ballot (points 优秀 95, 称职 85, 基本称职 75; group means, weights 30/30/40):
      第一: 领导 95, 同级 85, 群众 95 (cadre)         → (95·30 + 85·30 + 95·40)/100 = 92.00
      第二: 领导 85, 同级 75, 群众 85 (head; handler 不了解, not counted)
                                                  → (85·30 + 75·30 + 85·40)/100 = 82.00
    Totals (score leaves on 0–100, Σ value × weight / 100):
      第一: 90·40 + 80·20 + 100·15 + 92·15 + 100·10
            = 3600 + 1600 + 1500 + 1380 + 1000 = 9080 → 90.80
            (the ballot node contributes 92 × 15% = 13.80)
      第二: 85·40 + 90·20 + 80·15 + 82·15 + 100·10
            = 3400 + 1800 + 1200 + 1230 + 1000 = 8630 → 86.30
            (the ballot node contributes 82 × 15% = 12.30)
    """
    world = build_task_force_month(cast)
    first, second = world.first, world.second

    # The scorers cannot type the ballot node: the round feeds it.
    with pytest.raises(ValidationError) as refused:
        score_save(actor=cast.leader, subject=first, node="ballot", value=100)
    assert "ballot" in refused.value.message_dict

    # While the round is open its votes do not count: the ballot node is missing.
    assessment_aggregate(actor=cast.office, assessment=world.assessment)
    first.refresh_from_db()
    assert first.total is None
    assert any("ballot" in line for line in first.problems), first.problems

    ballot_round_close(actor=cast.office, ballot_round=world.round)
    assessment_aggregate(actor=cast.office, assessment=world.assessment)
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.total, second.total) == (Decimal("90.80"), Decimal("86.30"))
    assert (first.scheme_grade, second.scheme_grade) == ("优", "良")
    assert (first.rank, second.rank) == (1, 2)
    assert first.problems == [] and second.problems == []
    # The breakdown names the ballot: the vote count is the evidence for the node.
    assert "民主测评有效票 3 张" in str(first.breakdown)
    assert "不了解 1" in str(second.breakdown)


# --- (b) the township's units, one quarter ---------------------------------------------


def test_unit_quarter_counts_only_its_own_inspections_capped_at_three(cast) -> None:
    """bailian-town: 指标考核 (40/35/25) × 80% + 公众评议 × 20% − 察访核验 (cap 3).

    Inspections (node "inspection"), first quarter = 1 Jan – 31 Mar 2024:
      经济发展办: 1 Jan 1.0 + 10 Feb 1.5 + 31 Mar 1.0 = 3.5 → capped at 3;
                 (1 Apr 2.0 and 20 Dec 0.5 are outside; 15 Mar 0.5 is voided)
      社会事务办: 15 Feb 1.0 → 1;  (1 Apr 2.0 outside — counted, it would give 3)
      白莲村:     none (its 31 Dec 2023 row is refused: not in the year)
    经济发展办: indicators 90·0.40 + 80·0.35 + 100·0.25 = 89; 89·0.8 + 95·0.2 − 3 = 87.20 良
    社会事务办: indicators 100; 100·0.8 + 90·0.2 − 1 = 97.00 优
    白莲村:     indicators 100; 100·0.8 + 100·0.2 − 0 = 100.00 优
    """
    year = year_setup(
        actor=cast.office, org=cast.org, year=2024, choices={SubjectKind.UNIT: "bailian-town"}
    )
    q1 = year.periods.get(kind="quarter", number=1)

    def record(unit, day: date, points: str):
        return inspection_record(
            actor=cast.leader,
            year=year,
            unit=unit,
            kind="unannounced",
            date=day,
            finding="值班人员脱岗",
            node="inspection",
            points=Decimal(points),
        )

    for day, points in [
        (date(2024, 1, 1), "1.0"),
        (date(2024, 2, 10), "1.5"),
        (date(2024, 3, 31), "1.0"),
        (date(2024, 4, 1), "2.0"),
        (date(2024, 12, 20), "0.5"),
    ]:
        record(cast.section, day, points)
    voided = record(cast.section, date(2024, 3, 15), "0.5")
    inspection_void(actor=cast.office, inspection=voided, reason="核实为误记")
    record(cast.other_section, date(2024, 2, 15), "1.0")
    record(cast.other_section, date(2024, 4, 1), "2.0")
    with pytest.raises(ValidationError):
        record(cast.village, date(2023, 12, 31), "1.0")
    # A person's row is not the unit's ledger (and people have no pinned scheme here).
    with pytest.raises(ValidationError) as no_scheme:
        inspection_record(
            actor=cast.leader,
            year=year,
            unit=cast.section,
            person=cast.handler_person,
            kind="announced",
            date=date(2024, 2, 1),
            finding="工作日午间饮酒",
            node="inspection",
            points=Decimal("2"),
        )
    assert "node" in no_scheme.value.message_dict

    assessment = assessment_create(
        actor=cast.office, year=year, period=q1, subject_kind=SubjectKind.UNIT
    )
    subjects = {s.unit_id: s for s in assessment.subjects.all()}
    assert set(subjects) == {cast.section.pk, cast.other_section.pk, cast.village.pk}
    assessment_open_scoring(actor=cast.office, assessment=assessment)
    given = {
        cast.section.pk: (90, 80, 100, 95),
        cast.other_section.pk: (100, 100, 100, 90),
        cast.village.pk: (100, 100, 100, 100),
    }
    for unit_id, (sustainable, livelihood, governance, public) in given.items():
        _scores(
            cast.leader,
            subjects[unit_id],
            {
                "indicators.sustainable": sustainable,
                "indicators.livelihood": livelihood,
                "indicators.governance": governance,
                "public": public,
            },
        )
    assessment_start_review(actor=cast.office, assessment=assessment)

    totals = {
        s.unit_id: (s.total, s.scheme_grade, s.rank)
        for s in Subject.objects.filter(assessment=assessment)
    }
    assert totals == {
        cast.section.pk: (Decimal("87.20"), "良", 3),
        cast.other_section.pk: (Decimal("97.00"), "优", 2),
        cast.village.pk: (Decimal("100.00"), "优", 1),
    }
    section = Subject.objects.get(assessment=assessment, unit=cast.section)
    refs = str(section.breakdown)
    # The three rows of the quarter are the evidence; April's and the voided one are not.
    assert len(set(re.findall(r"察访核验#\d+ [\d-]+", refs))) == 3
    assert "2024-04-01" not in refs and "2024-03-15" not in refs


# --- (c) publish → appeal → final → results ------------------------------------------


def test_month_published_appealed_upheld_finalised_and_ranked(cast) -> None:
    """Continues (a): 第一 90.80, 第二 86.30 when published on Thu 1 Feb 2024.

    Notice: 5 working days after 1 Feb → ends Thu 8 Feb.
    The cadre (leader of 第二指挥组) appeals 工作成效 85; upheld at 98:
      第二: 98·40 + 90·20 + 80·15 + 82·15 + 100·10 = 3920 + 1800 + 1200 + 1230 + 1000
            = 9150 → 91.50, now above 第一 (90.80): the ranking flips, and the 001
            competition names 第二 the best group and 第一 the last.
    """
    world = build_task_force_month(cast)
    ballot_round_close(actor=cast.office, ballot_round=world.round)
    assessment = assessment_start_review(actor=cast.office, assessment=world.assessment)
    assessment = assessment_publish(
        actor=cast.office, assessment=assessment, today=date(2024, 2, 1)
    )
    assert (assessment.status, assessment.notice_end) == (Status.NOTICE, date(2024, 2, 8))

    # Under notice, scores move only through an appeal.
    with pytest.raises(ValidationError):
        score_save(
            actor=cast.office,
            subject=world.second,
            node="results",
            value=98,
            reason="x",
            expected_version=1,
        )
    with pytest.raises(ValidationError):
        assessment_finalise(actor=cast.office, assessment=assessment, today=date(2024, 2, 5))

    appeal = appeal_file(
        actor=cast.cadre,
        subject=world.second,
        reason="工作成效中的项目已按期完工，评分时未计入",
        today=date(2024, 2, 5),
    )
    with pytest.raises(ValidationError):  # pending appeals block the final result
        assessment_finalise(actor=cast.office, assessment=assessment, today=date(2024, 2, 9))

    current = Score.objects.get(subject=world.second, node="results")
    appeal_decide(
        actor=cast.office,
        appeal=appeal,
        upheld=True,
        decision="经核实，项目已按期完工，工作成效调整为98分",
        scores=[ScoreInput("results", "98", "一项工作未达预期", current.version)],
    )
    appeal.refresh_from_db()
    assert appeal.status == AppealStatus.UPHELD
    world.first.refresh_from_db()
    world.second.refresh_from_db()
    assert (world.second.total, world.second.rank) == (Decimal("91.50"), 1)
    assert (world.first.total, world.first.rank) == (Decimal("90.80"), 2)

    assessment = assessment_finalise(
        actor=cast.office, assessment=assessment, today=date(2024, 2, 9)
    )
    assert assessment.status == Status.FINAL
    # A final period is read-only: scoring, appeals and aggregation are refused.
    with pytest.raises(ValidationError):
        score_save(
            actor=cast.office, subject=world.first, node="plan", value=100, expected_version=1
        )
    with pytest.raises(ValidationError):
        appeal_file(actor=cast.head, subject=world.first, reason="再议", today=date(2024, 2, 9))
    with pytest.raises(ValidationError):
        assessment_aggregate(actor=cast.office, assessment=assessment)
    assert Appeal.objects.filter(subject__assessment=assessment).count() == 1

    # The results page, for an ordinary cadre: 第二 ranked above 第一.
    client = Client()
    client.force_login(cast.cadre)
    page = client.get("/results/", {"year": world.year.pk}).content.decode()
    assert "定案" in page
    table = page[page.index("1月 · 指挥组") :]
    assert re.search(r"第二指挥组.*91\.50.*第一指挥组.*90\.80", table, re.S)

    result = competition_for(world.month)
    assert result is not None
    assert [e.label for e in result.best] == ["第二指挥组"]
    assert [e.label for e in result.last] == ["第一指挥组"]
    assert [e.total for e in result.best + result.last] == [Decimal("91.50"), Decimal("90.80")]
    assert TaskForce.objects.filter(org=cast.org).count() == 2
