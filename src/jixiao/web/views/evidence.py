"""佐证材料: evidence files served after an access check, never run by the browser."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest
from django.utils.translation import gettext as _

from jixiao.evidence.models import Evidence
from jixiao.evidence.selectors import can_read_evidence, evidence_in_org
from jixiao.organisation.access import require_access


def _readable(request: HttpRequest, evidence_id: int) -> Evidence:
    access = require_access(request)
    evidence = evidence_in_org(access).filter(pk=evidence_id).first()
    # One answer for "no such file", "another organisation's" and "not yours": no leak.
    if evidence is None or not can_read_evidence(access, evidence):
        raise Http404(_("没有这个佐证材料"))
    return evidence


def _open(evidence: Evidence, *, as_attachment: bool) -> FileResponse:
    try:
        handle = evidence.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404(_("文件已不存在")) from exc
    # FileResponse writes Content-Disposition with an ASCII fallback and the
    # original (often Chinese) name as RFC 5987 filename*.
    response = FileResponse(
        handle,
        as_attachment=as_attachment,
        filename=evidence.original_name,
        content_type=evidence.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=3600"
    return response


@login_required
def download_view(request: HttpRequest, evidence_id: int) -> FileResponse:
    return _open(_readable(request, evidence_id), as_attachment=True)


@login_required
def inline_view(request: HttpRequest, evidence_id: int) -> FileResponse:
    """Images inline (thumbnails in reports); anything else still downloads."""
    evidence = _readable(request, evidence_id)
    if not evidence.is_image:
        return _open(evidence, as_attachment=True)
    response = _open(evidence, as_attachment=False)
    # Even if a browser mistook the bytes for a document, it could run nothing.
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    return response
