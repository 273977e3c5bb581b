"""Benchmark: score 100,000 subjects against a 3-level, 40-leaf scheme.

    .venv/bin/python benchmarks/bench_engine.py [--subjects N]

The scheme has 4 level-1 indicators x 2 level-2 x 5 leaves, plus a capped
deduction ledger at the root. Values are random but fixed by a seed; the
figure printed is wall-clock time for evaluate() on every subject (input
checking, exact Decimal arithmetic and the breakdown objects included).
"""

from __future__ import annotations

import argparse
import random
import time
from decimal import Decimal

from jixiao.engine import evaluate, load_scheme_text


def build_scheme() -> str:
    lines = ['[scheme]\nid = "bench"\nname = "基准"\nversion = "1"\n']
    for a in range(1, 5):
        lines.append(f'[[node]]\nid = "l{a}"\nname = "一级{a}"\nweight = 25\n')
        for b in range(1, 3):
            lines.append(f'[[node]]\nid = "l{a}.{b}"\nname = "二级{a}.{b}"\nweight = 50\n')
            for c in range(1, 6):
                leaf = f"l{a}.{b}.{c}"
                lines.append(f'[[node]]\nid = "{leaf}"\nname = "三级{leaf}"\nweight = 20\n')
    lines.append('[[node]]\nid = "inspection"\nname = "察访核验"\nkind = "deductions"\ncap = 3\n')
    lines.append('[[grade]]\nname = "优"\nmin = 90\n[[grade]]\nname = "良"\nmin = 80\n')
    lines.append('[[grade]]\nname = "差"\n')
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--subjects", type=int, default=100_000)
    args = parser.parse_args()
    scheme = load_scheme_text(build_scheme(), source="bench")
    leaves = [node.id for node, _ in scheme.walk() if node.kind == "score"]
    assert len(leaves) == 40
    rng = random.Random(2026)
    subjects = []
    for _ in range(args.subjects):
        values: dict[str, object] = {
            leaf: Decimal(rng.randint(6000, 10000)) / 100 for leaf in leaves
        }
        values["inspection"] = [Decimal(rng.randint(0, 10)) / 10 for _ in range(rng.randint(0, 3))]
        subjects.append(values)
    start = time.perf_counter()
    grades: dict[str, int] = {}
    for values in subjects:
        result = evaluate(scheme, values)
        grades[result.grade] = grades.get(result.grade, 0) + 1
    elapsed = time.perf_counter() - start
    print(f"{args.subjects} subjects x 40 leaves: {elapsed:.2f} s")
    print(f"{args.subjects / elapsed:,.0f} subjects/s, {elapsed / args.subjects * 1e6:.0f} µs each")
    print(f"grades: {dict(sorted(grades.items()))}")


if __name__ == "__main__":
    main()
