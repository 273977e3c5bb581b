"""公众评议 on a phone: a respondent opens the invitation's link, answers, cannot answer twice."""

import pytest

from jixiao.appraisal.models import InvitationCode, Response
from jixiao.appraisal.responses import code_display, codes_issue
from jixiao.appraisal.services import round_close
from tests.appraisal.respondent_world import build_respondent_world
from tests.appraisal.test_results import answer_case
from tests.browser.conftest import login
from tests.cast import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_respondent_answers_on_a_phone_and_cannot_answer_twice(open_page, shot, cast):
    rw = build_respondent_world(cast)
    [code] = codes_issue(actor=cast.office, round=rw.round, count_by_stratum={"农村居民": 1})
    page = open_page(width=390, height=844)

    # Typed from the paper invitation, lower case and with the dash.
    page.goto("/s/")
    shot(page, "50-survey-code-form")
    page.fill("input[name=code]", code_display(code).lower())
    page.click("button[type=submit]")
    page.wait_for_url(f"**/s/{code}/")
    assert page.locator("fieldset").count() == 6
    shot(page, "51-survey-questionnaire")

    # Submitting with question 2 unanswered names it and keeps question 1's answer.
    page.locator(f"fieldset#q{rw.questions[0].pk} label", has_text="非常满意").click()
    page.locator(f"fieldset#q{rw.questions[3].pk} label", has_text="微信").click()
    page.locator(f"fieldset#q{rw.questions[4].pk} label", has_text="道路").click()
    page.locator(f"fieldset#q{rw.questions[4].pk} label", has_text="医疗").click()
    page.click("button.s-submit")
    assert "第 2 题" in page.locator(f"fieldset#q{rw.questions[1].pk}").inner_text()
    assert page.locator(f"fieldset#q{rw.questions[0].pk} input[value='5']").is_checked()
    shot(page, "52-survey-missing-answer")
    assert not Response.objects.exists()

    page.locator(f"fieldset#q{rw.questions[1].pk} label", has_text="基本满意").click()
    page.fill(f"textarea[name=q{rw.questions[5].pk}]", "希望村道早日硬化")
    page.click("button.s-submit")
    page.wait_for_url("**/s/thanks/")
    assert "感谢" in page.inner_text("main")
    shot(page, "53-survey-thanks")
    response = Response.objects.get()
    assert response.stratum == "农村居民"
    assert response.answers[str(rw.questions[0].pk)] == 5
    assert response.answers[str(rw.questions[1].pk)] == 3
    assert response.answers[str(rw.questions[4].pk)] == [0, 2]
    assert InvitationCode.objects.get().used

    # The same link again (the browser's back button, or a second person): refused.
    answer = page.goto(f"/s/{code}/")
    assert answer.status == 404
    assert "已经使用过" in page.inner_text("main")
    assert page.locator("fieldset").count() == 0
    shot(page, "54-survey-code-used")
    assert Response.objects.count() == 1


def test_the_office_reads_the_results_and_prints_invitations(open_page, shot, cast):
    rw = build_respondent_world(cast)
    answer_case(rw)
    page = open_page()
    login(page, "office", PASSWORD)
    page.goto(f"/appraisal-results/{rw.round.pk}/codes/")
    page.click("form:has(input[value=sample]) button[type=submit]")
    page.wait_for_load_state()
    assert page.locator(".card svg").count() == 20
    page.emulate_media(media="print")
    shot(page, "55-appraisal-invitations-print")
    page.emulate_media(media="screen")
    round_close(actor=cast.office, appraisal_round=rw.round)
    page.goto(f"/appraisal-results/{rw.round.pk}/")
    assert "满意度指数 79.67 ± 9.15" in page.inner_text("main")
    shot(page, "56-appraisal-results")
