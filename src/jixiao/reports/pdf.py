"""What every report shares: the embedded CJK fonts, paragraph styles, the page
footer and the red-header (红头) layout of an official notice.

The fonts are those of the responsibility letters (``jixiao.targets.letters``):
real TrueType files, subset and embedded, so any reader shows the characters.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from html import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Table, TableStyle

from jixiao.targets.letters import LetterFontMissing, NumberedCanvas, register_fonts

__all__ = ["RED", "LetterFontMissing", "RedHeader", "build_pdf", "p", "styles", "table"]

# The red of official documents (GB/T 9704 asks for a red 发文机关标志 and rule).
RED = colors.HexColor("#d40000")
MARGIN = 22 * mm
TEXT_WIDTH = A4[0] - 2 * MARGIN - 12  # a SimpleDocTemplate frame pads 6 pt each side


def styles() -> dict[str, ParagraphStyle]:
    sans, serif = register_fonts()
    base = {"wordWrap": "CJK"}
    return {
        "sans": ParagraphStyle("sans", fontName=sans, fontSize=10, **base),
        "cover_org": ParagraphStyle(
            "cover_org", fontName=sans, fontSize=18, leading=26, alignment=TA_CENTER, **base
        ),
        "cover_title": ParagraphStyle(
            "cover_title", fontName=sans, fontSize=28, leading=40, alignment=TA_CENTER, **base
        ),
        "cover_line": ParagraphStyle(
            "cover_line", fontName=serif, fontSize=14, leading=26, alignment=TA_CENTER, **base
        ),
        "title": ParagraphStyle(
            "title",
            fontName=sans,
            fontSize=20,
            leading=30,
            alignment=TA_CENTER,
            spaceAfter=4 * mm,
            **base,
        ),
        "heading": ParagraphStyle(
            "heading",
            fontName=sans,
            fontSize=14,
            leading=22,
            spaceBefore=3 * mm,
            spaceAfter=1.5 * mm,
            **base,
        ),
        "body": ParagraphStyle(
            "body",
            fontName=serif,
            fontSize=12,
            leading=21,
            firstLineIndent=24,
            alignment=TA_JUSTIFY,
            **base,
        ),
        "plain": ParagraphStyle("plain", fontName=serif, fontSize=12, leading=21, **base),
        "right": ParagraphStyle(
            "right", fontName=serif, fontSize=12, leading=21, alignment=TA_RIGHT, **base
        ),
        "note": ParagraphStyle(
            "note",
            fontName=serif,
            fontSize=9.5,
            leading=14,
            textColor=colors.HexColor("#444444"),
            **base,
        ),
        "th": ParagraphStyle(
            "th", fontName=sans, fontSize=10, leading=13, alignment=TA_CENTER, **base
        ),
        "td": ParagraphStyle(
            "td", fontName=serif, fontSize=10, leading=13, alignment=TA_LEFT, **base
        ),
        "td_center": ParagraphStyle(
            "td_center", fontName=serif, fontSize=10, leading=13, alignment=TA_CENTER, **base
        ),
        "td_num": ParagraphStyle(
            "td_num", fontName=serif, fontSize=10, leading=13, alignment=TA_RIGHT, **base
        ),
        "red_org": ParagraphStyle(
            "red_org",
            fontName=sans,
            fontSize=26,
            leading=34,
            alignment=TA_CENTER,
            textColor=RED,
            **base,
        ),
        "doc_no": ParagraphStyle(
            "doc_no", fontName=serif, fontSize=12, leading=18, alignment=TA_CENTER, **base
        ),
        "preview": ParagraphStyle(
            "preview",
            fontName=sans,
            fontSize=11,
            leading=16,
            alignment=TA_CENTER,
            textColor=RED,
            **base,
        ),
    }


def p(text: str, style: ParagraphStyle) -> Paragraph:
    """A paragraph of plain text: escaped (user input never becomes markup), newlines kept."""
    return Paragraph(escape(text).replace("\n", "<br/>"), style)


def table(
    rows: list[list], widths: list[float], st: dict[str, ParagraphStyle], extra: list | None = None
) -> Table:
    """A ruled table; the first row is the header and repeats on every page."""
    result = Table(rows, colWidths=[TEXT_WIDTH * w / sum(widths) for w in widths], repeatRows=1)
    result.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.6, colors.black),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eeeeee")),
                ("LEFTPADDING", (0, 0), (-1, -1), 4),
                ("RIGHTPADDING", (0, 0), (-1, -1), 4),
                *(extra or []),
            ]
        )
    )
    return result


class RedRule(Flowable):
    """The red line under the 发文机关标志 and 发文字号, full text width."""

    def __init__(self, width: float, thickness: float = 1.6) -> None:
        super().__init__()
        self.width = width
        self.thickness = thickness
        self.height = 4 * mm

    def draw(self) -> None:
        self.canv.setStrokeColor(RED)
        self.canv.setLineWidth(self.thickness)
        self.canv.line(0, self.height / 2, self.width, self.height / 2)


@dataclass
class RedHeader:
    """The head of a 红头文件: red issuer name, document number, red rule (no seal)."""

    issuer: str  # e.g. 白莲镇绩效考核工作领导小组办公室
    doc_no: str = ""  # 发文字号, e.g. 白绩办〔2026〕5号

    def flowables(self, st: dict[str, ParagraphStyle]) -> list[Flowable]:
        # Long issuer names shrink so the 标志 stays on one line where it can.
        style = st["red_org"]
        length = len(self.issuer)
        if length > 14:
            size = max(16.0, 26 * 14 / length)
            style = ParagraphStyle("red_org_small", parent=style, fontSize=size, leading=size * 1.3)
        parts: list[Flowable] = [p(self.issuer, style)]
        if self.doc_no:
            parts.append(p(self.doc_no, st["doc_no"]))
        parts.append(RedRule(TEXT_WIDTH))
        return parts


def build_pdf(story: list[Flowable], *, title: str, author: str, subject: str = "") -> bytes:
    """A4 portrait PDF bytes with "第 X 页 共 Y 页" at the foot of every page."""
    _sans, serif = register_fonts()
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=25 * mm,
        bottomMargin=22 * mm,
        title=title,
        author=author,
        subject=subject,
        creator="Jixiao 绩效管理平台",
    )
    numbered = type("ReportCanvas", (NumberedCanvas,), {"footer_font": serif})
    doc.build(story, canvasmaker=numbered)
    return buffer.getvalue()
