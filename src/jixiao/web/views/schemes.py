"""方案: the organisation's schemes, their indicator trees, the text editor and the weight editor.

Everyone with a role in the organisation reads; only the performance office writes.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jixiao.engine import Problem, SchemeError, presets
from jixiao.organisation.access import require_access
from jixiao.schemes.selectors import (
    VETO_EFFECT_LABELS,
    preset_list,
    scheme_get,
    scheme_list,
    scheme_tree,
    scheme_version_get,
    scheme_version_history,
    schemes_for,
    weight_preview,
)
from jixiao.schemes.services import (
    scheme_create_from_preset,
    scheme_version_save,
    scheme_weights_save,
)
from jixiao.web.params import int_param

MAX_UPLOAD_BYTES = 512 * 1024


@login_required
def scheme_list_view(request: HttpRequest) -> HttpResponse:
    access = require_access(request)
    context = {
        "rows": scheme_list(access),
        "presets": preset_list() if access.is_office else [],
        "tab": "schemes",
    }
    return render(request, "schemes/list.html", context)


@login_required
@require_POST
def scheme_create_view(request: HttpRequest) -> HttpResponse:
    access = require_access(request)
    access.require_office()
    preset = request.POST.get("preset", "")
    existed = preset in presets.names() and (
        schemes_for(access).filter(code=presets.load(preset).id).exists()
    )
    try:
        scheme = scheme_create_from_preset(actor=request.user, org=access.org, preset=preset)
    except ValidationError as exc:
        for error in exc.messages:
            messages.error(request, error)
        return redirect("schemes:list")
    if existed:
        messages.info(request, _("本单位已有方案“%(name)s”，未重复创建") % {"name": scheme.name})
    else:
        messages.success(
            request, _("已由预设创建方案“%(name)s”（第 1 版）") % {"name": scheme.name}
        )
    return redirect("schemes:detail", scheme_id=scheme.pk)


@login_required
def scheme_detail_view(request: HttpRequest, scheme_id: int) -> HttpResponse:
    access = require_access(request)
    scheme = scheme_get(access, scheme_id)
    number = request.GET.get("version", "")
    version = scheme_version_get(scheme, int_param(number))
    parsed = version.parsed()
    effect = parsed.vetoes.effect.value
    context = {
        "scheme": scheme,
        "version": version,
        "parsed": parsed,
        "tree": scheme_tree(parsed),
        "history": scheme_version_history(scheme),
        "veto_effect": VETO_EFFECT_LABELS.get(effect, effect),
        "eligibility": [
            {
                "reason": rule.reason,
                "fact": parsed.facts[rule.fact].name if rule.fact in parsed.facts else rule.fact,
                "op": rule.op,
                "value": rule.value,
            }
            for rule in parsed.eligibility
        ],
        "can_edit": access.is_office,
        "tab": "schemes",
    }
    return render(request, "schemes/detail.html", context)


@dataclass
class NumberedLine:
    number: int
    text: str
    problems: list[Problem] = field(default_factory=list)


def numbered_lines(text: str, problems: list[Problem]) -> list[NumberedLine]:
    """The text as numbered lines, each carrying the problems the engine found on it."""
    lines = [NumberedLine(n, line) for n, line in enumerate(text.split("\n"), start=1)]
    for problem in problems:
        if problem.line and 1 <= problem.line <= len(lines):
            lines[problem.line - 1].problems.append(problem)
    return lines


def _normalise(text: str) -> str:
    # Browsers submit a textarea with CRLF line ends; the stored text uses LF, so
    # saving unchanged text must compare equal and create no new version.
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _uploaded_text(request: HttpRequest) -> tuple[str | None, str]:
    """(text, error) from the .toml upload; (None, "") when no file was chosen."""
    upload = request.FILES.get("source_file")
    if upload is None or not upload.name:
        return None, ""
    if not upload.name.lower().endswith(".toml"):
        return None, _("请上传 .toml 格式的方案文件")
    if upload.size > MAX_UPLOAD_BYTES:
        return None, _("方案文件不能超过 512 KB")
    try:
        return upload.read().decode("utf-8-sig"), ""
    except UnicodeDecodeError:
        return None, _("方案文件须为 UTF-8 编码")


@login_required
def scheme_edit_view(request: HttpRequest, scheme_id: int) -> HttpResponse:
    """Edit the text of the latest version (or upload a file); a valid change is a new version."""
    access = require_access(request)
    access.require_office()
    scheme = scheme_get(access, scheme_id)
    latest = scheme_version_get(scheme)
    context = {"scheme": scheme, "latest": latest, "text": latest.source_text, "tab": "schemes"}
    if request.method == "POST":
        uploaded, upload_error = _uploaded_text(request)
        if upload_error:
            context.update(text=_normalise(request.POST.get("source_text", "")))
            context["upload_error"] = upload_error
            return render(request, "schemes/edit.html", context, status=400)
        text = _normalise(uploaded if uploaded is not None else request.POST.get("source_text", ""))
        try:
            version = scheme_version_save(actor=request.user, scheme=scheme, source_text=text)
        except SchemeError as exc:
            context.update(
                text=text,
                problems=exc.problems,
                lines=numbered_lines(text, exc.problems),
            )
            return render(request, "schemes/edit.html", context, status=400)
        if version.pk == latest.pk:
            messages.info(request, _("内容未改变，未生成新版本"))
        else:
            messages.success(request, _("已保存为第 %(number)s 版") % {"number": version.number})
        return redirect("schemes:detail", scheme_id=scheme.pk)
    return render(request, "schemes/edit.html", context)


def _weights_context(scheme, latest, data=None) -> dict:
    preview = weight_preview(latest, data)
    return {"scheme": scheme, "latest": latest, "preview": preview, "tab": "schemes"}


@login_required
def scheme_weights_view(request: HttpRequest, scheme_id: int) -> HttpResponse:
    """The weight editor: GET shows the latest weights; POST saves them as a new version."""
    access = require_access(request)
    access.require_office()
    scheme = scheme_get(access, scheme_id)
    latest = scheme_version_get(scheme)
    if request.method != "POST":
        return render(request, "schemes/weights.html", _weights_context(scheme, latest))
    context = _weights_context(scheme, latest, request.POST)
    preview = context["preview"]
    if not preview.ok:
        messages.error(request, _("权重有误，未保存：请按提示修改"))
        return render(request, "schemes/weights.html", context, status=400)
    try:
        version = scheme_weights_save(actor=request.user, scheme=scheme, weights=preview.weights)
    except SchemeError as exc:  # the scheme changed meanwhile and no longer accepts them
        preview.problems = exc.problems
        return render(request, "schemes/weights.html", context, status=400)
    if version.pk == latest.pk:
        messages.info(request, _("权重未改变，未生成新版本"))
    else:
        messages.success(request, _("权重已保存为第 %(number)s 版") % {"number": version.number})
    return redirect("schemes:detail", scheme_id=scheme.pk)


@login_required
@require_POST
def scheme_weights_preview_view(request: HttpRequest, scheme_id: int) -> HttpResponse:
    """Recompute the sums of the typed weights without saving.

    htmx gets the tree partial; a browser without JavaScript the whole page.
    """
    access = require_access(request)
    access.require_office()
    scheme = scheme_get(access, scheme_id)
    context = _weights_context(scheme, scheme_version_get(scheme), request.POST)
    template = "schemes/_weights_tree.html" if request.htmx else "schemes/weights.html"
    return render(request, template, context)
