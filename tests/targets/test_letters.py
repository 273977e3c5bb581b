"""Responsibility letters: the right targets and signatories, with a real embedded CJK font."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from jixiao.targets import letters


def _read(pdf: bytes) -> tuple[str, PdfReader]:
    reader = PdfReader(io.BytesIO(pdf))
    # Extraction may break lines inside table cells; compare without whitespace.
    text = "".join("".join(page.extract_text().split()) for page in reader.pages)
    return text, reader


def _fonts(reader: PdfReader) -> dict[str, object]:
    fonts = {}
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            fonts[str(font["/BaseFont"])] = font
    return fonts


def test_unit_letter_lists_its_targets_and_signatories(cast, world) -> None:
    letter = letters.unit_letter(world.year, cast.section)
    assert letter.title == "2024 年度绩效目标责任书"
    assert letter.filename == "2024年度绩效目标责任书-经济发展办.pdf"
    assert [row.code for row in letter.rows] == ["A01", "A02"]
    assert letter.total_weight == "15"  # 10 + 5
    assert [(s.label, s.names) for s in letter.first_signers] == [
        ("主管领导", ["李建国"]),
        ("分管领导", ["孙强"]),
    ]
    assert [(s.label, s.names) for s in letter.second_signers] == [
        ("科室负责人", ["张伟"]),
        ("承办人", ["刘洋"]),
    ]
    text, _reader = _read(letters.render_letter(letter))
    assert "2024年度绩效目标责任书" in text
    assert "甲方：白莲镇" in text and "乙方：经济发展办" in text
    assert "全年完成固定资产投资1.5亿元" in text
    assert "新增市场主体120户" in text
    assert "城乡居民医保参保率" not in text  # another section's target
    for name in ("李建国", "孙强", "张伟", "刘洋"):
        assert name in text
    assert "1.5亿元" in text and "2024年12月31日" in text
    assert "第1页共" in text


def test_person_letter_has_only_their_targets(cast, world) -> None:
    letter = letters.person_letter(world.year, cast.handler_person)
    assert [row.code for row in letter.rows] == ["A01"]
    assert [(s.label, s.names) for s in letter.second_signers] == [("承办人", ["刘洋"])]
    text, _reader = _read(letters.render_letter(letter))
    assert "乙方：刘洋" in text
    assert "全年完成固定资产投资1.5亿元" in text
    assert "新增市场主体120户" not in text
    assert "李建国" in text and "孙强" in text


def test_letter_embeds_the_truetype_cjk_font(cast, world) -> None:
    _text, reader = _read(letters.render_letter(letters.unit_letter(world.year, cast.section)))
    fonts = _fonts(reader)
    cjk = [name for name in fonts if "WenQuanYi" in name]
    assert cjk, fonts.keys()
    for name in cjk:
        font = fonts[name]
        assert font["/Subtype"] == "/TrueType"
        assert "/FontFile2" in font["/FontDescriptor"]  # the glyphs are in the file
    # Never reportlab's built-in, non-embedded CID fonts.
    assert not any("STSong" in name or "Light" in name for name in fonts)


def test_letter_for_a_unit_without_targets_still_prints(cast, world) -> None:
    letter = letters.unit_letter(world.year, cast.org)
    text, _reader = _read(letters.render_letter(letter))
    assert "本年度暂无目标任务" in text


def test_missing_font_is_a_clear_error(cast, world, settings, tmp_path) -> None:
    settings.JIXIAO_CJK_FONT = str(tmp_path / "nope.ttc")
    with pytest.raises(letters.LetterFontMissing, match="fonts-wqy-microhei"):
        letters.render_letter(letters.unit_letter(world.year, cast.section))
