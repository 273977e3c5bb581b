"""Who sees which targets: readers all, a head their section, others their own tasks."""

from __future__ import annotations

import pytest

from jixiao.organisation.access import access_for
from jixiao.targets.selectors import (
    can_edit_target,
    can_read_person_letter,
    can_read_unit_letter,
    indicator_groups,
    target_list,
    targets_visible_to,
)


def _codes(cast, world, username: str) -> set[str]:
    access = access_for(getattr(cast, username, None) or world.supervisor)
    return set(targets_visible_to(access, world.year).values_list("code", flat=True))


@pytest.mark.parametrize(
    ("username", "expected"),
    [
        ("office", {"A01", "A02", "B01", "C01"}),
        ("leader", {"A01", "A02", "B01", "C01"}),  # reviewer and principal leader
        ("head", {"A01", "A02"}),  # own section, assigned or not
        ("handler", {"A01"}),  # only the target they handle
        ("cadre", {"C01"}),
        ("supervisor", {"A01", "B01"}),  # targets they supervise, in any section
    ],
)
def test_visibility_per_role(cast, world, username, expected) -> None:
    assert _codes(cast, world, username) == expected


def test_outsider_sees_none_of_another_townships_targets(cast, world) -> None:
    access = access_for(cast.outsider)
    assert list(targets_visible_to(access, world.year)) == []
    # …and only their own township's target across all years.
    assert list(targets_visible_to(access).values_list("code", flat=True)) == ["Y01"]


def test_person_with_two_responsibilities_sees_the_target_once(cast, world) -> None:
    from jixiao.targets.services import target_assign

    target_assign(
        actor=cast.office,
        target=world.a01,
        person=cast.handler_person,
        responsibility="section_head",
    )
    access = access_for(cast.handler)
    assert list(targets_visible_to(access, world.year).values_list("code", flat=True)) == ["A01"]


def test_edit_rights(cast, world) -> None:
    office, head, handler = (access_for(u) for u in (cast.office, cast.head, cast.handler))
    assert can_edit_target(office, world.b01)
    assert can_edit_target(head, world.a02)
    assert not can_edit_target(head, world.b01)
    assert not can_edit_target(handler, world.a01)  # assigned, but reads only
    assert not can_edit_target(access_for(cast.outsider), world.a01)


def test_list_filters_by_unit_and_holder(cast, world) -> None:
    office = access_for(cast.office)
    by_unit = target_list(office, world.year, unit_id=cast.section.pk)
    assert [t.code for t in by_unit] == ["A01", "A02"]
    by_person = target_list(office, world.year, person_id=world.supervisor_person.pk)
    assert [t.code for t in by_person] == ["A01", "B01"]
    counts = {t.code: t.milestone_count for t in target_list(office, world.year)}
    assert counts == {"A01": 0, "A02": 0, "B01": 0, "C01": 0}


def test_letter_rights(cast, world) -> None:
    handler, head, leader = (access_for(u) for u in (cast.handler, cast.head, cast.leader))
    assert can_read_person_letter(handler, cast.handler_person)
    assert not can_read_person_letter(handler, cast.head_person)
    assert not can_read_unit_letter(handler, cast.section)
    assert can_read_unit_letter(head, cast.section)
    assert not can_read_unit_letter(head, cast.other_section)
    assert can_read_person_letter(head, cast.handler_person)  # staff of their section
    assert not can_read_person_letter(head, cast.other_person)
    assert can_read_unit_letter(leader, cast.village)
    assert not can_read_unit_letter(access_for(cast.outsider), cast.section)


def test_indicator_groups_list_the_pinned_schemes_nodes(cast, world) -> None:
    groups = indicator_groups(world.year, cast.org)
    assert groups[0].label.startswith("乡镇/部门")
    ids = [value for value, _label in groups[0].options]
    assert ids[:4] == [
        "indicators",
        "indicators.sustainable",
        "indicators.livelihood",
        "indicators.governance",
    ]
    assert "total" not in ids  # the root is the scheme, not an indicator
