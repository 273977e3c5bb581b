"""PDF reports: the text a reader extracts, the red header, and the embedded CJK fonts."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from jixiao.assessments.models import Status, Subject
from jixiao.rankings.competition import competition_for
from jixiao.reports.data import (
    competition_notice_data,
    ranking_notice_data,
    unit_report_data,
)
from jixiao.reports.notices import render_competition_notice, render_ranking_notice
from jixiao.reports.unit_report import render_unit_report
from tests.rankings.factory import make_haiyong, month_with
from tests.reports.factory import unit_quarter


def _read(pdf: bytes) -> tuple[str, PdfReader]:
    reader = PdfReader(io.BytesIO(pdf))
    text = "\n".join(page.extract_text() for page in reader.pages)
    return text, reader


def _compact(text: str) -> str:
    return "".join(text.split())


def _fonts(reader: PdfReader) -> dict:
    fonts = {}
    for page in reader.pages:
        for font in page["/Resources"].get("/Font", {}).values():
            font = font.get_object()
            fonts[str(font["/BaseFont"])] = font
    return fonts


def _assert_cjk_embedded(reader: PdfReader) -> None:
    fonts = _fonts(reader)
    cjk = [name for name in fonts if "WenQuanYi" in name or "UMing" in name]
    assert cjk, fonts.keys()
    for name in cjk:
        assert "/FontFile2" in fonts[name]["/FontDescriptor"]
    assert not any("STSong" in name for name in fonts)


@pytest.fixture
def quarter(cast):
    return unit_quarter(cast)


def _section(quarter) -> Subject:
    return Subject.objects.select_related("assessment__year__org", "unit").get(
        pk=quarter.section.pk
    )


def test_unit_report_text(cast, quarter) -> None:
    report = unit_report_data(_section(quarter))
    text, reader = _read(render_unit_report(report))
    flat = _compact(text)
    assert "2025年度绩效考核报告" in flat
    assert "经济发展办" in flat and "白莲镇" in flat
    assert "82.50" in flat and "“良”" in flat
    assert "第3名（共3个）" in flat
    assert "招商引资进度滞后" in flat  # the self-evaluation
    assert "察访核验（扣分项）" in flat and "-1.5" in flat
    # 改善民生 averages (80 + 92 + 88) / 3 = 86.67 in the 指标考核 row.
    assert "86.67" in flat
    assert "图1" in flat and "图2" in flat
    assert "预览稿" not in flat
    assert len(reader.pages) >= 2
    _assert_cjk_embedded(reader)


def test_unit_report_lists_approved_vetoes(cast, quarter) -> None:
    from jixiao.assessments.models import Veto

    Veto.objects.create(
        subject=quarter.section, category="安全生产", note="发生较大事故", status="approved"
    )
    Veto.objects.create(subject=quarter.section, category="综治", note="仅提议", status="proposed")
    flat = _compact(_read(render_unit_report(unit_report_data(_section(quarter))))[0])
    assert "一票否决" in flat and "安全生产：发生较大事故" in flat
    assert "仅提议" not in flat


def test_unpublished_unit_report_is_marked_preview(cast) -> None:
    quarter = unit_quarter(cast, status=Status.REVIEW)
    flat = _compact(_read(render_unit_report(unit_report_data(_section(quarter))))[0])
    assert "预览稿" in flat


def test_ranking_notice_plain_and_red(cast, quarter) -> None:
    notice = ranking_notice_data(quarter.assessment)
    plain, reader = _read(render_ranking_notice(notice))
    flat = _compact(plain)
    assert "关于2025年第一季度科室/站所/村居绩效考核结果的通报" in flat
    for name in ("社会事务办", "白莲村", "经济发展办"):
        assert name in flat
    assert flat.index("社会事务办") < flat.index("白莲村") < flat.index("经济发展办")
    assert "91.40" in flat and "优1个" in flat and "良2个" in flat
    assert "〔" not in flat
    _assert_cjk_embedded(reader)

    red, _reader = _read(render_ranking_notice(notice, red=True, doc_no="白绩办〔2025〕3号"))
    red_flat = _compact(red)
    assert red_flat.startswith("白莲镇绩效考核工作领导小组办公室白绩办〔2025〕3号")
    assert "关于2025年第一季度" in red_flat


def test_red_header_issuer_is_the_office_s_own_when_given(cast, quarter) -> None:
    notice = ranking_notice_data(quarter.assessment)
    flat = _compact(_read(render_ranking_notice(notice, red=True, issuer="白莲镇人民政府"))[0])
    assert flat.startswith("白莲镇人民政府关于")
    assert flat.rstrip("0123456789年月日第页共").count("白莲镇人民政府") == 2  # head and sign-off


def test_competition_notice(cast) -> None:
    world = make_haiyong(cast)
    march = month_with(
        world, 3, ["92", "85", "78.5", "88"], ["90", "72", "85", "66", "95", "80", "70", "99"]
    )
    result = competition_for(march)
    notice = competition_notice_data(march, result, None)
    text, reader = _read(render_competition_notice(notice, red=True))
    flat = _compact(text)
    assert "2025年3月指挥组效能竞赛评比结果通报" in flat
    assert "一、先进指挥组第一指挥组，92.00分二、末位指挥组第三指挥组，78.50分" in flat
    # The members the 001 rule picked, each with their group and total, and nobody else.
    bottom = flat[flat.index("三、工作实绩末2位成员") : flat.index("以上结果公示上墙")]
    assert len(result.bottom) == 2
    for entry in result.bottom:
        assert f"{entry.label}（{entry.note}），{entry.total}分" in bottom
    others = {f"成员{i}" for i in range(1, 9)} - {e.label for e in result.bottom}
    assert not any(name in bottom for name in others)
    assert "预览稿" in flat  # not published yet
    _assert_cjk_embedded(reader)
