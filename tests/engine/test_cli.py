"""The engine commands of `jixiao`: score, schemes, check.

Their contract: JSON or text on stdout and exit 0; on bad input exit status 2,
exactly one line on stderr naming the node or file position, nothing on stdout.
Run in-process through jixiao.cli.main, and once through `python -m jixiao`.
"""

from __future__ import annotations

import io
import json
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from jixiao.cli import main

SCHEMES = Path(__file__).parent / "schemes"
SMALL = SCHEMES / "small.toml"
BAD_WEIGHTS = SCHEMES / "bad-weights.toml"

PRESET_NAMES = [
    "bailian-town",
    "water-bureau",
    "hami-transport",
    "town-cadre",
    "xiazigai-township",
    "haiyong-taskforce",
    "moa-3plus2",
]

BAILIAN = {"values": {"indicators": 88, "public": 92, "inspection": [0.5]}}
SMALL_INPUT = {"values": {"work.quality": 90, "work.speed": 8, "ballot": 80, "penalty": [1]}}


def write_json(tmp_path: Path, data, name: str = "input.json") -> Path:
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    return path


def run_ok(capsys, argv: list[str]) -> str:
    status = main(argv)
    out, err = capsys.readouterr()
    assert status == 0, err
    assert err == ""
    return out


def run_bad(capsys, argv: list[str]) -> str:
    """Run a command that must fail: status 2, one stderr line, empty stdout."""
    try:
        status = main(argv)
    except SystemExit as exc:  # argparse errors exit through the parser
        status = exc.code
    out, err = capsys.readouterr()
    assert status == 2
    assert out == ""
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert err.endswith("\n")
    return lines[0]


# -- score -------------------------------------------------------------------------------


def test_score_with_a_preset_prints_one_json_object(capsys, tmp_path):
    out = run_ok(capsys, ["score", "--scheme", "bailian-town", str(write_json(tmp_path, BAILIAN))])
    data = json.loads(out)
    assert set(data) == {"total", "grade", "award_eligible", "reasons", "breakdown"}
    # 88 x 80% + 92 x 20% - 0.5 = 88.3
    assert data["total"] == pytest.approx(88.3)
    assert '"total": 88.30' in out  # the exact two-decimal literal, not a float repr
    assert data["grade"] == "良"
    assert data["award_eligible"] is True
    assert data["reasons"] == []
    assert data["breakdown"]["scheme"] == "bailian-town"


def test_score_output_is_exact_decimal(capsys, tmp_path):
    out = run_ok(capsys, ["score", "--scheme", "bailian-town", str(write_json(tmp_path, BAILIAN))])
    data = json.loads(out, parse_float=Decimal)
    assert data["total"] == Decimal("88.30")
    assert data["breakdown"]["exact_total"] == Decimal("88.3")


def test_score_with_a_scheme_file_path(capsys, tmp_path):
    out = run_ok(capsys, ["score", "--scheme", str(SMALL), str(write_json(tmp_path, SMALL_INPUT))])
    data = json.loads(out)
    # work = 90 x 60% + 80 x 40% = 86; 86 x 70% + 80 x 30% - 1 = 83.2
    assert data["total"] == pytest.approx(83.2)
    assert data["grade"] == "合格"
    assert data["breakdown"]["scheme"] == "small"


def test_score_reads_stdin_for_dash(capsys, monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.StringIO(json.dumps(BAILIAN)))
    data = json.loads(run_ok(capsys, ["score", "--scheme", "bailian-town", "-"]))
    assert data["total"] == pytest.approx(88.3)


def test_score_with_vetoes_and_evidence(capsys, tmp_path):
    payload = {**BAILIAN, "vetoes": ["综治"], "evidence": {"public": ["评议表-1"]}}
    data = json.loads(
        run_ok(capsys, ["score", "--scheme", "bailian-town", str(write_json(tmp_path, payload))])
    )
    assert data["award_eligible"] is False
    assert data["reasons"] == ["一票否决：综治"]
    assert data["total"] == pytest.approx(88.3)  # award_ineligible keeps the total


# -- schemes and check --------------------------------------------------------------------


def test_schemes_lists_all_seven_presets(capsys):
    out = run_ok(capsys, ["schemes"])
    listed = [line.split("\t")[0] for line in out.splitlines()]
    assert sorted(listed) == sorted(PRESET_NAMES)
    assert all("\tversion " in line for line in out.splitlines())


def test_check_prints_the_tree_of_a_file(capsys):
    out = run_ok(capsys, ["check", str(SMALL)])
    lines = out.splitlines()
    assert lines[0] == "small 测试方案 (version 2024.1)"
    assert any(line.startswith("  work 本职工作 [weighted, weight 70]") for line in lines)
    assert any(line.startswith("    work.speed 工作效率 [score, weight 40") for line in lines)
    assert "scale 0–10" in out
    assert "deducts points" in out
    assert lines[-1] == "grades: 优秀 ≥ 90, 合格 ≥ 60, 不合格"


def test_check_accepts_a_preset_name(capsys):
    out = run_ok(capsys, ["check", "hami-transport"])
    assert out.startswith("hami-transport ")
    assert "count from fact absences" in out


# -- bad input: status 2, one line on stderr, nothing on stdout ---------------------------


def test_unknown_scheme(capsys, tmp_path):
    line = run_bad(capsys, ["score", "--scheme", "no-such", str(write_json(tmp_path, BAILIAN))])
    assert line.startswith("jixiao score: ")
    assert "'no-such'" in line
    assert "bailian-town" in line  # lists the presets


def test_invalid_json_reports_line_and_column(capsys, tmp_path):
    path = write_json(tmp_path, '{\n  "values": {"public": 92 "plan": 1}\n}\n')
    line = run_bad(capsys, ["score", "--scheme", "bailian-town", str(path)])
    assert f"{path}:2:27: invalid JSON" in line  # where the missing comma should be


def test_invalid_json_on_stdin(capsys, monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.StringIO("{oops"))
    line = run_bad(capsys, ["score", "--scheme", "bailian-town", "-"])
    assert "<stdin>:1:2: invalid JSON" in line


def test_missing_values(capsys, tmp_path):
    path = write_json(tmp_path, {"vetoes": []})
    line = run_bad(capsys, ["score", "--scheme", "bailian-town", str(path)])
    assert "'values' must be an object" in line


def test_input_not_an_object(capsys, tmp_path):
    path = write_json(tmp_path, [1, 2])
    line = run_bad(capsys, ["score", "--scheme", "bailian-town", str(path)])
    assert "must be a JSON object" in line


def test_unknown_top_level_key(capsys, tmp_path):
    path = write_json(tmp_path, {**BAILIAN, "veto": ["综治"]})
    line = run_bad(capsys, ["score", "--scheme", "bailian-town", str(path)])
    assert "unknown key 'veto'" in line


@pytest.mark.parametrize("vetoes", ["综治", [1], {"综治": True}])
def test_vetoes_not_a_list_of_names(capsys, tmp_path, vetoes):
    path = write_json(tmp_path, {**BAILIAN, "vetoes": vetoes})
    line = run_bad(capsys, ["score", "--scheme", "bailian-town", str(path)])
    assert "'vetoes' must be a list" in line


def test_evidence_not_a_mapping_of_lists(capsys, tmp_path):
    path = write_json(tmp_path, {**BAILIAN, "evidence": {"public": "x"}})
    line = run_bad(capsys, ["score", "--scheme", "bailian-town", str(path)])
    assert "'evidence' must map node ids" in line


def test_unknown_node(capsys, tmp_path):
    payload = {"values": {**BAILIAN["values"], "publik": 90}}
    line = run_bad(
        capsys, ["score", "--scheme", "bailian-town", str(write_json(tmp_path, payload))]
    )
    assert "node publik" in line
    assert "unknown node or fact 'publik'" in line


def test_out_of_range(capsys, tmp_path):
    payload = {"values": {**BAILIAN["values"], "public": 120}}
    line = run_bad(
        capsys, ["score", "--scheme", "bailian-town", str(write_json(tmp_path, payload))]
    )
    assert line == "jixiao score: node public: value 120 is outside 0–100"


def test_several_input_problems_still_print_one_line(capsys, tmp_path):
    payload = {"values": {"indicators": -1, "public": 120, "inspection": [-2]}}
    line = run_bad(
        capsys, ["score", "--scheme", "bailian-town", str(write_json(tmp_path, payload))]
    )
    assert "node indicators" in line


def test_missing_input_file(capsys, tmp_path):
    line = run_bad(capsys, ["score", "--scheme", "bailian-town", str(tmp_path / "none.json")])
    assert "cannot read" in line


def test_non_utf8_input_file(capsys, tmp_path):
    path = tmp_path / "gbk.json"
    path.write_bytes('{"values": {"备注": 1}}'.encode("gbk"))
    line = run_bad(capsys, ["score", "--scheme", "bailian-town", str(path)])
    assert "not UTF-8" in line


def test_invalid_scheme_file_for_score(capsys, tmp_path):
    line = run_bad(
        capsys, ["score", "--scheme", str(BAD_WEIGHTS), str(write_json(tmp_path, SMALL_INPUT))]
    )
    assert f"{BAD_WEIGHTS}:9: node a: weights of the children sum to 95" in line


def test_invalid_scheme_file_for_check(capsys):
    line = run_bad(capsys, ["check", str(BAD_WEIGHTS)])
    assert line.startswith(f"jixiao check: {BAD_WEIGHTS}:9: node a:")


def test_invalid_toml_for_check(capsys, tmp_path):
    path = tmp_path / "broken.toml"
    path.write_text('[scheme]\nid = "x"\nname = \n', encoding="utf-8")
    line = run_bad(capsys, ["check", str(path)])
    assert f"{path}:3: not valid TOML" in line


def test_missing_scheme_option_is_one_line(capsys, tmp_path):
    line = run_bad(capsys, ["score", str(write_json(tmp_path, BAILIAN))])
    assert "--scheme" in line


def test_unknown_command(capsys):
    line = run_bad(capsys, ["grade"])
    assert "invalid choice" in line


# -- the module entry point ----------------------------------------------------------------


def test_python_dash_m_jixiao_scores(tmp_path):
    path = write_json(tmp_path, BAILIAN)
    proc = subprocess.run(
        [sys.executable, "-m", "jixiao", "score", "--scheme", "bailian-town", str(path)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""
    assert json.loads(proc.stdout)["grade"] == "良"


def test_python_dash_m_jixiao_bad_input(tmp_path):
    path = write_json(tmp_path, {"values": {"public": 120}})
    proc = subprocess.run(
        [sys.executable, "-m", "jixiao", "score", "--scheme", "bailian-town", str(path)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
        check=False,
    )
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert proc.stderr.count("\n") == 1
    assert "node public" in proc.stderr
