"""The office interviews a sampled respondent by phone, in the browser.

A 40-person frame and a 10-person sample are built with the services; in
Chromium the office draws nothing more: it opens the round, goes to the call
list, reveals one number (htmx, audited), records "completed" with the answers,
and the member is done while the response keeps no trace of them.
"""

from __future__ import annotations

import pytest

from jixiao.appraisal.models import Disposition, Questionnaire, Respondent, Response
from jixiao.appraisal.services import member_claim, round_draw, round_open
from jixiao.audit.models import AuditEvent
from jixiao.organisation.models import Role
from jixiao.organisation.services import role_grant
from tests.appraisal.office_world import build_office_world, frame_csv
from tests.browser.conftest import login
from tests.cast import PASSWORD, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_office_opens_a_round_and_completes_a_phone_interview(open_page, shot, cast):
    world = build_office_world(cast)
    round_draw(actor=cast.office, appraisal_round=world.round)
    page = open_page()
    login(page, "office", PASSWORD)
    page.goto(f"/appraisal/rounds/{world.round.pk}/")
    page.get_by_role("button", name="开始调查").click()
    page.wait_for_selector("text=调查中")
    shot(page, "appraisal-round-detail")
    page.get_by_role("link", name="电话访问").click()
    page.get_by_role("link", name="拨打").first.click()
    page.get_by_role("button", name="显示完整号码（将留记录）").click()
    number = page.locator("#phone a[href^='tel:']")
    number.wait_for()
    assert len(number.inner_text()) == 11
    page.check("input[name=disposition][value=completed]")
    for radio in page.locator("input[type=radio][value='4']").all():
        radio.check()
    shot(page, "appraisal-call")
    page.get_by_role("button", name="保存访问结果").click()
    page.wait_for_selector("text=已记录样本")
    shot(page, "appraisal-calls")
    member = world.round.members.order_by("position").first()
    member.refresh_from_db()
    assert member.status == Disposition.COMPLETED
    response = Response.objects.get()
    assert response.mode == "phone" and set(response.answers.values()) == {4}
    assert AuditEvent.objects.filter(action="appraisal.phone_reveal").count() == 1


def test_office_imports_a_frame_and_builds_a_questionnaire(open_page, shot, cast, tmp_path):
    page = open_page()
    login(page, "office", PASSWORD)
    page.goto("/appraisal/frames/import/")
    csv = tmp_path / "抽样框.csv"
    csv.write_bytes(frame_csv())
    page.fill("input[name=name]", "七月抽样框")
    page.set_input_files("input[name=file]", str(csv))
    page.get_by_role("button", name="试运行").click()
    page.wait_for_selector("text=预览（试运行）")
    shot(page, "appraisal-frame-preview")
    assert Respondent.objects.count() == 0
    page.get_by_role("button", name="确认导入").click()
    page.wait_for_selector("text=抽样框已导入")
    assert Respondent.objects.count() == 40
    shot(page, "appraisal-frame-detail")

    page.goto("/appraisal/questionnaires/")
    page.check(f"input[name=units][value='{cast.section.pk}']")
    page.get_by_role("button", name="生成问卷").click()
    page.wait_for_selector("text=已按标准模板生成问卷")
    assert page.locator("fieldset.question-row").count() == 3
    page.get_by_role("button", name="添加一题").click()  # htmx: the builder only
    page.wait_for_function("document.querySelectorAll('fieldset.question-row').length === 4")
    page.select_option("select[name=q3-kind]", "single")
    page.fill("input[name=q3-text]", "您的年龄段")
    page.fill("textarea[name=q3-options]", "35 岁以下\n35–60 岁\n60 岁以上")
    shot(page, "appraisal-builder")
    page.get_by_role("button", name="保存问卷").click()
    page.wait_for_selector("text=问卷已保存")
    questionnaire = Questionnaire.objects.get()
    assert questionnaire.questions.count() == 4
    assert questionnaire.questions.get(order=4).options == ["35 岁以下", "35–60 岁", "60 岁以上"]


def test_the_call_page_fits_a_phone(open_page, shot, cast):
    world = build_office_world(cast)
    round_draw(actor=cast.office, appraisal_round=world.round)
    round_open(actor=cast.office, appraisal_round=world.round)
    member = world.round.members.order_by("position").first()
    page = open_page(390, 844)
    login(page, "office", PASSWORD)
    page.goto(f"/appraisal/rounds/{world.round.pk}/calls/{member.pk}/")
    width = page.evaluate("document.documentElement.scrollWidth")
    shot(page, "appraisal-call-phone")
    assert width <= 390


def test_a_second_interviewer_sees_a_claimed_member_as_taken(open_page, shot, cast):
    world = build_office_world(cast)
    round_draw(actor=cast.office, appraisal_round=world.round)
    round_open(actor=cast.office, appraisal_round=world.round)
    member = world.round.members.order_by("position").first()
    assert member_claim(actor=cast.office, member=member)  # 王芳 has the call page open
    colleague = make_user("office2", "何", "敏")
    role_grant(actor=None, user=colleague, org=cast.org, role=Role.OFFICE, unit=None)
    page = open_page()
    login(page, "office2", PASSWORD)
    page.goto(f"/appraisal/rounds/{world.round.pk}/calls/")
    taken = page.locator("h2:text('他人正在联系') + table")
    assert taken.locator("text=受访者").count() == 1
    assert taken.get_by_role("link", name="拨打").count() == 0
    shot(page, "appraisal-calls-taken")
    page.goto(f"/appraisal/rounds/{world.round.pk}/calls/{member.pk}/")
    page.wait_for_selector("text=王芳正在联系该样本")
    assert page.get_by_role("button", name="保存访问结果").count() == 0
    shot(page, "appraisal-call-taken")
