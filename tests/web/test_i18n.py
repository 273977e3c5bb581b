"""中文 / English: Chinese by default, English on request, and a complete, compiled catalogue."""

from __future__ import annotations

import gettext
import io
import re
from datetime import date
from decimal import Decimal
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from pypdf import PdfReader

from jixiao.schemes.models import Scheme
from jixiao.spreadsheets import Status
from jixiao.targets.services import milestone_set
from jixiao.years.models import AssessmentYear, Period
from jixiao.years.services import year_setup
from tests.spreadsheets.workbooks import make_xlsx
from tests.targets.world import build_world

pytestmark = pytest.mark.django_db

MESSAGES = Path(settings.LOCALE_PATHS[0]) / "en" / "LC_MESSAGES"
HAN = re.compile(r"[\u4e00-\u9fff]")
HAN_RUN = re.compile(r"[\u4e00-\u9fff]+")
PLACEHOLDER = re.compile(r"%\(\w+\)s|%%")


# Elements whose text is all interface, never user data, on the targets and import pages.
INTERFACE = re.compile(
    r'<(?:th|label|button)\b[^>]*>(.*?)</|<option value="">(.*?)</|data-label="([^"]*)"'
)


def interface_text(html: str) -> str:
    """Headers, labels and buttons of the page's <main> (the header has the 中文 switch)."""
    main = html[html.index("<main") :]
    return " ".join("".join(groups) for groups in INTERFACE.findall(main))


def nav_of(html: str) -> str:
    """The year's steps bar (its labels are all interface text, no user data)."""
    match = re.search(r'<nav class="steps".*?</nav>', html, re.S)
    assert match, "page has no steps bar"
    return match.group(0)


@pytest.fixture
def year(cast) -> AssessmentYear:
    return year_setup(
        actor=cast.office, org=cast.org, year=2025, choices={"organisation": "bailian-town"}
    )


# -- Chinese by default ----------------------------------------------------------------


def test_login_page_is_chinese_by_default(client: Client) -> None:
    html = client.get("/accounts/login/").content.decode()
    assert '<html lang="zh-hans">' in html
    assert "用户名" in html and "密码" in html
    assert "Username" not in html and "Password" not in html
    assert 'value="en">English</button>' in html  # the switch offers the other language


@pytest.mark.parametrize(
    ("url", "chinese", "english"),
    [
        ("/org/", "组织机构 · 单位", "Organisation · Units"),
        ("/org/people/", "工号", "Staff no."),
        ("/org/task-forces/", "新增指挥组", "Add task force"),
        ("/org/roles/", "授予角色", "Grant a role"),
        ("/schemes/", "由预设创建方案", "Create a scheme from a preset"),
        ("/years/", "新建考核年度", "New assessment year"),
        ("/targets/", "请绩效办先在“方案”步骤中新建年度", "the performance office must first"),
        ("/imports/", "下载模板", "Download template"),
        ("/imports/units/", "预览（试运行）", "Preview (dry run)"),
    ],
)
def test_pages_are_chinese_by_default_and_english_on_request(
    client: Client, cast, url: str, chinese: str, english: str
) -> None:
    client.force_login(cast.office)
    html = client.get(url).content.decode()
    assert chinese in html and english not in html
    assert "组织" in nav_of(html) and "Organisation" not in html

    html = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert english in html and chinese not in html
    nav = nav_of(html)
    assert "Organisation" in nav and "Target decomposition" in nav
    assert not HAN.search(nav), nav
    assert '<html lang="en">' in html


def test_login_page_in_english(client: Client) -> None:
    html = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Username" in html and "Password" in html and "Log in" in html
    assert "用户名" not in html
    assert 'value="zh-hans">中文</button>' in html


def test_the_switch_button_sets_the_language_for_the_session(client: Client, cast) -> None:
    client.force_login(cast.office)
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/org/"})
    assert response.status_code == 302 and response["Location"] == "/org/"
    html = client.get("/org/").content.decode()
    assert "Organisation" in html and "Add unit" in html
    assert not HAN.search(nav_of(html))
    # The performance office's role label, translated with the roles in the header.
    assert "(Performance office administrator)" in html

    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/org/"})
    html = client.get("/org/").content.decode()
    assert "组织机构 · 单位" in html and "Organisation" not in html
    assert "（绩效办管理员）" in html


def test_messages_and_form_texts_follow_the_language(client: Client, cast) -> None:
    client.force_login(cast.office)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    response = client.post("/org/roles/", {"username": "cadre", "role": "reviewer"}, follow=True)
    assert "Role granted to cadre" in response.content.decode()

    html = client.get("/org/units/new/").content.decode()
    assert "Parent unit" in html and "上级单位" not in html
    taken = client.post(
        "/org/units/new/",
        {"name": "x", "code": cast.section.code, "kind": "section", "parent": cast.org.pk},
    ).content.decode()
    assert f"Code {cast.section.code} is already in use" in taken


def test_scheme_and_year_pages_in_both_languages(client: Client, cast, year) -> None:
    client.force_login(cast.office)
    scheme = Scheme.objects.get(org=cast.org)
    zh_scheme = client.get(f"/schemes/{scheme.pk}/").content.decode()
    en_scheme = client.get(f"/schemes/{scheme.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "指标体系" in zh_scheme and "第 1 版" in zh_scheme
    assert "Indicators" in en_scheme and "version 1" in en_scheme and "指标体系" not in en_scheme

    zh_year = client.get(f"/years/{year.pk}/").content.decode()
    en_year = client.get(f"/years/{year.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    # Chinese shows the stored period names and dates exactly as before.
    assert "第一季度：1月1日–3月31日" in zh_year
    assert 'data-label="3月中旬">11–20日' in zh_year
    assert "Q1: Jan 1–Mar 31" in en_year
    assert 'data-label="March, 2nd dekad">11–20<' in en_year
    assert "第一季度" not in en_year and "月与旬" not in en_year


def test_target_pages_in_both_languages(client: Client, cast) -> None:
    world = build_world(cast)
    dekad = Period.objects.get(year=world.year, kind="dekad", number=5)
    milestone_set(actor=cast.office, target=world.a01, period=dekad, description="完成项目立项")
    client.force_login(cast.office)

    zh = client.get("/targets/").content.decode()
    en = client.get("/targets/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    # Chinese exactly as before; English labels around the same data.
    assert "承办人：刘洋" in zh and "可持续发展（indicators.sustainable）" in zh
    assert "未分解" in zh and 'data-label="目标值"' in zh and "目标责任书" in zh
    assert "Handler: 刘洋" in en and "可持续发展 (indicators.sustainable)" in en
    assert "Not assigned" in en and 'data-label="Target value"' in en
    assert "Responsibility letters" in en and "经济发展办 (PDF)" in en
    assert "全年完成固定资产投资1.5亿元" in en  # user data stays as entered
    assert HAN.search(interface_text(zh)) and not HAN.search(interface_text(en)), en
    for chinese in ("承办人：", "未分解", "目标责任书", "筛选", "新建目标", "责任分工"):
        assert chinese not in en

    url = f"/targets/{world.a01.pk}/"
    zh = client.get(url).content.decode()
    en = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "进度节点（按月/按旬）" in zh and 'data-label="月份/旬">2月中旬<' in zh
    assert "2月中旬（2/11–2/20）" in zh and "刘洋（科员）" in zh
    assert "经济发展办责任书（PDF）" in zh and "李建国（白莲镇 党委副书记）" in zh
    assert "Milestones (by month or dekad)" in en
    assert 'data-label="Month/dekad">February, 2nd dekad<' in en
    assert "February, 2nd dekad (2/11–2/20)" in en and "刘洋 (科员)" in en
    assert "Responsibility letter of 经济发展办 (PDF)" in en
    assert "李建国 (白莲镇, 党委副书记)" in en
    assert "Principal leader" in en and "Remove" in en and "完成项目立项" in en
    assert HAN.search(interface_text(zh)) and not HAN.search(interface_text(en)), en
    for chinese in ("进度节点", "2月中旬", "移除", "责任书", "主管领导", "考核年度"):
        assert chinese not in en

    # Messages from the views and services follow the language.
    post = {"period": dekad.pk, "description": "x", "planned_value": "三成"}
    milestones = f"/targets/{world.a01.pk}/milestones/"
    htmx = {"HX-Request": "true"}
    zh = client.post(milestones, post, headers=htmx).content.decode()
    en = client.post(milestones, post, headers=htmx, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "计划值：“三成”不是数字" in zh
    assert "Planned value: “三成” is not a number" in en
    form = {"code": "A01", "title": "x", "unit": cast.section.pk, "weight": "很多"}
    en = client.post("/targets/new/", form, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Weight/points: Enter a number." in en
    form["weight"] = "1"
    en = client.post("/targets/new/", form, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "No.: Number A01 already exists" in en


def test_import_report_in_both_languages(client: Client, cast) -> None:
    client.force_login(cast.office)
    data = make_xlsx(
        ["编码", "名称", "类型", "上级编码", "排序", "备注"],
        [["zz1", "综治办", "科室", "", 1, ""], ["zz2", "", "科室", "", "二", ""]],
    )

    def preview(**headers) -> str:
        upload = SimpleUploadedFile("单位.xlsx", data)
        response = client.post("/imports/units/", {"file": upload}, **headers)
        report = response.context["report"]
        # The statuses are data: the same keys and members whatever the language.
        assert report.counts == {"新增": 1, "更新": 0, "不变": 0, "错误": 1}
        assert [r.status for r in report.rows] == [Status.CREATED, Status.ERROR]
        return response.content.decode()

    zh, en = preview(), preview(HTTP_ACCEPT_LANGUAGE="en")
    assert "有错误，未导入任何数据（单位.xlsx）" in zh
    assert '<span class="badge bad">错误 1</span>' in zh and "新增 1" in zh
    assert "名称：必填" in zh and "排序：“二”不是整数" in zh
    assert "提示：以下列无法识别，不会导入：备注" in zh
    assert "There are errors; nothing was imported (单位.xlsx)" in en
    assert '<span class="badge bad">Error 1</span>' in en and "New 1" in en
    assert '<span class="badge ">Unchanged 0</span>' in en
    # The column names are the file's own (Chinese) headers; the messages are English.
    assert "名称: required" in en and "排序: “二” is not a whole number" in en
    assert "Note: These columns are not recognised and will not be imported: 备注" in en
    assert 'class="import-error"' in en
    assert HAN.search(interface_text(zh)) and not HAN.search(interface_text(en)), en

    bad = SimpleUploadedFile("x.xlsx", b"not a zip")
    en = client.post("/imports/units/", {"file": bad}, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "The file is not an Excel (.xlsx) file" in en and "Cannot import “x.xlsx”" in en

    # The page names the notes sheet by its Chinese title, as the downloaded file does.
    en = client.get("/imports/people/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Import people" in en and "“说明” (notes) sheet" in en
    assert "Existing people are matched by code" in en


# -- the catalogue ---------------------------------------------------------------------


def test_every_message_is_translated_and_none_is_fuzzy() -> None:
    po = polib.pofile(str(MESSAGES / "django.po"))
    assert len(po) > 250  # the org, scheme and year pages at least
    assert [e.msgid for e in po.untranslated_entries()] == []
    assert [e.msgid for e in po.fuzzy_entries()] == []
    assert [e.msgid for e in po.obsolete_entries()] == []
    assert not po.metadata_is_fuzzy
    for entry in po:
        translations = list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]
        for text in translations:
            # Chinese may remain only as a literal the user must type or will see in Chinese
            # (a column header the importer requires, a 文号 example), copied from the msgid.
            literals = [run for run in HAN_RUN.findall(text) if run not in entry.msgid]
            assert not literals, (entry.msgid, text)
            assert text != entry.msgid or not HAN.search(text), (entry.msgid, text)
            # The same placeholders, or the English page raises KeyError or loses a value.
            assert sorted(PLACEHOLDER.findall(entry.msgid)) == sorted(PLACEHOLDER.findall(text)), (
                entry.msgid,
                text,
            )


def test_committed_mo_matches_the_po(tmp_path: Path) -> None:
    """The .mo is compiled from the current .po: run scripts/i18n.sh after editing it."""
    compiled = tmp_path / "django.mo"
    polib.pofile(str(MESSAGES / "django.po")).save_as_mofile(str(compiled))

    def catalogue(path: Path) -> dict:
        with path.open("rb") as handle:
            messages = dict(gettext.GNUTranslations(handle)._catalog)
        messages.pop("", None)  # the header: same fields, tools may order them differently
        return messages

    expected = catalogue(compiled)
    assert len(expected) > 250
    assert catalogue(MESSAGES / "django.mo") == expected


def test_responsibility_letters_stay_chinese_in_an_english_session(client: Client, cast) -> None:
    build_world(cast)
    client.force_login(cast.head)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    response = client.get(f"/targets/letters/unit/{cast.section.pk}/")
    assert response.status_code == 200
    reader = PdfReader(io.BytesIO(response.content))
    text = "".join("".join(page.extract_text().split()) for page in reader.pages)
    assert "主管领导：李建国" in text and "承办人：刘洋" in text
    assert "Handler" not in text and "leader" not in text
    # The session is still English afterwards.
    assert "Responsibility letters" in client.get("/targets/").content.decode()


# -- the year's process, inspection, assessment, ballot and results pages ---------------


def _both(client: Client, user, url: str) -> tuple[str, str]:
    """The page in Chinese (the default) and in English."""
    client.force_login(user)
    zh = client.get(url)
    en = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
    assert zh.status_code == en.status_code == 200
    return zh.content.decode(), en.content.decode()


def _interface_is_translated(zh: str, en: str) -> None:
    assert HAN.search(interface_text(zh)), interface_text(zh)
    assert not HAN.search(interface_text(en)), interface_text(en)


def test_todo_page_in_both_languages(client: Client, cast, monkeypatch, settings, tmp_path) -> None:
    from jixiao.web.views import progress as progress_views
    from tests.progress.helpers import dekad

    settings.MEDIA_ROOT = tmp_path / "media"
    monkeypatch.setattr(progress_views, "today", lambda: date(2024, 3, 8))
    world = build_world(cast)
    for month, part, text in ((3, 1, "开工"), (2, 3, "立项")):
        period = dekad(world.year, month, part)
        milestone_set(actor=cast.office, target=world.a01, period=period, description=text)

    zh, en = _both(client, cast.handler, "/process/")
    assert "我的待办" in zh and "3月上旬" in zh and "（逾期 8 天）" in zh and "● 黄灯" in zh
    assert 'data-label="截止日期"' in zh and "报送进度" in zh
    assert "My to-do list" in en and "March, 1st dekad" in en and "(8 days overdue)" in en
    assert "● Yellow" in en and "● Red" in en and 'data-label="Due date"' in en
    assert "Report progress" in en and "开工" in en  # the milestone is data
    for chinese in ("我的待办", "3月上旬", "逾期", "黄灯", "报送进度", "截止日期"):
        assert chinese not in en
    _interface_is_translated(zh, en)


def test_inspection_ledger_in_both_languages(client: Client, cast) -> None:
    from tests.inspections.world import build_inspection_world, record

    world = build_inspection_world(cast)
    record(cast, world, points=Decimal("2"))
    record(cast, world, points=Decimal("2"), date=date(2024, 4, 2), kind="announced")

    zh, en = _both(client, cast.office, f"/inspections/units/{cast.org.pk}/")
    assert "察访核验台账" in zh and "累计扣分 4，按方案封顶 3" in zh and "暗访" in zh
    assert 'data-label="发现问题"' in zh and "全年（全部记录）" in zh
    assert "Inspection ledger" in en and "Total deductions 4, capped by the scheme at 3" in en
    assert "Unannounced" in en and "Announced" in en and 'data-label="Finding"' in en
    assert "Whole year (all records)" in en and "March" in en and "值班人员脱岗" in en
    # The group heading is the scheme's node name (data); the interface around it is English.
    for chinese in ("察访核验台账", "累计扣分", "暗访", "撤销", "3月", "全年"):
        assert chinese not in en
    _interface_is_translated(zh, en)


def test_assessment_list_and_detail_in_both_languages(client: Client, cast) -> None:
    from jixiao.assessments import services as assessments

    year = year_setup(
        actor=cast.office,
        org=cast.org,
        year=2024,
        choices={"organisation": "bailian-town", "unit": "hami-transport"},
    )
    quarter = year.periods.get(kind="quarter", number=1)
    assessment = assessments.assessment_create(
        actor=cast.office, year=year, period=quarter, subject_kind="unit"
    )

    zh, en = _both(client, cast.office, "/assessments/")
    assert "考核评估" in zh and "第一季度" in zh and "新建考核" in zh and "自评" in zh
    assert "Assessments" in en and "Q1" in en and "New assessment" in en
    assert "Self-evaluation" in en and 'data-label="Pending appeals"' in en
    for chinese in ("考核评估", "新建考核", "公示期", "待处理申诉"):
        assert chinese not in en
    _interface_is_translated(zh, en)

    zh, en = _both(client, cast.office, f"/assessments/{assessment.pk}/")
    assert "考核周期：第一季度（2024-01-01 至 2024-03-31）" in zh and "结束自评，开始评分" in zh
    assert "Period: Q1 (2024-01-01 to 2024-03-31)" in en
    assert "End self-evaluation, start scoring" in en and "Back to assessments" in en
    assert 'data-label="Award eligibility"' in en and "Not submitted" in en
    for chinese in ("考核周期", "结束自评", "评先评优", "未提交", "名次按公示总分"):
        assert chinese not in en
    _interface_is_translated(zh, en)


def test_ballot_sheet_in_both_languages(client: Client, cast) -> None:
    from tests.ballots.world import build_ballot_world

    world = build_ballot_world(cast)
    zh, en = _both(client, cast.handler, f"/ballots/{world.round.pk}/vote/")
    assert "投票不记名" in zh and "不了解" in zh and "提交（提交后不能修改）" in zh
    assert "The vote is anonymous" in en and "Don’t know" in en and "Excellent" in en
    assert "Submit (cannot be changed afterwards)" in en and 'data-label="Subject"' in en
    for chinese in ("投票不记名", "不了解", "优秀", "称职", "测评对象", "提交"):
        assert chinese not in interface_text(en)
    _interface_is_translated(zh, en)


def test_results_page_in_both_languages(client: Client, cast) -> None:
    from tests.rankings.factory import make_haiyong, month_with

    haiyong = make_haiyong(cast)
    month_with(
        haiyong, 3, ["92", "85", "85", "88"], ["90", "72", "85", "66", "95", "80", "70", "99"]
    )

    zh, en = _both(client, cast.cadre, "/results/")
    assert "考核结果" in zh and "3月 · " in zh and "并列" in zh and "评先评优资格" in zh
    assert "Assessment results" in en and "March · " in en and "tied" in en
    assert 'data-label="Award eligibility"' in en and "第一指挥组" in en  # names are data
    for chinese in ("考核结果", "并列", "名次", "评先评优", "指挥组月度评比"):
        assert chinese not in en
    _interface_is_translated(zh, en)
