"""Every action code written by a service has a Chinese label, and only those do.

The codes are read from the source tree itself (every ``action=`` passed to
``audit_record`` or ``audit_import``), so a new service that forgets its label
fails here, not in front of a township's office.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import jixiao
from jixiao.assessments.models import Status
from jixiao.audit.actions import ACTION_LABELS, action_label

SOURCE = Path(jixiao.__file__).parent
AUDITING_CALLS = {"audit_record", "audit_import", "_save_if_changed"}
# Functions that pass their own ``action`` parameter on: their callers are scanned.
# (_save_if_changed: organisation.services' shared "save and audit what changed".)
FORWARDERS = {"audit_import", "_save_if_changed"}
# f-string codes, by their literal prefix: every value the placeholder can take.
DYNAMIC = {"assessment.": [f"assessment.{status}" for status in Status.values]}


def _called_name(node: ast.Call) -> str:
    func = node.func
    return func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")


class _Codes(ast.NodeVisitor):
    def __init__(self, path: Path) -> None:
        self.path = path
        self.functions: list[str] = []
        self.codes: set[str] = set()
        self.unreadable: list[str] = []

    def visit_FunctionDef(self, node: ast.FunctionDef) -> None:
        self.functions.append(node.name)
        self.generic_visit(node)
        self.functions.pop()

    def visit_Call(self, node: ast.Call) -> None:
        if _called_name(node) in AUDITING_CALLS:
            for keyword in node.keywords:
                if keyword.arg == "action":
                    self._collect(keyword.value)
        self.generic_visit(node)

    def _collect(self, value: ast.expr) -> None:
        if isinstance(value, ast.Constant) and isinstance(value.value, str):
            self.codes.add(value.value)
        elif isinstance(value, ast.IfExp):
            self._collect(value.body)
            self._collect(value.orelse)
        elif isinstance(value, ast.JoinedStr) and _prefix(value) in DYNAMIC:
            self.codes.update(DYNAMIC[_prefix(value)])
        elif isinstance(value, ast.Name) and FORWARDERS & set(self.functions):
            pass  # the forwarder's callers pass the literal code
        else:
            where = f"{self.path.relative_to(SOURCE)}:{value.lineno}"
            self.unreadable.append(f"{where} {ast.unparse(value)}")


def _prefix(value: ast.JoinedStr) -> str:
    first = value.values[0] if value.values else None
    return first.value if isinstance(first, ast.Constant) else ""


def _scan() -> tuple[set[str], list[str]]:
    codes: set[str] = set()
    unreadable: list[str] = []
    for path in sorted(SOURCE.rglob("*.py")):
        visitor = _Codes(path)
        visitor.visit(ast.parse(path.read_text(encoding="utf-8"), filename=str(path)))
        codes |= visitor.codes
        unreadable += visitor.unreadable
    return codes, unreadable


@pytest.fixture(scope="module")
def scanned() -> tuple[set[str], list[str]]:
    return _scan()


def test_the_scan_reads_literals_conditionals_forwarded_and_dynamic_codes(scanned) -> None:
    codes, unreadable = scanned
    assert not unreadable, f"action codes the test cannot read, name them literally: {unreadable}"
    # One of each shape, so an empty or broken scan cannot pass the tests below.
    assert {"unit.update", "progress.accept", "progress.return", "import.units"} <= codes
    assert {"assessment.final", "assessment.notice", "unit.create", "person.create"} <= codes


def test_every_action_code_in_the_source_has_a_label(scanned) -> None:
    codes, __ = scanned
    missing = sorted(codes - set(ACTION_LABELS))
    assert not missing, f"add these to jixiao/audit/actions.py ACTION_LABELS: {missing}"


def test_no_label_for_a_code_nothing_writes(scanned) -> None:
    codes, __ = scanned
    assert not sorted(set(ACTION_LABELS) - codes)


def test_labels_are_chinese_and_distinct() -> None:
    labels = [str(label) for label in ACTION_LABELS.values()]
    assert len(set(labels)) == len(labels)
    assert all(any("\u4e00" <= ch <= "\u9fff" for ch in label) for label in labels)
    assert action_label("unit.update") == "修改单位"
    assert action_label("no.such_code") == "no.such_code"  # old or foreign codes as they are
