"""公众评议 results and the printed invitations: who may, who may not, what is shown."""

from __future__ import annotations

import re

import pytest
import segno
from django.urls import reverse

from jixiao.appraisal.models import InvitationCode, SampleMember
from jixiao.appraisal.responses import code_hash, response_submit
from jixiao.appraisal.services import round_close
from jixiao.audit.models import AuditEvent
from tests.appraisal.respondent_world import RespondentWorld, build_respondent_world
from tests.appraisal.test_results import answer_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def rw(cast) -> RespondentWorld:
    return build_respondent_world(cast)


def _get(client, user, url: str, status: int = 200) -> str:
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == status
    return response.content.decode()


def test_results_while_collecting_show_response_rates_only(client, cast, rw):
    answer_case(rw)
    page = _get(client, cast.office, reverse("appraisal_results:detail", args=[rw.round.pk]))
    assert "各类别应答情况" in page and "83.3%" in page  # 城镇居民: 5 answers, 6 drawn
    assert "结束后才公布" in page
    assert "79.67" not in page
    assert reverse("appraisal_results:codes", args=[rw.round.pk]) in page


def test_results_once_closed_show_index_margin_weights_and_suppression(client, cast, rw):
    answer_case(rw)
    round_close(actor=cast.office, appraisal_round=rw.round)
    for user in (cast.office, cast.leader):
        page = _get(client, user, reverse("appraisal_results:detail", args=[rw.round.pk]))
        assert "满意度指数 79.67 ± 9.15" in page
        assert "不公布" in page  # 白莲村 and 企业主 (fewer than 5 answers)
        assert "0.800" in page and "1.200" in page  # post-stratification weights
        assert "33.33%" in page  # W_h of 城镇居民
        assert "非常满意" in page
    # The leader reads, only the office prints.
    assert reverse("appraisal_results:codes", args=[rw.round.pk]) not in page


@pytest.mark.parametrize("who", ["head", "handler", "cadre", "nobody"])
def test_others_in_the_township_may_not_read_results(client, cast, rw, who):
    _get(client, getattr(cast, who), reverse("appraisal_results:detail", args=[rw.round.pk]), 403)


def test_another_township_gets_404(client, cast, rw):
    _get(client, cast.outsider, reverse("appraisal_results:detail", args=[rw.round.pk]), 404)
    _get(client, cast.outsider, reverse("appraisal_results:codes", args=[rw.round.pk]), 404)


def test_results_page_query_count_does_not_grow_with_answers(
    client, cast, rw, django_assert_max_num_queries
):
    answer_case(rw)
    answer_case(rw)
    round_close(actor=cast.office, appraisal_round=rw.round)
    client.force_login(cast.office)
    with django_assert_max_num_queries(14):
        response = client.get(reverse("appraisal_results:detail", args=[rw.round.pk]))
    assert response.status_code == 200


def test_only_the_office_prints_codes(client, cast, rw):
    url = reverse("appraisal_results:codes", args=[rw.round.pk])
    for user in (cast.leader, cast.head, cast.handler):
        _get(client, user, url, 403)
        assert client.post(url, {"for": "sample"}).status_code == 403
    assert not InvitationCode.objects.exists()


def test_printing_for_the_sample_issues_codes_once_with_qr_codes(client, cast, rw):
    url = reverse("appraisal_results:codes", args=[rw.round.pk])
    page = _get(client, cast.office, url)
    assert "尚未完成的受访者 20 人" in page
    response = client.post(url, {"for": "sample"})
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    html = response.content.decode()
    codes = re.findall(r'<div class="code">([0-9A-Z]{5})-([0-9A-Z]{5})</div>', html)
    codes = [a + b for a, b in codes]
    assert len(codes) == 20
    assert html.count("<svg") == 20
    # Each QR code encodes the absolute answer URL of its own code.
    for code in codes:
        qr = segno.make(f"http://testserver/s/{code}/", error="m")
        assert qr.svg_inline(scale=3, border=2) in html
    assert "公众评议邀请函" in html and "@page" in html
    stored = InvitationCode.objects.filter(round=rw.round)
    assert {c.code_hash for c in stored} == {code_hash(c) for c in codes}
    assert set(stored.values_list("member_id", flat=True)) == set(
        SampleMember.objects.filter(round=rw.round).values_list("pk", flat=True)
    )
    # Shown once: the form page no longer offers them, and a second print issues none.
    assert "已发放邀请码 20 个" in _get(client, cast.office, url)
    response = client.post(url, {"for": "sample"}, follow=True)
    assert "没有需要发放邀请码的样本" in response.content.decode()
    assert InvitationCode.objects.count() == 20
    assert AuditEvent.objects.filter(action="appraisal.codes_issue").count() == 1


def test_printing_by_stratum(client, cast, rw):
    url = reverse("appraisal_results:codes", args=[rw.round.pk])
    client.force_login(cast.office)
    page = client.get(url).content.decode()
    strata = re.findall(r'<label for="n(\d+)">([^<]+)</label>', page)
    index = {name: i for i, name in strata}
    response = client.post(url, {"for": "count", f"n{index['企业主']}": "3"})
    assert response.status_code == 200
    assert response.content.decode().count("<svg") == 3
    assert list(InvitationCode.objects.values_list("stratum", flat=True)) == ["企业主"] * 3
    bad = client.post(url, {"for": "count", f"n{index['企业主']}": "x"}, follow=True)
    assert "非负整数" in bad.content.decode()
    assert InvitationCode.objects.count() == 3


def test_no_codes_for_a_closed_round(client, cast, rw):
    round_close(actor=cast.office, appraisal_round=rw.round)
    url = reverse("appraisal_results:codes", args=[rw.round.pk])
    assert "不能再发放邀请码" in _get(client, cast.office, url)
    response = client.post(url, {"for": "sample"}, follow=True)
    assert "已结束" in response.content.decode()
    assert not InvitationCode.objects.exists()


def test_a_stratum_with_one_answer_is_said_to_understate_the_margin(client, cast, rw):
    answer_case(rw)
    response_submit(round=rw.round, answers=rw.answers(), mode="face", stratum="人大代表")
    round_close(actor=cast.office, appraisal_round=rw.round)
    page = _get(client, cast.leader, reverse("appraisal_results:detail", args=[rw.round.pk]))
    assert "人大代表只有 1 份答卷" in page


def _points_table(page: str) -> list[tuple[str, str]]:
    table = page[page.index('id="points"') : page.index("</table>", page.index('id="points"'))]
    labels = re.findall(r'<th class="num">([^<]+)</th>', table)
    values = re.findall(r'<td class="num">([^<]+)</td>', table)
    return list(zip(labels, values, strict=True))


def test_a_stratum_is_withheld_with_the_lone_suppressed_one_and_the_page_says_why(client, cast, rw):
    answer_case(rw)
    round_close(actor=cast.office, appraisal_round=rw.round)
    page = _get(client, cast.leader, reverse("appraisal_results:detail", args=[rw.round.pk]))
    section = page[page.index(f'id="unit-{cast.section.pk}"') :]
    section = section[: section.index("</table>")]
    assert "80.00" in section  # 城镇居民 shown
    assert "76.00" not in section  # 农村居民 withheld with 企业主 (2 answers)
    assert section.count('badge warn">不公布') == 2
    assert section.count("为防止反推，一并不公布") == 1


def test_the_explanation_shows_the_default_points(client, cast, rw):
    answer_case(rw)
    round_close(actor=cast.office, appraisal_round=rw.round)
    page = _get(client, cast.leader, reverse("appraisal_results:detail", args=[rw.round.pk]))
    assert _points_table(page) == [
        ("非常满意", "100"),
        ("满意", "80"),
        ("基本满意", "60"),
        ("不满意", "40"),
        ("非常不满意", "20"),
    ]
    assert "本轮自定" not in page


def test_the_explanation_shows_the_rounds_own_points(client, cast, rw):
    rw.round.points = {"5": 100, "4": 75, "3": 50, "2": 25, "1": 0}
    rw.round.save(update_fields=["points"])
    answer_case(rw)
    round_close(actor=cast.office, appraisal_round=rw.round)
    page = _get(client, cast.office, reverse("appraisal_results:detail", args=[rw.round.pk]))
    assert _points_table(page) == [
        ("非常满意", "100"),
        ("满意", "75"),
        ("基本满意", "50"),
        ("不满意", "25"),
        ("非常不满意", "0"),
    ]
    assert "档次分值（本轮自定）" in page
    assert "非常满意 100、满意 80" not in page
    # The index uses the same points: 企业主 100, 75 (ȳ 87.5); 城镇居民 100, 75, 75, 75, 50
    # (ȳ 75); 农村居民 75, 75, 75, 25, 100 (ȳ 70): 6/36·87.5 + 12/36·75 + 18/36·70 = 74.58.
    assert "满意度指数 74.58" in page
