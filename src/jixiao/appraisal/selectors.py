"""Reads for the respondent side and the results of public appraisal.

``round_results``: per unit (the units of the questionnaire's scale items) the
satisfaction index of ``jixiao.appraisal.statistics`` — each respondent's score
for a unit is the mean points of their answers to that unit's scale items; the
index is post-stratified by the frame's active respondents per stratum —, per
stratum the response rate and post-stratification weight, and per question the
distribution of answers. Groups under the round's ``min_group`` are suppressed
(shown as "—", never as a number); when a published index would give away the
one suppressed stratum's mean, one more stratum is withheld (complementary
suppression, see ``statistics``). Five queries whatever the round's size.

The office's list pages live in ``selectors_office.py``.
"""

from __future__ import annotations

import decimal
from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _

from jixiao.appraisal.models import (
    AppraisalRound,
    Disposition,
    InvitationCode,
    Question,
    QuestionKind,
    Respondent,
    Response,
    RoundStatus,
    SampleMember,
)
from jixiao.appraisal.responses import code_hash, code_normalise
from jixiao.appraisal.statistics import (
    DEFAULT_POINTS,
    IndexResult,
    StratumResult,
    for_display,
    poststrat_weights,
    respondent_score,
    satisfaction_index,
)
from jixiao.engine.numbers import plain
from jixiao.organisation.access import Access
from jixiao.organisation.models import Role, Unit

SCALE_LABELS: dict[int, str] = {
    5: _("非常满意"),
    4: _("满意"),
    3: _("基本满意"),
    2: _("不满意"),
    1: _("非常不满意"),
}


# --- the survey page ------------------------------------------------------------------


def invitation_for_code(raw: str) -> InvitationCode | None:
    """The unused code of a collecting round, with its round and questionnaire; else None.

    One query. Unknown, used and closed come back the same on purpose: the page
    must not tell a guesser which codes exist.
    """
    code = code_normalise(raw)
    if not code:
        return None
    return (
        InvitationCode.objects.select_related("round__questionnaire")
        .filter(code_hash=code_hash(code), used=False, round__status=RoundStatus.COLLECTING)
        .first()
    )


def questionnaire_questions(questionnaire_id: int) -> list[Question]:
    return list(
        Question.objects.filter(questionnaire_id=questionnaire_id)
        .select_related("unit")
        .order_by("order", "pk")
    )


# --- who may read ---------------------------------------------------------------------


def can_read_results(access: Access) -> bool:
    """The office and the leaders (领导小组 reviewers and the principal leader)."""
    return access.is_office or access.has(Role.REVIEWER, Role.PRINCIPAL_LEADER)


def round_get(access: Access, round_id: int) -> AppraisalRound:
    """The round if it belongs to the user's organisation, else 404."""
    return get_object_or_404(
        AppraisalRound.objects.select_related("year", "period", "frame", "questionnaire"),
        pk=round_id,
        org=access.org,
    )


# --- results --------------------------------------------------------------------------


def _percent(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), decimal.ROUND_HALF_UP)


def round_points(appraisal_round: AppraisalRound) -> dict[int, Decimal]:
    """Answer level → points; the round's own table over the default one."""
    points = dict(DEFAULT_POINTS)
    for level, value in (appraisal_round.points or {}).items():
        points[int(level)] = Decimal(str(value))
    return points


@dataclass
class StratumLine:
    name: str
    result: StratumResult

    @property
    def mean(self) -> Decimal | None:
        return for_display(self.result.mean)

    @property
    def weight(self) -> Decimal | None:
        return None if self.result.weight is None else for_display(self.result.weight * 100)

    @property
    def complementary(self) -> bool:
        """Withheld only so that the other suppressed stratum's mean cannot be derived."""
        return self.result.complementary


@dataclass
class UnitIndex:
    unit: Unit
    questions: list[Question]
    result: IndexResult

    @property
    def index(self) -> Decimal | None:
        return for_display(self.result.index)

    @property
    def margin(self) -> Decimal | None:
        return for_display(self.result.margin)

    @property
    def strata(self) -> list[StratumLine]:
        return [StratumLine(name, r) for name, r in self.result.by_stratum.items()]

    @property
    def single_answer_strata(self) -> list[str]:
        """Strata with one answer: no spread to measure, so the margin understates."""
        return [name for name, r in self.result.by_stratum.items() if r.n == 1]


@dataclass(frozen=True)
class PointsRow:
    level: int
    label: str
    points: Decimal

    @property
    def display(self) -> str:
        return plain(self.points)


def points_table(appraisal_round: AppraisalRound) -> list[PointsRow]:
    """The round's answer points, best answer first, for the results page's explanation."""
    points = round_points(appraisal_round)
    return [PointsRow(level, str(label), points[level]) for level, label in SCALE_LABELS.items()]


@dataclass
class StratumRate:
    name: str
    population: int  # active respondents in the frame
    drawn: int  # sample members, replaced ones included
    responses: int
    statuses: dict[str, int]  # disposition → members
    weight: Decimal | None  # post-stratification weight w_h (None: no responses)

    @property
    def rate(self) -> Decimal | None:
        return _percent(self.responses, self.drawn)

    @property
    def weight_display(self) -> Decimal | None:
        return None if self.weight is None else self.weight.quantize(Decimal("0.001"))

    def count(self, disposition: str) -> int:
        return self.statuses.get(disposition, 0)

    @property
    def completed(self) -> int:
        return self.count(Disposition.COMPLETED)

    @property
    def refused(self) -> int:
        return self.count(Disposition.REFUSED)

    @property
    def no_answer(self) -> int:
        return self.count(Disposition.NO_ANSWER)

    @property
    def wrong_number(self) -> int:
        return self.count(Disposition.WRONG_NUMBER)


@dataclass
class Distribution:
    number: int
    question: Question
    answered: int
    suppressed: bool
    rows: list[tuple[str, int, Decimal | None]] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)  # free-text answers, when not suppressed


@dataclass
class RoundResults:
    round: AppraisalRound
    responses: int
    units: list[UnitIndex]
    overall: IndexResult  # every scale item of the questionnaire
    strata: list[StratumRate]
    distributions: list[Distribution]
    excluded: dict[str, int] = field(default_factory=dict)  # stratum not in frame → responses

    def for_unit(self, unit_id: int) -> UnitIndex | None:
        return next((u for u in self.units if u.unit.pk == unit_id), None)

    @property
    def overall_strata(self) -> list[StratumLine]:
        return [StratumLine(name, r) for name, r in self.overall.by_stratum.items()]


def round_population(appraisal_round: AppraisalRound) -> dict[str, int]:
    """Active respondents per stratum in the round's frame: the N_h of the weights."""
    return {
        row["stratum"]: row["n"]
        for row in Respondent.objects.filter(frame_id=appraisal_round.frame_id, active=True)
        .values("stratum")
        .annotate(n=Count("pk"))
        .order_by("stratum")
    }


def _scores(
    answers: list[tuple[str, dict]], item_ids: list[str], points: Mapping[int, Decimal]
) -> dict[str, list[Decimal]]:
    scores: dict[str, list[Decimal]] = defaultdict(list)
    for stratum, given in answers:
        levels = [int(given[i]) for i in item_ids if isinstance(given.get(i), int)]
        score = respondent_score(levels, points)
        if score is not None:
            scores[stratum].append(score)
    return scores


def _distribution(
    number: int, question: Question, answers: list[tuple[str, dict]], min_group: int
) -> Distribution:
    key = str(question.pk)
    given = [a[key] for _s, a in answers if key in a]
    answered = len(given)
    suppressed = answered < min_group
    result = Distribution(
        number=number, question=question, answered=answered, suppressed=suppressed
    )
    if suppressed:
        return result
    if question.kind == QuestionKind.TEXT:
        result.texts = sorted(str(t) for t in given)
        return result
    counts: Counter = Counter()
    if question.kind == QuestionKind.MULTIPLE:
        for chosen in given:
            counts.update(chosen)
    else:
        counts.update(given)
    if question.kind == QuestionKind.SCALE:
        labels = [(level, str(label)) for level, label in SCALE_LABELS.items()]
    else:
        labels = list(enumerate(question.options))
    # Percent of those who answered the question (multiple choice may pass 100% in sum).
    result.rows = [(label, counts[k], _percent(counts[k], answered)) for k, label in labels]
    return result


def round_results(appraisal_round: AppraisalRound) -> RoundResults:
    """Everything the results page shows, and the index the assessments read."""
    min_group = appraisal_round.min_group
    points = round_points(appraisal_round)
    questions = questionnaire_questions(appraisal_round.questionnaire_id)
    population = round_population(appraisal_round)
    all_answers = list(
        Response.objects.filter(round_id=appraisal_round.pk).values_list("stratum", "answers")
    )
    # A stratum no longer in the frame (edited after the draw) has no weight: its
    # answers cannot be post-stratified and are reported apart, not silently mixed in.
    excluded = Counter(s for s, _a in all_answers if population.get(s, 0) <= 0)
    answers = [(s, a) for s, a in all_answers if population.get(s, 0) > 0]

    by_unit: dict[int, list[Question]] = defaultdict(list)
    units: dict[int, Unit] = {}
    for q in questions:
        if q.kind == QuestionKind.SCALE and q.unit_id is not None:
            by_unit[q.unit_id].append(q)
            units[q.unit_id] = q.unit
    unit_results = [
        UnitIndex(
            unit=units[unit_id],
            questions=items,
            result=satisfaction_index(
                _scores(answers, [str(q.pk) for q in items], points),
                population,
                min_group=min_group,
            ),
        )
        for unit_id, items in by_unit.items()
    ]
    scale_ids = [str(q.pk) for q in questions if q.kind == QuestionKind.SCALE]
    overall = satisfaction_index(
        _scores(answers, scale_ids, points), population, min_group=min_group
    )

    responded = Counter(s for s, _a in answers)
    weights = poststrat_weights(population, responded)
    statuses: dict[str, dict[str, int]] = defaultdict(dict)
    for row in (
        SampleMember.objects.filter(round_id=appraisal_round.pk)
        .values("stratum", "status")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        statuses[row["stratum"]][row["status"]] = row["n"]
    names = sorted(set(population) | set(statuses))
    strata = [
        StratumRate(
            name=name,
            population=population.get(name, 0),
            drawn=sum(statuses[name].values()),
            responses=responded.get(name, 0),
            statuses=dict(statuses[name]),
            weight=weights.get(name),
        )
        for name in names
    ]
    distributions = [
        _distribution(number, q, all_answers, min_group)
        for number, q in enumerate(questions, start=1)
    ]
    return RoundResults(
        round=appraisal_round,
        responses=len(all_answers),
        units=unit_results,
        overall=overall,
        strata=strata,
        distributions=distributions,
        excluded=dict(excluded),
    )
