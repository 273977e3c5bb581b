"""Ledger reads: the engine's cap, the ledger per unit, and ledger_items for assessments."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from jixiao.assessments.models import Assessment, Subject
from jixiao.engine import evaluate, presets
from jixiao.inspections.selectors import engine_deduction, ledger_items, unit_ledger
from jixiao.inspections.services import inspection_void
from jixiao.years.models import YearScheme
from tests.inspections.world import record

pytestmark = pytest.mark.django_db

D = Decimal


# --- the engine's figure ------------------------------------------------------------


def test_bailian_cap_through_the_engine():
    scheme = presets.load("bailian-town")
    deduction = engine_deduction(scheme, "inspection", [D("1"), D("1.5"), D("2")])
    assert (deduction.raw, deduction.counted, deduction.capped) == (D("4.5"), D("3"), True)
    # The same figure the whole scheme takes off: 90 × 80% + 90 × 20% − 3 = 87.
    whole = evaluate(scheme, {"indicators": 90, "public": 90, "inspection": [1, D("1.5"), 2]})
    assert whole.total == D("87.00")


def test_under_the_cap_everything_counts():
    scheme = presets.load("bailian-town")
    deduction = engine_deduction(scheme, "inspection", [D("1"), D("1.5")])
    assert (deduction.raw, deduction.counted, deduction.capped) == (D("2.5"), D("2.5"), False)
    empty = engine_deduction(scheme, "inspection", [])
    assert (empty.raw, empty.counted, empty.capped) == (D("0"), D("0"), False)


def test_counted_node_through_the_engine():
    # hami-transport 机关效能: 100 − 0.5 per absence; three absences take 1.5.
    scheme = presets.load("hami-transport")
    deduction = engine_deduction(scheme, "efficiency", [D("0.5")] * 3)
    assert (deduction.raw, deduction.counted, deduction.capped) == (D("1.5"), D("1.5"), False)


def test_engine_deduction_refuses_other_nodes():
    with pytest.raises(ValueError):
        engine_deduction(presets.load("bailian-town"), "public", [])


# --- the unit ledger ----------------------------------------------------------------


def test_unit_ledger_runs_in_date_order_and_caps_with_the_engine(cast, iworld):
    record(cast, iworld, date=date(2024, 5, 2), points="2")
    record(cast, iworld, date=date(2024, 1, 9), points="1")
    voided = record(cast, iworld, date=date(2024, 2, 1), points="9")
    record(cast, iworld, date=date(2024, 3, 5), points="1.5")
    inspection_void(actor=cast.office, inspection=voided, reason="误记")
    [group] = unit_ledger(iworld.year, cast.org)
    dates = [line.inspection.date.month for line in group.lines]
    assert dates == [1, 2, 3, 5]
    assert [line.running for line in group.lines] == [D("1"), None, D("2.5"), D("4.5")]
    assert group.node_name == "察访核验"
    assert (group.deduction.raw, group.deduction.counted, group.deduction.capped) == (
        D("4.5"),
        D("3"),
        True,
    )
    # First quarter only: 1 + 1.5 = 2.5, under the cap.
    q1 = iworld.year.periods.get(kind="quarter", number=1)
    [q1_group] = unit_ledger(iworld.year, cast.org, start=q1.start, end=q1.end)
    assert (q1_group.deduction.counted, q1_group.deduction.capped) == (D("2.5"), False)


def test_unit_ledger_groups_people_apart(cast, iworld):
    record(cast, iworld, unit=cast.section, node="misconduct", points="4")
    for day in (3, 4):
        record(
            cast,
            iworld,
            unit=cast.section,
            person=cast.handler_person,
            node="efficiency",
            points="0.5",
            date=date(2024, 6, day),
        )
    unit_group, person_group = unit_ledger(iworld.year, cast.section)
    assert unit_group.person is None and unit_group.deduction.counted == D("4")
    assert person_group.person == cast.handler_person
    assert person_group.deduction.counted == D("1")


# --- ledger_items -------------------------------------------------------------------


def _assessment(iworld, kind: str, period_kind: str, number: int) -> Assessment:
    period = iworld.year.periods.get(kind=period_kind, number=number)
    pin = YearScheme.objects.get(year=iworld.year, subject_kind=kind)
    return Assessment.objects.create(
        year=iworld.year,
        period=period,
        subject_kind=kind,
        scheme_version=pin.scheme_version,
        name=f"{period.name} {kind}",
    )


def _points(items: dict) -> dict:
    return {node: [entry["points"] for entry in entries] for node, entries in items.items()}


def test_ledger_items_take_the_period_and_skip_voided(cast, iworld):
    jan = record(cast, iworld, date=date(2024, 1, 31), points="1")
    record(cast, iworld, date=date(2024, 3, 31), points="0.75")
    gone = record(cast, iworld, date=date(2024, 2, 10), points="2")
    record(cast, iworld, date=date(2024, 4, 1), points="5")  # second quarter
    inspection_void(actor=cast.office, inspection=gone, reason="重复")
    q1 = _assessment(iworld, "organisation", "quarter", 1)
    subject = Subject.objects.create(assessment=q1, unit=cast.org)
    items = ledger_items(subject, q1)
    assert _points(items) == {"inspection": [D("1.00"), D("0.75")]}
    assert sum(_points(items)["inspection"]) == D("1.75")
    assert items["inspection"][0]["ref"] == f"察访核验#{jan.pk} 2024-01-31"
    # The year takes all live rows: 1 + 0.75 + 5 = 6.75 (the engine caps it at 3).
    year = _assessment(iworld, "organisation", "year", 1)
    year_subject = Subject.objects.create(assessment=year, unit=cast.org)
    assert sum(_points(ledger_items(year_subject, year))["inspection"]) == D("6.75")


def test_ledger_items_give_an_empty_list_for_a_node_without_rows(cast, iworld):
    march = _assessment(iworld, "unit", "month", 3)
    subject = Subject.objects.create(assessment=march, unit=cast.other_section)
    assert ledger_items(subject, march) == {"misconduct": []}
    # …and the engine accepts that as an empty ledger, not a missing value.
    scheme = march.scheme_version.parsed()
    assert engine_deduction(scheme, "misconduct", []).counted == D("0")


def test_ledger_items_split_unit_and_person_rows(cast, iworld):
    record(cast, iworld, unit=cast.section, node="misconduct", points="2.5", date=date(2024, 3, 1))
    record(
        cast,
        iworld,
        unit=cast.section,
        person=cast.handler_person,
        node="efficiency",
        points="0.5",
        date=date(2024, 3, 2),
    )
    record(
        cast,
        iworld,
        unit=cast.section,
        person=cast.head_person,
        node="efficiency",
        points="0.5",
        date=date(2024, 3, 3),
    )
    unit_march = _assessment(iworld, "unit", "month", 3)
    unit_subject = Subject.objects.create(assessment=unit_march, unit=cast.section)
    assert _points(ledger_items(unit_subject, unit_march)) == {"misconduct": [D("2.50")]}
    person_march = _assessment(iworld, "person", "month", 3)
    handler = Subject.objects.create(assessment=person_march, person=cast.handler_person)
    assert _points(ledger_items(handler, person_march)) == {"efficiency": [D("0.50")]}
    cadre = Subject.objects.create(assessment=person_march, person=cast.cadre_person)
    assert ledger_items(cadre, person_march) == {"efficiency": []}


def test_ledger_items_never_cross_organisations(cast, iworld):
    record(
        cast, iworld, actor=cast.outsider, year=iworld.other_year, unit=cast.other_org, points="1"
    )
    q1 = _assessment(iworld, "organisation", "quarter", 1)
    subject = Subject.objects.create(assessment=q1, unit=cast.org)
    assert ledger_items(subject, q1) == {"inspection": []}


def test_section_head_reads_evidence_of_own_units_inspections_only(cast, iworld):
    from jixiao.evidence.selectors import can_read_evidence
    from jixiao.organisation.access import access_for
    from tests.inspections.world import png

    own = record(cast, iworld, unit=cast.section, node="misconduct", evidence=[png()])
    other = record(cast, iworld, unit=cast.other_section, node="misconduct", evidence=[png()])
    head = access_for(cast.head)
    assert can_read_evidence(head, own.evidence.get())
    assert not can_read_evidence(head, other.evidence.get())
    assert not can_read_evidence(access_for(cast.handler), own.evidence.get())
    assert not can_read_evidence(access_for(cast.outsider), own.evidence.get())
