"""Every validation error path of the scheme loader.

Each test builds a scheme text that is valid except for one defect, loads it,
and checks the SchemeError: the problem's message, the node it names and the
line it points at. Lines are found through a ``# HERE`` marker comment in the
text, so the tests do not depend on counting lines by hand.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from jixiao.engine import SchemeError, load_scheme_file, load_scheme_text, presets
from jixiao.engine.model import Kind, VetoEffect

SCHEMES = Path(__file__).parent / "schemes"
MARK = "# HERE"

HEAD = """\
[scheme]
id = "test-scheme"
name = "测试方案"
version = "1"
"""

# Two plain score leaves under the weighted root: the smallest valid tree.
NODES = """
[[node]]
id = "work"
name = "本职工作"
weight = 70

[[node]]
id = "ballot"
name = "民主测评"
weight = 30
"""

# Grade names never equal node names: the loader finds a band's line by its
# `name = "..."` text (see test_grade_line_is_not_taken_from_a_node_with_the_same_name).
GRADES = """
[[grade]]
name = "优"
min = 90

[[grade]]
name = "良"
min = 80

[[grade]]
name = "差"
"""


def scheme_text(nodes: str = NODES, grades: str = GRADES, extra: str = "", head: str = HEAD):
    return head + nodes + grades + extra


def marked_line(text: str, nth: int = 1) -> int:
    """The 1-based number of the nth line carrying the # HERE marker."""
    hits = [number for number, line in enumerate(text.splitlines(), 1) if MARK in line]
    assert len(hits) >= nth, f"the test text has {len(hits)} markers"
    return hits[nth - 1]


def load_error(text: str) -> SchemeError:
    with pytest.raises(SchemeError) as info:
        load_scheme_text(text, source="test.toml")
    return info.value


def problem_matching(err: SchemeError, fragment: str):
    """The one problem whose message contains fragment (fails listing all of them)."""
    found = [p for p in err.problems if fragment in p.message]
    assert found, f"no problem mentions {fragment!r}: {err.lines()}"
    return found[0]


# -- baselines: the fixtures above are valid, so each defect below is the only one ---


def test_baseline_text_loads():
    scheme = load_scheme_text(scheme_text())
    assert [n.id for n, _ in scheme.walk()] == ["total", "work", "ballot"]
    assert [g.name for g in scheme.grades] == ["优", "良", "差"]


@pytest.mark.parametrize("name", presets.names())
def test_every_preset_loads(name):
    scheme = presets.load(name)
    assert scheme.id == name
    assert scheme.grades


def test_schemeerror_is_an_engine_error_with_problems():
    err = load_error(scheme_text(nodes=NODES.replace("weight = 30", "weight = 25")))
    assert isinstance(err, SchemeError)
    assert err.problems
    assert err.source == "test.toml"


# -- TOML and the [scheme] table --------------------------------------------------


def test_invalid_toml_reports_the_line_of_the_syntax_error():
    text = scheme_text(extra='\n[[grade]]\nname = = "x"  # HERE\n')
    err = load_error(text)
    assert len(err.problems) == 1
    problem = err.problems[0]
    assert problem.message.startswith("not valid TOML")
    assert problem.line == marked_line(text)
    assert str(err).startswith(f"test.toml:{marked_line(text)}: not valid TOML")


def test_invalid_toml_message_drops_the_duplicated_position():
    err = load_error('[scheme]\nid = "x"\nid = "y"\n')
    assert err.problems[0].line == 3
    assert "(at line" not in err.problems[0].message


def test_missing_scheme_table():
    err = load_error(NODES + GRADES)
    problem = problem_matching(err, "[scheme] table")
    assert problem.line == 1
    assert "id, name and version" in problem.message


@pytest.mark.parametrize("key", ["id", "name"])
def test_missing_scheme_id_or_name(key):
    head = "".join(line + "\n" for line in HEAD.splitlines() if not line.startswith(key))
    err = load_error(scheme_text(head=head))
    assert len(err.problems) == 1
    assert err.problems[0].message == f"{key} is required"
    assert err.problems[0].line == 1  # the [scheme] header


def test_missing_scheme_version():
    head = HEAD.replace('version = "1"\n', "")
    err = load_error(scheme_text(head=head))
    assert len(err.problems) == 1
    assert err.problems[0].message.startswith("version is required")
    assert err.problems[0].line == 1


def test_empty_scheme_id_is_rejected():
    err = load_error(scheme_text(head=HEAD.replace('id = "test-scheme"', 'id = "  "')))
    assert "id must be a non-empty string" in str(err)


def test_numeric_version_is_accepted_as_text():
    scheme = load_scheme_text(scheme_text(head=HEAD.replace('version = "1"', "version = 2024")))
    assert scheme.version == "2024"


def test_unknown_top_level_table():
    err = load_error(scheme_text(extra="\n[nodes]\nx = 1\n"))
    assert "unknown key 'nodes' in the file" in str(err)


# -- node declarations ------------------------------------------------------------


def test_no_nodes():
    err = load_error(scheme_text(nodes=""))
    problem = problem_matching(err, "no [[node]] entries")
    assert problem.line == 1


def test_bad_node_id_pattern():
    nodes = NODES + '\n[[node]]\nid = "bad id"  # HERE\nname = "坏"\n'
    text = scheme_text(nodes=nodes)
    err = load_error(text)
    problem = problem_matching(err, "'bad id'")
    assert "node entry 3" in problem.message
    assert "dotted segments" in problem.message
    assert problem.line == marked_line(text)


@pytest.mark.parametrize("bad", ["a..b", ".a", "a.", "中文"])
def test_more_bad_node_ids(bad):
    nodes = NODES + f'\n[[node]]\nid = "{bad}"\nname = "坏"\n'
    err = load_error(scheme_text(nodes=nodes))
    assert repr(bad) in problem_matching(err, "dotted segments").message


def test_reserved_id_total():
    nodes = NODES + '\n[[node]]\nid = "total"  # HERE\nname = "总"\n'
    text = scheme_text(nodes=nodes)
    err = load_error(text)
    problem = problem_matching(err, "reserved for the root")
    assert problem.node == "total"
    assert problem.line == marked_line(text)


def test_duplicate_id_mentions_the_first_line():
    nodes = (
        '\n[[node]]\nid = "work"  # HERE\nname = "本职工作"\nweight = 70\n'
        '\n[[node]]\nid = "ballot"\nname = "民主测评"\nweight = 30\n'
        '\n[[node]]\nid = "work"\nname = "又一个"\nweight = 10\n'
    )
    text = scheme_text(nodes=nodes)
    err = load_error(text)
    problem = problem_matching(err, "duplicate id")
    assert problem.node == "work"
    assert f"first declared on line {marked_line(text)}" in problem.message
    assert "node work" in str(err)


def test_node_id_also_declared_as_fact():
    extra = '\n[facts.work]\nname = "工作"\n'
    err = load_error(scheme_text(extra=extra))
    problem = problem_matching(err, "also declared as a fact")
    assert problem.node == "work"


def test_parent_not_declared():
    nodes = NODES + '\n[[node]]\nid = "missing.child"  # HERE\nname = "孤儿"\n'
    text = scheme_text(nodes=nodes)
    err = load_error(text)
    problem = problem_matching(err, "parent missing is not declared")
    assert problem.node == "missing.child"
    assert problem.line == marked_line(text)


def test_unknown_kind_lists_the_known_kinds():
    nodes = NODES.replace('id = "ballot"', 'id = "ballot"  # HERE\nkind = "scroe"')
    text = scheme_text(nodes=nodes)
    err = load_error(text)
    problem = problem_matching(err, "unknown kind 'scroe'")
    assert problem.node == "ballot"
    assert problem.line == marked_line(text)
    for kind in Kind:
        assert kind.value in problem.message


def test_unknown_key_in_node_names_the_typo():
    nodes = NODES.replace('id = "ballot"', 'id = "ballot"  # HERE').replace(
        "weight = 30", "wieght = 30"
    )
    text = scheme_text(nodes=nodes)
    err = load_error(text)
    problem = problem_matching(err, "unknown key 'wieght'")
    assert problem.node == "ballot"
    assert problem.line == marked_line(text)
    assert "weight" in problem.message.split("known:")[1]
    assert str(err).startswith(f"test.toml:{marked_line(text)}: node ballot: unknown key")


def test_node_without_name():
    nodes = NODES.replace('name = "民主测评"\n', "")
    err = load_error(scheme_text(nodes=nodes))
    problem = problem_matching(err, "name is required")
    assert problem.node == "ballot"


def test_non_numeric_weight():
    nodes = NODES.replace("weight = 30", 'weight = "thirty"')
    err = load_error(scheme_text(nodes=nodes))
    problem = problem_matching(err, "weight must be a number")
    assert problem.node == "ballot"
    assert "'thirty'" in problem.message


# -- weights ------------------------------------------------------------------------

WEIGHTED_PARENT = """
[[node]]
id = "work"  # HERE
name = "本职工作"
kind = "weighted"
weight = 70

[[node]]
id = "work.a"
name = "甲"
weight = 60

[[node]]
id = "work.b"
name = "乙"
weight = 35

[[node]]
id = "ballot"
name = "民主测评"
weight = 30
"""


def test_weights_not_summing_to_100_name_the_parent_and_the_sum():
    text = scheme_text(nodes=WEIGHTED_PARENT)
    err = load_error(text)
    assert len(err.problems) == 1
    problem = err.problems[0]
    assert problem.node == "work"
    assert problem.line == marked_line(text)
    assert "sum to 95" in problem.message
    assert "work.a 60" in problem.message and "work.b 35" in problem.message
    assert "node work" in str(err)


def test_root_weights_not_summing_to_100_name_the_root():
    err = load_error(scheme_text(nodes=NODES.replace("weight = 30", "weight = 35")))
    problem = problem_matching(err, "sum to 105")
    assert problem.node == "total"


def test_decimal_weights_summing_to_100_are_exact():
    nodes = NODES.replace("weight = 70", "weight = 66.7").replace("weight = 30", "weight = 33.3")
    scheme = load_scheme_text(scheme_text(nodes=nodes))
    assert sum(scheme.nodes[i].weight for i in ("work", "ballot")) == 100


def test_optional_weights_of_100_or_more():
    nodes = NODES + (
        '\n[[node]]\nid = "village"\nname = "蹲点村"\nweight = 60\noptional = true\n'
        '\n[[node]]\nid = "extra"\nname = "附加"\nweight = 40\noptional = true\n'
    )
    err = load_error(scheme_text(nodes=nodes))
    problem = problem_matching(err, "optional children sum to 100")
    assert problem.node == "total"
    assert "must be < 100" in problem.message


def test_weight_on_a_child_of_a_sum_node():
    nodes = """
[[node]]
id = "work"
name = "本职工作"
kind = "sum"
weight = 70

[[node]]
id = "work.base"
name = "基础分"
max = 60

[[node]]
id = "work.effect"  # HERE
name = "效果分"
max = 40
weight = 40

[[node]]
id = "ballot"
name = "民主测评"
weight = 30
"""
    text = scheme_text(nodes=nodes)
    err = load_error(text)
    problem = problem_matching(err, "children of a sum node carry no weight")
    assert problem.node == "work.effect"
    assert problem.line == marked_line(text)


def test_missing_weight_under_a_weighted_node():
    nodes = NODES.replace('id = "ballot"', 'id = "ballot"  # HERE').replace("weight = 30\n", "")
    text = scheme_text(nodes=nodes)
    err = load_error(text)
    problem = problem_matching(err, "weight is required under weighted node total")
    assert problem.node == "ballot"
    assert problem.line == marked_line(text)


def test_weight_on_an_adjustment():
    nodes = NODES + (
        '\n[[node]]\nid = "inspection"  # HERE\nname = "察访核验"\nkind = "deductions"\n'
        "cap = 3\nweight = 10\n"
    )
    text = scheme_text(nodes=nodes)
    err = load_error(text)
    problem = problem_matching(err, "takes no weight")
    assert problem.node == "inspection"
    assert problem.line == marked_line(text)
    assert "deductions node without base" in problem.message


def test_negative_weight():
    nodes = NODES.replace("weight = 70", "weight = 110").replace("weight = 30", "weight = -10")
    err = load_error(scheme_text(nodes=nodes))
    problem = problem_matching(err, "weight must not be negative (-10)")
    assert problem.node == "ballot"


def test_negative_cap():
    nodes = NODES + (
        '\n[[node]]\nid = "inspection"  # HERE\nname = "察访核验"\nkind = "deductions"\ncap = -3\n'
    )
    text = scheme_text(nodes=nodes)
    err = load_error(text)
    problem = problem_matching(err, "cap must not be negative (-3)")
    assert problem.node == "inspection"
    assert problem.line == marked_line(text)


@pytest.mark.parametrize(("low", "high"), [(100, 50), (10, 10)])
def test_score_min_not_below_max(low, high):
    nodes = NODES.replace("weight = 30", f"weight = 30\nmin = {low}\nmax = {high}")
    err = load_error(scheme_text(nodes=nodes))
    problem = problem_matching(err, f"min {low} must be below max {high}")
    assert problem.node == "ballot"


def test_inner_node_without_children():
    nodes = NODES.replace("weight = 30", 'weight = 30\nkind = "weighted"')
    err = load_error(scheme_text(nodes=nodes))
    assert problem_matching(err, "a weighted node needs children").node == "ballot"


def test_leaf_with_children():
    nodes = NODES.replace("weight = 70", 'weight = 70\nkind = "score"') + (
        '\n[[node]]\nid = "work.a"\nname = "甲"\nweight = 100\n'
    )
    err = load_error(scheme_text(nodes=nodes))
    problem = problem_matching(err, "a score node cannot have children (found work.a)")
    assert problem.node == "work"


# -- counted, bonuses, coupled ------------------------------------------------------


def test_counted_without_per():
    nodes = NODES + '\n[[node]]\nid = "late"  # HERE\nname = "迟到"\nkind = "counted"\n'
    text = scheme_text(nodes=nodes)
    err = load_error(text)
    problem = problem_matching(err, "needs per")
    assert problem.node == "late"
    assert problem.line == marked_line(text)


def test_bonuses_without_cap():
    nodes = NODES + '\n[[node]]\nid = "innovation"  # HERE\nname = "创新"\nkind = "bonuses"\n'
    text = scheme_text(nodes=nodes)
    err = load_error(text)
    problem = problem_matching(err, "needs cap")
    assert problem.node == "innovation"
    assert problem.line == marked_line(text)


def test_bonuses_with_base():
    nodes = NODES + (
        '\n[[node]]\nid = "innovation"\nname = "创新"\nkind = "bonuses"\ncap = 5\nbase = 100\n'
    )
    err = load_error(scheme_text(nodes=nodes))
    problem = problem_matching(err, "a bonuses node adds points; it takes no base")
    assert problem.node == "innovation"


def test_item_cap_outside_bonuses_and_fact_outside_counted():
    nodes = NODES.replace("weight = 30", 'weight = 30\nitem_cap = 2\nfact = "days"')
    err = load_error(scheme_text(nodes=nodes, extra='\n[facts.days]\nname = "天数"\n'))
    assert problem_matching(err, "item_cap applies to bonuses").node == "ballot"
    assert problem_matching(err, "fact applies to counted").node == "ballot"


COUPLED = """
[root]
kind = "coupled"
share = 0.5
own = "own"
unit = "unit"

[[node]]
id = "own"
name = "个人绩效"

[[node]]
id = "unit"
name = "单位得分"
"""


def test_coupled_baseline_loads():
    scheme = load_scheme_text(scheme_text(nodes=COUPLED))
    assert scheme.root.kind is Kind.COUPLED
    assert scheme.root.share == Decimal("0.5")


def test_coupled_without_share():
    err = load_error(scheme_text(nodes=COUPLED.replace("share = 0.5\n", "")))
    problem = problem_matching(err, "needs share")
    assert problem.node == "total"


@pytest.mark.parametrize("share", ["1.5", "0", "-0.5"])
def test_coupled_share_outside_zero_to_one(share):
    err = load_error(scheme_text(nodes=COUPLED.replace("share = 0.5", f"share = {share}")))
    assert problem_matching(err, "a fraction above 0 and at most 1").node == "total"


def test_coupled_own_not_a_child():
    err = load_error(scheme_text(nodes=COUPLED.replace('own = "own"', 'own = "self"')))
    problem = problem_matching(err, "own must name a child")
    assert problem.node == "total"
    assert "own" in problem.message and "unit" in problem.message  # lists the children


def test_coupled_children_carry_no_weight():
    nodes = COUPLED.replace('name = "单位得分"', 'name = "单位得分"\nweight = 50')
    err = load_error(scheme_text(nodes=nodes))
    assert problem_matching(err, "children of a coupled node carry no weight").node == "unit"


# -- grade bands ----------------------------------------------------------------------


def test_no_grade_bands():
    err = load_error(scheme_text(grades=""))
    problem = problem_matching(err, "needs [[grade]] bands")
    assert problem.line == 1


def test_duplicate_grade_name():
    grades = GRADES + '\n[[grade]]\nname = "良"\nmin = 70\n'
    err = load_error(scheme_text(grades=grades))
    assert "grade 良 is declared twice" in problem_matching(err, "declared twice").message


def test_two_bands_with_the_same_min_overlap():
    grades = GRADES.replace("min = 80", "min = 90").replace('name = "良"', 'name = "良"  # HERE')
    text = scheme_text(grades=grades)
    err = load_error(text)
    problem = problem_matching(err, "overlap")
    assert "优" in problem.message and "良" in problem.message
    assert "both start at 90" in problem.message
    assert problem.line == marked_line(text)


def test_below_leaving_a_gap():
    grades = GRADES.replace('name = "良"', 'name = "良"  # HERE').replace(
        "min = 80", "min = 80\nbelow = 85"
    )
    text = scheme_text(grades=grades)
    err = load_error(text)
    problem = problem_matching(err, "a gap")
    assert "良 ends below 85 but 优 starts at 90" in problem.message
    assert problem.line == marked_line(text)


def test_below_leaving_an_overlap():
    grades = GRADES.replace("min = 80", "min = 80\nbelow = 95")
    err = load_error(scheme_text(grades=grades))
    problem = problem_matching(err, "an overlap")
    assert "良 ends below 95 but 优 starts at 90" in problem.message


def test_below_matching_the_next_band_is_fine():
    grades = GRADES.replace("min = 80", "min = 80\nbelow = 90")
    scheme = load_scheme_text(scheme_text(grades=grades))
    assert scheme.grade_for(Decimal("89.99")) == "良"


def test_highest_band_cannot_have_below():
    grades = GRADES.replace("min = 90", "min = 90\nbelow = 100")
    err = load_error(scheme_text(grades=grades))
    assert "highest grade band 优 cannot have below" in str(err)


def test_lowest_band_with_a_min_above_zero_leaves_a_gap_below():
    grades = GRADES.replace('name = "差"', 'name = "差"  # HERE\nmin = 60')
    text = scheme_text(grades=grades)
    err = load_error(text)
    problem = problem_matching(err, "totals below 60 have no grade")
    assert "lowest band 差" in problem.message
    assert problem.line == marked_line(text)


def test_lowest_band_may_start_at_the_lowest_reachable_total():
    # Both leaves have a floor of 50, so no total is below 50.
    nodes = NODES.replace("weight = 70", "weight = 70\nmin = 50").replace(
        "weight = 30", "weight = 30\nmin = 50"
    )
    grades = GRADES.replace('name = "差"', 'name = "差"\nmin = 50')
    scheme = load_scheme_text(scheme_text(nodes=nodes, grades=grades))
    assert scheme.root.low == 50
    assert scheme.grades[-1].min == 50


def test_two_open_bands():
    grades = GRADES + '\n[[grade]]\nname = "极差"  # HERE\n'
    text = scheme_text(grades=grades)
    err = load_error(text)
    problem = problem_matching(err, "only the lowest grade band may omit min")
    assert "差, 极差" in problem.message
    assert problem.line == marked_line(text)


def test_grade_band_without_name():
    err = load_error(scheme_text(grades=GRADES + "\n[[grade]]\nmin = 10\n"))
    assert "grade band 4 needs a name" in str(err)


def test_unknown_key_in_grade_band():
    err = load_error(scheme_text(grades=GRADES.replace("min = 80", "minimum = 80")))
    assert "unknown key 'minimum' in grade 良" in str(err)


# -- veto, eligibility, award, facts --------------------------------------------------


def test_veto_unknown_effect_lists_the_known_effects():
    extra = '\n[veto]  # HERE\ncategories = ["安全生产"]\neffect = "disqualify"\n'
    text = scheme_text(extra=extra)
    err = load_error(text)
    problem = problem_matching(err, "unknown veto effect 'disqualify'")
    assert problem.line == marked_line(text)
    for effect in VetoEffect:
        assert effect.value in problem.message


@pytest.mark.parametrize("grade_line", ["", 'grade = "不存在"\n'])
def test_veto_effect_grade_needs_a_valid_grade(grade_line):
    extra = f'\n[veto]  # HERE\ncategories = ["安全生产"]\neffect = "grade"\n{grade_line}'
    text = scheme_text(extra=extra)
    err = load_error(text)
    problem = problem_matching(err, "veto effect 'grade' needs grade")
    assert problem.line == marked_line(text)


def test_veto_effect_grade_with_a_band_loads():
    extra = '\n[veto]\ncategories = ["安全生产"]\neffect = "grade"\ngrade = "差"\n'
    scheme = load_scheme_text(scheme_text(extra=extra))
    assert scheme.vetoes.effect is VetoEffect.GRADE
    assert scheme.vetoes.grade == "差"


def test_veto_category_listed_twice():
    extra = '\n[veto]\ncategories = ["综治", "综治"]\n'
    assert "listed twice" in str(load_error(scheme_text(extra=extra)))


def test_eligibility_on_an_undeclared_fact():
    extra = '\n[[eligibility]]\nfact = "leave_days"  # HERE\nop = ">"\nvalue = 30\n'
    text = scheme_text(extra=extra)
    err = load_error(text)
    problem = problem_matching(err, "fact 'leave_days' is not declared")
    assert "eligibility rule 1" in problem.message
    assert problem.line == marked_line(text)


@pytest.mark.parametrize("op", ["==", "=>", "gt"])
def test_eligibility_bad_op(op):
    extra = (
        '\n[facts.leave_days]\nname = "请假天数"\n'
        f'\n[[eligibility]]\nfact = "leave_days"  # HERE\nop = "{op}"\nvalue = 30\n'
    )
    text = scheme_text(extra=extra)
    err = load_error(text)
    problem = problem_matching(err, "eligibility op must be one of >, >=, <, <=")
    assert repr(op) in problem.message
    assert problem.line == marked_line(text)


def test_eligibility_without_value():
    extra = (
        '\n[facts.leave_days]\nname = "请假天数"\n'
        '\n[[eligibility]]\nfact = "leave_days"\nop = ">"\n'
    )
    assert "needs a numeric value" in str(load_error(scheme_text(extra=extra)))


def test_award_min_grade_not_a_band():
    extra = '\n[award]  # HERE\nmin_grade = "优秀"\n'
    text = scheme_text(extra=extra)
    err = load_error(text)
    problem = problem_matching(err, "award min_grade '优秀' is not a grade band")
    assert problem.line == marked_line(text)


def test_counted_node_on_an_undeclared_fact():
    nodes = NODES + (
        '\n[[node]]\nid = "absent"  # HERE\nname = "缺席"\nkind = "counted"\nper = 0.5\n'
        'fact = "absences"\n'
    )
    text = scheme_text(nodes=nodes)
    err = load_error(text)
    problem = problem_matching(err, "fact 'absences' is not declared under [facts]")
    assert problem.node == "absent"
    assert problem.line == marked_line(text)


def test_fact_min_above_max():
    extra = '\n[facts.days]\nname = "天数"\nmin = 10\nmax = 5\n'
    assert "fact days: min 10 is above max 5" in str(load_error(scheme_text(extra=extra)))


# -- several problems, files -------------------------------------------------------


def test_several_problems_are_all_reported_and_str_is_the_first():
    grades = GRADES.replace("min = 80", "min = 90") + '\n[[grade]]\nname = "极差"\n'
    extra = '\n[veto]\neffect = "disqualify"\n\n[award]\nmin_grade = "优秀"\n'
    err = load_error(scheme_text(grades=grades, extra=extra))
    assert len(err.problems) >= 4
    messages = " | ".join(p.message for p in err.problems)
    for fragment in ("overlap", "may omit min", "unknown veto effect", "award min_grade"):
        assert fragment in messages
    assert str(err) == err.problems[0].render("test.toml")
    assert err.lines()[0] == str(err)
    assert len(err.lines()) == len(err.problems)


def test_several_node_problems_are_all_reported():
    nodes = NODES.replace("weight = 70", "wieght = 70").replace(
        'id = "ballot"', 'id = "ballot"\nkind = "scroe"'
    )
    err = load_error(scheme_text(nodes=nodes))
    assert len(err.problems) > 1
    nodes_named = {p.node for p in err.problems}
    assert {"work", "ballot"} <= nodes_named


def test_malformed_file_reports_its_path_and_line():
    path = SCHEMES / "bad-weights.toml"
    with pytest.raises(SchemeError) as info:
        load_scheme_file(path)
    err = info.value
    line = next(
        n for n, text in enumerate(path.read_text("utf-8").splitlines(), 1) if 'id = "a"' in text
    )
    assert str(err).startswith(f"{path}:{line}: node a: ")
    assert "sum to 95" in str(err)


def test_valid_fixture_file_loads():
    scheme = load_scheme_file(SCHEMES / "small.toml")
    assert scheme.id == "small"
    assert scheme.nodes["work.speed"].max == 10


def test_invalid_toml_file_reports_path_and_line(tmp_path):
    path = tmp_path / "broken.toml"
    path.write_text(HEAD + "\n[[node]\n", encoding="utf-8")
    with pytest.raises(SchemeError) as info:
        load_scheme_file(path)
    assert str(info.value).startswith(f"{path}:6: not valid TOML")


def test_non_utf8_file(tmp_path):
    path = tmp_path / "gbk.toml"
    path.write_bytes(scheme_text().encode("gbk"))
    with pytest.raises(SchemeError) as info:
        load_scheme_file(path)
    assert str(path) in str(info.value)
    assert "not UTF-8" in str(info.value)


def test_missing_file(tmp_path):
    path = tmp_path / "nowhere.toml"
    with pytest.raises(SchemeError) as info:
        load_scheme_file(path)
    assert str(info.value).startswith(f"{path}: cannot read the file")
    assert "No such file" in str(info.value)


# -- regressions: engine bugs found while writing these tests ----


def test_grade_line_is_not_taken_from_a_node_with_the_same_name():
    nodes = NODES.replace('name = "民主测评"', 'name = "差"')
    grades = GRADES.replace('name = "差"', 'name = "差"  # HERE\nmin = 60')
    text = scheme_text(nodes=nodes, grades=grades)
    err = load_error(text)
    assert problem_matching(err, "have no grade").line == marked_line(text)


def test_eligibility_line_is_not_taken_from_a_counted_node_with_the_same_fact():
    nodes = NODES + (
        '\n[[node]]\nid = "absent"\nname = "缺席"\nkind = "counted"\nper = 1\nfact = "absences"\n'
    )
    extra = (
        '\n[facts.absences]\nname = "缺席次数"\n'
        '\n[[eligibility]]\nfact = "absences"  # HERE\nop = "=="\nvalue = 3\n'
    )
    text = scheme_text(nodes=nodes, extra=extra)
    err = load_error(text)
    assert problem_matching(err, "eligibility op").line == marked_line(text)


def test_node_line_is_not_taken_from_the_scheme_table():
    head = HEAD.replace('id = "test-scheme"', 'id = "ballot"')
    nodes = NODES.replace('id = "ballot"', 'id = "ballot"  # HERE').replace(
        "weight = 30", "wieght = 30"
    )
    text = scheme_text(head=head, nodes=nodes)
    err = load_error(text)
    assert problem_matching(err, "wieght").line == marked_line(text)


@pytest.mark.parametrize(
    "leaf",
    ["min = -10\nmax = 0", 'kind = "deductions"\nbase = 0'],
    ids=["score-max-0", "deductions-base-0"],
)
def test_zero_full_marks_is_a_scheme_error(leaf):
    nodes = NODES.replace("weight = 30", f"weight = 30\n{leaf}")
    err = load_error(scheme_text(nodes=nodes))
    assert "ballot" in {p.node for p in err.problems}


def test_negative_full_marks_is_a_scheme_error():
    nodes = NODES.replace("weight = 30", "weight = 30\nmin = -20\nmax = -10")
    err = load_error(scheme_text(nodes=nodes))
    assert "ballot" in {p.node for p in err.problems}


def test_disclose_people_is_a_boolean_and_defaults_to_false():
    assert presets.load("haiyong-taskforce").disclose_people is True
    assert presets.load("bailian-town").disclose_people is False
    assert load_scheme_text(scheme_text()).disclose_people is False
    head = HEAD + "disclose_people = true\n"
    assert load_scheme_text(scheme_text(head=head)).disclose_people is True
    err = load_error(scheme_text(head=HEAD + 'disclose_people = "yes"\n'))
    assert problem_matching(err, "disclose_people must be true or false").line == 1
