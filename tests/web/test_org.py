"""组织 pages: every view with a user who may and one who may not."""

import pytest

from jixiao.organisation.models import Role, RoleGrant

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("name", ["units", "people", "task_forces"])
def test_members_of_the_organisation_read_its_pages(client, cast, name):
    client.force_login(cast.handler)
    response = client.get(f"/org/{'' if name == 'units' else name.replace('_', '-') + '/'}")
    assert response.status_code == 200


def test_units_page_shows_own_units_and_not_another_organisations(client, cast):
    client.force_login(cast.office)
    page = client.get("/org/").content.decode()
    assert "经济发展办" in page and "白莲村" in page
    assert "杨河乡" not in page


def test_people_page_lists_own_people_only(client, cast):
    client.force_login(cast.outsider)
    page = client.get("/org/people/").content.decode()
    assert "吴刚" in page
    assert "刘洋" not in page


def test_a_user_without_any_role_gets_403(client, cast):
    client.force_login(cast.nobody)
    assert client.get("/org/").status_code == 403


def test_anonymous_is_sent_to_login(client, cast):
    response = client.get("/org/people/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_only_the_office_sees_and_changes_role_grants(client, cast):
    client.force_login(cast.head)
    assert client.get("/org/roles/").status_code == 403
    assert client.post("/org/roles/", {"username": "head", "role": "office"}).status_code == 403
    assert not RoleGrant.objects.filter(user=cast.head, role=Role.OFFICE).exists()
    client.force_login(cast.office)
    assert client.get("/org/roles/").status_code == 200
    response = client.post("/org/roles/", {"username": "cadre", "role": "reviewer"})
    assert response.status_code == 302
    assert RoleGrant.objects.filter(user=cast.cadre, role=Role.REVIEWER, org=cast.org).exists()


def test_office_cannot_revoke_another_organisations_grant(client, cast):
    foreign = RoleGrant.objects.get(user=cast.outsider)
    client.force_login(cast.office)
    assert client.post(f"/org/roles/{foreign.pk}/revoke/").status_code == 404
    assert RoleGrant.objects.filter(pk=foreign.pk).exists()


def test_role_grant_with_a_foreign_unit_is_refused(client, cast):
    client.force_login(cast.office)
    response = client.post(
        "/org/roles/", {"username": "cadre", "role": "section_head", "unit": cast.other_org.pk}
    )
    assert response.status_code == 404


def test_people_list_has_no_n_plus_one(client, cast, django_assert_max_num_queries):
    from jixiao.organisation.services import person_create

    for n in range(20):
        person_create(unit=cast.section, name=f"职员{n}", code=f"q{n:03}")
    client.force_login(cast.office)
    with django_assert_max_num_queries(12):
        assert client.get("/org/people/").status_code == 200


def test_units_page_has_no_n_plus_one(client, cast, django_assert_max_num_queries):
    from jixiao.organisation.services import unit_create

    for n in range(20):
        unit_create(name=f"村{n}", kind="village", code=f"vv{n}", parent=cast.org)
    client.force_login(cast.office)
    with django_assert_max_num_queries(12):
        assert client.get("/org/").status_code == 200


def test_office_creates_a_unit_under_its_organisation(client, cast):
    from jixiao.organisation.models import Unit

    client.force_login(cast.office)
    assert client.get("/org/units/new/").status_code == 200
    response = client.post(
        "/org/units/new/",
        {"name": "荷塘村", "code": "v02", "kind": "village", "parent": cast.org.pk, "sort": 2},
    )
    assert response.status_code == 302
    unit = Unit.objects.get(code="v02")
    assert (unit.org, unit.parent, unit.kind) == (cast.org, cast.org, "village")


def test_duplicate_unit_code_is_reported_on_the_field_and_nothing_saved(client, cast):
    from jixiao.organisation.models import Unit

    client.force_login(cast.office)
    before = Unit.objects.count()
    response = client.post(
        "/org/units/new/",
        {"name": "重复", "code": "jjfz", "kind": "section", "parent": cast.org.pk},
    )
    assert response.status_code == 200
    assert "编码 jjfz 已被使用" in response.content.decode()
    assert Unit.objects.count() == before


def test_unit_parent_must_be_in_own_organisation(client, cast):
    client.force_login(cast.office)
    response = client.post(
        "/org/units/new/",
        {"name": "外乡村", "code": "x1", "kind": "village", "parent": cast.other_org.pk},
    )
    assert response.status_code == 200  # re-rendered with a choice error
    assert "x1" not in {u.code for u in cast.org.members.all()}


def test_office_creates_a_person_and_a_task_force(client, cast):
    from jixiao.organisation.models import Person, TaskForce

    client.force_login(cast.office)
    client.post(
        "/org/people/new/",
        {"name": "黄小君", "code": "p010", "post": "纪委书记", "unit": cast.org.pk},
    )
    person = Person.objects.get(code="p010", org=cast.org)
    response = client.post(
        "/org/task-forces/new/",
        {"name": "项目建设指挥组", "leader": person.pk, "members": [cast.handler_person.pk]},
    )
    assert response.status_code == 302
    group = TaskForce.objects.get(name="项目建设指挥组")
    assert set(group.members.all()) == {person, cast.handler_person}


@pytest.mark.parametrize("path", ["/org/units/new/", "/org/people/new/", "/org/task-forces/new/"])
def test_only_the_office_creates(client, cast, path):
    client.force_login(cast.head)
    assert client.get(path).status_code == 403
    assert client.post(path, {"name": "x", "code": "x"}).status_code == 403
