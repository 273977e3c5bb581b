"""The demo's public appraisal: a 1,000-person frame, July closed and feeding, December open."""

from __future__ import annotations

from collections import Counter

import pytest

from jixiao.appraisal.models import AppraisalRound, InvitationCode, Respondent, RoundStatus
from jixiao.appraisal.selectors import round_results
from jixiao.assessments.models import Assessment
from jixiao.project.demo_data import demo_load

pytestmark = pytest.mark.django_db


def test_demo_frame_rounds_and_the_index_in_the_half_year_assessment() -> None:
    demo_load(password="yanshi-mima-1")
    respondents = Respondent.objects.filter(frame__org__code="bailian")
    assert Counter(respondents.values_list("stratum", flat=True)) == {
        "人大代表": 60,
        "企业主": 140,
        "城镇居民": 300,
        "农村居民": 500,
    }
    rural = respondents.filter(stratum="农村居民").values_list("village", flat=True)
    assert len(set(rural)) == 11
    assert all(r.phone_last4.isdigit() for r in respondents[:20])

    july, december = AppraisalRound.objects.filter(org__code="bailian").order_by("pk")
    assert july.status == RoundStatus.CLOSED and july.members.count() == 600
    assert december.status == RoundStatus.COLLECTING and december.members.count() == 600
    assert InvitationCode.objects.filter(round=december).count() == 40
    results = round_results(july)
    assert results.responses > 400
    indexes = {u.unit.name: u.index for u in results.units}
    assert len(indexes) == 6 and all(60 < i < 95 for i in indexes.values())

    half = Assessment.objects.get(year__org__code="bailian", period=july.period)
    subject = half.subjects.get(unit__name="综治办")
    assert subject.total is not None
    assert f"公众评议#{july.pk}" in str(subject.breakdown)
    assert str(indexes["综治办"]) in str(subject.breakdown)
