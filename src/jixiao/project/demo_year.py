"""白莲镇's 2026 year in progress, told as of Monday 6 July 2026 (issue #4's demo state).

- 经济发展办's monthly plans: June closed (completion recorded), July submitted;
- 刘洋 (handler) reported June on both his targets with a site photo: one accepted
  by 张伟 (head), one waiting for review;
- inspections: one on 安监站 in the first quarter, one on 经济发展办 and two on 综治办
  (3.5 points, over the scheme's cap of 3) in the second;
- the first quarter's unit assessment: scored, a closed 勤政廉政 peer ballot in
  which the five demo logins voted, 优 limited to 20%, published and FINAL;
- the second quarter's: scored and under PUBLIC NOTICE, with one appeal pending,
  filed by 张伟 for 经济发展办.

Everything goes through the services (they validate and audit). The dates are
fixed inside 2026, except the second quarter's publication day, which is the
later of 3 July 2026 and the day the demo is loaded, so its notice window is
still open when someone starts the demo. Each block is skipped when its rows
exist, so loading twice leaves the same rows.
"""

from __future__ import annotations

import struct
import zlib
from datetime import date
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from jixiao.assessments.models import Assessment, Subject
from jixiao.assessments.services import (
    ScoreInput,
    appeal_file,
    assessment_create,
    assessment_finalise,
    assessment_open_scoring,
    assessment_publish,
    assessment_start_review,
    scores_save,
)
from jixiao.ballots.models import Choice
from jixiao.ballots.selectors import excluded_subject_ids
from jixiao.ballots.services import (
    GroupSpec,
    ballot_round_close,
    ballot_round_create,
    ballot_submit,
)
from jixiao.inspections.models import Inspection
from jixiao.inspections.services import inspection_record
from jixiao.organisation.models import Unit, UnitKind
from jixiao.progress.models import MonthlyPlan, ProgressReport
from jixiao.progress.services import (
    plan_close,
    plan_create,
    plan_item_add,
    plan_submit,
    report_review,
    report_submit,
)
from jixiao.targets.models import Target
from jixiao.years.models import AssessmentYear, Period, PeriodKind, SubjectKind

# Friday before 清明 (4–6 April off): 5 working days → the notice ends Mon 13 April.
Q1_PUBLISHED = date(2026, 4, 3)
Q1_FINALISED = date(2026, 4, 14)
Q2_PUBLISHED = date(2026, 7, 3)
BALLOT_NODE = "indicators.governance"  # 勤政廉政, rated by colleagues
SCORED_NODES = ("indicators.sustainable", "indicators.livelihood", "public")


def demo_running_year(year: AssessmentYear) -> None:
    """Bring 白莲镇's year to the state described above (idempotent)."""
    users = {u.username: u for u in get_user_model().objects.all()}
    units = {u.code: u for u in Unit.objects.filter(org=year.org)}
    periods = {(p.kind, p.number): p for p in Period.objects.filter(year=year)}
    section = units["jjfz"]
    targets = {t.code: t for t in Target.objects.filter(year=year, unit=section)}
    _plans(year, periods, section, targets, users)
    _reports(periods, targets, users)
    _inspections(year, units, users)
    _first_quarter(year, periods[(PeriodKind.QUARTER, 1)], users)
    _second_quarter(year, periods[(PeriodKind.QUARTER, 2)], section, users)


# --- plans and progress ---------------------------------------------------------------


def _plans(year, periods, section: Unit, targets: dict[str, Target], users) -> None:
    head = users["head"]
    june, july = periods[(PeriodKind.MONTH, 6)], periods[(PeriodKind.MONTH, 7)]
    if not MonthlyPlan.objects.filter(period=june, unit=section).exists():
        plan = plan_create(actor=head, year=year, period=june, unit=section)
        items = [
            plan_item_add(
                actor=head,
                plan=plan,
                description="荷塘村线路路基施工，月底累计完成2.5公里",
                target=targets["可持续发展-01"],
            ),
            plan_item_add(
                actor=head,
                plan=plan,
                description="跟进农产品加工项目资金到位",
                target=targets["可持续发展-02"],
            ),
            plan_item_add(actor=head, plan=plan, description="完成上半年经济运行分析报告"),
        ]
        plan_submit(actor=head, plan=plan)
        completions = {
            items[0].pk: (100, "累计完成路基2.5公里"),
            items[1].pk: (80, "到位资金2600万元，余款7月上旬到位"),
            items[2].pk: (100, ""),
        }
        plan_close(actor=head, plan=plan, completions=completions)
    if not MonthlyPlan.objects.filter(period=july, unit=section).exists():
        plan = plan_create(actor=head, year=year, period=july, unit=section)
        plan_item_add(
            actor=head,
            plan=plan,
            description="荷塘村线路路基完工，累计4公里",
            target=targets["可持续发展-01"],
        )
        plan_item_add(
            actor=head,
            plan=plan,
            description="组织石桥村线路招标",
            target=targets["可持续发展-01"],
        )
        plan_submit(actor=head, plan=plan)


def _reports(periods, targets: dict[str, Target], users) -> None:
    handler, head = users["handler"], users["head"]
    reporter = handler.person
    june = periods[(PeriodKind.MONTH, 6)]
    road, investment = targets["可持续发展-01"], targets["可持续发展-02"]
    if not ProgressReport.objects.filter(target=road, period=june).exists():
        report = report_submit(
            actor=handler,
            target=road,
            period=june,
            reporter=reporter,
            value=Decimal("2.5"),
            narrative="荷塘村线路路基完成2.5公里，石桥村线路完成勘测。",
            uploads=[demo_photo("荷塘村路基施工.png", (150, 120, 80))],
            captions=["6月28日荷塘村路基施工现场"],
        )
        report_review(actor=head, report=report, accept=True, note="进度符合计划")
    if not ProgressReport.objects.filter(target=investment, period=june).exists():
        report_submit(
            actor=handler,
            target=investment,
            period=june,
            reporter=reporter,
            value=Decimal("2600"),
            narrative="农产品加工项目签约，到位资金累计2600万元。",
            uploads=[demo_photo("签约仪式.png", (200, 60, 60))],
            captions=["6月18日项目签约仪式"],
        )


def demo_photo(name: str, colour: tuple[int, int, int]) -> SimpleUploadedFile:
    """A real 96×64 PNG (a sky-and-ground picture in ``colour``), made without Pillow."""
    width, height = 96, 64
    rows = []
    for y in range(height):
        if y < height // 2:
            pixel = bytes((120 + y, 170 + y, 230))  # sky, lighter towards the horizon
        else:
            shade = (y - height // 2) * 2
            pixel = bytes(max(0, c - shade) for c in colour)
        rows.append(b"\x00" + pixel * width)  # filter byte 0, then RGB pixels

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    data = (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(b"".join(rows)))
        + chunk(b"IEND", b"")
    )
    return SimpleUploadedFile(name, data, content_type="image/png")


# --- inspections ----------------------------------------------------------------------

INSPECTIONS = (
    # (unit code, date, announced?, finding, points)
    ("ajz", date(2026, 3, 10), False, "安全生产台账未按月更新", "0.5"),
    ("jjfz", date(2026, 5, 12), False, "工作日上午值班人员脱岗", "1"),
    ("zzb", date(2026, 4, 20), True, "矛盾纠纷排查台账缺3月记录", "2"),
    ("zzb", date(2026, 6, 8), False, "信访首问责任制未落实，来访群众被推诿", "1.5"),
)


def _inspections(year, units: dict[str, Unit], users) -> None:
    for code, day, announced, finding, points in INSPECTIONS:
        unit = units[code]
        if Inspection.objects.filter(year=year, unit=unit, date=day, finding=finding).exists():
            continue
        inspection_record(
            actor=users["leader"],
            year=year,
            unit=unit,
            kind="announced" if announced else "unannounced",
            date=day,
            finding=finding,
            node="inspection",
            points=Decimal(points),
        )


# --- assessments ----------------------------------------------------------------------


def _score_all(
    assessment: Assessment,
    nodes: tuple[str, ...],
    scorer,
    seed: int,
    fed: dict[str, set[str]] | None = None,
) -> None:
    """Fixed, varied scores (78–100) for every unit; below full marks a reason is given.

    ``fed`` maps a unit code to the nodes a ballot or appraisal round scores for
    it: the scorers leave those alone (the service refuses them).
    """
    subjects = assessment.subjects.select_related("unit").order_by("unit__sort", "pk")
    for index, subject in enumerate(subjects):
        inputs = []
        skip = fed.get(subject.unit.code, set()) if fed and subject.unit_id else set()
        for offset, node in enumerate(nodes):
            if node in skip:
                continue
            value = 78 + (index * 7 + offset * 11 + seed) % 23
            reason = "" if value == 100 else "对照评分标准，部分工作进度滞后"
            inputs.append(ScoreInput(node, value, reason))
        scores_save(actor=scorer, subject=subject, inputs=inputs)


def _ballots(assessment: Assessment, users) -> None:
    """A 勤政廉政 round: the five demo logins rate every unit but their own."""
    office, leader, head, handler, cadre = (
        users[n] for n in ("office", "leader", "head", "handler", "cadre")
    )
    ballot_round = ballot_round_create(
        actor=office,
        assessment=assessment,
        node=BALLOT_NODE,
        title="第一季度勤政廉政民主测评",
        min_valid=3,
        groups=[
            GroupSpec("领导", Decimal(30), [leader]),
            GroupSpec("同级", Decimal(30), [office, head]),
            GroupSpec("群众", Decimal(40), [handler, cadre]),
        ],
    )
    choices = (Choice.EXCELLENT, Choice.COMPETENT, Choice.EXCELLENT, Choice.BASIC)
    subjects = list(assessment.subjects.select_related("unit").order_by("unit__sort", "pk"))
    for number, rater in enumerate((leader, office, head, handler, cadre)):
        own = excluded_subject_ids(ballot_round, rater)
        sheet = {}
        for index, subject in enumerate(subjects):
            if subject.pk in own:
                continue
            # A section clerk does not know the villages well: 不了解 (not counted).
            village = subject.unit.kind in (UnitKind.VILLAGE, UnitKind.COMMITTEE)
            if rater == handler and village:
                sheet[subject.pk] = Choice.UNKNOWN
            else:
                sheet[subject.pk] = choices[(index + number) % len(choices)]
        ballot_submit(rater=rater, ballot_round=ballot_round, choices=sheet)
    ballot_round_close(actor=office, ballot_round=ballot_round)


def _first_quarter(year, quarter: Period, users) -> None:
    if Assessment.objects.filter(period=quarter, subject_kind=SubjectKind.UNIT).exists():
        return
    office = users["office"]
    assessment = assessment_create(
        actor=office,
        year=year,
        period=quarter,
        subject_kind=SubjectKind.UNIT,
        quotas={"优": Decimal("0.2")},
    )
    _ballots(assessment, users)
    assessment_open_scoring(actor=office, assessment=assessment)
    _score_all(assessment, SCORED_NODES, users["leader"], seed=3)
    assessment = assessment_start_review(actor=office, assessment=assessment)
    assessment = assessment_publish(actor=office, assessment=assessment, today=Q1_PUBLISHED)
    assessment_finalise(actor=office, assessment=assessment, today=Q1_FINALISED)


def _second_quarter(year, quarter: Period, section: Unit, users) -> None:
    if Assessment.objects.filter(period=quarter, subject_kind=SubjectKind.UNIT).exists():
        return
    office = users["office"]
    assessment = assessment_create(
        actor=office, year=year, period=quarter, subject_kind=SubjectKind.UNIT
    )
    assessment_open_scoring(actor=office, assessment=assessment)
    _score_all(assessment, (*SCORED_NODES, BALLOT_NODE), users["leader"], seed=8)
    assessment = assessment_start_review(actor=office, assessment=assessment)
    published = max(Q2_PUBLISHED, timezone.localdate())
    assessment = assessment_publish(actor=office, assessment=assessment, today=published)
    appeal_file(
        actor=users["head"],
        subject=Subject.objects.get(assessment=assessment, unit=section),
        reason="5月12日察访核验所记“值班人员脱岗”，系该同志奉命参加防汛抢险临时离岗，"
        "有镇防汛办调度记录为证，请予复核。",
        today=published,
    )
