"""目标分解: the year's targets, their decomposition to people, milestones and letters."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from urllib.parse import quote

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, override, pgettext
from django.views.decorators.http import require_POST

from jixiao.organisation.access import Access, require_access
from jixiao.organisation.models import Person
from jixiao.targets import letters
from jixiao.targets.models import Assignment, Milestone, Responsibility, Target
from jixiao.targets.selectors import (
    can_edit_target,
    can_read_person_letter,
    can_read_unit_letter,
    editable_units,
    holder_choices,
    indicator_groups,
    indicator_names,
    milestone_periods,
    people_by_responsibility,
    responsibility_groups,
    target_detail,
    target_list,
    with_detail,
)
from jixiao.targets.services import (
    milestone_delete,
    milestone_set,
    target_assign,
    target_create,
    target_unassign,
    target_update,
)
from jixiao.web.errors import form_error_lines
from jixiao.web.params import decimal_text, int_param
from jixiao.years.models import AssessmentYear
from jixiao.years.selectors import current_year, period_label, years_for


def _labelled(label: str, message: str) -> str:
    """An error naming its field: "计划值：…" / "Planned value: …"."""
    return _("%(label)s：%(message)s") % {"label": label, "message": message}


# --- list -------------------------------------------------------------------------


@dataclass
class TargetRow:
    target: Target
    people: list[tuple[str, list[str]]]  # (responsibility label, names) with names only
    target_value: str
    weight: str
    indicator: str


def _rows(targets: list[Target], names: dict[str, str]) -> list[TargetRow]:
    labels = dict(Responsibility.choices)
    rows = []
    for target in targets:
        people = people_by_responsibility(target)
        indicator = target.indicator
        if indicator and indicator in names:
            indicator = with_detail(names[indicator], indicator)
        rows.append(
            TargetRow(
                target=target,
                people=[(str(labels[v]), n) for v, n in people.items() if n],
                target_value=f"{decimal_text(target.target_value)} {target.measure_unit}".strip(),
                weight=decimal_text(target.weight),
                indicator=indicator,
            )
        )
    return rows


@login_required
def target_list_view(request: HttpRequest) -> HttpResponse:
    access = require_access(request)
    year = current_year(access)
    context: dict = {"year": year, "tab": "targets"}
    if year is not None:
        unit_id, person_id = (
            int_param(request.GET.get("unit")),
            int_param(request.GET.get("person")),
        )
        targets = list(target_list(access, year, unit_id=unit_id, person_id=person_id))
        letter_units = {t.unit_id: t.unit for t in targets}
        context.update(
            rows=_rows(targets, indicator_names(year)),
            units=access.units().order_by("sort", "code"),
            holders=holder_choices(access, year),
            unit_id=unit_id,
            person_id=person_id,
            can_create=access.is_office or bool(access.headed_unit_ids),
            letter_units=[u for u in letter_units.values() if can_read_unit_letter(access, u)],
            my_person=access.person,
        )
    template = "targets/_table.html" if request.htmx else "targets/list.html"
    return render(request, template, context)


# --- create and edit ----------------------------------------------------------------


class TargetForm(forms.Form):
    code = forms.CharField(label=gettext_lazy("编号"), max_length=50)
    title = forms.CharField(label=gettext_lazy("目标内容"), max_length=300)
    unit = forms.ModelChoiceField(label=gettext_lazy("责任单位"), queryset=None, empty_label=None)
    measures = forms.CharField(
        label=gettext_lazy("工作措施"), required=False, widget=forms.Textarea({"rows": 3})
    )
    deadline = forms.DateField(
        label=gettext_lazy("完成时限"), required=False, widget=forms.DateInput({"type": "date"})
    )
    expected_result = forms.CharField(
        label=gettext_lazy("预期效果"), required=False, widget=forms.Textarea({"rows": 2})
    )
    target_value = forms.DecimalField(
        label=gettext_lazy("目标值"), required=False, max_digits=14, decimal_places=4
    )
    measure_unit = forms.CharField(label=gettext_lazy("计量单位"), required=False, max_length=20)
    weight = forms.DecimalField(
        label=gettext_lazy("权重/分值"),
        required=False,
        max_digits=7,
        decimal_places=2,
        min_value=0,
    )
    indicator = forms.ChoiceField(label=gettext_lazy("对应指标"), required=False)

    def __init__(self, *args, access: Access, year: AssessmentYear, target=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = editable_units(access)
        unit = target.unit if target else None
        groups = indicator_groups(year, unit)
        self.fields["indicator"].choices = [("", _("（不对应具体指标）"))] + [
            (group.label, group.options) for group in groups
        ]
        if target is not None:
            # The code is the target's identity in imports and letters: fixed once created.
            del self.fields["code"]
            if target.indicator and not any(
                target.indicator == value for g in groups for value, _l in g.options
            ):
                # Keep an indicator the pinned scheme no longer has, so editing other
                # fields does not fail on it.
                self.fields["indicator"].choices += [(target.indicator, target.indicator)]


def _target_form_page(request, form, year, target=None) -> HttpResponse:
    context = {
        "form": form,
        "year": year,
        "target": target,
        "summary": form_error_lines(form) if form.is_bound else [],
        "tab": "targets",
    }
    return render(request, "targets/form.html", context)


@login_required
def target_create_view(request: HttpRequest) -> HttpResponse:
    access = require_access(request)
    if not (access.is_office or access.headed_unit_ids):
        raise PermissionDenied(_("只有绩效办或科室负责人可以新建目标"))
    year = current_year(access)
    if year is None:
        messages.error(request, _("尚未创建考核年度，请先在“方案”步骤中创建年度"))
        return redirect("targets:list")
    form = TargetForm(request.POST or None, access=access, year=year)
    if request.method == "POST" and form.is_valid():
        try:
            target = target_create(actor=request.user, year=year, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("已新建目标 %(code)s") % {"code": target.code})
            return redirect("targets:detail", target_id=target.pk)
    return _target_form_page(request, form, year)


def _visible_target(access: Access, target_id: int) -> Target:
    target = target_detail(access, target_id)
    if target is None:
        raise Http404(_("没有这个目标"))
    return target


def _editable_target(access: Access, target_id: int) -> Target:
    target = _visible_target(access, target_id)
    if not can_edit_target(access, target):
        raise PermissionDenied(_("只能修改本科室的目标"))
    return target


@login_required
def target_edit_view(request: HttpRequest, target_id: int) -> HttpResponse:
    access = require_access(request)
    target = _editable_target(access, target_id)
    initial = {name: getattr(target, name) for name in TargetForm.base_fields}
    form = TargetForm(
        request.POST or None, access=access, year=target.year, target=target, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        try:
            target_update(actor=request.user, target=target, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("已保存目标 %(code)s") % {"code": target.code})
            return redirect("targets:detail", target_id=target.pk)
    return _target_form_page(request, form, target.year, target)


# --- detail: decomposition and milestones ----------------------------------------


def _detail_context(access: Access, target: Target, **extra) -> dict:
    can_edit = can_edit_target(access, target)
    people = list(target.assignments.all())
    persons = {a.person_id: a.person for a in people}
    milestones = list(target.milestones.all())
    for milestone in milestones:
        milestone.planned_text = decimal_text(milestone.planned_value)
        # Stored Chinese names, shown in the user's language.
        milestone.period_label = period_label(milestone.period)
    context = {
        "target": target,
        "groups": responsibility_groups(target),
        "milestones": milestones,
        "can_edit": can_edit,
        "target_value": f"{decimal_text(target.target_value)} {target.measure_unit}".strip(),
        "weight": decimal_text(target.weight),
        "unit_letter": can_read_unit_letter(access, target.unit),
        "person_letters": [p for p in persons.values() if can_read_person_letter(access, p)],
        "responsibilities": Responsibility.choices,
        "tab": "targets",
    }
    if can_edit:
        context["people"] = access.people().filter(is_active=True).select_related("unit")
        periods = list(milestone_periods(target.year))
        for period in periods:
            period.label = period_label(period)
        context["periods"] = periods
    context.update(extra)
    return context


@login_required
def target_detail_view(request: HttpRequest, target_id: int) -> HttpResponse:
    access = require_access(request)
    target = _visible_target(access, target_id)
    indicator = indicator_names(target.year).get(target.indicator, "")
    context = _detail_context(access, target, indicator_name=indicator)
    return render(request, "targets/detail.html", context)


def _after_write(request, access, target_id: int, partial: str, errors: list[str]):
    """htmx gets the refreshed partial; a plain form post is redirected back (PRG)."""
    if request.htmx:
        target = _visible_target(access, target_id)
        context = _detail_context(access, target, errors=errors)
        # 200 even with errors: htmx swaps only successful responses by default.
        return render(request, partial, context)
    for error in errors:
        messages.error(request, error)
    return redirect("targets:detail", target_id=target_id)


@login_required
@require_POST
def assign_view(request: HttpRequest, target_id: int) -> HttpResponse:
    access = require_access(request)
    target = _editable_target(access, target_id)
    errors: list[str] = []
    person = Person.objects.filter(pk=int_param(request.POST.get("person")) or 0).first()
    responsibility = request.POST.get("responsibility", "")
    if person is None:
        errors.append(_labelled(pgettext("one person", "人员"), _("请选择人员")))
    else:
        try:
            target_assign(
                actor=request.user, target=target, person=person, responsibility=responsibility
            )
        except ValidationError as exc:
            person_label = pgettext("one person", "人员")
            errors += _named(exc, {"person": person_label, "responsibility": _("责任")})
    if not errors and not request.htmx:
        messages.success(request, _("已添加 %(name)s") % {"name": person.name})
    return _after_write(request, access, target.pk, "targets/_assignments.html", errors)


@login_required
@require_POST
def unassign_view(request: HttpRequest, target_id: int, assignment_id: int) -> HttpResponse:
    access = require_access(request)
    target = _editable_target(access, target_id)
    assignment = get_object_or_404(
        Assignment.objects.select_related("person", "target__year__org"),
        pk=assignment_id,
        target=target,
    )
    target_unassign(actor=request.user, assignment=assignment)
    return _after_write(request, access, target.pk, "targets/_assignments.html", [])


@login_required
@require_POST
def milestone_set_view(request: HttpRequest, target_id: int) -> HttpResponse:
    access = require_access(request)
    target = _editable_target(access, target_id)
    errors: list[str] = []
    period = (
        milestone_periods(target.year).filter(pk=int_param(request.POST.get("period")) or 0).first()
    )
    if period is None:
        errors.append(_labelled(_("月份/旬"), _("请选择本年度的一个月或一旬")))
    planned_raw = request.POST.get("planned_value", "").strip()
    planned = None
    if planned_raw:
        try:
            planned = Decimal(planned_raw)
            if not planned.is_finite():
                raise InvalidOperation
        except InvalidOperation:
            errors.append(_labelled(_("计划值"), _("“%(value)s”不是数字") % {"value": planned_raw}))
    if not errors:
        try:
            milestone_set(
                actor=request.user,
                target=target,
                period=period,
                description=request.POST.get("description", ""),
                planned_value=planned,
            )
        except ValidationError as exc:
            errors += _named(exc, {"period": _("月份/旬"), "description": _("节点要求")})
    return _after_write(request, access, target.pk, "targets/_milestones.html", errors)


@login_required
@require_POST
def milestone_delete_view(request: HttpRequest, target_id: int, milestone_id: int) -> HttpResponse:
    access = require_access(request)
    target = _editable_target(access, target_id)
    milestone = get_object_or_404(
        Milestone.objects.select_related("period", "target__year__org"),
        pk=milestone_id,
        target=target,
    )
    milestone_delete(actor=request.user, milestone=milestone)
    return _after_write(request, access, target.pk, "targets/_milestones.html", [])


def _named(exc: ValidationError, labels: dict[str, str]) -> list[str]:
    if not hasattr(exc, "error_dict"):
        return list(exc.messages)
    return [
        _labelled(labels.get(field, field), message)
        for field, errors in exc.message_dict.items()
        for message in errors
    ]


# --- responsibility letters ---------------------------------------------------------


def _letter_year(access: Access, request: HttpRequest) -> AssessmentYear:
    year_id = int_param(request.GET.get("year"))
    year = years_for(access).filter(pk=year_id).first() if year_id else current_year(access)
    if year is None:
        raise Http404(_("没有这个考核年度"))
    return year


# A responsibility letter is an official Chinese document whatever the reader's interface
# language: its labels (主管领导, 承办人…) come from translatable model choices.
LETTER_LANGUAGE = "zh-hans"


def _pdf_response(letter: letters.Letter, ascii_name: str) -> HttpResponse:
    try:
        with override(LETTER_LANGUAGE):
            pdf = letters.render_letter(letter)
    except letters.LetterFontMissing as exc:
        return HttpResponse(str(exc), status=503, content_type="text/plain; charset=utf-8")
    response = HttpResponse(pdf, content_type="application/pdf")
    # RFC 6266 / 5987: an ASCII fallback for old clients, the Chinese name for the rest.
    response["Content-Disposition"] = (
        f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(letter.filename)}"
    )
    return response


@login_required
def letter_unit_view(request: HttpRequest, unit_id: int) -> HttpResponse:
    access = require_access(request)
    unit = get_object_or_404(access.units(), pk=unit_id)
    if not can_read_unit_letter(access, unit):
        raise PermissionDenied(_("只能下载本科室的目标责任书"))
    year = _letter_year(access, request)
    with override(LETTER_LANGUAGE):
        letter = letters.unit_letter(year, unit)
    return _pdf_response(letter, f"letter-{year.year}-unit-{unit.pk}.pdf")


@login_required
def letter_person_view(request: HttpRequest, person_id: int) -> HttpResponse:
    access = require_access(request)
    person = get_object_or_404(access.people(), pk=person_id)
    if not can_read_person_letter(access, person):
        raise PermissionDenied(_("只能下载本人的目标责任书"))
    year = _letter_year(access, request)
    with override(LETTER_LANGUAGE):
        letter = letters.person_letter(year, person)
    return _pdf_response(letter, f"letter-{year.year}-person-{person.pk}.pdf")
