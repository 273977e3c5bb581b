"""Excel pages: templates, preview then apply, exports — each with who may and who may not."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from jixiao.organisation.models import Unit
from jixiao.schemes.services import scheme_create_from_preset
from jixiao.spreadsheets import Status
from jixiao.years.models import SubjectKind
from jixiao.years.services import year_create
from tests.spreadsheets.workbooks import make_xlsx, read_xlsx

pytestmark = pytest.mark.django_db

UNIT_HEADERS = ["编码", "名称", "类型", "上级编码", "排序"]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def upload(data: bytes, name: str = "units.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=XLSX)


def units_xlsx() -> bytes:
    return make_xlsx(
        UNIT_HEADERS, [["zz1", "综治办", "科室", "", 1], ["s01", "农技站", "站所", "zz1", 2]]
    )


def make_year(cast, org=None, actor=None):
    org, actor = org or cast.org, actor or cast.office
    scheme = scheme_create_from_preset(actor=actor, org=org, preset="bailian-town")
    return year_create(
        actor=actor,
        org=org,
        year=2025,
        schemes={SubjectKind.ORGANISATION: scheme.versions.get(number=1)},
    )


@pytest.mark.parametrize("kind", ["units", "people", "targets"])
def test_office_opens_import_pages_and_templates(client, cast, kind):
    make_year(cast)
    client.force_login(cast.office)
    assert client.get(reverse("imports:index")).status_code == 200
    page = client.get(reverse("imports:page", args=[kind]))
    assert page.status_code == 200
    assert "预览（试运行）" in page.content.decode()
    template = client.get(reverse("imports:template", args=[kind]))
    assert template.status_code == 200
    assert template["Content-Type"] == XLSX
    assert "attachment" in template["Content-Disposition"]
    assert len(read_xlsx(template.content)) == 2  # headers + example


@pytest.mark.parametrize("user", ["head", "handler", "cadre", "leader"])
def test_only_the_office_imports(client, cast, user):
    client.force_login(getattr(cast, user))
    assert client.get(reverse("imports:index")).status_code == 403
    assert client.get(reverse("imports:page", args=["units"])).status_code == 403
    assert client.get(reverse("imports:template", args=["units"])).status_code == 403
    response = client.post(reverse("imports:page", args=["units"]), {"file": upload(units_xlsx())})
    assert response.status_code == 403
    assert not Unit.objects.filter(code="zz1").exists()


def test_unknown_kind_is_404(client, cast):
    client.force_login(cast.office)
    assert client.get(reverse("imports:page", args=["secrets"])).status_code == 404


def test_preview_writes_nothing_then_confirm_applies(client, cast):
    client.force_login(cast.office)
    url = reverse("imports:page", args=["units"])
    response = client.post(url, {"action": "preview", "file": upload(units_xlsx())})
    html = response.content.decode()
    assert response.status_code == 200
    assert 'value="apply"' in html and "新增 2" in html
    assert not Unit.objects.filter(code__in=["zz1", "s01"]).exists()
    token = response.context["token"]

    # A stale or forged token applies nothing.
    response = client.post(url, {"action": "apply", "token": "forged"})
    assert "请重新上传" in response.content.decode()
    assert not Unit.objects.filter(code="zz1").exists()

    response = client.post(url, {"action": "apply", "token": token})
    assert response.context["report"].applied
    assert "已导入" in response.content.decode()
    s01 = Unit.objects.get(org=cast.org, code="s01")
    assert s01.parent.code == "zz1"
    # The stash is gone: applying twice needs a new upload.
    response = client.post(url, {"action": "apply", "token": token})
    assert "请重新上传" in response.content.decode()


def test_report_highlights_error_rows_and_offers_no_confirm(client, cast):
    client.force_login(cast.office)
    data = make_xlsx(UNIT_HEADERS, [["zz1", "综治办", "科室", "", 1], ["zz2", "", "科室", "", 2]])
    response = client.post(reverse("imports:page", args=["units"]), {"file": upload(data)})
    html = response.content.decode()
    assert 'value="apply"' not in html
    assert 'class="import-error"' in html
    assert "名称：必填" in html
    assert response.context["report"].rows[1].row == 3


def test_htmx_preview_returns_the_partial(client, cast):
    client.force_login(cast.office)
    response = client.post(
        reverse("imports:page", args=["units"]),
        {"file": upload(units_xlsx())},
        headers={"HX-Request": "true"},
    )
    html = response.content.decode()
    assert 'value="apply"' in html and "<html" not in html


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("units.csv", b"a,b\n", "只能导入 .xlsx 文件"),
        ("units.xlsx", b"not a zip", "文件不是 Excel（.xlsx）格式"),
        ("units.xlsx", make_xlsx(["名称"], [["甲"]]), "缺少必填列：编码、类型"),
    ],
)
def test_unreadable_files_get_a_clear_message(client, cast, name, content, message):
    client.force_login(cast.office)
    response = client.post(reverse("imports:page", args=["units"]), {"file": upload(content, name)})
    assert message in response.content.decode()


def test_files_over_5_mb_are_refused(client, cast):
    client.force_login(cast.office)
    big = b"PK\x03\x04" + b"0" * (5 * 1024 * 1024)
    response = client.post(reverse("imports:page", args=["units"]), {"file": upload(big)})
    assert "文件超过 5 MB" in response.content.decode()


def test_large_files_are_kept_on_disk_between_preview_and_apply(client, cast, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    from jixiao.web.views import imports as views

    client.force_login(cast.office)
    original = views.SESSION_LIMIT
    views.SESSION_LIMIT = 10
    try:
        url = reverse("imports:page", args=["units"])
        token = client.post(url, {"file": upload(units_xlsx())}).context["token"]
        stored = list((tmp_path / "imports").iterdir())
        assert len(stored) == 1 and stored[0].suffix == ".xlsx"
        assert "data" not in client.session["jixiao_import"]
        response = client.post(url, {"action": "apply", "token": token})
    finally:
        views.SESSION_LIMIT = original
    assert response.context["report"].applied
    assert not list((tmp_path / "imports").iterdir())


def test_outsider_imports_the_same_codes_into_their_own_org(client, cast):
    client.force_login(cast.outsider)
    url = reverse("imports:page", args=["units"])
    data = make_xlsx(UNIT_HEADERS, [["jjfz", "杨河经济办", "科室", "", 1]])
    token = client.post(url, {"file": upload(data)}).context["token"]
    report = client.post(url, {"action": "apply", "token": token}).context["report"]
    assert [r.status for r in report.rows] == [Status.CREATED]
    cast.section.refresh_from_db()
    assert cast.section.name == "经济发展办"
    assert Unit.objects.filter(code="jjfz").count() == 2


def test_a_preview_cannot_be_applied_by_another_org(client, cast):
    """The stash is bound to the organisation it was previewed in."""
    client.force_login(cast.office)
    url = reverse("imports:page", args=["units"])
    token = client.post(url, {"file": upload(units_xlsx())}).context["token"]
    session = client.session
    stash = session["jixiao_import"]
    stash["org"] = cast.other_org.pk
    session["jixiao_import"] = stash
    session.save()
    response = client.post(url, {"action": "apply", "token": token})
    assert "请重新上传" in response.content.decode()


def test_target_import_uses_the_current_year_and_another_orgs_year_is_404(client, cast):
    year = make_year(cast)
    other = make_year(cast, org=cast.other_org, actor=cast.outsider)
    client.force_login(cast.office)
    url = reverse("imports:page", args=["targets"])
    assert client.get(url, {"year": other.pk}).status_code == 404
    assert (
        client.get(reverse("imports:export", args=["targets"]), {"year": other.pk}).status_code
        == 404
    )
    headers = ["编号", "目标内容", "责任单位编码", "承办人工号", "对应指标"]
    data = make_xlsx(headers, [["1", "目标一", "jjfz", "p003", "indicators.livelihood"]])
    response = client.post(url, {"file": upload(data, "t.xlsx")})
    assert response.context["year"] == year
    token = response.context["token"]
    report = client.post(url, {"action": "apply", "token": token, "year": year.pk}).context[
        "report"
    ]
    assert report.applied
    assert year.targets.get(code="1").assignments.get().person == cast.handler_person


def test_targets_page_without_a_year_says_so(client, cast):
    client.force_login(cast.office)
    response = client.get(reverse("imports:page", args=["targets"]))
    assert "尚未创建考核年度" in response.content.decode()
    assert client.get(reverse("imports:export", args=["targets"])).status_code == 404


# --- exports -----------------------------------------------------------------------


@pytest.mark.parametrize("user", ["office", "leader"])
@pytest.mark.parametrize("kind", ["units", "people", "targets"])
def test_readers_of_the_whole_org_export(client, cast, user, kind):
    make_year(cast)
    client.force_login(getattr(cast, user))
    response = client.get(reverse("imports:export", args=[kind]))
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    rows = read_xlsx(response.content)
    assert rows[0][0] in {"编码", "工号", "编号"}


@pytest.mark.parametrize("user", ["head", "handler", "cadre", "nobody"])
def test_others_may_not_export(client, cast, user):
    client.force_login(getattr(cast, user))
    assert client.get(reverse("imports:export", args=["people"])).status_code == 403


def test_exports_never_show_another_orgs_rows(client, cast):
    client.force_login(cast.outsider)
    rows = read_xlsx(client.get(reverse("imports:export", args=["people"])).content)
    assert [row[:2] for row in rows[1:]] == [["y001", "吴刚"]]
    units = read_xlsx(client.get(reverse("imports:export", args=["units"])).content)
    assert units == [UNIT_HEADERS]


def test_people_export_query_count(client, cast, django_assert_max_num_queries):
    client.force_login(cast.office)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("imports:export", args=["people"]))
    assert len(read_xlsx(response.content)) == 6


def test_org_tabs_link_to_imports_for_the_office_only(client, cast):
    link = reverse("imports:index")
    client.force_login(cast.office)
    assert link in client.get(reverse("org:units")).content.decode()
    client.force_login(cast.head)
    assert link not in client.get(reverse("org:units")).content.decode()
