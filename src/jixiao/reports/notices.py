"""Notices as PDF: the ranking notice (排名通报) of a published assessment and the
monthly task-force competition notice (001 指挥组效能竞赛评比通报).

Either may be printed plain or as a 红头文件: the issuing office's name in red,
the document number (发文字号), a red rule, and the date under the issuer at the
end. No seal is drawn: the office stamps the printed copy.
"""

from __future__ import annotations

from datetime import date

from django.utils import timezone
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Spacer

from jixiao.rankings.competition import Entry
from jixiao.reports.data import CompetitionNotice, RankingNotice
from jixiao.reports.pdf import RedHeader, build_pdf, p, styles, table

MAX_FIELD = 60  # issuer and document number come from a form: keep them to one line


def default_issuer(org_name: str) -> str:
    return f"{org_name}绩效考核工作领导小组办公室"


def red_header(org_name: str, *, red: bool, issuer: str = "", doc_no: str = "") -> RedHeader | None:
    if not red:
        return None
    issuer = issuer.strip()[:MAX_FIELD] or default_issuer(org_name)
    return RedHeader(issuer=issuer, doc_no=doc_no.strip()[:MAX_FIELD])


def _date_text(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _head(title: str, header: RedHeader | None, preview: bool, st: dict) -> list:
    story: list = []
    if header is not None:
        story += header.flowables(st)
        story.append(Spacer(1, 4 * mm))
    if preview:
        story.append(p("预览稿 · 尚未公示，不得对外发布", st["preview"]))
    story.append(p(title, st["title"]))
    return story


def _sign_off(issuer: str, day: date, st: dict) -> KeepTogether:
    return KeepTogether(
        [Spacer(1, 10 * mm), p(issuer, st["right"]), p(_date_text(day), st["right"])]
    )


# --- ranking notice -----------------------------------------------------------------


def _ranking_table(notice: RankingNotice, st: dict):
    header = ["名次", "考核对象", "总分", "等次", "评先评优", "备注"]
    rows: list[list] = [[p(h, st["th"]) for h in header]]
    for row in notice.rows:
        subject = row.subject
        rank = "—" if row.rank is None else f"{row.rank}{'（并列）' if row.tied else ''}"
        eligible = {None: "—", True: "有资格", False: "取消"}[subject.award_eligible]
        rows.append(
            [
                p(rank, st["td_center"]),
                p(subject.label, st["td"]),
                p("未计分" if subject.total is None else str(subject.total), st["td_num"]),
                p(subject.grade or "—", st["td_center"]),
                p(eligible, st["td_center"]),
                p(subject.quota_note, st["td"]),
            ]
        )
    return table(rows, [1.9, 3.2, 1.3, 1.1, 1.4, 3.3], st)


def _grade_summary(notice: RankingNotice) -> str:
    counts: dict[str, int] = {}
    for row in notice.rows:
        if row.subject.grade:
            counts[row.subject.grade] = counts.get(row.subject.grade, 0) + 1
    return "，".join(f"{grade} {n} 个" for grade, n in counts.items())


def render_ranking_notice(
    notice: RankingNotice, *, red: bool = False, issuer: str = "", doc_no: str = ""
) -> bytes:
    st = styles()
    header = red_header(notice.org_name, red=red, issuer=issuer, doc_no=doc_no)
    sign = header.issuer if header else default_issuer(notice.org_name)
    scored = [row for row in notice.rows if row.rank is not None]
    stage = "经自评、领导小组评分、汇总审核"
    if notice.notice_start and notice.notice_end:
        stage += f"，并于{_date_text(notice.notice_start)}至{_date_text(notice.notice_end)}公示"
    outcome = "现已定案" if notice.status == "final" else "现处于公示期"
    story = _head(notice.title, header, notice.preview, st)
    story += [
        p("各科室、站所，各村（居）：", st["plain"]),
        p(
            f"根据《{notice.scheme_name}》，{stage}，{notice.year}年{notice.period_label}"
            f"{notice.kind_label}绩效考核工作已经结束，{outcome}。参评对象 {len(notice.rows)} 个，"
            f"计分 {len(scored)} 个"
            + (f"，其中{_grade_summary(notice)}" if scored else "")
            + "。现将考核结果通报如下：",
            st["body"],
        ),
        Spacer(1, 2 * mm),
        _ranking_table(notice, st),
        Spacer(1, 3 * mm),
        p(
            "希望获得优秀等次的单位和个人珍惜荣誉、再接再厉；排名靠后的要认真查找差距，"
            "分析原因，制定整改措施，限期整改到位。考核结果作为评先评优、绩效奖励和"
            "干部使用的重要依据。",
            st["body"],
        ),
        p("名次按总分从高到低排列，总分相同者名次并列，其后名次顺延。", st["note"]),
    ]
    story.append(_sign_off(sign, timezone.localdate(), st))
    return build_pdf(story, title=notice.title, author=notice.org_name, subject=sign)


# --- competition notice -------------------------------------------------------------


def _entries(entries: list[Entry], with_note: bool = False) -> str:
    if not entries:
        return "无"
    parts = []
    for e in entries:
        note = f"（{e.note}）" if with_note and e.note else ""
        parts.append(f"{e.label}{note}，{e.total} 分")
    return "；".join(parts)


def render_competition_notice(
    notice: CompetitionNotice, *, red: bool = False, issuer: str = "", doc_no: str = ""
) -> bytes:
    st = styles()
    result = notice.result
    header = red_header(notice.org_name, red=red, issuer=issuer, doc_no=doc_no)
    sign = header.issuer if header else default_issuer(notice.org_name)
    story = _head(notice.title, header, notice.preview, st)
    story += [
        p("各指挥组，全体干部：", st["plain"]),
        p(
            f"根据指挥组效能竞赛评比办法，效能督查指挥组对各指挥组{notice.period_label}工作计划"
            "完成情况、工作成效、完成时间节点、民主测评及稳定因素进行了实地专项督查和综合评比。"
            f"本月参评指挥组 {result.groups_scored} 个，参评成员 {result.members_scored} 人。"
            "现将评比结果通报如下：",
            st["body"],
        ),
        p("一、先进指挥组", st["heading"]),
        p(_entries(result.best), st["body"]),
        p("二、末位指挥组", st["heading"]),
        p(_entries(result.last), st["body"]),
        p("三、工作实绩末2位成员", st["heading"]),
        p(_entries(result.bottom, with_note=True), st["body"]),
    ]
    if result.notes:
        story.append(p("说明：" + "".join(result.notes), st["body"]))
    story += [
        Spacer(1, 2 * mm),
        p(
            "以上结果公示上墙，并纳入干部奖金和提拔任用考核。希望先进指挥组再接再厉，"
            "末位指挥组和末2位成员认真反思、查找不足，限期整改。",
            st["body"],
        ),
        p(result.tie_rule, st["note"]),
    ]
    story.append(_sign_off(sign, notice.published_on or timezone.localdate(), st))
    return build_pdf(story, title=notice.title, author=notice.org_name, subject=sign)
