"""Ranking and grade quotas: hand-computed cases and properties."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from itertools import pairwise

from hypothesis import given
from hypothesis import strategies as st

from jixiao.assessments.calendar import add_working_days
from jixiao.assessments.quotas import Ranked, apply_quotas, competition_ranks, quota_count

BANDS = ["优秀", "良好", "及格", "不及格"]


def test_competition_ranking_skips_after_ties():
    totals = {"a": Decimal("90"), "b": Decimal("88"), "c": Decimal("88"), "d": Decimal("70")}
    assert competition_ranks(totals) == {"a": 1, "b": 2, "c": 2, "d": 4}


def test_unscored_subjects_have_no_rank():
    assert competition_ranks({"a": None, "b": Decimal("1")}) == {"a": None, "b": 1}


def test_quota_count_is_floor_and_never_negative():
    assert quota_count(10, Decimal("0.20")) == 2
    assert quota_count(9, Decimal("0.20")) == 1  # 1.8 → 1
    assert quota_count(4, Decimal("0.20")) == 0  # 0.8 → 0
    assert quota_count(0, Decimal("0.5")) == 0


def test_ten_subjects_tie_at_the_cut_off_drops_both():
    # 10 subjects, 优秀 ≤ 20% → 2 places. Ranks: 1, 2, 2, 4… — the two at rank 2
    # straddle the cut-off (place 2 and 3), so both drop to 良好; only rank 1 keeps 优秀.
    ranks = [1, 2, 2, 4, 5, 6, 7, 8, 9, 10]
    grades = ["优秀"] * 4 + ["良好"] * 6
    ranked = [Ranked(f"s{i}", r, g) for i, (r, g) in enumerate(zip(ranks, grades, strict=True))]
    out = apply_quotas(ranked, BANDS, {"优秀": Decimal("0.20")})
    assert [out[f"s{i}"].grade for i in range(10)] == ["优秀"] + ["良好"] * 9
    assert out["s0"].note == ""
    assert "并列者全部降为良好" in out["s1"].note
    assert out["s1"].note == out["s2"].note
    assert "超出名额，降为良好" in out["s3"].note
    assert out["s4"].note == ""  # 良好 by the scheme: untouched


def test_no_tie_keeps_the_top_within_the_quota():
    ranked = [Ranked(i, i + 1, "优秀") for i in range(5)]
    out = apply_quotas(ranked, BANDS, {"优秀": Decimal("0.4")})  # floor(2.0) = 2
    assert [out[i].grade for i in range(5)] == ["优秀", "优秀", "良好", "良好", "良好"]


def test_dropped_subjects_meet_the_next_quota():
    ranked = [Ranked(i, i + 1, "优秀") for i in range(5)]
    quotas = {"优秀": Decimal("0.2"), "良好": Decimal("0.2")}  # 1 and 1
    out = apply_quotas(ranked, BANDS, quotas)
    assert [out[i].grade for i in range(5)] == ["优秀", "良好", "及格", "及格", "及格"]


@st.composite
def rankings(draw):
    totals = draw(st.lists(st.integers(60, 100), min_size=0, max_size=30))
    ranks = competition_ranks(dict(enumerate(Decimal(t) for t in totals)))

    def band(total: int) -> str:
        return (
            "优秀"
            if total >= 90
            else "良好"
            if total >= 80
            else "及格"
            if total >= 60
            else "不及格"
        )

    ranked = [Ranked(i, ranks[i], band(t)) for i, t in enumerate(totals)]
    shares = st.decimals(min_value=0, max_value=1, places=2)
    quotas = draw(st.dictionaries(st.sampled_from(BANDS[:-1]), shares))
    return ranked, quotas


@given(rankings())
def test_quota_properties(case):
    ranked, quotas = case
    out = apply_quotas(ranked, BANDS, quotas)
    n = len(ranked)
    for grade, share in quotas.items():  # never over the quota
        assert sum(1 for o in out.values() if o.grade == grade) <= quota_count(n, share)
    by_rank = sorted(ranked, key=lambda r: r.rank)
    for r in ranked:  # never promoted; changed only with a note
        assert BANDS.index(out[r.key].grade) >= BANDS.index(r.grade)
        assert (out[r.key].grade != r.grade) == bool(out[r.key].note)
    for a, b in pairwise(by_rank):  # order kept; ties share a grade
        assert BANDS.index(out[a.key].grade) <= BANDS.index(out[b.key].grade)
        if a.rank == b.rank:
            assert out[a.key].grade == out[b.key].grade
    if not quotas:
        assert all(out[r.key].grade == r.grade for r in ranked)


def test_working_days_skip_weekends():
    monday = date(2024, 4, 1)
    assert add_working_days(monday, 5) == date(2024, 4, 8)
    assert add_working_days(date(2024, 4, 5), 1) == date(2024, 4, 8)  # Friday → Monday
    assert add_working_days(date(2024, 4, 6), 5) == date(2024, 4, 12)  # Saturday → Friday
    assert add_working_days(monday, 0) == monday
