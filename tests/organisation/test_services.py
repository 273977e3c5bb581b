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
