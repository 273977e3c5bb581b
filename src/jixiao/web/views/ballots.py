"""民主测评: the office sets up and closes rounds, raters vote, reviewers read results."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from jixiao.assessments.models import Assessment, Status
from jixiao.ballots.models import DEFAULT_POINTS, Choice, RoundStatus
from jixiao.ballots.selectors import (
    ballot_nodes,
    ballot_sheet,
    can_see_results,
    open_ballots_for,
    org_users,
    round_get,
    round_groups,
    round_list,
    round_points,
    round_results,
    round_turnout,
)
from jixiao.ballots.services import (
    DEFAULT_GROUPS,
    GroupSpec,
    ballot_round_close,
    ballot_round_create,
    ballot_submit,
)
from jixiao.organisation.access import Access, require_access

GROUP_ROWS = 4  # three default groups and one spare row
POINT_FIELDS = (
    ("excellent", gettext_lazy("优秀")),
    ("competent", gettext_lazy("称职")),
    ("basic", gettext_lazy("基本称职")),
    ("incompetent", gettext_lazy("不称职")),
)


@login_required
def index(request: HttpRequest) -> HttpResponse:
    access = require_access(request)
    context = {
        "mine": open_ballots_for(request.user),
        "rounds": list(round_list(access)) if can_see_results(access) else None,
        "can_create": access.is_office,
    }
    return render(request, "ballots/index.html", context)


# --- set-up ----------------------------------------------------------------------------


class RoundForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("测评名称"), max_length=100)
    node = forms.ChoiceField(label=gettext_lazy("对应指标"))
    min_valid = forms.IntegerField(label=gettext_lazy("最少有效票"), min_value=1, initial=3)

    def __init__(self, *args, nodes: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["node"].choices = nodes
        for key, label in POINT_FIELDS:
            self.fields[f"points_{key}"] = forms.DecimalField(
                label=_("%(choice)s分值") % {"choice": label},
                decimal_places=2,
                initial=DEFAULT_POINTS[key],
            )


class GroupRowForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("测评组"), max_length=50, required=False)
    weight = forms.DecimalField(label=gettext_lazy("权重"), required=False, decimal_places=2)
    raters = forms.ModelMultipleChoiceField(
        label=gettext_lazy("测评人"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, users, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["raters"].queryset = users
        self.fields["raters"].label_from_instance = _user_label


def _user_label(user) -> str:
    name = f"{user.last_name}{user.first_name}"
    if not name:
        return user.get_username()
    return _("%(name)s（%(detail)s）") % {"name": name, "detail": user.get_username()}


def _writable_assessments(access: Access):
    return (
        Assessment.objects.filter(year__org=access.org)
        .exclude(status=Status.FINAL)
        .select_related("period")
    )


@login_required
def create(request: HttpRequest) -> HttpResponse:
    """Office only. Choosing an assessment (GET, or htmx on change) lists its score leaves."""
    access = require_access(request)
    access.require_office()
    assessments = list(_writable_assessments(access))
    data = request.POST if request.method == "POST" else None
    raw = (data or request.GET).get("assessment", "")
    assessment = None
    if raw:
        assessment = get_object_or_404(_writable_assessments(access), pk=raw)
    elif len(assessments) == 1:
        assessment = assessments[0]
    nodes = [
        (n.id, _("%(name)s（%(detail)s）") % {"name": n.name, "detail": n.id})
        for n in (ballot_nodes(assessment) if assessment else [])
    ]
    form = RoundForm(data, nodes=nodes, initial={"title": _("民主测评")})
    users = org_users(access)
    rows = [
        GroupRowForm(
            data,
            prefix=f"g{i}",
            users=users,
            initial=(
                {"name": DEFAULT_GROUPS[i][0], "weight": DEFAULT_GROUPS[i][1]}
                if i < len(DEFAULT_GROUPS)
                else {}
            ),
        )
        for i in range(GROUP_ROWS)
    ]
    errors: list[str] = []
    if data is not None and assessment is not None:
        valid = form.is_valid() & all([row.is_valid() for row in rows])
        if valid:
            specs = [
                GroupSpec(
                    name=row.cleaned_data["name"],
                    weight=row.cleaned_data["weight"],
                    raters=list(row.cleaned_data["raters"]),
                )
                for row in rows
                if row.cleaned_data["name"] or row.cleaned_data["weight"] is not None
            ]
            try:
                ballot_round = ballot_round_create(
                    actor=request.user,
                    assessment=assessment,
                    node=form.cleaned_data["node"],
                    title=form.cleaned_data["title"],
                    min_valid=form.cleaned_data["min_valid"],
                    points={k: form.cleaned_data[f"points_{k}"] for k, _label in POINT_FIELDS},
                    groups=specs,
                )
            except ValidationError as exc:
                errors = _field_errors(exc)
            else:
                messages.success(request, _("已开启民主测评：%(t)s") % {"t": ballot_round.title})
                return redirect("ballots:detail", ballot_round.pk)
    context = {
        "assessments": assessments,
        "assessment": assessment,
        "form": form,
        "rows": rows,
        "errors": errors,
    }
    template = "ballots/_form.html" if request.htmx else "ballots/create.html"
    return render(request, template, context)


FIELD_LABELS = {
    "assessment": gettext_lazy("考核"),
    "node": gettext_lazy("对应指标"),
    "title": gettext_lazy("测评名称"),
    "min_valid": gettext_lazy("最少有效票"),
    "points": gettext_lazy("档次分值"),
    "groups": gettext_lazy("测评组"),
    "weight": gettext_lazy("权重"),
    "raters": gettext_lazy("测评人"),
}


def _field_errors(exc: ValidationError) -> list[str]:
    if not hasattr(exc, "error_dict"):
        return list(exc.messages)
    return [
        _("%(label)s：%(message)s") % {"label": FIELD_LABELS.get(name, name), "message": message}
        for name, messages_ in exc.message_dict.items()
        for message in messages_
    ]


# --- overview and close ----------------------------------------------------------------


def _require_results_reader(access: Access) -> None:
    if not can_see_results(access):
        raise PermissionDenied(_("只有绩效办和领导小组成员可以查看测评情况"))


@login_required
def detail(request: HttpRequest, round_id: int) -> HttpResponse:
    access = require_access(request)
    ballot_round = round_get(access, round_id)
    _require_results_reader(access)
    voted, raters = round_turnout(ballot_round)
    context = {
        "round": ballot_round,
        "groups": round_groups(ballot_round),
        "points": [(label, round_points(ballot_round)[key]) for key, label in POINT_FIELDS],
        "voted": voted,
        "raters": raters,
        "can_close": access.is_office and ballot_round.status == RoundStatus.OPEN,
    }
    return render(request, "ballots/detail.html", context)


@login_required
@require_POST
def close(request: HttpRequest, round_id: int) -> HttpResponse:
    access = require_access(request)
    ballot_round = round_get(access, round_id)
    access.require_office()
    try:
        ballot_round_close(actor=request.user, ballot_round=ballot_round)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("ballots:detail", ballot_round.pk)
    messages.success(request, _("测评已结束，可以查看结果"))
    return redirect("ballots:results", ballot_round.pk)


# --- voting ----------------------------------------------------------------------------


def _posted_choices(post) -> dict[int, str]:
    choices = {}
    for key, value in post.items():
        if key.startswith("s") and key[1:].isdigit():
            choices[int(key[1:])] = value
    return choices


@login_required
def vote(request: HttpRequest, round_id: int) -> HttpResponse:
    """The ballot sheet. After voting it says 已投票 and never shows the choices again."""
    access = require_access(request)
    ballot_round = round_get(access, round_id)
    sheet = ballot_sheet(ballot_round, request.user)
    if sheet is None:
        raise PermissionDenied(_("您不是本次测评的测评人"))
    errors: list[str] = []
    chosen: dict[int, str] = {}
    if request.method == "POST":
        chosen = _posted_choices(request.POST)
        try:
            ballot_submit(rater=request.user, ballot_round=ballot_round, choices=chosen)
        except ValidationError as exc:
            errors = _sheet_errors(exc, sheet)
        else:
            messages.success(request, _("已投票，感谢参与"))
            return redirect("ballots:vote", ballot_round.pk)
    is_open = ballot_round.status == RoundStatus.OPEN and not ballot_round.assessment.is_final
    context = {
        "round": ballot_round,
        "sheet": sheet,
        "rows": [(s, chosen.get(s.pk, "")) for s in sheet.subjects],
        "choices": Choice.choices,
        "errors": errors,
        "is_open": is_open,
    }
    return render(request, "ballots/vote.html", context)


def _sheet_errors(exc: ValidationError, sheet) -> list[str]:
    if not hasattr(exc, "error_dict"):
        return list(exc.messages)
    names = {f"subject_{s.pk}": str(s) for s in sheet.subjects}
    return [
        _("%(label)s：%(message)s") % {"label": names[key], "message": message}
        if key in names
        else message
        for key, messages_ in exc.message_dict.items()
        for message in messages_
    ]


# --- results ---------------------------------------------------------------------------


@login_required
def results(request: HttpRequest, round_id: int) -> HttpResponse:
    """Office and reviewers, once the round is closed (no live counts while voting)."""
    access = require_access(request)
    ballot_round = round_get(access, round_id)
    _require_results_reader(access)
    rows = []
    if ballot_round.status == RoundStatus.CLOSED:
        by_subject = round_results(ballot_round)
        subjects = ballot_round.assessment.subjects.select_related(
            "unit", "person", "task_force"
        ).order_by("pk")
        rows = [(s, by_subject[s.pk]) for s in subjects if s.pk in by_subject]
    context = {
        "round": ballot_round,
        "rows": rows,
        "labels": [label for _key, label in Choice.choices],
        "closed": ballot_round.status == RoundStatus.CLOSED,
    }
    return render(request, "ballots/results.html", context)
