"""Stratified sampling for public appraisal (分层配额随机抽样), pure Python.

002 篇三 asks for 600 samples a round, drawn by stratified quota random sampling
from NPC deputies, business owners, urban and rural residents. This module

* allocates a sample size across strata proportionally by Hamilton's
  largest-remainder method, or by fixed quotas;
* draws the sample reproducibly from a recorded seed (the same seed and the same
  keys give the same sample on any machine and any Python run: ``random.Random``
  seeded with a string hashes it with SHA-512, independent of PYTHONHASHSEED);
* draws replacements for unreachable respondents from the same stratum, never
  one already taken.

Messages are Simplified Chinese because the office reads them in the browser;
each names the stratum it is about. No Django import: ``jixiao sample`` uses it.
"""

from __future__ import annotations

import random
from collections.abc import Collection, Mapping, Sequence
from typing import TypeVar

# A respondent key: hashable and sortable (a primary key, a row number, a string).
K = TypeVar("K")


class SamplingError(ValueError):
    """The sizes, quotas or allocation cannot give a sample; the message names the stratum."""


def allocate_proportional(sizes: Mapping[str, int], n: int) -> dict[str, int]:
    """Split ``n`` across strata in proportion to their sizes (Hamilton's method).

    Each stratum first gets the whole part of its exact share n·N_h/N; the seats
    left over go one each to the strata with the largest remainders. Ties go to
    the larger stratum first, then by name, so the result never depends on the
    order of ``sizes``. Remainders are compared as exact integers (n·N_h mod N),
    never as floats. Every stratum ends within 1 of its exact share, and no
    stratum gets more than its size.
    """
    _check_sizes(sizes)
    if n < 0:
        raise SamplingError(f"样本量不能为负数：{n}")
    total = sum(sizes.values())
    if n > total:
        raise SamplingError(f"样本量 {n} 超过抽样框总人数 {total}")
    if total == 0:
        return dict.fromkeys(sizes, 0)
    allocation = {name: n * size // total for name, size in sizes.items()}
    left = n - sum(allocation.values())
    # The leftover seats: largest remainder first, then the larger stratum, then the name.
    order = sorted(sizes, key=lambda name: (-(n * sizes[name] % total), -sizes[name], name))
    for name in order[:left]:
        allocation[name] += 1
    return allocation


def allocate_quotas(sizes: Mapping[str, int], quotas: Mapping[str, int]) -> dict[str, int]:
    """Fixed quotas per stratum; strata without a quota get 0."""
    _check_sizes(sizes)
    for name, quota in quotas.items():
        if name not in sizes:
            known = "、".join(sorted(sizes)) or "（无）"
            raise SamplingError(f"配额中的类别“{name}”不在抽样框中（现有类别：{known}）")
        if quota < 0:
            raise SamplingError(f"类别“{name}”的配额不能为负数：{quota}")
        if quota > sizes[name]:
            raise SamplingError(f"类别“{name}”的配额 {quota} 超过该类别人数 {sizes[name]}")
    return {name: quotas.get(name, 0) for name in sizes}


def draw_sample(
    strata: Mapping[str, Sequence[K]], allocation: Mapping[str, int], seed: str
) -> dict[str, list[K]]:
    """Draw ``allocation[h]`` keys at random from each stratum h, reproducibly.

    Keys are sorted within each stratum first, so the order in which the caller
    read them does not matter; each stratum has its own generator seeded with
    ``f"{seed}|{stratum}"``, so changing one stratum's quota leaves the others'
    draws unchanged. Lists are in draw order (the order to call people in).
    A key found in two strata, or twice in one, is an error: nobody may be
    drawn twice in a round.
    """
    for name in allocation:
        if name not in strata:
            raise SamplingError(f"分配中的类别“{name}”不在抽样框中")
    seen: dict[K, str] = {}
    for name, keys in strata.items():
        for key in keys:
            if key in seen:
                raise SamplingError(f"同一对象在类别“{seen[key]}”和“{name}”中重复出现：{key}")
            seen[key] = name
    sample: dict[str, list[K]] = {}
    for name, keys in strata.items():
        count = allocation.get(name, 0)
        if count < 0:
            raise SamplingError(f"类别“{name}”的分配数不能为负数：{count}")
        if count > len(keys):
            raise SamplingError(f"类别“{name}”只有 {len(keys)} 人，不够抽取 {count} 人")
        sample[name] = random.Random(f"{seed}|{name}").sample(sorted(keys), count)
    return sample


def draw_replacement(
    candidates: Sequence[K], taken: Collection[K], seed: str, stratum: str, attempt: int
) -> K | None:
    """The next replacement from one stratum's ``candidates``, or None when none is left.

    ``taken`` is everyone already in the round's sample (original draws and
    earlier replacements); the result is never one of them. ``attempt`` counts
    the replacements made so far in the stratum, so each draw has its own
    generator (``f"{seed}|{stratum}|replacement|{attempt}"``) and recording the
    seed, stratum and attempt is enough to reproduce it.
    """
    taken_set = set(taken)
    available = sorted(key for key in set(candidates) if key not in taken_set)
    if not available:
        return None
    return random.Random(f"{seed}|{stratum}|replacement|{attempt}").choice(available)


def _check_sizes(sizes: Mapping[str, int]) -> None:
    for name, size in sizes.items():
        if size < 0:
            raise SamplingError(f"类别“{name}”的人数不能为负数：{size}")
