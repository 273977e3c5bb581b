"""Grade quotas (等次比例) and competition ranking: pure functions, no database.

Rules, as published on the results page:
- Ranking is competition ranking on the published (rounded) total: 1, 2, 2, 4.
- A quota "优秀 ≤ 20%" allows floor(n × 20%) subjects (never fewer than 0),
  where n is the number of subjects with a total.
- Grades are processed from the highest band down. Within a band, subjects in
  rank order keep the grade while the count allows; the rest drop to the next
  band down (where that band's quota applies to them in turn).
- A tie at the cut-off: if subjects with the same rank straddle the cut-off, all
  of them drop — the quota is a maximum and is never exceeded.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from jixiao.rankings.ranks import rank


def competition_ranks(totals: Mapping[Hashable, Decimal | None]) -> dict[Hashable, int | None]:
    """Rank 1 for the highest total; equal totals share a rank, the next rank skips.

    The rule is ``rankings.ranks.rank`` (the results page's); a key without a total
    gets None.
    """
    scored = {key: t for key, t in totals.items() if t is not None}
    ranks = dict(zip(scored, rank(list(scored.values())), strict=True))
    return {key: ranks.get(key) for key in totals}


def quota_count(n: int, share: Decimal) -> int:
    """How many may take a grade: floor(n × share), at least 0."""
    return max(0, math.floor(Decimal(n) * share))


@dataclass(frozen=True)
class Ranked:
    key: Hashable
    rank: int
    grade: str  # the scheme grade, before quotas


@dataclass(frozen=True)
class QuotaOutcome:
    grade: str
    note: str = ""


def apply_quotas(
    ranked: Sequence[Ranked], bands: Sequence[str], quotas: Mapping[str, Decimal]
) -> dict[Hashable, QuotaOutcome]:
    """Final grade (and an explanation when a quota changed it) for each subject.

    ``bands`` are the scheme's grade names, highest first; a quota on the lowest
    band is ignored (there is nowhere to drop to).
    """
    n = len(ranked)
    order = sorted(ranked, key=lambda r: r.rank)
    current = {r.key: r.grade for r in order}
    notes: dict[Hashable, list[str]] = {r.key: [] for r in order}
    for index, band in enumerate(bands[:-1]):
        if band not in quotas:
            continue
        allowed = quota_count(n, quotas[band])
        share = f"{(quotas[band] * 100).normalize():f}%"
        rule = f"{band}名额 {allowed} 个（{n} × {share} 向下取整）"
        holders = [r for r in order if current[r.key] == band]
        if len(holders) <= allowed:
            continue
        kept = holders[:allowed]
        cut_rank = holders[allowed].rank  # the first subject over the limit
        straddle = bool(kept) and kept[-1].rank == cut_rank
        lower = bands[index + 1]
        for r in holders[allowed:] + ([k for k in kept if k.rank == cut_rank] if straddle else []):
            current[r.key] = lower
            if straddle and r.rank == cut_rank:
                tied = sum(1 for h in holders if h.rank == cut_rank)
                notes[r.key].append(
                    f"{rule}；第 {cut_rank} 名 {tied} 个并列跨越名额线，按规定并列者全部降为{lower}"
                )
            else:
                notes[r.key].append(f"{rule}；超出名额，降为{lower}")
    return {key: QuotaOutcome(current[key], "；".join(notes[key])) for key in current}
