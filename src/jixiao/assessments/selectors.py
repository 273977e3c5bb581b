"""Reads for assessments, always scoped to the user's organisation.

Who sees what:
- the office and the leadership group (reviewers) see every result at every stage;
- a subject's responsible user sees their own subject's result and may appeal:
  the section head of a unit (or of a unit above it), the person themself, the
  leader of a task force, and for the organisation itself its principal leaders;
- everyone else in the organisation sees results once published (notice, final);
- another organisation's assessment is a 404.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _

from jixiao.assessments.calendar import notice_window
from jixiao.assessments.inputs import ballot_results
from jixiao.assessments.models import (
    Appeal,
    AppealStatus,
    Assessment,
    Score,
    SelfEvaluation,
    Status,
    Subject,
    Veto,
)
from jixiao.assessments.nodes import Entry, scheme_of, scored_entries, self_entries
from jixiao.assessments.sources import BALLOT, FedSource, FedSources, fed_sources
from jixiao.engine.numbers import plain
from jixiao.organisation.access import Access
from jixiao.organisation.models import Role
from jixiao.years.models import AssessmentYear
from jixiao.years.selectors import calendar_exceptions

PUBLISHED = (Status.NOTICE, Status.FINAL)


# --- permissions --------------------------------------------------------------------


def is_reviewer(access: Access) -> bool:
    return access.is_office or access.has(Role.REVIEWER)


def can_score(access: Access, assessment: Assessment) -> bool:
    """Reviewers score while scoring is open; the office also corrects during review."""
    if assessment.status == Status.SCORING:
        return is_reviewer(access)
    return assessment.status == Status.REVIEW and access.is_office


def can_see_results(access: Access, assessment: Assessment) -> bool:
    return is_reviewer(access) or assessment.status in PUBLISHED


def is_responsible(access: Access, subject: Subject) -> bool:
    """Whether the user answers for the subject (writes its self-evaluation, may appeal)."""
    person = access.person
    if subject.person_id is not None:
        return person is not None and subject.person_id == person.pk
    if subject.task_force_id is not None:
        return person is not None and subject.task_force.leader_id == person.pk
    if subject.unit_id == access.org.pk:
        return access.has(Role.PRINCIPAL_LEADER)
    return subject.unit_id in access.headed_unit_ids


def can_see_subject(access: Access, subject: Subject) -> bool:
    return can_see_results(access, subject.assessment) or is_responsible(access, subject)


def can_self_evaluate(access: Access, subject: Subject) -> bool:
    open_ = subject.assessment.status in (Status.SELF_EVALUATION, Status.SCORING)
    return open_ and (access.is_office or is_responsible(access, subject))


# --- assessments and subjects -------------------------------------------------------


def assessments_for(access: Access) -> QuerySet[Assessment]:
    return Assessment.objects.filter(year__org=access.org)


def assessment_list(access: Access, year: AssessmentYear) -> QuerySet[Assessment]:
    return (
        assessments_for(access)
        .filter(year=year)
        .select_related("period", "scheme_version__scheme")
        .annotate(
            subject_count=Count("subjects", distinct=True),
            pending_appeals=Count(
                "subjects__appeals",
                filter=Q(subjects__appeals__status=AppealStatus.PENDING),
                distinct=True,
            ),
        )
        .order_by("period__start", "-period__end", "subject_kind")
    )


def assessment_get(access: Access, assessment_id: int) -> Assessment:
    """The assessment if it belongs to the user's organisation, else 404."""
    return get_object_or_404(
        assessments_for(access).select_related("year__org", "period", "scheme_version__scheme"),
        pk=assessment_id,
    )


def _subjects(assessment: Assessment) -> QuerySet[Subject]:
    return assessment.subjects.select_related("unit", "person__unit", "task_force__leader")


def subject_get(assessment: Assessment, subject_id: int) -> Subject:
    subject = get_object_or_404(_subjects(assessment), pk=subject_id)
    subject.assessment = assessment  # share the already-loaded row
    return subject


@dataclass
class SubjectRow:
    subject: Subject
    tied: bool = False  # another subject has the same rank
    pending_appeal: bool = False
    has_self_evaluation: bool = False
    approved_vetoes: int = 0
    responsible: bool = False


def subject_table(access: Access, assessment: Assessment) -> list[SubjectRow]:
    """The subjects the user may see, ranked (ties by name), in a fixed number of queries."""
    subjects = list(
        _subjects(assessment).annotate(
            pending=Count("appeals", filter=Q(appeals__status=AppealStatus.PENDING), distinct=True),
            vetoed=Count("vetoes", filter=Q(vetoes__status="approved"), distinct=True),
            self_count=Count("self_evaluation", distinct=True),
        )
    )
    for subject in subjects:
        subject.assessment = assessment
    if not can_see_results(access, assessment):
        subjects = [s for s in subjects if is_responsible(access, s)]
    subjects.sort(key=lambda s: (s.rank is None, s.rank or 0, s.label))
    rank_counts: dict[int, int] = {}
    for s in subjects:
        if s.rank is not None:
            rank_counts[s.rank] = rank_counts.get(s.rank, 0) + 1
    return [
        SubjectRow(
            subject=s,
            tied=s.rank is not None and rank_counts[s.rank] > 1,
            pending_appeal=bool(s.pending),
            has_self_evaluation=bool(s.self_count),
            approved_vetoes=s.vetoed,
            responsible=is_responsible(access, s),
        )
        for s in subjects
    ]


# --- scoring page -------------------------------------------------------------------


@dataclass
class ScoreCell:
    entry: Entry
    score: Score | None
    self_score: str = ""
    # What the form shows: the user's own input when it was not saved.
    value: str = ""
    reason: str = ""
    version: int = 0
    original: str = ""
    original_reason: str = ""
    errors: list[str] = field(default_factory=list)
    conflict: str = ""


@dataclass(frozen=True)
class FedLine:
    """A node another source feeds, shown read-only on the scoring card."""

    entry: Entry
    source: FedSource
    text: str  # e.g. 民主测评《第一季度民主测评》：88.50（有效票 12 张）
    url: str  # the round's results page


@dataclass
class ScoringCard:
    subject: Subject
    cells: list[ScoreCell]
    self_evaluation: SelfEvaluation | None
    ledger_nodes: list[str]
    fed: list[FedLine] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # problems not tied to an input

    @property
    def missing(self) -> int:
        return sum(1 for c in self.cells if c.score is None and not c.entry.optional)


def scoring_card(
    subject: Subject, entries: list[Entry], scores: list[Score], self_eval
) -> ScoringCard:
    by_node = {s.node: s for s in scores}
    self_scores = self_eval.self_scores if self_eval else {}
    cells = []
    for entry in entries:
        score = by_node.get(entry.key)
        shown = plain(score.value) if score else ""
        cells.append(
            ScoreCell(
                entry=entry,
                score=score,
                self_score=self_scores.get(entry.key, ""),
                value=shown,
                reason=score.reason if score else "",
                version=score.version if score else 0,
                original=shown,
                original_reason=score.reason if score else "",
            )
        )
    return ScoringCard(subject=subject, cells=cells, self_evaluation=self_eval, ledger_nodes=[])


def scoring_entries(assessment: Assessment, sources: FedSources | None = None) -> list[Entry]:
    """The scored entries, less the nodes a round feeds for every subject."""
    if sources is None:
        sources = fed_sources(assessment)
    return scored_entries(scheme_of(assessment), sources.everywhere())


def _fed_text(source: FedSource, result) -> str:
    """The source and, once its round is closed, the value it gives the node."""
    if source.kind == BALLOT:
        head = _("民主测评《%(title)s》") % {"title": source.title}
        if not source.closed:
            return head + _("：测评进行中，结束后自动计入")
        if result is None or result.score is None:
            reason = getattr(result, "reason", "")
            return head + _("：有效票不足，不计分") + (f"（{reason}）" if reason else "")
        return head + _("：%(score)s（有效票 %(valid)s 张）") % {
            "score": result.score,
            "valid": result.valid,
        }
    head = _("公众评议《%(title)s》") % {"title": source.title}
    if not source.closed:
        return head + _("：评议进行中，结束后自动计入")
    if result is None:
        return head + _("：答卷不足，不公布")
    margin = f" ± {result.margin}" if result.margin is not None else ""
    return head + _("：%(score)s%(margin)s（%(valid)s 份答卷）") % {
        "score": result.score,
        "margin": margin,
        "valid": result.valid,
    }


def _fed_url(source: FedSource) -> str:
    if source.kind == BALLOT:
        return reverse("ballots:results", args=[source.round_id])
    return reverse("appraisal_results:detail", args=[source.round_id])


def scoring_cards(assessment: Assessment, subject_id: int | None = None) -> list[ScoringCard]:
    """Every subject (or one) with its scored entries, current values and self-scores,
    and the nodes other sources feed, read-only with their values."""
    sources = fed_sources(assessment)
    entries = scoring_entries(assessment, sources)
    scheme = scheme_of(assessment)
    all_entries = {e.key: e for e in scored_entries(scheme)}
    # Values only from closed rounds, counted once for every card (as in aggregation).
    results = ballot_results(assessment) if any(s.closed for s in sources.values()) else {}
    subjects = _subjects(assessment).prefetch_related(
        Prefetch("scores", queryset=Score.objects.select_related("scored_by"))
    )
    subjects = subjects.select_related("self_evaluation")
    if subject_id is not None:
        subjects = subjects.filter(pk=subject_id)
    cards = []
    for subject in subjects.order_by("pk"):
        subject.assessment = assessment
        self_eval = _self_evaluation(subject)
        fed = {k: v for k, v in sources.for_subject(subject.pk).items() if k in all_entries}
        own = [e for e in entries if e.key not in fed]
        card = scoring_card(subject, own, list(subject.scores.all()), self_eval)
        card.fed = [
            FedLine(
                entry=all_entries[node],
                source=source,
                text=_fed_text(source, results.get(node, {}).get(subject.pk)),
                url=_fed_url(source),
            )
            for node, source in fed.items()
        ]
        cards.append(card)
    return cards


def _self_evaluation(subject: Subject) -> SelfEvaluation | None:
    try:
        return subject.self_evaluation
    except Subject.self_evaluation.RelatedObjectDoesNotExist:
        return None


def self_evaluation_entries(assessment: Assessment) -> list[Entry]:
    return self_entries(scheme_of(assessment), assessment.self_scores_all)


def subject_self_evaluation(subject: Subject) -> SelfEvaluation | None:
    return SelfEvaluation.objects.filter(subject=subject).select_related("submitted_by").first()


# --- vetoes and appeals -------------------------------------------------------------


def veto_list(assessment: Assessment, subject: Subject | None = None) -> QuerySet[Veto]:
    vetoes = Veto.objects.filter(subject__assessment=assessment)
    if subject is not None:
        vetoes = vetoes.filter(subject=subject)
    return (
        vetoes.select_related(
            "subject__unit", "subject__person", "subject__task_force", "proposed_by", "decided_by"
        )
        .prefetch_related("evidence")
        .order_by("-pk")
    )


def veto_get(assessment: Assessment, veto_id: int) -> Veto:
    return get_object_or_404(veto_list(assessment), pk=veto_id)


def appeal_list(assessment: Assessment, subject: Subject | None = None) -> QuerySet[Appeal]:
    appeals = Appeal.objects.filter(subject__assessment=assessment)
    if subject is not None:
        appeals = appeals.filter(subject=subject)
    return appeals.select_related(
        "subject__unit", "subject__person", "subject__task_force", "filed_by", "decided_by"
    ).order_by("filed_at")


def appeal_get(assessment: Assessment, appeal_id: int) -> Appeal:
    appeal = get_object_or_404(appeal_list(assessment), pk=appeal_id)
    appeal.subject.assessment = assessment
    return appeal


# --- the to-do page -----------------------------------------------------------------


@dataclass(frozen=True)
class Todo:
    kind: str  # "score" | "self_evaluation" | "appeal"
    label: str
    url: str
    assessment: Assessment
    subject: Subject | None = None
    count: int = 1


def todo_for(access: Access) -> list[Todo]:
    """Scores to enter (reviewers), self-evaluations due (responsible users), appeals to
    decide (the office), in the user's organisation."""
    todos: list[Todo] = []
    open_ = (
        assessments_for(access)
        .exclude(status=Status.FINAL)
        .select_related("period", "scheme_version__scheme", "year")
    )
    for assessment in open_:
        if assessment.status == Status.SCORING and is_reviewer(access):
            sources = fed_sources(assessment)
            entries = [e for e in scoring_entries(assessment, sources) if not e.optional]
            keys = {e.key for e in entries}
            subject_ids = list(assessment.subjects.values_list("pk", flat=True))
            # Per subject: an appraisal round feeds a node for the units it rates only.
            wanted = {
                (pk, key)
                for pk in subject_ids
                for key in keys
                if not (key in sources and sources[key].feeds(pk))
            }
            done = Score.objects.filter(subject__assessment=assessment, node__in=keys)
            missing = len(wanted - set(done.values_list("subject_id", "node")))
            if missing > 0:
                todos.append(
                    Todo(
                        kind="score",
                        label=f"{assessment.name}：{missing} 项待评分",
                        url=reverse("assessment:scoring", args=[assessment.pk]),
                        assessment=assessment,
                        count=missing,
                    )
                )
        if assessment.status in (Status.SELF_EVALUATION, Status.SCORING):
            due = _subjects(assessment).filter(self_evaluation__isnull=True)
            for subject in due:
                subject.assessment = assessment
                if is_responsible(access, subject):
                    todos.append(
                        Todo(
                            kind="self_evaluation",
                            label=f"{assessment.name}：{subject.label} 自评报告待提交",
                            url=reverse(
                                "assessment:self_evaluation", args=[assessment.pk, subject.pk]
                            ),
                            assessment=assessment,
                            subject=subject,
                        )
                    )
        if assessment.status == Status.NOTICE and access.is_office:
            pending = list(appeal_list(assessment).filter(status=AppealStatus.PENDING))
            for appeal in pending:
                todos.append(
                    Todo(
                        kind="appeal",
                        label=f"{assessment.name}：{appeal.subject.label} 的申诉待处理",
                        url=reverse("assessment:appeal_decide", args=[assessment.pk, appeal.pk]),
                        assessment=assessment,
                        subject=appeal.subject,
                    )
                )
    return todos


def notice_explanation(assessment: Assessment) -> str:
    """How the notice's end date was counted: "5 个工作日，已跳过国庆节假日".

    Recounted from the organisation's calendar as it is now; if the office changed
    the calendar after publishing, the stored end date stands and the page says so.
    """
    if assessment.notice_start is None or assessment.notice_end is None:
        return ""
    holidays, workdays = calendar_exceptions(assessment.year.org_id, after=assessment.notice_start)
    window = notice_window(
        assessment.notice_start, assessment.notice_days, holidays=holidays, workdays=workdays
    )
    parts = [_("%(days)s 个工作日") % {"days": assessment.notice_days}]
    if window.end != assessment.notice_end:
        parts.append(_("按发布时的工作日历计算，此后日历有修改"))
        return _("，").join(parts)
    if window.skipped:
        parts.append(_("已跳过%(names)s假日") % {"names": _("、").join(window.skipped)})
    if window.makeup:
        days = _("、").join(
            _("%(month)s月%(day)s日") % {"month": d.month, "day": d.day} for d in window.makeup
        )
        parts.append(_("含调休上班日 %(days)s") % {"days": days})
    if not window.skipped and not window.makeup:
        parts.append(_("期间无节假日"))
    return _("，").join(parts)
