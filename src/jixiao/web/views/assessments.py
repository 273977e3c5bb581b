"""考核: assessments of a period — self-evaluation, scoring, vetoes, results, notice, appeals."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jixiao.assessments import selectors as sel
from jixiao.assessments import services
from jixiao.assessments.models import Assessment, Status, Subject, VetoStatus
from jixiao.assessments.nodes import scheme_of
from jixiao.assessments.services import ScoreConflict, ScoreInput
from jixiao.evidence.files import files_atomic
from jixiao.organisation.access import Access, require_access
from jixiao.organisation.selectors import user_name
from jixiao.web.errors import error_lines
from jixiao.web.params import int_param
from jixiao.years.models import PeriodKind, SubjectKind
from jixiao.years.selectors import current_year, period_label, years_for


def _assessment(request: HttpRequest, assessment_id: int) -> tuple[Access, Assessment]:
    access = require_access(request)
    return access, sel.assessment_get(access, assessment_id)


def _subject(access: Access, assessment: Assessment, subject_id: int) -> Subject:
    subject = sel.subject_get(assessment, subject_id)
    if not sel.can_see_subject(access, subject):
        raise Http404(_("没有这个考核对象"))
    return subject


# --- list and create ----------------------------------------------------------------


def _year(access: Access, request: HttpRequest):
    raw = request.GET.get("year") or request.POST.get("year")
    year_id = int_param(raw)
    if year_id is not None:
        return years_for(access).filter(pk=year_id).first()
    return current_year(access)


@login_required
def assessment_list_view(request: HttpRequest) -> HttpResponse:
    access = require_access(request)
    year = _year(access, request)
    context: dict = {"year": year, "years": years_for(access)}
    if year is not None:
        context["assessments"] = list(sel.assessment_list(access, year))
        if access.is_office:
            context.update(_create_choices(year))
    return render(request, "assessment/list.html", context)


def _create_choices(year) -> dict:
    kinds = dict(SubjectKind.choices)
    pinned = [(k, kinds[k]) for k in year.schemes.values_list("subject_kind", flat=True)]
    periods = list(
        year.periods.filter(
            kind__in=(PeriodKind.MONTH, PeriodKind.QUARTER, PeriodKind.HALF, PeriodKind.YEAR)
        ).order_by("start", "-end")
    )
    for period in periods:
        period.label = period_label(period)
    return {"kinds": pinned, "periods": periods}


def _quotas(text: str) -> dict[str, Decimal]:
    """Lines like "优秀=20" (percent) → {"优秀": Decimal("0.20")}."""
    out = {}
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip().replace("＝", "=").rstrip("%％")
        if not line:
            continue
        grade, _sep, share = line.partition("=")
        try:
            out[grade.strip()] = Decimal(share.strip()) / 100
        except InvalidOperation:
            raise ValidationError(
                {"quotas": _("第 %(number)s 行应为“等次=百分比”，如 优秀=20") % {"number": number}}
            ) from None
    return out


@login_required
@require_POST
def assessment_create_view(request: HttpRequest) -> HttpResponse:
    access = require_access(request)
    access.require_office()
    year = _year(access, request)
    if year is None:
        raise Http404(_("没有考核年度"))
    period = year.periods.filter(pk=request.POST.get("period") or 0).first()
    try:
        if period is None:
            raise ValidationError({"period": _("请选择考核周期")})
        notice_days = request.POST.get("notice_days", "5").strip() or "5"
        assessment = services.assessment_create(
            actor=request.user,
            year=year,
            period=period,
            subject_kind=request.POST.get("subject_kind", ""),
            name=request.POST.get("name", ""),
            quotas=_quotas(request.POST.get("quotas", "")),
            notice_days=-1 if int_param(notice_days) is None else int_param(notice_days),
            self_scores_all=bool(request.POST.get("self_scores_all")),
        )
    except ValidationError as exc:
        for message in error_lines(exc):
            messages.error(request, message)
        return redirect(f"{_list_url()}?year={year.pk}")
    messages.success(request, _("已新建 %(name)s") % {"name": assessment.name})
    return redirect("assessment:detail", assessment_id=assessment.pk)


def _list_url() -> str:
    return reverse("assessment:list")


# --- detail: the subjects table and the workflow ------------------------------------


def _detail_context(access: Access, assessment: Assessment) -> dict:
    return {
        "assessment": assessment,
        "period_label": period_label(assessment.period),
        "rows": sel.subject_table(access, assessment),
        "can_see_results": sel.can_see_results(access, assessment),
        "can_score": sel.can_score(access, assessment),
        "is_office": access.is_office,
        "is_reviewer": sel.is_reviewer(access),
        "quotas": list(assessment.quotas.all()),
        "pending_appeals": sel.appeal_list(assessment).filter(status="pending").count(),
        "today": timezone.localdate(),
        "notice_note": sel.notice_explanation(assessment),
    }


@login_required
def assessment_detail_view(request: HttpRequest, assessment_id: int) -> HttpResponse:
    access, assessment = _assessment(request, assessment_id)
    context = _detail_context(access, assessment)
    template = "assessment/_subjects.html" if request.htmx else "assessment/detail.html"
    return render(request, template, context)


def _workflow(
    request: HttpRequest,
    assessment_id: int,
    step: Callable[..., Assessment | None],
    success: str | Callable[[Assessment], str],
    **extra: str,
) -> HttpResponse:
    """Run one step of the assessment's workflow as the user; back to the detail page.

    Every step follows the same rule: office only, the service's errors become
    messages, and ``success`` (a message, or one made from the returned assessment)
    is shown when the step went through.
    """
    access, assessment = _assessment(request, assessment_id)
    access.require_office()
    try:
        done = step(actor=request.user, assessment=assessment, **extra)
    except ValidationError as exc:
        for message in error_lines(exc):
            messages.error(request, message)
    else:
        messages.success(request, success(done) if callable(success) else success)
    return redirect("assessment:detail", assessment_id=assessment.pk)


@login_required
@require_POST
def open_scoring_view(request: HttpRequest, assessment_id: int) -> HttpResponse:
    return _workflow(
        request, assessment_id, services.assessment_open_scoring, _("自评阶段结束，已开始评分")
    )


@login_required
@require_POST
def start_review_view(request: HttpRequest, assessment_id: int) -> HttpResponse:
    return _workflow(
        request,
        assessment_id,
        services.assessment_start_review,
        _("评分结束，已汇总计算，请审核结果"),
    )


@login_required
@require_POST
def aggregate_view(request: HttpRequest, assessment_id: int) -> HttpResponse:
    return _workflow(request, assessment_id, services.assessment_aggregate, _("已重新汇总计算"))


@login_required
@require_POST
def publish_view(request: HttpRequest, assessment_id: int) -> HttpResponse:
    def published(a: Assessment) -> str:
        return _("结果已锁定并公示，公示期至 %(date)s") % {"date": f"{a.notice_end:%Y-%m-%d}"}

    return _workflow(request, assessment_id, services.assessment_publish, published)


@login_required
@require_POST
def finalise_view(request: HttpRequest, assessment_id: int) -> HttpResponse:
    return _workflow(
        request,
        assessment_id,
        services.assessment_finalise,
        _("已定案，考核结果不再修改"),
        override_reason=request.POST.get("override_reason", ""),
    )


# --- scoring ------------------------------------------------------------------------


def _score_inputs(request: HttpRequest, card: sel.ScoringCard) -> list[ScoreInput]:
    """Only the values the user changed; each keeps the version it was loaded with."""
    inputs = []
    post = request.POST
    for cell in card.cells:
        key = cell.entry.key
        value = post.get(f"v:{key}", "").strip()
        reason = post.get(f"r:{key}", "").strip()
        original = post.get(f"o:{key}", "").strip()
        original_reason = post.get(f"or:{key}", "").strip()
        version = post.get(f"ver:{key}", "0")
        cell.value, cell.reason = value, reason
        cell.original, cell.original_reason = original, original_reason
        cell.version = int_param(version) or 0
        if value == "" or (value == original and reason == original_reason):
            continue
        inputs.append(ScoreInput(key, value, reason, cell.version))
    # A value posted for a node another source feeds goes to the service, which
    # refuses it by name: never dropped silently.
    for line in card.fed:
        value = post.get(f"v:{line.entry.key}", "").strip()
        if value:
            inputs.append(ScoreInput(line.entry.key, value, post.get(f"r:{line.entry.key}", "")))
    return inputs


def conflict_text(conflict) -> str:
    current = conflict.current
    user = current.scored_by
    who = user_name(user) if user else _("他人")
    when = timezone.localtime(current.scored_at).strftime("%H:%M")
    value = format(current.value.normalize(), "f")
    return _("该分值已被 %(who)s 于 %(when)s 修改为 %(value)s，您的输入未保存：%(attempted)s") % {
        "who": who,
        "when": when,
        "value": value,
        "attempted": conflict.attempted,
    }


def _scoring_allowed(access: Access, assessment: Assessment) -> None:
    if not sel.can_score(access, assessment):
        raise PermissionDenied(_("当前不能评分：评分阶段由领导小组评分，审核阶段由绩效办修正"))


@login_required
def scoring_view(request: HttpRequest, assessment_id: int) -> HttpResponse:
    access, assessment = _assessment(request, assessment_id)
    if not sel.is_reviewer(access):
        raise PermissionDenied(_("只有领导小组成员和绩效办可以评分"))
    scheme = scheme_of(assessment)
    context = {
        "assessment": assessment,
        "cards": sel.scoring_cards(assessment),
        "editable": sel.can_score(access, assessment),
        "list_nodes": [scheme.nodes[n] for n in _list_nodes(scheme)],
    }
    return render(request, "assessment/scoring.html", context)


def _list_nodes(scheme) -> list[str]:
    from jixiao.assessments.nodes import list_nodes

    return list_nodes(scheme)


@login_required
@require_POST
def score_subject_view(request: HttpRequest, assessment_id: int, subject_id: int) -> HttpResponse:
    access, assessment = _assessment(request, assessment_id)
    _scoring_allowed(access, assessment)
    [card] = sel.scoring_cards(assessment, subject_id) or [None]
    if card is None:
        raise Http404(_("没有这个考核对象"))
    inputs = _score_inputs(request, card)
    status = 200
    saved = False
    try:
        services.scores_save(actor=request.user, subject=card.subject, inputs=inputs)
    except ScoreConflict as exc:
        status = 409
        cells = {c.entry.key: c for c in card.cells}
        for conflict in exc.conflicts:
            cell = cells[conflict.key]
            cell.conflict = conflict_text(conflict)
            # Load the newer version under the user's input: saving again is a
            # deliberate overwrite, made knowing the other value.
            current = conflict.current
            cell.version = current.version
            cell.original = format(current.value.normalize(), "f")
            cell.original_reason = current.reason
    except ValidationError as exc:
        status = 422
        cells = {c.entry.key: c for c in card.cells}
        for key, errors in exc.message_dict.items():
            if key in cells:
                cells[key].errors = errors
            else:
                card.errors.extend(errors)
                messages.error(request, "；".join(errors))
    else:
        saved = True
        [card] = sel.scoring_cards(assessment, subject_id)
    if not request.htmx:
        if saved:
            messages.success(
                request, _("已保存 %(subject)s 的评分") % {"subject": card.subject.label}
            )
            return redirect(reverse("assessment:scoring", args=[assessment.pk]) + f"#s{subject_id}")
        context = {"assessment": assessment, "cards": [card], "editable": True, "list_nodes": []}
        return render(request, "assessment/scoring.html", context, status=status)
    context = {"assessment": assessment, "card": card, "editable": True, "saved": saved}
    # htmx swaps 2xx only by default: errors are shown with 200 and flagged in the page.
    return render(request, "assessment/_score_card.html", context)


# --- a subject: breakdown, self-evaluation, vetoes, appeals -------------------------


@login_required
def subject_view(request: HttpRequest, assessment_id: int, subject_id: int) -> HttpResponse:
    access, assessment = _assessment(request, assessment_id)
    subject = _subject(access, assessment, subject_id)
    responsible = sel.is_responsible(access, subject)
    appeals = list(sel.appeal_list(assessment, subject))
    today = timezone.localdate()
    can_appeal = (
        responsible
        and assessment.status == Status.NOTICE
        and not appeals
        and assessment.notice_end is not None
        and today <= assessment.notice_end
    )
    context = {
        "assessment": assessment,
        "subject": subject,
        "tree": (subject.breakdown or {}).get("tree"),
        "breakdown": subject.breakdown or {},
        "self_evaluation": sel.subject_self_evaluation(subject),
        "vetoes": list(sel.veto_list(assessment, subject)),
        "appeals": appeals,
        "can_appeal": can_appeal,
        "responsible": responsible,
        "is_office": access.is_office,
        # The same rule as self_evaluation_view: no link that would answer 403.
        "can_read_self_evaluation": (
            responsible or sel.is_reviewer(access) or sel.can_self_evaluate(access, subject)
        ),
    }
    return render(request, "assessment/subject.html", context)


@login_required
def self_evaluation_view(request: HttpRequest, assessment_id: int, subject_id: int) -> HttpResponse:
    access, assessment = _assessment(request, assessment_id)
    subject = _subject(access, assessment, subject_id)
    can_write = sel.can_self_evaluate(access, subject)
    if not (can_write or sel.is_reviewer(access) or sel.is_responsible(access, subject)):
        raise PermissionDenied(_("只能查看本人负责对象的自评"))
    current = sel.subject_self_evaluation(subject)
    entries = sel.self_evaluation_entries(assessment)
    report = current.report if current else ""
    values = dict(current.self_scores) if current else {}
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        if not can_write:
            raise PermissionDenied(_("当前不能提交自评"))
        report = request.POST.get("report", "")
        values = {e.key: request.POST.get(f"s:{e.key}", "").strip() for e in entries}
        try:
            services.self_evaluation_save(
                actor=request.user, subject=subject, report=report, self_scores=values
            )
        except ValidationError as exc:
            errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
        else:
            messages.success(request, _("自评已提交"))
            return redirect(
                "assessment:subject", assessment_id=assessment.pk, subject_id=subject.pk
            )
    rows = [(e, values.get(e.key, ""), errors.get(e.key, [])) for e in entries]
    context = {
        "assessment": assessment,
        "subject": subject,
        "current": current,
        "report": report,
        "rows": rows,
        "report_errors": errors.get("report", []),
        "other_errors": errors.get("__all__", []),
        "can_write": can_write,
    }
    return render(request, "assessment/self_evaluation.html", context)


@login_required
def vetoes_view(request: HttpRequest, assessment_id: int) -> HttpResponse:
    access, assessment = _assessment(request, assessment_id)
    if not sel.is_reviewer(access):
        raise PermissionDenied(_("只有领导小组成员和绩效办可以处理一票否决"))
    can_propose = assessment.status in services.VETO_STATUSES
    if request.method == "POST":
        if not can_propose:
            raise PermissionDenied(_("当前阶段不能提出一票否决"))
        subject = sel.subject_get(assessment, int_param(request.POST.get("subject")) or 0)
        try:
            # One transaction for the files and the veto: a refused veto keeps no file.
            with files_atomic():
                evidence = _uploads(request, access)
                services.veto_propose(
                    actor=request.user,
                    subject=subject,
                    category=request.POST.get("category", ""),
                    note=request.POST.get("note", ""),
                    evidence=evidence,
                )
        except ValidationError as exc:
            for message in error_lines(exc):
                messages.error(request, message)
        else:
            messages.success(
                request, _("已提出一票否决：%(subject)s，待绩效办审批") % {"subject": subject.label}
            )
        return redirect("assessment:vetoes", assessment_id=assessment.pk)
    context = {
        "assessment": assessment,
        "vetoes": list(sel.veto_list(assessment)),
        "subjects": list(sel.subject_table(access, assessment)),
        "categories": scheme_of(assessment).vetoes.categories,
        "can_propose": can_propose,
        "is_office": access.is_office,
        "proposed": VetoStatus.PROPOSED,
    }
    return render(request, "assessment/vetoes.html", context)


def _uploads(request: HttpRequest, access: Access) -> list:
    files = request.FILES.getlist("evidence")
    if not files:
        return []
    from jixiao.evidence.services import evidence_store

    return [evidence_store(actor=request.user, org=access.org, upload=f) for f in files]


@login_required
@require_POST
def veto_decide_view(request: HttpRequest, assessment_id: int, veto_id: int) -> HttpResponse:
    access, assessment = _assessment(request, assessment_id)
    access.require_office()
    veto = sel.veto_get(assessment, veto_id)
    approve = request.POST.get("decision") == "approve"
    try:
        services.veto_decide(actor=request.user, veto=veto, approve=approve)
    except ValidationError as exc:
        for message in error_lines(exc):
            messages.error(request, message)
    else:
        messages.success(request, _("已批准一票否决") if approve else _("已驳回一票否决"))
    return redirect("assessment:vetoes", assessment_id=assessment.pk)


@login_required
@require_POST
def appeal_file_view(request: HttpRequest, assessment_id: int, subject_id: int) -> HttpResponse:
    access, assessment = _assessment(request, assessment_id)
    subject = _subject(access, assessment, subject_id)
    if not sel.is_responsible(access, subject):
        raise PermissionDenied(_("只有考核对象的责任人可以申诉"))
    try:
        services.appeal_file(
            actor=request.user, subject=subject, reason=request.POST.get("reason", "")
        )
    except ValidationError as exc:
        for message in error_lines(exc):
            messages.error(request, message)
    else:
        messages.success(request, _("申诉已提交，请等待绩效办处理"))
    return redirect("assessment:subject", assessment_id=assessment.pk, subject_id=subject.pk)


@login_required
def appeals_view(request: HttpRequest, assessment_id: int) -> HttpResponse:
    access, assessment = _assessment(request, assessment_id)
    access.require_office()
    context = {"assessment": assessment, "appeals": list(sel.appeal_list(assessment))}
    return render(request, "assessment/appeals.html", context)


@login_required
def appeal_decide_view(request: HttpRequest, assessment_id: int, appeal_id: int) -> HttpResponse:
    access, assessment = _assessment(request, assessment_id)
    access.require_office()
    appeal = sel.appeal_get(assessment, appeal_id)
    [card] = sel.scoring_cards(assessment, appeal.subject_id)
    decision = ""
    errors: list[str] = []
    if request.method == "POST":
        decision = request.POST.get("decision", "")
        upheld = request.POST.get("outcome") == "upheld"
        inputs = _score_inputs(request, card) if upheld else []
        try:
            services.appeal_decide(
                actor=request.user, appeal=appeal, upheld=upheld, decision=decision, scores=inputs
            )
        except ScoreConflict as exc:
            cells = {c.entry.key: c for c in card.cells}
            for conflict in exc.conflicts:
                cells[conflict.key].conflict = conflict_text(conflict)
                cells[conflict.key].version = conflict.current.version
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                cells = {c.entry.key: c for c in card.cells}
                for key, messages_ in exc.message_dict.items():
                    if key in cells:
                        cells[key].errors = messages_
                    else:
                        errors.extend(messages_)
            else:
                errors.extend(exc.messages)
        else:
            messages.success(request, _("申诉已处理"))
            return redirect("assessment:appeals", assessment_id=assessment.pk)
    context = {
        "assessment": assessment,
        "appeal": appeal,
        "card": card,
        "decision": decision,
        "errors": errors,
        "editable": appeal.status == "pending" and assessment.status == Status.NOTICE,
    }
    return render(request, "assessment/appeal_decide.html", context)
