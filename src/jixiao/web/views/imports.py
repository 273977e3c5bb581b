"""Excel round trip: templates, dry-run imports with a per-row report, and exports.

Importing is for the performance office only; exporting for those who read the
whole organisation (office, reviewers, principal leaders). The uploaded file is
kept between the preview and the confirmation: in the session when small, else
under MEDIA_ROOT/imports with a random name that never comes from the user.
"""

from __future__ import annotations

import base64
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from jixiao.organisation.access import Access, require_access
from jixiao.organisation.sheets import (
    PERSON_SHEET,
    UNIT_SHEET,
    import_people,
    import_units,
    people_for_export,
    units_for_export,
)
from jixiao.spreadsheets import (
    HELP_TITLE,
    ImportReport,
    Sheet,
    SheetFileError,
    export_workbook,
    template_workbook,
)
from jixiao.targets.sheets import TARGET_SHEET, import_targets, targets_for_export, template_sheet
from jixiao.years.models import AssessmentYear
from jixiao.years.selectors import current_year, year_get

MAX_UPLOAD = 5 * 1024 * 1024
SESSION_LIMIT = 2 * 1024 * 1024
STASH_KEY = "jixiao_import"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class Kind:
    # What is imported, in the user's language: "units" in English, used in the
    # middle of sentences ("Import units"), capitalised by the templates for headings.
    # Downloaded file names use the sheet's Chinese title: the files are Chinese.
    label: str
    sheet: Sheet
    needs_year: bool
    # (actor, access, year, data, dry_run) → report
    run: Callable[..., ImportReport]
    rows: Callable[[Access, AssessmentYear | None], object]


KINDS = {
    "units": Kind(
        pgettext_lazy("import kind", "单位"),
        UNIT_SHEET,
        False,
        lambda actor, access, year, data, dry_run: import_units(
            actor=actor, org=access.org, data=data, dry_run=dry_run
        ),
        lambda access, year: units_for_export(access),
    ),
    "people": Kind(
        pgettext_lazy("import kind", "人员"),
        PERSON_SHEET,
        False,
        lambda actor, access, year, data, dry_run: import_people(
            actor=actor, org=access.org, data=data, dry_run=dry_run
        ),
        lambda access, year: people_for_export(access),
    ),
    "targets": Kind(
        pgettext_lazy("import kind", "目标"),
        TARGET_SHEET,
        True,
        lambda actor, access, year, data, dry_run: import_targets(
            actor=actor, year=year, data=data, dry_run=dry_run
        ),
        lambda access, year: targets_for_export(access, year),
    ),
}


def _kind(kind: str) -> Kind:
    if kind not in KINDS:
        raise Http404(_("没有这种导入"))
    return KINDS[kind]


def _year(request: HttpRequest, access: Access, kind: Kind) -> AssessmentYear | None:
    """Targets belong to a year: ?year=<id>, or the organisation's latest."""
    if not kind.needs_year:
        return None
    year_id = request.POST.get("year") or request.GET.get("year")
    if year_id:
        try:
            return year_get(access, int(year_id))
        except ValueError:
            raise Http404(_("年度不存在")) from None
    return current_year(access)


def _xlsx(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


def _file_stem(kind: Kind, year: AssessmentYear | None) -> str:
    return f"{kind.sheet.title}-{year.year}" if year else kind.sheet.title


@login_required
def index(request: HttpRequest) -> HttpResponse:
    access = require_access(request)
    access.require_office()
    context = {
        "kinds": [(key, kind.label) for key, kind in KINDS.items()],
        "year": current_year(access),
    }
    return render(request, "imports/index.html", context)


@login_required
def template(request: HttpRequest, kind: str) -> HttpResponse:
    access = require_access(request)
    access.require_office()
    spec = _kind(kind)
    year = _year(request, access, spec)
    sheet = template_sheet(year) if spec.needs_year and year else spec.sheet
    return _xlsx(template_workbook(sheet), f"{_file_stem(spec, year)}-导入模板.xlsx")


@login_required
def export(request: HttpRequest, kind: str) -> HttpResponse:
    access = require_access(request)
    if not access.reads_everything:
        raise PermissionDenied(_("只有绩效办、领导小组和主管领导可以导出全部数据"))
    spec = _kind(kind)
    year = _year(request, access, spec)
    if spec.needs_year and year is None:
        raise Http404(_("尚未创建考核年度"))
    data = export_workbook(spec.sheet, spec.rows(access, year))
    return _xlsx(data, f"{_file_stem(spec, year)}-{access.org.name}.xlsx")


@login_required
def page(request: HttpRequest, kind: str) -> HttpResponse:
    """GET: the import page. POST: preview (dry run) an upload, or apply the previewed file."""
    access = require_access(request)
    access.require_office()
    spec = _kind(kind)
    year = _year(request, access, spec)
    context = {
        "kind": kind,
        "spec": spec,
        "year": year,
        "max_mb": MAX_UPLOAD // (1024 * 1024),
        "help_sheet": HELP_TITLE,
    }
    if request.method == "POST" and not (spec.needs_year and year is None):
        context.update(_handle_post(request, access, kind, spec, year))
    name = (
        "imports/_result.html" if request.htmx and request.method == "POST" else "imports/page.html"
    )
    return render(request, name, context)


def _handle_post(
    request: HttpRequest, access: Access, kind: str, spec: Kind, year: AssessmentYear | None
) -> dict:
    year_id = year.pk if year else None
    if request.POST.get("action") == "apply":
        stash = request.session.get(STASH_KEY)
        token = request.POST.get("token", "")
        if (
            not stash
            or not secrets.compare_digest(stash.get("token", ""), token)
            or stash.get("kind") != kind
            or stash.get("year") != year_id
            or stash.get("org") != access.org.pk
        ):
            return {"errors": [_("找不到已预览的文件，请重新上传并预览")]}
        data = _stash_read(stash)
        if data is None:
            return {"errors": [_("找不到已预览的文件，请重新上传并预览")]}
        try:
            report = spec.run(request.user, access, year, data, False)
        except SheetFileError as exc:
            return {"errors": exc.messages}
        if report.applied:
            _stash_clear(request)
        return {"report": report, "filename": stash.get("name", "")}

    upload = request.FILES.get("file")
    if upload is None:
        return {"errors": [_("请选择要导入的 Excel 文件")]}
    if not upload.name.lower().endswith(".xlsx"):
        return {"errors": [_("只能导入 .xlsx 文件；.xls 或 .csv 文件请先在 Excel 中另存为 .xlsx")]}
    if upload.size > MAX_UPLOAD:
        limit = MAX_UPLOAD // (1024 * 1024)
        return {"errors": [_("文件超过 %(limit)s MB，请分批导入") % {"limit": limit}]}
    data = upload.read()
    try:
        report = spec.run(request.user, access, year, data, True)
    except SheetFileError as exc:
        return {"errors": exc.messages, "filename": upload.name}
    token = ""
    if not report.has_errors:
        token = _stash_save(
            request, data, kind=kind, year_id=year_id, org_id=access.org.pk, name=upload.name
        )
    return {"report": report, "token": token, "filename": upload.name}


# --- keeping the upload between preview and confirmation ---------------------------


def _stash_dir() -> Path:
    return Path(settings.MEDIA_ROOT) / "imports"


def _stash_save(request: HttpRequest, data: bytes, **meta) -> str:
    _stash_clear(request)
    token = secrets.token_urlsafe(24)
    stash = {
        "token": token,
        "kind": meta["kind"],
        "year": meta["year_id"],
        "org": meta["org_id"],
        "name": meta["name"],
    }
    if len(data) <= SESSION_LIMIT:
        stash["data"] = base64.b64encode(data).decode("ascii")
    else:
        _stash_dir().mkdir(parents=True, exist_ok=True)
        filename = f"{secrets.token_hex(16)}.xlsx"
        (_stash_dir() / filename).write_bytes(data)
        stash["file"] = filename
    request.session[STASH_KEY] = stash
    return token


def _stash_read(stash: dict) -> bytes | None:
    if "data" in stash:
        return base64.b64decode(stash["data"])
    filename = stash.get("file", "")
    # The name is ours (hex), but never trust a path from storage blindly.
    if not filename or Path(filename).name != filename:
        return None
    path = _stash_dir() / filename
    return path.read_bytes() if path.is_file() else None


def _stash_clear(request: HttpRequest) -> None:
    stash = request.session.pop(STASH_KEY, None)
    filename = (stash or {}).get("file", "")
    if filename and Path(filename).name == filename:
        (_stash_dir() / filename).unlink(missing_ok=True)
