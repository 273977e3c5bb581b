"""Invitation codes and responses: issue, answer once, validation naming the question."""

from __future__ import annotations

import hashlib

import pytest
from django.core.exceptions import ValidationError

from jixiao.appraisal.models import (
    Disposition,
    InvitationCode,
    Response,
    RoundStatus,
    SampleMember,
)
from jixiao.appraisal.responses import (
    ALPHABET,
    CODE_LENGTH,
    code_display,
    code_normalise,
    codes_issue,
    response_submit,
    responses_reshuffle,
)
from jixiao.appraisal.services import round_close
from jixiao.audit.models import AuditEvent
from tests.appraisal.respondent_world import RespondentWorld, build_respondent_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def rw(cast) -> RespondentWorld:
    return build_respondent_world(cast)


def _members(rw: RespondentWorld) -> list[SampleMember]:
    return list(SampleMember.objects.filter(round=rw.round).order_by("position"))


def test_codes_for_the_sample_one_per_member_and_only_hashes_stored(cast, rw):
    members = _members(rw)
    codes = codes_issue(actor=cast.office, round=rw.round, members=members)
    assert len(codes) == len(members) == 20
    assert len(set(codes)) == 20
    for code in codes:
        assert len(code) == CODE_LENGTH
        assert set(code) <= set(ALPHABET)
        assert not set(code) & set("01ILO")
    stored = list(InvitationCode.objects.filter(round=rw.round).select_related("member"))
    assert {c.code_hash for c in stored} == {hashlib.sha256(c.encode()).hexdigest() for c in codes}
    assert {c.member_id for c in stored} == {m.pk for m in members}
    assert all(c.stratum == c.member.stratum for c in stored)
    # The plain code is in no column of any code row.
    for row in InvitationCode.objects.filter(round=rw.round).values():
        assert not any(code in str(value) for value in row.values() for code in codes)
    # Members who have a code get no second one.
    with pytest.raises(ValidationError) as exc:
        codes_issue(actor=cast.office, round=rw.round, members=members)
    assert "没有需要发放" in str(exc.value)


def test_codes_by_stratum_are_audited_as_counts_only(cast, rw):
    codes = codes_issue(
        actor=cast.office, round=rw.round, count_by_stratum={"企业主": 2, "农村居民": 3}
    )
    assert len(codes) == 5
    assert sorted(InvitationCode.objects.values_list("stratum", flat=True)) == (
        ["企业主"] * 2 + ["农村居民"] * 3
    )
    event = AuditEvent.objects.get(action="appraisal.codes_issue")
    assert event.after["by_stratum"] == {"企业主": 2, "农村居民": 3}
    assert not any(code in event.summary + str(event.after) for code in codes)


@pytest.mark.parametrize(
    ("counts", "message"),
    [({"外星人": 1}, "外星人"), ({"企业主": -1}, "企业主"), ({}, "至少")],
)
def test_bad_code_requests_are_refused(cast, rw, counts, message):
    with pytest.raises(ValidationError) as exc:
        codes_issue(actor=cast.office, round=rw.round, count_by_stratum=counts)
    assert message in str(exc.value)
    assert not InvitationCode.objects.exists()


def test_no_codes_for_a_closed_round(cast, rw):
    round_close(actor=cast.office, appraisal_round=rw.round)
    with pytest.raises(ValidationError, match="已结束"):
        codes_issue(actor=cast.office, round=rw.round, count_by_stratum={"企业主": 1})


def test_code_normalise_accepts_what_people_type():
    assert code_normalise("abcde-23456") == "ABCDE23456"
    assert code_normalise(" ABCDE 23456 ") == "ABCDE23456"
    assert code_normalise("ABCDE2345O") == ""  # O is not in the alphabet
    assert code_normalise("ABCDE2345") == ""
    assert code_display("ABCDE23456") == "ABCDE-23456"


def test_a_code_answers_once_and_marks_its_member_completed(cast, rw):
    member = _members(rw)[0]
    [code] = codes_issue(actor=cast.office, round=rw.round, members=[member])
    response = response_submit(
        round=rw.round, answers=rw.answers(text="路灯要修"), mode="web", code=code.lower()
    )
    assert response.stratum == member.stratum
    assert response.mode == "web"
    assert response.answers == {
        rw.q(1): 4,
        rw.q(2): 4,
        rw.q(4): 0,
        rw.q(5): [1],
        rw.q(6): "路灯要修",
    }
    assert InvitationCode.objects.get(member=member).used
    member.refresh_from_db()
    assert member.status == Disposition.COMPLETED
    with pytest.raises(ValidationError, match="已使用"):
        response_submit(round=rw.round, answers=rw.answers(), mode="web", code=code)
    assert Response.objects.count() == 1


def test_unknown_code_and_web_without_code_are_refused(rw):
    with pytest.raises(ValidationError, match="无效"):
        response_submit(round=rw.round, answers=rw.answers(), mode="web", code="ABCDE23456")
    with pytest.raises(ValidationError, match="需要邀请码"):
        response_submit(round=rw.round, answers=rw.answers(), mode="web")
    assert not Response.objects.exists()


def test_a_code_of_another_round_does_not_work(cast, rw):
    other = build_respondent_world_round_copy(cast, rw)
    [code] = codes_issue(actor=cast.office, round=other, count_by_stratum={"企业主": 1})
    with pytest.raises(ValidationError, match="无效"):
        response_submit(round=rw.round, answers=rw.answers(), mode="web", code=code)


def build_respondent_world_round_copy(cast, rw):
    from jixiao.appraisal.services import round_create

    return round_create(
        actor=cast.office,
        org=cast.org,
        year=rw.year,
        period=rw.period,
        name="另一轮",
        frame=rw.round.frame,
        questionnaire=rw.round.questionnaire,
        sample_size=5,
        seed="x",
    )


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"s1": None}, "第 1 题"),
        ({"s2": 6}, "第 2 题"),
        ({"s2": "很好"}, "第 2 题"),
        ({"village": 0}, "第 3 题"),
        ({"single": 2}, "第 4 题"),
        ({"single": True}, "第 4 题"),
        ({"multiple": (0, 0)}, "第 5 题"),
        ({"multiple": (3,)}, "第 5 题"),
        ({"multiple": ()}, "第 5 题"),
        ({"text": "字" * 2001}, "第 6 题"),
    ],
)
def test_validation_names_the_question_and_saves_nothing(cast, rw, change, message):
    [code] = codes_issue(actor=cast.office, round=rw.round, count_by_stratum={"企业主": 1})
    answers = rw.answers(**{k: v for k, v in change.items() if k != "s1"})
    if "s1" in change:
        del answers[rw.q(1)]
    with pytest.raises(ValidationError) as exc:
        response_submit(round=rw.round, answers=answers, mode="web", code=code)
    assert any(message in m for m in exc.value.messages), exc.value.messages
    assert not Response.objects.exists()
    assert not InvitationCode.objects.get().used  # the code still works


def test_an_unknown_question_is_named(rw):
    answers = {**rw.answers(), "99999": 5}
    with pytest.raises(ValidationError, match="99999"):
        response_submit(round=rw.round, answers=answers, mode="phone", stratum="企业主")


def test_interviewer_modes_take_the_stratum(rw):
    response = response_submit(
        round=rw.round, answers=rw.answers(village=5), mode="phone", stratum="农村居民"
    )
    assert (response.stratum, response.mode) == ("农村居民", "phone")
    assert response.answers[rw.q(3)] == 5
    with pytest.raises(ValidationError, match="类别"):
        response_submit(round=rw.round, answers=rw.answers(), mode="face")
    with pytest.raises(ValidationError, match="外星人"):
        response_submit(round=rw.round, answers=rw.answers(), mode="face", stratum="外星人")
    with pytest.raises(ValidationError, match="方式"):
        response_submit(round=rw.round, answers=rw.answers(), mode="fax", stratum="企业主")


@pytest.mark.parametrize("status", [RoundStatus.DRAFT, RoundStatus.CLOSED])
def test_only_a_collecting_round_takes_answers(cast, rw, status):
    [code] = codes_issue(actor=cast.office, round=rw.round, count_by_stratum={"企业主": 1})
    type(rw.round).objects.filter(pk=rw.round.pk).update(status=status)
    with pytest.raises(ValidationError, match="未在调查中"):
        response_submit(round=rw.round, answers=rw.answers(), mode="web", code=code)
    assert not InvitationCode.objects.get().used


def test_reshuffle_keeps_the_answers_under_new_keys(rw):
    for level in (1, 2, 3, 4, 5):
        response_submit(
            round=rw.round, answers=rw.answers(s1=level), mode="phone", stratum="城镇居民"
        )
    before = list(Response.objects.values_list("id", "answers"))
    assert responses_reshuffle(round=rw.round) == 5
    after = list(Response.objects.values_list("id", "answers"))
    assert not {pk for pk, _a in before} & {pk for pk, _a in after}
    key = rw.q(1)
    assert sorted(a[key] for _pk, a in after) == [1, 2, 3, 4, 5]
