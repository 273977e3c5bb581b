"""Satisfaction index, post-stratification weights and margin of error, pure Python.

Each respondent's score is the mean, on a 0–100 scale, of their answers to a
unit's 5-point satisfaction items. A unit's index is the post-stratified mean

    index    = Σ_h W_h · ȳ_h                         W_h = N_h / Σ N_h (strata with answers)
    variance = Σ_h W_h² · s_h² / n_h · (1 − n_h / N_h)
    margin   = 1.96 · √variance                      (95% confidence)

where N_h is the stratum's size in the frame, n_h its responses, ȳ_h their mean
and s_h² their sample variance (divisor n_h − 1). A stratum with one response has
no measurable spread: s_h² is taken as 0, so its share of the margin is 0 — the
margin understates the uncertainty then, and the results page says why.

Groups with fewer than ``min_group`` responses (the unit, or one stratum) are
suppressed: their value is None, so nobody can read off a few people's answers.
A suppressed stratum's answers still count in the unit's index.

Complementary suppression: when the index is published and exactly one stratum
with responses is suppressed, its mean follows from the index, the weights and
the shown means (ȳ_s = (index − Σ W_h·ȳ_h) / W_s). The smallest other shown
stratum (fewest responses, ties by name) is then suppressed too, flagged
``complementary``; two unknowns in one equation reveal neither. Decimal
throughout; ``for_display`` rounds (2 places, half-up) only at the edge.
No Django import.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import ROUND_HALF_UP, Decimal, localcontext

# Points for the five answers 非常满意/满意/基本满意/不满意/非常不满意. The documents
# (002 篇一, 篇三) do not say how the answers turn into points; an even 20-point
# step on a 0–100 scale is our choice, and a questionnaire may override it.
DEFAULT_POINTS: dict[int, Decimal] = {
    5: Decimal(100),
    4: Decimal(80),
    3: Decimal(60),
    2: Decimal(40),
    1: Decimal(20),
}
Z_95 = Decimal("1.96")
MIN_GROUP = 5
_CENT = Decimal("0.01")


class StatisticsError(ValueError):
    """The counts or scores do not fit together; the message names the stratum."""


@dataclass(frozen=True)
class StratumResult:
    n: int
    mean: Decimal | None  # None when suppressed or without responses
    weight: Decimal | None  # W_h; None for a stratum without responses
    suppressed: bool
    # Enough responses, but withheld so that another suppressed mean cannot be derived.
    complementary: bool = False


@dataclass(frozen=True)
class IndexResult:
    index: Decimal | None
    margin: Decimal | None
    n: int
    suppressed: bool
    by_stratum: dict[str, StratumResult]


def respondent_score(
    choices: Sequence[int], points: Mapping[int, Decimal] = DEFAULT_POINTS
) -> Decimal | None:
    """One respondent's 0–100 score: the mean points of their scale answers (None if none)."""
    if not choices:
        return None
    try:
        total = sum((points[choice] for choice in choices), Decimal(0))
    except KeyError as exc:
        raise StatisticsError(f"满意度选项 {exc.args[0]} 不在 1–5 之间") from None
    return total / len(choices)


def poststrat_weights(
    population: Mapping[str, int], responded: Mapping[str, int]
) -> dict[str, Decimal]:
    """w_h = (N_h / N) / (n_h / n) for each stratum with responses.

    N and n are summed over the strata with responses, so Σ w_h·n_h = n: the
    weights only redistribute the answers between strata, as the index does.
    """
    answered = {name: count for name, count in responded.items() if count > 0}
    for name in answered:
        if population.get(name, 0) <= 0:
            raise StatisticsError(f"类别“{name}”有答卷，但抽样框中没有该类别的人数")
    big_n = sum(population[name] for name in answered)
    small_n = sum(answered.values())
    return {
        name: (Decimal(population[name]) / big_n) / (Decimal(count) / small_n)
        for name, count in answered.items()
    }


def satisfaction_index(
    scores: Mapping[str, Sequence[Decimal]],
    population: Mapping[str, int],
    *,
    min_group: int = MIN_GROUP,
    complementary: bool = True,
) -> IndexResult:
    """The post-stratified index and its 95% margin of error (see the module docstring).

    ``complementary`` (on by default) applies the complementary suppression; off,
    only the strata under ``min_group`` are suppressed.
    """
    # Six guard digits over Decimal's default 28, so that sums of rounded shares
    # stay within 1e-26 of the exact value.
    with localcontext() as context:
        context.prec = 34
        result = _index(scores, population, min_group)
    return _complement(result) if complementary else result


def _complement(result: IndexResult) -> IndexResult:
    """Suppress one more stratum when exactly one with responses is suppressed."""
    if result.index is None:
        return result  # nothing published to derive from
    answered = {name: r for name, r in result.by_stratum.items() if r.n}
    hidden = [name for name, r in answered.items() if r.suppressed]
    shown = [name for name, r in answered.items() if not r.suppressed]
    if len(hidden) != 1 or not shown:
        return result
    partner = min(shown, key=lambda name: (answered[name].n, name))
    by_stratum = dict(result.by_stratum)
    by_stratum[partner] = replace(
        by_stratum[partner], mean=None, suppressed=True, complementary=True
    )
    return replace(result, by_stratum=by_stratum)


def _index(
    scores: Mapping[str, Sequence[Decimal]], population: Mapping[str, int], min_group: int
) -> IndexResult:
    answered = {
        name: [_decimal(v, name) for v in values] for name, values in scores.items() if values
    }
    for name in answered:
        if population.get(name, 0) <= 0:
            raise StatisticsError(f"类别“{name}”有答卷，但抽样框中没有该类别的人数")
    big_n = sum(population[name] for name in answered)
    by_stratum: dict[str, StratumResult] = {}
    index = variance = Decimal(0)
    for name in sorted(set(population) | set(scores)):
        values = answered.get(name, [])
        n_h = len(values)
        suppressed = n_h < min_group
        if not n_h:
            by_stratum[name] = StratumResult(n=0, mean=None, weight=None, suppressed=suppressed)
            continue
        weight = Decimal(population[name]) / big_n
        mean = sum(values, Decimal(0)) / n_h
        index += weight * mean
        variance += weight**2 * _sample_variance(values, mean) / n_h * _fpc(n_h, population[name])
        by_stratum[name] = StratumResult(
            n=n_h, mean=None if suppressed else mean, weight=weight, suppressed=suppressed
        )
    n = sum(len(values) for values in answered.values())
    if n < min_group:
        return IndexResult(index=None, margin=None, n=n, suppressed=True, by_stratum=by_stratum)
    return IndexResult(
        index=index, margin=Z_95 * variance.sqrt(), n=n, suppressed=False, by_stratum=by_stratum
    )


def for_display(value: Decimal | None) -> Decimal | None:
    """Round to 2 places, half-up (e.g. 84.005 → 84.01); None stays None."""
    return None if value is None else value.quantize(_CENT, rounding=ROUND_HALF_UP)


def _sample_variance(values: Sequence[Decimal], mean: Decimal) -> Decimal:
    # One response has no spread to measure: s² = 0 (the margin then understates).
    if len(values) < 2:
        return Decimal(0)
    return sum(((v - mean) ** 2 for v in values), Decimal(0)) / (len(values) - 1)


def _fpc(n_h: int, big_n_h: int) -> Decimal:
    # Finite population correction; never below 0 should more answers than people
    # be recorded (a frame edited after the draw).
    return max(Decimal(0), 1 - Decimal(n_h) / big_n_h)


def _decimal(value: Decimal | int, stratum: str) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, Decimal | int):
        raise StatisticsError(f"类别“{stratum}”的得分应为 Decimal：{value!r}")
    return Decimal(value)
