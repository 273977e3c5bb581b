import pytest
from django.core.exceptions import ValidationError

from jixiao.audit.models import AuditEvent
from jixiao.organisation.models import Role, RoleGrant, UnitKind
from jixiao.organisation.services import (
    person_create,
    role_grant,
    role_revoke,
    task_force_create,
    unit_create,
)

pytestmark = pytest.mark.django_db


def test_a_township_is_its_own_organisation_and_its_units_point_to_it(cast):
    assert cast.org.org == cast.org
    assert cast.section.org == cast.org
    assert cast.county.org is None


def test_a_section_needs_an_organisation_above_it():
    with pytest.raises(ValidationError) as info:
        unit_create(name="孤立科室", kind=UnitKind.SECTION, code="x")
    assert "parent" in info.value.message_dict


def test_unknown_unit_kind_names_the_field():
    with pytest.raises(ValidationError) as info:
        unit_create(name="某单位", kind="ministry", code="x")
    assert "kind" in info.value.message_dict


def test_person_takes_the_organisation_of_their_unit(cast):
    person = person_create(unit=cast.village, name="黄小明", code="p100", post="村支书")
    assert person.org == cast.org


def test_task_force_cannot_take_members_from_another_organisation(cast):
    outsider_person = cast.outsider.person
    with pytest.raises(ValidationError):
        task_force_create(
            org=cast.org, name="项目建设指挥组", leader=cast.head_person, members=[outsider_person]
        )
    group = task_force_create(
        org=cast.org, name="项目建设指挥组", leader=cast.head_person, members=[cast.handler_person]
    )
    assert set(group.members.all()) == {cast.head_person, cast.handler_person}


def test_granting_and_revoking_a_role_is_audited_with_before_and_after(cast):
    grant = role_grant(actor=cast.office, user=cast.cadre, org=cast.org, role=Role.REVIEWER)
    event = AuditEvent.objects.filter(action="role.grant").latest("id")
    assert event.actor == cast.office
    assert event.after == {"user": "cadre", "role": "reviewer", "unit": None}
    role_revoke(actor=cast.office, grant=grant)
    revoked = AuditEvent.objects.filter(action="role.revoke").latest("id")
    assert revoked.before["role"] == "reviewer"
    assert not RoleGrant.objects.filter(pk=grant.pk).exists()


def test_granting_the_same_role_twice_changes_nothing(cast):
    before = AuditEvent.objects.count()
    role_grant(actor=cast.office, user=cast.handler, org=cast.org, role=Role.HANDLER)
    assert AuditEvent.objects.count() == before


def test_a_section_head_grant_needs_a_unit_of_the_same_organisation(cast):
    with pytest.raises(ValidationError) as info:
        role_grant(actor=cast.office, user=cast.cadre, org=cast.org, role=Role.SECTION_HEAD)
    assert "unit" in info.value.message_dict
    with pytest.raises(ValidationError):
        role_grant(
            actor=cast.office,
            user=cast.cadre,
            org=cast.org,
            role=Role.SECTION_HEAD,
            unit=cast.other_org,
        )


# --- creating units, people and task forces is audited ---------------------------------


def _last(action: str) -> AuditEvent:
    return AuditEvent.objects.filter(action=action).latest("id")


def test_creating_a_unit_is_audited_with_who_what_and_the_organisation(cast):
    unit = unit_create(
        name="李家村", kind=UnitKind.VILLAGE, code="v09", parent=cast.org, sort=3, actor=cast.office
    )
    event = _last("unit.create")
    assert (event.actor, event.org, event.object_type) == (
        cast.office,
        cast.org,
        "organisation.unit",
    )
    assert event.object_id == str(unit.pk) and event.before is None
    assert event.after == {
        "code": "v09",
        "name": "李家村",
        "kind": "village",
        "parent": "bailian",
        "sort": 3,
    }
    assert "v09" in event.summary and "李家村" in event.summary


def test_a_new_township_is_logged_in_its_own_log_and_a_county_in_none(cast):
    town = unit_create(name="新河镇", kind=UnitKind.TOWNSHIP, code="xinhe", parent=cast.county)
    event = _last("unit.create")
    assert event.org == town and event.actor is None  # seeding: no actor
    unit_create(name="另一县", kind=UnitKind.COUNTY, code="county2", actor=cast.office)
    assert _last("unit.create").org is None


def test_a_refused_unit_leaves_no_event(cast):
    before = AuditEvent.objects.count()
    with pytest.raises(ValidationError):
        unit_create(name="孤立科室", kind=UnitKind.SECTION, code="x", actor=cast.office)
    assert AuditEvent.objects.count() == before


def test_creating_a_person_is_audited(cast):
    person = person_create(
        unit=cast.village,
        name="黄小明",
        code="p100",
        post="村支书",
        user=cast.nobody,
        actor=cast.office,
    )
    event = _last("person.create")
    assert (event.actor, event.org, event.object_id) == (cast.office, cast.org, str(person.pk))
    assert event.after == {
        "code": "p100",
        "name": "黄小明",
        "post": "村支书",
        "unit": "v01",
        "user": cast.nobody.get_username(),
    }
    before = AuditEvent.objects.count()
    with pytest.raises(ValidationError):
        person_create(unit=cast.county, name="无组织", code="p101", actor=cast.office)
    assert AuditEvent.objects.count() == before


def test_creating_a_task_force_is_audited_with_its_members(cast):
    group = task_force_create(
        org=cast.org,
        name="项目建设指挥组",
        leader=cast.head_person,
        members=[cast.handler_person, cast.cadre_person],
        actor=cast.leader,
    )
    event = _last("task_force.create")
    assert (event.actor, event.org, event.object_type, event.object_id) == (
        cast.leader,
        cast.org,
        "organisation.taskforce",
        str(group.pk),
    )
    assert event.after == {
        "name": "项目建设指挥组",
        "leader": "p002",
        "members": ["p002", "p003", "p004"],
    }
    before = AuditEvent.objects.count()
    with pytest.raises(ValidationError):
        task_force_create(
            org=cast.org,
            name="越界指挥组",
            leader=cast.head_person,
            members=[cast.outsider.person],
            actor=cast.leader,
        )
    assert AuditEvent.objects.count() == before
