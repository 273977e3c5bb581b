"""Text renderings of engine objects: exact JSON and an indented tree."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from .model import Scheme
from .numbers import plain


def to_json(value: Any, indent: int = 2) -> str:
    """JSON in which every Decimal is written as an exact number literal.

    The standard encoder only knows floats, which would print 89.99999999999999
    where we computed 90.00; this small writer prints the digits we computed.
    """
    return _encode(value, indent, 0)


def _encode(value: Any, indent: int, level: int) -> str:
    pad, inner = " " * indent * level, " " * indent * (level + 1)
    if isinstance(value, Decimal):
        # The total keeps its two decimals (90.00); elsewhere the shortest exact form.
        return str(value) if value.as_tuple().exponent == -2 else plain(value)
    if isinstance(value, dict):
        if not value:
            return "{}"
        items = [
            f"{inner}{json.dumps(str(k), ensure_ascii=False)}: {_encode(v, indent, level + 1)}"
            for k, v in value.items()
        ]
        return "{\n" + ",\n".join(items) + "\n" + pad + "}"
    if isinstance(value, list | tuple):
        if not value:
            return "[]"
        items = [f"{inner}{_encode(v, indent, level + 1)}" for v in value]
        return "[\n" + ",\n".join(items) + "\n" + pad + "]"
    return json.dumps(value, ensure_ascii=False)


def render_tree(scheme: Scheme) -> str:
    """The scheme as an indented tree with kinds, weights and limits."""
    lines = [f"{scheme.id} {scheme.name} (version {scheme.version})"]
    for node, depth in scheme.walk():
        details = [node.kind.value]
        if node.weight is not None:
            details.append(f"weight {plain(node.weight)}")
        if node.optional:
            details.append("optional")
        if node.is_adjustment:
            details.append("adds points" if node.kind.value == "bonuses" else "deducts points")
        for key in ("base", "per", "cap", "item_cap", "share"):
            value = getattr(node, key)
            if value is not None:
                details.append(f"{key} {plain(value)}")
        if node.kind.value == "score" and (node.min, node.max) != (0, 100):
            details.append(f"scale {plain(node.min)}–{plain(node.max)}")
        if node.fact:
            details.append(f"count from fact {node.fact}")
        lines.append(f"{'  ' * depth}{node.id} {node.name} [{', '.join(details)}]")
    if scheme.facts:
        lines.append("facts: " + ", ".join(f"{f.id} {f.name}" for f in scheme.facts.values()))
    bands = []
    for band in scheme.grades:
        bands.append(f"{band.name} ≥ {plain(band.min)}" if band.min is not None else band.name)
    lines.append("grades: " + ", ".join(bands))
    if scheme.vetoes.categories:
        cats = "、".join(scheme.vetoes.categories)
        lines.append(f"vetoes ({scheme.vetoes.effect.value}): {cats}")
    for rule in scheme.eligibility:
        lines.append(f"award eligibility lost when {rule.fact} {rule.op} {plain(rule.value)}")
    if scheme.award_min_grade:
        lines.append(f"award requires grade {scheme.award_min_grade} or better")
    return "\n".join(lines)
