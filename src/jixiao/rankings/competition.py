"""海永乡 (001) monthly task-force competition: 先进指挥组, 末位指挥组, 工作实绩末2位.

Each month the platform reads the month's task-force assessment and person
assessment — only once they are published (公示 or 定案) — and picks:

* best group: every task force with the highest total (a tie names all tied groups);
* last group: every task force with the lowest total; when all groups have the
  same total nobody is last;
* bottom two members: among people who belong to a task force, the two lowest
  totals, plus everyone tied with the second lowest (so 3 names when the 2nd and
  3rd lowest are equal).

Subjects without a total (not yet scoreable) take no part. ``decide`` is the
rule itself and pure; ``competition_for`` reads the rows and applies it.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from jixiao.assessments.models import Assessment, Subject
from jixiao.organisation.models import TaskForce
from jixiao.rankings.selectors import PUBLISHED_STATUSES
from jixiao.years.models import Period, PeriodKind, SubjectKind
from jixiao.years.selectors import period_label

# Shown with every result so the tie rule is never a surprise.
TIE_RULE = (
    "并列处理：最高分并列的指挥组均评为先进指挥组，最低分并列的均评为末位指挥组"
    "（各组得分全部相同时不评末位）；成员按得分从低到高取末2位，"
    "与第2位同分者一并列入。未计分的对象不参加评比。"
)


@dataclass
class Entry:
    subject_id: int
    assessment_id: int
    label: str
    total: Decimal
    note: str = ""  # for a member: the task force(s) they belong to


@dataclass
class Decision:
    best: list[Entry]
    last: list[Entry]
    bottom: list[Entry]
    notes: list[str] = field(default_factory=list)


@dataclass
class CompetitionResult:
    period_id: int
    period_label: str
    task_force_assessment_id: int
    person_assessment_id: int | None
    best: list[Entry]
    last: list[Entry]
    bottom: list[Entry]
    groups_scored: int
    members_scored: int
    notes: list[str] = field(default_factory=list)
    tie_rule: str = TIE_RULE

    @property
    def complete(self) -> bool:
        """Publishable: the person assessment of the month is published too."""
        return self.person_assessment_id is not None

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        for key in ("best", "last", "bottom"):
            for entry in data[key]:
                entry["total"] = str(entry["total"])
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> CompetitionResult:
        data = dict(data)
        for key in ("best", "last", "bottom"):
            data[key] = [Entry(**{**e, "total": Decimal(e["total"])}) for e in data[key]]
        return cls(**data)


def _by_total(entries: list[Entry]) -> list[Entry]:
    return sorted(entries, key=lambda e: (e.total, e.label))


def decide(groups: list[Entry], members: list[Entry]) -> Decision:
    """Apply the 001 rule to scored groups and scored task-force members."""
    notes: list[str] = []
    best: list[Entry] = []
    last: list[Entry] = []
    if groups:
        high = max(e.total for e in groups)
        low = min(e.total for e in groups)
        best = [e for e in _by_total(groups) if e.total == high]
        if high != low:
            last = [e for e in _by_total(groups) if e.total == low]
        elif len(groups) > 1:
            notes.append(_("各指挥组得分相同，本月不评末位指挥组。"))
        if len(best) > 1:
            notes.append(_("%(n)s 个指挥组并列最高分，均评为先进指挥组。") % {"n": len(best)})
        if len(last) > 1:
            notes.append(_("%(n)s 个指挥组并列最低分，均评为末位指挥组。") % {"n": len(last)})
    ordered = _by_total(members)
    bottom = ordered
    if len(ordered) > 2:
        second = ordered[1].total
        bottom = [e for e in ordered if e.total <= second]
        if len(bottom) > 2:
            notes.append(
                _("第2位有 %(n)s 人同分，一并列入末2位。") % {"n": len(bottom) - 1}
                if ordered[0].total != second
                else _("最低分有 %(n)s 人并列，均列入末2位。") % {"n": len(bottom)}
            )
    return Decision(best=best, last=last, bottom=bottom, notes=notes)


def competition_for(month_period: Period) -> CompetitionResult | None:
    """The month's competition from its published assessments (3 queries).

    None when the period is not a month, the month's task-force assessment is not
    published, or fewer than two groups have a total.
    """
    if month_period.kind != PeriodKind.MONTH:
        return None
    assessments = {
        a.subject_kind: a
        for a in Assessment.objects.filter(
            period=month_period,
            subject_kind__in=(SubjectKind.TASK_FORCE, SubjectKind.PERSON),
            status__in=PUBLISHED_STATUSES,
        )
    }
    groups_assessment = assessments.get(SubjectKind.TASK_FORCE)
    if groups_assessment is None:
        return None
    people_assessment = assessments.get(SubjectKind.PERSON)
    subjects = list(
        Subject.objects.filter(
            assessment__in=list(assessments.values()), total__isnull=False
        ).select_related("person", "task_force")
    )
    groups = [
        Entry(s.pk, s.assessment_id, s.label, s.total)
        for s in subjects
        if s.assessment_id == groups_assessment.pk and s.task_force_id is not None
    ]
    if len(groups) < 2:
        return None
    members = _task_force_members(month_period)
    people = [
        Entry(s.pk, s.assessment_id, s.person.name, s.total, "、".join(members[s.person_id]))
        for s in subjects
        if people_assessment is not None
        and s.assessment_id == people_assessment.pk
        and s.person_id in members
    ]
    decision = decide(groups, people)
    notes = list(decision.notes)
    if people_assessment is None:
        notes.append(_("本月个人考核尚未公示，工作实绩末2位成员暂缺。"))
    elif not people:
        notes.append(_("本月个人考核中没有指挥组成员的得分。"))
    return CompetitionResult(
        period_id=month_period.pk,
        period_label=period_label(month_period),
        task_force_assessment_id=groups_assessment.pk,
        person_assessment_id=people_assessment.pk if people_assessment else None,
        best=decision.best,
        last=decision.last,
        bottom=decision.bottom,
        groups_scored=len(groups),
        members_scored=len(people),
        notes=notes,
    )


def _task_force_members(period: Period) -> dict[int, list[str]]:
    """person id → names of the organisation's task forces the person belongs to."""
    through = TaskForce.members.through
    rows = (
        through.objects.filter(taskforce__org__assessment_years=period.year_id)
        .order_by("taskforce__name")
        .values_list("person_id", "taskforce__name")
    )
    members: dict[int, list[str]] = {}
    for person_id, name in rows:
        members.setdefault(person_id, []).append(name)
    return members
