"""``jixiao allocate``: CSV in, CSV out, exit 2 with one line on stderr on bad input."""

from __future__ import annotations

import io
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from jixiao.cli import main


def run(capsys, monkeypatch, args: list[str], stdin: str | None = None):
    if stdin is not None:
        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    try:
        code = main(["allocate", *args])
    except SystemExit as exc:  # argparse errors
        code = exc.code
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def csv_file(tmp_path: Path):
    def write(text: str, name: str = "rows.csv", encoding: str = "utf-8") -> str:
        path = tmp_path / name
        path.write_text(text, encoding=encoding)
        return str(path)

    return write


GOOD = "name,weight,eligible\n张三,3,yes\n李四,2,是\n王五,5,no\n赵六,1,YES\n"


def test_prints_amounts_in_input_order_summing_to_the_pool(capsys, monkeypatch, csv_file):
    code, out, err = run(capsys, monkeypatch, ["--pool", "100", csv_file(GOOD)])
    assert (code, err) == (0, "")
    assert out == "name,amount\n张三,50.00\n李四,33.33\n王五,0.00\n赵六,16.67\n"
    assert sum(Decimal(line.split(",")[1]) for line in out.splitlines()[1:]) == 100


def test_reads_stdin_with_a_bom_extra_columns_and_quoted_names(capsys, monkeypatch):
    text = '\ufeffnote,Eligible,name,weight\nx,否,"Li, Si",1\n,yes,"Zhang ""3""",2\n\n'
    code, out, err = run(capsys, monkeypatch, ["--pool", "0.01", "-"], stdin=text)
    assert (code, err) == (0, "")
    assert out == 'name,amount\n"Li, Si",0.00\n"Zhang ""3""",0.01\n'


@pytest.mark.parametrize(
    ("pool", "text", "message"),
    [
        (
            "10",
            "name,weight,eligible\na,1,yes\nb,-2,yes\n",
            "rows.csv:3: column 'weight' of 'b': negative weight -2",
        ),
        ("10", "name,weight\na,1\n", "rows.csv:1: missing column 'eligible'"),
        (
            "10",
            "name,weight,eligible\na,1,maybe\n",
            "rows.csv:2: column 'eligible' of 'a': 'maybe' is not yes/no",
        ),
        (
            "10",
            "name,weight,eligible\na,abc,yes\n",
            "rows.csv:2: column 'weight' of 'a': 'abc' is not a number",
        ),
        ("10", "name,weight,eligible\na,NaN,yes\n", "'NaN' is not a number"),
        ("10", "", "rows.csv: empty file"),
        ("10", "name,weight,eligible\n", "rows.csv: no rows after the header"),
        ("10", "name,weight,eligible\na,1,yes\na,2,no\n", "rows.csv:3: name 'a' already on line 2"),
        ("10", "name,weight,eligible\n ,1,yes\n", "rows.csv:2: column 'name' is empty"),
        ("10", "name,weight,eligible\na,1\n", "rows.csv:2: 2 cells"),
        ("10", "name,weight,eligible,weight\na,1,yes,2\n", "column 'weight' appears twice"),
        (
            "10",
            "name,weight,eligible\na,0,yes\nb,3,no\n",
            "rows.csv:2: 'a': every eligible row has weight 0",
        ),
        ("10", "name,weight,eligible\na,1,no\n", "rows.csv: pool 10 but no eligible row"),
        ("10.001", GOOD, "--pool: at most 2 decimals"),
        ("-5", GOOD, "--pool: must not be negative"),
        ("ten", GOOD, "--pool: 'ten' is not an amount in yuan"),
        ("inf", GOOD, "--pool: 'inf' is not an amount in yuan"),
    ],
)
def test_bad_input_exits_2_with_one_line_and_no_output(
    capsys, monkeypatch, csv_file, pool, text, message
):
    code, out, err = run(capsys, monkeypatch, ["--pool", pool, csv_file(text)])
    assert code == 2
    assert out == ""
    assert err.count("\n") == 1 and err.startswith("jixiao allocate: ")
    assert message in err


def test_unreadable_file_and_non_utf8(capsys, monkeypatch, csv_file, tmp_path):
    code, out, err = run(capsys, monkeypatch, ["--pool", "1", str(tmp_path / "missing.csv")])
    assert (code, out) == (2, "") and "missing.csv: cannot read" in err
    path = csv_file("name,weight,eligible\n张三,1,yes\n", encoding="gbk")
    code, out, err = run(capsys, monkeypatch, ["--pool", "1", path])
    assert (code, out) == (2, "") and "not UTF-8 text" in err


def test_missing_pool_is_a_usage_error(capsys, monkeypatch, csv_file):
    code, out, err = run(capsys, monkeypatch, [csv_file(GOOD)])
    assert code == 2 and out == "" and "--pool" in err


def test_the_installed_command_in_a_subprocess_imports_no_django(tmp_path: Path):
    path = tmp_path / "rows.csv"
    path.write_text("name,weight,eligible\na,1,yes\nb,1,yes\nc,1,yes\n", encoding="utf-8")
    code = (
        "import sys; from jixiao.cli import main; rc = main(sys.argv[1:]); "
        "assert 'django' not in sys.modules, 'imported Django'; sys.exit(rc)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, "allocate", "--pool", "100", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout == "name,amount\na,33.34\nb,33.33\nc,33.33\n"
    bad = subprocess.run(
        [sys.executable, "-m", "jixiao", "allocate", "--pool", "1", "-"],
        input="name,weight,eligible\na,-1,yes\n",
        capture_output=True,
        text=True,
        check=False,
    )
    assert bad.returncode == 2 and bad.stdout == ""
    assert bad.stderr == "jixiao allocate: <stdin>:2: column 'weight' of 'a': negative weight -1\n"
