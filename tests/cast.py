"""A fixed cast of users for view and service tests (after healthchecks' hc/test.py).

One township (白莲镇) with two sections and a village, and a second township
(杨河乡) whose office user is the outsider: every view is tested with someone who
may and someone who may not.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model

from jixiao.organisation.models import Person, Role, Unit, UnitKind
from jixiao.organisation.services import person_create, role_grant, unit_create

PASSWORD = "ceshi-mima-2024"


@dataclass
class Cast:
    county: Unit
    org: Unit  # 白莲镇
    section: Unit  # 经济发展办: the head's section, where the handler works
    other_section: Unit  # 社会事务办
    village: Unit
    other_org: Unit  # 杨河乡
    office: object  # users
    leader: object
    head: object
    handler: object
    cadre: object
    outsider: object
    nobody: object  # logged in, no role anywhere
    handler_person: Person
    head_person: Person
    cadre_person: Person
    leader_person: Person
    other_person: Person  # works in other_section


def make_user(username: str, last: str, first: str):
    return get_user_model().objects.create_user(
        username=username, password=PASSWORD, last_name=last, first_name=first
    )


def build_cast() -> Cast:
    county = unit_create(name="示范县", kind=UnitKind.COUNTY, code="county")
    org = unit_create(name="白莲镇", kind=UnitKind.TOWNSHIP, code="bailian", parent=county)
    section = unit_create(name="经济发展办", kind=UnitKind.SECTION, code="jjfz", parent=org)
    other = unit_create(name="社会事务办", kind=UnitKind.SECTION, code="shsw", parent=org)
    village = unit_create(name="白莲村", kind=UnitKind.VILLAGE, code="v01", parent=org)
    other_org = unit_create(name="杨河乡", kind=UnitKind.TOWNSHIP, code="yanghe", parent=county)

    users = {
        "office": make_user("office", "王", "芳"),
        "leader": make_user("leader", "李", "建国"),
        "head": make_user("head", "张", "伟"),
        "handler": make_user("handler", "刘", "洋"),
        "cadre": make_user("cadre", "陈", "静"),
        "outsider": make_user("outsider", "赵", "磊"),
        "nobody": make_user("nobody", "孙", "丽"),
    }
    grants = [
        ("office", org, Role.OFFICE, None),
        ("leader", org, Role.REVIEWER, None),
        ("leader", org, Role.PRINCIPAL_LEADER, None),
        ("head", org, Role.SECTION_HEAD, section),
        ("handler", org, Role.HANDLER, None),
        ("cadre", org, Role.CADRE, None),
        ("outsider", other_org, Role.OFFICE, None),
    ]
    for username, grant_org, role, unit in grants:
        role_grant(actor=None, user=users[username], org=grant_org, role=role, unit=unit)

    leader_person = person_create(
        unit=org, name="李建国", code="p001", post="党委副书记", user=users["leader"]
    )
    head_person = person_create(
        unit=section, name="张伟", code="p002", post="主任", user=users["head"]
    )
    handler_person = person_create(
        unit=section, name="刘洋", code="p003", post="科员", user=users["handler"]
    )
    cadre_person = person_create(
        unit=village, name="陈静", code="p004", post="驻村干部", user=users["cadre"]
    )
    other_person = person_create(unit=other, name="周敏", code="p005", post="科员")
    person_create(unit=other_org, name="吴刚", code="y001", post="乡长", user=users["outsider"])
    return Cast(
        county=county,
        org=org,
        section=section,
        other_section=other,
        village=village,
        other_org=other_org,
        handler_person=handler_person,
        head_person=head_person,
        cadre_person=cadre_person,
        leader_person=leader_person,
        other_person=other_person,
        **users,
    )
