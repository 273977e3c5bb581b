"""Target services: validation names the field, assignments dedupe, every write is audited."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from jixiao.audit.models import AuditEvent
from jixiao.organisation.models import Person
from jixiao.targets.models import Assignment, Milestone, Target
from jixiao.targets.services import (
    milestone_delete,
    milestone_set,
    target_assign,
    target_create,
    target_unassign,
    target_update,
)
from jixiao.years.models import Period


def _period(world, kind: str, number: int) -> Period:
    return Period.objects.get(year=world.year, kind=kind, number=number)


def test_create_rejects_blank_title_and_foreign_unit(cast, world) -> None:
    with pytest.raises(ValidationError) as exc:
        target_create(actor=cast.office, year=world.year, code="X1", title=" ", unit=cast.other_org)
    assert set(exc.value.message_dict) == {"title", "unit"}
    assert not Target.objects.filter(code="X1").exists()


def test_create_rejects_duplicate_code(cast, world) -> None:
    with pytest.raises(ValidationError) as exc:
        target_create(
            actor=cast.office, year=world.year, code="A01", title="重复", unit=cast.section
        )
    assert "code" in exc.value.message_dict


def test_update_audits_only_changed_fields(cast, world) -> None:
    target_update(
        actor=cast.head, target=world.a02, weight=Decimal("7.5"), title="新增市场主体120户"
    )
    event = AuditEvent.objects.filter(action="target.update").get()
    assert event.before == {"weight": "5"}
    assert event.after == {"weight": "7.5"}
    assert event.actor == cast.head


def test_update_with_equal_values_in_another_scale_changes_nothing(cast, world) -> None:
    target = Target.objects.get(pk=world.a01.pk)  # as read back: 1.5000, 10.00
    target_update(
        actor=cast.office, target=target, target_value=Decimal("1.5"), weight=Decimal("10")
    )
    assert not AuditEvent.objects.filter(action="target.update").exists()


def test_assignment_is_deduplicated_and_audited_once(cast, world) -> None:
    before = AuditEvent.objects.filter(action="target.assign").count()
    first = target_assign(
        actor=cast.office, target=world.a02, person=cast.handler_person, responsibility="handler"
    )
    again = target_assign(
        actor=cast.office, target=world.a02, person=cast.handler_person, responsibility="handler"
    )
    assert first.pk == again.pk
    assert Assignment.objects.filter(target=world.a02).count() == 1
    assert AuditEvent.objects.filter(action="target.assign").count() == before + 1


def test_several_handlers_on_one_target(cast, world) -> None:
    for person in (cast.handler_person, cast.other_person):
        target_assign(actor=cast.office, target=world.a02, person=person, responsibility="handler")
    names = set(world.a02.assignments.values_list("person__name", flat=True))
    assert names == {"刘洋", "周敏"}


def test_assigning_a_person_of_another_township_is_rejected(cast, world) -> None:
    stranger = Person.objects.get(code="y001")  # 吴刚 of 杨河乡
    with pytest.raises(ValidationError) as exc:
        target_assign(
            actor=cast.office, target=world.a02, person=stranger, responsibility="handler"
        )
    assert "person" in exc.value.message_dict
    assert not Assignment.objects.filter(person=stranger).exists()


def test_unknown_responsibility_is_rejected(cast, world) -> None:
    with pytest.raises(ValidationError) as exc:
        target_assign(
            actor=cast.office, target=world.a02, person=cast.handler_person, responsibility="boss"
        )
    assert "responsibility" in exc.value.message_dict


def test_unassign_deletes_and_audits(cast, world) -> None:
    assignment = world.a01.assignments.get(person=cast.handler_person)
    target_unassign(actor=cast.office, assignment=assignment)
    assert not world.a01.assignments.filter(person=cast.handler_person).exists()
    event = AuditEvent.objects.get(action="target.unassign")
    assert event.before == {"person": "刘洋", "responsibility": "handler"}


def test_milestone_per_month_and_dekad(cast, world) -> None:
    march = _period(world, "month", 3)
    dekad = _period(world, "dekad", 7)  # 3月上旬
    milestone_set(actor=cast.office, target=world.a01, period=march, description="完成30%")
    milestone_set(
        actor=cast.office,
        target=world.a01,
        period=dekad,
        description="项目开工",
        planned_value=Decimal("0.2"),
    )
    assert {m.period.name for m in world.a01.milestones.all()} == {"3月上旬", "3月"}
    assert AuditEvent.objects.filter(action="milestone.set").count() == 2


@pytest.mark.parametrize(("kind", "number"), [("quarter", 1), ("half", 1), ("year", 1)])
def test_milestone_rejects_other_period_kinds(cast, world, kind, number) -> None:
    with pytest.raises(ValidationError) as exc:
        milestone_set(
            actor=cast.office,
            target=world.a01,
            period=_period(world, kind, number),
            description="x",
        )
    assert "period" in exc.value.message_dict
    assert not Milestone.objects.exists()


def test_milestone_rejects_a_period_of_another_year(cast, world) -> None:
    foreign = Period.objects.get(year=world.other_year, kind="month", number=1)
    with pytest.raises(ValidationError) as exc:
        milestone_set(actor=cast.office, target=world.a01, period=foreign, description="x")
    assert "period" in exc.value.message_dict


def test_milestone_set_again_overwrites_and_unchanged_is_not_audited(cast, world) -> None:
    june = _period(world, "month", 6)
    milestone_set(
        actor=cast.office,
        target=world.a01,
        period=june,
        description="过半",
        planned_value=Decimal("5"),
    )
    milestone_set(
        actor=cast.office,
        target=world.a01,
        period=june,
        description="过半",
        planned_value=Decimal("5"),
    )
    milestone_set(
        actor=cast.office, target=world.a01, period=june, description="完成过半", planned_value=None
    )
    milestone = Milestone.objects.get()
    assert milestone.description == "完成过半"
    events = list(AuditEvent.objects.filter(action="milestone.set").order_by("pk"))
    assert len(events) == 2
    assert events[1].before == {"period": "6月", "description": "过半", "planned_value": "5"}
    assert events[1].after == {"period": "6月", "description": "完成过半", "planned_value": None}


def test_milestone_delete_is_audited(cast, world) -> None:
    milestone = milestone_set(
        actor=cast.office, target=world.a01, period=_period(world, "month", 1), description="启动"
    )
    milestone_delete(actor=cast.head, milestone=milestone)
    assert not Milestone.objects.exists()
    assert AuditEvent.objects.get(action="milestone.delete").actor == cast.head
