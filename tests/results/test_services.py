"""Publishing the month's task-force competition."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from jixiao.assessments.models import Status, Subject
from jixiao.audit.models import AuditEvent
from jixiao.rankings.competition import CompetitionResult
from jixiao.results.models import CompetitionPublication
from jixiao.results.services import competition_publish
from tests.rankings.factory import make_haiyong, month_with


@pytest.fixture
def haiyong(cast):
    return make_haiyong(cast)


def test_publish_stores_the_result_and_audits_it(cast, haiyong) -> None:
    month = month_with(
        haiyong, 3, ["92", "85", "78.5", "88"], ["90", "72", "85", "66", "95", "80", "70", "99"]
    )
    publication = competition_publish(actor=cast.office, period=month)
    assert publication.org == cast.org and publication.published_by == cast.office
    result = CompetitionResult.from_json(publication.result)
    assert [e.label for e in result.best] == ["第一指挥组"]
    assert [e.label for e in result.last] == ["第三指挥组"]
    assert [e.label for e in result.bottom] == ["成员4", "成员7"]
    event = AuditEvent.objects.get(action="competition.publish")
    assert event.org == cast.org and event.actor == cast.office
    assert event.before is None
    assert event.after == {
        "best": "第一指挥组 92.00",
        "last": "第三指挥组 78.50",
        "bottom": "成员4 66.00、成员7 70.00",
    }


def test_republish_replaces_the_snapshot_with_before_and_after(cast, haiyong) -> None:
    month = month_with(haiyong, 3, ["92", "85", "78.5", "88"], ["50"] * 8)
    competition_publish(actor=cast.office, period=month)
    # An upheld appeal lifts 第三指挥组 above 第二指挥组.
    Subject.objects.filter(task_force=haiyong.groups[2]).update(total="86")
    competition_publish(actor=cast.office, period=month)
    publication = CompetitionPublication.objects.get(period=month)
    assert CompetitionResult.from_json(publication.result).last[0].label == "第二指挥组"
    event = AuditEvent.objects.filter(action="competition.publish").latest("pk")
    assert event.before["last"] == "第三指挥组 78.50"
    assert event.after["last"] == "第二指挥组 85.00"


def test_cannot_publish_before_the_task_force_assessment_is_public(cast, haiyong) -> None:
    month = month_with(haiyong, 3, ["92", "85", "78.5", "88"], ["50"] * 8, status=Status.REVIEW)
    with pytest.raises(ValidationError) as exc:
        competition_publish(actor=cast.office, period=month)
    assert "period" in exc.value.message_dict
    assert not CompetitionPublication.objects.exists()
    assert not AuditEvent.objects.filter(action="competition.publish").exists()


def test_cannot_publish_without_the_person_assessment(cast, haiyong) -> None:
    month = month_with(haiyong, 3, ["92", "85", "78.5", "88"], None)
    with pytest.raises(ValidationError, match="个人考核尚未公示"):
        competition_publish(actor=cast.office, period=month)
    assert not CompetitionPublication.objects.exists()


def test_the_published_notes_are_chinese_whatever_the_office_reads(cast, haiyong) -> None:
    from django.utils import translation

    month = month_with(
        haiyong, 4, ["92", "92", "78.5", "88"], ["90", "72", "85", "66", "95", "80", "70", "99"]
    )
    with translation.override("en"):
        publication = competition_publish(actor=cast.office, period=month)
    notes = CompetitionResult.from_json(publication.result).notes
    assert "2 个指挥组并列最高分，均评为先进指挥组。" in notes
