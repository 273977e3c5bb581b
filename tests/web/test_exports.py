"""Excel downloads of the list pages: parsed back, formulas neutralised, permissions.

Each export is opened with openpyxl: the header row, one known cell, and a text
that a spreadsheet would evaluate (= + - @) stored with a leading quote. Someone
who may not see the page gets 403, another township 404 — never the data.
"""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import pytest
from django.test import Client
from openpyxl import load_workbook

from jixiao.assessments.models import Status
from jixiao.ballots.services import ballot_round_close, ballot_submit
from jixiao.inspections.models import Inspection
from jixiao.targets.services import milestone_set
from jixiao.web.views import progress as progress_views
from tests.ballots.world import build_ballot_world
from tests.progress.helpers import dekad
from tests.rankings.factory import add_subject, make_assessment, make_year, period
from tests.targets.world import build_world

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def sheet_rows(client: Client, user, url: str) -> list[tuple]:
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == XLSX
    assert "attachment" in response["Content-Disposition"]
    ws = load_workbook(io.BytesIO(response.content)).active
    cells = [cell for row in ws.iter_rows() for cell in row]
    assert all(cell.data_type != "f" for cell in cells)  # nothing evaluates
    return list(ws.iter_rows(values_only=True))


def refused(client: Client, user, url: str, status: int) -> None:
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == status
    assert response.get("Content-Type") != XLSX


# --- results rankings -------------------------------------------------------------------


@pytest.fixture
def ranked(cast):
    year = make_year(cast)
    published = make_assessment(year, period(year, "month", 3), "person", Status.NOTICE)
    cast.other_person.name = "=HYPERLINK(1)"
    cast.other_person.post = ""
    cast.other_person.save()
    add_subject(published, cast.head_person, "91.50", grade="优秀", award_eligible=True, rank=1)
    add_subject(published, cast.other_person, "80", grade="良好", award_eligible=False, rank=2)
    hidden = make_assessment(year, period(year, "month", 4), "person", Status.REVIEW)
    add_subject(hidden, cast.handler_person, "77.77")
    return year


def test_rankings_export_has_only_published_results(client, cast, ranked) -> None:
    url = f"/exports/results.xlsx?year={ranked.pk}"
    rows = sheet_rows(client, cast.cadre, url)
    assert rows[0] == (
        "考核周期", "考核对象类型", "考核", "状态", "名次", "考核对象", "总分", "等次",
        "评先评优资格", "说明",
    )  # fmt: skip
    assert rows[1][4:9] == (1, "张伟（主任）", 91.5, "优秀", "有")
    assert rows[2][5] == "'=HYPERLINK(1)" and rows[2][8] == "取消"
    assert len(rows) == 3  # the April assessment under review is not in the file
    html = client.get(f"/results/?year={ranked.pk}").content.decode()
    assert f"/exports/results.xlsx?year={ranked.pk}" in html


def test_rankings_export_filters_and_other_township(client, cast, ranked) -> None:
    rows = sheet_rows(client, cast.office, f"/exports/results.xlsx?year={ranked.pk}&kind=unit")
    assert len(rows) == 1  # header only
    refused(client, cast.outsider, f"/exports/results.xlsx?year={ranked.pk}", 404)
    refused(client, cast.outsider, "/exports/results.xlsx", 404)  # no year of its own
    refused(client, cast.nobody, "/exports/results.xlsx", 403)


# --- one assessment's subjects ------------------------------------------------------------


def test_assessment_export_follows_the_page(client, cast, ranked) -> None:
    published = ranked.assessments.get(status=Status.NOTICE)
    url = f"/exports/assessments/{published.pk}.xlsx"
    published.subjects.filter(person=cast.other_person).update(reasons=["-一票否决：综治"])
    rows = sheet_rows(client, cast.handler, url)  # published: everyone in the township
    assert rows[0][:3] == ("名次", "考核对象", "总分")
    assert rows[1][1] == "张伟（主任）" and rows[1][2] == 91.5
    assert rows[2][1] == "'=HYPERLINK(1)" and rows[2][6] == "'-一票否决：综治"
    html = client.get(f"/assessments/{published.pk}/").content.decode()
    assert url in html
    hidden = ranked.assessments.get(status=Status.REVIEW)
    hidden_url = f"/exports/assessments/{hidden.pk}.xlsx"
    refused(client, cast.handler, hidden_url, 403)  # under review: not yet for cadres
    assert sheet_rows(client, cast.leader, hidden_url)[1][2] == 77.77
    refused(client, cast.outsider, url, 404)


# --- inspection ledger --------------------------------------------------------------------


@pytest.fixture
def ledger(cast):
    year = make_year(cast, 2024)
    for day, points, finding in [
        (date(2024, 2, 1), "0.5", "台账不全"),
        (date(2024, 3, 5), "1", "=cmd|' /C calc'!A0"),
    ]:
        Inspection.objects.create(
            year=year,
            org=cast.org,
            unit=cast.section,
            kind="announced",
            date=day,
            finding=finding,
            node="inspection",
            points=Decimal(points),
        )
    return year


def test_ledger_export_with_running_total(client, cast, ledger) -> None:
    url = f"/exports/inspections/units/{cast.section.pk}.xlsx"
    rows = sheet_rows(client, cast.head, url)  # the section's own head
    assert rows[0][:6] == ("责任人", "扣分项", "日期", "方式", "发现问题", "扣分")
    assert rows[1][2].date() == date(2024, 2, 1) and rows[1][5] == 0.5
    assert rows[2][4] == "'=cmd|' /C calc'!A0" and rows[2][6] == 1.5  # running total
    html = client.get(f"/inspections/units/{cast.section.pk}/").content.decode()
    assert url in html


def test_ledger_export_permissions(client, cast, ledger) -> None:
    refused(client, cast.handler, f"/exports/inspections/units/{cast.section.pk}.xlsx", 403)
    refused(client, cast.head, f"/exports/inspections/units/{cast.other_section.pk}.xlsx", 403)
    refused(client, cast.outsider, f"/exports/inspections/units/{cast.section.pk}.xlsx", 404)


# --- progress traffic lights --------------------------------------------------------------


@pytest.fixture
def lights(cast, monkeypatch):
    monkeypatch.setattr(progress_views, "today", lambda: date(2024, 3, 8))
    world = build_world(cast)
    for per, text in [(dekad(world.year, 3, 1), "开工"), (dekad(world.year, 2, 3), "立项")]:
        milestone_set(actor=cast.office, target=world.a01, period=per, description=text)
    milestone_set(
        actor=cast.office, target=world.b01, period=dekad(world.year, 3, 1), description="x"
    )
    world.a01.title = "+全年完成固定资产投资"
    world.a01.save()
    return world


def test_lights_export_shows_the_users_targets(client, cast, lights) -> None:
    rows = sheet_rows(client, cast.handler, "/exports/process/lights.xlsx")
    assert rows[0][:6] == ("编号", "目标内容", "责任单位", "进度节点", "截止日期", "状态")
    by_due = {row[4].date(): row for row in rows[1:]}
    assert by_due[date(2024, 2, 29)][5] == "红灯" and by_due[date(2024, 2, 29)][7] == 8
    assert by_due[date(2024, 3, 10)][5] == "黄灯"
    assert {row[0] for row in rows[1:]} == {"A01"}  # B01 is another section's
    assert rows[1][1] == "'+全年完成固定资产投资"
    assert "/exports/process/lights.xlsx" in client.get("/process/lights/").content.decode()
    assert {
        row[0] for row in sheet_rows(client, cast.office, "/exports/process/lights.xlsx")[1:]
    } == {
        "A01",
        "B01",
    }
    outsider = sheet_rows(client, cast.outsider, "/exports/process/lights.xlsx")
    assert not any(row[0] in {"A01", "B01"} for row in outsider[1:])
    refused(client, cast.nobody, "/exports/process/lights.xlsx", 403)


# --- monthly plans ---------------------------------------------------------------------


def test_plans_export_lists_the_visible_plans_items(client, cast, lights) -> None:
    from jixiao.progress.services import plan_create, plan_item_add

    march = period(lights.year, "month", 3)
    plan = plan_create(actor=cast.head, year=lights.year, period=march, unit=cast.section)
    plan_item_add(actor=cast.head, plan=plan, description="=开工仪式", target=lights.a01)
    plan_item_add(actor=cast.head, plan=plan, description="项目调度会")
    other = plan_create(actor=cast.office, year=lights.year, period=march, unit=cast.other_section)
    plan_item_add(actor=cast.office, plan=other, description="医保宣传")
    url = f"/exports/process/plans.xlsx?month={march.pk}"
    rows = sheet_rows(client, cast.handler, url)
    assert rows[0][:4] == ("单位/指挥组", "状态", "序号", "计划事项")
    assert [row[3] for row in rows[1:]] == ["'=开工仪式", "项目调度会"]  # not 社会事务办's
    assert rows[1][0] == "经济发展办" and rows[1][4] == "A01"
    assert len(sheet_rows(client, cast.leader, url)) == 4
    assert url in client.get(f"/process/plans/?month={march.pk}").content.decode()
    # 杨河乡 has its own 2024: the foreign month id falls back to its own month, as on
    # the plans page, and none of 白莲镇's plans are in the file.
    assert sheet_rows(client, cast.outsider, url)[1:] == []
    refused(client, cast.nobody, url, 403)


# --- peer-ballot results ------------------------------------------------------------------


@pytest.fixture
def ballots(cast):
    bw = build_ballot_world(cast)
    cast.other_person.name = "@SUM(1)"
    cast.other_person.post = ""
    cast.other_person.save()
    voters = {
        "leader": cast.leader,
        "head": cast.head,
        "handler": cast.handler,
        "cadre": cast.cadre,
    }
    for key, user in voters.items():
        choices = {
            s.pk: ("excellent" if other == "other" else "competent")
            for other, s in bw.subjects.items()
            if other != key
        }
        ballot_submit(rater=user, ballot_round=bw.round, choices=choices)
    return bw


def test_ballot_export_after_closing(client, cast, ballots) -> None:
    url = f"/exports/ballots/{ballots.round.pk}.xlsx"
    refused(client, cast.office, url, 403)  # still open: no counts while voting
    ballot_round_close(actor=cast.office, ballot_round=ballots.round)
    rows = sheet_rows(client, cast.leader, url)
    assert rows[0][:5] == ("考核对象", "得分", "有效票", "总票数", "优秀")
    other = next(row for row in rows[1:] if row[0] == "'@SUM(1)")
    assert other[1] == 95 and other[4] == other[2]  # all excellent
    assert (
        f"/exports/ballots/{ballots.round.pk}.xlsx"
        in client.get(f"/ballots/{ballots.round.pk}/results/").content.decode()
    )
    refused(client, cast.cadre, url, 403)
    refused(client, cast.outsider, url, 404)


def test_exports_take_a_fixed_number_of_queries(
    client, cast, ranked, django_assert_max_num_queries
) -> None:
    client.force_login(cast.leader)
    published = ranked.assessments.get(status=Status.NOTICE)
    for url in (
        f"/exports/results.xlsx?year={ranked.pk}",
        f"/exports/assessments/{published.pk}.xlsx",
    ):
        with django_assert_max_num_queries(10):
            assert client.get(url).status_code == 200


# --- rectification items ------------------------------------------------------------------


@pytest.fixture
def rectification(cast):
    from jixiao.rectification import services as rect

    year = make_year(cast)

    def item(unit, owner, problem: str, deadline: date):
        return rect.rectification_create(
            actor=cast.office,
            year=year,
            unit=unit,
            owner=owner,
            problem=problem,
            deadline=deadline,
            measures="补齐台账",
        )

    item(cast.section, cast.handler_person, "=台账不全", date(2099, 6, 30))
    done = item(cast.village, cast.cadre_person, "公开栏未更新", date(2020, 1, 31))
    rect.rectification_submit(actor=cast.cadre, item=done, note="已更新")
    rect.rectification_close(actor=cast.office, item=done, note="属实")
    item(cast.village, cast.cadre_person, "道路破损", date(2020, 1, 31))  # overdue
    return year


def test_rectification_export_follows_the_list_and_its_filters(client, cast, rectification) -> None:
    url = f"/exports/rectification.xlsx?year={rectification.pk}"
    rows = sheet_rows(client, cast.office, url)
    assert rows[0] == (
        "编号", "责任单位", "责任人", "存在问题", "整改措施", "来源", "整改时限", "状态",
        "逾期", "已转入目标", "佐证",
    )  # fmt: skip
    by_problem = {row[3]: row for row in rows[1:]}
    assert set(by_problem) == {"公开栏未更新", "道路破损", "'=台账不全"}
    assert by_problem["道路破损"][1:3] == ("白莲村", "陈静")
    assert by_problem["道路破损"][7:9] == ("整改中", "是")
    assert by_problem["公开栏未更新"][7:9] == ("已销号", "否")  # closed: never overdue
    assert by_problem["'=台账不全"][6].date() == date(2099, 6, 30)
    closed = sheet_rows(client, cast.office, f"{url}&status=closed")
    assert [row[3] for row in closed[1:]] == ["公开栏未更新"]
    village = sheet_rows(client, cast.leader, f"{url}&unit={cast.village.pk}")
    assert sorted(row[3] for row in village[1:]) == ["公开栏未更新", "道路破损"]
    # The handler sees on the page, and in the file, only the item they own.
    assert [row[3] for row in sheet_rows(client, cast.handler, url)[1:]] == ["'=台账不全"]
    page = client.get(f"/rectification/?year={rectification.pk}").content.decode()
    assert 'formaction="/exports/rectification.xlsx"' in page
    refused(client, cast.outsider, url, 404)
    refused(client, cast.nobody, url, 403)


# --- public-appraisal results -----------------------------------------------------------------


@pytest.fixture
def appraisal(cast):
    from tests.appraisal.respondent_world import build_respondent_world
    from tests.appraisal.test_results import answer_case

    world = build_respondent_world(cast)
    answer_case(world)  # 企业主 2 answers, 白莲村 4: under the round's minimum of 5
    return world


def test_appraisal_export_writes_suppressed_values_as_words(client, cast, appraisal) -> None:
    from jixiao.appraisal.selectors import round_results
    from jixiao.appraisal.services import round_close

    url = f"/exports/appraisal/{appraisal.round.pk}.xlsx"
    refused(client, cast.office, url, 403)  # collecting: nothing moves people while they answer
    round_close(actor=cast.office, appraisal_round=appraisal.round)
    rows = sheet_rows(client, cast.leader, url)
    assert rows[0] == ("单位", "类别", "答卷", "满意度指数/平均分", "误差范围（±）", "权重（%）")
    lines = {(row[0], row[1]): row for row in rows[1:]}
    assert lines[("经济发展办", "全部类别")][2:5] == (12, 79.67, 9.15)
    assert lines[("白莲村", "全部类别")][3:5] == ("不公布", "不公布")
    assert lines[("经济发展办", "企业主")][2:4] == (2, "不公布")
    assert lines[("经济发展办", "人大代表")][2:4] == (0, None)  # no answers: nothing to hide
    assert ("总体（全部满意度题）", "全部类别") in lines
    # Every stratum mean is the page's figure or the word; a withheld mean (computed
    # here with no minimum) appears nowhere among its unit's figures.
    shown = round_results(appraisal.round)
    appraisal.round.min_group = 1
    raw = round_results(appraisal.round)
    for unit, full in zip(shown.units, raw.units, strict=True):
        for line, exact in zip(unit.strata, full.strata, strict=True):
            cell = lines[(unit.unit.name, line.name)][3]
            if line.result.suppressed and line.result.n:
                assert cell == "不公布"
                own = [r[3:5] for r in rows if r[0] == unit.unit.name]
                assert exact.mean is not None
                assert all(float(exact.mean) not in cells for cells in own)
            else:
                assert cell == (None if line.mean is None else float(line.mean))
    page = client.get(f"/appraisal-results/{appraisal.round.pk}/")
    assert page.status_code == 200  # the same readers as the results page
    refused(client, cast.office, url.replace(str(appraisal.round.pk), "999999"), 404)
    for who in ("head", "handler", "cadre", "nobody"):
        refused(client, getattr(cast, who), url, 403)
    refused(client, cast.outsider, url, 404)


def test_new_exports_take_a_fixed_number_of_queries(
    client, cast, rectification, django_assert_max_num_queries
) -> None:
    from jixiao.rectification import services as rect

    for n in range(30):
        rect.rectification_create(
            actor=cast.office,
            year=rectification,
            unit=cast.other_section,
            owner=cast.other_person,
            problem=f"问题 {n}",
            deadline=date(2099, 1, 1),
        )
    client.force_login(cast.office)
    for url in (f"/exports/rectification.xlsx?year={rectification.pk}", "/exports/audit.xlsx"):
        with django_assert_max_num_queries(10):
            assert client.get(url).status_code == 200
