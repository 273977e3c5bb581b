"""组织: units, people, task forces and role grants of the user's organisation."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from jixiao.organisation.access import require_access
from jixiao.organisation.models import Role, RoleGrant
from jixiao.organisation.selectors import (
    people_list,
    role_grant_list,
    task_force_list,
    unit_tree,
)
from jixiao.organisation.services import (
    person_create,
    role_grant,
    role_revoke,
    task_force_create,
    unit_create,
)
from jixiao.web.forms_org import PersonForm, TaskForceForm, UnitForm


@login_required
def units(request: HttpRequest) -> HttpResponse:
    access = require_access(request)
    return render(request, "org/units.html", {"tree": unit_tree(access), "tab": "units"})


@login_required
def people(request: HttpRequest) -> HttpResponse:
    access = require_access(request)
    return render(request, "org/people.html", {"people": people_list(access), "tab": "people"})


@login_required
def task_forces(request: HttpRequest) -> HttpResponse:
    access = require_access(request)
    context = {"task_forces": task_force_list(access), "tab": "task_forces"}
    return render(request, "org/task_forces.html", context)


@login_required
def roles(request: HttpRequest) -> HttpResponse:
    """Role grants: the office sees and changes them; everyone else gets 403."""
    access = require_access(request)
    access.require_office()
    if request.method == "POST":
        user = get_object_or_404(get_user_model(), username=request.POST.get("username", ""))
        unit_id = request.POST.get("unit") or None
        unit = get_object_or_404(access.units(), pk=unit_id) if unit_id else None
        try:
            role_grant(
                actor=request.user,
                user=user,
                org=access.org,
                role=request.POST.get("role", ""),
                unit=unit,
            )
        except ValidationError as exc:
            for error in exc.messages:
                messages.error(request, error)
        else:
            messages.success(request, _("已授予 %(user)s 角色") % {"user": user.get_username()})
        return redirect("org:roles")
    context = {
        "grants": role_grant_list(access),
        "role_choices": Role.choices,
        "units": access.units(),
        "tab": "roles",
    }
    return render(request, "org/roles.html", context)


@login_required
@require_POST
def role_revoke_view(request: HttpRequest, grant_id: int) -> HttpResponse:
    access = require_access(request)
    access.require_office()
    grant = get_object_or_404(RoleGrant, pk=grant_id, org=access.org)
    role_revoke(actor=request.user, grant=grant)
    messages.success(request, _("已撤销角色"))
    return redirect("org:roles")


def _create(request: HttpRequest, form_class, title: str, write, done: str) -> HttpResponse:
    """Shared shape of the three create pages: office only, form, service, redirect."""
    access = require_access(request)
    access.require_office()
    form = form_class(request.POST or None, access=access)
    if request.method == "POST" and form.is_valid():
        try:
            created = write(access, form.cleaned_data)
        except ValidationError as exc:
            for field_name, errors in exc.message_dict.items():
                form.add_error(field_name if field_name in form.fields else None, errors)
        else:
            messages.success(request, _("已创建：%(name)s") % {"name": created})
            return redirect(done)
    return render(request, "org/create.html", {"form": form, "title": title, "back": done})


@login_required
def unit_create_view(request: HttpRequest) -> HttpResponse:
    def write(access, data):
        return unit_create(
            name=data["name"],
            kind=data["kind"],
            code=data["code"],
            parent=data["parent"],
            sort=data["sort"] or 0,
            actor=request.user,
        )

    return _create(request, UnitForm, gettext_lazy("新增单位"), write, "org:units")


@login_required
def person_create_view(request: HttpRequest) -> HttpResponse:
    def write(access, data):
        return person_create(
            unit=data["unit"],
            name=data["name"],
            code=data["code"],
            post=data["post"],
            actor=request.user,
        )

    return _create(request, PersonForm, gettext_lazy("新增人员"), write, "org:people")


@login_required
def task_force_create_view(request: HttpRequest) -> HttpResponse:
    def write(access, data):
        return task_force_create(
            org=access.org,
            name=data["name"],
            leader=data["leader"],
            members=list(data["members"]),
            actor=request.user,
        )

    return _create(request, TaskForceForm, gettext_lazy("新增指挥组"), write, "org:task_forces")
