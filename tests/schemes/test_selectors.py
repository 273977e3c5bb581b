"""Scheme reads: scoped to the organisation; the weight preview sums what was typed."""

from __future__ import annotations

from decimal import Decimal

import pytest

from jixiao.organisation.access import access_for
from jixiao.schemes.selectors import scheme_list, scheme_tree, weight_preview
from jixiao.schemes.services import scheme_create_from_preset, scheme_version_save
from jixiao.years.models import SubjectKind
from jixiao.years.services import year_create


@pytest.fixture
def scheme(cast):
    return scheme_create_from_preset(actor=cast.office, org=cast.org, preset="bailian-town")


def test_scheme_list_shows_latest_version_and_year_pins(cast, scheme) -> None:
    v1 = scheme.versions.get()
    year_create(actor=cast.office, org=cast.org, year=2025, schemes={SubjectKind.ORGANISATION: v1})
    scheme_version_save(actor=cast.office, scheme=scheme, source_text=v1.source_text + "\n# 备注\n")
    [row] = scheme_list(access_for(cast.cadre))
    assert row.scheme == scheme
    assert row.latest_number == 2
    assert [(u.year.year, u.subject_kind, u.version_number) for u in row.uses] == [
        (2025, "乡镇/部门", 1)
    ]


def test_scheme_list_never_shows_another_org(cast, scheme) -> None:
    assert scheme_list(access_for(cast.outsider)) == []


def test_tree_walks_every_node_with_depth_and_caps(scheme) -> None:
    rows = scheme_tree(scheme.versions.get().parsed())
    assert [(r.node.id, r.depth) for r in rows] == [
        ("total", 0),
        ("indicators", 1),
        ("indicators.sustainable", 2),
        ("indicators.livelihood", 2),
        ("indicators.governance", 2),
        ("public", 1),
        ("inspection", 1),
    ]
    inspection = rows[-1]
    assert inspection.kind_label == "扣分"
    assert inspection.caps == ["最多 3 分"]


def test_preview_without_data_shows_the_file_weights(scheme) -> None:
    preview = weight_preview(scheme.versions.get())
    sums = {g.parent.id: g.total for g in preview.groups}
    assert sums == {"total": Decimal(100), "indicators": Decimal(100)}
    assert preview.ok
    assert preview.problems == []


def test_preview_sums_typed_weights_and_flags_the_wrong_parent(scheme) -> None:
    data = {
        "w:indicators": "80",
        "w:public": "20",
        "w:indicators.sustainable": "30",
        "w:indicators.livelihood": "35.5",
        "w:indicators.governance": "25",
    }
    preview = weight_preview(scheme.versions.get(), data)
    sums = {g.parent.id: g.total for g in preview.groups}
    # 30 + 35.5 + 25 = 90.5 under 指标考核; 80 + 20 = 100 at the root.
    assert sums == {"total": Decimal(100), "indicators": Decimal("90.5")}
    assert [g.parent.name for g in preview.bad_groups] == ["指标考核"]
    assert not preview.ok
    [problem] = preview.problems
    assert problem.node == "indicators"
    assert "90.5" in problem.message
    assert scheme.versions.count() == 1  # a preview saves nothing


def test_preview_marks_a_non_number_beside_its_input(scheme) -> None:
    preview = weight_preview(scheme.versions.get(), {"w:public": "二十"})
    root = next(g for g in preview.groups if g.parent.id == "total")
    public = next(c for c in root.children if c.node.id == "public")
    assert public.error
    assert root.total is None
    assert preview.text is None
    assert not preview.ok


def test_split_parts_are_shown_but_not_editable(cast) -> None:
    scheme = scheme_create_from_preset(actor=cast.office, org=cast.org, preset="water-bureau")
    preview = weight_preview(scheme.versions.get())
    split = next(g for g in preview.groups if g.parent.id == "business.1")
    assert [(c.node.id, c.value, c.editable) for c in split.children] == [
        ("business.1.completion", "90", False),
        ("business.1.progress", "5", False),
        ("business.1.innovation", "5", False),
    ]
    assert "business.1.completion" not in preview.weights
    assert preview.ok
