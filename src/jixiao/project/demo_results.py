"""What 白莲镇 does with its results in the demo year: rectification and rewards.

- Rectification (整改): five items, from inspection findings in the ledger and
  from weak indicators of the first quarter's (final) unit assessment, in every
  state — closed (with a site photo), submitted (waiting for the office), sent
  back, open, and one open past its deadline (综治办's March ledger);
- a reward pool (奖励分配): 60,000 yuan shared by grade coefficient among the
  units of the first quarter's assessment, the year's only FINAL one.

The 5月12日 finding on 经济发展办 gets no item: it is the one under appeal.
Deadlines in the future are "at least a month from the day the demo is loaded",
so the open items do not turn overdue when the demo is started later in the year.
Each item and the pool are skipped when they exist, so loading twice adds nothing.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone

from jixiao.assessments.models import Assessment, Status, Subject
from jixiao.inspections.models import Inspection
from jixiao.organisation.models import Person
from jixiao.project.demo_year import demo_photo
from jixiao.rectification.models import RectificationItem
from jixiao.rectification.services import (
    rectification_attach,
    rectification_close,
    rectification_from_indicator,
    rectification_from_inspection,
    rectification_reopen,
    rectification_submit,
)
from jixiao.rewards.models import RewardPool, RuleKind, Source
from jixiao.rewards.services import PoolInput, reward_pool_create
from jixiao.years.models import AssessmentYear, PeriodKind, SubjectKind

POOL_NAME = "2026年第一季度绩效奖励"
POOL_AMOUNT = Decimal("60000")


def demo_results(year: AssessmentYear) -> None:
    """Bring 白莲镇's rectification items and reward pool to the state above (idempotent)."""
    office = get_user_model().objects.get(username="office")
    people = {p.name: p for p in Person.objects.filter(org=year.org)}
    first_quarter = (
        Assessment.objects.filter(
            year=year,
            period__kind=PeriodKind.QUARTER,
            period__number=1,
            subject_kind=SubjectKind.UNIT,
        )
        .select_related("year")
        .first()
    )
    later = max(date(2026, 7, 31), timezone.localdate() + timedelta(days=30))
    _from_inspections(year, office, people, later)
    if first_quarter is not None:
        _from_indicators(first_quarter, office, people, later)
        if first_quarter.status == Status.FINAL:
            _pool(year, first_quarter, office)


def _from_inspections(year, office, people: dict[str, Person], later: date) -> None:
    ledger = Inspection.objects.filter(year=year, voided=False).select_related("unit", "year")
    findings = {(i.unit.code, i.date): i for i in ledger}
    # (unit code, inspection day, owner, deadline, measures, what happens next)
    plan = (
        (
            "ajz",
            date(2026, 3, 10),
            "罗斌",
            date(2026, 4, 10),
            "建立安全生产台账月度更新制度，指定专人每月5日前录入",
            "closed",
        ),
        (
            "zzb",
            date(2026, 4, 20),
            "彭涛",
            date(2026, 5, 31),
            "补录3月矛盾纠纷排查记录，每周五由综治办主任核签",
            "open",  # never done: overdue
        ),
        (
            "zzb",
            date(2026, 6, 8),
            "曾强",
            later,
            "落实首问责任制，来访登记表增设“首问人”栏，每月通报",
            "submitted",
        ),
    )
    for code, day, owner, deadline, measures, state in plan:
        inspection = findings.get((code, day))
        if inspection is None or RectificationItem.objects.filter(inspection=inspection).exists():
            continue
        item = rectification_from_inspection(
            actor=office,
            inspection=inspection,
            owner=people[owner],
            deadline=deadline,
            measures=measures,
        )
        if state == "closed":
            rectification_attach(
                actor=office,
                item=item,
                uploads=[demo_photo("安全生产台账.png", (90, 110, 160))],
                caption="4月8日更新后的安全生产台账",
            )
            rectification_submit(
                actor=office, item=item, note="台账已补齐1—3月记录，月度更新制度已上墙。"
            )
            rectification_close(
                actor=office, item=item, note="经现场查看台账，整改到位，予以销号。"
            )
        elif state == "submitted":
            rectification_submit(
                actor=office,
                item=item,
                note="已召开全体干部会议重申首问责任制，来访登记表已增设“首问人”栏。",
            )


def _from_indicators(assessment: Assessment, office, people: dict[str, Person], later) -> None:
    subjects = {
        s.unit.code: s
        for s in Subject.objects.filter(assessment=assessment, unit__isnull=False).select_related(
            "unit", "person", "assessment__year"
        )
    }
    # (unit code, node, owner, measures, what happens next)
    plan = (
        (
            "jjfz",
            "indicators.sustainable",
            "刘洋",  # the handler login: "my rectification items"
            "按月倒排荷塘村、石桥村道路建设进度，每周报送施工进展",
            "open",
        ),
        (
            "c01",
            "indicators.governance",
            "赵文斌",
            "开展作风纪律专项整顿，公开居委会干部坐班表",
            "reopened",
        ),
    )
    for code, node, owner, measures, state in plan:
        subject = subjects.get(code)
        if subject is None:
            continue
        if RectificationItem.objects.filter(subject=subject, node=node).exists():
            continue
        item = rectification_from_indicator(
            actor=office,
            subject=subject,
            node=node,
            owner=people[owner],
            deadline=later,
            measures=measures,
        )
        if state == "reopened":
            rectification_submit(actor=office, item=item, note="已召开居委会作风整顿会议。")
            rectification_reopen(
                actor=office,
                item=item,
                note="只开了会，坐班表尚未公开，请补充公开照片后再提交。",
            )


def _pool(year: AssessmentYear, assessment: Assessment, office) -> None:
    if RewardPool.objects.filter(year=year, name=POOL_NAME).exists():
        return
    reward_pool_create(
        actor=office,
        year=year,
        assessment=assessment,
        data=PoolInput(
            name=POOL_NAME,
            source=Source.ENTERED,
            entered_amount=POOL_AMOUNT,
            rule=RuleKind.GRADE_COEFFICIENT,
        ),
    )
