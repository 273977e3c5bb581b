"""The public answer page: no login, one answer per code, one refusal for every bad code."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from jixiao.appraisal.models import InvitationCode, Response
from jixiao.appraisal.responses import codes_issue
from jixiao.appraisal.services import round_close
from tests.appraisal.respondent_world import RespondentWorld, build_respondent_world

pytestmark = pytest.mark.django_db

REFUSAL = "邀请码不正确、已经使用过，或本次评议已经结束"


@pytest.fixture
def rw(cast) -> RespondentWorld:
    return build_respondent_world(cast)


@pytest.fixture
def code(cast, rw) -> str:
    [code] = codes_issue(actor=cast.office, round=rw.round, count_by_stratum={"城镇居民": 1})
    return code


def _form(rw: RespondentWorld, **changes) -> dict:
    data = {
        f"q{rw.questions[0].pk}": "5",
        f"q{rw.questions[1].pk}": "4",
        f"q{rw.questions[3].pk}": "1",
        f"q{rw.questions[4].pk}": ["0", "2"],
        f"q{rw.questions[5].pk}": "  多修路  ",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_start_page_needs_no_login_and_sends_a_typed_code_on(client, code):
    page = client.get(reverse("survey:start"))
    assert page.status_code == 200
    assert "请输入邀请码" in page.content.decode()
    typed = f"{code[:5].lower()}-{code[5:]}"
    response = client.get(reverse("survey:start"), {"code": typed})
    assert response.status_code == 302
    assert response["Location"] == reverse("survey:answer", args=[code])
    bad = client.get(reverse("survey:start"), {"code": "0000"})
    assert bad.status_code == 404 and "格式不对" in bad.content.decode()


def test_the_questionnaire_shows_every_question_with_big_choices(client, rw, code):
    page = client.get(reverse("survey:answer", args=[code]))
    assert page.status_code == 200
    html = page.content.decode()
    for question in rw.questions:
        assert question.text in html
    assert html.count('type="radio"') == 3 * 5 + 2
    assert html.count('type="checkbox"') == 3
    assert "csrfmiddlewaretoken" in html
    assert "sessionid" not in page.cookies  # no session for respondents
    assert "no-store" in page["Cache-Control"] or "max-age=0" in page["Cache-Control"]


def test_answering_stores_one_response_and_thanks(client, rw, code):
    response = client.post(reverse("survey:answer", args=[code]), _form(rw))
    assert response.status_code == 302 and response["Location"] == reverse("survey:thanks")
    stored = Response.objects.get()
    assert stored.mode == "web" and stored.stratum == "城镇居民"
    assert stored.answers == {
        str(rw.questions[0].pk): 5,
        str(rw.questions[1].pk): 4,
        str(rw.questions[3].pk): 1,
        str(rw.questions[4].pk): [0, 2],
        str(rw.questions[5].pk): "多修路",
    }
    assert "感谢" in client.get(reverse("survey:thanks")).content.decode()
    # The same code again: refused, GET and POST alike.
    again = client.get(reverse("survey:answer", args=[code]))
    assert again.status_code == 404 and REFUSAL in again.content.decode()
    again = client.post(reverse("survey:answer", args=[code]), _form(rw))
    assert again.status_code == 404 and REFUSAL in again.content.decode()
    assert Response.objects.count() == 1


def test_a_missing_answer_is_named_and_the_choices_are_kept(client, rw, code):
    form = _form(rw, **{f"q{rw.questions[1].pk}": None})
    page = client.post(reverse("survey:answer", args=[code]), form)
    assert page.status_code == 400
    html = page.content.decode()
    assert "第 2 题" in html and "请作答" in html
    assert 'value="5" checked' in html  # question 1 keeps its answer
    assert not Response.objects.exists()
    assert not InvitationCode.objects.get().used


def test_unknown_used_and_closed_codes_get_the_same_refusal(cast, client, rw, code):
    unknown = client.get(reverse("survey:answer", args=["ABCDE23456"]))
    malformed = client.get(reverse("survey:answer", args=["hello"]))
    round_close(actor=cast.office, appraisal_round=rw.round)
    closed = client.get(reverse("survey:answer", args=[code]))
    bodies = set()
    for response in (unknown, malformed, closed):
        assert response.status_code == 404
        assert REFUSAL in response.content.decode()
        bodies.add(response.content.decode())
    assert len(bodies) == 1  # nothing tells a guesser which case it was


def test_csrf_is_enforced(rw, code):
    strict = Client(enforce_csrf_checks=True)
    response = strict.post(reverse("survey:answer", args=[code]), _form(rw))
    assert response.status_code == 403
    assert not Response.objects.exists()
    page = strict.get(reverse("survey:answer", args=[code]))
    token = page.cookies["csrftoken"].value
    form = {**_form(rw), "csrfmiddlewaretoken": token}
    response = strict.post(reverse("survey:answer", args=[code]), form)
    assert response.status_code == 302


def test_pages_cost_few_queries(client, rw, code, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        client.get(reverse("survey:answer", args=[code]))
    with django_assert_max_num_queries(2):
        client.get(reverse("survey:answer", args=["ABCDE23456"]))
    with django_assert_max_num_queries(12):
        client.post(reverse("survey:answer", args=[code]), _form(rw))
