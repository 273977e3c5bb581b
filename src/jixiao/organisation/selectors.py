"""Reads for the organisation pages, always scoped by an Access."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Prefetch, QuerySet

from jixiao.organisation.access import Access
from jixiao.organisation.models import Person, RoleGrant, TaskForce, Unit


@dataclass
class UnitNode:
    unit: Unit
    staff_count: int
    children: list[UnitNode] = field(default_factory=list)


def unit_tree(access: Access) -> list[UnitNode]:
    """The organisation's units as a tree, in one query."""
    units = list(access.units().annotate(staff_count=Count("staff")).order_by("sort", "code"))
    nodes = {u.pk: UnitNode(unit=u, staff_count=u.staff_count) for u in units}
    roots = []
    for node in nodes.values():
        parent = nodes.get(node.unit.parent_id)
        (parent.children if parent else roots).append(node)
    return roots


def people_list(access: Access) -> QuerySet[Person]:
    return access.people().select_related("unit", "user").order_by("unit__sort", "code")


def task_force_list(access: Access) -> QuerySet[TaskForce]:
    return (
        TaskForce.objects.filter(org=access.org)
        .select_related("leader")
        .prefetch_related(Prefetch("members", queryset=Person.objects.order_by("code")))
    )


def role_grant_list(access: Access) -> QuerySet[RoleGrant]:
    return (
        RoleGrant.objects.filter(org=access.org)
        .select_related("user", "unit", "user__person")
        .order_by("user__username", "role")
    )


def user_name(user: Any) -> str:
    """Chinese order, family name first, as in the page header; else the login name."""
    if user is None:
        return ""
    name = f"{user.last_name}{user.first_name}".strip()
    return name or user.get_username()
