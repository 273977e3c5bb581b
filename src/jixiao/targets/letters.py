"""Responsibility letters (目标责任书) as PDF, one per unit or per person.

Laid out the way a government office prints one: A4 portrait, a centred 黑体-like
title, 宋体-like body text, the targets in a ruled table, the signature block of
both parties and "第 X 页 共 Y 页" at the foot of every page.

The fonts are real TrueType files embedded (subset) in the PDF. reportlab's
built-in CID fonts (STSong-Light) are never used: they are not embedded, so a
reader without the Adobe Asian font pack shows boxes or substitutes.
"""

from __future__ import annotations

import io
import os
from dataclasses import dataclass, field
from decimal import Decimal
from html import escape
from pathlib import Path

from django.conf import settings
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas
from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table
from reportlab.platypus import TableStyle as _TableStyle

from jixiao.engine.numbers import plain
from jixiao.organisation.models import Person, Unit
from jixiao.targets.models import Responsibility, Target
from jixiao.targets.selectors import (
    letter_targets_for_person,
    letter_targets_for_unit,
    people_by_responsibility,
)
from jixiao.years.models import AssessmentYear, SubjectKind
from jixiao.years.selectors import year_pins

# Debian's fonts-wqy-microhei (黑体-like sans) and fonts-arphic-uming (宋体/明体-like).
DEFAULT_SANS_PATH = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"
DEFAULT_SERIF_PATH = "/usr/share/fonts/truetype/arphic/uming.ttc"
SANS = "JixiaoHei"
NBSP = "\u00a0"
SERIF = "JixiaoSong"


class LetterFontMissing(RuntimeError):
    """No CJK TrueType font is installed: the letter cannot be printed."""


def _font_paths() -> tuple[str, str | None]:
    """(sans, serif) font files. JIXIAO_CJK_FONT (setting or env) overrides the sans one.

    The serif body font is optional; without it the body uses the sans font too.
    """
    sans = (
        getattr(settings, "JIXIAO_CJK_FONT", "")
        or os.environ.get("JIXIAO_CJK_FONT", "")
        or DEFAULT_SANS_PATH
    )
    serif = (
        getattr(settings, "JIXIAO_CJK_SERIF_FONT", "")
        or os.environ.get("JIXIAO_CJK_SERIF_FONT", "")
        or DEFAULT_SERIF_PATH
    )
    if not Path(sans).is_file():
        raise LetterFontMissing(
            f"找不到中文字体文件 {sans}：请安装 fonts-wqy-microhei"
            "（sudo apt-get install -y fonts-wqy-microhei），或设置 JIXIAO_CJK_FONT"
        )
    return sans, serif if Path(serif).is_file() else None


_registered: dict[str, str] = {}


def register_fonts() -> tuple[str, str]:
    """Register the fonts once per process (loading a 5 MB .ttc takes a moment)."""
    sans_path, serif_path = _font_paths()
    if _registered.get(SANS) != sans_path:
        # subfontIndex 0 of wqy-microhei.ttc is the proportional face (1 is Mono);
        # of uming.ttc it is "AR PL UMing CN", the simplified-Chinese one.
        pdfmetrics.registerFont(TTFont(SANS, sans_path, subfontIndex=0))
        _registered[SANS] = sans_path
    if serif_path is None:
        return SANS, SANS
    if _registered.get(SERIF) != serif_path:
        pdfmetrics.registerFont(TTFont(SERIF, serif_path, subfontIndex=0))
        _registered[SERIF] = serif_path
    return SANS, SERIF


# --- what a letter says ------------------------------------------------------------

FIRST_PARTY = (Responsibility.PRINCIPAL_LEADER, Responsibility.SUPERVISING_LEADER)
SECOND_PARTY = (Responsibility.SECTION_HEAD, Responsibility.HANDLER)

DUTIES = {
    Responsibility.PRINCIPAL_LEADER: "对目标任务的完成负领导责任，统筹部署、协调解决重大问题",
    Responsibility.SUPERVISING_LEADER: "对目标任务的完成负直接领导责任，具体指导、督促推进",
    Responsibility.SECTION_HEAD: "对目标任务的完成负组织实施责任，制定计划、分解落实到人",
    Responsibility.HANDLER: (
        "对目标任务的完成负具体承办责任，按进度节点推进、如实报送进展和佐证材料"
    ),
}


@dataclass
class LetterRow:
    code: str
    title: str
    measures: str
    weight: str
    deadline: str
    target_value: str
    expected_result: str
    people: str


@dataclass
class Signer:
    label: str  # 主管领导, 承办人, …
    names: list[str]
    duty: str


@dataclass
class Letter:
    year: int
    org_name: str
    party_name: str  # 乙方
    party_kind: str  # "unit" or "person"
    rows: list[LetterRow]
    # In the order they sign; 甲方 (the leaders) and 乙方 (the unit or person).
    first_signers: list[Signer] = field(default_factory=list)
    second_signers: list[Signer] = field(default_factory=list)
    scheme_name: str = ""
    total_weight: str = ""

    @property
    def title(self) -> str:
        return f"{self.year} 年度绩效目标责任书"

    @property
    def filename(self) -> str:
        return f"{self.year}年度绩效目标责任书-{self.party_name}.pdf"


def _number(value: Decimal | None) -> str:
    return "" if value is None else plain(value)


def _date(day) -> str:
    return f"{day.year}年{day.month}月{day.day}日" if day else ""


def _row(target: Target) -> LetterRow:
    names = people_by_responsibility(target)
    people = "\n".join(
        f"{label}：{'、'.join(names[value])}"
        for value, label in Responsibility.choices
        if names[value]
    )
    value = _number(target.target_value)
    return LetterRow(
        code=target.code,
        title=target.title,
        measures=target.measures,
        weight=_number(target.weight),
        deadline=_date(target.deadline),
        target_value=f"{value} {target.measure_unit}".strip() if value else target.measure_unit,
        expected_result=target.expected_result,
        people=people,
    )


def _signers(targets: list[Target], responsibilities) -> list[Signer]:
    found: dict[str, list[str]] = {value: [] for value in responsibilities}
    for target in targets:
        for value, names in people_by_responsibility(target).items():
            if value in found:
                found[value].extend(n for n in names if n not in found[value])
    return [
        Signer(label=str(Responsibility(value).label), names=found[value], duty=DUTIES[value])
        for value in responsibilities
    ]


def _scheme_name(year: AssessmentYear, kind: str) -> str:
    pins = year_pins(year)
    pin = pins.get(kind) or next(iter(pins.values()), None)
    return pin.scheme_version.scheme.name if pin else ""


def _total(targets: list[Target]) -> str:
    weights = [t.weight for t in targets if t.weight is not None]
    return _number(sum(weights, Decimal(0))) if weights else ""


def unit_letter(year: AssessmentYear, unit: Unit) -> Letter:
    """The letter between the organisation and one of its units."""
    targets = list(letter_targets_for_unit(year, unit))
    kind = SubjectKind.ORGANISATION if unit.is_organisation else SubjectKind.UNIT
    return Letter(
        year=year.year,
        org_name=year.org.name,
        party_name=unit.name,
        party_kind="unit",
        rows=[_row(t) for t in targets],
        first_signers=_signers(targets, FIRST_PARTY),
        second_signers=_signers(targets, SECOND_PARTY),
        scheme_name=_scheme_name(year, kind),
        total_weight=_total(targets),
    )


def person_letter(year: AssessmentYear, person: Person) -> Letter:
    """The letter between the organisation and one person, over the targets they hold."""
    targets = list(letter_targets_for_person(year, person))
    own = sorted(
        {
            a.responsibility
            for t in targets
            for a in t.assignments.all()
            if a.person_id == person.pk
        },
        key=Responsibility.values.index,
    )
    labels = "、".join(str(Responsibility(value).label) for value in own) or "责任人"
    duty = DUTIES[own[-1]] if own else "对上列目标任务的完成负相应责任"
    first = _signers(targets, FIRST_PARTY)
    for signer in first:  # a leader printing their own letter signs once, as 乙方
        signer.names = [n for n in signer.names if n != person.name]
    return Letter(
        year=year.year,
        org_name=year.org.name,
        party_name=person.name,
        party_kind="person",
        rows=[_row(t) for t in targets],
        first_signers=first,
        second_signers=[Signer(label=labels, names=[person.name], duty=duty)],
        scheme_name=_scheme_name(year, SubjectKind.PERSON),
        total_weight=_total(targets),
    )


# --- how it is printed -------------------------------------------------------------


class NumberedCanvas(canvas.Canvas):
    """Holds every page until the end so each can say how many pages there are."""

    footer_font = SANS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._pages: list[dict] = []

    def showPage(self) -> None:  # reportlab's name
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._pages)
        for number, state in enumerate(self._pages, start=1):
            self.__dict__.update(state)
            self.setFont(self.footer_font, 10.5)
            self.drawCentredString(A4[0] / 2, 12 * mm, f"第 {number} 页 共 {total} 页")
            super().showPage()
        super().save()


def _styles(sans: str, serif: str) -> dict[str, ParagraphStyle]:
    return {
        "title": ParagraphStyle(
            "title", fontName=sans, fontSize=22, leading=30, alignment=TA_CENTER, spaceAfter=4 * mm
        ),
        "party": ParagraphStyle("party", fontName=serif, fontSize=14, leading=22),
        "body": ParagraphStyle(
            "body",
            fontName=serif,
            fontSize=12,
            leading=20,
            firstLineIndent=24,
            alignment=TA_JUSTIFY,
            wordWrap="CJK",
        ),
        "heading": ParagraphStyle(
            "heading", fontName=sans, fontSize=14, leading=22, spaceBefore=2 * mm, spaceAfter=1 * mm
        ),
        "th": ParagraphStyle(
            "th", fontName=sans, fontSize=9, leading=12, alignment=TA_CENTER, wordWrap="CJK"
        ),
        "td": ParagraphStyle(
            "td", fontName=serif, fontSize=8.5, leading=11.5, alignment=TA_LEFT, wordWrap="CJK"
        ),
        "td_center": ParagraphStyle(
            "td_center",
            fontName=serif,
            fontSize=8.5,
            leading=11.5,
            alignment=TA_CENTER,
            wordWrap="CJK",
        ),
        "sign": ParagraphStyle("sign", fontName=serif, fontSize=12, leading=22, wordWrap="CJK"),
    }


def _p(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape(text).replace("\n", "<br/>"), style)


MARGIN = 20 * mm
# What a SimpleDocTemplate frame leaves between the margins (it pads 6 pt each side).
TEXT_WIDTH = A4[0] - 2 * MARGIN - 12

# Relative widths (mm on a 170 mm line) of the target table's columns.
COLUMNS = (
    ("序号", 9, "td_center"),
    ("目标内容", 28, "td"),
    ("工作措施", 28, "td"),
    ("权重/分值", 12, "td_center"),
    ("完成时限", 18, "td_center"),
    ("目标值", 16, "td_center"),
    ("预期效果", 27, "td"),
    ("责任分工", 32, "td"),
)


def _target_table(letter: Letter, styles: dict[str, ParagraphStyle]) -> Table:
    data = [[_p(name, styles["th"]) for name, _w, _s in COLUMNS]]
    for index, row in enumerate(letter.rows, start=1):
        values = (
            f"{index}\n{row.code}",
            row.title,
            row.measures,
            row.weight,
            row.deadline,
            row.target_value,
            row.expected_result,
            row.people,
        )
        data.append(
            [
                _p(value, styles[style])
                for value, (_n, _w, style) in zip(values, COLUMNS, strict=True)
            ]
        )
    if not letter.rows:
        data.append([_p("（本年度暂无目标任务）", styles["td_center"])] + [""] * 7)
    data.append(
        [_p("合计", styles["th"]), "", "", _p(letter.total_weight, styles["td_center"])] + [""] * 4
    )
    table = Table(
        data,
        colWidths=[TEXT_WIDTH * width / 170 for _n, width, _s in COLUMNS],
        repeatRows=1,
        splitInRow=1,  # a target with long measures may run over a page break
    )
    style = [
        ("GRID", (0, 0), (-1, -1), 0.6, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eeeeee")),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ("SPAN", (0, -1), (2, -1)),
        ("SPAN", (4, -1), (-1, -1)),
    ]
    if not letter.rows:
        style.append(("SPAN", (0, 1), (-1, 1)))
    table.setStyle(_TableStyle(style))
    return table


def _signature_block(letter: Letter, styles: dict[str, ParagraphStyle]) -> Table:
    blank = "＿" * 6

    def side(heading: str, signers: list[Signer]) -> list[Paragraph]:
        lines = [_p(heading, styles["sign"])]
        for signer in signers:
            if signer.names:
                names = "、".join(signer.names)
                lines.append(_p(f"{signer.label}：{names}{NBSP * 2}签字：{blank}", styles["sign"]))
        # No-break spaces: Paragraph collapses ordinary (and full-width) runs of spaces.
        lines.append(_p(f"{NBSP * 10}年{NBSP * 4}月{NBSP * 4}日", styles["sign"]))
        return lines

    seal = "（盖章）" if letter.party_kind == "unit" else "（签字）"
    left = side(f"甲方（盖章）：{letter.org_name}", letter.first_signers)
    right = side(f"乙方{seal}：{letter.party_name}", letter.second_signers)
    table = Table([[left, right]], colWidths=[TEXT_WIDTH / 2] * 2)
    table.setStyle(
        _TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    return table


def _story(letter: Letter, styles: dict[str, ParagraphStyle]) -> list:
    basis = f"（{letter.scheme_name}）" if letter.scheme_name else ""
    story = [
        _p(letter.title, styles["title"]),
        _p(f"甲方：{letter.org_name}", styles["party"]),
        _p(f"乙方：{letter.party_name}", styles["party"]),
        Spacer(1, 3 * mm),
        _p(
            f"为全面完成{letter.year}年度各项工作目标任务，落实目标管理责任制，根据"
            f"{letter.org_name}{letter.year}年度绩效考核方案{basis}，经甲乙双方协商，"
            "签订本责任书。",
            styles["body"],
        ),
        _p("一、目标任务", styles["heading"]),
        _target_table(letter, styles),
        _p("二、责任分工", styles["heading"]),
    ]
    numerals = "一二三四"
    duties = [s for s in (*letter.first_signers, *letter.second_signers) if s.names]
    for index, signer in enumerate(duties):
        names = "、".join(signer.names)
        story.append(
            _p(f"（{numerals[index % 4]}）{signer.label}（{names}）{signer.duty}。", styles["body"])
        )
    if not duties:
        story.append(_p("乙方对上列目标任务的完成负全面责任。", styles["body"]))
    story += [
        _p("三、考核与奖惩", styles["heading"]),
        _p(
            "甲方按照年度绩效考核方案，对乙方目标任务完成情况实行月调度、季督查、"
            "半年小结、年终考核。乙方应按月、按旬进度节点推进工作，如实报送进展情况和"
            "佐证材料。考核结果作为评先评优、绩效奖励和干部使用的重要依据。",
            styles["body"],
        ),
        # The signatures never stand alone on a page: they move with the last clause.
        KeepTogether(
            [
                _p("四、附则", styles["heading"]),
                _p(
                    f"本责任书一式两份，甲乙双方各执一份，自签订之日起生效，"
                    f"有效期至{letter.year}年12月31日。",
                    styles["body"],
                ),
                Spacer(1, 6 * mm),
                _signature_block(letter, styles),
            ]
        ),
    ]
    return story


def render_letter(letter: Letter) -> bytes:
    """The letter as PDF bytes, with the CJK fonts embedded."""
    sans, serif = register_fonts()
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=25 * mm,
        bottomMargin=22 * mm,
        title=letter.title,
        author=letter.org_name,
        subject=letter.party_name,
        creator="Jixiao 绩效管理平台",
    )
    numbered = type("LetterCanvas", (NumberedCanvas,), {"footer_font": serif})
    doc.build(_story(letter, _styles(sans, serif)), canvasmaker=numbered)
    return buffer.getvalue()
