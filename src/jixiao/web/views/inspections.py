"""察访核验 / 督查: record inspections, read each unit's ledger, compare project sites."""

from __future__ import annotations

from datetime import date

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from jixiao.inspections.models import InspectionKind, ProjectSite
from jixiao.inspections.selectors import (
    can_manage_sites,
    can_read_any_ledger,
    can_read_ledger,
    can_record,
    filter_periods,
    inspection_get,
    ledger_summary,
    ledger_unit_get,
    month_period_get,
    month_periods,
    node_groups,
    recent_inspections,
    site_comparison,
    site_get,
    site_list,
    site_visits,
    unit_ledger,
)
from jixiao.inspections.services import (
    inspection_record,
    inspection_void,
    site_create,
    site_delete,
    site_update,
    site_visit_record,
)
from jixiao.organisation.access import Access, require_access
from jixiao.web.errors import form_error_lines
from jixiao.web.params import int_param
from jixiao.years.models import AssessmentYear
from jixiao.years.selectors import current_year, period_label


def _require_reader(access: Access) -> None:
    if not can_read_any_ledger(access):
        raise PermissionDenied(_("只有绩效办、领导小组、主管领导和科室负责人可以查看察访核验台账"))


def _require_recorder(access: Access) -> None:
    if not can_record(access):
        raise PermissionDenied(_("只有绩效办和效能督查组可以记录察访核验"))


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (Django's documented recipe); cleans to a list."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


# --- index --------------------------------------------------------------------------


@login_required
def index(request: HttpRequest) -> HttpResponse:
    access = require_access(request)
    _require_reader(access)
    year = current_year(access)
    context: dict = {"year": year, "tab": "ledger", "can_record": can_record(access)}
    if year is not None:
        context.update(
            summaries=ledger_summary(access, year), recent=recent_inspections(access, year)
        )
    return render(request, "inspections/index.html", context)


# --- record and void ----------------------------------------------------------------


class InspectionForm(forms.Form):
    unit = forms.ModelChoiceField(label=gettext_lazy("被检查单位"), queryset=None)
    person = forms.ModelChoiceField(
        label=gettext_lazy("责任人（可选）"), queryset=None, required=False
    )
    kind = forms.ChoiceField(label=gettext_lazy("方式"), choices=InspectionKind.choices)
    date = forms.DateField(label=gettext_lazy("日期"), widget=forms.DateInput({"type": "date"}))
    finding = forms.CharField(
        label=gettext_lazy("发现问题"), max_length=2000, widget=forms.Textarea({"rows": 3})
    )
    node = forms.ChoiceField(label=gettext_lazy("扣分项"))
    points = forms.CharField(label=gettext_lazy("扣分"), max_length=20)
    evidence = MultipleFileField(label=gettext_lazy("佐证材料"), required=False)

    def __init__(self, *args, access: Access, year: AssessmentYear, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = access.units().order_by("sort", "code")
        self.fields["person"].queryset = access.people().select_related("unit")
        self.fields["node"].choices = [
            (label, [(o.node_id, o.label) for o in options]) for label, options in node_groups(year)
        ]


@login_required
def record(request: HttpRequest) -> HttpResponse:
    access = require_access(request)
    _require_recorder(access)
    year = current_year(access)
    if year is None:
        messages.error(request, _("尚未创建考核年度"))
        return redirect("inspections:index")
    today = date.today()
    initial = {"date": today if today.year == year.year else None, "kind": "unannounced"}
    form = InspectionForm(
        request.POST or None, request.FILES or None, access=access, year=year, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            row = inspection_record(
                actor=request.user,
                year=year,
                unit=data["unit"],
                person=data["person"],
                kind=data["kind"],
                date=data["date"],
                finding=data["finding"],
                node=data["node"],
                points=data["points"],
                evidence=data["evidence"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                _("已记录：%(unit)s %(date)s 扣 %(points)s 分")
                % {"unit": row.unit.name, "date": row.date, "points": row.points},
            )
            return redirect("inspections:ledger", unit_id=row.unit_id)
    context = {
        "form": form,
        "year": year,
        "tab": "ledger",
        "summary": form_error_lines(form) if form.is_bound else [],
    }
    return render(request, "inspections/record.html", context)


@login_required
@require_POST
def void(request: HttpRequest, inspection_id: int) -> HttpResponse:
    access = require_access(request)
    row = inspection_get(access, inspection_id)  # 404 outside the organisation
    _require_recorder(access)
    try:
        inspection_void(actor=request.user, inspection=row, reason=request.POST.get("reason", ""))
    except ValidationError as exc:
        messages.error(request, _("撤销理由：") + "；".join(exc.messages))
    else:
        messages.success(request, _("已撤销 %(date)s 的记录") % {"date": row.date})
    return redirect(reverse("inspections:ledger", args=[row.unit_id]))


# --- ledger -------------------------------------------------------------------------


@login_required
def ledger(request: HttpRequest, unit_id: int) -> HttpResponse:
    access = require_access(request)
    unit = ledger_unit_get(access, unit_id)  # another organisation's unit: 404
    if not can_read_ledger(access, unit):
        raise PermissionDenied(_("没有查看该单位察访核验台账的权限"))
    year = current_year(access)
    context: dict = {"unit": unit, "year": year, "tab": "ledger", "can_record": can_record(access)}
    if year is not None:
        periods = filter_periods(year)
        period_id = int_param(request.GET.get("period"))
        period = next((p for p in periods if p.pk == period_id), None)
        start, end = (period.start, period.end) if period else (None, None)
        context.update(
            periods=periods, period=period, groups=unit_ledger(year, unit, start=start, end=end)
        )
    template = "inspections/_ledger.html" if request.htmx else "inspections/ledger.html"
    return render(request, template, context)


# --- project sites ------------------------------------------------------------------


class SiteForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("项目名称"), max_length=200)
    unit = forms.ModelChoiceField(label=gettext_lazy("责任单位"), queryset=None)

    def __init__(self, *args, access: Access, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = access.units().order_by("sort", "code")


@login_required
def sites(request: HttpRequest) -> HttpResponse:
    access = require_access(request)
    _require_reader(access)
    context = {
        "sites": site_list(access),
        "tab": "sites",
        "can_manage": can_manage_sites(access),
    }
    return render(request, "inspections/sites.html", context)


def _site_form_page(request, access: Access, site: ProjectSite | None) -> HttpResponse:
    initial = {"name": site.name, "unit": site.unit} if site else None
    form = SiteForm(request.POST or None, access=access, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            if site is None:
                site = site_create(actor=request.user, org=access.org, **form.cleaned_data)
            else:
                site = site_update(actor=request.user, site=site, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("已保存项目现场 %(name)s") % {"name": site.name})
            return redirect("inspections:site_detail", site_id=site.pk)
    context = {
        "form": form,
        "site": site,
        "tab": "sites",
        "summary": form_error_lines(form) if form.is_bound else [],
    }
    return render(request, "inspections/site_form.html", context)


@login_required
def site_create_view(request: HttpRequest) -> HttpResponse:
    access = require_access(request)
    if not can_manage_sites(access):
        raise PermissionDenied(_("只有绩效办和效能督查组可以管理项目现场"))
    return _site_form_page(request, access, None)


def _managed_site(request: HttpRequest, site_id: int) -> tuple[Access, ProjectSite]:
    access = require_access(request)
    site = site_get(access, site_id)  # 404 outside the organisation
    if not can_manage_sites(access):
        raise PermissionDenied(_("只有绩效办和效能督查组可以管理项目现场"))
    return access, site


@login_required
def site_edit(request: HttpRequest, site_id: int) -> HttpResponse:
    access, site = _managed_site(request, site_id)
    return _site_form_page(request, access, site)


@login_required
@require_POST
def site_delete_view(request: HttpRequest, site_id: int) -> HttpResponse:
    _access, site = _managed_site(request, site_id)
    try:
        site_delete(actor=request.user, site=site)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
        return redirect("inspections:site_detail", site_id=site.pk)
    messages.success(request, _("已删除项目现场 %(name)s") % {"name": site.name})
    return redirect("inspections:sites")


class VisitForm(forms.Form):
    period = forms.ChoiceField(label=gettext_lazy("月份"))
    date = forms.DateField(label=gettext_lazy("巡查日期"), widget=forms.DateInput({"type": "date"}))
    progress_note = forms.CharField(
        label=gettext_lazy("进展情况"), max_length=2000, widget=forms.Textarea({"rows": 3})
    )
    figure = forms.CharField(label=gettext_lazy("形象进度（%）"), max_length=20, required=False)
    photos = MultipleFileField(label=gettext_lazy("现场照片"), required=False)

    def __init__(self, *args, months, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].choices = [
            (m.pk, _("%(year)s年%(month)s") % {"year": m.year.year, "month": period_label(m)})
            for m in months
        ]


@login_required
def site_detail(request: HttpRequest, site_id: int) -> HttpResponse:
    access = require_access(request)
    site = site_get(access, site_id)
    months = list(month_periods(access.org).select_related("year"))
    can_manage = can_manage_sites(access)
    form = VisitForm(request.POST or None, request.FILES or None, months=months)
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied(_("只有绩效办和效能督查组可以记录现场巡查"))
        if form.is_valid():
            data = form.cleaned_data
            try:
                site_visit_record(
                    actor=request.user,
                    site=site,
                    period=month_period_get(access.org, int_param(data["period"])),
                    date=data["date"],
                    progress_note=data["progress_note"],
                    figure=data["figure"],
                    photos=data["photos"],
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("已保存巡查记录"))
                return redirect("inspections:site_detail", site_id=site.pk)
    context = {
        "site": site,
        "visits": site_visits(site),
        "form": form,
        "can_manage": can_manage,
        "tab": "sites",
        "summary": form_error_lines(form) if form.is_bound else [],
    }
    return render(request, "inspections/site_detail.html", context)


@login_required
def site_compare(request: HttpRequest, site_id: int) -> HttpResponse:
    access = require_access(request)
    site = site_get(access, site_id)
    visits = site_visits(site)
    before_id, after_id = int_param(request.GET.get("before")), int_param(request.GET.get("after"))
    comparison = site_comparison(visits, before_id, after_id)
    context = {
        "site": site,
        "visits": visits,
        "comparison": comparison,
        "before_id": comparison.before.period_id if comparison.before else before_id,
        "after_id": comparison.after.period_id if comparison.after else after_id,
        "tab": "sites",
    }
    return render(request, "inspections/compare.html", context)
