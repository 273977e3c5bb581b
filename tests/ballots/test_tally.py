"""Properties of the result arithmetic (pure, no database)."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from jixiao.ballots.selectors import VALID, tally

GROUPS = [(1, "领导", Decimal(30)), (2, "同级", Decimal(30)), (3, "群众", Decimal(40))]
CHOICES = (*VALID, "unknown")


@st.composite
def points(draw) -> dict[str, Decimal]:
    """Four strictly falling values with at most two decimals, as set-up allows."""
    cents = draw(st.lists(st.integers(0, 10000), min_size=4, max_size=4, unique=True))
    values = sorted((Decimal(c) / 100 for c in cents), reverse=True)
    return dict(zip(VALID, values, strict=True))


counts = st.dictionaries(
    st.tuples(st.sampled_from([1, 2, 3]), st.sampled_from(CHOICES)), st.integers(0, 30)
)


@given(points(), counts, st.integers(1, 5))
def test_score_within_the_points(pts, votes, min_valid):
    result = tally(GROUPS, votes, pts, min_valid)
    if result.score is not None:
        assert min(pts.values()) <= result.score <= max(pts.values())
        assert result.valid >= min_valid
    else:
        assert result.valid < min_valid and result.reason


@given(points(), counts, st.sampled_from([1, 2, 3]), st.integers(1, 5))
def test_an_excellent_never_lowers_the_score(pts, votes, group, min_valid):
    before = tally(GROUPS, votes, pts, min_valid)
    more = dict(votes)
    more[(group, "excellent")] = more.get((group, "excellent"), 0) + 1
    after = tally(GROUPS, more, pts, min_valid)
    assert after.valid == before.valid + 1
    if before.score is not None:
        assert after.score >= before.score


@given(points(), counts, st.sampled_from([1, 2, 3]), st.integers(1, 5))
def test_unknown_never_changes_the_score(pts, votes, group, min_valid):
    before = tally(GROUPS, votes, pts, min_valid)
    more = dict(votes)
    more[(group, "unknown")] = more.get((group, "unknown"), 0) + 1
    after = tally(GROUPS, more, pts, min_valid)
    assert (after.score, after.valid, after.reason) == (before.score, before.valid, before.reason)
    assert after.ballots == before.ballots + 1


def test_renormalises_over_groups_with_valid_ballots():
    pts = {
        "excellent": Decimal(95),
        "competent": Decimal(85),
        "basic": Decimal(75),
        "incompetent": Decimal(65),
    }
    # Only 群众 voted: its mean is the score, whatever its weight.
    result = tally(GROUPS, {(3, "competent"): 2, (3, "basic"): 1, (1, "unknown"): 4}, pts, 3)
    # (85 + 85 + 75) / 3 = 81.666… → 81.67.
    assert result.score == Decimal("81.67")
