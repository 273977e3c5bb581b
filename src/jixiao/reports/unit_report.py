"""A unit's annual performance report (年度绩效考核报告) as PDF.

Cover; 一、考核结果; 二、自评报告; 三、得分明细 (level-1 indicators with
deductions, bonuses and vetoes); 四、图表分析 (level-1 score rates against the
average of all subjects assessed, and the totals of the year's periods).
"""

from __future__ import annotations

from decimal import Decimal

from django.utils import timezone
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, PageBreak, Spacer

from jixiao.reports.charts import level_one_bars, period_totals_line
from jixiao.reports.data import UnitReport, plain
from jixiao.reports.pdf import TEXT_WIDTH, build_pdf, p, styles, table

AVERAGE_LABEL = "全体平均"


def _cover(report: UnitReport, st: dict) -> list:
    today = timezone.localdate()
    lines = [
        f"考核对象：{report.label}（{report.kind_label}）",
        f"考核依据：{report.assessment_name}（{report.status_label}）",
        f"考核方案：{report.scheme_name}",
        f"编制单位：{report.org_name}绩效管理办公室",
        f"打印日期：{today.year}年{today.month}月{today.day}日",
    ]
    story: list = [Spacer(1, 35 * mm), p(report.org_name, st["cover_org"]), Spacer(1, 12 * mm)]
    story += [p(report.title, st["cover_title"]), Spacer(1, 10 * mm)]
    story.append(p(report.label, st["cover_title"]))
    story.append(Spacer(1, 45 * mm))
    story += [p(line, st["cover_line"]) for line in lines]
    if report.preview:
        story += [Spacer(1, 8 * mm), p("预览稿 · 考核结果尚未公示，不得对外使用", st["preview"])]
    story.append(PageBreak())
    return story


def _eligibility(report: UnitReport) -> str:
    if report.award_eligible is None:
        return "—"
    return "有资格" if report.award_eligible else "取消"


def _result(report: UnitReport, st: dict) -> list:
    if report.total is None:
        return [p("一、考核结果", st["heading"]), p("尚不能计算总分。", st["body"])]
    rank = "—"
    if report.rank is not None:
        rank = f"第 {report.rank} 名（共 {report.scored_count} 个）"
        rank += "，并列" if report.tied else ""
    grade = report.grade or "—"
    if report.scheme_grade and report.scheme_grade != report.grade:
        grade += f"（方案等次 {report.scheme_grade}）"
    rows = [
        [p("总分", st["th"]), p("等次", st["th"]), p("名次", st["th"]), p("评先评优", st["th"])],
        [
            p(str(report.total), st["td_center"]),
            p(grade, st["td_center"]),
            p(rank, st["td_center"]),
            p(_eligibility(report), st["td_center"]),
        ],
    ]
    story = [
        p("一、考核结果", st["heading"]),
        p(
            f"{report.label}在{report.assessment_name}中总分 {report.total} 分，"
            f"等次为“{report.grade or '—'}”。",
            st["body"],
        ),
        table(rows, [1, 1.2, 1.6, 1], st),
    ]
    notes = [report.quota_note, *report.reasons]
    story += [p(note, st["note"]) for note in notes if note]
    return story


def _self_evaluation(report: UnitReport, st: dict) -> list:
    story = [p("二、自评报告", st["heading"])]
    text = report.self_evaluation.strip()
    if not text:
        return [*story, p("（未提交自评报告）", st["body"])]
    paragraphs = [line.strip() for line in text.splitlines() if line.strip()]
    return story + [p(line, st["body"]) for line in paragraphs]


def _breakdown(report: UnitReport, st: dict) -> list:
    header = ["指标", "满分", "权重", "得分", "计入总分", "全体平均", "说明"]
    rows: list[list] = [[p(h, st["th"]) for h in header]]
    for row in report.rows:
        kind = {"deductions": "（扣分项）", "bonuses": "（加分项）", "counted": "（计次扣分）"}
        name = row.name + kind.get(row.kind, "")
        rows.append(
            [
                p(name, st["td"]),
                p(row.full if row.full != "0" else "—", st["td_center"]),
                p(f"{row.weight}%" if row.weight else "—", st["td_center"]),
                p(plain(row.score) or "—", st["td_num"]),
                p(row.contribution or "—", st["td_num"]),
                p(plain(row.average) or "—", st["td_num"]),
                p(row.note, st["td"]),
            ]
        )
    rows.append(
        [p("合计", st["th"]), "", "", "", p(str(report.total or "—"), st["td_num"]), "", ""]
    )
    story = [
        p("三、得分明细", st["heading"]),
        table(rows, [3.2, 1.1, 1.1, 1.2, 1.4, 1.4, 5], st, [("SPAN", (0, -1), (3, -1))]),
    ]
    if report.vetoes:
        effect = f"（{report.veto_effect}）" if report.veto_effect else ""
        story.append(Spacer(1, 2 * mm))
        story.append(p(f"一票否决{effect}：" + "；".join(report.vetoes), st["plain"]))
    else:
        story += [Spacer(1, 1.5 * mm), p("一票否决：无。", st["note"])]
    return story


def _charts(report: UnitReport, st: dict) -> list:
    figures: list[list] = []
    scored = [r for r in report.rows if not r.is_adjustment and r.rate is not None]
    if scored:
        bars = level_one_bars(
            [r.name for r in scored],
            [r.rate or Decimal(0) for r in scored],
            [r.average_rate or Decimal(0) for r in scored],
            unit_label=report.label,
            average_label=AVERAGE_LABEL,
            width=TEXT_WIDTH,
        )
        figures.append(
            [p("图1  一级指标得分率与全体平均对比", st["plain"]), Spacer(1, 2 * mm), bars]
        )
    if report.series:
        line = period_totals_line(
            [point.label for point in report.series],
            [point.total for point in report.series],
            [point.average for point in report.series],
            unit_label=report.label,
            average_label=AVERAGE_LABEL,
            width=TEXT_WIDTH,
        )
        figures.append([p("图2  本年度各期考核总分", st["plain"]), Spacer(1, 2 * mm), line])
    heading = p("四、图表分析", st["heading"])
    if not figures:
        return [heading, p("（暂无可绘制的数据）", st["body"])]
    # The heading travels with the first figure: never alone at the foot of a page.
    story: list = [KeepTogether([heading, *figures[0]])]
    for figure in figures[1:]:
        story += [Spacer(1, 4 * mm), KeepTogether(figure)]
    return story


def render_unit_report(report: UnitReport) -> bytes:
    st = styles()
    story = _cover(report, st)
    story += _result(report, st)
    story += _self_evaluation(report, st)
    story += _breakdown(report, st)
    story += _charts(report, st)
    return build_pdf(story, title=report.title, author=report.org_name, subject=report.label)
