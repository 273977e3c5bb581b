"""The work behind ``jixiao sample``: frame file in, drawn rows as CSV out. No Django.

Kept apart from ``cli.py`` so that the command line stays a thin shell: every
problem raises ``SamplingError`` (or ``FrameError``) with one line that names the
file, row, column, stratum or option; ``cli.py`` prints it and exits with 2.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from pathlib import Path

from .frames import FrameError, read_frame_numbered
from .sampling import SamplingError, allocate_proportional, allocate_quotas, draw_sample


def parse_quotas(items: Sequence[str]) -> dict[str, int]:
    """``["人大代表=30", "企业主=60"]`` → {"人大代表": 30, "企业主": 60}."""
    quotas: dict[str, int] = {}
    for item in items:
        value, sep, count = item.rpartition("=")
        value, count = value.strip(), count.strip()
        if not sep or not value or not count.isascii() or not count.isdigit():
            raise SamplingError(f"--quota {item!r}: expected VALUE=COUNT, COUNT a whole number")
        if value in quotas:
            raise SamplingError(f"--quota {item!r}: {value!r} is given more than once")
        quotas[value] = int(count)
    return quotas


def sample_frame_csv(
    *, frame: str, size: int | None, seed: str, by: str, quotas: Sequence[str] = ()
) -> str:
    """The drawn rows as CSV text: the frame's columns, header first, rows in frame order."""
    wanted = parse_quotas(quotas)
    if size is not None and size < 1:
        raise SamplingError(f"--size {size}: must be at least 1")
    if size is None and not wanted:
        raise SamplingError("give --size N, or --quota VALUE=COUNT for every stratum to draw")
    if wanted and size is not None and size != sum(wanted.values()):
        raise SamplingError(
            f"--size {size} does not equal the sum of the quotas ({sum(wanted.values())});"
            " with --quota, omit --size"
        )
    try:
        data = Path(frame).read_bytes()
    except OSError as exc:
        raise SamplingError(f"{frame}: cannot read: {exc.strerror}") from None
    try:
        columns, rows = read_frame_numbered(data, frame)
    except FrameError as exc:
        raise SamplingError(f"{frame}: {exc}") from None
    if by not in columns:
        raise SamplingError(
            f"--by {by!r}: no such column in {frame} (columns: {', '.join(columns)})"
        )
    strata: dict[str, list[int]] = {}
    for position, row in enumerate(rows):
        value = row.values[by]
        if not value:
            raise SamplingError(f"{frame}: row {row.number}: column {by!r} is empty")
        strata.setdefault(value, []).append(position)
    sizes = {value: len(keys) for value, keys in strata.items()}
    if wanted:
        _check_quotas(wanted, sizes, by)
        allocation = allocate_quotas(sizes, wanted)
    else:
        assert size is not None
        if size > len(rows):
            raise SamplingError(f"--size {size} is larger than the frame ({len(rows)} rows)")
        allocation = allocate_proportional(sizes, size)
    drawn = sorted(key for keys in draw_sample(strata, allocation, seed).values() for key in keys)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    for position in drawn:
        writer.writerow([rows[position].values[column] for column in columns])
    return out.getvalue()


def _check_quotas(wanted: dict[str, int], sizes: dict[str, int], by: str) -> None:
    for value, count in wanted.items():
        if value not in sizes:
            known = ", ".join(sorted(sizes))
            raise SamplingError(f"--quota {value}={count}: no row has {by} {value!r} ({known})")
        if count > sizes[value]:
            raise SamplingError(
                f"--quota {value}={count}: only {sizes[value]} rows have {by} {value!r}"
            )
