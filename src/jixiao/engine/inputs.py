"""Check the values given for one subject against a scheme.

Everything wrong is reported at once, each problem naming its node or fact.
Nothing is ever read as a silent zero: a missing value is an error, and so is
an empty deduction ledger unless it is given as an empty list.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from .errors import InputError, Problem
from .model import LIST_KINDS, ROOT_ID, Kind, Node, Scheme
from .numbers import ZERO, plain, to_decimal


@dataclass(frozen=True)
class Item:
    """One entry of a deduction or bonus list, with an optional evidence reference."""

    points: Decimal
    ref: str | None = None


@dataclass
class Inputs:
    """Values after checking: numbers for scalar nodes and facts, items for lists."""

    numbers: dict[str, Decimal] = field(default_factory=dict)
    items: dict[str, list[Item]] = field(default_factory=dict)
    vetoes: tuple[str, ...] = ()
    evidence: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def given(self, key: str) -> bool:
        return key in self.numbers or key in self.items


def check_inputs(
    scheme: Scheme,
    values: Mapping[str, object],
    vetoes: Iterable[str] = (),
    evidence: Mapping[str, Iterable[str]] | None = None,
) -> Inputs:
    problems: list[Problem] = []
    inputs = Inputs()
    if not isinstance(values, Mapping):
        raise InputError([Problem("values must be an object of node id: number")])

    for key, raw in values.items():
        if key in scheme.facts:
            _check_fact(scheme, key, raw, inputs, problems)
        elif key in scheme.nodes:
            _check_node_value(scheme.nodes[key], raw, inputs, problems)
        else:
            problems.append(Problem(f"unknown node or fact {key!r}", node=str(key)))

    _check_overlaps(scheme, inputs, problems)
    if not problems:
        _check_missing(scheme, ROOT_ID, inputs, problems)
        for rule in scheme.eligibility:
            if rule.fact not in inputs.numbers:
                problems.append(
                    Problem(f"missing fact {rule.fact} ({scheme.facts[rule.fact].name})")
                )

    seen = []
    known = scheme.vetoes.categories
    for category in vetoes:
        if category not in known:
            listed = ", ".join(known) if known else "none"
            problems.append(Problem(f"unknown veto category {category!r} (known: {listed})"))
        elif category not in seen:
            seen.append(category)
    inputs.vetoes = tuple(seen)

    for node_id, refs in (evidence or {}).items():
        if node_id not in scheme.nodes:
            problems.append(Problem("evidence for an unknown node", node=str(node_id)))
        else:
            inputs.evidence[node_id] = tuple(str(r) for r in refs)

    if problems:
        raise InputError(problems)
    return inputs


def _check_fact(scheme: Scheme, key: str, raw: object, inputs: Inputs, problems) -> None:
    fact = scheme.facts[key]
    try:
        value = to_decimal(raw)
    except TypeError as exc:
        problems.append(Problem(f"fact {key} must be a number: {exc}"))
        return
    # A fact that counts occurrences for a counted node is a whole number >= 0 even
    # when its declaration forgets to say so: -4 absences must not become a bonus.
    counted_by = [n.id for n in scheme.nodes.values() if n.fact == key]
    if (fact.integer or counted_by) and value != value.to_integral_value():
        problems.append(Problem(f"fact {key} must be a whole number, not {plain(value)}"))
    if counted_by and value < 0:
        problems.append(
            Problem(f"fact {key} counts occurrences for {counted_by[0]}: must not be negative")
        )
    if (fact.min is not None and value < fact.min) or (fact.max is not None and value > fact.max):
        problems.append(
            Problem(f"fact {key} = {plain(value)} is outside {_range(fact.min, fact.max)}")
        )
    inputs.numbers[key] = value


def _check_node_value(node: Node, raw: object, inputs: Inputs, problems) -> None:
    report = problems.append
    if node.kind is Kind.COUNTED and node.fact:
        report(Problem(f"takes its count from fact {node.fact}; give that instead", node=node.id))
        return
    if node.kind in LIST_KINDS:
        raw_items = raw if isinstance(raw, list) else [raw]
        items = []
        for index, entry in enumerate(raw_items, start=1):
            ref = None
            if isinstance(entry, Mapping):
                ref = entry.get("ref")
                entry = entry.get("points")
            try:
                points = to_decimal(entry)
            except TypeError as exc:
                report(Problem(f"item {index} is not a number: {exc}", node=node.id))
                continue
            if points < 0:
                word = "deduction" if node.kind is Kind.DEDUCTIONS else "bonus"
                report(Problem(f"{word} item {index} is negative ({plain(points)})", node=node.id))
                continue
            items.append(Item(points, None if ref is None else str(ref)))
        inputs.items[node.id] = items
        return
    if isinstance(raw, list):
        report(Problem("expects one number, not a list", node=node.id))
        return
    try:
        value = to_decimal(raw)
    except TypeError as exc:
        report(Problem(f"value is not a number: {exc}", node=node.id))
        return
    if node.kind is Kind.COUNTED:
        if value < 0 or value != value.to_integral_value():
            report(Problem(f"count must be a whole number >= 0, not {plain(value)}", node=node.id))
            return
    else:
        low, high = (node.min, node.max) if node.kind is Kind.SCORE else (node.low, node.high)
        if (low is not None and value < low) or (high is not None and value > high):
            report(Problem(f"value {plain(value)} is outside {_range(low, high)}", node=node.id))
            return
    inputs.numbers[node.id] = value


def _check_overlaps(scheme: Scheme, inputs: Inputs, problems) -> None:
    """A value at an inner node stands for its subtree: giving both is ambiguous."""
    for node_id in list(inputs.numbers) + list(inputs.items):
        parent = scheme.nodes[node_id].parent if node_id in scheme.nodes else None
        while parent is not None:
            if parent in inputs.numbers:
                problems.append(
                    Problem(
                        f"value given for both this node and its ancestor {parent}", node=node_id
                    )
                )
                break
            parent = scheme.nodes[parent].parent


def subtree_given(scheme: Scheme, node_id: str, inputs: Inputs) -> bool:
    node = scheme.nodes[node_id]
    if inputs.given(node_id) or (node.fact is not None and inputs.given(node.fact)):
        return True
    return any(subtree_given(scheme, child, inputs) for child in node.children)


def _check_missing(scheme: Scheme, node_id: str, inputs: Inputs, problems) -> None:
    node = scheme.nodes[node_id]
    if inputs.given(node_id):
        return
    if node.optional and not subtree_given(scheme, node_id, inputs):
        return  # an optional item that does not apply to this subject
    if node.is_leaf:
        if node.fact is not None:
            if node.fact not in inputs.numbers:
                fact = scheme.facts[node.fact]
                problems.append(Problem(f"missing fact {node.fact} ({fact.name})", node=node_id))
            return
        hint = " (give [] for none)" if node.kind in LIST_KINDS else ""
        problems.append(Problem(f"missing value for {node.name}{hint}", node=node_id))
        return
    for child in node.children:
        _check_missing(scheme, child, inputs, problems)


def _range(low: Decimal | None, high: Decimal | None) -> str:
    low_text = plain(low) if low is not None else "-∞"
    high_text = plain(high) if high is not None else "∞"
    return f"{low_text}–{high_text}"


__all__ = ["ZERO", "Inputs", "Item", "check_inputs", "subtree_given"]
