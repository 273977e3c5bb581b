"""Satisfaction index, weights and margin (jixiao.appraisal.statistics), checked by hand.

The hand case used throughout (also the worked example of docs/sampling.md):

    stratum  N_h  scores (0–100)          n_h  ȳ_h  s_h²
    A         40  100, 80, 80, 60, 80      5    80   (20² + 0 + 0 + 20² + 0) / 4 = 200
    B         60   60, 60, 80, 40, 60      5    60   (0 + 0 + 20² + 20² + 0) / 4 = 200

    W_A = 40/100 = 0.4, W_B = 60/100 = 0.6
    index    = 0.4·80 + 0.6·60 = 32 + 36 = 68
    variance = 0.4²·200/5·(1 − 5/40) + 0.6²·200/5·(1 − 5/60)
             = 0.16·40·0.875 + 0.36·40·(11/12)
             = 5.6 + 13.2 = 18.8
    margin   = 1.96·√18.8 ≈ 1.96·4.33590 ≈ 8.50     (margin² = 3.8416·18.8 = 72.22208)
    weights  w_A = 0.4/(5/10) = 0.8, w_B = 0.6/(5/10) = 1.2   (Σ w_h·n_h = 4 + 6 = 10 = n)
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jixiao.appraisal.statistics import (
    DEFAULT_POINTS,
    StatisticsError,
    for_display,
    poststrat_weights,
    respondent_score,
    satisfaction_index,
)


def points(*values: int) -> list[Decimal]:
    return [Decimal(v) for v in values]


A = points(100, 80, 80, 60, 80)
B = points(60, 60, 80, 40, 60)
POPULATION = {"A": 40, "B": 60}


def test_index_and_margin_match_the_hand_case() -> None:
    result = satisfaction_index({"A": A, "B": B}, POPULATION)
    assert result.index == Decimal(68)
    assert result.n == 10
    assert not result.suppressed
    # √18.8 is irrational: compare the square exactly to 28 places, and the display.
    assert abs(result.margin**2 - Decimal("72.22208")) < Decimal("1e-25")
    assert for_display(result.margin) == Decimal("8.50")
    assert result.by_stratum["A"].mean == Decimal(80)
    assert result.by_stratum["B"].mean == Decimal(60)
    assert result.by_stratum["A"].weight == Decimal("0.4")
    assert result.by_stratum["B"].weight == Decimal("0.6")


def test_poststrat_weights_match_the_hand_case() -> None:
    # C has people but no answers: it has no weight, and N is summed over A and B only.
    weights = poststrat_weights({**POPULATION, "C": 25}, {"A": 5, "B": 5, "C": 0})
    assert weights == {"A": Decimal("0.8"), "B": Decimal("1.2")}


def test_weights_redistribute_without_changing_n() -> None:
    # 人大代表 N=120, n=10; 农村居民 N=7 000, n=290; n = 300, N = 7 120.
    # w = (120/7120)/(10/300) ≈ 0.5056 and (7000/7120)/(290/300) ≈ 1.0171.
    weights = poststrat_weights(
        {"人大代表": 120, "农村居民": 7000}, {"人大代表": 10, "农村居民": 290}
    )
    assert abs(weights["人大代表"] * 10 + weights["农村居民"] * 290 - 300) < Decimal("1e-24")
    assert for_display(weights["人大代表"]) == Decimal("0.51")
    assert for_display(weights["农村居民"]) == Decimal("1.02")


def test_small_stratum_is_suppressed_but_still_counts() -> None:
    # Add C: N = 50, two answers 100 and 60 (ȳ = 80, s² = (20² + 20²)/1 = 800).
    # N = 150: W = 4/15, 6/15, 5/15; index = (4·80 + 6·60 + 5·80)/15 = 1080/15 = 72.
    # variance = (4/15)²·40·(35/40) + (6/15)²·40·(55/60) + (5/15)²·800/2·(48/50)
    #          = 560/225 + 1320/225 + 9600/225 = 11480/225
    result = satisfaction_index({"A": A, "B": B, "C": points(100, 60)}, {**POPULATION, "C": 50})
    assert abs(result.index - 72) < Decimal("1e-30")
    expected = Decimal("3.8416") * Decimal(11480) / Decimal(225)
    assert abs(result.margin**2 - expected) < Decimal("1e-24")
    c = result.by_stratum["C"]
    assert (c.n, c.mean, c.suppressed) == (2, None, True)
    assert for_display(c.weight) == Decimal("0.33")  # 5/15


def test_whole_unit_under_five_is_suppressed() -> None:
    result = satisfaction_index({"A": A[:2], "B": B[:2]}, POPULATION)
    assert (result.index, result.margin, result.suppressed, result.n) == (None, None, True, 4)
    assert all(s.mean is None and s.suppressed for s in result.by_stratum.values())


def test_min_group_is_a_parameter() -> None:
    result = satisfaction_index({"A": A[:2], "B": B[:2]}, POPULATION, min_group=2)
    # ȳ_A = (100 + 80)/2 = 90, ȳ_B = (60 + 60)/2 = 60; index = 0.4·90 + 0.6·60 = 72.
    assert result.index == Decimal(72)
    assert result.by_stratum["A"].mean == Decimal(90)


def test_one_response_stratum_has_no_variance() -> None:
    # A plus D: N_D = 10, one answer 40. N = 50: W_A = 0.8, W_D = 0.2.
    # index = 0.8·80 + 0.2·40 = 72; D has n = 1, so s_D² = 0 by rule:
    # variance = 0.64·200/5·(1 − 5/40) + 0.04·0 = 0.64·40·0.875 = 22.4
    # margin² = 3.8416·22.4 = 86.05184.
    result = satisfaction_index({"A": A, "D": points(40)}, {"A": 40, "D": 10}, min_group=1)
    assert result.index == Decimal(72)
    assert abs(result.margin**2 - Decimal("86.05184")) < Decimal("1e-25")
    assert result.by_stratum["D"].mean == Decimal(40)


def test_strata_without_answers_have_no_weight() -> None:
    result = satisfaction_index({"A": A, "B": []}, {"A": 40, "B": 60, "C": 5})
    assert result.index == Decimal(80)  # A alone carries the whole weight
    assert result.by_stratum["A"].weight == 1
    for name in ("B", "C"):
        assert result.by_stratum[name] == result.by_stratum[name].__class__(
            n=0, mean=None, weight=None, suppressed=True
        )


def test_answers_from_a_stratum_outside_the_frame_are_an_error() -> None:
    with pytest.raises(StatisticsError, match="农民"):
        satisfaction_index({"农民": A}, POPULATION)
    with pytest.raises(StatisticsError, match="农民"):
        poststrat_weights(POPULATION, {"农民": 3})


def test_scores_must_be_decimal_not_float() -> None:
    with pytest.raises(StatisticsError, match="“A”"):
        satisfaction_index({"A": [80.5] * 5}, POPULATION)  # type: ignore[list-item]


def test_respondent_score_is_the_mean_of_points() -> None:
    # 非常满意, 满意, 满意 → (100 + 80 + 80)/3 = 86.67 for display.
    assert for_display(respondent_score([5, 4, 4])) == Decimal("86.67")
    assert respondent_score([3]) == DEFAULT_POINTS[3] == Decimal(60)
    assert respondent_score([]) is None
    with pytest.raises(StatisticsError, match="6"):
        respondent_score([5, 6])


def test_display_rounds_half_up() -> None:
    assert for_display(Decimal("84.005")) == Decimal("84.01")  # half-even would give 84.00
    assert for_display(Decimal("84.0049")) == Decimal("84.00")
    assert for_display(None) is None


# --- properties ---------------------------------------------------------------

STRATUM = st.lists(st.integers(0, 100), min_size=1, max_size=12)


@st.composite
def survey(draw: st.DrawFn) -> tuple[dict[str, list[Decimal]], dict[str, int]]:
    answers = draw(st.dictionaries(st.sampled_from("ABCD"), STRATUM, min_size=1))
    population = {name: len(v) + draw(st.integers(0, 500)) for name, v in answers.items()}
    return {name: points(*v) for name, v in answers.items()}, population


@given(survey())
def test_index_lies_between_the_stratum_means(
    case: tuple[dict[str, list[Decimal]], dict[str, int]],
) -> None:
    scores, population = case
    result = satisfaction_index(scores, population, min_group=1)
    means = [Fraction(sum(v)) / len(v) for v in scores.values()]
    big_n = sum(population.values())
    exact = sum(Fraction(population[h]) / big_n * m for h, m in zip(scores, means, strict=True))
    tolerance = Fraction(1, 10**25)
    assert min(means) - tolerance <= Fraction(result.index) <= max(means) + tolerance
    assert abs(Fraction(result.index) - exact) < tolerance
    assert result.margin >= 0


@given(survey())
def test_a_census_has_no_margin(case: tuple[dict[str, list[Decimal]], dict[str, int]]) -> None:
    # Everyone in every stratum answered: the finite population correction is 0.
    scores, _ = case
    census = {name: len(v) for name, v in scores.items()}
    assert satisfaction_index(scores, census, min_group=1).margin == 0


@given(st.integers(0, 100), st.integers(1, 20), st.integers(0, 100))
def test_identical_answers_give_that_value_and_no_margin(value: int, n: int, extra: int) -> None:
    result = satisfaction_index({"A": points(*[value] * n)}, {"A": n + extra}, min_group=1)
    assert result.index == value
    assert result.margin == 0


# --- complementary suppression ---------------------------------------------------


def test_a_lone_suppressed_stratum_takes_the_smallest_shown_one_with_it() -> None:
    # C (2 answers) alone suppressed: its mean would be (72 − 4/15·80 − 6/15·60) ÷ 5/15 = 80.
    # A and B both have 5 answers: A goes too, first by name.
    result = satisfaction_index({"A": A, "B": B, "C": points(100, 60)}, {**POPULATION, "C": 50})
    a, b, c = (result.by_stratum[name] for name in "ABC")
    assert (a.mean, a.suppressed, a.complementary) == (None, True, True)
    assert (b.mean, b.suppressed, b.complementary) == (Decimal(60), False, False)
    assert (c.mean, c.suppressed, c.complementary) == (None, True, False)
    assert abs(result.index - 72) < Decimal("1e-30")  # the index itself is unchanged
    assert a.weight is not None  # the weights stay published
    plain = satisfaction_index(
        {"A": A, "B": B, "C": points(100, 60)}, {**POPULATION, "C": 50}, complementary=False
    )
    assert plain.by_stratum["A"].mean == Decimal(80)


def test_the_partner_is_the_stratum_with_fewest_answers() -> None:
    # A has 6 answers, B 5: B goes with C although A comes first by name.
    result = satisfaction_index(
        {"A": [*A, Decimal(80)], "B": B, "C": points(100)}, {"A": 40, "B": 60, "C": 50}
    )
    assert result.by_stratum["A"].mean == Decimal(80)
    assert result.by_stratum["B"].complementary and result.by_stratum["B"].mean is None


def test_no_extra_suppression_when_nothing_could_be_derived() -> None:
    # Two strata suppressed: one equation, two unknowns.
    two = satisfaction_index(
        {"A": A, "B": B, "C": points(100, 60), "D": points(40)}, {**POPULATION, "C": 50, "D": 9}
    )
    assert [n for n, r in two.by_stratum.items() if r.suppressed] == ["C", "D"]
    assert not any(r.complementary for r in two.by_stratum.values())
    # The index itself suppressed: nothing to derive from.
    hidden = satisfaction_index({"A": A[:3], "C": points(100)}, {"A": 40, "C": 50})
    assert hidden.index is None and hidden.by_stratum["A"].n == 3
    assert not any(r.complementary for r in hidden.by_stratum.values())
    # A stratum without answers has no mean to derive.
    empty = satisfaction_index({"A": A, "B": B, "C": []}, {**POPULATION, "C": 50})
    assert not any(r.complementary for r in empty.by_stratum.values())
    assert empty.by_stratum["A"].mean == Decimal(80)


SMALL_STRATUM = st.lists(st.integers(0, 100), min_size=0, max_size=9)


@st.composite
def small_survey(draw: st.DrawFn) -> tuple[dict[str, list[Decimal]], dict[str, int], int]:
    answers = draw(st.dictionaries(st.sampled_from("ABCDE"), SMALL_STRATUM, min_size=1))
    population = {name: len(v) + draw(st.integers(1, 50)) for name, v in answers.items()}
    min_group = draw(st.integers(2, 6))
    return {name: points(*v) for name, v in answers.items()}, population, min_group


@given(small_survey())
def test_a_published_index_never_gives_away_one_stratum(
    case: tuple[dict[str, list[Decimal]], dict[str, int], int],
) -> None:
    scores, population, min_group = case
    result = satisfaction_index(scores, population, min_group=min_group)
    plain = satisfaction_index(scores, population, min_group=min_group, complementary=False)
    answered = {name: r for name, r in result.by_stratum.items() if r.n}
    hidden = [name for name, r in answered.items() if r.suppressed]
    if result.index is not None:
        assert len(hidden) != 1
    # Only the means change: at most one more stratum, the smallest shown one, by name.
    assert (result.index, result.margin, result.n) == (plain.index, plain.margin, plain.n)
    extra = [name for name, r in answered.items() if r.complementary]
    shown_before = [name for name, r in plain.by_stratum.items() if r.n and not r.suppressed]
    assert len(extra) <= 1
    if extra:
        assert extra[0] == min(shown_before, key=lambda h: (plain.by_stratum[h].n, h))
    for name, r in answered.items():
        expected = None if r.suppressed else plain.by_stratum[name].mean
        assert r.mean == expected and r.suppressed == (r.n < min_group or r.complementary)
