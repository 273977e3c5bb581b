"""InputError from evaluate(): every way the values for one subject can be wrong.

One scheme exercises every leaf kind; VALID is a complete, valid input for it,
and each test changes one thing.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from jixiao.engine import InputError, evaluate, load_scheme_text

SCHEME_TEXT = """
[scheme]
id = "inputs"
name = "输入检查"
version = "1"

[facts.absences]
name = "无故缺席次数"
min = 0
integer = true

[facts.leave]
name = "累计请假天数"
min = 0

[[node]]
id = "work"
name = "本职工作"
kind = "weighted"
weight = 60

[[node]]
id = "work.quality"
name = "工作质量"
weight = 50

[[node]]
id = "work.speed"
name = "工作效率"
weight = 50
max = 10

[[node]]
id = "public"
name = "公众评议"
weight = 40

[[node]]
id = "village"
name = "蹲点村工作"
weight = 10
optional = true

[[node]]
id = "inspection"
name = "察访核验"
kind = "deductions"
cap = 3

[[node]]
id = "innovation"
name = "创新加分"
kind = "bonuses"
item_cap = 2
cap = 5

[[node]]
id = "late"
name = "迟到"
kind = "counted"
per = 0.5
cap = 5

[[node]]
id = "absent"
name = "缺席"
kind = "counted"
per = 1
cap = 4
fact = "absences"

[[grade]]
name = "优"
min = 90

[[grade]]
name = "良"
min = 80

[[grade]]
name = "差"

[veto]
categories = ["安全生产", "综治"]

[[eligibility]]
fact = "leave"
op = ">"
value = 30
reason = "请假超过三十天"
"""

SCHEME = load_scheme_text(SCHEME_TEXT, source="inputs.toml")

VALID = {
    "work.quality": 80,
    "work.speed": 8,
    "public": 90,
    "inspection": [],
    "innovation": [],
    "late": 0,
    "absences": 0,
    "leave": 0,
}


def values(**changes) -> dict:
    """VALID with changes; a change to None removes the key; "__" in a key stands for "."."""
    out = dict(VALID)
    for key, value in changes.items():
        key = key.replace("__", ".")
        if value is None:
            out.pop(key, None)
        else:
            out[key] = value
    return out


def input_error(vals, vetoes=(), evidence=None) -> InputError:
    with pytest.raises(InputError) as info:
        evaluate(SCHEME, vals, vetoes, evidence)
    return info.value


def only_problem(err: InputError):
    assert len(err.problems) == 1, err.lines()
    return err.problems[0]


# -- the baseline ---------------------------------------------------------------------


def test_valid_input_scores():
    # work = 80 x 50% + 80 x 50% = 80; total = 80 x 60% + 90 x 40% = 84
    result = evaluate(SCHEME, VALID)
    assert result.total == Decimal("84.00")
    assert result.grade == "良"
    assert result.award_eligible


# -- unknown keys ---------------------------------------------------------------------


def test_unknown_node_id():
    problem = only_problem(input_error(values(**{"work.qualty": 80})))
    assert problem.node == "work.qualty"
    assert "unknown node or fact 'work.qualty'" in problem.message


def test_unknown_fact():
    problem = only_problem(input_error(values(sick_days=3)))
    assert problem.node == "sick_days"
    assert "unknown node or fact" in problem.message


def test_evidence_for_an_unknown_node():
    problem = only_problem(input_error(VALID, evidence={"nowhere": ["doc-1"]}))
    assert problem.node == "nowhere"
    assert "evidence" in problem.message


def test_evidence_for_a_known_node_is_kept():
    result = evaluate(SCHEME, VALID, evidence={"public": ["survey-2024"]})
    public = next(c for c in result.root.children if c.node.id == "public")
    assert public.evidence == ("survey-2024",)


def test_unknown_veto_category_lists_the_known_ones():
    problem = only_problem(input_error(VALID, vetoes=["计生"]))
    assert "unknown veto category '计生'" in problem.message
    assert "安全生产, 综治" in problem.message


def test_values_must_be_a_mapping():
    with pytest.raises(InputError, match="values must be an object"):
        evaluate(SCHEME, [("public", 90)])


# -- the value of a score leaf --------------------------------------------------------


@pytest.mark.parametrize(
    ("node", "value", "scale"),
    [("public", 100.5, "0–100"), ("public", -1, "0–100"), ("work.speed", 11, "0–10")],
)
def test_value_outside_the_scale_names_the_node_and_the_range(node, value, scale):
    problem = only_problem(input_error(values(**{node: value})))
    assert problem.node == node
    assert f"is outside {scale}" in problem.message
    assert f"node {node}" in input_error(values(**{node: value})).lines()[0]


@pytest.mark.parametrize("value", [0, 100, "99.5", 87.8])
def test_values_at_the_edges_and_as_text_are_accepted(value):
    result = evaluate(SCHEME, values(public=value))
    public = next(c for c in result.root.children if c.node.id == "public")
    assert public.score == Decimal(str(value))


def test_a_list_given_to_a_score_leaf():
    problem = only_problem(input_error(values(public=[90])))
    assert problem.node == "public"
    assert "expects one number, not a list" in problem.message


@pytest.mark.parametrize("value", ["ninety", None, {"points": 90}, float("nan"), "inf"])
def test_a_non_number(value):
    problem = only_problem(input_error({**VALID, "public": value}))
    assert problem.node == "public"
    assert "value is not a number" in problem.message


@pytest.mark.parametrize("value", [True, False])
def test_a_bool_is_not_a_number(value):
    problem = only_problem(input_error(values(public=value)))
    assert problem.node == "public"
    assert "boolean" in problem.message


def test_missing_value_for_a_leaf_names_the_node():
    problem = only_problem(input_error(values(public=None)))
    assert problem.node == "public"
    assert "missing value for 公众评议" in problem.message


def test_missing_leaf_inside_a_subtree():
    problem = only_problem(input_error(values(**{"work.speed": None})))
    assert problem.node == "work.speed"


# -- deductions and bonuses -----------------------------------------------------------


def test_negative_deduction_item_names_the_item_index():
    problem = only_problem(input_error(values(inspection=[1, -0.5])))
    assert problem.node == "inspection"
    assert "deduction item 2 is negative (-0.5)" in problem.message


def test_negative_bonus_item():
    problem = only_problem(input_error(values(innovation=[-1])))
    assert problem.node == "innovation"
    assert "bonus item 1 is negative (-1)" in problem.message


def test_non_number_deduction_items_name_their_index():
    err = input_error(values(inspection=[0.5, "half", True]))
    assert [p.node for p in err.problems] == ["inspection", "inspection"]
    assert "item 2 is not a number" in err.problems[0].message
    assert "item 3 is not a number: a boolean" in err.problems[1].message


def test_two_bad_items_are_both_reported():
    err = input_error(values(inspection=[-1, "x"]))
    assert [p.node for p in err.problems] == ["inspection", "inspection"]


def test_empty_deduction_list_is_fine():
    assert evaluate(SCHEME, values(inspection=[])).total == Decimal("84.00")


def test_omitting_the_deductions_node_is_an_error():
    problem = only_problem(input_error(values(inspection=None)))
    assert problem.node == "inspection"
    assert "give [] for none" in problem.message


def test_omitting_the_bonuses_node_is_an_error():
    problem = only_problem(input_error(values(innovation=None)))
    assert problem.node == "innovation"


def test_a_single_number_counts_as_one_item():
    assert evaluate(SCHEME, values(inspection=1)).total == Decimal("83.00")


def test_items_with_references():
    result = evaluate(SCHEME, values(inspection=[{"points": 1, "ref": "检查记录-3"}]))
    assert result.total == Decimal("83.00")
    inspection = next(c for c in result.root.children if c.node.id == "inspection")
    assert inspection.evidence == ("检查记录-3",)


# -- counted nodes and facts ----------------------------------------------------------


def test_missing_fact_for_an_eligibility_rule():
    problem = only_problem(input_error(values(leave=None)))
    assert "missing fact leave (累计请假天数)" in problem.message


def test_missing_fact_for_a_counted_node():
    problem = only_problem(input_error(values(absences=None)))
    assert problem.node == "absent"
    assert "missing fact absences" in problem.message


def test_giving_the_counted_node_when_it_reads_a_fact():
    problem = only_problem(input_error(values(absent=2)))
    assert problem.node == "absent"
    assert "takes its count from fact absences" in problem.message


@pytest.mark.parametrize("count", [1.5, -1, "2.5"])
def test_a_count_that_is_not_a_whole_number(count):
    problem = only_problem(input_error(values(late=count)))
    assert problem.node == "late"
    assert "count must be a whole number >= 0" in problem.message


def test_a_whole_count_given_as_a_decimal_is_accepted():
    # 2.0 occurrences x 0.5 points
    assert evaluate(SCHEME, values(late=2.0)).total == Decimal("83.00")


def test_missing_count_for_a_counted_node():
    problem = only_problem(input_error(values(late=None)))
    assert problem.node == "late"


def test_fact_must_be_whole_when_declared_integer():
    problem = only_problem(input_error(values(absences=1.5)))
    assert "fact absences must be a whole number, not 1.5" in problem.message


def test_fact_outside_its_range():
    problem = only_problem(input_error(values(leave=-3)))
    assert "fact leave = -3 is outside 0–∞" in problem.message


def test_fact_that_is_not_a_number():
    problem = only_problem(input_error(values(leave="many")))
    assert "fact leave must be a number" in problem.message


def test_a_negative_count_from_a_fact_without_min_is_an_error():
    text = SCHEME_TEXT.replace(
        'name = "无故缺席次数"\nmin = 0\ninteger = true\n', 'name = "缺席"\n'
    )
    scheme = load_scheme_text(text)
    assert scheme.facts["absences"].min is None
    with pytest.raises(InputError):  # today: scores 88 instead of refusing
        evaluate(scheme, values(absences=-4))


# -- values at inner nodes, optional nodes --------------------------------------------


def test_value_at_both_a_node_and_its_ancestor():
    err = input_error(values(work=85))  # work.quality and work.speed are given too
    assert {p.node for p in err.problems} == {"work.quality", "work.speed"}
    for problem in err.problems:
        assert "value given for both this node and its ancestor work" in problem.message


def test_value_at_both_a_node_and_its_grandparent():
    err = input_error(values(total=90, inspection=None, innovation=None, late=None))
    assert "work.quality" in {p.node for p in err.problems}
    assert all("ancestor total" in p.message for p in err.problems)


def test_value_at_an_inner_node_stands_for_its_subtree():
    vals = values(work=85, **{"work__quality": None, "work__speed": None})
    result = evaluate(SCHEME, vals)
    # 85 x 60% + 90 x 40% = 87
    assert result.total == Decimal("87.00")
    work = next(c for c in result.root.children if c.node.id == "work")
    assert work.to_dict()["given_at_node"] is True


def test_value_at_an_inner_node_is_checked_against_its_range():
    vals = values(work=101, **{"work__quality": None, "work__speed": None})
    problem = only_problem(input_error(vals))
    assert problem.node == "work"
    assert "outside 0–100" in problem.message


def test_optional_node_omitted_is_fine():
    result = evaluate(SCHEME, VALID)
    village = next(c for c in result.root.children if c.node.id == "village")
    assert village.present is False


def test_optional_node_given_takes_its_weight():
    # work and public share 90%: 80 x 54% + 90 x 36% + 100 x 10% = 85.6
    assert evaluate(SCHEME, values(village=100)).total == Decimal("85.60")


def test_optional_node_value_is_still_checked():
    problem = only_problem(input_error(values(village=120)))
    assert problem.node == "village"


# -- all at once --------------------------------------------------------------------


def test_all_problems_are_reported_at_once():
    vals = values(public=150, inspection=[-1], bogus=1, absent=3, late=0.5)
    err = input_error(vals, vetoes=["不存在"], evidence={"nowhere": []})
    named = {p.node for p in err.problems}
    assert {"public", "inspection", "bogus", "absent", "late", "nowhere"} <= named
    assert any("unknown veto category" in p.message for p in err.problems)
    assert len(err.problems) == 7
    assert str(err) == err.problems[0].render()
