"""考核年度: the organisation's assessment years, their pinned schemes and periods."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from jixiao.organisation.access import Access, require_access
from jixiao.schemes.models import SchemeVersion
from jixiao.schemes.selectors import preset_list, version_choices
from jixiao.years.models import SubjectKind
from jixiao.years.selectors import current_year, year_get, year_list, year_period_groups
from jixiao.years.services import year_setup


@login_required
def year_list_view(request: HttpRequest) -> HttpResponse:
    access = require_access(request)
    context = {"years": year_list(access), "can_edit": access.is_office, "tab": "years"}
    return render(request, "years/list.html", context)


@login_required
def year_detail_view(request: HttpRequest, year_id: int) -> HttpResponse:
    access = require_access(request)
    year = year_get(access, year_id)
    context = {
        "year": year,
        "periods": year_period_groups(year),
        "tab": "years",
        "can_edit": access.is_office,
    }
    return render(request, "years/detail.html", context)


def _parse_choices(access: Access, data) -> tuple[dict[str, SchemeVersion | str], dict[str, str]]:
    """The scheme chosen per subject kind: ``v:<version id>`` or ``p:<preset name>``."""
    choices: dict[str, SchemeVersion | str] = {}
    errors: dict[str, str] = {}
    preset_names = {p.name for p in preset_list()}
    for kind in SubjectKind:
        raw = str(data.get(f"scheme_{kind.value}", "")).strip()
        if not raw:
            continue
        prefix, __, value = raw.partition(":")
        if prefix == "p" and value in preset_names:
            choices[kind.value] = value
            continue
        if prefix == "v" and value.isdigit():
            version = (
                SchemeVersion.objects.filter(scheme__org=access.org, pk=int(value))
                .select_related("scheme")
                .first()
            )
            if version is not None:
                choices[kind.value] = version
                continue
        errors[kind.value] = _("%(kind)s：所选方案不存在") % {"kind": kind.label}
    return choices, errors


def _option_groups(access: Access) -> list[tuple[str, list[tuple[str, str]]]]:
    def label(scheme, version) -> str:
        return _("%(name)s 第 %(number)s 版") % {"name": scheme.name, "number": version.number}

    groups = [
        (scheme.name, [(f"v:{v.pk}", label(scheme, v)) for v in versions])
        for scheme, versions in version_choices(access)
    ]
    presets = [
        (f"p:{p.name}", _("%(title)s（%(name)s）") % {"title": p.title, "name": p.name})
        for p in preset_list()
    ]
    groups.append((_("由预设新建方案（使用其第 1 版）"), presets))
    return groups


@login_required
def year_create_view(request: HttpRequest) -> HttpResponse:
    """The office creates a year and pins one scheme version per kind of subject."""
    access = require_access(request)
    access.require_office()
    latest = current_year(access)
    form = {"year": str(latest.year + 1 if latest else date.today().year), "name": ""}
    errors: dict[str, str] = {}
    if request.method == "POST":
        form = {key: value.strip() for key, value in request.POST.items()}
        choices, errors = _parse_choices(access, request.POST)
        year_text = form.get("year", "")
        if not year_text.isdigit():
            errors["year"] = _("年度：请填写四位数字年份，如 2025")
        if not errors:
            try:
                year = year_setup(
                    actor=request.user,
                    org=access.org,
                    year=int(year_text),
                    choices=choices,
                    name=form.get("name", ""),
                )
            except ValidationError as exc:
                for key, messages_ in exc.message_dict.items():
                    errors[key] = _("；").join(messages_)
            else:
                messages.success(request, _("已创建“%(name)s”") % {"name": year.name})
                return redirect("years:detail", year_id=year.pk)
    kinds = [
        {
            "value": kind.value,
            "label": kind.label,
            "field": f"scheme_{kind.value}",
            "selected": form.get(f"scheme_{kind.value}", ""),
            "error": errors.get(kind.value, ""),
        }
        for kind in SubjectKind
    ]
    context = {
        "form": form,
        "errors": errors,
        "kinds": kinds,
        "option_groups": _option_groups(access),
        "tab": "years",
    }
    return render(request, "years/create.html", context, status=400 if errors else 200)
