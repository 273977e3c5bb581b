"""Dashboard figures against the hand-built world of tests/dashboards/world.py."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from hypothesis import given
from hypothesis import strategies as st

from jixiao.dashboards import charts
from jixiao.dashboards import selectors as sel
from jixiao.organisation.access import access_for
from tests.dashboards.world import add_targets, tree

D = Decimal
TODAY = date(2025, 6, 28)


def board(cast, world, user=None, **owner):
    access = access_for(user or cast.leader)
    return sel.dashboard(access, world.year, today=TODAY, **owner)


def test_trend_lists_published_periods_in_order_with_the_township_average(cast, world):
    b = board(cast, world, unit=cast.village)
    assert [p.label for p in b.trend] == ["第一季度", "第二季度"]  # Q3 is under review
    assert [p.total for p in b.trend] == [D("90.00"), D("85.00")]
    # (90 + 80 + 70.5) / 3 = 80.1666… → 80.17; Q2 leaves the unscored section out.
    assert [p.average for p in b.trend] == [D("80.17"), D("80.00")]
    assert b.chart_data["trend"]["series"][0]["data"] == ["90.00", "85.00"]
    assert b.chart_data["trend"]["series"][1]["data"] == ["80.17", "80.00"]


def test_unscored_period_stays_in_the_trend_without_a_total(cast, world):
    b = board(cast, world, unit=cast.section)
    assert [(p.label, p.total) for p in b.trend] == [("第一季度", D("80.00")), ("第二季度", None)]
    # The latest *scored* period heads the board; without a stored breakdown, no radar.
    assert b.latest.assessment_id == world.q1.pk and b.latest.total == D("80.00")
    assert b.radar == [] and b.chart_data["radar"]["indicators"] == []


def test_radar_expands_to_indicators_and_normalises_against_the_average(cast, world):
    b = board(cast, world, unit=cast.village)
    assert b.latest.pk == world.village_q2.pk
    got = [(a.name, a.own, a.average) for a in b.radar]
    assert got == [
        ("可持续发展", D("100.00"), D("80.00")),  # (100 + 60) / 2
        ("改善民生", D("80.00"), D("85.00")),
        ("勤政廉政", D("90.00"), D("90.00")),
        ("公众评议", D("70.00"), D("75.00")),  # 14/20 and 16/20 on a 0–100 scale
    ]
    radar = b.chart_data["radar"]
    assert radar["indicators"][3] == {"name": "公众评议", "max": 100}
    assert radar["series"][0]["data"] == ["100.00", "80.00", "90.00", "70.00"]


def test_radar_keeps_level_one_nodes_when_there_are_three_or_more():
    t = {
        "id": "total",
        "children": [
            {"id": "a", "name": "A", "score": "45", "full": "50", "children": [{"id": "a.x"}]},
            {"id": "b", "name": "B", "score": "9", "full": "10"},
            {"id": "c", "name": "C", "score": "1", "full": "3"},
            {"id": "d", "name": "D", "score": "-2", "full": "0"},  # a deduction: no axis
            {"id": "e", "name": "E", "present": False},
        ],
    }
    axes = charts.radar(t, [t])
    assert [(a.node_id, a.own) for a in axes] == [
        ("a", D("90.00")),
        ("b", D("90.00")),
        ("c", D("33.33")),
    ]


def test_grade_distribution_keeps_the_scheme_order_and_marks_the_own_grade(cast, world):
    b = board(cast, world, unit=cast.village)
    assert [(g.grade, g.count, g.own) for g in b.grades] == [
        ("优", 1, True),
        ("良", 1, False),
        ("一般", 0, False),
        ("差", 0, False),
    ]
    assert b.chart_data["grades"]["highlight"] == [0]


def test_deductions_by_month_count_live_unit_rows_only(cast, world):
    months = {
        m.month: (m.count, m.points) for m in board(cast, world, unit=cast.village).deductions
    }
    assert len(months) == 12
    assert months[3] == (2, D("1.5"))
    assert months[5] == (1, D("2"))  # the voided 3 and 陈静's own 4 are not the unit's
    assert months[4] == (0, D(0))
    person = {
        m.month: (m.count, m.points)
        for m in board(cast, world, person=cast.cadre_person).deductions
    }
    assert person[5] == (1, D("4"))


def test_target_progress_takes_each_targets_worst_light(cast, world):
    targets = add_targets(cast, world.year)
    progress = board(cast, world, unit=cast.village).progress
    assert [(row.target.code, row.colour) for row in progress.rows] == [
        ("V1", "red"),
        ("V2", "yellow"),
        ("V3", "green"),
        ("V4", ""),
    ]
    assert progress.counts == {"green": 1, "yellow": 1, "red": 1}
    assert progress.without_milestones == 1
    assert targets["other"].pk not in {row.target.pk for row in progress.rows}


def test_person_dashboard(cast, world):
    b = board(cast, world, cast.cadre, person=cast.cadre_person)
    assert [(p.label, p.total, p.rank) for p in b.trend] == [("第一季度", D("88.10"), 2)]
    assert b.trend[0].average == D("90.05")  # (88.10 + 92.00) / 2


def test_overview_ranks_the_latest_published_assessment_of_each_kind(
    cast, world, django_assert_max_num_queries
):
    access = access_for(cast.leader)
    with django_assert_max_num_queries(4):
        boards = sel.overview(access, world.year)
    units, people = boards
    assert units.assessment.pk == world.q2.pk and people.assessment.pk == world.people.pk
    assert [(r.subject.label, r.rank) for r in units.rows] == [
        ("白莲村", 1),
        ("社会事务办", 2),
        ("经济发展办", None),
    ]
    assert units.average == D("80.00")
    assert units.chart["series"][0]["data"] == ["85.00", "75.00"]
    assert units.chart["links"] == [
        f"/dashboards/subjects/{world.village_q2.pk}/",
        f"/dashboards/subjects/{world.other_q2.pk}/",
    ]


def test_drilldown_resolves_ledger_references_to_their_files(
    cast, world, django_assert_max_num_queries
):
    access = access_for(cast.leader)
    subject = sel.subject_get(access, world.village_q2.pk)
    with django_assert_max_num_queries(3):
        drill = sel.drilldown(access, subject)
        inspection = next(c for c in drill.tree["children"] if c["id"] == "inspection")
        known, unknown = inspection["refs"]
        files = list(known.inspection.evidence.all())
    assert known.inspection.pk == world.march.pk and files == [world.evidence]
    assert unknown.inspection is None and unknown.text.startswith("察访核验#999999")


@pytest.mark.parametrize(
    ("role", "unit", "allowed"),
    [
        ("office", "village", True),
        ("leader", "village", True),
        ("head", "section", True),
        ("head", "village", False),
        ("cadre", "village", False),
        ("handler", "section", False),
    ],
)
def test_who_sees_a_units_dashboard(cast, world, role, unit, allowed):
    access = access_for(getattr(cast, role))
    unit = getattr(cast, unit)
    if allowed:
        assert sel.unit_get(access, unit.pk) == unit
    else:
        with pytest.raises(PermissionDenied):
            sel.unit_get(access, unit.pk)


def test_outsider_gets_404_for_anything_of_the_org(cast, world):
    access = access_for(cast.outsider)
    for getter, pk in (
        (sel.unit_get, cast.village.pk),
        (sel.person_get, cast.cadre_person.pk),
        (sel.subject_get, world.village_q2.pk),
    ):
        with pytest.raises(Http404):
            getter(access, pk)


def test_unpublished_subject_is_a_404_even_for_the_office(cast, world):
    q3_subject = world.q3.subjects.get()
    with pytest.raises(Http404):
        sel.subject_get(access_for(cast.office), q3_subject.pk)


def test_my_dashboard_by_role(cast, world):
    assert sel.my_dashboard(access_for(cast.leader)) == ("overview", 0)
    assert sel.my_dashboard(access_for(cast.head)) == ("unit", cast.section.pk)
    assert sel.my_dashboard(access_for(cast.cadre)) == ("person", cast.cadre_person.pk)


def test_the_tree_builder_matches_the_world():
    assert charts.radar_axes(tree("1", "2", "3", "4"))[-1]["id"] == "public"


# --- arithmetic ---------------------------------------------------------------------

cents_st = st.decimals(min_value=-1000, max_value=1000, places=2, allow_nan=False)


@given(st.lists(cents_st, min_size=1, max_size=30))
def test_mean_is_the_exact_mean_rounded_half_up(values):
    got = charts.mean(values)
    exact = sum(values, D(0)) / len(values)
    assert abs(got - exact) <= D("0.005")
    assert min(values) <= got <= max(values)


@given(st.lists(st.sampled_from(["优", "良", "一般", "差", "", "特优"]), max_size=40))
def test_grade_distribution_counts_every_graded_subject_once(grades):
    rows = charts.grade_distribution(grades, ["优", "良", "一般", "差"])
    assert sum(r.count for r in rows) == sum(1 for g in grades if g)
    assert [r.grade for r in rows][:4] == ["优", "良", "一般", "差"]


@given(
    st.decimals(min_value=0, max_value=500, places=2),
    st.decimals(min_value=1, max_value=500, places=2),
)
def test_normalised_is_score_over_full_times_100(score, full):
    got = charts.normalised({"score": str(score), "full": str(full)})
    assert abs(got - score * 100 / full) <= D("0.005")
