"""The in-memory shape of a validated scheme.

A scheme is immutable once loaded: the loader checks everything, so the
evaluator can trust it ("a scheme that loads is a scheme that scores").
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum


class Kind(StrEnum):
    WEIGHTED = "weighted"  # weighted average of weighted children, weights sum to 100
    SUM = "sum"  # plain sum of its parts' points (基础分 + 效果分)
    SPLIT = "split"  # shorthand for weighted with generated score parts (90/5/5)
    COUPLED = "coupled"  # share x own + (1 - share) x unit
    SCORE = "score"  # leaf: a score on a scale min..max
    DEDUCTIONS = "deductions"  # leaf: list of deduction points, total capped
    COUNTED = "counted"  # leaf: occurrences x points each, capped, floored
    BONUSES = "bonuses"  # leaf: list of bonus points, capped per item and in total


INNER_KINDS = frozenset({Kind.WEIGHTED, Kind.SUM, Kind.SPLIT, Kind.COUPLED})
LIST_KINDS = frozenset({Kind.DEDUCTIONS, Kind.BONUSES})
# Kinds that may stand beside weighted siblings without a weight: their points
# are added to (bonuses) or taken from (deductions) the parent's score.
ADJUSTMENT_KINDS = frozenset({Kind.DEDUCTIONS, Kind.COUNTED, Kind.BONUSES})

ROOT_ID = "total"


class VetoEffect(StrEnum):
    AWARD = "award_ineligible"  # award eligibility lost; total and grade unchanged
    GRADE = "grade"  # grade forced to a named band
    ZERO = "zero"  # total becomes 0


@dataclass(frozen=True)
class Node:
    id: str
    name: str
    kind: Kind
    parent: str | None
    children: tuple[str, ...] = ()
    weight: Decimal | None = None  # percent of the parent; None for adjustments and sum parts
    optional: bool = False
    min: Decimal = Decimal(0)  # scale of a score leaf
    max: Decimal = Decimal(100)
    base: Decimal | None = None  # deductions / counted: score = base - points
    cap: Decimal | None = None  # total cap of deductions, bonuses, counted; ceiling of inner
    item_cap: Decimal | None = None  # bonuses: cap of each item
    per: Decimal | None = None  # counted: points per occurrence
    fact: str | None = None  # counted: the fact holding the count (default: the node's own id)
    share: Decimal | None = None  # coupled: the own part's share, 0 < share <= 1
    own: str | None = None  # coupled: id of the own part
    unit: str | None = None  # coupled: id of the unit part
    rule: str = ""  # the rule text a scorer reads (评分标准)
    line: int | None = None  # where the node is declared in its file
    # Computed at load time from the subtree:
    full: Decimal = Decimal(100)  # full marks: what the parent normalises to 100
    low: Decimal | None = Decimal(0)  # lowest score the node can produce (None: unbounded)
    high: Decimal | None = Decimal(100)  # highest score the node can produce (None: unbounded)

    @property
    def is_leaf(self) -> bool:
        return self.kind not in INNER_KINDS

    @property
    def is_adjustment(self) -> bool:
        """Points added to or taken from the parent rather than averaged."""
        return self.kind in ADJUSTMENT_KINDS and self.base is None


@dataclass(frozen=True)
class Fact:
    id: str
    name: str
    min: Decimal | None = None
    max: Decimal | None = None
    integer: bool = False
    line: int | None = None


@dataclass(frozen=True)
class GradeBand:
    name: str
    min: Decimal | None  # inclusive lower bound; None for the lowest band ("else")
    line: int | None = None


@dataclass(frozen=True)
class EligibilityRule:
    fact: str
    op: str  # one of > >= < <=
    value: Decimal
    reason: str
    line: int | None = None

    def triggered(self, fact_value: Decimal) -> bool:
        return {
            ">": fact_value > self.value,
            ">=": fact_value >= self.value,
            "<": fact_value < self.value,
            "<=": fact_value <= self.value,
        }[self.op]


@dataclass(frozen=True)
class VetoPolicy:
    categories: tuple[str, ...] = ()
    effect: VetoEffect = VetoEffect.AWARD
    grade: str | None = None  # for VetoEffect.GRADE


@dataclass(frozen=True)
class Scheme:
    id: str
    name: str
    version: str
    nodes: dict[str, Node]  # every node by id, the root under ROOT_ID, in file order
    facts: dict[str, Fact] = field(default_factory=dict)
    grades: tuple[GradeBand, ...] = ()  # highest band first
    vetoes: VetoPolicy = field(default_factory=VetoPolicy)
    eligibility: tuple[EligibilityRule, ...] = ()
    award_min_grade: str | None = None
    source: str = ""  # the document the scheme implements
    description: str = ""
    # Whether people's rankings and grades go on the public disclosure pages (政务公开栏);
    # units' results always do once published.
    disclose_people: bool = False

    @property
    def root(self) -> Node:
        return self.nodes[ROOT_ID]

    def walk(self, node_id: str = ROOT_ID, depth: int = 0):
        """Yield (node, depth) in tree order."""
        node = self.nodes[node_id]
        yield node, depth
        for child in node.children:
            yield from self.walk(child, depth + 1)

    def grade_for(self, total: Decimal) -> str | None:
        for band in self.grades:
            if band.min is None or total >= band.min:
                return band.name
        return None
