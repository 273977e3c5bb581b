"""Who may see and do what, decided in one place."""

import pytest

from jixiao.organisation.access import access_for
from jixiao.organisation.models import Role

pytestmark = pytest.mark.django_db


def test_roles_are_read_from_grants_in_the_users_organisation(cast):
    leader = access_for(cast.leader)
    assert leader.org == cast.org
    assert leader.roles == {Role.REVIEWER, Role.PRINCIPAL_LEADER}
    assert leader.reads_everything and not leader.is_office


def test_office_edits_everything_a_head_only_their_section(cast):
    office, head = access_for(cast.office), access_for(cast.head)
    assert office.can_edit_unit_items(cast.other_section.pk)
    assert head.can_edit_unit_items(cast.section.pk)
    assert not head.can_edit_unit_items(cast.other_section.pk)
    assert not head.reads_everything


def test_a_section_head_answers_for_sub_units_of_their_section(cast):
    from jixiao.organisation.services import unit_create

    team = unit_create(name="招商组", kind="section", code="jjfz-zs", parent=cast.section)
    assert access_for(cast.head).can_edit_unit_items(team.pk)


def test_handler_is_linked_to_their_person(cast):
    handler = access_for(cast.handler)
    assert handler.person == cast.handler_person
    assert not handler.can_edit_unit_items(cast.section.pk)


def test_users_without_grants_and_anonymous_have_no_access(cast):
    from django.contrib.auth.models import AnonymousUser

    assert access_for(cast.nobody) is None
    assert access_for(AnonymousUser()) is None


def test_access_is_scoped_to_one_organisation(cast):
    outsider = access_for(cast.outsider)
    assert outsider.org == cast.other_org
    assert set(outsider.units()) == {cast.other_org}
    assert cast.handler_person not in outsider.people()
    assert access_for(cast.outsider, org=cast.org) is None
