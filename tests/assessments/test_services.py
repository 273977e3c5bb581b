"""Assessment services: results computed by hand from the preset schemes."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from jixiao.assessments import services as s
from jixiao.assessments.inputs import gather_inputs
from jixiao.assessments.models import AppealStatus, Score, Status, VetoStatus
from jixiao.assessments.services import ScoreConflict, ScoreInput
from jixiao.audit.models import AuditEvent
from jixiao.inspections.models import Inspection
from jixiao.organisation.services import task_force_create
from jixiao.years.models import SubjectKind

D = Decimal


def make(cast, year, period, kind, **kw):
    return s.assessment_create(actor=cast.office, year=year, period=period, subject_kind=kind, **kw)


def scoring(cast, assessment):
    return s.assessment_open_scoring(actor=cast.office, assessment=assessment)


def put(cast, subject, values: dict, actor=None):
    inputs = [
        ScoreInput(k, v, "" if not isinstance(v, tuple) else v[1])
        if not isinstance(v, tuple)
        else ScoreInput(k, v[0], v[1])
        for k, v in values.items()
    ]
    return s.scores_save(actor=actor or cast.leader, subject=subject, inputs=inputs)


def inspect(cast, year, unit, points, day=date(2024, 2, 1), node="inspection"):
    return Inspection.objects.create(
        year=year,
        org=cast.org,
        unit=unit,
        kind="announced",
        date=day,
        finding="台账不全",
        node=node,
        points=D(points),
    )


# --- creation -----------------------------------------------------------------------


def test_create_pins_the_scheme_and_makes_subjects_per_kind(cast, year, q1):
    org = make(cast, year, q1, SubjectKind.ORGANISATION)
    units = make(cast, year, q1, SubjectKind.UNIT)
    people = make(cast, year, q1, SubjectKind.PERSON)
    pins = {p.subject_kind: p.scheme_version_id for p in year.schemes.all()}
    assert org.scheme_version_id == pins["organisation"]
    assert [x.unit for x in org.subjects.all()] == [cast.org]
    assert {x.unit.name for x in units.subjects.all()} == {"经济发展办", "社会事务办", "白莲村"}
    assert people.subjects.count() == 5  # the cast's five people of 白莲镇
    assert org.status == Status.SELF_EVALUATION and org.name == "第一季度乡镇/部门考核"
    assert AuditEvent.objects.filter(action="assessment.create").count() == 3


def test_create_refuses_a_kind_without_scheme_a_dekad_and_a_duplicate(cast, q1):
    from jixiao.years.services import year_setup

    bare = year_setup(
        actor=cast.office, org=cast.org, year=2025, choices={"organisation": "bailian-town"}
    )
    with pytest.raises(ValidationError, match="未为"):
        make(cast, bare, bare.periods.get(kind="month", number=1), SubjectKind.UNIT)
    with pytest.raises(ValidationError, match="只能按月"):
        make(cast, bare, bare.periods.get(kind="dekad", number=1), SubjectKind.ORGANISATION)
    make(cast, bare, bare.periods.get(kind="month", number=1), SubjectKind.ORGANISATION)
    with pytest.raises(ValidationError, match="已存在"):
        make(cast, bare, bare.periods.get(kind="month", number=1), SubjectKind.ORGANISATION)


def test_quota_grades_must_be_bands_of_the_scheme(cast, year, q1):
    with pytest.raises(ValidationError, match="不是方案的等次"):
        make(cast, year, q1, SubjectKind.ORGANISATION, quotas={"优秀": D("0.2")})
    with pytest.raises(ValidationError, match="最低等次"):
        make(cast, year, q1, SubjectKind.ORGANISATION, quotas={"差": D("0.2")})
    a = make(cast, year, q1, SubjectKind.ORGANISATION, quotas={"优": D("0.2")})
    assert a.quotas.get().max_share == D("0.2")


def test_task_force_subjects(cast, year, q1):
    task_force_create(org=cast.org, name="项目指挥组", leader=cast.head_person, members=[])
    a = make(cast, year, q1, SubjectKind.TASK_FORCE)
    assert [x.task_force.name for x in a.subjects.all()] == ["项目指挥组"]


# --- aggregation by hand ------------------------------------------------------------


def test_bailian_town_by_hand(cast, year, q1):
    a = make(cast, year, q1, SubjectKind.ORGANISATION)
    scoring(cast, a)
    subject = a.subjects.get()
    put(
        cast,
        subject,
        {
            "indicators.sustainable": (90, "项目进度滞后"),
            "indicators.livelihood": (80, "民生实事未完成"),
            "indicators.governance": (70, "作风问题"),
            "public": (85, "群众满意度一般"),
        },
    )
    inspect(cast, year, cast.org, "1")
    inspect(cast, year, cast.org, "2.5")
    inspect(cast, year, cast.org, "9", day=date(2024, 5, 1))  # Q2: not in this period
    s.assessment_aggregate(actor=cast.office, assessment=a)
    subject.refresh_from_db()
    # indicators = 90×40% + 80×35% + 70×25% = 81.5; 81.5×80% + 85×20% − min(3, 3.5) = 79.20
    assert subject.total == D("79.20")
    assert subject.scheme_grade == subject.grade == "一般"
    assert subject.award_eligible is False  # 一般 is below the award grade 良
    assert subject.rank == 1 and subject.problems == []
    tree = subject.breakdown["tree"]
    inspection = next(c for c in tree["children"] if c["id"] == "inspection")
    assert inspection["score"] == "-3"
    assert inspection["caps"][0]["rule"] == "cap"
    assert len(inspection["evidence"]) == 2
    indicators = next(c for c in tree["children"] if c["id"] == "indicators")
    assert indicators["score"] == "81.5"


def test_incomplete_inputs_store_problems_and_no_total(cast, year, q1):
    a = make(cast, year, q1, SubjectKind.ORGANISATION)
    scoring(cast, a)
    subject = a.subjects.get()
    put(cast, subject, {"public": 100})
    s.assessment_aggregate(actor=cast.office, assessment=a)
    subject.refresh_from_db()
    assert subject.total is None and subject.rank is None and subject.breakdown is None
    assert any("indicators.sustainable" in p for p in subject.problems)


def test_hami_transport_with_facts(cast, year, q1):
    a = make(cast, year, q1, SubjectKind.UNIT)
    scoring(cast, a)
    section = a.subjects.get(unit=cast.section)
    put(
        cast,
        section,
        {
            "tasks": (90, "两项任务未完成"),
            "absences": (3, "三次无故缺席学习"),
            "leave_consecutive_days": 16,
            "leave_total_days": 20,
        },
    )
    s.assessment_aggregate(actor=cast.office, assessment=a)
    section.refresh_from_db()
    # 90 × 60% + (100 − 0.5 × 3) × 40% = 54 + 39.4 = 93.40 → 合格 (优秀 needs 95)
    assert section.total == D("93.40")
    assert section.grade == "合格"
    assert section.award_eligible is False
    assert section.reasons == ["事假病假连续超过十五天，取消评优资格（连续事假病假天数 16）"]
    assert section.breakdown["facts"]["absences"] == "3"
    others = a.subjects.exclude(pk=section.pk)
    assert all(o.total is None for o in others)


def test_counted_ledger_entries_add_to_the_count(cast, year, q1):
    a = make(cast, year, q1, SubjectKind.UNIT)
    scoring(cast, a)
    section = a.subjects.get(unit=cast.section)
    put(
        cast,
        section,
        {"tasks": 100, "absences": (1, "缺席"), "leave_consecutive_days": 0, "leave_total_days": 0},
    )
    inspect(cast, year, cast.section, "0.5", node="efficiency")
    values, _v, evidence = gather_inputs(section)
    assert values["absences"] == 2
    assert any("察访核验" in e for e in evidence["efficiency"])


def test_town_cadre_self_score_feeds_the_self_node(cast, year, q1):
    a = make(cast, year, q1, SubjectKind.PERSON)
    subject = a.subjects.get(person=cast.handler_person)
    s.self_evaluation_save(
        actor=cast.handler,
        subject=subject,
        report="完成了季度任务",
        self_scores={"duty.self": "90", "central.self": "80"},
    )
    with pytest.raises(ValidationError) as err:
        s.self_evaluation_save(
            actor=cast.handler, subject=subject, report="x", self_scores={"duty.head": "90"}
        )
    assert "duty.head" in err.value.message_dict
    scoring(cast, a)
    put(
        cast,
        subject,
        {
            "duty.head": (80, "一般"),
            "duty.peer": (70, "一般"),
            "central.head": 100,
            "central.peer": 100,
        },
    )
    s.assessment_aggregate(actor=cast.office, assessment=a)
    subject.refresh_from_db()
    # duty = 80×50% + 90×20% + 70×30% = 40 + 18 + 21 = 79; central = 50 + 16 + 30 = 96
    # total = 79 × 90% + 96 × 10% = 71.1 + 9.6 = 80.70 → 良好
    assert subject.total == D("80.70") and subject.grade == "良好"


def test_self_evaluation_only_while_open(cast, year, q1):
    a = make(cast, year, q1, SubjectKind.PERSON)
    subject = a.subjects.get(person=cast.handler_person)
    with pytest.raises(ValidationError, match="自评报告"):
        s.self_evaluation_save(actor=cast.handler, subject=subject, report="  ")
    scoring(cast, a)
    s.assessment_start_review(actor=cast.office, assessment=a)
    subject.assessment.refresh_from_db()
    with pytest.raises(ValidationError, match="阶段"):
        s.self_evaluation_save(actor=cast.handler, subject=subject, report="迟交")


# --- scoring rules ------------------------------------------------------------------


def test_scoring_needs_scoring_status_a_reason_and_the_scale(cast, year, q1):
    a = make(cast, year, q1, SubjectKind.ORGANISATION)
    subject = a.subjects.get()
    with pytest.raises(ValidationError, match="评分"):
        put(cast, subject, {"public": 100})
    scoring(cast, a)
    subject.assessment.refresh_from_db()
    with pytest.raises(ValidationError) as err:
        put(cast, subject, {"public": 85, "indicators.governance": 120})
    errors = err.value.message_dict
    assert "须填写扣分理由" in errors["public"][0] and "public" in errors["public"][0]
    assert "outside 0–100" in errors["indicators.governance"][0]
    with pytest.raises(ValidationError, match="不由领导小组评分"):
        put(cast, subject, {"inspection": 1})
    assert not Score.objects.exists()  # nothing half-saved
    put(cast, subject, {"public": 100})
    assert Score.objects.get().value == 100


def test_every_score_change_is_audited_with_before_and_after(cast, year, q1):
    a = make(cast, year, q1, SubjectKind.ORGANISATION)
    scoring(cast, a)
    subject = a.subjects.get()
    score = s.score_save(actor=cast.leader, subject=subject, node="public", value="100")
    s.score_save(
        actor=cast.office,
        subject=subject,
        node="public",
        value="88",
        reason="满意度下降",
        expected_version=score.version,
    )
    events = list(AuditEvent.objects.filter(action="assessment.score").order_by("pk"))
    assert events[0].before is None and events[0].after["value"] == "100"
    assert events[1].before == {"value": "100", "reason": "", "version": 1}
    assert events[1].after == {"value": "88", "reason": "满意度下降", "version": 2}
    assert events[1].actor == cast.office


def test_stale_version_is_a_conflict_and_nothing_is_saved(cast, year, q1):
    a = make(cast, year, q1, SubjectKind.ORGANISATION)
    scoring(cast, a)
    subject = a.subjects.get()
    first = s.score_save(
        actor=cast.leader, subject=subject, node="public", value="90", reason="一般"
    )
    loaded = first.version  # both reviewers loaded version 1
    s.score_save(
        actor=cast.leader,
        subject=subject,
        node="public",
        value="95",
        reason="复核",
        expected_version=loaded,
    )
    with pytest.raises(ScoreConflict) as err:
        s.scores_save(
            actor=cast.office,
            subject=subject,
            inputs=[
                ScoreInput("indicators.sustainable", "99", "x", 0),
                ScoreInput("public", "80", "我的意见", loaded),
            ],
        )
    [conflict] = err.value.conflicts
    assert conflict.key == "public" and conflict.attempted == "80"
    assert conflict.current.value == 95 and conflict.current.scored_by == cast.leader
    score = Score.objects.get(node="public")
    assert (score.value, score.version) == (95, 2)
    assert not Score.objects.filter(node="indicators.sustainable").exists()  # rolled back


def test_two_new_values_for_the_same_node_conflict(cast, year, q1):
    a = make(cast, year, q1, SubjectKind.ORGANISATION)
    scoring(cast, a)
    subject = a.subjects.get()
    s.score_save(actor=cast.leader, subject=subject, node="public", value="100")
    with pytest.raises(ScoreConflict):
        s.score_save(actor=cast.office, subject=subject, node="public", value="90", reason="r")
    assert Score.objects.get().value == 100


# --- vetoes -------------------------------------------------------------------------


def test_only_approved_vetoes_feed_the_engine(cast, year, q1):
    a = make(cast, year, q1, SubjectKind.ORGANISATION)
    subject = a.subjects.get()
    with pytest.raises(ValidationError) as err:
        s.veto_propose(actor=cast.leader, subject=subject, category="喝酒", note="")
    assert set(err.value.message_dict) == {"category", "note"}
    veto = s.veto_propose(actor=cast.leader, subject=subject, category="计生", note="超生")
    assert gather_inputs(subject)[1] == []
    with pytest.raises(ValidationError, match="提出人"):
        s.veto_decide(actor=cast.leader, veto=veto, approve=True)
    s.veto_decide(actor=cast.office, veto=veto, approve=True)
    assert gather_inputs(subject)[1] == ["计生"]
    with pytest.raises(ValidationError, match="已处理"):
        s.veto_decide(actor=cast.office, veto=veto, approve=False)
    rejected = s.veto_propose(actor=cast.leader, subject=subject, category="综治", note="x")
    s.veto_decide(actor=cast.office, veto=rejected, approve=False)
    rejected.refresh_from_db()
    assert rejected.status == VetoStatus.REJECTED
    assert gather_inputs(subject)[1] == ["计生"]


# --- the workflow -------------------------------------------------------------------


def _published(cast, year, q1, today=date(2024, 4, 1)):
    a = make(cast, year, q1, SubjectKind.ORGANISATION)
    scoring(cast, a)
    subject = a.subjects.get()
    put(
        cast,
        subject,
        {
            "indicators.sustainable": (90, "x"),
            "indicators.livelihood": (90, "x"),
            "indicators.governance": (90, "x"),
            "public": (85, "y"),
        },
    )
    s.assessment_start_review(actor=cast.office, assessment=a)
    a = s.assessment_publish(actor=cast.office, assessment=a, today=today)
    subject.refresh_from_db()
    return a, subject


def test_publish_needs_complete_results(cast, year, q1):
    a = make(cast, year, q1, SubjectKind.ORGANISATION)
    scoring(cast, a)
    s.assessment_start_review(actor=cast.office, assessment=a)
    with pytest.raises(ValidationError, match="缺少分值"):
        s.assessment_publish(actor=cast.office, assessment=a)
    a.refresh_from_db()
    assert a.status == Status.REVIEW


def test_publish_sets_the_notice_window(cast, year, q1):
    a, subject = _published(cast, year, q1)
    assert a.status == Status.NOTICE and a.locked_at is not None
    assert (a.notice_start, a.notice_end) == (date(2024, 4, 1), date(2024, 4, 8))
    assert subject.total == D("89.00")  # 90 × 80% + 85 × 20%


def test_appeal_upheld_changes_the_score_and_reaggregates(cast, year, q1):
    a, subject = _published(cast, year, q1)
    appeal = s.appeal_file(
        actor=cast.leader, subject=subject, reason="公众评议样本有误", today=date(2024, 4, 3)
    )
    with pytest.raises(ValidationError, match="只能申诉一次"):
        s.appeal_file(actor=cast.leader, subject=subject, reason="再次", today=date(2024, 4, 3))
    with pytest.raises(ValidationError, match="待处理的申诉"):
        s.assessment_finalise(actor=cast.office, assessment=a, today=date(2024, 5, 1))
    with pytest.raises(ValidationError) as err:
        s.appeal_decide(actor=cast.office, appeal=appeal, upheld=True, decision=" ")
    assert "decision" in err.value.message_dict
    version = Score.objects.get(node="public").version
    s.appeal_decide(
        actor=cast.office,
        appeal=appeal,
        upheld=True,
        decision="重新抽样",
        scores=[ScoreInput("public", "95", "重新抽样", version)],
    )
    subject.refresh_from_db()
    appeal.refresh_from_db()
    assert appeal.status == AppealStatus.UPHELD and appeal.decided_by == cast.office
    assert subject.total == D("91.00") and subject.grade == "优"  # 72 + 19
    assert AuditEvent.objects.filter(action="assessment.appeal_decide").exists()


def test_appeal_window_and_rejection(cast, year, q1):
    _a, subject = _published(cast, year, q1)
    with pytest.raises(ValidationError, match="公示期已于"):
        s.appeal_file(actor=cast.leader, subject=subject, reason="晚了", today=date(2024, 4, 9))
    appeal = s.appeal_file(
        actor=cast.leader, subject=subject, reason="不服", today=date(2024, 4, 8)
    )
    with pytest.raises(ValidationError, match="不能修改分值"):
        s.appeal_decide(
            actor=cast.office,
            appeal=appeal,
            upheld=False,
            decision="维持",
            scores=[ScoreInput("public", "95", "x", 1)],
        )
    s.appeal_decide(actor=cast.office, appeal=appeal, upheld=False, decision="评分有据")
    subject.refresh_from_db()
    assert subject.total == D("89.00")


def test_finalise_waits_for_the_window_or_an_override(cast, year, q1):
    a, _subject = _published(cast, year, q1)
    with pytest.raises(ValidationError) as err:
        s.assessment_finalise(actor=cast.office, assessment=a, today=date(2024, 4, 8))
    assert "override_reason" in err.value.message_dict
    a = s.assessment_finalise(
        actor=cast.office, assessment=a, override_reason="县里要求提前上报", today=date(2024, 4, 2)
    )
    assert a.status == Status.FINAL and a.finalised_at is not None


def test_final_refuses_every_write(cast, year, q1):
    a, subject = _published(cast, year, q1)
    appeal = s.appeal_file(actor=cast.leader, subject=subject, reason="x", today=date(2024, 4, 2))
    s.appeal_decide(actor=cast.office, appeal=appeal, upheld=False, decision="维持")
    s.assessment_finalise(actor=cast.office, assessment=a, today=date(2024, 4, 9))
    a.refresh_from_db()
    subject.assessment = a
    appeal.refresh_from_db()
    veto = subject.vetoes.create(category="计生", note="x", proposed_by=cast.leader)
    o = cast.office
    writes = [
        lambda: s.assessment_quotas_set(actor=o, assessment=a, quotas={}),
        lambda: s.self_evaluation_save(actor=o, subject=subject, report="x"),
        lambda: s.score_save(actor=o, subject=subject, node="public", value=100),
        lambda: s.score_save(actor=o, subject=subject, node="public", value=100, appeal=appeal),
        lambda: s.veto_propose(actor=o, subject=subject, category="计生", note="x"),
        lambda: s.veto_decide(actor=o, veto=veto, approve=True),
        lambda: s.assessment_aggregate(actor=o, assessment=a),
        lambda: s.assessment_open_scoring(actor=o, assessment=a),
        lambda: s.assessment_start_review(actor=o, assessment=a),
        lambda: s.assessment_publish(actor=o, assessment=a),
        lambda: s.assessment_finalise(actor=o, assessment=a, override_reason="x"),
        lambda: s.appeal_file(actor=o, subject=subject, reason="x", today=date(2024, 4, 2)),
        lambda: s.appeal_decide(actor=o, appeal=appeal, upheld=False, decision="x"),
    ]
    for write in writes:
        with pytest.raises(ValidationError):
            write()
    for write in writes:
        try:
            write()
        except ValidationError as exc:
            assert "已定案" in " ".join(exc.messages)


def test_quota_applied_by_rank_on_aggregation(cast, year, q1):
    # Three units, 优秀 ≤ 34% → floor(1.02) = 1. Two tie at 96 → both drop to 合格.
    a = make(cast, year, q1, SubjectKind.UNIT, quotas={"优秀": D("0.34")})
    scoring(cast, a)
    for subject, tasks in zip(a.subjects.order_by("pk"), (100, 100, 90), strict=True):
        put(
            cast,
            subject,
            {
                "tasks": (tasks, "r") if tasks < 100 else tasks,
                "absences": (4, "缺席"),
                "leave_consecutive_days": 0,
                "leave_total_days": 0,
            },
        )
    s.assessment_aggregate(actor=cast.office, assessment=a)
    rows = list(a.subjects.order_by("pk"))
    # 100×60% + 98×40% = 99.20 (tie) ; 90×60% + 39.2 = 93.20
    assert [r.total for r in rows] == [D("99.20"), D("99.20"), D("93.20")]
    assert [r.rank for r in rows] == [1, 1, 3]
    assert [r.scheme_grade for r in rows] == ["优秀", "优秀", "合格"]
    assert [r.grade for r in rows] == ["合格", "合格", "合格"]
    assert "并列" in rows[0].quota_note and rows[2].quota_note == ""
