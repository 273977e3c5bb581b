"""``jixiao manage appraisal_codes``: codes for the load test, spread over the strata."""

from __future__ import annotations

from collections import Counter

import pytest
from django.core.management import CommandError, call_command

from jixiao.appraisal.models import InvitationCode, Response
from jixiao.appraisal.responses import response_submit
from jixiao.appraisal.services import round_close
from tests.appraisal.respondent_world import build_respondent_world

pytestmark = pytest.mark.django_db


def test_writes_working_codes_proportional_to_the_frame(cast, tmp_path):
    rw = build_respondent_world(cast)
    out = tmp_path / "codes.txt"
    call_command("appraisal_codes", "--count", "20", "--out", str(out))
    codes = out.read_text().split()
    assert len(codes) == len(set(codes)) == 20
    # Frame 4 / 6 / 12 / 18 of 40 → 2 / 3 / 6 / 9 of 20.
    assert Counter(InvitationCode.objects.values_list("stratum", flat=True)) == {
        "人大代表": 2,
        "企业主": 3,
        "城镇居民": 6,
        "农村居民": 9,
    }
    response_submit(round=rw.round, answers=rw.answers(), mode="web", code=codes[0])
    assert Response.objects.count() == 1


def test_refuses_without_a_collecting_round(cast, tmp_path):
    rw = build_respondent_world(cast)
    round_close(actor=cast.office, appraisal_round=rw.round)
    with pytest.raises(CommandError, match="no collecting"):
        call_command("appraisal_codes", "--count", "5", "--out", str(tmp_path / "c.txt"))
    assert not (tmp_path / "c.txt").exists()
