"""The 001 monthly task-force competition, with totals made by hand."""

from __future__ import annotations

from decimal import Decimal

import pytest

from jixiao.assessments.models import Status
from jixiao.rankings.competition import CompetitionResult, Entry, competition_for, decide
from tests.rankings.factory import make_haiyong, month_with, period


def e(label: str, total: str) -> Entry:
    return Entry(subject_id=0, assessment_id=0, label=label, total=Decimal(total))


def labels(entries: list[Entry]) -> list[str]:
    return [x.label for x in entries]


# --- decide: the rule itself ------------------------------------------------------


def test_one_best_one_last_and_the_two_lowest_members() -> None:
    groups = [e("一组", "91"), e("二组", "88.5"), e("三组", "95"), e("四组", "70")]
    members = [e("甲", "80"), e("乙", "60"), e("丙", "75"), e("丁", "90")]
    decision = decide(groups, members)
    assert labels(decision.best) == ["三组"]
    assert labels(decision.last) == ["四组"]
    assert labels(decision.bottom) == ["乙", "丙"]  # lowest first
    assert decision.notes == []


def test_tied_best_and_tied_last_name_every_tied_group() -> None:
    groups = [e("一组", "95"), e("二组", "70"), e("三组", "95"), e("四组", "70"), e("五组", "80")]
    decision = decide(groups, [])
    assert labels(decision.best) == ["一组", "三组"]
    assert labels(decision.last) == ["二组", "四组"]
    assert any("并列最高分" in n for n in decision.notes)
    assert any("并列最低分" in n for n in decision.notes)


def test_all_groups_equal_no_last_group() -> None:
    decision = decide([e("一组", "90"), e("二组", "90")], [])
    assert labels(decision.best) == ["一组", "二组"]
    assert decision.last == []
    assert any("不评末位" in n for n in decision.notes)


def test_bottom_two_takes_everyone_tied_with_the_second_lowest() -> None:
    members = [e("甲", "60"), e("乙", "75"), e("丙", "75"), e("丁", "90")]
    decision = decide([], members)
    assert labels(decision.bottom) == ["甲", "丙", "乙"]  # ties by label (code point)
    assert any("第2位有 2 人同分" in n for n in decision.notes)


def test_bottom_two_when_three_share_the_lowest_total() -> None:
    members = [e("甲", "60"), e("乙", "60"), e("丙", "60"), e("丁", "90")]
    decision = decide([], members)
    assert labels(decision.bottom) == ["丙", "乙", "甲"]  # equal totals: by label
    assert any("最低分有 3 人并列" in n for n in decision.notes)


def test_bottom_two_of_two_members_is_both() -> None:
    assert labels(decide([], [e("甲", "90"), e("乙", "80")]).bottom) == ["乙", "甲"]


# --- competition_for: reading the month's published assessments ------------------


@pytest.fixture
def haiyong(cast):
    return make_haiyong(cast)


def test_competition_from_the_months_assessments(haiyong) -> None:
    month = month_with(
        haiyong,
        3,
        ["92", "85", "78.5", "88"],
        ["90", "72", "85", "66", "95", "80", "70", None],
        outside_total="10",  # lowest of all, but in no task force: not counted
    )
    result = competition_for(month)
    assert result is not None
    assert result.period_label == "3月"
    assert labels(result.best) == ["第一指挥组"]
    assert [x.total for x in result.best] == [Decimal("92.00")]
    assert labels(result.last) == ["第三指挥组"]
    # 成员4 66 (第二指挥组), 成员7 70 (第四指挥组); 成员8 has no total.
    assert labels(result.bottom) == ["成员4", "成员7"]
    assert [x.note for x in result.bottom] == ["第二指挥组", "第四指挥组"]
    assert result.groups_scored == 4 and result.members_scored == 7
    assert result.complete
    assert "并列处理" in result.tie_rule


def test_competition_ties(haiyong) -> None:
    month = month_with(
        haiyong,
        4,
        ["90", "90", "80", "80"],
        ["70", "60", "70", "90", "95", "96", "97", "98"],
    )
    result = competition_for(month)
    assert labels(result.best) == ["第一指挥组", "第二指挥组"]
    assert labels(result.last) == ["第三指挥组", "第四指挥组"]
    assert labels(result.bottom) == ["成员2", "成员1", "成员3"]


def test_unpublished_assessments_give_no_competition(haiyong) -> None:
    month = month_with(haiyong, 5, ["90", "80", "70", "60"], None, status=Status.REVIEW)
    assert competition_for(month) is None


def test_person_assessment_not_yet_published_leaves_bottom_two_open(haiyong) -> None:
    month = month_with(
        haiyong, 6, ["90", "80", "70", "60"], ["1"] * 8, person_status=Status.SCORING
    )
    result = competition_for(month)
    assert labels(result.best) == ["第一指挥组"] and labels(result.last) == ["第四指挥组"]
    assert result.bottom == [] and not result.complete
    assert any("个人考核尚未公示" in n for n in result.notes)


def test_fewer_than_two_scored_groups_is_no_competition(haiyong) -> None:
    month = month_with(haiyong, 7, ["90", None, None, None], None)
    assert competition_for(month) is None


def test_only_months(haiyong) -> None:
    assert competition_for(period(haiyong.year, "quarter", 1)) is None


def test_json_round_trip(haiyong) -> None:
    month = month_with(haiyong, 8, ["90", "80", "70", "60"], ["50"] * 8)
    result = competition_for(month)
    assert CompetitionResult.from_json(result.to_json()) == result
