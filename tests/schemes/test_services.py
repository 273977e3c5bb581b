"""Scheme services: versions are immutable, invalid text stores nothing, every change is audited."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from jixiao.audit.models import AuditEvent
from jixiao.engine import SchemeError, evaluate, presets
from jixiao.schemes.models import Scheme, SchemeVersion
from jixiao.schemes.services import (
    scheme_create_from_preset,
    scheme_version_save,
    scheme_weights_save,
    weights_rewrite_text,
)
from jixiao.years.models import SubjectKind
from jixiao.years.services import year_create

BAILIAN = presets.text("bailian-town")


def line_of(text: str, exact: str) -> int:
    return text.splitlines().index(exact) + 1


@pytest.fixture
def scheme(cast) -> Scheme:
    return scheme_create_from_preset(actor=cast.office, org=cast.org, preset="bailian-town")


def test_create_from_preset_stores_version_one_and_audits(cast, scheme) -> None:
    assert scheme.code == "bailian-town"
    assert scheme.preset == "bailian-town"
    assert scheme.org == cast.org
    assert list(scheme.versions.values_list("number", "source_text")) == [(1, BAILIAN)]
    event = AuditEvent.objects.get(action="scheme.create")
    assert event.actor == cast.office
    assert event.org == cast.org
    assert event.after == {"preset": "bailian-town", "version": 1}


def test_create_from_same_preset_twice_changes_nothing(cast, scheme) -> None:
    again = scheme_create_from_preset(actor=cast.office, org=cast.org, preset="bailian-town")
    assert again.pk == scheme.pk
    assert SchemeVersion.objects.count() == 1
    assert AuditEvent.objects.filter(action="scheme.create").count() == 1


def test_create_from_unknown_preset_is_rejected(cast) -> None:
    with pytest.raises(ValidationError) as info:
        scheme_create_from_preset(actor=cast.office, org=cast.org, preset="no-such")
    assert "no-such" in str(info.value)
    assert not Scheme.objects.exists()


def test_each_org_gets_its_own_copy(cast, scheme) -> None:
    other = scheme_create_from_preset(
        actor=cast.outsider, org=cast.other_org, preset="bailian-town"
    )
    assert other.pk != scheme.pk
    assert other.org == cast.other_org


def test_saving_changed_text_creates_the_next_version(cast, scheme) -> None:
    v2_text = BAILIAN.replace("weight = 80", "weight = 70").replace(
        'kind = "score"\nweight = 20', 'kind = "score"\nweight = 30'
    )
    assert v2_text != BAILIAN
    v2 = scheme_version_save(actor=cast.office, scheme=scheme, source_text=v2_text)
    v3 = scheme_version_save(actor=cast.office, scheme=scheme, source_text=BAILIAN)
    assert (v2.number, v3.number) == (2, 3)
    assert scheme.versions.get(number=1).source_text == BAILIAN  # v1 untouched
    events = AuditEvent.objects.filter(action="scheme.version").order_by("id")
    assert [(e.before, e.after) for e in events] == [
        ({"version": 1}, {"version": 2}),
        ({"version": 2}, {"version": 3}),
    ]
    assert all(e.actor == cast.office and e.org == cast.org for e in events)


def test_saving_identical_text_creates_no_version(cast, scheme) -> None:
    same = scheme_version_save(actor=cast.office, scheme=scheme, source_text=BAILIAN)
    assert same.number == 1
    assert scheme.versions.count() == 1
    assert not AuditEvent.objects.filter(action="scheme.version").exists()


def test_invalid_text_stores_nothing_and_names_every_line(cast, scheme) -> None:
    # Two mistakes found in one pass: a negative weight and an unknown kind.
    bad = BAILIAN.replace("weight = 25  # default", "weight = -5  # default").replace(
        'kind = "deductions"', 'kind = "deduction"'
    )
    with pytest.raises(SchemeError) as info:
        scheme_version_save(actor=cast.office, scheme=scheme, source_text=bad)
    found = {(p.node, p.line) for p in info.value.problems}
    assert found == {
        ("indicators.governance", line_of(bad, 'id = "indicators.governance"')),  # line 38
        ("inspection", line_of(bad, 'id = "inspection"')),  # line 51
    }
    assert scheme.versions.count() == 1
    assert not AuditEvent.objects.filter(action="scheme.version").exists()


def test_weights_not_summing_to_100_are_reported_at_the_parent(cast, scheme) -> None:
    bad = BAILIAN.replace("weight = 25  # default", "weight = 20  # default")
    with pytest.raises(SchemeError) as info:
        scheme_version_save(actor=cast.office, scheme=scheme, source_text=bad)
    [problem] = info.value.problems
    assert (problem.node, problem.line) == ("indicators", 16)
    assert "sum to 95" in problem.message
    assert scheme.versions.count() == 1


def test_toml_syntax_error_carries_its_line(cast, scheme) -> None:
    bad = BAILIAN.replace('name = "公众评议"', 'name = "公众评议')
    with pytest.raises(SchemeError) as info:
        scheme_version_save(actor=cast.office, scheme=scheme, source_text=bad)
    assert info.value.problems[0].line == line_of(bad, 'name = "公众评议')
    assert scheme.versions.count() == 1


def test_rewrite_weights_changes_only_the_numbers_and_keeps_comments() -> None:
    parsed = presets.load("bailian-town")
    new = weights_rewrite_text(
        BAILIAN,
        parsed,
        {
            "indicators.sustainable": Decimal("30"),
            "indicators.livelihood": Decimal("35"),  # unchanged: left as written
            "indicators.governance": Decimal("35"),
        },
    )
    old_lines, new_lines = BAILIAN.splitlines(), new.splitlines()
    changed = [(a, b) for a, b in zip(old_lines, new_lines, strict=True) if a != b]
    assert changed == [
        ("weight = 40  # default", "weight = 30  # default"),
        ("weight = 25  # default", "weight = 35  # default"),
    ]


def test_rewrite_weights_writes_decimals_plainly() -> None:
    parsed = presets.load("bailian-town")
    new = weights_rewrite_text(
        BAILIAN, parsed, {"indicators": Decimal("82.50"), "public": Decimal("17.5")}
    )
    assert "weight = 82.5\n" in new
    assert "weight = 17.5\n" in new


def test_weights_save_creates_a_version_with_new_weights(cast, scheme) -> None:
    version = scheme_weights_save(
        actor=cast.office,
        scheme=scheme,
        weights={"indicators.sustainable": Decimal(50), "indicators.governance": Decimal(15)},
    )
    assert version.number == 2
    nodes = version.parsed().nodes
    assert nodes["indicators.sustainable"].weight == 50
    assert nodes["indicators.livelihood"].weight == 35
    assert nodes["indicators.governance"].weight == 15
    assert "weight = 50  # default" in version.source_text


def test_weights_save_with_same_weights_creates_nothing(cast, scheme) -> None:
    version = scheme_weights_save(
        actor=cast.office, scheme=scheme, weights={"indicators.sustainable": Decimal(40)}
    )
    assert version.number == 1
    assert scheme.versions.count() == 1


def test_weights_save_with_wrong_sum_stores_nothing(cast, scheme) -> None:
    with pytest.raises(SchemeError) as info:
        scheme_weights_save(
            actor=cast.office, scheme=scheme, weights={"indicators.sustainable": Decimal(45)}
        )
    assert any(p.node == "indicators" and "105" in p.message for p in info.value.problems)
    assert scheme.versions.count() == 1


def test_year_keeps_scoring_with_the_version_it_pinned(cast, scheme) -> None:
    v1 = scheme.versions.get(number=1)
    year = year_create(
        actor=cast.office, org=cast.org, year=2025, schemes={SubjectKind.ORGANISATION: v1}
    )
    v2 = scheme_weights_save(
        actor=cast.office,
        scheme=scheme,
        weights={"indicators": Decimal(70), "public": Decimal(30)},
    )
    assert v2.number == 2
    pinned = year.schemes.get(subject_kind=SubjectKind.ORGANISATION).scheme_version
    assert pinned.pk == v1.pk
    values = {"indicators": 90, "public": 60, "inspection": []}
    # v1: 90 × 80% + 60 × 20% = 72 + 12 = 84; v2 would give 63 + 18 = 81.
    assert evaluate(pinned.parsed(), values).total == Decimal("84.00")
    assert evaluate(v2.parsed(), values).total == Decimal("81.00")
