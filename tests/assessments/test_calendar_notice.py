"""Publishing over 国庆: the notice skips the organisation's holidays, not another's."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from jixiao.assessments import services as s
from jixiao.assessments.models import Status
from jixiao.assessments.selectors import notice_explanation
from jixiao.years.models import DayKind
from jixiao.years.services import calendar_day_set, calendar_preset_load
from tests.assessments.test_services import _published

pytestmark = pytest.mark.django_db

PUBLISHED = date(2026, 9, 30)  # Wednesday, the day before 国庆


def test_a_notice_published_before_national_day_ends_after_it(cast, year, q1) -> None:
    calendar_preset_load(actor=cast.office, org=cast.org, year=2026)
    a, subject = _published(cast, year, q1, today=PUBLISHED)
    assert a.status == Status.NOTICE
    # 1–7 Oct off; 8, 9, 10 (Saturday worked), 12, 13 Oct: five working days.
    assert (a.notice_start, a.notice_end) == (PUBLISHED, date(2026, 10, 13))
    assert notice_explanation(a) == "5 个工作日，已跳过国庆节假日，含调休上班日 10月10日"
    # The window is open on its last working day and closed the day after.
    with pytest.raises(ValidationError, match="提前定案"):
        s.assessment_finalise(actor=cast.office, assessment=a, today=date(2026, 10, 13))
    with pytest.raises(ValidationError, match="2026-10-13 结束"):
        s.appeal_file(actor=cast.leader, subject=subject, reason="复核", today=date(2026, 10, 14))
    s.appeal_file(actor=cast.leader, subject=subject, reason="复核", today=date(2026, 10, 13))


def test_another_organisations_holidays_do_not_count(cast, year, q1) -> None:
    calendar_preset_load(actor=cast.outsider, org=cast.other_org, year=2026)
    a, __ = _published(cast, year, q1, today=PUBLISHED)
    assert a.notice_end == date(2026, 10, 7)  # weekdays only: ends inside the holiday
    assert notice_explanation(a) == "5 个工作日，期间无节假日"


def test_a_calendar_changed_after_publication_leaves_the_end_date(cast, year, q1) -> None:
    a, __ = _published(cast, year, q1, today=PUBLISHED)
    calendar_day_set(
        actor=cast.office, org=cast.org, day=date(2026, 10, 2), kind=DayKind.HOLIDAY, name="国庆节"
    )
    a.refresh_from_db()
    assert a.notice_end == date(2026, 10, 7)
    assert "此后日历有修改" in notice_explanation(a)
