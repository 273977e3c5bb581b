"""Results of a round against a case computed by hand, and the index in the assessment.

The case (frame N_h: 人大代表 4, 企业主 6, 城镇居民 12, 农村居民 18; points 100/80/60/40/20).
经济发展办 has two scale items; a respondent's score is the mean of their two answers:
- 企业主 (2 answers, suppressed as a stratum but counted): 100, 80          → ȳ 90, s² 200
- 城镇居民 (5): 100, 80, 80, 80, 60                                          → ȳ 80, s² 200
- 农村居民 (5): 80, 80, 80, 40, 100                                          → ȳ 76, s² 480
- 人大代表: no answers, so W_h renormalise over N = 6 + 12 + 18 = 36.
index    = 6/36·90 + 12/36·80 + 18/36·76 = 15 + 26.667 + 38 = 79.667 → 79.67
variance = (1/6)²·200/2·(1 − 2/6) + (1/3)²·200/5·(1 − 5/12) + (1/2)²·480/5·(1 − 5/18)
         = 50/27 + 70/27 + 52/3 = 196/9;  margin = 1.96 · 14/3 = 9.1467 → 9.15
Post-stratification weights (n = 12): 企业主 (6/36)/(2/12) = 1, 城镇居民 (12/36)/(5/12) = 0.8,
农村居民 (18/36)/(5/12) = 1.2.
白莲村's optional item is answered by 4 people only: suppressed (fewer than 5).
Complementary suppression: 企业主 is the one stratum withheld while the index is
shown, so 农村居民 (5 answers, like 城镇居民, but first by name) is withheld too.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from jixiao.appraisal.models import Disposition, SampleMember
from jixiao.appraisal.responses import response_submit
from jixiao.appraisal.selectors import round_results
from jixiao.appraisal.services import call_record, round_close
from jixiao.assessments.inputs import ballot_results, gather_inputs
from jixiao.assessments.models import Score, Subject
from jixiao.assessments.nodes import scheme_of
from jixiao.assessments.services import (
    ScoreInput,
    assessment_aggregate,
    assessment_create,
    assessment_open_scoring,
    scores_save,
)
from jixiao.engine import evaluate
from jixiao.years.models import SubjectKind
from tests.appraisal.respondent_world import RespondentWorld, build_respondent_world

pytestmark = pytest.mark.django_db

# (stratum, first item, second item, village item or None)
CASE = [
    ("企业主", 5, 5, None),
    ("企业主", 4, 4, None),
    ("城镇居民", 5, 5, 4),
    ("城镇居民", 4, 4, 4),
    ("城镇居民", 5, 3, 4),
    ("城镇居民", 4, 4, 4),
    ("城镇居民", 3, 3, None),
    ("农村居民", 4, 4, None),
    ("农村居民", 4, 4, None),
    ("农村居民", 4, 4, None),
    ("农村居民", 2, 2, None),
    ("农村居民", 5, 5, None),
]


def answer_case(rw: RespondentWorld) -> None:
    for number, (stratum, s1, s2, village) in enumerate(CASE):
        response_submit(
            round=rw.round,
            answers=rw.answers(s1=s1, s2=s2, village=village, single=number % 2),
            mode="phone",
            stratum=stratum,
        )


@pytest.fixture
def rw(cast) -> RespondentWorld:
    world = build_respondent_world(cast)
    answer_case(world)
    return world


def test_unit_index_margin_and_strata_match_the_hand_computation(cast, rw):
    results = round_results(rw.round)
    assert results.responses == 12
    section = results.for_unit(cast.section.pk)
    assert section.index == Decimal("79.67")
    assert section.margin == Decimal("9.15")
    assert section.result.n == 12
    assert abs(section.result.index - Decimal(239) / 3) < Decimal("1e-20")
    strata = {s.name: s for s in section.strata}
    assert strata["企业主"].result.suppressed and strata["企业主"].mean is None
    assert strata["城镇居民"].mean == Decimal("80.00")
    # Were 企业主 the only one withheld, (79.667 − 12/36·80 − 18/36·76) ÷ 6/36 = 90 would
    # give it away; so the smallest shown stratum goes too (5 answers each: by name).
    assert strata["农村居民"].mean is None and strata["农村居民"].complementary
    assert not strata["城镇居民"].complementary and not strata["企业主"].complementary
    assert strata["城镇居民"].weight == Decimal("33.33")  # W_h in percent
    assert strata["人大代表"].result.n == 0 and strata["人大代表"].weight is None

    village = results.for_unit(cast.village.pk)
    assert village.result.n == 4
    assert village.result.suppressed and village.index is None


def test_weights_and_response_rates_by_stratum(cast, rw):
    members = {m.stratum: [] for m in SampleMember.objects.filter(round=rw.round)}
    for m in SampleMember.objects.filter(round=rw.round).order_by("position"):
        members[m.stratum].append(m)
    assert {s: len(ms) for s, ms in members.items()} == {
        "人大代表": 2,
        "企业主": 3,
        "城镇居民": 6,
        "农村居民": 9,
    }
    call_record(actor=cast.office, member=members["人大代表"][0], disposition=Disposition.REFUSED)
    call_record(actor=cast.office, member=members["农村居民"][0], disposition=Disposition.NO_ANSWER)
    call_record(
        actor=cast.office, member=members["农村居民"][1], disposition=Disposition.WRONG_NUMBER
    )
    for member in members["城镇居民"][:5]:
        call_record(actor=cast.office, member=member, disposition=Disposition.COMPLETED)
    strata = {s.name: s for s in round_results(rw.round).strata}
    assert strata["企业主"].weight_display == Decimal("1.000")
    assert strata["城镇居民"].weight_display == Decimal("0.800")
    assert strata["农村居民"].weight_display == Decimal("1.200")
    assert strata["人大代表"].weight is None
    assert (strata["城镇居民"].responses, strata["城镇居民"].drawn) == (5, 6)
    assert strata["城镇居民"].rate == Decimal("83.3")
    assert strata["农村居民"].rate == Decimal("55.6")
    assert strata["人大代表"].rate == Decimal("0.0")
    assert strata["城镇居民"].completed == 5
    assert strata["人大代表"].refused == 1
    assert strata["农村居民"].no_answer == 1
    assert strata["农村居民"].wrong_number == 1
    assert strata["人大代表"].population == 4


def test_distributions_and_suppression(rw):
    results = round_results(rw.round)
    by_number = {d.number: d for d in results.distributions}
    first = by_number[1]
    assert first.answered == 12
    assert [(str(label), n) for label, n, _pct in first.rows] == [
        ("非常满意", 4),
        ("满意", 6),
        ("基本满意", 1),
        ("不满意", 1),
        ("非常不满意", 0),
    ]
    assert first.rows[1][2] == Decimal("50.0")
    assert by_number[3].suppressed and by_number[3].rows == []  # four answers only
    assert [n for _label, n, _pct in by_number[4].rows] == [6, 6]
    assert [n for _label, n, _pct in by_number[5].rows] == [0, 12, 0]
    assert by_number[6].answered == 0 and by_number[6].suppressed


def test_the_min_group_of_the_round_decides(cast):
    rw = build_respondent_world(cast, min_group=2)
    answer_case(rw)
    results = round_results(rw.round)
    assert results.for_unit(cast.village.pk).index == Decimal("80.00")
    strata = {s.name: s for s in results.for_unit(cast.section.pk).strata}
    assert strata["企业主"].mean == Decimal("90.00")


# --- the index in the assessment -------------------------------------------------------


def _assessment(cast, rw):
    assessment = assessment_create(
        actor=cast.office, year=rw.year, period=rw.period, subject_kind=SubjectKind.UNIT
    )
    assessment_open_scoring(actor=cast.office, assessment=assessment)
    subjects = {s.unit_id: s for s in Subject.objects.filter(assessment=assessment)}
    for unit in (cast.section, cast.village, cast.other_section):
        rated = unit != cast.other_section  # the questionnaire rates 经济发展办 and 白莲村
        scores_save(
            actor=cast.leader,
            subject=subjects[unit.pk],
            inputs=[
                ScoreInput("indicators.sustainable", 90, "进度滞后"),
                ScoreInput("indicators.livelihood", 80, "进度滞后"),
                ScoreInput("indicators.governance", 70, "进度滞后"),
                *([] if rated else [ScoreInput("public", 50, "评分人自填")]),
            ],
        )
        if rated:
            # The round feeds ``public`` for these units, so the scorers may not enter it;
            # a value entered before the round was set up is still in the table.
            Score.objects.create(subject=subjects[unit.pk], node="public", value=50)
    return assessment, subjects


def test_only_a_closed_round_feeds_the_public_node(cast, rw):
    _unused, subjects = _assessment(cast, rw)
    values, _vetoes, _evidence = gather_inputs(subjects[cast.section.pk])
    assert values["public"] == Decimal(50)  # still collecting: the scorer's value stands


def test_the_index_replaces_the_scorers_public_value_with_a_note(cast, rw):
    assessment, subjects = _assessment(cast, rw)
    round_close(actor=cast.office, appraisal_round=rw.round)
    ballots = ballot_results(assessment)
    scheme = scheme_of(assessment)

    values, vetoes, evidence = gather_inputs(subjects[cast.section.pk], ballots=ballots)
    assert values["public"] == Decimal("79.67")
    assert evidence["public"] == [
        f"公众评议#{rw.round.pk}《2024年7月公众评议》12 份有效答卷，指数 79.67 ± 9.15"
    ]
    # 指标考核 (40·90 + 35·80 + 25·70)/100 = 81.5; total = 81.5·80% + 79.67·20% = 81.134
    result = evaluate(scheme, values, vetoes, evidence)
    assert result.total == Decimal("81.13")

    # 白莲村 is rated by the round but has too few answers: no value, no scorer fallback.
    values, _v, _e = gather_inputs(subjects[cast.village.pk], ballots=ballots)
    assert "public" not in values
    # 社会事务办 is not in the questionnaire: the scorer's value stays.
    values, _v, _e = gather_inputs(subjects[cast.other_section.pk], ballots=ballots)
    assert values["public"] == Decimal(50)


def test_aggregation_writes_the_index_into_the_breakdown(cast, rw):
    assessment, subjects = _assessment(cast, rw)
    round_close(actor=cast.office, appraisal_round=rw.round)
    assessment_aggregate(actor=cast.office, assessment=assessment)
    section = Subject.objects.get(pk=subjects[cast.section.pk].pk)
    assert section.total == Decimal("81.13")
    assert f"公众评议#{rw.round.pk}" in str(section.breakdown)
    other = Subject.objects.get(pk=subjects[cast.other_section.pk].pk)
    # 81.5·80% + 50·20% = 75.2
    assert other.total == Decimal("75.20")
