"""打印: PDF reports — a unit's annual report, the ranking notice, the competition notice.

Thin views: the permission rules are in ``jixiao.reports.selectors``, the content
in ``jixiao.reports.data`` and the layout in the builders. Reports are official
Chinese documents: they are rendered in Chinese whatever the interface language.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import quote

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import override

from jixiao.assessments.selectors import assessment_get, subject_get
from jixiao.organisation.access import require_access
from jixiao.reports import selectors
from jixiao.reports.data import (
    competition_notice_data,
    ranking_notice_data,
    unit_report_data,
)
from jixiao.reports.notices import (
    default_issuer,
    render_competition_notice,
    render_ranking_notice,
)
from jixiao.reports.pdf import LetterFontMissing
from jixiao.reports.unit_report import render_unit_report
from jixiao.results.selectors import month_get
from jixiao.years.selectors import period_label

REPORT_LANGUAGE = "zh-hans"


def _pdf(build: Callable[[], tuple[bytes, str]], ascii_name: str) -> HttpResponse:
    try:
        with override(REPORT_LANGUAGE):
            pdf, filename = build()
    except LetterFontMissing as exc:
        return HttpResponse(str(exc), status=503, content_type="text/plain; charset=utf-8")
    response = HttpResponse(pdf, content_type="application/pdf")
    # RFC 6266 / 5987: an ASCII fallback for old clients, the Chinese name for the rest.
    response["Content-Disposition"] = (
        f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"
    )
    response["Cache-Control"] = "private, no-store"
    return response


def _header_options(request: HttpRequest) -> dict:
    return {
        "red": request.GET.get("red") == "1",
        "issuer": request.GET.get("issuer", ""),
        "doc_no": request.GET.get("doc_no", ""),
    }


@login_required
def unit_report(request: HttpRequest, assessment_id: int, subject_id: int) -> HttpResponse:
    access = require_access(request)
    assessment = assessment_get(access, assessment_id)  # another organisation's: 404
    subject = subject_get(assessment, subject_id)
    selectors.check_unit_report(access, subject)

    def build() -> tuple[bytes, str]:
        report = unit_report_data(subject)
        return render_unit_report(report), report.filename

    return _pdf(build, f"report-{assessment.pk}-{subject.pk}.pdf")


@login_required
def ranking_notice(request: HttpRequest, assessment_id: int) -> HttpResponse:
    access = require_access(request)
    assessment = assessment_get(access, assessment_id)
    selectors.check_ranking_notice(access, assessment)
    options = _header_options(request)

    def build() -> tuple[bytes, str]:
        notice = ranking_notice_data(assessment)
        return render_ranking_notice(notice, **options), notice.filename

    return _pdf(build, f"ranking-notice-{assessment.pk}.pdf")


@login_required
def ranking_notice_options(request: HttpRequest, assessment_id: int) -> HttpResponse:
    """Choose plain or red-header layout and the document number before printing."""
    access = require_access(request)
    assessment = assessment_get(access, assessment_id)
    selectors.check_ranking_notice(access, assessment)
    context = {
        "title": assessment.name,
        "action": "reports:ranking_notice",
        "object_id": assessment.pk,
        "preview": not selectors.is_published(assessment),
        "default_issuer": default_issuer(access.org.name),
        "back": "assessment:detail",
    }
    return render(request, "reports/notice_options.html", context)


@login_required
def competition_notice(request: HttpRequest, period_id: int) -> HttpResponse:
    access = require_access(request)
    period = month_get(access, period_id)
    result, published_at = selectors.competition_to_print(access, period)
    options = _header_options(request)

    def build() -> tuple[bytes, str]:
        day = published_at.date() if published_at else None
        notice = competition_notice_data(period, result, day)
        return render_competition_notice(notice, **options), notice.filename

    return _pdf(build, f"competition-notice-{period.pk}.pdf")


@login_required
def competition_notice_options(request: HttpRequest, period_id: int) -> HttpResponse:
    access = require_access(request)
    period = month_get(access, period_id)
    _result, published_at = selectors.competition_to_print(access, period)
    context = {
        "title": period_label(period),
        "action": "reports:competition_notice",
        "object_id": period.pk,
        "preview": published_at is None,
        "default_issuer": default_issuer(access.org.name),
        "back": "results:competition",
    }
    return render(request, "reports/notice_options.html", context)
