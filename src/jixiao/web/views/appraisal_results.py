"""公众评议 results and the printable invitations (with their single-use codes).

Results: the office and the leaders; the index and the distributions once the
round is closed (as for peer ballots, nothing moves people while they answer),
response rates at any time. Codes: the office only; they are issued by the POST
that prints them and shown that once (the page is not cached), so the sheet in
the printer is the one place a code exists.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from jixiao.appraisal.models import Disposition, InvitationCode, RoundStatus, SampleMember
from jixiao.appraisal.responses import code_display, code_hash, codes_issue
from jixiao.appraisal.selectors import (
    can_read_results,
    points_table,
    round_get,
    round_population,
    round_results,
)
from jixiao.organisation.access import require_access
from jixiao.web.params import int_param


@login_required
def detail(request: HttpRequest, round_id: int) -> HttpResponse:
    access = require_access(request)
    appraisal_round = round_get(access, round_id)
    if not can_read_results(access):
        raise PermissionDenied(_("只有绩效办和领导小组成员可以查看公众评议结果"))
    closed = appraisal_round.status == RoundStatus.CLOSED
    context = {
        "round": appraisal_round,
        "results": round_results(appraisal_round),
        "points": points_table(appraisal_round),
        "closed": closed,
        "can_print": access.is_office and appraisal_round.status != RoundStatus.CLOSED,
    }
    return render(request, "appraisal_results/detail.html", context)


def _code_counts(appraisal_round) -> dict[str, int]:
    return InvitationCode.objects.filter(round=appraisal_round).aggregate(
        issued=Count("pk"), used=Count("pk", filter=Q(used=True))
    )


def _invitations(request: HttpRequest, codes: list[str]):
    import segno  # only the print sheet needs it

    rows = {
        c.code_hash: c
        for c in InvitationCode.objects.filter(
            code_hash__in=[code_hash(code) for code in codes]
        ).select_related("member__respondent")
    }
    for code in codes:
        row = rows[code_hash(code)]
        stratum = row.stratum
        village = row.member.respondent.village if row.member else ""
        url = request.build_absolute_uri(reverse("survey:answer", args=[code]))
        qr = segno.make(url, error="m")
        yield {
            "code": code_display(code),
            "url": url,
            "stratum": stratum,
            "village": village,
            "svg": qr.svg_inline(scale=3, border=2),
        }


def _counts_from(post, strata: list[str]) -> dict[str, int]:
    counts = {}
    for index, stratum in enumerate(strata):
        raw = (post.get(f"n{index}") or "").strip()
        if not raw:
            continue
        number = int_param(raw)
        if number is None:
            raise ValidationError(
                {"count": _("类别“%(stratum)s”的数量应为非负整数") % {"stratum": stratum}}
            )
        if number:
            counts[stratum] = number
    return counts


@never_cache
@login_required
def codes(request: HttpRequest, round_id: int) -> HttpResponse:
    """GET: how many codes exist and a form; POST: issue codes and print them (A4)."""
    access = require_access(request)
    appraisal_round = round_get(access, round_id)
    access.require_office()
    strata = sorted(round_population(appraisal_round))
    waiting = (
        SampleMember.objects.filter(round=appraisal_round, code__isnull=True)
        .exclude(status__in=[Disposition.REPLACED, Disposition.COMPLETED])
        .order_by("position")
    )
    if request.method == "POST":
        try:
            if request.POST.get("for") == "sample":
                members = list(waiting)
                issued = codes_issue(actor=request.user, round=appraisal_round, members=members)
            else:
                counts = _counts_from(request.POST, strata)
                issued = codes_issue(
                    actor=request.user, round=appraisal_round, count_by_stratum=counts
                )
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
            return redirect("appraisal_results:codes", appraisal_round.pk)
        context = {
            "round": appraisal_round,
            "invitations": list(_invitations(request, issued)),
            "start_url": request.build_absolute_uri(reverse("survey:start")),
        }
        return render(request, "appraisal_results/print.html", context)
    context = {
        "round": appraisal_round,
        "counts": _code_counts(appraisal_round),
        "waiting": waiting.count(),
        "strata": list(enumerate(strata)),
        "closed": appraisal_round.status == RoundStatus.CLOSED,
    }
    return render(request, "appraisal_results/codes.html", context)
