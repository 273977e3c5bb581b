"""Score one subject against a scheme and explain every number.

Arithmetic is exact Decimal in a 60-digit context; the only rounding is the
final total, half-up to two decimals, and the grade is read from that rounded
total (what is published is what is graded).
"""

from __future__ import annotations

import decimal
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from .inputs import Inputs, check_inputs, subtree_given
from .model import ROOT_ID, Kind, Node, Scheme, VetoEffect
from .numbers import CONTEXT, HUNDRED, ZERO, plain, round_total

ROUNDING_NOTE = "total rounded half-up to 2 decimals; grade read from the rounded total"


@dataclass
class NodeResult:
    node: Node
    score: Decimal  # points on the node's own scale; signed points for adjustments
    present: bool = True
    given: bool = False  # a value was given at this node and stands for its subtree
    input: Any = None  # what was given: a number, or the list of items
    effective_weight: Decimal | None = None  # after optional parts carve out their share
    normalised: Decimal | None = None  # score x 100 / full marks, as the parent averages it
    contribution: Decimal | None = None  # what this node adds to its parent
    formula: str = ""  # the arithmetic, in symbols
    caps: list[dict[str, str]] = field(default_factory=list)
    evidence: tuple[str, ...] = ()
    children: list[NodeResult] = field(default_factory=list)

    def _inner_formula(self) -> str:
        # Built only when a breakdown is rendered: scoring 100,000 subjects needs no text.
        terms = []
        for child in self.children:
            if not child.present:
                continue
            if child.normalised is not None and self.node.kind is not Kind.SUM:
                terms.append(f"{plain(child.normalised)} × {plain(child.effective_weight)}%")
            else:
                terms.append(f"({plain(child.score)})" if child.score < 0 else plain(child.score))
        return " + ".join(terms)

    def to_dict(self) -> dict[str, Any]:
        node = self.node
        out: dict[str, Any] = {"id": node.id, "name": node.name, "kind": node.kind.value}
        if not self.present:
            out["present"] = False
            out["note"] = "optional item not given; its weight returns to its siblings"
            return out
        out["input"] = self.input
        if self.given and node.children:
            out["given_at_node"] = True
        out["score"] = self.score
        out["full"] = node.full
        if node.weight is not None:
            out["weight"] = node.weight
        if self.effective_weight is not None and self.effective_weight != node.weight:
            out["effective_weight"] = self.effective_weight
        if self.normalised is not None:
            out["normalised"] = self.normalised
        if self.contribution is not None:
            out["contribution"] = self.contribution
        formula = self.formula or self._inner_formula()
        if formula:
            out["formula"] = formula
        if self.caps:
            out["caps"] = self.caps
        if self.evidence:
            out["evidence"] = list(self.evidence)
        if self.children:
            out["children"] = [child.to_dict() for child in self.children]
        return out


@dataclass
class Result:
    scheme: Scheme
    total: Decimal  # rounded
    exact_total: Decimal
    grade: str
    award_eligible: bool
    reasons: list[str]
    root: NodeResult
    facts: dict[str, Decimal]
    vetoes: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        breakdown: dict[str, Any] = {
            "scheme": self.scheme.id,
            "version": self.scheme.version,
            "exact_total": self.exact_total,
            "rounding": ROUNDING_NOTE,
        }
        if self.vetoes:
            breakdown["vetoes"] = {
                "categories": list(self.vetoes),
                "effect": self.scheme.vetoes.effect.value,
            }
        if self.facts:
            breakdown["facts"] = self.facts
        breakdown["tree"] = self.root.to_dict()
        return {
            "total": self.total,
            "grade": self.grade,
            "award_eligible": self.award_eligible,
            "reasons": self.reasons,
            "breakdown": breakdown,
        }


def evaluate(
    scheme: Scheme,
    values: Mapping[str, object],
    vetoes: Iterable[str] = (),
    evidence: Mapping[str, Iterable[str]] | None = None,
) -> Result:
    """Score one subject. Raises InputError naming every bad or missing value."""
    inputs = check_inputs(scheme, values, vetoes, evidence)
    with decimal.localcontext(CONTEXT):
        root = _score(scheme, ROOT_ID, inputs)
        exact = root.score
        reasons: list[str] = []
        effect = scheme.vetoes.effect
        if inputs.vetoes and effect is VetoEffect.ZERO:
            exact = ZERO
        total = round_total(exact)
        grade = scheme.grade_for(total)
        if inputs.vetoes and effect is VetoEffect.GRADE:
            grade = scheme.vetoes.grade
        for category in inputs.vetoes:
            reasons.append(f"一票否决：{category}")
        for rule in scheme.eligibility:
            value = inputs.numbers[rule.fact]
            if rule.triggered(value):
                reasons.append(f"{rule.reason}（{scheme.facts[rule.fact].name} {plain(value)}）")
        if scheme.award_min_grade is not None and not _grade_at_least(scheme, grade):
            reasons.append(f"等次为{grade}，未达到{scheme.award_min_grade}")
    facts = {key: inputs.numbers[key] for key in scheme.facts if key in inputs.numbers}
    return Result(
        scheme=scheme,
        total=total,
        exact_total=exact,
        grade=grade,
        award_eligible=not reasons,
        reasons=reasons,
        root=root,
        facts=facts,
        vetoes=inputs.vetoes,
    )


def _grade_at_least(scheme: Scheme, grade: str) -> bool:
    names = [band.name for band in scheme.grades]  # highest first
    return names.index(grade) <= names.index(scheme.award_min_grade)


def _score(scheme: Scheme, node_id: str, inputs: Inputs) -> NodeResult:
    node = scheme.nodes[node_id]
    evidence = inputs.evidence.get(node_id, ())
    if node.optional and not subtree_given(scheme, node_id, inputs):
        return NodeResult(node=node, score=ZERO, present=False)
    if node_id in inputs.numbers and node.kind is not Kind.COUNTED:
        value = inputs.numbers[node_id]
        return NodeResult(node=node, score=value, given=True, input=value, evidence=evidence)
    if node.kind is Kind.SCORE:
        raise AssertionError("checked inputs always give a score leaf")  # pragma: no cover
    if node.kind in (Kind.DEDUCTIONS, Kind.BONUSES, Kind.COUNTED):
        result = _leaf_points(node, inputs)
        result.evidence = evidence + tuple(
            item.ref for item in inputs.items.get(node_id, ()) if item.ref
        )
        return result
    children = [_score(scheme, child, inputs) for child in node.children]
    if node.kind is Kind.SUM:
        result = _sum(node, children)
    elif node.kind is Kind.COUPLED:
        result = _coupled(node, children)
    else:
        result = _weighted(node, children)
    result.evidence = evidence
    _floor_and_cap(result)
    return result


def _leaf_points(node: Node, inputs: Inputs) -> NodeResult:
    if node.kind is Kind.COUNTED:
        count = inputs.numbers[node.fact or node.id]
        raw = node.per * count
        shown_input: Any = count
        formula = f"{plain(node.per)} × {plain(count)}"
    else:
        items = inputs.items[node.id]
        if node.item_cap is not None:
            capped = [min(item.points, node.item_cap) for item in items]
        else:
            capped = [item.points for item in items]
        raw = sum(capped, ZERO)
        shown_input = [
            {"points": item.points, "ref": item.ref} if item.ref else item.points for item in items
        ]
        formula = " + ".join(plain(p) for p in capped) if capped else "0"
    caps = []
    if node.item_cap is not None:
        over = [item for item in inputs.items[node.id] if item.points > node.item_cap]
        if over:
            caps.append(
                {"rule": "item_cap", "limit": plain(node.item_cap), "items_capped": str(len(over))}
            )
    points = raw
    if node.cap is not None and raw > node.cap:
        caps.append({"rule": "cap", "limit": plain(node.cap), "before": plain(raw)})
        points = node.cap
        formula = f"min({plain(node.cap)}, {formula})"
    if node.kind is Kind.BONUSES:
        return NodeResult(node=node, score=points, input=shown_input, formula=formula, caps=caps)
    if node.base is None:  # an adjustment: points taken from the parent
        return NodeResult(
            node=node, score=-points, input=shown_input, formula=f"−{formula}", caps=caps
        )
    score = node.base - points
    formula = f"{plain(node.base)} − {formula}"
    if score < 0:
        caps.append({"rule": "floor", "limit": "0", "before": plain(score)})
        score = ZERO
    return NodeResult(node=node, score=score, input=shown_input, formula=formula, caps=caps)


def _weighted(node: Node, children: list[NodeResult]) -> NodeResult:
    present_optional = [c for c in children if c.node.optional and c.present]
    carved = sum((c.node.weight for c in present_optional), ZERO)
    factor = (HUNDRED - carved).scaleb(-2)
    total = ZERO
    for child in children:
        if not child.present:
            continue
        if child.node.is_adjustment:
            child.contribution = child.score
        else:
            weight = child.node.weight if child.node.optional else child.node.weight * factor
            child.effective_weight = weight
            if child.node.full == HUNDRED:  # the common case: shift digits, no division
                child.normalised = child.score
                child.contribution = (child.score * weight).scaleb(-2)
            else:
                child.normalised = child.score * HUNDRED / child.node.full
                child.contribution = child.score * weight / child.node.full
        total += child.contribution
    return NodeResult(node=node, score=total, children=children)


def _sum(node: Node, children: list[NodeResult]) -> NodeResult:
    total = ZERO
    for child in children:
        if child.present:
            child.contribution = child.score
            total += child.score
    return NodeResult(node=node, score=total, children=children)


def _coupled(node: Node, children: list[NodeResult]) -> NodeResult:
    share = node.share
    total = ZERO
    for child in children:
        if child.node.is_adjustment:
            child.contribution = child.score
        else:
            part = share if child.node.id == node.own else 1 - share
            child.effective_weight = part * HUNDRED
            child.normalised = child.score * HUNDRED / child.node.full
            child.contribution = child.score * HUNDRED * part / child.node.full
        total += child.contribution
    formula = f"{plain(share)} × own + {plain(1 - share)} × unit"
    return NodeResult(node=node, score=total, formula=formula, children=children)


def _floor_and_cap(result: NodeResult) -> None:
    node = result.node
    if result.score < 0:
        result.caps.append({"rule": "floor", "limit": "0", "before": plain(result.score)})
        result.score = ZERO
    if node.cap is not None and result.score > node.cap:
        result.caps.append({"rule": "cap", "limit": plain(node.cap), "before": plain(result.score)})
        result.score = node.cap
