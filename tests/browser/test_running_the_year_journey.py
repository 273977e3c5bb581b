"""Running the year in the browser, from a handler's photo to a final, read-only month.

The starting state (a 2026 year of 白莲镇, one target, an October unit assessment
in scoring with a ballot round open, two of its three units already scored) is
built with the services; everything after that happens in Chromium:

handler reports October with a photo (phone) → head accepts it → the reviewer
records an inspection deduction → two cadres vote → the office closes the
round, scores the last unit, aggregates and publishes → the head appeals for
their section → the office upholds it with a changed score → the office
finalises → a write attempt is refused.

经济发展办 (bailian-town: 指标考核 40/35/25 × 80% + 公众评议 × 20% − 察访核验):
  ballot 勤政廉政: 领导 40 (leader 优秀 95), 群众 60 (cadre 称职 85) → 89.00
  published: 90·0.40 + 80·0.35 + 89·0.25 = 86.25; 86.25·0.8 + 95·0.2 − 1.5 = 86.50 良
  appeal upheld, 改善民生 80 → 96: 36 + 33.6 + 22.25 = 91.85; 73.48 + 19 − 1.5 = 90.98 优
"""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from jixiao.assessments.models import Appeal, AppealStatus, Assessment, Status, Subject
from jixiao.assessments.services import (
    ScoreInput,
    assessment_create,
    assessment_open_scoring,
    scores_save,
)
from jixiao.ballots.models import RoundStatus
from jixiao.ballots.services import GroupSpec, ballot_round_create
from jixiao.inspections.models import Inspection
from jixiao.progress.models import ProgressReport, ReportStatus
from jixiao.project.demo_year import demo_photo
from jixiao.targets.models import Responsibility
from jixiao.targets.services import milestone_set, target_assign, target_create
from jixiao.years.models import SubjectKind
from jixiao.years.services import year_setup
from tests.browser.conftest import login
from tests.cast import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def build_state(cast):
    """The year, the handler's target, and October's unit assessment in scoring."""
    year = year_setup(
        actor=cast.office, org=cast.org, year=2026, choices={SubjectKind.UNIT: "bailian-town"}
    )
    october = year.periods.get(kind="month", number=10)
    target = target_create(
        actor=cast.office,
        year=year,
        code="JJ-01",
        title="农村公路建设：新建硬化通村公路12公里",
        unit=cast.section,
        target_value=Decimal("12"),
        measure_unit="公里",
        weight=Decimal("40"),
        indicator="indicators.sustainable",
    )
    target_assign(
        actor=cast.office,
        target=target,
        person=cast.head_person,
        responsibility=Responsibility.SECTION_HEAD,
    )
    target_assign(
        actor=cast.office,
        target=target,
        person=cast.handler_person,
        responsibility=Responsibility.HANDLER,
    )
    milestone_set(
        actor=cast.office,
        target=target,
        period=october,
        description="累计硬化8公里",
        planned_value=Decimal("8"),
    )
    assessment = assessment_create(
        actor=cast.office, year=year, period=october, subject_kind=SubjectKind.UNIT
    )
    ballot_round = ballot_round_create(
        actor=cast.office,
        assessment=assessment,
        node="indicators.governance",
        title="10月勤政廉政民主测评",
        min_valid=1,
        groups=[
            GroupSpec("领导", Decimal(40), [cast.leader]),
            GroupSpec("群众", Decimal(60), [cast.cadre]),
        ],
    )
    assessment_open_scoring(actor=cast.office, assessment=assessment)
    for unit in (cast.other_section, cast.village):
        scores_save(
            actor=cast.leader,
            subject=assessment.subjects.get(unit=unit),
            inputs=[
                ScoreInput("indicators.sustainable", 100),
                ScoreInput("indicators.livelihood", 100),
                ScoreInput("public", 100),
            ],
        )
    section = assessment.subjects.get(unit=cast.section)
    return year, october, target, assessment, ballot_round, section


def test_a_month_runs_from_report_to_final(open_page, shot, cast, tmp_path):
    _year, october, target, assessment, ballot_round, section = build_state(cast)
    photo = tmp_path / "荷塘村路基.png"
    photo.write_bytes(demo_photo(photo.name, (90, 150, 60)).read())  # a real PNG

    # 1. The handler reports October on a phone, with a photo.
    handler = open_page(**PHONE)
    login(handler, "handler", PASSWORD)
    handler.goto(f"/process/targets/{target.pk}/report/?period={october.pk}")
    handler.fill("#r-value", "8.5")
    handler.fill("#r-narrative", "荷塘村线路硬化完成，累计8.5公里，超过本月节点。")
    handler.set_input_files("#r-files", str(photo))
    shot(handler, "20-handler-reports-on-phone")
    handler.click("form.report-form button.primary")
    handler.wait_for_url(re.compile(rf"/process/targets/{target.pk}/$"))
    shot(handler, "21-handler-report-sent")
    report = ProgressReport.objects.get(target=target, period=october)
    assert report.value == Decimal("8.5") and report.status == ReportStatus.SUBMITTED
    [evidence] = report.evidence.all()
    assert evidence.content_type == "image/png" and evidence.original_name == photo.name

    # 2. The section head reviews it and accepts.
    head = open_page()
    login(head, "head", PASSWORD)
    head.goto("/process/reviews/")
    assert "荷塘村线路硬化完成" in head.locator("main").inner_text()
    assert head.locator(f"main a img[alt='{photo.name}']").count() == 1
    shot(head, "22-head-reviews")
    head.click("main button:has-text('通过')")
    head.wait_for_load_state()
    report.refresh_from_db()
    assert report.status == ReportStatus.ACCEPTED and report.reviewed_by == cast.head

    # 3. The reviewer (督查) records an unannounced inspection with a deduction.
    leader = open_page()
    login(leader, "leader", PASSWORD)
    leader.goto("/inspections/new/")
    leader.select_option("#id_unit", str(cast.section.pk))
    leader.select_option("#id_kind", "unannounced")
    leader.fill("#id_date", "2026-10-15")
    leader.fill("#id_finding", "工作日上午值班人员脱岗")
    leader.select_option("#id_node", "inspection")
    leader.fill("#id_points", "1.5")
    shot(leader, "23-inspector-records")
    leader.click("main button:has-text('保存')")
    leader.wait_for_url(re.compile(rf"/inspections/units/{cast.section.pk}/"))
    shot(leader, "24-inspection-ledger")
    row = Inspection.objects.get(unit=cast.section)
    assert (row.points, row.recorded_by) == (Decimal("1.50"), cast.leader)

    # 4. Two raters vote on their sheets: the leader, and the cadre on a phone.
    sheet = {
        cast.section.pk: "excellent",
        cast.other_section.pk: "competent",
        cast.village.pk: "basic",
    }
    leader.goto(f"/ballots/{ballot_round.pk}/vote/")
    for subject in assessment.subjects.all():
        leader.check(f"input[name=s{subject.pk}][value={sheet[subject.unit_id]}]")
    leader.click("main button:has-text('提交')")
    leader.wait_for_load_state()
    cadre = open_page(**PHONE)
    login(cadre, "cadre", PASSWORD)
    cadre.goto(f"/ballots/{ballot_round.pk}/vote/")
    # No self-rating: the cadre's own village is not on the sheet.
    assert cadre.locator("main").inner_text().count("白莲村") == 0
    cadre_sheet = {cast.section.pk: "competent", cast.other_section.pk: "excellent"}
    for subject in assessment.subjects.exclude(unit=cast.village):
        cadre.check(f"input[name=s{subject.pk}][value={cadre_sheet[subject.unit_id]}]")
    shot(cadre, "25-cadre-ballot-sheet")
    cadre.click("main button:has-text('提交')")
    cadre.wait_for_selector("main .badge:has-text('已投票')")

    # 5. The office closes the round, scores the last unit, aggregates and publishes.
    office = open_page()
    login(office, "office", PASSWORD)
    office.goto(f"/ballots/{ballot_round.pk}/")
    assert "2 / 2" in office.locator("main").inner_text()
    office.click("main button:has-text('结束测评')")
    office.wait_for_url(re.compile(rf"/ballots/{ballot_round.pk}/results/$"))
    shot(office, "26-ballot-results")
    ballot_round.refresh_from_db()
    assert ballot_round.status == RoundStatus.CLOSED

    office.goto(f"/assessments/{assessment.pk}/scoring/")
    card = office.locator(f"#s{section.pk}")
    for key, value, reason in (
        ("indicators.sustainable", "90", "石桥村线路滞后一个月"),
        ("indicators.livelihood", "80", "农村饮水工程未完工"),
        ("public", "95", "群众评议有一项不满意"),
    ):
        card.locator(f"input[name='v:{key}']").fill(value)
        card.locator(f"input[name='r:{key}']").fill(reason)
    card.locator("button:has-text('保存')").click()
    office.wait_for_selector(f"#s{section.pk} .badge:has-text('已保存')")
    shot(office, "27-office-scores")

    office.goto(f"/assessments/{assessment.pk}/")
    office.click("main button:has-text('结束评分，汇总审核')")
    office.wait_for_selector("main button:has-text('审核通过，锁定并公示')")
    stale = open_page()  # a second tab, left on the review page: used in step 8
    login(stale, "office", PASSWORD)
    stale.goto(f"/assessments/{assessment.pk}/")
    office.click("main button:has-text('审核通过，锁定并公示')")
    office.wait_for_selector("main .messages li:has-text('公示')")
    shot(office, "28-published")
    section.refresh_from_db()
    assert (section.total, section.grade) == (Decimal("86.50"), "良")

    # 6. The head appeals for their section during the notice.
    head.goto(f"/assessments/{assessment.pk}/subjects/{section.pk}/")
    assert "86.50" in head.locator("main").inner_text()
    head.fill("#a-reason", "10月改善民生指标中的农村饮水工程已于10月28日完工通水，请复核。")
    head.click("main button:has-text('提交申诉')")
    head.wait_for_selector("main .messages li:has-text('申诉已提交')")
    shot(head, "29-head-appeals")
    appeal = Appeal.objects.get(subject=section)
    assert appeal.status == AppealStatus.PENDING and appeal.filed_by == cast.head

    # 7. The office upholds it with a changed score; the total is re-aggregated.
    office.goto(f"/assessments/{assessment.pk}/appeals/")
    office.click(f"main a:has-text('{cast.section.name}')")
    office.fill("input[name='v:indicators.livelihood']", "96")
    office.fill("input[name='r:indicators.livelihood']", "饮水工程已完工，仍有一处水质检测待补")
    office.fill("#d-decision", "经现场核实，饮水工程已完工通水，改善民生调整为96分。")
    shot(office, "2a-office-decides-appeal")
    office.click("main button:has-text('申诉成立')")
    office.wait_for_load_state()
    appeal.refresh_from_db()
    section.refresh_from_db()
    assert appeal.status == AppealStatus.UPHELD
    assert (section.total, section.grade) == (Decimal("90.98"), "优")

    # 8. The office finalises (early, with a reason); the month is read-only.
    office.goto(f"/assessments/{assessment.pk}/")
    office.fill("input[name=override_reason]", "申诉已处理完毕，领导小组同意提前定案")
    office.click("main button:has-text('定案')")
    office.wait_for_selector("main .messages li:has-text('已定案')")
    shot(office, "2b-finalised")
    assessment.refresh_from_db()
    assert assessment.status == Status.FINAL

    # The stale tab still offers "重新汇总": the write is refused and nothing changes.
    stale.click("main button:has-text('重新汇总')")
    stale.wait_for_selector("main .messages li:has-text('考核已定案')")
    shot(stale, "2c-write-refused")
    # A score posted directly is refused too.
    token = next(c["value"] for c in office.context.cookies() if c["name"] == "csrftoken")
    response = office.request.post(
        f"/assessments/{assessment.pk}/subjects/{section.pk}/score/",
        form={"v:public": "100", "ver:public": "1", "o:public": "95", "or:public": ""},
        headers={"X-CSRFToken": token},
    )
    assert response.status == 403
    section.refresh_from_db()
    assert section.total == Decimal("90.98")
    assert Subject.objects.get(pk=section.pk).scores.get(node="public").value == 95

    # The results page ranks the month for everyone.
    cadre.goto("/results/")
    ranking = cadre.locator("main").inner_text()
    assert re.search(r"社会事务办.*白莲村.*经济发展办.*90\.98", ranking, re.S), ranking
    shot(cadre, "2d-results-on-phone")
    assert Assessment.objects.get(pk=assessment.pk).status == Status.FINAL
