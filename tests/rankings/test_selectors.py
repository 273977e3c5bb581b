"""Rankings read only published assessments of the user's organisation."""

from __future__ import annotations

from decimal import Decimal

from jixiao.assessments.models import Status
from jixiao.organisation.access import access_for
from jixiao.rankings.selectors import rankings
from jixiao.years.models import SubjectKind
from tests.rankings.factory import add_subject, make_assessment, make_year, period


def test_ranking_by_total_with_ties_and_unscored_last(cast) -> None:
    year = make_year(cast)
    quarter = make_assessment(year, period(year, "quarter", 1), SubjectKind.UNIT, Status.FINAL)
    add_subject(quarter, cast.section, "88", grade="良", award_eligible=True)
    add_subject(quarter, cast.other_section, "92.5", grade="优")
    add_subject(quarter, cast.village, "88", grade="良", award_eligible=False)
    add_subject(quarter, cast.org, None)
    [ranking] = rankings(access_for(cast.cadre), year)
    assert ranking.kind_label == "科室/站所/村居" and ranking.period_label == "第一季度"
    rows = [(r.subject.label, r.rank, r.tied) for r in ranking.rows]
    assert rows == [
        ("社会事务办", 1, False),
        ("白莲村", 2, True),  # 88 ties: ordered by label (code point)
        ("经济发展办", 2, True),
        ("白莲镇", None, False),
    ]
    assert ranking.rows[0].subject.total == Decimal("92.50")


def test_only_notice_and_final_are_ranked_and_filters_apply(cast) -> None:
    year = make_year(cast)
    for number, status in enumerate(Status.values, start=1):
        a = make_assessment(year, period(year, "month", number), SubjectKind.PERSON, status)
        add_subject(a, cast.cadre_person, "80")
    access = access_for(cast.office)
    shown = [r.assessment.status for r in rankings(access, year)]
    assert shown == [Status.FINAL, Status.NOTICE]  # latest period first
    month4 = period(year, "month", 4)
    assert [r.assessment.period_id for r in rankings(access, year, period_id=month4.pk)] == [
        month4.pk
    ]
    assert rankings(access, year, kind=SubjectKind.UNIT) == []


def test_another_orgs_year_shows_nothing(cast) -> None:
    year = make_year(cast)
    a = make_assessment(year, period(year, "month", 1), SubjectKind.PERSON, Status.FINAL)
    add_subject(a, cast.cadre_person, "80")
    assert rankings(access_for(cast.outsider), year) == []
