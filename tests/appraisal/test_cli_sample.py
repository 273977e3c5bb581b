"""`jixiao sample`: a frame file in, the drawn rows as CSV on stdout.

The same contract as the engine commands: on bad input exit status 2, exactly one
line on stderr naming the file, column, stratum or option, and nothing on stdout.
"""

from __future__ import annotations

import csv
import io
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from openpyxl import Workbook

from jixiao.cli import main

HEADER = ["编号", "类别", "村（社区）", "电话"]
# 40 people: 4 NPC deputies, 8 business owners, 12 urban and 16 rural residents.
STRATA = {"人大代表": 4, "企业主": 8, "城镇居民": 12, "农村居民": 16}


def frame_rows() -> list[list[str]]:
    rows, number = [], 0
    # Interleave the strata, as a real list is, so frame order is not stratum order.
    pending = dict(STRATA)
    while any(pending.values()):
        for name in STRATA:
            if pending[name]:
                pending[name] -= 1
                number += 1
                rows.append([f"{number:03}", name, f"村{number % 5}", f"1380013{number:04}"])
    return rows


def write_csv(path: Path, rows: list[list[str]], header: list[str] = HEADER) -> Path:
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows([header, *rows])
    return path


@pytest.fixture
def frame(tmp_path: Path) -> Path:
    return write_csv(tmp_path / "抽样框.csv", frame_rows())


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    try:
        code = main(["sample", *args])
    except SystemExit as exc:  # argparse's own errors (a missing option, not a number)
        code = exc.code
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def parse(out: str) -> tuple[list[str], list[list[str]]]:
    header, *rows = list(csv.reader(io.StringIO(out)))
    return header, rows


def test_proportional_sample(capsys, frame: Path) -> None:
    code, out, err = run(
        capsys, "--frame", str(frame), "--size", "10", "--seed", "2026-07", "--by", "类别"
    )
    assert (code, err) == (0, "")
    header, rows = parse(out)
    assert header == HEADER
    # 10 of 40 is a quarter of each stratum: 4/4 = 1, 8/4 = 2, 12/4 = 3, 16/4 = 4.
    assert Counter(row[1] for row in rows) == {
        "人大代表": 1,
        "企业主": 2,
        "城镇居民": 3,
        "农村居民": 4,
    }
    all_rows = frame_rows()
    assert all(row in all_rows for row in rows)
    assert rows == sorted(rows, key=all_rows.index)  # frame order, not draw order
    assert len({row[0] for row in rows}) == 10


def test_hamilton_remainders_on_the_command_line(capsys, frame: Path) -> None:
    # 7 of 40: shares 0.7, 1.4, 2.1, 2.8 → whole parts 0 + 1 + 2 + 2 = 5; two seats left
    # go to the largest remainders .8 (农村居民) and .7 (人大代表).
    code, out, _ = run(capsys, "--frame", str(frame), "--size", "7", "--seed", "x", "--by", "类别")
    assert code == 0
    counts = Counter(row[1] for row in parse(out)[1])
    assert counts == {"人大代表": 1, "企业主": 1, "城镇居民": 2, "农村居民": 3}


def test_same_seed_same_sample_other_seed_other_sample(capsys, frame: Path) -> None:
    def draw(seed: str) -> str:
        code, out, _ = run(
            capsys, "--frame", str(frame), "--size", "20", "--seed", seed, "--by", "类别"
        )
        assert code == 0
        return out

    first = draw("2026-07")
    assert draw("2026-07") == first
    assert draw("2026-12") != first


def test_xlsx_frame(capsys, tmp_path: Path) -> None:
    workbook = Workbook()
    for row in [HEADER, *frame_rows()]:
        workbook.active.append(row)
    path = tmp_path / "frame.xlsx"
    workbook.save(path)
    csv_path = write_csv(tmp_path / "frame.csv", frame_rows())
    args = ["--size", "10", "--seed", "s", "--by", "类别"]
    code, out, _ = run(capsys, "--frame", str(path), *args)
    assert code == 0
    # The same rows from the same data, whatever the file type.
    assert out == run(capsys, "--frame", str(csv_path), *args)[1]


def test_quotas_are_the_sample(capsys, frame: Path) -> None:
    code, out, err = run(
        capsys,
        "--frame",
        str(frame),
        "--seed",
        "s",
        "--by",
        "类别",
        "--quota",
        "人大代表=4",
        "企业主=3",
    )
    assert (code, err) == (0, "")
    # Strata without a quota get nobody; 人大代表=4 takes all four.
    assert Counter(row[1] for row in parse(out)[1]) == {"人大代表": 4, "企业主": 3}


def test_quotas_repeated_and_with_a_matching_size(capsys, frame: Path) -> None:
    code, out, _ = run(
        capsys,
        *("--frame", str(frame), "--seed", "s", "--by", "类别", "--size", "5"),
        *("--quota", "农村居民=2", "--quota", "城镇居民 = 3"),
    )
    assert code == 0
    assert Counter(row[1] for row in parse(out)[1]) == {"农村居民": 2, "城镇居民": 3}


def test_values_with_commas_and_quotes_round_trip(capsys, tmp_path: Path) -> None:
    rows = [["001", "企业主", '新民社区,"三组"', "13800138000"]]
    path = write_csv(tmp_path / "f.csv", rows)
    code, out, _ = run(capsys, "--frame", str(path), "--size", "1", "--seed", "s", "--by", "类别")
    assert code == 0
    assert parse(out) == (HEADER, rows)


BAD = [
    (["--frame", "{dir}/missing.csv", "--size", "5"], "missing.csv: cannot read"),
    (["--size", "5", "--by", "街道"], "--by '街道': no such column"),
    (["--size", "41"], "--size 41 is larger than the frame (40 rows)"),
    (["--size", "0"], "--size 0: must be at least 1"),
    (["--size", "-3"], "--size -3: must be at least 1"),
    (["--size", "ten"], "argument --size: invalid int value"),
    ([], "give --size N"),
    (["--quota", "企业主"], "--quota '企业主': expected VALUE=COUNT"),
    (["--quota", "企业主=三"], "--quota '企业主=三': expected VALUE=COUNT"),
    (["--quota", "企业主=-1"], "--quota '企业主=-1': expected VALUE=COUNT"),
    (["--quota", "=3"], "--quota '=3': expected VALUE=COUNT"),
    (["--quota", "企业主=1", "企业主=2"], "'企业主' is given more than once"),
    (["--quota", "农民=3"], "--quota 农民=3: no row has 类别 '农民'"),
    (["--quota", "人大代表=5"], "--quota 人大代表=5: only 4 rows have 类别 '人大代表'"),
    (
        ["--size", "6", "--quota", "人大代表=2", "企业主=3"],
        "does not equal the sum of the quotas (5)",
    ),
]


@pytest.mark.parametrize(("extra", "message"), BAD, ids=[m for _, m in BAD])
def test_bad_input(capsys, frame: Path, extra: list[str], message: str) -> None:
    args = ["--seed", "s", "--by", "类别", *extra]
    if "--frame" in extra:
        args = [a.replace("{dir}", str(frame.parent)) for a in args]
    else:
        args = ["--frame", str(frame), *args]
    if "--by" in extra:
        args.remove("类别")
        args.remove("--by")
    code, out, err = run(capsys, *args)
    assert code == 2
    assert out == ""
    assert err.count("\n") == 1
    assert message in err, err


def test_missing_required_option(capsys, frame: Path) -> None:
    code, out, err = run(capsys, "--frame", str(frame), "--size", "5", "--by", "类别")
    assert (code, out) == (2, "")
    assert "--seed" in err
    assert err.count("\n") == 1


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("", "文件是空的"),
        ("编号,类别\n001,企业主\n002,\n", "row 3: column '类别' is empty"),
        ("编号,类别\n001,企业主,多余\n", "第 2 行"),
    ],
)
def test_bad_frame_names_the_file_and_row(
    capsys, tmp_path: Path, content: str, message: str
) -> None:
    path = tmp_path / "f.csv"
    path.write_text(content, encoding="utf-8")
    code, out, err = run(capsys, "--frame", str(path), "--size", "1", "--seed", "s", "--by", "类别")
    assert (code, out) == (2, "")
    assert err.startswith(f"jixiao sample: {path}")
    assert message in err
    assert err.count("\n") == 1


def test_installed_command_and_no_django(frame: Path) -> None:
    # The console script, as a user runs it; sampling must not start Django.
    script = Path(sys.executable).parent / "jixiao"
    args = ["sample", "--frame", str(frame), "--size", "10", "--seed", "2026-07", "--by", "类别"]
    done = subprocess.run([script, *args], capture_output=True, text=True, check=False)
    assert (done.returncode, done.stderr) == (0, "")
    assert len(parse(done.stdout)[1]) == 10
    probe = (
        "import sys; from jixiao.cli import main; code = main(sys.argv[1:]);"
        "sys.exit(code or ('django' in sys.modules and 3))"
    )
    done2 = subprocess.run(
        [sys.executable, "-c", probe, *args], capture_output=True, text=True, check=False
    )
    assert done2.returncode == 0, done2.stderr
    assert done2.stdout == done.stdout  # same seed, another process: same sample
    bad = subprocess.run(
        [script, "sample", "--frame", str(frame), "--size", "99", "--seed", "s", "--by", "类别"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert (bad.returncode, bad.stdout) == (2, "")
    assert bad.stderr == "jixiao sample: --size 99 is larger than the frame (40 rows)\n"
