"""Stratified sampling (jixiao.appraisal.sampling): allocation, draws, replacements."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jixiao.appraisal.sampling import (
    SamplingError,
    allocate_proportional,
    allocate_quotas,
    draw_replacement,
    draw_sample,
)

STRATUM_NAMES = st.text(alphabet="人大代表企业主城镇农村居民abc", min_size=1, max_size=4)
SIZES = st.dictionaries(STRATUM_NAMES, st.integers(0, 400), min_size=1, max_size=6)


@st.composite
def sizes_and_n(draw: st.DrawFn) -> tuple[dict[str, int], int]:
    sizes = draw(SIZES)
    return sizes, draw(st.integers(0, sum(sizes.values())))


@st.composite
def sizes_and_quotas(draw: st.DrawFn) -> tuple[dict[str, int], dict[str, int]]:
    sizes = draw(SIZES)
    named = draw(st.lists(st.sampled_from(sorted(sizes)), unique=True))
    return sizes, {name: draw(st.integers(0, sizes[name])) for name in named}


@st.composite
def strata_and_allocation(
    draw: st.DrawFn,
) -> tuple[dict[str, list[int]], dict[str, int]]:
    """Disjoint strata of integer keys (as respondent pks) and a fitting allocation."""
    sizes = draw(st.dictionaries(STRATUM_NAMES, st.integers(0, 60), min_size=1, max_size=5))
    keys = draw(st.permutations(range(sum(sizes.values()))))
    strata, start = {}, 0
    for name, size in sizes.items():
        strata[name] = list(keys[start : start + size])
        start += size
    allocation = {name: draw(st.integers(0, len(k))) for name, k in strata.items()}
    return strata, allocation


# --- allocation ---------------------------------------------------------------


@given(sizes_and_n())
def test_proportional_allocation_sums_to_n(case: tuple[dict[str, int], int]) -> None:
    sizes, n = case
    assert sum(allocate_proportional(sizes, n).values()) == n


@given(sizes_and_n())
def test_each_stratum_within_one_of_its_exact_share(case: tuple[dict[str, int], int]) -> None:
    sizes, n = case
    total = sum(sizes.values())
    allocation = allocate_proportional(sizes, n)
    assert set(allocation) == set(sizes)
    for name, size in sizes.items():
        exact = Fraction(n * size, total) if total else Fraction(0)
        # Hamilton: the whole part of the share, or one more.
        assert exact - 1 < allocation[name] < exact + 1
        assert 0 <= allocation[name] <= size


@given(sizes_and_n())
def test_allocation_does_not_depend_on_the_order_of_strata(
    case: tuple[dict[str, int], int],
) -> None:
    sizes, n = case
    reversed_sizes = dict(reversed(list(sizes.items())))
    assert allocate_proportional(reversed_sizes, n) == allocate_proportional(sizes, n)


def test_ties_go_to_the_larger_stratum_first() -> None:
    # 3 of 6: exact shares 人大代表 1·3/6 = 0.5, 企业主 2·3/6 = 1, 城镇居民 3·3/6 = 1.5.
    # Whole parts 0 + 1 + 1 = 2, one seat left; remainders 0.5 and 0.5 tie:
    # 城镇居民 (3 people) beats 人大代表 (1 person).
    sizes = {"人大代表": 1, "企业主": 2, "城镇居民": 3}
    assert allocate_proportional(sizes, 3) == {"人大代表": 0, "企业主": 1, "城镇居民": 2}


def test_ties_between_equal_strata_go_by_name() -> None:
    # 1 of 4 over two strata of 2: shares 0.5 and 0.5, equal sizes; "a" < "b".
    assert allocate_proportional({"b": 2, "a": 2}, 1) == {"a": 1, "b": 0}
    # 5 of 10 over x = 3, y = 7: shares 1.5 and 3.5 tie at .5 → the larger y.
    assert allocate_proportional({"x": 3, "y": 7}, 5) == {"x": 1, "y": 4}
    # The remainder comes before size: 4 of 10 over x = 7, y = 3: shares 2.8 and 1.2,
    # whole parts 2 + 1, the seat left goes to x's .8.
    assert allocate_proportional({"x": 7, "y": 3}, 4) == {"x": 3, "y": 1}
    # …and before size when the smaller stratum has the larger remainder: 2 of 10 over
    # x = 7, y = 3: shares 1.4 and 0.6, whole parts 1 + 0, y's .6 wins.
    assert allocate_proportional({"x": 7, "y": 3}, 2) == {"x": 1, "y": 1}


def test_600_over_bailian_strata() -> None:
    # 600 of 12 000: 人大代表 120 → 6, 企业主 880 → 44, 城镇 4 000 → 200, 农村 7 000 → 350,
    # all exact, nothing left over.
    sizes = {"人大代表": 120, "企业主": 880, "城镇居民": 4000, "农村居民": 7000}
    assert allocate_proportional(sizes, 600) == {
        "人大代表": 6,
        "企业主": 44,
        "城镇居民": 200,
        "农村居民": 350,
    }


def test_proportional_rejects_n_above_the_frame_and_negatives() -> None:
    with pytest.raises(SamplingError, match="601"):
        allocate_proportional({"a": 300, "b": 300}, 601)
    with pytest.raises(SamplingError, match="负数"):
        allocate_proportional({"a": 3}, -1)
    with pytest.raises(SamplingError, match="“a”"):
        allocate_proportional({"a": -3, "b": 5}, 1)


@given(sizes_and_quotas())
def test_quota_allocation_is_the_quotas(case: tuple[dict[str, int], dict[str, int]]) -> None:
    sizes, quotas = case
    allocation = allocate_quotas(sizes, quotas)
    assert set(allocation) == set(sizes)
    for name in sizes:
        assert allocation[name] == quotas.get(name, 0)


def test_quota_errors_name_the_stratum() -> None:
    sizes = {"人大代表": 10, "企业主": 20}
    with pytest.raises(SamplingError, match="农民"):
        allocate_quotas(sizes, {"农民": 1})
    with pytest.raises(SamplingError, match=r"企业主.*负数"):
        allocate_quotas(sizes, {"企业主": -1})
    with pytest.raises(SamplingError, match=r"人大代表.*11.*10"):
        allocate_quotas(sizes, {"人大代表": 11})


# --- draws --------------------------------------------------------------------


@given(strata_and_allocation(), st.text(max_size=8))
def test_draw_takes_the_allocation_from_each_stratum_without_duplicates(
    case: tuple[dict[str, list[int]], dict[str, int]], seed: str
) -> None:
    strata, allocation = case
    sample = draw_sample(strata, allocation, seed)
    drawn = [key for keys in sample.values() for key in keys]
    assert len(drawn) == len(set(drawn))
    for name, keys in strata.items():
        assert len(sample[name]) == allocation.get(name, 0)
        assert set(sample[name]) <= set(keys)


@given(strata_and_allocation(), st.text(max_size=8))
def test_same_seed_same_sample_whatever_the_key_order(
    case: tuple[dict[str, list[int]], dict[str, int]], seed: str
) -> None:
    strata, allocation = case
    shuffled = {name: list(reversed(keys)) for name, keys in reversed(list(strata.items()))}
    assert draw_sample(shuffled, allocation, seed) == draw_sample(strata, allocation, seed)


def test_different_seeds_usually_give_different_samples() -> None:
    strata = {"城镇居民": list(range(1000)), "农村居民": list(range(1000, 3000))}
    allocation = allocate_proportional({k: len(v) for k, v in strata.items()}, 60)
    samples = {
        tuple(
            sorted(
                k for keys in draw_sample(strata, allocation, f"2026-07-{i}").values() for k in keys
            )
        )
        for i in range(20)
    }
    # 20 seeds, C(1000,20)·C(2000,40) possible samples: a repeat means the seed is ignored.
    assert len(samples) == 20


def test_a_recorded_seed_redraws_the_same_people() -> None:
    # A round records its seed so the office can show, later, how the sample came
    # about. These are the people this seed drew when the feature was written
    # (CPython 3.13); a change here breaks every recorded round's reproducibility.
    assert draw_sample({"a": list(range(10, 0, -1))}, {"a": 3}, "2026-07") == {"a": [5, 4, 9]}
    assert draw_replacement(list(range(1, 11)), [1, 2], "2026-07", "a", 0) == 9


def test_draw_rejects_impossible_allocations_and_shared_keys() -> None:
    with pytest.raises(SamplingError, match="农民"):
        draw_sample({"a": [1]}, {"农民": 1}, "s")
    with pytest.raises(SamplingError, match="“a”只有 1 人"):
        draw_sample({"a": [1]}, {"a": 2}, "s")
    with pytest.raises(SamplingError, match="重复"):
        draw_sample({"a": [1, 2], "b": [2, 3]}, {"a": 1}, "s")


# --- replacements -------------------------------------------------------------


@given(
    st.lists(st.integers(0, 50), min_size=1, max_size=30, unique=True),
    st.data(),
    st.text(max_size=6),
    st.integers(0, 20),
)
def test_replacement_is_from_the_stratum_and_never_taken(
    candidates: list[int], data: st.DataObject, seed: str, attempt: int
) -> None:
    taken = data.draw(st.lists(st.sampled_from(candidates), unique=True))
    # Others' keys in the taken set must not matter either.
    taken_all = [*taken, 999]
    chosen = draw_replacement(candidates, taken_all, seed, "企业主", attempt)
    if len(taken) == len(candidates):
        assert chosen is None
    else:
        assert chosen in candidates
        assert chosen not in taken
        assert chosen == draw_replacement(
            list(reversed(candidates)), set(taken_all), seed, "企业主", attempt
        )


def test_replacements_until_the_stratum_is_exhausted() -> None:
    candidates = list(range(10))
    strata = {"企业主": candidates}
    taken = list(draw_sample(strata, {"企业主": 4}, "2026-12")["企业主"])
    attempt = 0
    while (key := draw_replacement(candidates, taken, "2026-12", "企业主", attempt)) is not None:
        assert key not in taken
        taken.append(key)
        attempt += 1
    assert attempt == 6
    assert sorted(taken) == candidates
