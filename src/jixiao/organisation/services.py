"""Writes to the organisation: units, people, task forces and role grants.

Every function takes keyword arguments, runs in one transaction and records an
audit event (who, what, before and after) with the organisation it belongs to.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from jixiao.audit.services import audit_record
from jixiao.organisation.models import (
    ORGANISATION_KINDS,
    Person,
    Role,
    RoleGrant,
    TaskForce,
    Unit,
    UnitKind,
)


@transaction.atomic
def unit_create(
    *,
    name: str,
    kind: str,
    code: str,
    parent: Unit | None = None,
    sort: int = 0,
    actor: Any = None,
) -> Unit:
    """Create a unit; a township or bureau is its own organisation.

    ``actor`` is None only for seeding (the demo, fixtures): the event then has no actor.
    """
    if kind not in UnitKind.values:
        raise ValidationError({"kind": _("未知的单位类型：%(kind)s") % {"kind": kind}})
    if kind == UnitKind.COUNTY:  # above the organisations: belongs to none of them
        unit = Unit.objects.create(name=name, kind=kind, code=code, parent=parent, sort=sort)
    elif kind in ORGANISATION_KINDS:
        unit = Unit.objects.create(name=name, kind=kind, code=code, parent=parent, sort=sort)
        unit.org = unit
        unit.save(update_fields=["org"])
    elif parent is None or parent.org_id is None:
        raise ValidationError({"parent": _("科室、站所、村和居委会必须属于一个乡镇或部门")})
    else:
        unit = Unit.objects.create(
            name=name, kind=kind, code=code, parent=parent, org_id=parent.org_id, sort=sort
        )
    # A county belongs to no organisation: its event has none either, and so
    # appears in no township's log.
    audit_record(
        actor=actor,
        action="unit.create",
        obj=unit,
        org=unit.org,
        summary=f"新建单位 {unit.code}：{unit.name}",
        after={"code": unit.code, **_unit_snapshot(unit)},
    )
    return unit


@transaction.atomic
def person_create(
    *, unit: Unit, name: str, code: str, post: str = "", user=None, actor: Any = None
) -> Person:
    """Create a person in ``unit``'s organisation (``actor`` None only for seeding)."""
    if unit.org_id is None:
        raise ValidationError({"unit": _("人员必须属于一个乡镇或部门下的单位")})
    person = Person.objects.create(
        org_id=unit.org_id, unit=unit, name=name, code=code, post=post, user=user
    )
    audit_record(
        actor=actor,
        action="person.create",
        obj=person,
        org=person.org,
        summary=f"新建人员 {person.code}：{person.name}",
        after={"code": person.code, **_person_snapshot(person)},
    )
    return person


@transaction.atomic
def task_force_create(
    *, org: Unit, name: str, leader: Person, members: list[Person], actor: Any = None
) -> TaskForce:
    """Create a cross-unit task force (指挥组); the leader is always a member."""
    outsiders = [p.name for p in [leader, *members] if p.org_id != org.pk]
    if outsiders:
        raise ValidationError(
            {"members": _("不属于本单位的人员：%(names)s") % {"names": _("、").join(outsiders)}}
        )
    task_force = TaskForce.objects.create(org=org, name=name, leader=leader)
    everyone = {leader, *members}
    task_force.members.set(everyone)
    audit_record(
        actor=actor,
        action="task_force.create",
        obj=task_force,
        org=org,
        summary=f"新建指挥组：{name}",
        after={
            "name": name,
            "leader": leader.code,
            "members": sorted(person.code for person in everyone),
        },
    )
    return task_force


@transaction.atomic
def role_grant(*, actor, user, org: Unit, role: str, unit: Unit | None = None) -> RoleGrant:
    """Give a user a role in an organisation (audited: a permission change)."""
    if role not in Role.values:
        raise ValidationError({"role": _("未知的角色：%(role)s") % {"role": role}})
    if role == Role.SECTION_HEAD and unit is None:
        raise ValidationError({"unit": _("科室负责人必须指定负责的科室")})
    if unit is not None and unit.org_id != org.pk:
        raise ValidationError({"unit": _("负责单位不属于本乡镇或部门")})
    grant, created = RoleGrant.objects.get_or_create(user=user, org=org, role=role, unit=unit)
    if created:
        audit_record(
            actor=actor,
            action="role.grant",
            obj=grant,
            org=org,
            summary=f"{user.get_username()} 获得角色 {Role(role).label}",
            after={"user": user.get_username(), "role": role, "unit": unit.name if unit else None},
        )
    return grant


@transaction.atomic
def role_revoke(*, actor, grant: RoleGrant) -> None:
    before = {
        "user": grant.user.get_username(),
        "role": grant.role,
        "unit": grant.unit.name if grant.unit else None,
    }
    audit_record(
        actor=actor,
        action="role.revoke",
        obj=grant,
        org=grant.org,
        summary=f"{grant.user.get_username()} 被撤销角色 {grant.get_role_display()}",
        before=before,
    )
    grant.delete()


UNIT_FIELDS = ("name", "kind", "parent", "sort")
PERSON_FIELDS = ("name", "post", "unit", "user")


def _unit_snapshot(unit: Unit) -> dict:
    return {
        "name": unit.name,
        "kind": unit.kind,
        "parent": unit.parent.code if unit.parent_id else None,
        "sort": unit.sort,
    }


@transaction.atomic
def unit_update(*, actor, unit: Unit, **fields) -> Unit:
    """Change a unit below an organisation; audited only when something changed."""
    unknown = set(fields) - set(UNIT_FIELDS)
    if unknown:
        raise ValidationError({sorted(unknown)[0]: _("不能修改的字段")})
    if unit.is_organisation or unit.org_id is None:
        raise ValidationError({"kind": _("乡镇、部门和县本身不能在这里修改")})
    before = _unit_snapshot(unit)
    for name, value in fields.items():
        setattr(unit, name, value)
    errors = {}
    if not unit.name.strip():
        errors["name"] = _("名称不能为空")
    if unit.kind not in UnitKind.values or unit.kind in (*ORGANISATION_KINDS, UnitKind.COUNTY):
        errors["kind"] = _("单位类型应为科室、站所、村或居委会")
    parent = unit.parent
    if parent is None or parent.org_id != unit.org_id:
        errors["parent"] = _("上级单位必须属于同一乡镇或部门")
    else:
        # Walk up from the new parent over the stored tree (fresh: an import may have
        # moved other units in this transaction); reaching the unit would be a loop.
        parents = dict(Unit.objects.filter(org_id=unit.org_id).values_list("id", "parent_id"))
        seen, steps = parent.pk, 0
        while seen is not None and seen != unit.org_id and steps <= len(parents):
            if seen == unit.pk:
                errors["parent"] = _("上级单位不能是该单位自己或其下级")
                break
            seen, steps = parents.get(seen), steps + 1
    if errors:
        raise ValidationError(errors)
    _save_if_changed(
        actor=actor,
        obj=unit,
        action="unit.update",
        what="单位",
        before=before,
        after=_unit_snapshot(unit),
    )
    return unit


def _person_snapshot(person: Person) -> dict:
    return {
        "name": person.name,
        "post": person.post,
        "unit": person.unit.code if person.unit_id else None,
        "user": person.user.get_username() if person.user_id else None,
    }


@transaction.atomic
def person_update(*, actor, person: Person, **fields) -> Person:
    """Change a person's name, post, unit or login; audited only when something changed."""
    unknown = set(fields) - set(PERSON_FIELDS)
    if unknown:
        raise ValidationError({sorted(unknown)[0]: _("不能修改的字段")})
    before = _person_snapshot(person)
    for name, value in fields.items():
        setattr(person, name, value)
    errors = {}
    if not person.name.strip():
        errors["name"] = _("姓名不能为空")
    if person.unit.org_id != person.org_id:
        errors["unit"] = _("所在单位必须属于同一乡镇或部门")
    if (
        person.user_id
        and Person.objects.filter(user_id=person.user_id).exclude(pk=person.pk).exists()
    ):
        errors["user"] = _("该登录账号已关联其他人员")
    if errors:
        raise ValidationError(errors)
    _save_if_changed(
        actor=actor,
        obj=person,
        action="person.update",
        what="人员",
        before=before,
        after=_person_snapshot(person),
    )
    return person


def _save_if_changed(
    *, actor, obj: Unit | Person, action: str, what: str, before: dict, after: dict
) -> None:
    """Save ``obj`` and audit only the fields that changed; nothing when none did.

    Shared by unit_update and person_update so both keep the same rule: an edit that
    changes nothing (e.g. a re-imported sheet) leaves no save and no audit event.
    """
    if after == before:
        return
    obj.save()
    changed = sorted(k for k in after if after[k] != before[k])
    audit_record(
        actor=actor,
        action=action,
        obj=obj,
        org=obj.org,
        summary=f"修改{what} {obj.code}：{'、'.join(changed)}",
        before={k: before[k] for k in changed},
        after={k: after[k] for k in changed},
    )
