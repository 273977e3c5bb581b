"""What of a pinned scheme is entered by whom: scorers, the subject itself, ledgers, ballots.

- Leadership scoring: every ``score`` leaf (and ``counted`` leaf without a fact),
  and every fact, except nodes fed by a self-evaluation (id ending in ``.self``)
  or by a ballot round of the assessment.
- Self-evaluation: nodes whose id ends in ``.self`` feed the engine; when the
  office enables it, the subject may also self-score any scored leaf, for the
  reviewers' reference only.
- Ledgers: ``deductions`` and ``bonuses`` leaves take the inspection ledger
  (an empty ledger is given as []).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from jixiao.engine import Kind, Scheme
from jixiao.engine.numbers import plain

SELF_SUFFIX = ".self"
LIST_KINDS = (Kind.DEDUCTIONS, Kind.BONUSES)


def scheme_of(assessment) -> Scheme:
    return assessment.scheme_version.parsed()


@dataclass(frozen=True)
class Entry:
    """One value a person types: a node's score or a fact's number."""

    key: str
    name: str
    rule: str
    kind: str  # "score" | "count" | "fact"
    low: Decimal | None
    high: Decimal | None
    full: Decimal | None  # full marks of a score leaf; below it a reason is required
    counts_deductions: bool = False  # a count above 0 takes points: a reason is required
    optional: bool = False

    def needs_reason(self, value: Decimal) -> bool:
        if self.full is not None:
            return value < self.full
        return self.counts_deductions and value > 0

    @property
    def scale(self) -> str:
        low = "-∞" if self.low is None else plain(self.low)
        high = "∞" if self.high is None else plain(self.high)
        return f"{low}–{high}"


def _leaf_entries(scheme: Scheme) -> list[Entry]:
    entries = []
    for node, _depth in scheme.walk():
        if node.kind is Kind.SCORE:
            entries.append(
                Entry(
                    key=node.id,
                    name=node.name,
                    rule=node.rule,
                    kind="score",
                    low=node.min,
                    high=node.max,
                    full=node.full,
                    optional=node.optional,
                )
            )
        elif node.kind is Kind.COUNTED and node.fact is None:
            entries.append(
                Entry(
                    key=node.id,
                    name=node.name,
                    rule=node.rule,
                    kind="count",
                    low=Decimal(0),
                    high=None,
                    full=None,
                    counts_deductions=True,
                    optional=node.optional,
                )
            )
    return entries


def _fact_entries(scheme: Scheme) -> list[Entry]:
    entries = []
    for fact in scheme.facts.values():
        counters = [n for n in scheme.nodes.values() if n.fact == fact.id]
        rule = "；".join(n.rule for n in counters if n.rule)
        entries.append(
            Entry(
                key=fact.id,
                name=fact.name,
                rule=rule,
                kind="fact",
                low=fact.min,
                high=fact.max,
                full=None,
                counts_deductions=bool(counters),
            )
        )
    return entries


def is_self_node(node_id: str) -> bool:
    return node_id.endswith(SELF_SUFFIX)


def scored_entries(scheme: Scheme, ballot_nodes: Iterable[str] = ()) -> list[Entry]:
    """What the leadership group scores for each subject, in file order, facts last."""
    skip = set(ballot_nodes)
    leaves = [e for e in _leaf_entries(scheme) if not is_self_node(e.key) and e.key not in skip]
    return leaves + _fact_entries(scheme)


def self_entries(scheme: Scheme, all_leaves: bool = False) -> list[Entry]:
    """What a subject scores itself: ``.self`` nodes, or every scored leaf when enabled."""
    return [e for e in _leaf_entries(scheme) if all_leaves or is_self_node(e.key)]


def list_nodes(scheme: Scheme) -> list[str]:
    return [node.id for node, _d in scheme.walk() if node.kind in LIST_KINDS]


def entry_label(scheme: Scheme, key: str) -> str:
    node = scheme.nodes.get(key)
    if node is not None:
        return f"{node.name}（{key}）"
    fact = scheme.facts.get(key)
    return f"{fact.name}（{key}）" if fact else key
