"""The engine input of one subject, gathered from everything recorded for it.

Sources, each feeding its own nodes:
- Score rows (leadership scoring): score leaves, counted leaves and facts;
- the self-evaluation: nodes whose id ends in ``.self``;
- approved vetoes (proposed or rejected ones never count);
- the inspection ledger (``jixiao.inspections.selectors.ledger_items``): deduction
  and bonus lists; for a counted node, each live entry adds one to the count the
  scorers entered (so the scorers enter only what the ledger does not hold);
- ballot rounds (``jixiao.ballots.selectors.round_results``): the round's node;
- closed public appraisal rounds of the same period (``public_results``): the
  round's node (``public``) for each unit the questionnaire rates.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from jixiao.assessments.models import Subject, VetoStatus
from jixiao.assessments.nodes import is_self_node, list_nodes, scheme_of
from jixiao.engine import Kind
from jixiao.organisation.selectors import user_name

CHOICE_LABELS = {
    "excellent": "优秀",
    "competent": "称职",
    "basic": "基本称职",
    "incompetent": "不称职",
    "unknown": "不了解",
}


def ballot_results(assessment) -> dict[str, dict[int, Any]]:
    """node → {subject_id: result} for every ballot round of the assessment.

    Closed public appraisal rounds of its period are included (``public_results``).
    """
    # Only closed rounds count: a score must not move while people are still voting.
    rounds = list(assessment.ballot_rounds.filter(status="closed"))
    results: dict[str, dict[int, Any]] = {}
    if rounds:
        try:
            from jixiao.ballots.selectors import round_results
        except ImportError:  # the ballots area is not installed in this build
            rounds = []
        results = {r.node: round_results(r) for r in rounds}
    # Public appraisal after the ballots: a node both feed keeps its ballot round.
    for node_id, by_subject in public_results(assessment).items():
        results.setdefault(node_id, by_subject)
    return results


@dataclass(frozen=True)
class PublicIndex:
    """A unit's satisfaction index from a closed public appraisal round."""

    score: Decimal  # the index as published (2 places, half-up)
    margin: Decimal | None
    valid: int  # responses that rated the unit
    round_id: int
    round_name: str


class PublicResults(dict[int, PublicIndex | None]):
    """subject_id → PublicIndex (None: too few answers) for the subjects the round rates.

    Unlike a ballot round, which rates every subject, a questionnaire may rate
    some units only: the scorer's value stays for the others.
    """


def public_results(assessment) -> dict[str, PublicResults]:
    """node → PublicResults from closed appraisal rounds of the assessment's period and org."""
    try:
        from jixiao.appraisal.models import AppraisalRound
        from jixiao.appraisal.selectors import round_results as appraisal_round_results
    except ImportError:  # the appraisal area is not installed in this build
        return {}
    # Only closed rounds count, as for ballots; the latest closed round of a node wins.
    rounds = list(
        AppraisalRound.objects.filter(
            org_id=assessment.year.org_id, period_id=assessment.period_id, status="closed"
        ).order_by("pk")
    )
    if not rounds:
        return {}
    subject_of_unit = dict(
        assessment.subjects.filter(unit__isnull=False).values_list("unit_id", "pk")
    )
    results: dict[str, PublicResults] = {}
    for appraisal_round in rounds:
        by_subject = PublicResults()
        for unit in appraisal_round_results(appraisal_round).units:
            subject_id = subject_of_unit.get(unit.unit.pk)
            if subject_id is None:
                continue
            # A suppressed unit (too few answers) is still rated by the round: its
            # node is then missing, as for a ballot round with too few valid ballots.
            by_subject[subject_id] = (
                None
                if unit.index is None
                else PublicIndex(
                    score=unit.index,
                    margin=unit.margin,
                    valid=unit.result.n,
                    round_id=appraisal_round.pk,
                    round_name=appraisal_round.name,
                )
            )
        results[appraisal_round.node] = by_subject
    return results


def _fed_elsewhere(ballots: Mapping[str, Mapping[int, Any]], node: str, subject_id: int) -> bool:
    """Whether a ballot round or an appraisal round, not the scorers, feeds this node."""
    results = ballots.get(node)
    if results is None:
        return False
    return not isinstance(results, PublicResults) or subject_id in results


def _ledger(subject, assessment) -> dict[str, list[dict]]:
    try:
        from jixiao.inspections.selectors import ledger_items
    except ImportError:  # the inspections area is not installed in this build
        return {}
    return ledger_items(subject, assessment)


def _scorer(score) -> str:
    user = score.scored_by
    if user is None:
        return "评分人"
    return user_name(user)


def gather_inputs(
    subject: Subject, *, ballots: Mapping[str, Mapping[int, Any]] | None = None
) -> tuple[dict[str, object], list[str], dict[str, list[str]]]:
    """(values, vetoes, evidence) for ``jixiao.engine.evaluate``.

    ``ballots`` (from ``ballot_results``) saves re-counting the rounds for every
    subject when a whole assessment is aggregated.
    """
    assessment = subject.assessment
    scheme = scheme_of(assessment)
    if ballots is None:
        ballots = ballot_results(assessment)
    values: dict[str, object] = {}
    evidence: dict[str, list[str]] = {}

    def note(node_id: str, ref: str) -> None:
        evidence.setdefault(node_id, []).append(ref)

    counted_by_fact = {n.fact: n.id for n in scheme.nodes.values() if n.fact}
    for score in subject.scores.all():
        if _fed_elsewhere(ballots, score.node, subject.pk) or is_self_node(score.node):
            continue  # those nodes have their own source
        values[score.node] = score.value.normalize()
        node_id = counted_by_fact.get(score.node, score.node)
        if node_id in scheme.nodes:
            text = f"{_scorer(score)}评分 {values[score.node]:f}"
            note(node_id, f"{text}：{score.reason}" if score.reason else text)

    self_eval = getattr(subject, "self_evaluation", None) if _has_self(subject) else None
    if self_eval is not None:
        for key, raw in self_eval.self_scores.items():
            if is_self_node(key) and key in scheme.nodes:
                values[key] = Decimal(str(raw))
                note(key, "本人自评")

    for node_id in list_nodes(scheme):
        values.setdefault(node_id, [])
    for node_id, items in _ledger(subject, assessment).items():
        node = scheme.nodes.get(node_id)
        if node is not None and node.kind is Kind.COUNTED:
            if items:
                key = node.fact or node.id
                values[key] = Decimal(str(values.get(key, 0))) + len(items)
                for item in items:
                    note(node.id, item.get("ref") or "察访核验")
        else:
            values[node_id] = [
                {"points": item["points"], "ref": item["ref"]}
                if item.get("ref")
                else item["points"]
                for item in items
            ]

    for node_id, results in ballots.items():
        result = results.get(subject.pk)
        if result is None or result.score is None:
            continue  # too few valid ballots: the engine reports the node as missing
        values[node_id] = result.score
        if isinstance(result, PublicIndex):
            if node_id in scheme.nodes:
                margin = f" ± {result.margin}" if result.margin is not None else ""
                note(
                    node_id,
                    f"公众评议#{result.round_id}《{result.round_name}》{result.valid} 份有效答卷，"
                    f"指数 {result.score}{margin}",
                )
            continue
        counts = "、".join(f"{CHOICE_LABELS.get(c, c)} {n}" for c, n in result.counts.items() if n)
        if node_id in scheme.nodes:
            note(node_id, f"民主测评有效票 {result.valid} 张（{counts}）")

    vetoes = [v.category for v in subject.vetoes.all() if v.status == VetoStatus.APPROVED]
    return values, vetoes, evidence


def _has_self(subject: Subject) -> bool:
    try:
        subject.self_evaluation  # noqa: B018 - cached by select_related when batched
    except Subject.self_evaluation.RelatedObjectDoesNotExist:
        return False
    return True
