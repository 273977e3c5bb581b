"""Properties of evaluate() over the shipped presets and over random valid schemes.

Values are generated from the scheme itself (walking scheme.walk()), so every
generated input is valid; random schemes are generated as TOML text and go
through the loader like any file.
"""

from __future__ import annotations

import decimal
import itertools
import json
import math
from decimal import ROUND_FLOOR, Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jixiao.engine import Kind, Scheme, SchemeError, evaluate, load_scheme_text, presets
from jixiao.engine.output import to_json

PRESETS = presets.names()
PER_PRESET = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
RANDOM = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

POINTS = st.decimals(min_value=0, max_value=8, places=2, allow_nan=False, allow_infinity=False)


# -- values for a scheme ---------------------------------------------------------------


def _decimal_in(low: Decimal, high: Decimal):
    """Decimals in [low, high] with up to 2 places, often exactly at an end.

    The ends themselves may have more places (a reachable range such as 61.192).
    """
    ends = st.sampled_from([low, high])
    if math.ceil(low * 100) > math.floor(high * 100):  # no 2-place number inside
        return ends
    inside = st.decimals(
        min_value=low, max_value=high, places=2, allow_nan=False, allow_infinity=False
    )
    return st.one_of(ends, inside, inside)


def _fact_value(scheme: Scheme, fact_id: str):
    fact = scheme.facts[fact_id]
    low = 0 if fact.min is None else max(0, int(fact.min))
    high = 60 if fact.max is None else min(60, int(fact.max))
    return st.integers(low, high).map(Decimal)


@st.composite
def scheme_values(draw, scheme: Scheme, inner_values: bool = False) -> dict:
    """A valid input for scheme: every required leaf, some optional ones.

    With inner_values, an inner node is sometimes given one value for its whole
    subtree (within its reachable range).
    """
    values: dict[str, object] = {}

    def fill(node_id: str) -> None:
        node = scheme.nodes[node_id]
        if node.optional and draw(st.booleans()):
            return
        if (
            inner_values
            and not node.is_leaf
            and node.id != "total"
            and node.high is not None
            and draw(st.integers(0, 4)) == 0
        ):
            values[node.id] = draw(_decimal_in(node.low, node.high))
            return
        if node.kind is Kind.SCORE:
            values[node.id] = draw(_decimal_in(node.min, node.max))
        elif node.kind in (Kind.DEDUCTIONS, Kind.BONUSES):
            values[node.id] = draw(st.lists(POINTS, max_size=4))
        elif node.kind is Kind.COUNTED:
            key = node.fact or node.id
            values[key] = draw(_fact_value(scheme, key)) if node.fact else draw(st.integers(0, 30))
        for child in node.children:
            fill(child)

    fill("total")
    for rule in scheme.eligibility:
        if rule.fact not in values:
            values[rule.fact] = draw(_fact_value(scheme, rule.fact))
    return values


# -- random schemes as TOML ------------------------------------------------------------


def _toml_value(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _split_100(draw, parts: int) -> list[int]:
    """100 split into `parts` integer weights (each >= 1)."""
    cuts = sorted(
        draw(st.lists(st.integers(1, 99), min_size=parts - 1, max_size=parts - 1, unique=True))
    )
    edges = [0, *cuts, 100]
    return [b - a for a, b in itertools.pairwise(edges)]


@st.composite
def scheme_texts(draw) -> str:
    """A small valid scheme: depth <= 3, random kinds, weights that sum to 100."""
    nodes: list[dict] = []
    facts: list[str] = []
    counter = iter(range(1, 1000))

    def new_id(parent: str) -> str:
        own = f"n{next(counter)}"
        return own if parent == "total" else f"{parent}.{own}"

    def adjustment(parent: str) -> None:
        node_id = new_id(parent)
        kind = draw(st.sampled_from(["deductions", "bonuses", "counted"]))
        table: dict = {"id": node_id, "name": f"调整{node_id}", "kind": kind}
        if kind == "bonuses":
            table["cap"] = draw(st.integers(1, 10))
            if draw(st.booleans()):
                table["item_cap"] = draw(st.integers(1, 5))
        else:
            if draw(st.booleans()):
                table["cap"] = draw(st.integers(1, 20))
            if kind == "counted":
                table["per"] = draw(st.sampled_from(["0.5", "1", "2"]))
                if draw(st.booleans()):
                    table["fact"] = f"f_{node_id.replace('.', '_')}"
                    facts.append(table["fact"])
        nodes.append(table)

    def part(parent: str, depth: int, extra: dict) -> str:
        """A scored part (not an adjustment) under parent; returns its id."""
        node_id = new_id(parent)
        kinds = ["score", "score", "deductions", "counted"]
        if depth < 3:
            kinds += ["weighted", "weighted", "sum", "coupled"]
        kind = draw(st.sampled_from(kinds))
        table: dict = {"id": node_id, "name": f"节点{node_id}", "kind": kind, **extra}
        if kind == "score":
            high = draw(st.sampled_from([10, 40, 60, 100, 100, 120]))
            table["max"] = high
            if draw(st.booleans()):
                table["min"] = draw(st.integers(0, high // 2))
        elif kind in ("deductions", "counted"):
            table["base"] = draw(st.sampled_from([10, 20, 40, 100]))
            if draw(st.booleans()):
                table["cap"] = draw(st.integers(1, 30))
            if kind == "counted":
                table["per"] = draw(st.sampled_from(["0.5", "1", "3"]))
        nodes.append(table)
        if kind in ("weighted", "sum", "coupled"):
            if draw(st.integers(0, 3)) == 0:
                table["cap"] = draw(st.integers(60, 100))
            children(node_id, kind, depth + 1, table)
        return node_id

    def children(parent: str, kind: str, depth: int, table: dict) -> None:
        if kind == "weighted":
            count = draw(st.integers(1, 3))
            for weight in _split_100(draw, count):
                part(parent, depth, {"weight": weight})
            # At most one optional part per weighted node: two optional siblings hit
            # the bounds bug pinned by test_two_optional_parts_stay_within_bounds.
            if draw(st.integers(0, 3)) == 0:
                part(parent, depth, {"weight": draw(st.integers(1, 40)), "optional": True})
        elif kind == "sum":
            for _ in range(draw(st.integers(1, 3))):
                part(parent, depth, {"optional": True} if draw(st.integers(0, 4)) == 0 else {})
        else:  # coupled
            table["share"] = draw(st.sampled_from(["0.3", "0.5", "0.75", "1"]))
            table["own"] = part(parent, depth, {})
            table["unit"] = part(parent, depth, {})
        for _ in range(draw(st.integers(0, 2))):
            adjustment(parent)

    root_kind = draw(st.sampled_from(["weighted", "weighted", "sum", "coupled"]))
    root: dict = {"kind": root_kind}
    children("total", root_kind, 1, root)

    mins = sorted(
        draw(st.lists(st.integers(1, 150), min_size=1, max_size=3, unique=True)), reverse=True
    )
    eligibility = draw(st.booleans())
    veto = draw(st.booleans())

    out = ['[scheme]\nid = "random"\nname = "随机方案"\nversion = "1"\n']
    out.append("[root]\n" + "".join(f"{k} = {_toml_value(v)}\n" for k, v in root.items()))
    for fact in facts:
        out.append(f'[facts.{fact}]\nname = "事实{fact}"\nmin = 0\ninteger = true\n')
    if eligibility:
        out.append('[facts.leave]\nname = "请假天数"\nmin = 0\n')
    for table in nodes:
        out.append("[[node]]\n" + "".join(f"{k} = {_toml_value(v)}\n" for k, v in table.items()))
    for index, low in enumerate(mins):
        out.append(f'[[grade]]\nname = "G{index}"\nmin = {low}\n')
    out.append('[[grade]]\nname = "G-low"\n')
    if eligibility:
        out.append('[[eligibility]]\nfact = "leave"\nop = ">"\nvalue = 30\n')
    if veto:
        out.append('[veto]\ncategories = ["安全生产"]\n')
        out.append('[award]\nmin_grade = "G-low"\n')
    return "\n".join(out)


@st.composite
def random_case(draw, inner_values: bool = True):
    text = draw(scheme_texts())
    scheme = load_scheme_text(text, source="random")
    return text, scheme, draw(scheme_values(scheme, inner_values=inner_values))


def preset_case(name: str, inner_values: bool = False):
    scheme = presets.load(name)
    return st.tuples(st.just(scheme), scheme_values(scheme, inner_values=inner_values))


# -- shared checks ---------------------------------------------------------------------


def half_up_cents(value: Decimal) -> Decimal:
    """Half-up to cents for value >= 0, computed without quantize: floor(100 x + 0.5) / 100.

    In a context wide enough for the engine's 60-digit values (the default 28
    digits would round 0.71499...9 up to 0.715 before the floor).
    """
    assert value >= 0
    with decimal.localcontext(prec=200):
        cents = (value * 100 + Decimal("0.5")).to_integral_value(rounding=ROUND_FLOOR)
        return cents / 100


def check_total_and_grade(scheme: Scheme, result) -> None:
    root = scheme.root
    # within the reachable range
    assert result.total >= half_up_cents(root.low)
    if root.high is not None:
        assert result.total <= half_up_cents(root.high)
    # the total is the exact total rounded half-up to 2 decimals
    assert result.total == half_up_cents(result.exact_total)
    assert result.total.as_tuple().exponent == -2
    # the grade is the band whose min is at or below the total, the band above starts higher
    names = [band.name for band in scheme.grades]
    assert result.grade in names
    index = names.index(result.grade)
    band = scheme.grades[index]
    assert band.min is None or band.min <= result.total
    if index > 0:
        assert scheme.grades[index - 1].min > result.total


def score_leaves_given(scheme: Scheme, values: dict) -> list[str]:
    return [key for key in values if key in scheme.nodes and scheme.nodes[key].kind is Kind.SCORE]


def list_leaves_given(scheme: Scheme, values: dict, kind: Kind) -> list[str]:
    return [key for key in values if key in scheme.nodes and scheme.nodes[key].kind is kind]


# -- the presets -----------------------------------------------------------------------


@pytest.mark.parametrize("name", PRESETS)
@PER_PRESET
@given(data=st.data())
def test_preset_total_within_bounds_rounded_and_graded(name, data):
    scheme, values = data.draw(preset_case(name, inner_values=True))
    result = evaluate(scheme, values)
    check_total_and_grade(scheme, result)


@pytest.mark.parametrize("name", PRESETS)
@PER_PRESET
@given(data=st.data())
def test_preset_raising_a_score_never_lowers_the_total(name, data):
    scheme, values = data.draw(preset_case(name))
    leaf = data.draw(st.sampled_from(score_leaves_given(scheme, values)))
    node = scheme.nodes[leaf]
    raised = dict(values)
    raised[leaf] = data.draw(_decimal_in(values[leaf], node.max))
    before, after = evaluate(scheme, values), evaluate(scheme, raised)
    assert after.exact_total >= before.exact_total


@pytest.mark.parametrize(
    "name",
    [
        n
        for n in PRESETS
        if any(
            node.kind in (Kind.DEDUCTIONS, Kind.BONUSES) for node in presets.load(n).nodes.values()
        )
    ],
)
@PER_PRESET
@given(data=st.data())
def test_preset_deductions_lower_and_bonuses_raise(name, data):
    scheme, values = data.draw(preset_case(name))
    base = evaluate(scheme, values).exact_total
    for kind, direction in ((Kind.DEDUCTIONS, -1), (Kind.BONUSES, 1)):
        for leaf in list_leaves_given(scheme, values, kind):
            more = {**values, leaf: [*values[leaf], data.draw(POINTS)]}
            changed = evaluate(scheme, more).exact_total
            assert (changed - base) * direction >= 0, (leaf, base, changed)


@pytest.mark.parametrize("name", PRESETS)
@PER_PRESET
@given(data=st.data())
def test_preset_deterministic_and_json_round_trip(name, data):
    scheme, values = data.draw(preset_case(name, inner_values=True))
    first, second = evaluate(scheme, values), evaluate(scheme, dict(values))
    assert first.to_dict() == second.to_dict()
    text = to_json(first.to_dict())
    assert text == to_json(second.to_dict())
    parsed = json.loads(text)
    assert parsed["total"] == float(first.total)
    exact = json.loads(text, parse_float=Decimal)["breakdown"]["exact_total"]
    assert Decimal(exact) == first.exact_total
    assert set(parsed) == {"total", "grade", "award_eligible", "reasons", "breakdown"}


# -- random schemes --------------------------------------------------------------------


@RANDOM
@given(case=random_case())
def test_random_scheme_total_within_bounds_rounded_and_graded(case):
    _text, scheme, values = case
    result = evaluate(scheme, values)
    check_total_and_grade(scheme, result)


@RANDOM
@given(data=st.data())
def test_random_scheme_raising_a_score_never_lowers_the_total(data):
    _text, scheme, values = data.draw(random_case())
    leaves = score_leaves_given(scheme, values)
    if not leaves:  # the whole tree was given at inner nodes
        return
    leaf = data.draw(st.sampled_from(leaves))
    raised = {**values, leaf: data.draw(_decimal_in(values[leaf], scheme.nodes[leaf].max))}
    assert evaluate(scheme, raised).exact_total >= evaluate(scheme, values).exact_total


@RANDOM
@given(data=st.data())
def test_random_scheme_raising_an_inner_value_never_lowers_the_total(data):
    _text, scheme, values = data.draw(random_case())
    inner = [k for k in values if k in scheme.nodes and not scheme.nodes[k].is_leaf]
    if not inner:
        return
    key = data.draw(st.sampled_from(inner))
    raised = {**values, key: data.draw(_decimal_in(values[key], scheme.nodes[key].high))}
    assert evaluate(scheme, raised).exact_total >= evaluate(scheme, values).exact_total


@RANDOM
@given(data=st.data())
def test_random_scheme_deductions_lower_and_bonuses_raise(data):
    _text, scheme, values = data.draw(random_case())
    base = evaluate(scheme, values).exact_total
    for kind, direction in ((Kind.DEDUCTIONS, -1), (Kind.BONUSES, 1)):
        for leaf in list_leaves_given(scheme, values, kind):
            more = {**values, leaf: [*values[leaf], data.draw(POINTS)]}
            assert (evaluate(scheme, more).exact_total - base) * direction >= 0


@RANDOM
@given(data=st.data())
def test_random_scheme_counts_lower_the_total(data):
    _text, scheme, values = data.draw(random_case())
    base = evaluate(scheme, values).exact_total
    for node in scheme.nodes.values():
        key = node.fact or node.id
        if node.kind is Kind.COUNTED and key in values:
            more = {**values, key: values[key] + 1}
            assert evaluate(scheme, more).exact_total <= base


@RANDOM
@given(case=random_case())
def test_random_scheme_deterministic_and_json_round_trip(case):
    _text, scheme, values = case
    first, second = evaluate(scheme, values), evaluate(scheme, dict(values))
    assert first.to_dict() == second.to_dict()
    text = to_json(first.to_dict())
    parsed = json.loads(text)
    assert parsed["total"] == float(first.total)
    assert parsed["grade"] == first.grade
    assert parsed["award_eligible"] is first.award_eligible


@RANDOM
@given(case=random_case(inner_values=False))
def test_random_scheme_veto_removes_award_but_keeps_total(case):
    _text, scheme, values = case
    if not scheme.vetoes.categories:
        return
    plain, vetoed = evaluate(scheme, values), evaluate(scheme, values, ["安全生产"])
    assert vetoed.total == plain.total
    assert vetoed.grade == plain.grade
    assert vetoed.award_eligible is False
    assert "一票否决：安全生产" in vetoed.reasons


# -- pinned regressions (examples found while writing the properties) -------------------


TWO_OPTIONAL = """
[scheme]
id = "two-optional"
name = "两个可选项"
version = "1"

[[node]]
id = "req"
name = "必选"
min = 50
weight = 100

[[node]]
id = "o1"
name = "可选一"
weight = 20
optional = true

[[node]]
id = "o2"
name = "可选二"
weight = 20
optional = true

[[grade]]
name = "好"
min = 90

[[grade]]
name = "中"
min = 32
"""


def test_two_optional_parts_stay_within_bounds():
    """50 x 60% + 0 x 20% + 0 x 20% = 30 is reachable, so a lowest band at 32 leaves a gap."""
    with pytest.raises(SchemeError, match="totals below 32 have no grade"):
        load_scheme_text(TWO_OPTIONAL)
    scheme = load_scheme_text(TWO_OPTIONAL.replace("min = 32", "min = 30"))
    result = evaluate(scheme, {"req": 50, "o1": 0, "o2": 0})
    assert result.total == Decimal("30.00")
    assert scheme.root.low == Decimal("30")
    assert result.grade == "中"


NESTED_SIXTY = """
[scheme]
id = "nested-sixty"
name = "六十分制子项"
version = "1"

[[node]]
id = "x"
name = "业务"
weight = 60

[[node]]
id = "x.a"
name = "六十分制"
max = 60
weight = 50

[[node]]
id = "x.b"
name = "百分制"
weight = 50

[[node]]
id = "c"
name = "其他"
weight = 40

[[grade]]
name = "合格"
"""


@pytest.mark.parametrize(
    ("scheme_text", "values", "expected"),
    [
        (NESTED_SIXTY, {"x.a": "1.21", "x.b": 0, "c": 0}, "0.61"),
        (NESTED_SIXTY, {"x.a": "0.13", "x.b": 0, "c": 0}, "0.07"),  # 0.065
    ],
    ids=["weighted-1.21", "weighted-0.13"],
)
def test_a_total_of_exactly_half_a_cent_rounds_up(scheme_text, values, expected):
    result = evaluate(load_scheme_text(scheme_text), values)
    assert result.total == Decimal(expected)


def test_coupled_total_of_exactly_half_a_cent_rounds_up():
    text = """
[scheme]
id = "coupled-twelve"
name = "十二分制"
version = "1"

[root]
kind = "coupled"
share = 0.3
own = "own"
unit = "unit"

[[node]]
id = "own"
name = "个人"
max = 12

[[node]]
id = "unit"
name = "单位"

[[grade]]
name = "合格"
"""
    result = evaluate(load_scheme_text(text), {"own": "1.75", "unit": 0})
    assert result.total == Decimal("4.38")
