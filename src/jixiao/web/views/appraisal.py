"""公众评议, the office side: respondent frames, questionnaires, rounds, phone interviews.

Everything here is for the performance office (it also does the phone interviews:
no other role fits). Phone numbers are shown masked; the full number of a member
is revealed one at a time for the call, and every reveal is audited.
"""

from __future__ import annotations

from datetime import datetime
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRedirect

from jixiao.appraisal.crypto import PhoneError, phone_mask
from jixiao.appraisal.frames import FrameError
from jixiao.appraisal.models import Allocation, Disposition, Mode, QuestionKind, RoundStatus
from jixiao.appraisal.responses import response_submit
from jixiao.appraisal.selectors import SCALE_LABELS
from jixiao.appraisal.selectors_office import (
    appraisable_units,
    call_queue,
    frame_get,
    frame_list,
    frame_respondents,
    frame_strata,
    member_get,
    period_choices,
    questionnaire_get,
    questionnaire_list,
    round_get,
    round_list,
    round_members,
    round_strata,
)
from jixiao.appraisal.services import (
    CALL_DISPOSITIONS,
    CLAIM_MINUTES,
    QuestionSpec,
    call_record,
    claim_holder,
    frame_import,
    member_claim,
    member_release,
    member_replace,
    phone_reveal,
    questionnaire_create,
    questionnaire_from_template,
    questionnaire_locked,
    questionnaire_update,
    replaceable,
    round_close,
    round_create,
    round_draw,
    round_open,
    sample_export,
)
from jixiao.organisation.access import Access, require_access
from jixiao.organisation.selectors import user_name
from jixiao.spreadsheets import Status
from jixiao.web.errors import error_lines
from jixiao.web.params import int_param
from jixiao.web.upload_stash import (
    StashChanged,
    StashMissing,
    stash_clear,
    stash_load,
    stash_save,
)
from jixiao.web.views.survey import posted_answers

PAGE_SIZE = 50
SHOWN_ROWS = 200  # rows listed in an import preview
MAX_UPLOAD = 20 * 1024 * 1024  # a county's frame; kept in a private temp file meanwhile
STASH_KEY = "jixiao_appraisal_frame"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _office(request: HttpRequest) -> Access:
    access = require_access(request)
    access.require_office()
    return access


def _page(request: HttpRequest, items):
    return Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """The rounds, with links to frames and questionnaires."""
    access = _office(request)
    return render(request, "appraisal/index.html", {"rounds": list(round_list(access))})


# --- frames ---------------------------------------------------------------------------


@login_required
def frames(request: HttpRequest) -> HttpResponse:
    access = _office(request)
    return render(request, "appraisal/frames.html", {"frames": list(frame_list(access))})


@login_required
def frame_detail(request: HttpRequest, frame_id: int) -> HttpResponse:
    access = _office(request)
    frame = frame_get(access, frame_id)
    stratum = request.GET.get("stratum", "")
    page = _page(request, frame_respondents(frame, stratum))
    rows = [(r, phone_mask(r.phone_last4)) for r in page]
    context = {
        "frame": frame,
        "strata": frame_strata(frame),
        "stratum": stratum,
        "page": page,
        "rows": rows,
        "query": urlencode({"stratum": stratum}) if stratum else "",
    }
    return render(request, "appraisal/frame_detail.html", context)


@login_required
def frame_upload(request: HttpRequest) -> HttpResponse:
    """GET: the form. POST: preview (dry run) the file, or apply the previewed one."""
    access = _office(request)
    context: dict = {"max_mb": MAX_UPLOAD // (1024 * 1024), "name": ""}
    if request.method == "POST":
        context.update(_frame_post(request, access))
        if context.get("applied"):
            messages.success(request, _("抽样框已导入"))
            url = reverse("appraisal:frame", args=[context["frame"].pk])
            return HttpResponseClientRedirect(url) if request.htmx else redirect(url)
    template = "appraisal/frame_upload.html"
    if request.htmx and request.method == "POST":
        template += "#result"
    return render(request, template, context)


def _frame_post(request: HttpRequest, access: Access) -> dict:
    if request.POST.get("action") == "apply":
        try:
            stashed = stash_load(
                request.session, STASH_KEY, request.POST.get("token", ""), org=access.org.pk
            )
        except StashChanged:
            stash_clear(request.session, STASH_KEY)
            return {"errors": [_("已预览的文件已被改动，未导入任何数据，请重新上传并预览")]}
        except StashMissing:
            stash_clear(request.session, STASH_KEY)
            return {"errors": [_("找不到已预览的文件（可能已过期），请重新上传并预览")]}
        # Single use: whatever the outcome, this preview cannot be confirmed again.
        stash_clear(request.session, STASH_KEY)
        name, filename, data = stashed.meta["name"], stashed.filename, stashed.data
        dry_run = False
    else:
        name = request.POST.get("name", "").strip()
        upload = request.FILES.get("file")
        if upload is None:
            return {"errors": [_("请选择要导入的文件（.xlsx 或 .csv）")], "name": name}
        if upload.size > MAX_UPLOAD:
            limit = MAX_UPLOAD // (1024 * 1024)
            return {"errors": [_("文件超过 %(limit)s MB，请分批导入") % {"limit": limit}]}
        filename, data, dry_run = upload.name, upload.read(), True
    try:
        outcome = frame_import(
            actor=request.user,
            org=access.org,
            name=name,
            data=data,
            filename=filename,
            dry_run=dry_run,
        )
    except FrameError as exc:
        return {"errors": [str(exc)], "filename": filename, "name": name}
    except ValidationError as exc:
        return {"errors": error_lines(exc), "filename": filename, "name": name}
    # A frame has hundreds of rows: list the errors and updates, count the rest.
    notable = [r for r in outcome.report.rows if r.status in (Status.ERROR, Status.UPDATED)]
    result = {
        "report": outcome.report,
        "filename": filename,
        "name": name,
        "shown_rows": notable[:SHOWN_ROWS],
        "hidden_rows": len(outcome.report.rows) - min(len(notable), SHOWN_ROWS),
    }
    if outcome.report.applied:
        return {**result, "applied": True, "frame": outcome.frame}
    if dry_run and not outcome.report.has_errors:
        result["token"] = stash_save(
            request.session, STASH_KEY, data, filename=filename, org=access.org.pk, name=name
        )
    return result


# --- questionnaires -------------------------------------------------------------------


@login_required
def questionnaires(request: HttpRequest) -> HttpResponse:
    access = _office(request)
    context = {
        "questionnaires": list(questionnaire_list(access)),
        "units": list(appraisable_units(access)),
    }
    return render(request, "appraisal/questionnaires.html", context)


@login_required
@require_POST
def questionnaire_template(request: HttpRequest) -> HttpResponse:
    """The three standard items of 002 篇一 for each chosen unit."""
    access = _office(request)
    units = list(appraisable_units(access).filter(pk__in=request.POST.getlist("units")))
    try:
        questionnaire = questionnaire_from_template(
            actor=request.user, org=access.org, name=request.POST.get("name", ""), units=units
        )
    except ValidationError as exc:
        for message in error_lines(exc):
            messages.error(request, message)
        return redirect("appraisal:questionnaires")
    messages.success(request, _("已按标准模板生成问卷，可继续修改"))
    return redirect("appraisal:questionnaire", questionnaire.pk)


QUESTION_KINDS = QuestionKind.choices
MAX_QUESTIONS = 200  # rows a questionnaire builder form may post


def _posted_rows(post) -> list[dict]:
    rows = []
    # The builder posts its row count; a hand-made form cannot make it loop for ever.
    for index in range(min(int_param(post.get("rows")) or 0, MAX_QUESTIONS)):
        prefix = f"q{index}-"
        rows.append(
            {
                "kind": post.get(prefix + "kind", QuestionKind.SCALE),
                "text": post.get(prefix + "text", ""),
                "options": post.get(prefix + "options", ""),
                "required": bool(post.get(prefix + "required")),
                "unit": post.get(prefix + "unit", ""),
            }
        )
    return rows


def _rows_of(questionnaire) -> list[dict]:
    return [
        {
            "kind": q.kind,
            "text": q.text,
            "options": "\n".join(q.options),
            "required": q.required,
            "unit": str(q.unit_id or ""),
        }
        for q in questionnaire.questions.order_by("order")
    ]


def _blank_row() -> dict:
    return {"kind": QuestionKind.SCALE, "text": "", "options": "", "required": True, "unit": ""}


def _specs(rows: list[dict], units: dict[str, object]) -> list[QuestionSpec]:
    return [
        QuestionSpec(
            kind=row["kind"],
            text=row["text"],
            options=[line for line in row["options"].splitlines() if line.strip()],
            required=row["required"],
            unit=units.get(row["unit"]),
        )
        for row in rows
    ]


@login_required
def questionnaire_edit(request: HttpRequest, questionnaire_id: int | None = None) -> HttpResponse:
    """The builder. "Add"/"remove" re-render the form (htmx: its partial) without saving."""
    access = _office(request)
    questionnaire = questionnaire_get(access, questionnaire_id) if questionnaire_id else None
    locked = questionnaire is not None and questionnaire_locked(questionnaire)
    units = {str(u.pk): u for u in appraisable_units(access)}
    errors: list[str] = []
    if request.method == "POST":
        name, intro = request.POST.get("name", ""), request.POST.get("intro", "")
        rows = _posted_rows(request.POST)
        action = request.POST.get("action", "save")
        if action == "add":
            rows.append(_blank_row())
        elif action.startswith("remove-") and action[7:].isdigit():
            index = int(action[7:])
            rows = [row for i, row in enumerate(rows) if i != index]
        else:  # save (a locked questionnaire is refused by the service, with the reason)
            try:
                if questionnaire is None:
                    questionnaire = questionnaire_create(
                        actor=request.user,
                        org=access.org,
                        name=name,
                        intro=intro,
                        questions=_specs(rows, units),
                    )
                else:
                    questionnaire_update(
                        actor=request.user,
                        questionnaire=questionnaire,
                        name=name,
                        intro=intro,
                        questions=_specs(rows, units),
                    )
            except ValidationError as exc:
                errors = error_lines(exc)
            else:
                messages.success(request, _("问卷已保存"))
                url = reverse("appraisal:questionnaire", args=[questionnaire.pk])
                return HttpResponseClientRedirect(url) if request.htmx else redirect(url)
    elif questionnaire is not None:
        name, intro, rows = questionnaire.name, questionnaire.intro, _rows_of(questionnaire)
    else:
        name, intro, rows = "", "", [_blank_row()]
    context = {
        "questionnaire": questionnaire,
        "locked": locked,
        "name": name,
        "intro": intro,
        "rows": rows,
        "kinds": QUESTION_KINDS,
        "units": list(units.values()),
        "errors": errors,
    }
    template = "appraisal/questionnaire_form.html"
    if request.htmx and request.method == "POST":
        template += "#builder"
    return render(request, template, context)


# --- rounds ---------------------------------------------------------------------------


class RoundForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("轮次名称"), max_length=100)
    period = forms.ModelChoiceField(label=gettext_lazy("对应考核周期"), queryset=None)
    frame = forms.ModelChoiceField(label=gettext_lazy("抽样框"), queryset=None)
    questionnaire = forms.ModelChoiceField(label=gettext_lazy("问卷"), queryset=None)
    sample_size = forms.IntegerField(label=gettext_lazy("样本量"), min_value=1, initial=600)
    allocation_method = forms.ChoiceField(
        label=gettext_lazy("分配方式"), choices=Allocation.choices, initial=Allocation.PROPORTIONAL
    )
    quotas = forms.CharField(
        label=gettext_lazy("固定配额（每行“类别=人数”）"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    seed = forms.CharField(
        label=gettext_lazy("随机种子（留空则自动生成）"), max_length=64, required=False
    )

    def __init__(self, *args, access: Access, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].queryset = period_choices(access)
        self.fields["period"].label_from_instance = lambda p: f"{p.year.year} · {p.name}"
        self.fields["frame"].queryset = frame_list(access)
        self.fields["questionnaire"].queryset = questionnaire_list(access)

    def clean_quotas(self) -> dict[str, str]:
        quotas: dict[str, str] = {}
        for number, line in enumerate(self.cleaned_data["quotas"].splitlines(), start=1):
            if not line.strip():
                continue
            stratum, sep, count = line.replace("＝", "=").partition("=")
            if not sep or not stratum.strip():
                raise forms.ValidationError(_("第 %(n)d 行应写成“类别=人数”") % {"n": number})
            quotas[stratum.strip()] = count.strip()
        return quotas


@login_required
def round_new(request: HttpRequest) -> HttpResponse:
    access = _office(request)
    form = RoundForm(request.POST or None, access=access, initial={"name": _("公众评议")})
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            appraisal_round = round_create(
                actor=request.user,
                org=access.org,
                year=data["period"].year,
                period=data["period"],
                name=data["name"],
                frame=data["frame"],
                questionnaire=data["questionnaire"],
                sample_size=data["sample_size"],
                allocation_method=data["allocation_method"],
                quotas=data["quotas"],
                seed=data["seed"],
            )
        except ValidationError as exc:
            errors = error_lines(exc)
        else:
            messages.success(request, _("已新建评议轮次，请抽取样本"))
            return redirect("appraisal:round", appraisal_round.pk)
    return render(request, "appraisal/round_form.html", {"form": form, "errors": errors})


def _optional_url(name: str, *args) -> str | None:
    """Results and code sheets are another area's pages: absent from some builds."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


@login_required
def round_detail(request: HttpRequest, round_id: int) -> HttpResponse:
    access = _office(request)
    appraisal_round = round_get(access, round_id)
    status = request.GET.get("status", "")
    page = _page(request, round_members(appraisal_round, status))
    context = {
        "round": appraisal_round,
        "strata": round_strata(appraisal_round),
        "page": page,
        "rows": [
            (m, phone_mask(m.respondent.phone_last4), replaceable(m, m.no_answers)) for m in page
        ],
        "status": status,
        "query": urlencode({"status": status}) if status else "",
        "statuses": Disposition.choices,
        "results_url": _optional_url("appraisal_results:detail", appraisal_round.pk),
        "codes_url": _optional_url("appraisal_results:codes", appraisal_round.pk),
        "drawn": appraisal_round.drawn_at is not None,
    }
    return render(request, "appraisal/round_detail.html", context)


def _round_action(request: HttpRequest, round_id: int, service, done: str) -> HttpResponse:
    access = _office(request)
    appraisal_round = round_get(access, round_id)
    try:
        service(actor=request.user, appraisal_round=appraisal_round)
    except ValidationError as exc:
        for message in error_lines(exc):
            messages.error(request, message)
    else:
        messages.success(request, done)
    return redirect("appraisal:round", appraisal_round.pk)


@login_required
@require_POST
def round_draw_view(request: HttpRequest, round_id: int) -> HttpResponse:
    return _round_action(request, round_id, round_draw, _("已抽取样本"))


@login_required
@require_POST
def round_open_view(request: HttpRequest, round_id: int) -> HttpResponse:
    return _round_action(request, round_id, round_open, _("调查已开始"))


@login_required
@require_POST
def round_close_view(request: HttpRequest, round_id: int) -> HttpResponse:
    return _round_action(request, round_id, round_close, _("调查已结束"))


@login_required
@require_POST
def round_export(request: HttpRequest, round_id: int) -> HttpResponse:
    """The sample as .xlsx (a POST: every export is audited). ``full=1``: full numbers."""
    access = _office(request)
    appraisal_round = round_get(access, round_id)
    full = request.POST.get("full") == "1"
    try:
        data = sample_export(actor=request.user, appraisal_round=appraisal_round, full_numbers=full)
    except ValidationError as exc:
        for message in error_lines(exc):
            messages.error(request, message)
        return redirect("appraisal:round", appraisal_round.pk)
    response = HttpResponse(data, content_type=XLSX)
    suffix = _("完整号码") if full else _("号码已隐藏")
    filename = f"{appraisal_round.name}-样本-{suffix}.xlsx"
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


@login_required
@require_POST
def member_replace_view(request: HttpRequest, round_id: int, member_id: int) -> HttpResponse:
    access = _office(request)
    appraisal_round = round_get(access, round_id)
    member = member_get(access, appraisal_round, member_id)
    try:
        replacement = member_replace(actor=request.user, member=member)
    except ValidationError as exc:
        for message in error_lines(exc):
            messages.error(request, message)
    else:
        messages.success(
            request,
            _("已替换样本 #%(old)d，新样本 #%(new)d")
            % {"old": member.position, "new": replacement.position},
        )
    back = request.POST.get("next", "")
    if back == "calls":
        return redirect("appraisal:calls", appraisal_round.pk)
    return redirect("appraisal:round", appraisal_round.pk)


# --- interviewer mode -----------------------------------------------------------------


@login_required
def calls(request: HttpRequest, round_id: int) -> HttpResponse:
    access = _office(request)
    appraisal_round = round_get(access, round_id)
    queue = call_queue(appraisal_round, user=request.user)
    context = {
        "round": appraisal_round,
        "sections": [
            (_("到期回访"), queue.due, _("没有到期的回访。")),
            (_("待拨打"), queue.next, _("没有待拨打的样本。")),
            (_("稍后回访"), queue.later, _("没有约定的回访。")),
            (_("他人正在联系"), queue.taken, _("没有其他访问员正在联系的样本。")),
        ],
        "collecting": appraisal_round.status == RoundStatus.COLLECTING,
    }
    return render(request, "appraisal/calls.html", context)


@login_required
@require_POST
def reveal(request: HttpRequest, round_id: int, member_id: int) -> HttpResponse:
    """The full number, for the call: htmx swaps it in; without JavaScript, the call page."""
    access = _office(request)
    appraisal_round = round_get(access, round_id)
    member = member_get(access, appraisal_round, member_id)
    phone, error = None, ""
    try:
        phone = phone_reveal(actor=request.user, member=member)
    except (ValidationError, PhoneError) as exc:
        error = " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
    if request.htmx:
        context = {"round": appraisal_round, "member": member, "phone": phone, "error": error}
        return render(request, "appraisal/call.html#phone", context)
    return _call_page(
        request, access, appraisal_round, member, phone=phone, errors=[error] if error else []
    )


@login_required
@require_POST
def release(request: HttpRequest, round_id: int, member_id: int) -> HttpResponse:
    """Give the member back to the shared list without recording a call."""
    access = _office(request)
    appraisal_round = round_get(access, round_id)
    member = member_get(access, appraisal_round, member_id)
    member_release(actor=request.user, member=member)
    messages.success(request, _("已放弃联系样本 #%(n)d") % {"n": member.position})
    return redirect("appraisal:calls", appraisal_round.pk)


def _parse_callback(raw: str) -> datetime | None:
    raw = (raw or "").strip()
    if not raw:
        return None
    try:
        value = datetime.fromisoformat(raw)
    except ValueError:
        raise ValidationError({"callback_at": _("回访时间格式不正确")}) from None
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    return value


def _call_page(request, access, appraisal_round, member, *, phone=None, errors=(), posted=None):
    holder = claim_holder(member, actor=request.user)
    questions = list(
        appraisal_round.questionnaire.questions.select_related("unit").order_by("order")
    )
    posted = posted or {}
    context = {
        "round": appraisal_round,
        "member": member,
        "mask": phone_mask(member.respondent.phone_last4),
        "phone": phone,
        "errors": list(errors),
        "dispositions": [(d.value, d.label) for d in CALL_DISPOSITIONS],
        "questions": [(q, posted.get(str(q.pk)), list(enumerate(q.options))) for q in questions],
        "scale": list(SCALE_LABELS.items()),  # the same words as the answer page
        "attempts": list(member.attempts.select_related("interviewer").order_by("at", "pk")),
        "collecting": appraisal_round.status == RoundStatus.COLLECTING,
        "open": member.status not in (Disposition.COMPLETED, Disposition.REPLACED),
        "can_replace": replaceable(member),
        "modes": [(Mode.PHONE, Mode.PHONE.label), (Mode.FACE, Mode.FACE.label)],
        "values": request.POST if request.method == "POST" else {},
        # Someone else is calling: show who, and neither the number nor the form.
        "holder": holder,
        "holder_name": user_name(holder),
        "claim_minutes": CLAIM_MINUTES,
    }
    return render(request, "appraisal/call.html", context)


@login_required
def call(request: HttpRequest, round_id: int, member_id: int) -> HttpResponse:
    """One member: reveal the number, record the call; "completed" submits the answers.

    The answers go to ``response_submit`` (anonymous: no member, no time) and the
    disposition to ``call_record``, in one transaction: neither without the other.
    """
    access = _office(request)
    appraisal_round = round_get(access, round_id)
    member = member_get(access, appraisal_round, member_id)
    if request.method != "POST":
        # Opening the page claims the member (unless someone else holds a live claim).
        if appraisal_round.status == RoundStatus.COLLECTING:
            member_claim(actor=request.user, member=member)
        return _call_page(request, access, appraisal_round, member)
    disposition = request.POST.get("disposition", "")
    questions = list(appraisal_round.questionnaire.questions.order_by("order"))
    answers = posted_answers(request.POST, questions, prefix="a")
    try:
        callback_at = _parse_callback(request.POST.get("callback_at", ""))
        with transaction.atomic():
            if disposition == Disposition.COMPLETED:
                mode = request.POST.get("mode", Mode.PHONE)
                if mode not in (Mode.PHONE, Mode.FACE):
                    mode = Mode.PHONE
                response_submit(
                    round=appraisal_round, answers=answers, mode=mode, stratum=member.stratum
                )
            call_record(
                actor=request.user,
                member=member,
                disposition=disposition,
                callback_at=callback_at,
                note=request.POST.get("note", ""),
            )
    except ValidationError as exc:
        return _call_page(
            request, access, appraisal_round, member, errors=error_lines(exc), posted=answers
        )
    messages.success(
        request,
        _("已记录样本 #%(n)d：%(d)s") % {"n": member.position, "d": Disposition(disposition).label},
    )
    return redirect("appraisal:calls", appraisal_round.pk)
