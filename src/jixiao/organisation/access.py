"""Who may see and do what: the one place object-level permissions are decided.

Views call ``access_for(request.user)`` (or ``require_access``) and then ask the
returned ``Access``; selectors take it to scope their querysets. Every rule is
scoped to one organisation first, so nothing leaks across organisations.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _

from jixiao.organisation.models import READ_ALL_ROLES, Person, Role, RoleGrant, Unit


@dataclass(frozen=True)
class Access:
    user: object
    org: Unit
    roles: frozenset[str]
    # Sections (and their sub-units) a section head answers for.
    headed_unit_ids: frozenset[int] = field(default_factory=frozenset)
    person: Person | None = None

    @property
    def is_office(self) -> bool:
        return Role.OFFICE in self.roles

    @property
    def reads_everything(self) -> bool:
        return bool(self.roles & READ_ALL_ROLES)

    def has(self, *roles: str) -> bool:
        return bool(self.roles & set(roles))

    def require_office(self) -> None:
        if not self.is_office:
            raise PermissionDenied(_("只有绩效办管理员可以执行此操作"))

    def can_edit_unit_items(self, unit_id: int) -> bool:
        """Office edits everything; a section head edits their own section's items."""
        return self.is_office or unit_id in self.headed_unit_ids

    def units(self) -> QuerySet[Unit]:
        return Unit.objects.filter(org=self.org)

    def people(self) -> QuerySet[Person]:
        return Person.objects.filter(org=self.org)


def access_for(user, org: Unit | None = None) -> Access | None:
    """The user's access in ``org`` (default: the organisation of their first grant)."""
    if not getattr(user, "is_authenticated", False):
        return None
    grants = list(RoleGrant.objects.filter(user=user).select_related("org"))
    if org is None:
        if not grants:
            return None
        org = min((g.org for g in grants), key=lambda unit: unit.pk)
    grants = [g for g in grants if g.org_id == org.pk]
    if not grants:
        return None
    headed_roots = [g.unit_id for g in grants if g.role == Role.SECTION_HEAD and g.unit_id]
    person = Person.objects.filter(user=user, org=org).first()
    return Access(
        user=user,
        org=org,
        roles=frozenset(g.role for g in grants),
        headed_unit_ids=frozenset(_with_descendants(org, headed_roots)),
        person=person,
    )


def request_access(request: HttpRequest) -> Access | None:
    """``access_for(request.user)``, computed once per request (views and templates share it)."""
    if not hasattr(request, "_jixiao_access"):
        request._jixiao_access = access_for(request.user)
    return request._jixiao_access


def require_access(request: HttpRequest) -> Access:
    """Access for a view: 403 for a logged-in user with no role anywhere."""
    access = request_access(request)
    if access is None:
        raise PermissionDenied(_("您在任何单位都没有角色，请联系绩效办"))
    return access


def _with_descendants(org: Unit, roots: list[int]) -> set[int]:
    if not roots:
        return set()
    parents: dict[int, list[int]] = {}
    for unit_id, parent_id in Unit.objects.filter(org=org).values_list("id", "parent_id"):
        parents.setdefault(parent_id, []).append(unit_id)
    found, stack = set(), list(roots)
    while stack:
        unit_id = stack.pop()
        if unit_id not in found:
            found.add(unit_id)
            stack.extend(parents.get(unit_id, []))
    return found
